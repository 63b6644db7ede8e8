package cas

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/ipfs/go-cid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var kuboFiles = flag.String("kubo-files", "", "write the vector files into this directory (to check them with `ipfs add "+KuboFlags+" -Q FILE`)")

// pattern returns n deterministic bytes: SHA-256("danangchain/kubo-vector/" || i)
// for i = 0, 1, ... concatenated (no two chunks repeat).
func pattern(n int) []byte {
	out := make([]byte, 0, n+32)
	for i := uint64(0); len(out) < n; i++ {
		s := sha256.Sum256(binary.BigEndian.AppendUint64([]byte("danangchain/kubo-vector/"), i))
		out = append(out, s[:]...)
	}
	return out[:n]
}

// kuboVectors are the CIDs `ipfs add --cid-version=1` (Kubo defaults
// otherwise: size-262144 chunker, raw leaves, balanced layout, 174 links
// per node) computes for these files. Each is checked twice: with boxo's
// importer (Import, Store.Add) and with kuboCID below, an independent
// implementation of the same layout written from the specs (dag-pb and
// UnixFS protobufs built by hand, SHA-256 from the standard library).
var kuboVectors = []struct {
	name string
	data func() []byte
	cid  string
}{
	{"empty", func() []byte { return nil }, "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku"},
	{"hello-world-nl", func() []byte { return []byte("hello world\n") }, "bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4"},
	{"vietnamese", func() []byte { return []byte("Đà Nẵng — thành phố đáng sống\n") }, "bafkreie2ezmnqhvsprm2jx4dbhnhcw7hbzslve5sdqvrukjsutegnyi6ym"},
	{"1-byte", func() []byte { return []byte{0x2a} }, "bafkreidijcemb25rp43ufgfwl3ria5jgybtastdqdpgh5o7byeev6skpye"},
	{"256KiB", func() []byte { return pattern(ChunkSize) }, "bafkreih3u7ry36z4suyzaq5fd7znkcmbzeziqjvngibgmdtjqfrtalll3q"},
	{"256KiB+1", func() []byte { return pattern(ChunkSize + 1) }, "bafybeig6rcyeh4vcpv2gzsgf67we5q7gut4k7g4wv3guw37hpwpp7yffju"},
	{"512KiB-zeros", func() []byte { return make([]byte, 2*ChunkSize) }, "bafybeig5axbv7uxiwv63kn6qvegw5vbz2tlgv4nhz4crv6g3f3rat7ttsi"},
	{"10MiB", func() []byte { return pattern(10 << 20) }, "bafybeig2d2nmth7dc3rqtmy7i3katc5nft52s576xrohyis6vyetbzrx5a"},
	{"174-chunks", func() []byte { return pattern(MaxLinks * ChunkSize) }, "bafybeieerpthd5gvuaxokk7ylsxvrc2jmv6e2wehay3i735vxo3bcwel64"},
	{"175-chunks", func() []byte { return pattern(MaxLinks*ChunkSize + 1) }, "bafybeienkjk7va77j5sbl6kc642nqeksd737z7sbdw2maas5ch7qpskwv4"},
}

func TestKuboVectors(t *testing.T) {
	if *kuboFiles != "" {
		require.NoError(t, os.MkdirAll(*kuboFiles, 0o755))
	}
	st, err := Open(t.TempDir(), Options{NoSync: true})
	require.NoError(t, err)
	defer st.Close()
	for _, v := range kuboVectors {
		t.Run(v.name, func(t *testing.T) {
			data := v.data()
			if *kuboFiles != "" {
				require.NoError(t, os.WriteFile(filepath.Join(*kuboFiles, v.name+".bin"), data, 0o644))
			}
			// The independent implementation.
			assert.Equal(t, v.cid, kuboCID(data).String(), "independent layout")
			// boxo's importer, in memory and into the store.
			d, err := Import(bytes.NewReader(data), 0)
			require.NoError(t, err)
			assert.Equal(t, v.cid, d.Root.String(), "Import")
			assert.Equal(t, uint64(len(data)), d.Size)
			c, size, err := st.Add(context.Background(), bytes.NewReader(data))
			require.NoError(t, err)
			assert.Equal(t, v.cid, c.String(), "Store.Add")
			assert.Equal(t, uint64(len(data)), size)
			// Every block of the import is a valid chain block.
			for _, b := range PayloadBlocks(d.Blocks) {
				require.NoError(t, CheckBlock(&b))
			}
		})
	}
	// A file of at most one chunk is one raw block: its CID is the CIDv1
	// of the SHA-256 of the file (what `ipfs add --cid-version=1` prints).
	sum := sha256.Sum256([]byte("hello world\n"))
	assert.Equal(t, "bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4",
		cid.NewCidV1(cid.Raw, append([]byte{0x12, 0x20}, sum[:]...)).String())
}

// kuboCID computes the CID of data with Kubo's defaults, independently of
// boxo: raw leaves of ChunkSize bytes; more than one leaf makes a balanced
// tree of dag-pb UnixFS File nodes with at most MaxLinks links.
func kuboCID(data []byte) cid.Cid {
	type node struct {
		cid   []byte // binary CID
		fsize uint64 // file bytes under the node
		tsize uint64 // cumulative block bytes (dag-pb Tsize)
	}
	var leaves []node
	for off := 0; off == 0 || off < len(data); off += ChunkSize {
		chunk := data[off:min(off+ChunkSize, len(data))]
		sum := sha256.Sum256(chunk)
		leaves = append(leaves, node{append([]byte{1, 0x55, 0x12, 0x20}, sum[:]...), uint64(len(chunk)), uint64(len(chunk))})
	}
	if len(leaves) == 1 {
		c, _ := cid.Cast(leaves[0].cid)
		return c
	}
	mk := func(children []node) node {
		var unixfs []byte
		unixfs = append(unixfs, 0x08, 0x02) // Type = File
		var total, ttotal uint64
		for _, ch := range children {
			total += ch.fsize
			ttotal += ch.tsize
		}
		unixfs = binary.AppendUvarint(append(unixfs, 0x18), total) // filesize
		for _, ch := range children {
			unixfs = binary.AppendUvarint(append(unixfs, 0x20), ch.fsize) // blocksizes
		}
		var pb []byte
		for _, ch := range children { // PBNode.Links (field 2) come first
			link := append([]byte{0x0a, byte(len(ch.cid))}, ch.cid...) // Hash
			link = append(link, 0x12, 0x00)                            // Name ""
			link = binary.AppendUvarint(append(link, 0x18), ch.tsize)  // Tsize
			pb = binary.AppendUvarint(append(pb, 0x12), uint64(len(link)))
			pb = append(pb, link...)
		}
		pb = binary.AppendUvarint(append(pb, 0x0a), uint64(len(unixfs))) // PBNode.Data
		pb = append(pb, unixfs...)
		sum := sha256.Sum256(pb)
		return node{append([]byte{1, 0x70, 0x12, 0x20}, sum[:]...), total, uint64(len(pb)) + ttotal}
	}
	// Balanced layout: fill a subtree of depth d (MaxLinks^d leaves) at a
	// time, left to right; grow the root while leaves remain.
	var fill func(depth int, leaves []node) (node, []node)
	fill = func(depth int, leaves []node) (node, []node) {
		var kids []node
		for len(kids) < MaxLinks && len(leaves) > 0 {
			if depth == 1 {
				kids = append(kids, leaves[0])
				leaves = leaves[1:]
				continue
			}
			var k node
			k, leaves = fill(depth-1, leaves)
			kids = append(kids, k)
		}
		return mk(kids), leaves
	}
	depth := 1
	for capacity := MaxLinks; capacity < len(leaves); capacity *= MaxLinks {
		depth++
	}
	root, rest := fill(depth, leaves)
	if len(rest) != 0 {
		panic(fmt.Sprintf("%d leaves left", len(rest)))
	}
	c, _ := cid.Cast(root.cid)
	return c
}

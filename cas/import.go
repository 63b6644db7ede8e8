package cas

import (
	"context"
	"fmt"
	"io"

	chunk "github.com/ipfs/boxo/chunker"
	"github.com/ipfs/boxo/ipld/merkledag"
	"github.com/ipfs/boxo/ipld/unixfs/importer/balanced"
	"github.com/ipfs/boxo/ipld/unixfs/importer/helpers"
	blocks "github.com/ipfs/go-block-format"
	"github.com/ipfs/go-cid"
	ipld "github.com/ipfs/go-ipld-format"
	mh "github.com/multiformats/go-multihash"
)

// build imports r into dserv with Kubo's `ipfs add --cid-version=1`
// parameters and returns the root. maxSize > 0 caps the file size.
func build(r io.Reader, dserv ipld.DAGService, maxSize int64) (ipld.Node, error) {
	lr := &limitReader{r: r, max: maxSize}
	params := helpers.DagBuilderParams{
		Maxlinks:   MaxLinks,
		RawLeaves:  true,
		CidBuilder: cid.V1Builder{Codec: cid.DagProtobuf, MhType: mh.SHA2_256},
		Dagserv:    dserv,
	}
	db, err := params.New(chunk.NewSizeSplitter(lr, ChunkSize))
	if err != nil {
		return nil, err
	}
	nd, err := balanced.Layout(db)
	if lr.over {
		return nil, fmt.Errorf("%w: larger than %d bytes", ErrTooLarge, maxSize)
	}
	if err != nil {
		return nil, err
	}
	return nd, nil
}

// limitReader fails once more than max bytes were read (max 0 = no limit).
type limitReader struct {
	r    io.Reader
	max  int64
	n    int64
	over bool
}

func (l *limitReader) Read(p []byte) (int, error) {
	n, err := l.r.Read(p)
	l.n += int64(n)
	if l.max > 0 && l.n > l.max {
		l.over = true
		return n, fmt.Errorf("%w: larger than %d bytes", ErrTooLarge, l.max)
	}
	return n, err
}

// Block is one block of an imported DAG with, for dag-pb blocks, its links.
type Block struct {
	CID   cid.Cid
	Data  []byte
	Links []Link
}

// Link is a dag-pb link: the child and the file bytes under it.
type Link struct {
	CID  cid.Cid
	Size uint64
}

// DAG is an imported file: its root, its size and its blocks, each once,
// children before parents (the order a chain upload needs).
type DAG struct {
	Root   cid.Cid
	Size   uint64
	Blocks []Block
}

// Import builds the DAG of the file read from r in memory, with the same
// parameters as Store.Add. maxSize > 0 caps the file size (ErrTooLarge).
func Import(r io.Reader, maxSize int64) (*DAG, error) {
	rec := &recorder{seen: map[string]int{}}
	nd, err := build(r, rec, maxSize)
	if err != nil {
		return nil, err
	}
	d := &DAG{Root: nd.Cid(), Blocks: rec.blocks}
	for _, b := range d.Blocks {
		if b.CID.Equals(d.Root) {
			d.Size = b.fileSize()
		}
	}
	return d, nil
}

func (b *Block) fileSize() uint64 {
	if b.CID.Prefix().Codec == CodecRaw {
		return uint64(len(b.Data))
	}
	var n uint64
	for _, l := range b.Links {
		n += l.Size
	}
	return n
}

// recorder is an in-memory ipld.DAGService that keeps the order of Add.
type recorder struct {
	seen   map[string]int
	blocks []Block
}

var _ ipld.DAGService = (*recorder)(nil)

func (r *recorder) Add(_ context.Context, nd ipld.Node) error {
	k := nd.Cid().KeyString()
	if _, ok := r.seen[k]; ok {
		return nil
	}
	b := Block{CID: nd.Cid(), Data: nd.RawData()}
	if nd.Cid().Prefix().Codec == CodecDagPB {
		links, err := NodeLinks(nd.RawData())
		if err != nil {
			return err
		}
		b.Links = links
	}
	r.seen[k] = len(r.blocks)
	r.blocks = append(r.blocks, b)
	return nil
}

func (r *recorder) AddMany(ctx context.Context, nds []ipld.Node) error {
	for _, nd := range nds {
		if err := r.Add(ctx, nd); err != nil {
			return err
		}
	}
	return nil
}

func (r *recorder) Get(_ context.Context, c cid.Cid) (ipld.Node, error) {
	i, ok := r.seen[c.KeyString()]
	if !ok {
		return nil, ipld.ErrNotFound{Cid: c}
	}
	return decodeNode(r.blocks[i])
}

func (r *recorder) GetMany(ctx context.Context, cs []cid.Cid) <-chan *ipld.NodeOption {
	out := make(chan *ipld.NodeOption, len(cs))
	for _, c := range cs {
		nd, err := r.Get(ctx, c)
		out <- &ipld.NodeOption{Node: nd, Err: err}
	}
	close(out)
	return out
}

func (r *recorder) Remove(context.Context, cid.Cid) error       { return nil }
func (r *recorder) RemoveMany(context.Context, []cid.Cid) error { return nil }

// decodeNode decodes a raw or dag-pb block.
func decodeNode(b Block) (ipld.Node, error) {
	bb, err := blocks.NewBlockWithCid(b.Data, b.CID)
	if err != nil {
		return nil, err
	}
	if b.CID.Prefix().Codec == CodecRaw {
		return merkledag.DecodeRawBlock(bb)
	}
	return merkledag.DecodeProtobufBlock(bb)
}

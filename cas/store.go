package cas

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"

	"github.com/ipfs/boxo/blockservice"
	"github.com/ipfs/boxo/blockstore"
	"github.com/ipfs/boxo/exchange/offline"
	"github.com/ipfs/boxo/ipld/merkledag"
	unixfsio "github.com/ipfs/boxo/ipld/unixfs/io"
	"github.com/ipfs/boxo/verifcid"
	blocks "github.com/ipfs/go-block-format"
	"github.com/ipfs/go-cid"
	flatfs "github.com/ipfs/go-ds-flatfs"
	ipld "github.com/ipfs/go-ipld-format"
	mh "github.com/multiformats/go-multihash"

	"github.com/danangchain/danangchain/registry"
)

// Options configure a Store.
type Options struct {
	// NoSync skips fsync of block files and directories (tests and
	// benchmarks only: a node must fsync its blocks before its state).
	NoSync bool
	// MaxFileSize caps Add (0 = no limit).
	MaxFileSize int64
}

// Store is a node's block store: a flatfs datastore (one file per block,
// sharded by the next-to-last two characters of the key, Kubo's layout)
// behind a blockstore that checks every block against its CID.
//
// Keys on disk are the base32 multihash computed by boxo: the file name of
// a block never comes from user input, so no name can escape the store.
type Store struct {
	dir  string
	ds   *flatfs.Datastore
	bs   *verifying
	bsvc blockservice.BlockService
	dag  ipld.DAGService
	opts Options

	mu      sync.Mutex
	barrier map[string]struct{} // multihashes written while a GC runs; nil otherwise
}

// allowlist is boxo's CID check restricted to sha2-256.
var allowlist = verifcid.NewAllowlist(map[uint64]bool{mh.SHA2_256: true})

// Open opens (or creates) the store in dir.
func Open(dir string, o Options) (*Store, error) {
	if dir == "" {
		return nil, errors.New("cas: empty store directory")
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(abs), 0o700); err != nil {
		return nil, err
	}
	// With syncfs (Linux), flatfs writes without fsync and every write is
	// made durable by one syncfs; elsewhere flatfs fsyncs each file.
	ds, err := flatfs.CreateOrOpen(abs, flatfs.NextToLast(2), !o.NoSync && !haveSyncFS)
	if err != nil {
		return nil, fmt.Errorf("cas: open %s: %w", abs, err)
	}
	s := &Store{dir: abs, ds: ds, opts: o}
	s.bs = &verifying{inner: blockstore.NewBlockstore(ds, blockstore.NoPrefix()), note: s.noteWrite}
	if !o.NoSync && haveSyncFS {
		s.bs.sync = func() error { return syncFS(abs) }
	}
	s.bsvc = blockservice.New(s.bs, offline.Exchange(s.bs), blockservice.WithAllowlist(allowlist))
	s.dag = merkledag.NewDAGService(s.bsvc)
	return s, nil
}

// Close closes the datastore.
func (s *Store) Close() error { return s.ds.Close() }

// Dir is the store's directory.
func (s *Store) Dir() string { return s.dir }

// Blockstore is the verifying blockstore (for boxo components).
func (s *Store) Blockstore() blockstore.Blockstore { return s.bs }

// BlockService is an offline block service over the store.
func (s *Store) BlockService() blockservice.BlockService { return s.bsvc }

// Put stores one block after checking it against its CID.
func (s *Store) Put(ctx context.Context, c cid.Cid, data []byte) error {
	b, err := blocks.NewBlockWithCid(data, c)
	if err != nil {
		return err
	}
	return s.bs.Put(ctx, b)
}

// PutMany stores blocks after checking each against its CID; with sync on
// (the default) they are durable when it returns.
func (s *Store) PutMany(ctx context.Context, bs []Block) error {
	out := make([]blocks.Block, 0, len(bs))
	for _, b := range bs {
		bb, err := blocks.NewBlockWithCid(b.Data, b.CID)
		if err != nil {
			return err
		}
		out = append(out, bb)
	}
	return s.bs.PutMany(ctx, out)
}

// PutPayloadBlocks stores blocks carried by payload/blocks transactions
// (the node's post-execution hook, see app.PayloadStore).
func (s *Store) PutPayloadBlocks(ctx context.Context, bs []registry.PayloadBlock) error {
	out := make([]Block, 0, len(bs))
	for i := range bs {
		out = append(out, Block{CID: BlockCID(bs[i].Codec, bs[i].Data), Data: bs[i].Data})
	}
	return s.PutMany(ctx, out)
}

// Get reads a block, verified against its CID; ErrNotFound if absent.
func (s *Store) Get(ctx context.Context, c cid.Cid) ([]byte, error) {
	b, err := s.bs.Get(ctx, c)
	if err != nil {
		if ipld.IsNotFound(err) {
			return nil, fmt.Errorf("%w: %s", ErrNotFound, c)
		}
		return nil, err
	}
	return b.RawData(), nil
}

// Has reports whether the block is stored (false for CIDs the policy
// refuses).
func (s *Store) Has(ctx context.Context, c cid.Cid) (bool, error) { return s.bs.Has(ctx, c) }

// Add imports a file into the store (Kubo-compatible CIDs) and returns its
// root CID and size.
func (s *Store) Add(ctx context.Context, r io.Reader) (cid.Cid, uint64, error) {
	buf := ipld.NewBufferedDAG(withoutSync(ctx), s.dag)
	nd, err := build(r, buf, s.opts.MaxFileSize)
	if err != nil {
		return cid.Undef, 0, err
	}
	if err := buf.Commit(); err != nil {
		return cid.Undef, 0, err
	}
	if err := s.bs.flush(); err != nil { // one sync for the whole file
		return cid.Undef, 0, err
	}
	size, err := fileSize(nd)
	return nd.Cid(), size, err
}

func fileSize(nd ipld.Node) (uint64, error) {
	if nd.Cid().Prefix().Codec == CodecRaw {
		return uint64(len(nd.RawData())), nil
	}
	links, err := NodeLinks(nd.RawData())
	if err != nil {
		return 0, err
	}
	var n uint64
	for _, l := range links {
		n += l.Size
	}
	return n, nil
}

// File is a payload being read: every block is verified as it is read.
type File interface {
	io.ReadSeekCloser
	Size() uint64
}

// Open returns a reader of the file under root (ErrNotFound if the root is
// absent; a missing inner block fails the read that needs it).
func (s *Store) Open(ctx context.Context, root cid.Cid) (File, error) {
	if err := CheckCID(root); err != nil {
		return nil, err
	}
	nd, err := s.dag.Get(ctx, root)
	if err != nil {
		if ipld.IsNotFound(err) {
			return nil, fmt.Errorf("%w: %s", ErrNotFound, root)
		}
		return nil, err
	}
	if nd.Cid().Prefix().Codec == CodecDagPB {
		if _, err := NodeLinks(nd.RawData()); err != nil {
			return nil, err
		}
	}
	return unixfsio.NewDagReader(ctx, nd, s.dag)
}

// traverse visits the DAG under root depth first in file order, each
// block once. visit returns the block's bytes when traverse should
// descend into its links (dag-pb nodes), nil to stop at it.
func (s *Store) traverse(root cid.Cid, visit func(c cid.Cid) ([]byte, error)) error {
	seen := map[string]bool{}
	stack := []cid.Cid{root}
	for len(stack) > 0 {
		c := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[c.KeyString()] {
			continue
		}
		seen[c.KeyString()] = true
		data, err := visit(c)
		if err != nil {
			return err
		}
		if data == nil || c.Prefix().Codec != CodecDagPB {
			continue
		}
		links, err := NodeLinks(data)
		if err != nil {
			return err
		}
		for i := len(links) - 1; i >= 0; i-- {
			stack = append(stack, links[i].CID)
		}
	}
	return nil
}

// Walk visits every block of the DAG under root, depth first in file
// order, verified; fn gets each block once. A missing block stops the walk
// with ErrNotFound.
func (s *Store) Walk(ctx context.Context, root cid.Cid, fn func(c cid.Cid, data []byte) error) error {
	return s.traverse(root, func(c cid.Cid) ([]byte, error) {
		data, err := s.Get(ctx, c)
		if err != nil {
			return nil, err
		}
		return data, fn(c, data)
	})
}

// Missing lists the blocks of the DAG under root that are not stored (a
// missing node hides its children: they are not listed).
func (s *Store) Missing(ctx context.Context, root cid.Cid) ([]cid.Cid, error) {
	var missing []cid.Cid
	err := s.traverse(root, func(c cid.Cid) ([]byte, error) {
		if c.Prefix().Codec == CodecRaw {
			ok, err := s.Has(ctx, c)
			if err == nil && !ok {
				missing = append(missing, c)
			}
			return nil, err
		}
		data, err := s.Get(ctx, c)
		if IsNotFound(err) {
			missing = append(missing, c)
			return nil, nil
		}
		return data, err
	})
	if err != nil {
		return nil, err
	}
	return missing, nil
}

// noteWrite records a write for a running garbage collection. It runs
// before the block reaches the datastore (see GC).
func (s *Store) noteWrite(c cid.Cid) {
	s.mu.Lock()
	if s.barrier != nil {
		s.barrier[string(c.Hash())] = struct{}{}
	}
	s.mu.Unlock()
}

// Size returns the bytes used on disk (flatfs's accounting).
func (s *Store) Size(ctx context.Context) (uint64, error) { return s.ds.DiskUsage(ctx) }

// Check walks the DAG under root, reading and verifying every block. A
// block whose stored bytes do not match its CID is deleted (it could never
// be served, and a repair can then write it again) and reported damaged;
// missing lists every block not stored afterwards (a missing node hides
// its children).
func (s *Store) Check(ctx context.Context, root cid.Cid) (missing, damaged []cid.Cid, err error) {
	err = s.traverse(root, func(c cid.Cid) ([]byte, error) {
		data, err := s.Get(ctx, c)
		switch {
		case IsNotFound(err):
			missing = append(missing, c)
			return nil, nil
		case errors.Is(err, ErrHashMismatch):
			if err := s.bs.inner.DeleteBlock(ctx, c); err != nil {
				return nil, err
			}
			damaged = append(damaged, c)
			missing = append(missing, c)
			return nil, nil
		}
		return data, err
	})
	if err != nil {
		return nil, nil, err
	}
	return missing, damaged, nil
}

package cas

import (
	"context"
	"errors"
	"fmt"

	"github.com/ipfs/boxo/blockstore"
	blocks "github.com/ipfs/go-block-format"
	"github.com/ipfs/go-cid"
	ipld "github.com/ipfs/go-ipld-format"
)

// verifying is a blockstore.Blockstore that applies the CID policy to every
// key and recomputes the CID of every block it writes or reads. Every
// write first tells the store (for the garbage collector's write barrier).
type verifying struct {
	inner blockstore.Blockstore
	note  func(c cid.Cid)
	sync  func() error // makes writes durable (nil: the datastore fsyncs, or no sync)
}

// noSyncKey marks a context whose writes are flushed by the caller
// (Store.Add syncs once at the end).
type noSyncKey struct{}

func withoutSync(ctx context.Context) context.Context {
	return context.WithValue(ctx, noSyncKey{}, true)
}

// afterWrite makes a write durable unless the caller flushes later.
func (v *verifying) afterWrite(ctx context.Context) error {
	if ctx.Value(noSyncKey{}) != nil {
		return nil
	}
	return v.flush()
}

func (v *verifying) flush() error {
	if v.sync == nil {
		return nil
	}
	return v.sync()
}

var _ blockstore.Blockstore = (*verifying)(nil)

func isIPLDNotFound(err error) bool { return ipld.IsNotFound(err) }

func (v *verifying) Put(ctx context.Context, b blocks.Block) error {
	if err := VerifyBlock(b.Cid(), b.RawData()); err != nil {
		return err
	}
	v.note(b.Cid())
	if err := v.inner.Put(ctx, b); err != nil {
		return err
	}
	return v.afterWrite(ctx)
}

func (v *verifying) PutMany(ctx context.Context, bs []blocks.Block) error {
	for _, b := range bs {
		if err := VerifyBlock(b.Cid(), b.RawData()); err != nil {
			return err
		}
	}
	for _, b := range bs {
		v.note(b.Cid())
	}
	if err := v.inner.PutMany(ctx, bs); err != nil {
		return err
	}
	return v.afterWrite(ctx)
}

func (v *verifying) Get(ctx context.Context, c cid.Cid) (blocks.Block, error) {
	if err := CheckCID(c); err != nil {
		return nil, err
	}
	b, err := v.inner.Get(ctx, c)
	if err != nil {
		return nil, err
	}
	if err := VerifyBlock(c, b.RawData()); err != nil {
		// Never serve it: the bytes on disk were altered or damaged.
		return nil, fmt.Errorf("%w (stored bytes damaged: run 'danangchain payload verify')", err)
	}
	return b, nil
}

func (v *verifying) Has(ctx context.Context, c cid.Cid) (bool, error) {
	if CheckCID(c) != nil {
		return false, nil
	}
	return v.inner.Has(ctx, c)
}

func (v *verifying) GetSize(ctx context.Context, c cid.Cid) (int, error) {
	if err := CheckCID(c); err != nil {
		return -1, err
	}
	return v.inner.GetSize(ctx, c)
}

func (v *verifying) DeleteBlock(ctx context.Context, c cid.Cid) error {
	return v.inner.DeleteBlock(ctx, c)
}

func (v *verifying) AllKeysChan(ctx context.Context) (<-chan cid.Cid, error) {
	return v.inner.AllKeysChan(ctx)
}

// allKeys lists every key in the store (as raw CIDs: the store keeps only
// multihashes), failing if the listing was cut short.
func (v *verifying) allKeys(ctx context.Context) ([]cid.Cid, error) {
	if ae, ok := v.inner.(blockstore.AllKeysChanWithErrer); ok {
		ch, errf, err := ae.AllKeysChanWithErr(ctx)
		if err != nil {
			return nil, err
		}
		var out []cid.Cid
		for c := range ch {
			out = append(out, c)
		}
		return out, errf()
	}
	return nil, errors.New("cas: blockstore cannot list its keys reliably")
}

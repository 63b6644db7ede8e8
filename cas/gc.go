package cas

import (
	"context"
	"errors"

	"github.com/ipfs/go-cid"
)

// ErrGCRunning is returned by StartGC while another collection runs.
var ErrGCRunning = errors.New("cas: a garbage collection is already running")

// GC is a garbage collection in progress. It never deletes a block
// written after StartGC returned (a write barrier), so the caller can
// decide what to keep from a state snapshot taken right after StartGC —
// every later write is protected.
type GC struct {
	s    *Store
	done bool
}

// GCStats reports a collection.
type GCStats struct {
	Blocks  int `json:"blocks"`  // blocks in the store before
	Removed int `json:"removed"` // blocks deleted
	Kept    int `json:"kept"`    // blocks kept
}

// StartGC begins a collection.
func (s *Store) StartGC() (*GC, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.barrier != nil {
		return nil, ErrGCRunning
	}
	s.barrier = map[string]struct{}{}
	return &GC{s: s}, nil
}

// Sweep deletes every block whose multihash keep rejects, except those
// written since StartGC, and ends the collection. keep receives the
// binary multihash (the store does not record codecs).
func (g *GC) Sweep(ctx context.Context, keep func(multihash []byte) bool) (GCStats, error) {
	defer g.Abort()
	var st GCStats
	keys, err := g.s.bs.allKeys(ctx)
	if err != nil {
		return st, err
	}
	st.Blocks = len(keys)
	for _, c := range keys {
		if err := ctx.Err(); err != nil {
			return st, err
		}
		if keep(c.Hash()) {
			st.Kept++
			continue
		}
		removed, err := g.s.deleteUnlessWritten(ctx, c)
		if err != nil {
			return st, err
		}
		if removed {
			st.Removed++
		} else {
			st.Kept++
		}
	}
	return st, nil
}

// Abort ends the collection without deleting anything more.
func (g *GC) Abort() {
	if g.done {
		return
	}
	g.done = true
	g.s.mu.Lock()
	g.s.barrier = nil
	g.s.mu.Unlock()
}

// deleteUnlessWritten deletes c unless it was written since the
// collection started. The barrier and the delete share s.mu with
// noteWrite, which runs before every write: a block written concurrently
// is either recorded (kept) or written after the delete (rewritten).
func (s *Store) deleteUnlessWritten(ctx context.Context, c cid.Cid) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.barrier[string(c.Hash())]; ok {
		return false, nil
	}
	return true, s.bs.inner.DeleteBlock(ctx, c)
}

// Keys lists the multihashes of every stored block.
func (s *Store) Keys(ctx context.Context) ([][]byte, error) {
	keys, err := s.bs.allKeys(ctx)
	if err != nil {
		return nil, err
	}
	out := make([][]byte, 0, len(keys))
	for _, c := range keys {
		out = append(out, c.Hash())
	}
	return out, nil
}

package app

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/danangchain/danangchain/cas"
	"github.com/danangchain/danangchain/registry"
)

// Payload blocks (see registry's payload family and docs/payloads.md).
//
// The bytes of every payload travel through consensus in payload/blocks
// txs. The stateless checks (decodeValid, hence CheckTx, PrepareProposal,
// ProcessProposal and FinalizeBlock) also run cas.CheckBlock on each
// block: a dag-pb block's bytes must encode exactly the links the tx
// declares, so the chain's view of every DAG is exact. FinalizeBlock
// stages the blocks of each successful payload/blocks tx; Commit writes
// them to the node's block store, durably, *before* it saves the state
// that refers to them. A crash between the two leaves extra blocks (the
// block is replayed and they are rewritten, idempotently) but never state
// without its blocks. The block store is not part of the app hash.

// PayloadStore keeps a node's payload blocks; *cas.Store satisfies it.
type PayloadStore interface {
	// PutPayloadBlocks stores blocks, each checked against its CID,
	// durably before it returns.
	PutPayloadBlocks(ctx context.Context, blocks []registry.PayloadBlock) error
	// StartGC begins a collection that never deletes blocks written after it.
	StartGC() (*cas.GC, error)
}

// PayloadGCInterval is how often (in heights) a node collects garbage even
// without a release (uploads that were never published expire).
const PayloadGCInterval = 1000

// payloadState is the app's payload bookkeeping for the current block.
type payloadState struct {
	pending  []registry.PayloadBlock // blocks of this block's successful payload/blocks txs
	released bool                    // a payload/release succeeded in this block
	gcBusy   atomic.Bool
	gcWG     sync.WaitGroup
}

// checkPayloadTx is the stateless check of payload/blocks txs beyond
// ValidateBasic: every dag-pb block encodes exactly its declared links.
func checkPayloadTx(tx *registry.Tx) error {
	m, ok := tx.Msg.(*registry.MsgPayloadBlocks)
	if !ok {
		return nil
	}
	for i := range m.Blocks {
		if err := cas.CheckBlock(&m.Blocks[i]); err != nil {
			return err
		}
	}
	return nil
}

// stagePayload remembers what a successful tx means for the block store.
func (a *App) stagePayload(tx *registry.Tx) {
	switch m := tx.Msg.(type) {
	case *registry.MsgPayloadBlocks:
		if a.opts.Payloads != nil {
			a.payloads.pending = append(a.payloads.pending, m.Blocks...)
		}
	case *registry.MsgReleasePayload:
		a.payloads.released = true
	}
}

// flushPayloads writes the staged blocks; Commit calls it before saving
// the state (an error stops the node: the ABCI contract for storage).
func (a *App) flushPayloads() error {
	blocks := a.payloads.pending
	a.payloads.pending = nil
	if len(blocks) == 0 || a.opts.Payloads == nil {
		return nil
	}
	start := time.Now()
	if err := a.opts.Payloads.PutPayloadBlocks(context.Background(), blocks); err != nil {
		return fmt.Errorf("payload blocks: %w", err)
	}
	a.log.Debug("payload blocks stored", "blocks", len(blocks), "took", time.Since(start))
	return nil
}

// afterCommit starts a background collection after a release, and every
// PayloadGCInterval heights.
func (a *App) afterCommit(version int64) {
	released := a.payloads.released
	a.payloads.released = false
	if a.opts.Payloads == nil || (!released && version%PayloadGCInterval != 0) {
		return
	}
	if !a.payloads.gcBusy.CompareAndSwap(false, true) {
		return
	}
	a.payloads.gcWG.Add(1)
	go func() {
		defer a.payloads.gcWG.Done()
		defer a.payloads.gcBusy.Store(false)
		st, err := a.PayloadGC(context.Background())
		if err != nil {
			a.log.Error("payload gc", "err", err)
			return
		}
		a.log.Info("payload gc", "height", version, "blocks", st.Blocks, "removed", st.Removed)
	}()
}

// ErrNoPayloadStore is returned by PayloadGC when the app has none.
var ErrNoPayloadStore = errors.New("app: no payload store configured")

// PayloadGC deletes every stored block the committed state no longer
// retains (registry.PayloadRetained): blocks of payloads without a live
// publication whose upload is older than the staging window, and blocks
// the chain never recorded. The collection starts under the state lock,
// so every block written by a later Commit is protected.
func (a *App) PayloadGC(ctx context.Context) (cas.GCStats, error) {
	if a.opts.Payloads == nil {
		return cas.GCStats{}, ErrNoPayloadStore
	}
	a.mu.RLock()
	gc, err := a.opts.Payloads.StartGC()
	version := a.tree.Version()
	a.mu.RUnlock()
	if err != nil {
		return cas.GCStats{}, err
	}
	if version == 0 {
		gc.Abort()
		return cas.GCStats{}, nil
	}
	imm, err := a.version(version)
	if err != nil {
		gc.Abort()
		return cas.GCStats{}, err
	}
	keep := map[string]struct{}{}
	err = registry.PayloadRetained(readStore{imm}, uint64(version)+1, func(c []byte) error {
		keep[string(c[2:])] = struct{}{} // the multihash: 0x12 0x20 digest
		return nil
	})
	if err != nil {
		gc.Abort()
		return cas.GCStats{}, err
	}
	return gc.Sweep(ctx, func(m []byte) bool {
		_, ok := keep[string(m)]
		return ok
	})
}

// LivePayloads lists the root CIDs with a live publication at the last
// committed height.
func (a *App) LivePayloads() ([]string, error) {
	imm, err := a.version(0)
	if err != nil {
		return nil, err
	}
	roots, err := registry.PayloadLiveRoots(readStore{imm})
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(roots))
	for _, r := range roots {
		out = append(out, registry.FormatPayloadCID(r))
	}
	return out, nil
}

package app

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"sync"
	"time"

	abci "github.com/cometbft/cometbft/abci/types"
	"github.com/cosmos/iavl"
	iavldb "github.com/cosmos/iavl/db"
	"github.com/syndtr/goleveldb/leveldb/filter"
	"github.com/syndtr/goleveldb/leveldb/opt"

	"github.com/danangchain/danangchain/registry"
)

// Version is the application protocol version reported in Info.
const Version = registry.AppProtocolVersion

// Options configure an App.
type Options struct {
	// Dir holds the IAVL database and snapshots.
	Dir string
	// ChainID must equal the genesis chain id.
	ChainID string
	// CacheSize is the IAVL node cache size (nodes).
	CacheSize int
	// DBCacheMiB adds a goleveldb block cache of this many MiB (0 = none:
	// index and filter blocks pinned per table, data from the page cache).
	DBCacheMiB int
	// SnapshotInterval takes a state-sync snapshot every N heights (0 = off).
	SnapshotInterval uint64
	// MaxSnapshotChunks bounds the chunks of a snapshot offered by a peer
	// (0: DefaultMaxSnapshotChunks).
	MaxSnapshotChunks uint32
	// SnapshotKeepRecent is how many snapshots to keep.
	SnapshotKeepRecent int
	// RetainBlocks lets CometBFT prune blocks older than N heights (0 = keep all).
	RetainBlocks uint64
	// KeepVersions keeps the last N state versions and deletes older ones
	// after each commit (0 = keep every version: an archive node). At
	// least MinKeepVersions are kept (rollback needs the previous one).
	KeepVersions int64
	// Logger receives structured logs (nil = discard).
	Logger *slog.Logger
	// Metrics records app metrics (nil = none).
	Metrics *Metrics
	// SoftwareVersion is reported in Info.
	SoftwareVersion string
	// Payloads receives the payload blocks of each committed block, before
	// its state is saved (nil = not kept; see payload.go).
	Payloads PayloadStore
}

// DefaultOptions returns production defaults for dir and chainID.
func DefaultOptions(dir, chainID string) Options {
	return Options{Dir: dir, ChainID: chainID, CacheSize: 500_000, SnapshotInterval: 1000, SnapshotKeepRecent: 2}
}

// App is the ABCI application.
type App struct {
	abci.BaseApplication

	opts Options
	log  *slog.Logger
	db   *iavldb.GoLevelDB

	// mu guards tree against concurrent reads from outside CometBFT's
	// serialized ABCI connection (the API server, snapshots).
	mu   sync.RWMutex
	tree *iavl.MutableTree
	// reader reads committed versions for Get, Range and snapshots, which
	// run outside mu once they hold an ImmutableTree. It has its own node
	// cache: an ImmutableTree from tree.GetImmutable shares node objects
	// with the working tree, whose Set rewrites their child pointers
	// (iavl Node.clone), a data race with any concurrent reader. It is
	// never written and skips fast storage (whose cache would go stale).
	reader *iavl.MutableTree

	// check state: an overlay over the last committed version, reset on Commit.
	check     *overlay
	lastTime  time.Time
	sigCache  *verifiedCache
	blockVals []registry.ValidatorUpdate

	snapshots *snapshotStore
	restore   *restoreState
	metrics   *Metrics
	payloads  payloadState
}

var _ abci.Application = (*App)(nil)

// New opens (or creates) the state database in opts.Dir.
func New(opts Options) (*App, error) {
	if opts.ChainID == "" {
		return nil, errors.New("app: chain id required")
	}
	if opts.CacheSize <= 0 {
		opts.CacheSize = 500_000
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	db, tree, reader, err := openState(opts)
	if err != nil {
		return nil, err
	}
	snaps, err := newSnapshotStore(filepath.Join(opts.Dir, "snapshots"), opts.SnapshotKeepRecent)
	if err != nil {
		db.Close()
		return nil, err
	}
	a := &App{opts: opts, log: opts.Logger, db: db, tree: tree, reader: reader, sigCache: newVerifiedCache(200_000),
		snapshots: snaps, metrics: opts.Metrics}
	a.resetCheck()
	if a.metrics != nil {
		a.metrics.Height.Set(float64(tree.Version()))
	}
	return a, nil
}

// stateDBName is the state database's name in Options.Dir (a directory
// stateDBName+".db").
const stateDBName = "state"

// openState opens the state database, loads its latest version and makes
// the read-only handle on it (see App.reader).
func openState(opts Options) (*iavldb.GoLevelDB, *iavl.MutableTree, *iavl.MutableTree, error) {
	db, err := iavldb.NewGoLevelDBWithOpts(stateDBName, opts.Dir, levelDBOptions(opts))
	if err != nil {
		return nil, nil, nil, fmt.Errorf("app: open state db: %w", err)
	}
	tree := iavl.NewMutableTree(db, opts.CacheSize, false, iavl.NewNopLogger(), iavl.SyncOption(true))
	if tree, _, err = loadLatest(db, tree, opts); err != nil {
		db.Close()
		return nil, nil, nil, fmt.Errorf("app: load state: %w", err)
	}
	reader := iavl.NewMutableTree(db, opts.CacheSize, true, iavl.NewNopLogger())
	return db, tree, reader, nil
}

// levelDBOptions sizes goleveldb for a large IAVL state. goleveldb keeps
// the index and filter blocks of each table in its block cache when it has
// one, beside the data blocks: at 10^7 records random node reads evict
// them and every Get re-reads ~50 KB of them (measured: 0.6-2.6 GB/s of
// reads from the page cache). Without a block cache, each open table pins
// its index and filter blocks in memory (~50 KB per 4 MiB table, ~200 MB
// for a 15 GB state) and a Get reads one 8 KiB data block from the OS
// page cache. Tables stay small (4 MiB) so their index blocks do too, the
// open-table cache holds every table of a large state, and a 64 MiB write
// buffer means fewer level-0 flushes. DBCacheMiB > 0 adds a block cache.
func levelDBOptions(opts Options) *opt.Options {
	o := &opt.Options{
		Filter:                 filter.NewBloomFilter(10),
		BlockSize:              8 * opt.KiB,
		WriteBuffer:            64 * opt.MiB,
		CompactionTableSize:    4 * opt.MiB,
		OpenFilesCacheCapacity: 8192,
		DisableBlockCache:      true,
	}
	if opts.DBCacheMiB > 0 {
		o.DisableBlockCache = false
		o.BlockCacheCapacity = opts.DBCacheMiB * opt.MiB
	}
	return o
}

// Close flushes and closes the database.
func (a *App) Close() error {
	a.snapshots.wait()
	a.payloads.gcWG.Wait()
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.db.Close()
}

// Height returns the last committed height.
func (a *App) Height() int64 {
	a.mu.RLock()
	defer a.mu.RUnlock()
	return a.tree.Version()
}

func (a *App) resetCheck() {
	v := a.tree.Version()
	if v == 0 {
		// Before the first commit, check against the working tree (genesis).
		a.check = newOverlay(treeStore{a.tree})
		return
	}
	imm, err := a.tree.GetImmutable(v)
	if err != nil {
		a.check = newOverlay(treeStore{a.tree})
		return
	}
	a.check = newOverlay(readStore{imm})
}

// Info reports the last committed state.
func (a *App) Info(_ context.Context, _ *abci.RequestInfo) (*abci.ResponseInfo, error) {
	a.mu.RLock()
	defer a.mu.RUnlock()
	resp := &abci.ResponseInfo{Data: "danangchain", Version: a.opts.SoftwareVersion, AppVersion: Version,
		LastBlockHeight: a.tree.Version()}
	if resp.LastBlockHeight > 0 {
		resp.LastBlockAppHash = a.tree.Hash()
	}
	return resp, nil
}

// InitChain writes the genesis state into the working tree.
func (a *App) InitChain(_ context.Context, req *abci.RequestInitChain) (*abci.ResponseInitChain, error) {
	if req.ChainId != a.opts.ChainID {
		return nil, fmt.Errorf("genesis chain id %q, configured %q", req.ChainId, a.opts.ChainID)
	}
	var g registry.GenesisState
	if err := json.Unmarshal(req.AppStateBytes, &g); err != nil {
		return nil, fmt.Errorf("parse app_state: %w", err)
	}
	vals := make([]registry.ValidatorUpdate, 0, len(req.Validators))
	for _, v := range req.Validators {
		pk := v.PubKey.GetEd25519()
		if len(pk) != registry.PubKeySize || v.Power <= 0 {
			return nil, fmt.Errorf("genesis validator: need an ed25519 key and positive power")
		}
		vals = append(vals, registry.ValidatorUpdate{PubKey: pk, Power: uint64(v.Power)})
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if req.InitialHeight > 1 {
		a.tree.SetInitialVersion(uint64(req.InitialHeight))
	}
	ctx := registry.Context{ChainID: req.ChainId, Height: uint64(req.InitialHeight), Time: req.Time}
	if err := registry.InitGenesis(ctx, treeStore{a.tree}, &g, vals); err != nil {
		return nil, fmt.Errorf("init genesis: %w", err)
	}
	a.lastTime = req.Time
	a.resetCheck()
	return &abci.ResponseInitChain{AppHash: a.tree.WorkingHash()}, nil
}

// decodeValid decodes tx bytes and runs the stateless checks, remembering
// txs that passed so that their signatures are verified once per node.
func (a *App) decodeValid(b []byte) (*registry.Tx, error) {
	tx, err := registry.DecodeTx(b)
	if err != nil {
		return nil, err
	}
	h := sha256.Sum256(b)
	if a.sigCache.has(h) {
		return tx, nil
	}
	if err := tx.ValidateBasic(a.opts.ChainID); err != nil {
		return nil, err
	}
	if err := checkPayloadTx(tx); err != nil {
		return nil, err
	}
	a.sigCache.add(h)
	return tx, nil
}

// CheckTx runs every check against the last committed state plus the txs
// already admitted to the mempool. It is advisory.
func (a *App) CheckTx(_ context.Context, req *abci.RequestCheckTx) (*abci.ResponseCheckTx, error) {
	tx, err := a.decodeValid(req.Tx)
	if err == nil {
		a.mu.RLock()
		ctx := registry.Context{ChainID: a.opts.ChainID, Height: uint64(a.tree.Version()) + 1, Time: a.lastTime}
		a.mu.RUnlock()
		ov := newOverlay(a.check)
		if req.Type == abci.CheckTxType_Recheck {
			// After each commit CometBFT rechecks the whole mempool: only
			// what a commit can change for an admitted tx is checked again
			// (expiry, replay, key and agency standing). PrepareProposal
			// and FinalizeBlock still run everything.
			if _, err = registry.Authenticate(ctx, registry.NewState(ov), tx); err == nil {
				err = ov.Set(tx.ReplayKey(), []byte{1})
			}
		} else if _, err = registry.Deliver(ctx, ov, tx); err == nil {
			err = ov.Write()
		}
		if err == nil && req.Type == abci.CheckTxType_Recheck {
			err = ov.Write()
		}
	}
	if err != nil {
		cs, code := registry.ABCICode(err)
		a.metrics.rejected("check", code)
		if !registry.IsDomain(err) {
			a.log.Error("check tx: internal error", "err", err)
		}
		return &abci.ResponseCheckTx{Code: code, Codespace: cs, Log: registry.PublicText(err)}, nil
	}
	return &abci.ResponseCheckTx{Code: abci.CodeTypeOK}, nil
}

// PrepareProposal keeps the mempool's order, drops txs that fail the
// stateless checks or would fail against the proposal's state, and respects
// the byte limit.
func (a *App) PrepareProposal(_ context.Context, req *abci.RequestPrepareProposal) (*abci.ResponsePrepareProposal, error) {
	a.mu.RLock()
	defer a.mu.RUnlock()
	ctx := registry.Context{ChainID: a.opts.ChainID, Height: uint64(req.Height), Time: req.Time}
	sim := newOverlay(treeStore{a.tree})
	if err := registry.BeginBlock(ctx, sim); err != nil {
		return nil, err
	}
	out := make([][]byte, 0, len(req.Txs))
	var size int64
	for _, b := range req.Txs {
		if size+int64(len(b)) > req.MaxTxBytes {
			break
		}
		tx, err := a.decodeValid(b)
		if err != nil {
			continue
		}
		ov := newOverlay(sim)
		if _, err := registry.Deliver(ctx, ov, tx); err != nil {
			if !registry.IsDomain(err) {
				return nil, err
			}
			continue
		}
		if err := ov.Write(); err != nil {
			return nil, err
		}
		size += int64(len(b))
		out = append(out, b)
	}
	return &abci.ResponsePrepareProposal{Txs: out}, nil
}

// ProcessProposal rejects a block if any tx fails the stateless checks.
func (a *App) ProcessProposal(_ context.Context, req *abci.RequestProcessProposal) (*abci.ResponseProcessProposal, error) {
	for _, b := range req.Txs {
		if _, err := a.decodeValid(b); err != nil {
			a.log.Warn("rejecting proposal", "height", req.Height, "err", err)
			return &abci.ResponseProcessProposal{Status: abci.ResponseProcessProposal_REJECT}, nil
		}
	}
	return &abci.ResponseProcessProposal{Status: abci.ResponseProcessProposal_ACCEPT}, nil
}

// FinalizeBlock executes the block's txs on the working tree.
func (a *App) FinalizeBlock(_ context.Context, req *abci.RequestFinalizeBlock) (resp *abci.ResponseFinalizeBlock, err error) {
	start := time.Now()
	defer func() {
		// No panic may take a node down half-way through a block: turn it
		// into an error, which stops the node cleanly (ABCI contract).
		if r := recover(); r != nil {
			resp, err = nil, fmt.Errorf("finalize block %d: panic: %v", req.Height, r)
		}
	}()
	a.mu.Lock()
	defer a.mu.Unlock()
	ctx := registry.Context{ChainID: a.opts.ChainID, Height: uint64(req.Height), Time: req.Time}
	store := treeStore{a.tree}
	if err := registry.BeginBlock(ctx, store); err != nil {
		return nil, fmt.Errorf("begin block %d: %w", req.Height, err)
	}
	results := make([]*abci.ExecTxResult, len(req.Txs))
	a.blockVals = a.blockVals[:0]
	a.payloads.pending, a.payloads.released = nil, false
	for i, b := range req.Txs {
		res, err := a.deliver(ctx, store, b)
		if err != nil {
			if !registry.IsDomain(err) {
				return nil, fmt.Errorf("block %d tx %d: %w", req.Height, i, err)
			}
			cs, code := registry.ABCICode(err)
			a.metrics.rejected("deliver", code)
			results[i] = &abci.ExecTxResult{Code: code, Codespace: cs, Log: err.Error()}
			continue
		}
		results[i] = &abci.ExecTxResult{Code: abci.CodeTypeOK, Data: res.Data, Log: res.Log, Events: toABCIEvents(res.Events)}
		a.blockVals = mergeValUpdates(a.blockVals, res.ValidatorUpdates)
	}
	a.lastTime = req.Time
	vu := make([]abci.ValidatorUpdate, 0, len(a.blockVals))
	for _, v := range a.blockVals {
		vu = append(vu, abci.UpdateValidator(v.PubKey, int64(v.Power), "ed25519"))
	}
	if a.metrics != nil {
		a.metrics.BlockTxs.Observe(float64(len(req.Txs)))
		a.metrics.FinalizeSeconds.Observe(time.Since(start).Seconds())
	}
	return &abci.ResponseFinalizeBlock{TxResults: results, ValidatorUpdates: vu, AppHash: a.tree.WorkingHash()}, nil
}

func (a *App) deliver(ctx registry.Context, store registry.Store, b []byte) (*registry.Result, error) {
	tx, err := a.decodeValid(b)
	if err != nil {
		return nil, err
	}
	ov := newOverlay(store)
	res, err := registry.Deliver(ctx, ov, tx)
	if err != nil {
		return nil, err
	}
	if err := ov.Write(); err != nil {
		return nil, err
	}
	a.stagePayload(tx)
	a.metrics.accepted(registry.MsgName(tx.Msg.Type()))
	a.metrics.observe(res.Events)
	return res, nil
}

// mergeValUpdates keeps one update per key (the last), in first-seen order.
func mergeValUpdates(acc, more []registry.ValidatorUpdate) []registry.ValidatorUpdate {
	for _, u := range more {
		replaced := false
		for i := range acc {
			if string(acc[i].PubKey) == string(u.PubKey) {
				acc[i] = u
				replaced = true
				break
			}
		}
		if !replaced {
			acc = append(acc, u)
		}
	}
	return acc
}

// indexedAttrs are the event attributes CometBFT's tx indexer indexes
// (each indexed attribute costs a database write per tx on every node).
var indexedAttrs = map[string]bool{"hash": true, "id": true, "proposal": true, "agency": true, "signer": true}

func toABCIEvents(evs []registry.Event) []abci.Event {
	out := make([]abci.Event, 0, len(evs))
	for _, e := range evs {
		ev := abci.Event{Type: e.Type}
		for _, at := range e.Attrs {
			ev.Attributes = append(ev.Attributes, abci.EventAttribute{Key: at.Key, Value: at.Value, Index: indexedAttrs[at.Key]})
		}
		out = append(out, ev)
	}
	return out
}

// Commit saves the working tree as a new version (fsynced).
func (a *App) Commit(_ context.Context, _ *abci.RequestCommit) (*abci.ResponseCommit, error) {
	start := time.Now()
	a.mu.Lock()
	if err := a.flushPayloads(); err != nil { // blocks before the state that names them
		a.mu.Unlock()
		return nil, fmt.Errorf("commit: %w", err)
	}
	_, version, err := a.tree.SaveVersion()
	if err != nil {
		a.mu.Unlock()
		return nil, fmt.Errorf("commit: save version: %w", err)
	}
	a.resetCheck()
	a.mu.Unlock()
	if a.metrics != nil {
		a.metrics.Height.Set(float64(version))
		a.metrics.CommitSeconds.Observe(time.Since(start).Seconds())
	}
	a.pruneVersions(version)
	if a.opts.SnapshotInterval > 0 && uint64(version)%a.opts.SnapshotInterval == 0 {
		a.takeSnapshot(version)
	}
	a.afterCommit(version)
	resp := &abci.ResponseCommit{}
	if a.opts.RetainBlocks > 0 && uint64(version) > a.opts.RetainBlocks {
		resp.RetainHeight = version - int64(a.opts.RetainBlocks) + 1
		// Never prune below the oldest snapshot we still serve.
		if oldest := a.snapshots.oldest(); oldest > 0 && int64(oldest) < resp.RetainHeight {
			resp.RetainHeight = int64(oldest)
		}
	}
	return resp, nil
}

// MinKeepVersions is the fewest state versions a pruning node keeps.
const MinKeepVersions = 2

// pruneVersions deletes the state versions older than the last
// KeepVersions. It never changes the app hash (only history goes). While a
// snapshot or a payload GC reads an older version in the background it
// waits: the next commit deletes everything due at once.
func (a *App) pruneVersions(version int64) {
	keep := a.opts.KeepVersions
	if keep <= 0 {
		return
	}
	keep = max(keep, MinKeepVersions)
	to := version - keep
	if to < 1 {
		return
	}
	a.snapshots.mu.Lock()
	busy := a.snapshots.busy
	a.snapshots.mu.Unlock()
	if busy || a.payloads.gcBusy.Load() {
		return
	}
	start := time.Now()
	a.mu.Lock()
	err := a.tree.DeleteVersionsTo(to)
	a.mu.Unlock()
	if err != nil {
		a.log.Error("prune state versions", "to", to, "err", err)
		return
	}
	if a.metrics != nil {
		a.metrics.PruneSeconds.Observe(time.Since(start).Seconds())
	}
}

// verifiedCache remembers hashes of txs that passed ValidateBasic. It is a
// pure-function cache: it never changes a result, only saves work.
type verifiedCache struct {
	mu  sync.Mutex
	max int
	m   map[[32]byte]struct{}
}

func newVerifiedCache(max int) *verifiedCache {
	return &verifiedCache{max: max, m: make(map[[32]byte]struct{})}
}

func (c *verifiedCache) has(h [32]byte) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	_, ok := c.m[h]
	return ok
}

func (c *verifiedCache) add(h [32]byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.m) >= c.max {
		clear(c.m)
	}
	c.m[h] = struct{}{}
}

package app

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"sync"

	abci "github.com/cometbft/cometbft/abci/types"
	"github.com/cosmos/iavl"
	iavldb "github.com/cosmos/iavl/db"

	"github.com/danangchain/danangchain/registry"
)

// Snapshot format 1: the IAVL export stream of one version, each node as
// (height, version, key, has_value, value) in the canonical encoding, cut
// into chunks of at most SnapshotChunkSize bytes. The snapshot's metadata
// is the concatenation of the chunks' SHA-256 hashes and its hash is
// SHA-256(metadata), so every chunk is checked before it is applied.
const (
	SnapshotFormat    = 1
	SnapshotChunkSize = 4 << 20
)

type snapshotMeta struct {
	Height   uint64 `json:"height"`
	Format   uint32 `json:"format"`
	Chunks   uint32 `json:"chunks"`
	Hash     []byte `json:"hash"`
	Metadata []byte `json:"metadata"`
}

type snapshotStore struct {
	dir  string
	keep int
	mu   sync.Mutex
	busy bool
	wg   sync.WaitGroup
}

func newSnapshotStore(dir string, keep int) (*snapshotStore, error) {
	if keep <= 0 {
		keep = 2
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("snapshots: %w", err)
	}
	return &snapshotStore{dir: dir, keep: keep}, nil
}

func (s *snapshotStore) wait() { s.wg.Wait() }

func (s *snapshotStore) list() ([]snapshotMeta, error) {
	entries, err := os.ReadDir(s.dir)
	if err != nil {
		return nil, err
	}
	var out []snapshotMeta
	for _, e := range entries {
		if _, err := strconv.ParseUint(e.Name(), 10, 64); err != nil || !e.IsDir() {
			continue
		}
		b, err := os.ReadFile(filepath.Join(s.dir, e.Name(), "meta.json"))
		if err != nil {
			continue
		}
		var m snapshotMeta
		if json.Unmarshal(b, &m) == nil {
			out = append(out, m)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Height > out[j].Height })
	return out, nil
}

func (s *snapshotStore) oldest() uint64 {
	l, err := s.list()
	if err != nil || len(l) == 0 {
		return 0
	}
	return l[len(l)-1].Height
}

func (s *snapshotStore) chunk(height uint64, format, index uint32) ([]byte, error) {
	if format != SnapshotFormat {
		return nil, errors.New("unknown format")
	}
	return os.ReadFile(filepath.Join(s.dir, strconv.FormatUint(height, 10), fmt.Sprintf("chunk-%05d", index)))
}

// write exports imm into a new snapshot directory, atomically.
func (s *snapshotStore) write(imm *iavl.ImmutableTree) (err error) {
	height := uint64(imm.Version())
	final := filepath.Join(s.dir, strconv.FormatUint(height, 10))
	if _, err := os.Stat(final); err == nil {
		return nil
	}
	tmp, err := os.MkdirTemp(s.dir, "tmp-")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			os.RemoveAll(tmp)
		}
	}()
	exp, err := imm.Export()
	if err != nil {
		return err
	}
	defer exp.Close()
	var meta bytes.Buffer
	var chunks uint32
	buf := registry.NewEncoder(SnapshotChunkSize + 4096)
	flush := func() error {
		if len(buf.Out()) == 0 {
			return nil
		}
		h := sha256.Sum256(buf.Out())
		meta.Write(h[:])
		if err := writeFileSync(filepath.Join(tmp, fmt.Sprintf("chunk-%05d", chunks)), buf.Out()); err != nil {
			return err
		}
		chunks++
		buf = registry.NewEncoder(SnapshotChunkSize + 4096)
		return nil
	}
	for {
		n, err := exp.Next()
		if errors.Is(err, iavl.ErrorExportDone) {
			break
		}
		if err != nil {
			return err
		}
		encodeExportNode(buf, n)
		if len(buf.Out()) >= SnapshotChunkSize {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	if err := flush(); err != nil {
		return err
	}
	h := sha256.Sum256(meta.Bytes())
	m := snapshotMeta{Height: height, Format: SnapshotFormat, Chunks: chunks, Hash: h[:], Metadata: meta.Bytes()}
	b, _ := json.Marshal(m)
	if err := writeFileSync(filepath.Join(tmp, "meta.json"), b); err != nil {
		return err
	}
	if err := os.Rename(tmp, final); err != nil {
		return err
	}
	return s.prune()
}

func (s *snapshotStore) prune() error {
	l, err := s.list()
	if err != nil {
		return err
	}
	for i := s.keep; i < len(l); i++ {
		os.RemoveAll(filepath.Join(s.dir, strconv.FormatUint(l[i].Height, 10)))
	}
	return nil
}

func writeFileSync(path string, b []byte) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func encodeExportNode(e *registry.Encoder, n *iavl.ExportNode) {
	e.Uint(uint64(uint8(n.Height)))
	e.Uint(uint64(n.Version))
	e.Bytes(n.Key)
	e.Bool(n.Value != nil)
	if n.Value != nil {
		e.Bytes(n.Value)
	}
}

func decodeExportNode(d *registry.Decoder) *iavl.ExportNode {
	n := &iavl.ExportNode{Height: int8(uint8(d.Uint())), Version: int64(d.Uint()), Key: d.Bytes()}
	if d.Bool() {
		n.Value = d.Bytes()
	}
	return n
}

// takeSnapshot exports version in the background; at most one at a time.
func (a *App) takeSnapshot(version int64) {
	s := a.snapshots
	s.mu.Lock()
	if s.busy {
		s.mu.Unlock()
		a.log.Info("snapshot skipped: previous one still running", "height", version)
		return
	}
	s.busy = true
	s.mu.Unlock()
	a.mu.RLock()
	imm, err := a.reader.GetImmutable(version)
	a.mu.RUnlock()
	if err != nil {
		s.mu.Lock()
		s.busy = false
		s.mu.Unlock()
		a.log.Error("snapshot failed", "height", version, "err", err)
		return
	}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		defer func() { s.mu.Lock(); s.busy = false; s.mu.Unlock() }()
		if err := s.write(imm); err != nil {
			a.log.Error("snapshot failed", "height", version, "err", err)
			return
		}
		if a.metrics != nil {
			a.metrics.Snapshots.Inc()
		}
		a.log.Info("snapshot taken", "height", version)
	}()
}

// ListSnapshots lists the local snapshots, newest first.
func (a *App) ListSnapshots(_ context.Context, _ *abci.RequestListSnapshots) (*abci.ResponseListSnapshots, error) {
	l, err := a.snapshots.list()
	if err != nil {
		return nil, err
	}
	resp := &abci.ResponseListSnapshots{}
	for _, m := range l {
		resp.Snapshots = append(resp.Snapshots, &abci.Snapshot{Height: m.Height, Format: m.Format, Chunks: m.Chunks, Hash: m.Hash, Metadata: m.Metadata})
	}
	return resp, nil
}

// LoadSnapshotChunk serves one chunk.
func (a *App) LoadSnapshotChunk(_ context.Context, req *abci.RequestLoadSnapshotChunk) (*abci.ResponseLoadSnapshotChunk, error) {
	b, err := a.snapshots.chunk(req.Height, req.Format, req.Chunk)
	if err != nil {
		return &abci.ResponseLoadSnapshotChunk{}, nil
	}
	return &abci.ResponseLoadSnapshotChunk{Chunk: b}, nil
}

type restoreState struct {
	snap    *abci.Snapshot
	appHash []byte
	hashes  [][]byte
	next    uint32
	// imp receives each chunk's nodes as the chunk arrives, so a restore
	// holds one chunk in memory, whatever the state's size.
	imp *iavl.Importer
}

// DefaultMaxSnapshotChunks: 16,384 chunks of 4 MiB, 64 GiB of state.
const DefaultMaxSnapshotChunks = 16384

// maxChunkBytes bounds one chunk: a chunk is cut after the node that
// reaches SnapshotChunkSize, and no node is larger than that.
const maxChunkBytes = 2 * SnapshotChunkSize

// OfferSnapshot accepts a well-formed snapshot of our format when the
// local state is empty and its chunk count is within the bound.
func (a *App) OfferSnapshot(_ context.Context, req *abci.RequestOfferSnapshot) (*abci.ResponseOfferSnapshot, error) {
	s := req.Snapshot
	if s == nil || s.Format != SnapshotFormat {
		return &abci.ResponseOfferSnapshot{Result: abci.ResponseOfferSnapshot_REJECT_FORMAT}, nil
	}
	maxChunks := a.opts.MaxSnapshotChunks
	if maxChunks == 0 {
		maxChunks = DefaultMaxSnapshotChunks
	}
	if s.Chunks == 0 || s.Chunks > maxChunks || len(s.Metadata) != int(s.Chunks)*sha256.Size {
		return &abci.ResponseOfferSnapshot{Result: abci.ResponseOfferSnapshot_REJECT}, nil
	}
	if h := sha256.Sum256(s.Metadata); !bytes.Equal(h[:], s.Hash) {
		return &abci.ResponseOfferSnapshot{Result: abci.ResponseOfferSnapshot_REJECT}, nil
	}
	if err := a.abandonRestore(); err != nil {
		return nil, err
	}
	a.mu.RLock()
	empty := a.tree.Version() == 0
	a.mu.RUnlock()
	if !empty {
		return &abci.ResponseOfferSnapshot{Result: abci.ResponseOfferSnapshot_ABORT}, nil
	}
	rs := &restoreState{snap: s, appHash: req.AppHash}
	for i := 0; i < int(s.Chunks); i++ {
		rs.hashes = append(rs.hashes, s.Metadata[i*sha256.Size:(i+1)*sha256.Size])
	}
	a.restore = rs
	return &abci.ResponseOfferSnapshot{Result: abci.ResponseOfferSnapshot_ACCEPT}, nil
}

// abandonRestore drops a restore that was under way (CometBFT offers
// another snapshot after a rejection): its partial import is discarded
// and the state is empty again.
func (a *App) abandonRestore() error {
	rs := a.restore
	a.restore = nil
	if rs == nil || rs.imp == nil {
		return nil
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	rs.imp.Close()
	if err := a.resetEmptyState(); err != nil {
		return fmt.Errorf("%w: %v", errResetState, err)
	}
	return nil
}

// ApplySnapshotChunk checks a chunk's size and hash, imports its nodes and,
// after the last chunk, checks the tree's root against the trusted app
// hash.
func (a *App) ApplySnapshotChunk(_ context.Context, req *abci.RequestApplySnapshotChunk) (*abci.ResponseApplySnapshotChunk, error) {
	rs := a.restore
	if rs == nil {
		return &abci.ResponseApplySnapshotChunk{Result: abci.ResponseApplySnapshotChunk_ABORT}, nil
	}
	if req.Index != rs.next {
		return &abci.ResponseApplySnapshotChunk{Result: abci.ResponseApplySnapshotChunk_RETRY, RefetchChunks: []uint32{rs.next}}, nil
	}
	if len(req.Chunk) > maxChunkBytes {
		return &abci.ResponseApplySnapshotChunk{Result: abci.ResponseApplySnapshotChunk_RETRY,
			RefetchChunks: []uint32{req.Index}, RejectSenders: []string{req.Sender}}, nil
	}
	if h := sha256.Sum256(req.Chunk); !bytes.Equal(h[:], rs.hashes[req.Index]) {
		return &abci.ResponseApplySnapshotChunk{Result: abci.ResponseApplySnapshotChunk_RETRY,
			RefetchChunks: []uint32{req.Index}, RejectSenders: []string{req.Sender}}, nil
	}
	err := a.importChunk(rs, req.Chunk)
	if err == nil {
		rs.next++
		if rs.next < rs.snap.Chunks {
			return &abci.ResponseApplySnapshotChunk{Result: abci.ResponseApplySnapshotChunk_ACCEPT}, nil
		}
		err = a.finishRestore(rs)
	}
	a.restore = nil
	if err != nil {
		a.log.Error("snapshot restore failed", "height", rs.snap.Height, "chunk", req.Index, "err", err)
		if errors.Is(err, errResetState) {
			// The state db is in an unknown condition: stop the node.
			return nil, err
		}
		return &abci.ResponseApplySnapshotChunk{Result: abci.ResponseApplySnapshotChunk_REJECT_SNAPSHOT}, nil
	}
	return &abci.ResponseApplySnapshotChunk{Result: abci.ResponseApplySnapshotChunk_ACCEPT}, nil
}

// errResetState marks a failure to roll back a failed restore.
var errResetState = errors.New("snapshot: cannot reset the state db after a failed restore")

// importChunk adds one verified chunk's nodes to the import (started by
// the first chunk). On failure the state goes back to empty, so that
// CometBFT can offer another snapshot and Info never reports an
// unverified state.
func (a *App) importChunk(rs *restoreState, chunk []byte) (err error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	defer func() {
		if err != nil {
			err = a.failRestore(rs, err)
		}
	}()
	if rs.imp == nil {
		if rs.imp, err = a.tree.Import(int64(rs.snap.Height)); err != nil {
			return err
		}
	}
	d := registry.NewDecoder(chunk)
	for {
		if err := d.Err(); err != nil {
			return err
		}
		if d.Finish() == nil {
			return nil
		}
		if err := rs.imp.Add(decodeExportNode(d)); err != nil {
			return err
		}
	}
}

// finishRestore commits the import and checks the root against the
// trusted app hash.
func (a *App) finishRestore(rs *restoreState) (err error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	defer func() {
		if err != nil {
			err = a.failRestore(rs, err)
		}
	}()
	if err := rs.imp.Commit(); err != nil {
		return err
	}
	rs.imp.Close()
	rs.imp = nil
	if _, err := a.tree.LoadVersion(int64(rs.snap.Height)); err != nil {
		return err
	}
	if !bytes.Equal(a.tree.Hash(), rs.appHash) {
		return fmt.Errorf("restored root %X != trusted app hash %X", a.tree.Hash(), rs.appHash)
	}
	a.resetCheck()
	return nil
}

// failRestore discards a failed restore and empties the state. The caller
// holds a.mu.
func (a *App) failRestore(rs *restoreState, cause error) error {
	if rs.imp != nil {
		rs.imp.Close()
		rs.imp = nil
	}
	if rerr := a.resetEmptyState(); rerr != nil {
		return fmt.Errorf("%w: %v (restore: %v)", errResetState, rerr, cause)
	}
	return cause
}

// resetEmptyState replaces the state db by an empty one. Only for a failed
// restore: OfferSnapshot accepts a snapshot only when no version exists.
// The caller holds a.mu.
func (a *App) resetEmptyState() error {
	if err := a.db.Close(); err != nil {
		return err
	}
	if err := os.RemoveAll(filepath.Join(a.opts.Dir, stateDBName+iavldb.DBFileSuffix)); err != nil {
		return err
	}
	db, tree, reader, err := openState(a.opts)
	if err != nil {
		return err
	}
	a.db, a.tree, a.reader = db, tree, reader
	a.resetCheck()
	return nil
}

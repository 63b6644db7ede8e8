package node

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	abci "github.com/cometbft/cometbft/abci/types"
	cmtcfg "github.com/cometbft/cometbft/config"
	rpchttp "github.com/cometbft/cometbft/rpc/client/http"
)

// ErrStateSyncFallback is returned by Run (and Start) when a node started
// with state sync found no snapshot it could restore within app.toml's
// statesync_fallback_after. The node is stopped and its state is still
// empty: start it again with Options.DisableStateSync to block-sync from
// genesis ('danangchain start' does so by itself).
var ErrStateSyncFallback = errors.New("state sync: no usable snapshot, falling back to block sync")

// stateSyncWatch wraps the application of a node that starts by state
// sync and notes restore progress, so that the node can give up when no
// snapshot comes (CometBFT v0.38 keeps discovering forever).
type stateSyncWatch struct {
	abci.Application
	height func() int64

	mu       sync.Mutex
	progress time.Time // start, or the last accepted offer or chunk
	gaveUp   bool
}

func newStateSyncWatch(a abci.Application, height func() int64) *stateSyncWatch {
	return &stateSyncWatch{Application: a, height: height, progress: time.Now()}
}

// OfferSnapshot implements abci.Application.
func (w *stateSyncWatch) OfferSnapshot(ctx context.Context, req *abci.RequestOfferSnapshot) (*abci.ResponseOfferSnapshot, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.gaveUp {
		return &abci.ResponseOfferSnapshot{Result: abci.ResponseOfferSnapshot_ABORT}, nil
	}
	resp, err := w.Application.OfferSnapshot(ctx, req)
	if err == nil && resp.Result == abci.ResponseOfferSnapshot_ACCEPT {
		w.progress = time.Now()
	}
	return resp, err
}

// ApplySnapshotChunk implements abci.Application.
func (w *stateSyncWatch) ApplySnapshotChunk(ctx context.Context, req *abci.RequestApplySnapshotChunk) (*abci.ResponseApplySnapshotChunk, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.gaveUp {
		return &abci.ResponseApplySnapshotChunk{Result: abci.ResponseApplySnapshotChunk_ABORT}, nil
	}
	resp, err := w.Application.ApplySnapshotChunk(ctx, req)
	if err == nil && resp.Result == abci.ResponseApplySnapshotChunk_ACCEPT {
		w.progress = time.Now()
	}
	return resp, err
}

// check reports whether the restore is done (the application has a
// state), or, when no progress was made for after, gives up for good:
// later offers and chunks are aborted, so no restore can start after
// check returned giveUp.
func (w *stateSyncWatch) check(after time.Duration) (done, giveUp bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.height() > 0 {
		return true, false
	}
	if time.Since(w.progress) < after {
		return false, false
	}
	w.gaveUp = true
	return false, true
}

// watchStateSync blocks until ctx ends (nil), the restore is done (nil) or
// no progress was made for after (ErrStateSyncFallback).
func (w *stateSyncWatch) watch(ctx context.Context, after time.Duration, blockHeight func() int64) error {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
		if blockHeight() > 0 {
			return nil
		}
		done, giveUp := w.check(after)
		if done {
			return nil
		}
		if giveUp {
			return ErrStateSyncFallback
		}
	}
}

// isStateSyncStartError recognises CometBFT's start failure when the
// light client of state sync cannot be set up (RPC servers unreachable or
// disagreeing with the trust hash).
func isStateSyncStartError(err error) bool {
	return err != nil && strings.Contains(err.Error(), "failed to start state sync")
}

// TrustPoint is a height and block hash that two or more RPC servers agree
// on: what [statesync] trust_height and trust_hash need.
type TrustPoint struct {
	Height  int64    `json:"trust_height"`
	Hash    string   `json:"trust_hash"`
	Servers []string `json:"rpc_servers"`
}

// FindTrustPoint asks every server for its latest height, takes the lowest
// minus back (at least 1), and fetches that block's hash from every
// server; they must all agree.
func FindTrustPoint(ctx context.Context, servers []string, back int64) (*TrustPoint, error) {
	if len(servers) < 2 {
		return nil, fmt.Errorf("state sync needs at least two RPC servers (got %d)", len(servers))
	}
	var clients []*rpchttp.HTTP
	latest := int64(-1)
	for _, s := range servers {
		if !strings.Contains(s, "://") {
			s = "http://" + s
		}
		c, err := rpchttp.New(s, "/websocket")
		if err != nil {
			return nil, fmt.Errorf("%s: %w", s, err)
		}
		st, err := c.Status(ctx)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", s, err)
		}
		if h := st.SyncInfo.LatestBlockHeight; latest < 0 || h < latest {
			latest = h
		}
		clients = append(clients, c)
	}
	h := max(latest-back, 1)
	var hash string
	for i, c := range clients {
		b, err := c.Block(ctx, &h)
		if err != nil {
			return nil, fmt.Errorf("%s: block %d: %w", servers[i], h, err)
		}
		got := b.BlockID.Hash.String()
		if hash != "" && got != hash {
			return nil, fmt.Errorf("servers disagree on block %d: %s has %s, %s has %s", h, servers[0], hash, servers[i], got)
		}
		hash = got
	}
	return &TrustPoint{Height: h, Hash: hash, Servers: servers}, nil
}

// EnableStateSync writes [statesync] enable, rpc_servers, trust_height,
// trust_hash and trust_period into home's config.toml.
func EnableStateSync(home string, tp *TrustPoint, trustPeriod time.Duration) (*cmtcfg.Config, error) {
	conf, err := LoadCometConfig(home)
	if err != nil {
		return nil, err
	}
	conf.StateSync.Enable = true
	conf.StateSync.RPCServers = tp.Servers
	conf.StateSync.TrustHeight = tp.Height
	conf.StateSync.TrustHash = tp.Hash
	if trustPeriod > 0 {
		conf.StateSync.TrustPeriod = trustPeriod
	}
	if err := conf.StateSync.ValidateBasic(); err != nil {
		return nil, err
	}
	cmtcfg.WriteConfigFile(configDir(home)+"/config.toml", conf)
	return conf, nil
}

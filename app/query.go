package app

import (
	"context"
	"fmt"

	abci "github.com/cometbft/cometbft/abci/types"
	cmtcrypto "github.com/cometbft/cometbft/proto/tendermint/crypto"
	"github.com/cosmos/iavl"

	"github.com/danangchain/danangchain/registry"
)

// The query wire contract lives in registry (registry/query.go); these
// names are kept for the application's own code and tests.
const (
	PathStore     = registry.QueryPathStore
	PathRange     = registry.QueryPathRange
	ProofOpType   = registry.ProofOpType
	MaxRangeLimit = registry.MaxRangeLimit
)

// KV is a state key and its value.
type KV = registry.KV

// version returns an immutable committed version (0 = latest).
func (a *App) version(height int64) (*iavl.ImmutableTree, error) {
	a.mu.RLock()
	defer a.mu.RUnlock()
	latest := a.tree.Version()
	if height == 0 {
		height = latest
	}
	if height <= 0 || height > latest {
		return nil, registry.Errorf(registry.ErrNotFound, "height %d not available (latest %d)", height, latest)
	}
	imm, err := a.reader.GetImmutable(height)
	if err != nil {
		return nil, registry.Errorf(registry.ErrNotFound, "height %d not available: %v", height, err)
	}
	return imm, nil
}

// StateAt is the committed state at height (0 = latest), read-only, as
// the registry reads it: for checks outside transactions (the notary
// API's key standing) with the same functions FinalizeBlock uses.
func (a *App) StateAt(height int64) (*registry.State, int64, error) {
	imm, err := a.version(height)
	if err != nil {
		return nil, 0, err
	}
	return registry.NewState(readStore{imm}), imm.Version(), nil
}

// Get reads key at height and, when prove is set, returns the ICS23 proof
// (membership if the value exists, non-membership otherwise), marshalled.
func (a *App) Get(height int64, key []byte, prove bool) (value, proof []byte, h int64, err error) {
	imm, err := a.version(height)
	if err != nil {
		return nil, nil, 0, err
	}
	value, err = imm.Get(key)
	if err != nil {
		return nil, nil, 0, err
	}
	if prove {
		cp, err := imm.GetProof(key)
		if err != nil {
			return nil, nil, 0, fmt.Errorf("proof: %w", err)
		}
		proof, err = cp.Marshal()
		if err != nil {
			return nil, nil, 0, err
		}
	}
	return value, proof, imm.Version(), nil
}

// Range lists up to limit keys in [start, end) at height.
func (a *App) Range(height int64, start, end []byte, limit int) ([]KV, int64, error) {
	imm, err := a.version(height)
	if err != nil {
		return nil, 0, err
	}
	if limit <= 0 || limit > MaxRangeLimit {
		limit = MaxRangeLimit
	}
	var out []KV
	err = iterate(imm, start, end, func(k, v []byte) (bool, error) {
		out = append(out, KV{Key: append([]byte(nil), k...), Value: append([]byte(nil), v...)})
		return len(out) >= limit, nil
	})
	return out, imm.Version(), err
}

// EncodeRangeRequest, EncodeKVs and DecodeKVs are registry's.
var (
	EncodeRangeRequest = registry.EncodeRangeRequest
	EncodeKVs          = registry.EncodeKVs
	DecodeKVs          = registry.DecodeKVs
)

// Query answers PathStore and PathRange.
func (a *App) Query(_ context.Context, req *abci.RequestQuery) (*abci.ResponseQuery, error) {
	fail := func(err error) (*abci.ResponseQuery, error) {
		cs, code := registry.ABCICode(err)
		if !registry.IsDomain(err) {
			a.log.Error("query: internal error", "path", req.Path, "err", err)
		}
		return &abci.ResponseQuery{Code: code, Codespace: cs, Log: registry.PublicText(err)}, nil
	}
	switch req.Path {
	case PathStore:
		if len(req.Data) == 0 || len(req.Data) > 1024 {
			return fail(registry.Errorf(registry.ErrInvalid, "key must be 1..1024 bytes"))
		}
		v, proof, h, err := a.Get(req.Height, req.Data, req.Prove)
		if err != nil {
			return fail(err)
		}
		resp := &abci.ResponseQuery{Key: req.Data, Value: v, Height: h}
		if proof != nil {
			resp.ProofOps = &cmtcrypto.ProofOps{Ops: []cmtcrypto.ProofOp{{Type: ProofOpType, Key: req.Data, Data: proof}}}
		}
		return resp, nil
	case PathRange:
		start, end, limit, err := registry.DecodeRangeRequest(req.Data)
		if err != nil {
			return fail(err)
		}
		if len(end) == 0 {
			end = nil
		}
		kvs, h, err := a.Range(req.Height, start, end, int(min(limit, MaxRangeLimit)))
		if err != nil {
			return fail(err)
		}
		return &abci.ResponseQuery{Value: EncodeKVs(kvs), Height: h}, nil
	}
	return fail(registry.Errorf(registry.ErrInvalid, "unknown query path %q", req.Path))
}

package client

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/cometbft/cometbft/light"
	lighthttp "github.com/cometbft/cometbft/light/provider/http"
	ctypes "github.com/cometbft/cometbft/rpc/core/types"
	"github.com/cometbft/cometbft/types"
	ics23 "github.com/cosmos/ics23/go"

	"github.com/danangchain/danangchain/registry"
)

// ProofOpType must match the app's proof op type.
const ProofOpType = "ics23:iavl"

// TrustingPeriod is how long a verified header stays a trust root. The
// chain is permissioned (no unbonding), so trust from genesis is kept long.
const TrustingPeriod = 10 * 365 * 24 * time.Hour

// Verifier follows the validator set from genesis with CometBFT's light
// client and checks headers before any proof is checked against them.
type Verifier struct {
	mu         sync.Mutex
	lc         *light.Client
	gen        *types.GenesisDoc
	closeStore func() error
}

// NewVerifier roots trust in genesis: the first block's commit must be
// signed by more than 2/3 of the genesis validators.
func NewVerifier(ctx context.Context, gen *types.GenesisDoc, nodeURL string) (*Verifier, error) {
	return NewVerifierWith(ctx, gen, nodeURL, Trust{})
}

// NewVerifierWith starts the light client from, in order of preference:
// the latest header of t.StoreDir (verified in an earlier run), the trust
// point t.Height/t.Hash, or genesis (block InitialHeight, which must be
// signed by >2/3 of the genesis validators). Witnesses (t.Witnesses, else
// the primary itself) cross-check every header the primary serves.
func NewVerifierWith(ctx context.Context, gen *types.GenesisDoc, nodeURL string, t Trust) (*Verifier, error) {
	if err := gen.ValidateAndComplete(); err != nil {
		return nil, fmt.Errorf("genesis: %w", err)
	}
	primary, err := lighthttp.New(gen.ChainID, nodeURL)
	if err != nil {
		return nil, err
	}
	var witnesses []providerT
	for _, u := range t.Witnesses {
		w, err := lighthttp.New(gen.ChainID, u)
		if err != nil {
			return nil, fmt.Errorf("witness %s: %w", u, err)
		}
		witnesses = append(witnesses, w)
	}
	if len(witnesses) == 0 {
		w, err := lighthttp.New(gen.ChainID, nodeURL)
		if err != nil {
			return nil, err
		}
		witnesses = append(witnesses, w)
	}
	store, closeStore, err := t.openStore(gen.ChainID)
	if err != nil {
		return nil, err
	}
	opts := []light.Option{light.Logger(nopLogger{}), light.MaxRetryAttempts(3)}
	var lc *light.Client
	switch last, _ := store.LastLightBlockHeight(); {
	case last > 0:
		lc, err = light.NewClientFromTrustedStore(gen.ChainID, TrustingPeriod, primary, witnesses, store, opts...)
	case t.Height > 0:
		if len(t.Hash) != 32 {
			closeStore()
			return nil, fmt.Errorf("trust point: need the 32-byte hash of header %d", t.Height)
		}
		lc, err = light.NewClient(ctx, gen.ChainID, light.TrustOptions{Period: TrustingPeriod, Height: t.Height, Hash: t.Hash},
			primary, witnesses, store, opts...)
	default:
		var hash []byte
		if hash, err = genesisBlockHash(ctx, gen, append([]providerT{primary}, witnesses...)); err != nil {
			closeStore()
			return nil, err
		}
		lc, err = light.NewClient(ctx, gen.ChainID, light.TrustOptions{Period: TrustingPeriod, Height: gen.InitialHeight, Hash: hash},
			primary, witnesses, store, opts...)
	}
	if err != nil {
		closeStore()
		return nil, fmt.Errorf("%w: light client: %v", registry.ErrProofInvalid, err)
	}
	return &Verifier{lc: lc, gen: gen, closeStore: closeStore}, nil
}

// genesisBlockHash returns the hash of the chain's first block, fetched
// from the first provider that has it and checked against the genesis
// validators (>2/3 of them signed its commit).
func genesisBlockHash(ctx context.Context, gen *types.GenesisDoc, providers []providerT) ([]byte, error) {
	first := gen.InitialHeight
	vals := make([]*types.Validator, 0, len(gen.Validators))
	for _, v := range gen.Validators {
		vals = append(vals, types.NewValidator(v.PubKey, v.Power))
	}
	gvs := types.NewValidatorSet(vals)
	var lastErr error
	for _, p := range providers {
		lb, err := p.LightBlock(ctx, first)
		if err != nil {
			lastErr = err
			continue
		}
		if lb.ChainID != gen.ChainID {
			return nil, fmt.Errorf("%w: chain id %q", registry.ErrWrongChain, lb.ChainID)
		}
		if !bytes.Equal(lb.ValidatorsHash, gvs.Hash()) {
			return nil, fmt.Errorf("%w: block %d validators differ from genesis", registry.ErrProofInvalid, first)
		}
		if err := gvs.VerifyCommitLight(gen.ChainID, lb.Commit.BlockID, first, lb.Commit); err != nil {
			return nil, fmt.Errorf("%w: block %d not signed by >2/3 of genesis validators: %v", registry.ErrProofInvalid, first, err)
		}
		return lb.Hash(), nil
	}
	return nil, fmt.Errorf("fetch block %d: %w (a node restored by state sync or pruned no longer has it: "+
		"ask a node that does (witnesses), or start from a trust point: a recent header's height and hash from a source you trust)", first, lastErr)
}

// Close releases the light-client store.
func (v *Verifier) Close() error {
	if v.closeStore == nil {
		return nil
	}
	return v.closeStore()
}

// LightBlock returns the signed header and validator set at height,
// verified from genesis.
func (v *Verifier) LightBlock(ctx context.Context, height int64) (*types.LightBlock, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	lb, err := v.lc.VerifyLightBlockAtHeight(ctx, height, time.Now())
	if err != nil {
		return nil, fmt.Errorf("%w: header %d: %v", registry.ErrProofInvalid, height, err)
	}
	return lb, nil
}

// Genesis returns the trusted genesis.
func (v *Verifier) Genesis() *types.GenesisDoc { return v.gen }

// VerifyProof checks an ICS23 proof of key (value nil = absence) against
// appHash. It is a pure function; callers pass a verified app hash.
func VerifyProof(appHash, key, value, proofBytes []byte) error {
	var p ics23.CommitmentProof
	if err := p.Unmarshal(proofBytes); err != nil {
		return fmt.Errorf("%w: decode proof: %v", registry.ErrProofInvalid, err)
	}
	if value == nil {
		if !ics23.VerifyNonMembership(ics23.IavlSpec, appHash, &p, key) {
			return fmt.Errorf("%w: absence of key %X", registry.ErrProofInvalid, key)
		}
		return nil
	}
	if !ics23.VerifyMembership(ics23.IavlSpec, appHash, &p, key, value) {
		return fmt.Errorf("%w: key %X", registry.ErrProofInvalid, key)
	}
	return nil
}

// Proven is a state value with its proof, verified.
type Proven struct {
	Key    []byte
	Value  []byte // nil: proven absent
	Height int64  // state after block Height
	Proof  []byte // ICS23 CommitmentProof
	Header *types.SignedHeader
	// Validators signed Header (verified from genesis).
	Validators *types.ValidatorSet
}

// Verifier returns the client's verifier, creating it from the trusted
// genesis on first use.
func (c *Client) Verifier(ctx context.Context) (*Verifier, error) {
	c.vmu.Lock()
	defer c.vmu.Unlock()
	if c.verifier != nil {
		return c.verifier, nil
	}
	if c.genesis == nil {
		return nil, errors.New("client: verified reads need a trusted genesis (WithGenesis)")
	}
	v, err := NewVerifierWith(ctx, c.genesis, c.url, c.trust)
	if err != nil {
		return nil, err
	}
	c.verifier = v
	return v, nil
}

// Get reads key with a proof and verifies it against header H+1, itself
// verified from genesis. It returns an error rather than unverified data.
func (c *Client) Get(ctx context.Context, key []byte) (*Proven, error) {
	v, err := c.Verifier(ctx)
	if err != nil {
		return nil, err
	}
	// Fast path: prove the key at L-1, whose app hash is in the latest
	// header L (it exists already), when the key's value did not change in
	// block L. Otherwise prove it at L and wait for header L+1. Either way
	// the answer reflects the latest committed state.
	var res *ctypes.ResultABCIQuery
	if st, err := c.rpc.Status(ctx); err == nil && st.SyncInfo.LatestBlockHeight > 1 {
		latest := st.SyncInfo.LatestBlockHeight
		prev, err1 := c.rpc.ABCIQueryWithOptions(ctx, "/store", key, rpcQueryOpts(latest-1, true))
		cur, err2 := c.rpc.ABCIQueryWithOptions(ctx, "/store", key, rpcQueryOpts(latest, false))
		if err1 == nil && err2 == nil && prev.Response.Code == 0 && cur.Response.Code == 0 &&
			bytes.Equal(prev.Response.Value, cur.Response.Value) {
			res = prev
		}
	}
	if res == nil {
		var err error
		res, err = c.rpc.ABCIQueryWithOptions(ctx, "/store", key, rpcQueryOpts(0, true))
		if err != nil {
			return nil, fmt.Errorf("query: %w", err)
		}
	}
	r := res.Response
	if r.Code != 0 {
		return nil, registry.FromCode(r.Codespace, r.Code, r.Log)
	}
	if r.ProofOps == nil || len(r.ProofOps.Ops) != 1 || r.ProofOps.Ops[0].Type != ProofOpType || !bytes.Equal(r.ProofOps.Ops[0].Key, key) {
		return nil, fmt.Errorf("%w: missing or unexpected proof", registry.ErrProofInvalid)
	}
	// The app hash of state after block H is in header H+1; wait for it.
	lb, err := c.waitHeader(ctx, v, r.Height+1)
	if err != nil {
		return nil, err
	}
	h := lb.SignedHeader
	var value []byte
	if r.Value != nil && len(r.Value) > 0 {
		value = r.Value
	}
	if err := VerifyProof(h.AppHash, key, value, r.ProofOps.Ops[0].Data); err != nil {
		return nil, err
	}
	return &Proven{Key: key, Value: value, Height: r.Height, Proof: r.ProofOps.Ops[0].Data, Header: h, Validators: lb.ValidatorSet}, nil
}

func (c *Client) waitHeader(ctx context.Context, v *Verifier, height int64) (*types.LightBlock, error) {
	for i := 0; ; i++ {
		st, err := c.rpc.Status(ctx)
		if err != nil {
			return nil, err
		}
		if st.SyncInfo.LatestBlockHeight >= height {
			return v.LightBlock(ctx, height)
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(c.pollEvery):
		}
	}
}

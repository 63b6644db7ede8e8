package client

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	abci "github.com/cometbft/cometbft/abci/types"
	cmtmath "github.com/cometbft/cometbft/libs/math"
	"github.com/cometbft/cometbft/light"
	lighthttp "github.com/cometbft/cometbft/light/provider/http"
	"github.com/cometbft/cometbft/types"
	ics23 "github.com/cosmos/ics23/go"

	"github.com/danangchain/danangchain/registry"
)

// ProofOpType is the chain's proof op type (registry.ProofOpType).
const ProofOpType = registry.ProofOpType

// DefaultTrustingPeriod bounds how long a verified header stays a starting
// point by itself. An older one (a light store left unused, a long-idle
// verifier) is renewed by walking the validator-set transitions from it
// (walkToLatest), each signed by more than 2/3 of the set before.
const DefaultTrustingPeriod = 14 * 24 * time.Hour

// DefaultMaxHeaderAge is how old the newest verified header may be, against
// the verifier's own clock, for a verdict to count as current: a few block
// intervals (blocks come every ~1-2 s) plus allowed clock skew.
const DefaultMaxHeaderAge = 30 * time.Second

// trustLevel is the share of a trusted validator set that must sign a
// header the light client skips to: more than 2/3, never CometBFT's default
// 1/3 (with which two of four validators could sign a forgery).
var trustLevel = cmtmath.Fraction{Numerator: 2, Denominator: 3}

// Verifier follows the validator set from genesis with CometBFT's light
// client (more than 2/3 at every step) and checks headers before any proof
// is checked against them. Current establishes the newest header as fresh
// against the verifier's own clock and the witnesses.
type Verifier struct {
	// mu serialises what changes the light client (verifying a header not
	// yet trusted, renewing trust, establishing a new current header).
	// Reads of what is already established take no lock: a header already
	// in the trusted store, and the current header while it may be reused
	// (curState), so that concurrent verified reads do not queue behind
	// one another.
	mu         sync.Mutex
	state      atomic.Pointer[curState]
	lc         atomic.Pointer[light.Client] // replaced when trust is renewed
	gen        *types.GenesisDoc
	closeStore func() error
	fresh      freshness
	// What start needs to rebuild the light client.
	primary providerT
	store   lightStore
	trust   Trust
	// Crossed lists the validator-set transitions walked at start-up.
	Crossed []Transition
}

// NewVerifier roots trust in genesis: the first block's commit must be
// signed by more than 2/3 of the genesis validators.
func NewVerifier(ctx context.Context, gen *types.GenesisDoc, nodeURL string) (*Verifier, error) {
	return NewVerifierWith(ctx, gen, nodeURL, Trust{})
}

// NewVerifierWith starts the light client from, in order of preference:
// the latest header of t.StoreDir (verified in an earlier run), the trust
// point t.Height/t.Hash, or genesis (block InitialHeight, which must be
// signed by >2/3 of the genesis validators). From there it walks the
// validator-set transitions to the node's latest header; witnesses
// (t.Witnesses) cross-check headers and the node's height.
func NewVerifierWith(ctx context.Context, gen *types.GenesisDoc, nodeURL string, t Trust) (*Verifier, error) {
	if err := gen.ValidateAndComplete(); err != nil {
		return nil, fmt.Errorf("genesis: %w", err)
	}
	primary, err := lighthttp.New(gen.ChainID, nodeURL)
	if err != nil {
		return nil, err
	}
	var witnesses []witness
	for _, u := range t.Witnesses {
		w, err := newWitness(gen.ChainID, u)
		if err != nil {
			return nil, fmt.Errorf("witness %s: %w", u, err)
		}
		witnesses = append(witnesses, w)
	}
	return newVerifier(ctx, gen, primary, witnesses, t)
}

// newVerifier is NewVerifierWith over providers (tests pass lying ones).
func newVerifier(ctx context.Context, gen *types.GenesisDoc, primary providerT, witnesses []witness, t Trust) (*Verifier, error) {
	if t.TrustingPeriod <= 0 {
		t.TrustingPeriod = DefaultTrustingPeriod
	}
	store, closeStore, err := t.openStore(gen.ChainID)
	if err != nil {
		return nil, err
	}
	v := &Verifier{gen: gen, closeStore: closeStore, fresh: newFreshness(t, witnesses), primary: primary, store: store, trust: t}
	if err := v.start(ctx, primary, store, t); err != nil {
		closeStore()
		return nil, err
	}
	return v, nil
}

// start (re)builds the light client: from a stored header still within the
// trusting period as is, else by walking from the best trusted header.
func (v *Verifier) start(ctx context.Context, primary providerT, store lightStore, t Trust) error {
	lcWitnesses := make([]providerT, 0, len(v.fresh.witnesses))
	for _, w := range v.fresh.witnesses {
		lcWitnesses = append(lcWitnesses, w.p)
	}
	if len(lcWitnesses) == 0 {
		// CometBFT's light client needs one; the primary checks itself
		// (which detects nothing: Current reports the verdict unwitnessed).
		lcWitnesses = append(lcWitnesses, primary)
	}
	opts := []light.Option{light.Logger(nopLogger{}), light.MaxRetryAttempts(3), light.SkippingVerification(trustLevel)}
	now := time.Now()
	if last, _ := store.LastLightBlockHeight(); last > 0 {
		lb, err := store.LightBlock(last)
		if err == nil && !light.HeaderExpired(lb.SignedHeader, t.TrustingPeriod, now) {
			lc, err := light.NewClientFromTrustedStore(v.gen.ChainID, t.TrustingPeriod, primary, lcWitnesses, store, opts...)
			if err != nil {
				return fmt.Errorf("%w: light client: %v", registry.ErrProofInvalid, err)
			}
			v.lc.Store(lc)
			return nil
		}
	}
	from, err := v.startingPoint(ctx, primary, lcWitnesses, store, t)
	if err != nil {
		return err
	}
	latest, crossed, err := walkToLatest(ctx, v.gen.ChainID, from, primary)
	if err != nil {
		return err
	}
	v.Crossed = crossed
	lc, err := light.NewClient(ctx, v.gen.ChainID, light.TrustOptions{Period: t.TrustingPeriod, Height: latest.Height, Hash: latest.Hash()},
		primary, lcWitnesses, store, append(opts, light.ConfirmationFunction(func(string) bool { return true }))...)
	if err != nil {
		return fmt.Errorf("%w: light client: %v", registry.ErrProofInvalid, err)
	}
	v.lc.Store(lc)
	return nil
}

// startingPoint returns the header the walk starts from: the newest stored
// one, else the trust point, else the chain's first block checked against
// the genesis validators.
func (v *Verifier) startingPoint(ctx context.Context, primary providerT, others []providerT, store lightStore, t Trust) (*types.LightBlock, error) {
	if last, _ := store.LastLightBlockHeight(); last > 0 {
		if lb, err := store.LightBlock(last); err == nil {
			return lb, nil
		}
	}
	if t.Height > 0 {
		if len(t.Hash) != 32 {
			return nil, fmt.Errorf("trust point: need the 32-byte hash of header %d", t.Height)
		}
		return trustPoint(ctx, v.gen.ChainID, t.Height, t.Hash, append([]providerT{primary}, others...))
	}
	return genesisBlock(ctx, v.gen, append([]providerT{primary}, others...))
}

// trustPoint fetches the header at height whose hash the caller trusts.
func trustPoint(ctx context.Context, chainID string, height int64, hash []byte, providers []providerT) (*types.LightBlock, error) {
	var lastErr error
	for _, p := range providers {
		lb, err := p.LightBlock(ctx, height)
		if err != nil {
			lastErr = err
			continue
		}
		if err := lb.ValidateBasic(chainID); err != nil {
			return nil, fmt.Errorf("%w: trust point %d: %v", registry.ErrProofInvalid, height, err)
		}
		if !bytes.Equal(lb.Hash(), hash) {
			return nil, fmt.Errorf("%w: trust point: header %d has hash %X, not %X", registry.ErrProofInvalid, height, lb.Hash(), hash)
		}
		if err := lb.ValidatorSet.VerifyCommitLight(chainID, lb.Commit.BlockID, lb.Height, lb.Commit); err != nil {
			return nil, fmt.Errorf("%w: trust point %d: %v", registry.ErrProofInvalid, height, err)
		}
		return lb, nil
	}
	return nil, fmt.Errorf("fetch trust point %d: %w", height, lastErr)
}

// genesisBlock returns the chain's first block, fetched from the first
// provider that has it and checked against the genesis validators (>2/3
// of them signed its commit).
func genesisBlock(ctx context.Context, gen *types.GenesisDoc, providers []providerT) (*types.LightBlock, error) {
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
		if err := lb.ValidateBasic(gen.ChainID); err != nil {
			return nil, fmt.Errorf("%w: block %d: %v", registry.ErrProofInvalid, first, err)
		}
		if !bytes.Equal(lb.ValidatorsHash, gvs.Hash()) {
			return nil, fmt.Errorf("%w: block %d validators differ from genesis", registry.ErrProofInvalid, first)
		}
		if err := gvs.VerifyCommitLight(gen.ChainID, lb.Commit.BlockID, first, lb.Commit); err != nil {
			return nil, fmt.Errorf("%w: block %d not signed by >2/3 of genesis validators: %v", registry.ErrProofInvalid, first, err)
		}
		return lb, nil
	}
	if IsUnreachable(lastErr) {
		return nil, fmt.Errorf("fetch block %d: %w: %w", first, ErrUnreachable, lastErr)
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
	// Already verified (the common case: the header above the current
	// height a read was proven at): no lock, no network.
	if height > 0 {
		if lb, err := v.lc.Load().TrustedLightBlock(height); err == nil {
			return lb, nil
		}
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	lb, err := v.lc.Load().VerifyLightBlockAtHeight(ctx, height, time.Now())
	if err != nil {
		return nil, fmt.Errorf("%w: header %d: %v", registry.ErrProofInvalid, height, err)
	}
	return lb, nil
}

// Handovers returns the validator-set hand-overs from genesis up to the
// set that signed header height, each checked (more than 2/3 of the set
// before signed the header naming the next set): what a receipt for a
// record signed after the validators changed carries, so that it verifies
// from genesis alone.
func (v *Verifier) Handovers(ctx context.Context, height int64) ([]Transition, error) {
	lb, err := v.LightBlock(ctx, height)
	if err != nil {
		return nil, err
	}
	if bytes.Equal(lb.ValidatorsHash, genesisValidators(v.gen).Hash()) {
		return nil, nil
	}
	first, err := genesisBlock(ctx, v.gen, []providerT{v.primary})
	if err != nil {
		return nil, err
	}
	_, crossed, err := walkTo(ctx, v.gen.ChainID, first, lb, v.primary)
	return crossed, err
}

// Genesis returns the trusted genesis.
func (v *Verifier) Genesis() *types.GenesisDoc { return v.gen }

// VerifyProof checks an ICS23 proof of key (value nil = absence) against
// appHash. It is a pure function; callers pass a verified app hash.
func VerifyProof(appHash, key, value, proofBytes []byte) (err error) {
	// ics23 panics on some malformed compressed proofs: a proof is attacker
	// input, so a panic is a refusal, never a crash.
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%w: malformed proof: %v", registry.ErrProofInvalid, r)
		}
	}()
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

// Current returns the newest header established as current: verified
// from genesis, fresh against this computer's clock, cross-checked by the
// witnesses (Verifier.Current). It fails with registry.ErrNotCurrent when
// that cannot be established.
func (c *Client) Current(ctx context.Context) (*types.LightBlock, error) {
	v, err := c.Verifier(ctx)
	if err != nil {
		return nil, err
	}
	return v.Current(ctx)
}

// Get reads key with a proof as of the current header (Current): the
// state after block L-1, whose app hash header L carries. It never asks
// the node which height is current, and returns an error rather than
// unverified or stale data.
func (c *Client) Get(ctx context.Context, key []byte) (*Proven, error) {
	get, _, err := c.pinned(ctx)
	if err != nil {
		return nil, err
	}
	return get(ctx, key)
}

// getter reads one key with its proof.
type getter func(ctx context.Context, key []byte) (*Proven, error)

// pinned establishes the current header once and returns a getter that
// proves keys under it, so that the values of one answer share a height.
func (c *Client) pinned(ctx context.Context) (getter, *Verifier, error) {
	v, err := c.Verifier(ctx)
	if err != nil {
		return nil, nil, err
	}
	cur, err := v.Current(ctx)
	if err != nil {
		return nil, nil, err
	}
	return func(ctx context.Context, key []byte) (*Proven, error) { return c.getUnder(ctx, v, cur, key) }, v, nil
}

// getUnder proves key in the state whose app hash the verified header lb
// carries (the state after block lb.Height-1).
func (c *Client) getUnder(ctx context.Context, v *Verifier, lb *types.LightBlock, key []byte) (*Proven, error) {
	if lb.Height < 2 {
		return c.GetAt(ctx, lb.Height, key)
	}
	r, err := c.queryAt(ctx, lb.Height-1, key)
	if err != nil {
		return nil, err
	}
	// Read your writes: when block L itself changed the key (a record just
	// committed or revoked), prove the state after L under header L+1
	// (about one block later) instead of the state before it.
	if now, err := c.rpc.ABCIQueryWithOptions(ctx, registry.QueryPathStore, key, rpcQueryOpts(lb.Height, false)); err == nil &&
		now.Response.Code == 0 && !bytes.Equal(now.Response.Value, r.Value) {
		return c.GetAt(ctx, lb.Height, key)
	}
	return provenUnder(key, r, lb)
}

// queryAt asks the node for key at height with its proof; the answer is
// not verified yet.
func (c *Client) queryAt(ctx context.Context, height int64, key []byte) (*abci.ResponseQuery, error) {
	res, err := c.rpc.ABCIQueryWithOptions(ctx, registry.QueryPathStore, key, rpcQueryOpts(height, true))
	if err != nil {
		return nil, fmt.Errorf("query: %w", err)
	}
	r := res.Response
	if r.Code != 0 {
		return nil, registry.FromCode(r.Codespace, r.Code, r.Log)
	}
	if r.Height != height {
		return nil, fmt.Errorf("%w: asked for height %d, got %d", registry.ErrProofInvalid, height, r.Height)
	}
	if r.ProofOps == nil || len(r.ProofOps.Ops) != 1 || r.ProofOps.Ops[0].Type != ProofOpType || !bytes.Equal(r.ProofOps.Ops[0].Key, key) {
		return nil, fmt.Errorf("%w: missing or unexpected proof", registry.ErrProofInvalid)
	}
	return &r, nil
}

// provenUnder checks the node's answer r for key against the verified
// header lb (which must be header r.Height+1).
func provenUnder(key []byte, r *abci.ResponseQuery, lb *types.LightBlock) (*Proven, error) {
	if lb.Height != r.Height+1 {
		return nil, fmt.Errorf("%w: state %d is proven by header %d, not %d", registry.ErrProofInvalid, r.Height, r.Height+1, lb.Height)
	}
	var value []byte
	if len(r.Value) > 0 {
		value = r.Value
	}
	if err := VerifyProof(lb.SignedHeader.AppHash, key, value, r.ProofOps.Ops[0].Data); err != nil {
		return nil, err
	}
	return &Proven{Key: key, Value: value, Height: r.Height, Proof: r.ProofOps.Ops[0].Data, Header: lb.SignedHeader,
		Validators: lb.ValidatorSet}, nil
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

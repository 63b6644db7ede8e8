package client

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	dbm "github.com/cometbft/cometbft-db"
	"github.com/cometbft/cometbft/crypto/tmhash"
	"github.com/cometbft/cometbft/light"
	"github.com/cometbft/cometbft/light/provider"
	lightdb "github.com/cometbft/cometbft/light/store/db"
	cmtproto "github.com/cometbft/cometbft/proto/tendermint/types"
	cmtversion "github.com/cometbft/cometbft/proto/tendermint/version"
	"github.com/cometbft/cometbft/types"
	"github.com/cometbft/cometbft/version"
	"github.com/cosmos/iavl"
	iavldb "github.com/cosmos/iavl/db"
	"github.com/stretchr/testify/require"

	"github.com/danangchain/danangchain/registry"
)

// fakeChain is a chain of light blocks made from real signatures, served
// by a provider that can lie (a forged tail, a lagging tip).
type fakeChain struct {
	mu      sync.Mutex
	chainID string
	blocks  map[int64]*types.LightBlock
	latest  int64 // what LightBlock(0) returns
}

func (f *fakeChain) ChainID() string { return f.chainID }
func (f *fakeChain) ID() string      { return "fake" }
func (f *fakeChain) ReportEvidence(context.Context, types.Evidence) error {
	return nil
}

func (f *fakeChain) LightBlock(_ context.Context, h int64) (*types.LightBlock, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if h == 0 {
		h = f.latest
	}
	if h > f.latest {
		return nil, provider.ErrHeightTooHigh
	}
	lb, ok := f.blocks[h]
	if !ok {
		return nil, provider.ErrLightBlockNotFound
	}
	return lb, nil
}

func (f *fakeChain) LatestHeight(context.Context) (int64, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.latest, nil
}

// keySet is a validator set with its private keys.
type keySet struct {
	set  *types.ValidatorSet
	keys map[string]types.PrivValidator
}

func newKeys(pvs ...types.PrivValidator) keySet {
	ks := keySet{keys: map[string]types.PrivValidator{}}
	vals := make([]*types.Validator, 0, len(pvs))
	for _, pv := range pvs {
		pk, _ := pv.GetPubKey()
		vals = append(vals, types.NewValidator(pk, 10))
		ks.keys[string(pk.Address())] = pv
	}
	ks.set = types.NewValidatorSet(vals)
	return ks
}

func mockPVs(n int) []types.PrivValidator {
	out := make([]types.PrivValidator, n)
	for i := range out {
		out[i] = types.NewMockPV()
	}
	return out
}

// block makes light block h signed by signers (a subset of vals' keys, or
// other keys entirely), following prev.
func block(t *testing.T, chainID string, h int64, tm time.Time, prev *types.LightBlock, vals, next keySet, signers map[string]types.PrivValidator, appHash []byte) *types.LightBlock {
	t.Helper()
	hash := tmhash.Sum([]byte(fmt.Sprint(h)))
	hdr := &types.Header{
		Version: cmtversion.Consensus{Block: version.BlockProtocol}, ChainID: chainID, Height: h, Time: tm,
		LastCommitHash: hash, DataHash: hash, ValidatorsHash: vals.set.Hash(), NextValidatorsHash: next.set.Hash(),
		ConsensusHash: hash, AppHash: appHash, LastResultsHash: hash, EvidenceHash: hash,
		ProposerAddress: vals.set.Validators[0].Address,
	}
	if prev != nil {
		hdr.LastBlockID = prev.Commit.BlockID
	}
	bid := types.BlockID{Hash: hdr.Hash(), PartSetHeader: types.PartSetHeader{Total: 1, Hash: hash}}
	sigs := make([]types.CommitSig, len(vals.set.Validators))
	for i, v := range vals.set.Validators {
		pv, ok := signers[string(v.Address)]
		if !ok {
			sigs[i] = types.NewCommitSigAbsent()
			continue
		}
		vote := &types.Vote{Type: cmtproto.PrecommitType, Height: h, BlockID: bid, Timestamp: tm,
			ValidatorAddress: v.Address, ValidatorIndex: int32(i)}
		pb := vote.ToProto()
		require.NoError(t, pv.SignVote(chainID, pb))
		vote.Signature = pb.Signature
		sigs[i] = vote.CommitSig()
	}
	lb := &types.LightBlock{SignedHeader: &types.SignedHeader{Header: hdr,
		Commit: &types.Commit{Height: h, BlockID: bid, Signatures: sigs}}, ValidatorSet: vals.set}
	require.NoError(t, lb.ValidateBasic(chainID))
	return lb
}

func genesisOf(chainID string, ks keySet, tm time.Time) *types.GenesisDoc {
	g := &types.GenesisDoc{ChainID: chainID, GenesisTime: tm, InitialHeight: 1}
	for _, v := range ks.set.Validators {
		g.Validators = append(g.Validators, types.GenesisValidator{Address: v.Address, PubKey: v.PubKey, Power: v.VotingPower})
	}
	return g
}

// honest builds heights 1..n, one second apart ending at end, signed by
// all of the set for each height (sets[h], default sets[0]).
func honest(t *testing.T, chainID string, n int64, end time.Time, setAt func(h int64) keySet) *fakeChain {
	f := &fakeChain{chainID: chainID, blocks: map[int64]*types.LightBlock{}, latest: n}
	var prev *types.LightBlock
	for h := int64(1); h <= n; h++ {
		vals, next := setAt(h), setAt(h+1)
		prev = block(t, chainID, h, end.Add(time.Duration(h-n)*time.Second), prev, vals, next, vals.keys, tmhash.Sum([]byte("state")))
		f.blocks[h] = prev
	}
	return f
}

func only(ks keySet, pvs ...types.PrivValidator) map[string]types.PrivValidator {
	out := map[string]types.PrivValidator{}
	for _, pv := range pvs {
		pk, _ := pv.GetPubKey()
		out[string(pk.Address())] = pv
	}
	_ = ks
	return out
}

// forgeTail appends heights n+1..n+k signed by two of the four genesis
// keys with a validator set of their own and a forged app hash.
func forgeTail(t *testing.T, f *fakeChain, pvs []types.PrivValidator, k int64, end time.Time) {
	own := newKeys(pvs[0], pvs[1])
	prev := f.blocks[f.latest]
	start := f.latest
	for h := start + 1; h <= start+k; h++ {
		prev = block(t, f.chainID, h, end.Add(time.Duration(h-start-k)*time.Second), prev, own, own, own.keys, tmhash.Sum([]byte("forged")))
		f.blocks[h] = prev
	}
	f.latest = start + k
}

func TestMinorityForgeryRefused(t *testing.T) {
	const chainID = "danang-forge"
	now := time.Now()
	pvs := mockPVs(4)
	gen := newKeys(pvs...)
	f := honest(t, chainID, 20, now.Add(-20*time.Second), func(int64) keySet { return gen })
	forgeTail(t, f, pvs, 10, now)
	g := genesisOf(chainID, gen, now.Add(-time.Minute))
	ctx := context.Background()

	// The fixture is a real forgery: CometBFT's default light client
	// (skipping, trust level 1/3) accepts it — the attack in the issue.
	t.Run("default light client accepts", func(t *testing.T) {
		lb1 := f.blocks[1]
		lc, err := light.NewClient(ctx, chainID, light.TrustOptions{Period: time.Hour, Height: 1, Hash: lb1.Hash()}, f,
			[]provider.Provider{f}, newMemStore(chainID), light.Logger(nopLogger{}), light.SkippingVerification(light.DefaultTrustLevel))
		require.NoError(t, err)
		lb, err := lc.VerifyLightBlockAtHeight(ctx, 30, now)
		require.NoError(t, err)
		require.Equal(t, tmhash.Sum([]byte("forged")), []byte(lb.AppHash))
	})

	t.Run("walk from genesis refuses", func(t *testing.T) {
		_, err := newVerifier(ctx, g, f, nil, Trust{})
		require.ErrorIs(t, err, registry.ErrProofInvalid)
		require.Contains(t, err.Error(), "did not hand over")
	})

	t.Run("a verifier that trusted the honest chain refuses the forged tip", func(t *testing.T) {
		f.mu.Lock()
		f.latest = 20
		f.mu.Unlock()
		v, err := newVerifier(ctx, g, f, nil, Trust{MaxHeaderAge: time.Hour})
		require.NoError(t, err)
		f.mu.Lock()
		f.latest = 30
		f.mu.Unlock()
		v.fresh.reuse = 0
		_, err = v.Current(ctx)
		require.ErrorIs(t, err, registry.ErrProofInvalid)
		_, err = v.LightBlock(ctx, 25)
		require.ErrorIs(t, err, registry.ErrProofInvalid)
	})

	t.Run("forged header at an adjacent height is refused", func(t *testing.T) {
		// Two keys also sign header 21 claiming the genesis set as next:
		// still only 50% of the trusted power.
		h := newKeys(pvs...)
		fake := block(t, chainID, 21, now, f.blocks[20], h, h, only(h, pvs[0], pvs[1]), tmhash.Sum([]byte("forged")))
		g2 := &fakeChain{chainID: chainID, blocks: map[int64]*types.LightBlock{}, latest: 21}
		for k, b := range f.blocks {
			if k <= 20 {
				g2.blocks[k] = b
			}
		}
		g2.blocks[21] = fake
		_, err := newVerifier(ctx, g, g2, nil, Trust{})
		require.ErrorIs(t, err, registry.ErrProofInvalid)
	})
}

func TestCurrentFreshnessAndWitnesses(t *testing.T) {
	const chainID = "danang-fresh"
	now := time.Now()
	pvs := mockPVs(4)
	gen := newKeys(pvs...)
	g := genesisOf(chainID, gen, now.Add(-time.Hour))
	ctx := context.Background()

	t.Run("fresh tip is current", func(t *testing.T) {
		f := honest(t, chainID, 30, now, func(int64) keySet { return gen })
		v, err := newVerifier(ctx, g, f, nil, Trust{})
		require.NoError(t, err)
		lb, err := v.Current(ctx)
		require.NoError(t, err)
		require.EqualValues(t, 30, lb.Height)
	})

	t.Run("a node that serves an old tip is not current", func(t *testing.T) {
		f := honest(t, chainID, 30, now.Add(-5*time.Minute), func(int64) keySet { return gen })
		v, err := newVerifier(ctx, g, f, nil, Trust{})
		require.NoError(t, err)
		_, err = v.Current(ctx)
		require.ErrorIs(t, err, registry.ErrNotCurrent)
		require.Contains(t, err.Error(), "old")
	})

	t.Run("a witness ahead of the node makes it not current", func(t *testing.T) {
		f := honest(t, chainID, 30, now, func(int64) keySet { return gen })
		ahead := &fakeChain{chainID: chainID, blocks: f.blocks, latest: 30}
		f.latest = 25 // the node under-reports its height by five blocks
		w := witness{url: "witness", p: ahead, rpc: ahead}
		v, err := newVerifier(ctx, g, f, []witness{w}, Trust{MaxHeaderAge: time.Hour})
		require.NoError(t, err)
		_, err = v.Current(ctx)
		require.ErrorIs(t, err, registry.ErrNotCurrent)
		require.Contains(t, err.Error(), "witness witness is at height 30")
		f.mu.Lock()
		f.latest = 30
		f.mu.Unlock()
		lb, err := v.Current(ctx)
		require.NoError(t, err)
		require.EqualValues(t, 30, lb.Height)
		require.Equal(t, 1, v.Witnessed())
	})

	t.Run("no witness answering is not current", func(t *testing.T) {
		f := honest(t, chainID, 30, now, func(int64) keySet { return gen })
		w := witness{url: "down", p: f, rpc: downHeight{}}
		v, err := newVerifier(ctx, g, f, []witness{w}, Trust{})
		require.NoError(t, err)
		_, err = v.Current(ctx)
		require.ErrorIs(t, err, registry.ErrNotCurrent)
		require.Contains(t, err.Error(), "no witness answered")
	})
}

type downHeight struct{}

func (downHeight) LatestHeight(context.Context) (int64, error) {
	return 0, errors.New("connection refused")
}

// TestRotationFromGenesis: governance replaced all four validators long
// ago (beyond the trusting period); a verifier from genesis alone walks
// the hand-over and trusts the new set, and only it.
func TestRotationFromGenesis(t *testing.T) {
	const chainID = "danang-rotate"
	now := time.Now()
	a, b := newKeys(mockPVs(4)...), newKeys(mockPVs(4)...)
	setAt := func(h int64) keySet {
		if h <= 10 {
			return a
		}
		return b
	}
	f := honest(t, chainID, 40, now, setAt)
	// Make the genesis era old: block 1 a month ago.
	g := genesisOf(chainID, a, now.Add(-30*24*time.Hour))
	ctx := context.Background()
	v, err := newVerifier(ctx, g, f, nil, Trust{TrustingPeriod: time.Hour})
	require.NoError(t, err)
	require.Len(t, v.Crossed, 1)
	tr := v.Crossed[0]
	require.Equal(t, int64(11), tr.Height)
	require.Equal(t, a.set.Hash(), tr.Previous)
	require.Equal(t, b.set.Hash(), tr.Next)
	require.Equal(t, int64(10), tr.Signed.Height)
	require.Equal(t, b.set.Hash(), tr.NextSet.Hash())
	lb, err := v.Current(ctx)
	require.NoError(t, err)
	require.EqualValues(t, 40, lb.Height)

	// The old set cannot take the chain back: the honest chain goes on to
	// 45 under set b (the witness), while the primary serves 41..45 signed
	// by all four removed validators colluding.
	w := honest(t, chainID, 45, now.Add(5*time.Second), setAt)
	for h := int64(1); h <= 40; h++ {
		w.blocks[h] = f.blocks[h]
	}
	prev := f.blocks[40]
	for h := int64(41); h <= 45; h++ {
		prev = block(t, chainID, h, now.Add(time.Duration(h-40)*time.Second), prev, a, a, a.keys, tmhash.Sum([]byte("forged")))
		f.blocks[h] = prev
	}
	f.mu.Lock()
	f.latest = 45
	f.mu.Unlock()
	// A verifier that already follows set b refuses by signatures alone.
	v.fresh.reuse = 0
	_, err = v.Current(ctx)
	require.ErrorIs(t, err, registry.ErrProofInvalid)
	// A new verifier from genesis needs its witness to see the conflict
	// (the limit docs/trust-model.md states: >2/3 of a former set signing
	// a fork is caught by witnesses, not by signatures).
	_, err = newVerifier(ctx, g, f, []witness{{url: "w", p: w, rpc: w}}, Trust{})
	require.ErrorIs(t, err, registry.ErrProofInvalid)
}

func newMemStore(chainID string) lightStore { return lightdb.New(dbm.NewMemDB(), chainID) }

// TestReceiptAfterRotation: a receipt for a record signed by the new set
// after governance replaced all four validators verifies from genesis
// alone (it carries the hand-over); without it, or with the hand-over
// changed, it is refused.
func TestReceiptAfterRotation(t *testing.T) {
	const chainID = "danang-rotate-receipt"
	now := time.Now()
	a, b := newKeys(mockPVs(4)...), newKeys(mockPVs(4)...)
	setAt := func(h int64) keySet {
		if h <= 10 {
			return a
		}
		return b
	}
	// A real IAVL tree: the record and its ICS23 proof against header 40.
	tree := iavl.NewMutableTree(iavldb.NewMemDB(), 100, false, iavl.NewNopLogger())
	key, value := registry.ResultKey(7), []byte("kết quả 7")
	_, err := tree.Set(key, value)
	require.NoError(t, err)
	root, _, err := tree.SaveVersion()
	require.NoError(t, err)
	imm, err := tree.GetImmutable(1)
	require.NoError(t, err)
	cp, err := imm.GetProof(key)
	require.NoError(t, err)
	proof, err := cp.Marshal()
	require.NoError(t, err)

	f := honest(t, chainID, 39, now.Add(-time.Second), setAt)
	f.blocks[40] = block(t, chainID, 40, now, f.blocks[39], b, b, b.keys, root)
	f.latest = 40
	g := genesisOf(chainID, a, now.Add(-time.Hour))
	ctx := context.Background()
	v, err := newVerifier(ctx, g, f, nil, Trust{})
	require.NoError(t, err)
	hand, err := v.Handovers(ctx, 40)
	require.NoError(t, err)
	require.Len(t, hand, 1)
	p := &Proven{Key: key, Value: value, Height: 39, Proof: proof, Header: f.blocks[40].SignedHeader, Validators: b.set}

	r, err := NewReceiptWith(p, g, hand)
	require.NoError(t, err)
	raw, err := r.Encode()
	require.NoError(t, err)
	require.Equal(t, receiptMagicV2, string(raw[:4]))
	vr, err := VerifyReceiptBytes(raw, g, nil)
	require.NoError(t, err)
	require.Equal(t, value, vr.Value)
	t.Logf("receipt with one hand-over: %d bytes", len(raw))

	// Without the hand-over the new set is not reachable from genesis.
	old, err := NewReceipt(p, g)
	require.NoError(t, err)
	rawOld, err := old.Encode()
	require.NoError(t, err)
	_, err = VerifyReceiptBytes(rawOld, g, nil)
	require.ErrorIs(t, err, registry.ErrProofInvalid)
	require.Contains(t, err.Error(), "not reachable from genesis")

	// Every flipped byte is refused.
	for i := range raw {
		m := append([]byte(nil), raw...)
		m[i] ^= 0x01
		_, err := VerifyReceiptBytes(m, g, nil)
		require.Error(t, err, "byte %d flipped still verifies", i)
	}

	// A hand-over signed by two of the four genesis keys only is refused.
	forged := *r
	forged.Handovers = append([]ReceiptHandover(nil), r.Handovers...)
	ho := forged.Handovers[0]
	ho.Sigs = ho.Sigs[:2]
	forged.Handovers[0] = ho
	fb, err := forged.Encode()
	require.NoError(t, err)
	_, err = VerifyReceiptBytes(fb, g, nil)
	require.ErrorIs(t, err, registry.ErrProofInvalid)
}

// TestVerifiedReadsDoNotQueue: while one read holds the verifier to
// establish a new header (here: the lock held by the test), reads of what
// is already established — the current header within its reuse window, a
// header already verified — answer without waiting for it; and many
// concurrent readers are race-free (run with -race).
func TestVerifiedReadsDoNotQueue(t *testing.T) {
	const chainID = "danang-concurrent"
	now := time.Now()
	gen := newKeys(mockPVs(4)...)
	g := genesisOf(chainID, gen, now.Add(-time.Hour))
	ctx := context.Background()
	f := honest(t, chainID, 30, now, func(int64) keySet { return gen })
	v, err := newVerifier(ctx, g, f, nil, Trust{MaxHeaderAge: time.Hour})
	require.NoError(t, err)
	v.fresh.reuse = time.Hour // the test controls when the header is re-established
	cur, err := v.Current(ctx)
	require.NoError(t, err)
	require.EqualValues(t, 30, cur.Height)

	v.mu.Lock() // an update in progress
	done := make(chan error, 2)
	go func() {
		lb, err := v.Current(ctx)
		if err == nil && lb.Height != 30 {
			err = fmt.Errorf("height %d", lb.Height)
		}
		done <- err
	}()
	go func() {
		_, err := v.LightBlock(ctx, 30)
		done <- err
	}()
	for i := 0; i < 2; i++ {
		select {
		case err := <-done:
			require.NoError(t, err)
		case <-time.After(10 * time.Second):
			t.Fatal("a read of an established header waited for the update in progress")
		}
	}
	v.mu.Unlock()

	// Many readers at once, some forcing a new check.
	v.fresh.reuse = 0
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for i := 0; i < 32; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			if i%2 == 0 {
				_, err := v.Current(ctx)
				errs <- err
				return
			}
			_, err := v.LightBlock(ctx, int64(10+i%20))
			errs <- err
		}(i)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
}

package client

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/cometbft/cometbft/light"
	lighthttp "github.com/cometbft/cometbft/light/provider/http"
	rpchttp "github.com/cometbft/cometbft/rpc/client/http"
	"github.com/cometbft/cometbft/types"

	"github.com/danangchain/danangchain/registry"
)

// witness is another node that cross-checks the primary: its light
// provider compares headers at the same height (forks), its RPC tells how
// far the chain has got (lag).
type witness struct {
	url string
	p   providerT
	rpc heightSource
}

// heightSource is what a witness is asked for its height: a word used only
// to refuse (a witness that overstates it can deny a verdict, not forge one).
type heightSource interface {
	LatestHeight(ctx context.Context) (int64, error)
}

type rpcHeight struct{ c *rpchttp.HTTP }

func (r rpcHeight) LatestHeight(ctx context.Context) (int64, error) {
	st, err := r.c.Status(ctx)
	if err != nil {
		return 0, err
	}
	return st.SyncInfo.LatestBlockHeight, nil
}

func newWitness(chainID, url string) (witness, error) {
	p, err := lighthttp.New(chainID, url)
	if err != nil {
		return witness{}, err
	}
	c, err := rpchttp.New(url, "/websocket")
	if err != nil {
		return witness{}, err
	}
	return witness{url: url, p: p, rpc: rpcHeight{c}}, nil
}

// freshness is how Current judges a header current.
type freshness struct {
	maxAge    time.Duration // newest header no older than this on our clock
	maxDrift  time.Duration // nor further in the future than this
	lag       int64         // blocks the primary may trail a witness
	reuse     time.Duration // a current header is reused this long
	witnesses []witness
	now       func() time.Time
}

func newFreshness(t Trust, ws []witness) freshness {
	f := freshness{maxAge: t.MaxHeaderAge, maxDrift: 10 * time.Second, lag: 2, reuse: 500 * time.Millisecond,
		witnesses: ws, now: time.Now}
	if f.maxAge <= 0 {
		f.maxAge = DefaultMaxHeaderAge
	}
	return f
}

// Current is the newest header as this verifier established it, without
// taking the node's word for its height: the node's latest header verified
// (more than 2/3 of a set followed from genesis), its time within
// MaxHeaderAge of the verifier's clock, cross-checked against the witnesses
// (same header at that height; no witness ahead by more than two blocks).
// Otherwise it returns ErrNotCurrent with the reason: nothing can be said
// about what holds now.
func (v *Verifier) Current(ctx context.Context) (*types.LightBlock, error) {
	if lb := v.reusable(v.fresh.now()); lb != nil {
		return lb, nil
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	// Whoever held the lock may just have established it: one check
	// serves every read that waited for it.
	now := v.fresh.now()
	if lb := v.reusable(now); lb != nil {
		return lb, nil
	}
	// A verifier idle past the trusting period renews its trust by walking
	// the validator-set transitions from its newest header.
	if tb, err := v.lc.Load().TrustedLightBlock(0); err == nil && light.HeaderExpired(tb.SignedHeader, v.trust.TrustingPeriod, now) {
		if err := v.start(ctx, v.primary, v.store, v.trust); err != nil {
			return nil, fmt.Errorf("%w: renew trust: %v", registry.ErrNotCurrent, err)
		}
	}
	// Ask the witnesses how far the chain has got while the primary's
	// latest header is fetched and verified.
	heights := make(chan witnessHeight, len(v.fresh.witnesses))
	wctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	var wg sync.WaitGroup
	for _, w := range v.fresh.witnesses {
		wg.Add(1)
		go func(w witness) {
			defer wg.Done()
			h, err := w.rpc.LatestHeight(wctx)
			heights <- witnessHeight{w.url, h, err}
		}(w)
	}
	if _, err := v.lc.Load().Update(ctx, now); err != nil {
		wg.Wait()
		if forged(err) {
			return nil, fmt.Errorf("%w: the node's latest header is not signed by more than 2/3 of the validators "+
				"followed from genesis, or a witness disagrees: %v", registry.ErrProofInvalid, err)
		}
		return nil, fmt.Errorf("%w: the node's latest header could not be fetched or verified: %v", registry.ErrNotCurrent, err)
	}
	latest, err := v.lc.Load().TrustedLightBlock(0)
	if err != nil {
		wg.Wait()
		return nil, fmt.Errorf("%w: %v", registry.ErrNotCurrent, err)
	}
	wg.Wait()
	close(heights)
	answered, err := v.fresh.check(latest, heights, now)
	if err != nil {
		return nil, err
	}
	v.state.Store(&curState{lb: latest, at: now, answered: answered})
	return latest, nil
}

// curState is the last header Current established, when, and how many
// witnesses answered; it is reused briefly so that a burst of reads shares
// one check.
type curState struct {
	lb       *types.LightBlock
	at       time.Time
	answered int
}

// reusable returns the current header if it was established less than
// fresh.reuse ago and is still within the freshness bound.
func (v *Verifier) reusable(now time.Time) *types.LightBlock {
	s := v.state.Load()
	if s == nil || now.Sub(s.at) >= v.fresh.reuse || now.Sub(s.lb.Time) > v.fresh.maxAge {
		return nil
	}
	return s.lb
}

// forged tells a header that failed verification (signatures, validator
// hand-over, a witness's conflicting header) from one that could not be
// fetched.
func forged(err error) bool {
	var (
		e1 light.ErrNewValSetCantBeTrusted
		e2 light.ErrInvalidHeader
		e3 light.ErrVerificationFailed
		e4 light.ErrConflictingHeaders
	)
	return errors.As(err, &e1) || errors.As(err, &e2) || errors.As(err, &e3) || errors.As(err, &e4) ||
		errors.Is(err, light.ErrLightClientAttack)
}

type witnessHeight struct {
	url    string
	height int64
	err    error
}

// check judges the verified latest header against the clock and the
// witnesses' heights; it returns how many witnesses answered.
func (f freshness) check(latest *types.LightBlock, heights <-chan witnessHeight, now time.Time) (int, error) {
	age := now.Sub(latest.Time)
	if age > f.maxAge {
		return 0, fmt.Errorf("%w: the newest header the node serves (height %d, %s) is %s old, more than the %s allowed: "+
			"the node is behind, catching up or cut off; ask another node / nút trả lời đang chậm, hãy hỏi nút khác",
			registry.ErrNotCurrent, latest.Height, latest.Time.In(ICT).Format(time.RFC3339), age.Round(time.Second), f.maxAge)
	}
	if -age > f.maxDrift {
		return 0, fmt.Errorf("%w: header %d is dated %s in the future of this computer's clock: check the clock",
			registry.ErrNotCurrent, latest.Height, (-age).Round(time.Second))
	}
	if len(f.witnesses) == 0 {
		return 0, nil
	}
	answered := 0
	var errs []error
	for wh := range heights {
		if wh.err != nil {
			errs = append(errs, fmt.Errorf("%s: %v", wh.url, wh.err))
			continue
		}
		answered++
		if wh.height > latest.Height+f.lag {
			return 0, fmt.Errorf("%w: witness %s is at height %d, the node only at %d: the node is behind or hides newer blocks",
				registry.ErrNotCurrent, wh.url, wh.height, latest.Height)
		}
	}
	if answered == 0 {
		return 0, fmt.Errorf("%w: no witness answered, so the node's header could not be cross-checked: %v",
			registry.ErrNotCurrent, errors.Join(errs...))
	}
	return answered, nil
}

// Witnessed reports how many witnesses answered when the current header
// was last established (0: none configured — only the node's own word,
// freshness still checked).
func (v *Verifier) Witnessed() int {
	if s := v.state.Load(); s != nil {
		return s.answered
	}
	return 0
}

// MaxHeaderAge is the freshness bound this verifier applies.
func (v *Verifier) MaxHeaderAge() time.Duration { return v.fresh.maxAge }

package client

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/danangchain/danangchain/verification"
)

// The trace model and its evaluator live in the pure verification package
// (the browser runs the same code); these names keep the SDK's API.
type (
	TraceQuery         = verification.TraceQuery
	Trace              = verification.Trace
	TraceStep          = verification.TraceStep
	TraceProduct       = verification.TraceProduct
	TraceAttestation   = verification.TraceAttestation
	TraceScan          = verification.TraceScan
	Direction          = verification.Direction
	MissingProofsError = verification.MissingProofsError
	CloneFlag          = verification.CloneFlag
	TraceView          = verification.TraceView
	StepView           = verification.StepView
)

// DetectClones applies the clone rules to a trace (see verification).
func DetectClones(tr *Trace) []CloneFlag { return verification.DetectClones(tr) }

// Clone rules (see verification).
const (
	RuleTwoPlaces = verification.RuleTwoPlaces
	RuleAfterSale = verification.RuleAfterSale
)

// Directions of a trace step (see verification.Direction).
const (
	DirSelf    = verification.DirSelf
	DirBack    = verification.DirBack
	DirForward = verification.DirForward
)

// Limits of one trace (see verification).
const (
	MaxTraceProducts = verification.MaxTraceProducts
	MaxTraceEvents   = verification.MaxTraceEvents
	MaxTraceListLen  = verification.MaxTraceListLen
	maxTraceRounds   = 64
)

// TraceProofs are the verified state values a trace is built from, all
// at one height, keyed by state key. Every entry MUST come from a
// verified read (Client.Get or GetAt); EvaluateTrace checks that they fit
// together and that each event hashes to its key, not the proofs.
type TraceProofs struct {
	Height int64
	Values map[string]*Proven
}

// EvaluateTrace builds the trace of q from proven state values with
// verification.EvaluateTrace (pure; see there). While values are missing
// it returns a *MissingProofsError naming them.
func EvaluateTrace(q TraceQuery, p *TraceProofs) (*Trace, error) {
	in := &verification.TraceValues{Height: p.Height, Values: make(map[string]*verification.Value, len(p.Values))}
	for k, pv := range p.Values {
		if pv == nil {
			in.Values[k] = nil
			continue
		}
		v := &verification.Value{Key: pv.Key, Value: pv.Value, Height: pv.Height}
		if pv.Header != nil {
			v.Time = pv.Header.Time
		}
		in.Values[k] = v
	}
	return verification.EvaluateTrace(q, in)
}

// TraceProduct builds the trace of q from verified reads only, all at one
// height (the latest when it starts): EvaluateTrace names the state values
// it needs, they are read with proofs, and it runs again until complete.
func (c *Client) TraceProduct(ctx context.Context, q TraceQuery) (*Trace, error) {
	cur, err := c.Current(ctx)
	if err != nil {
		return nil, err
	}
	// The state after the current header's block L (read your writes: an
	// event just committed in L is in it), proven under header L+1.
	p := &TraceProofs{Height: cur.Height, Values: map[string]*Proven{}}
	for round := 0; ; round++ {
		tr, err := EvaluateTrace(q, p)
		var miss *MissingProofsError
		if !errors.As(err, &miss) {
			return tr, err
		}
		if round >= maxTraceRounds || len(p.Values)+len(miss.Keys) > 20000 {
			return nil, fmt.Errorf("trace of %v needs too many reads", q)
		}
		if err := c.getMany(ctx, p, miss.Keys); err != nil {
			return nil, err
		}
	}
}

// getMany reads keys at p.Height with proofs, a few at a time.
func (c *Client) getMany(ctx context.Context, p *TraceProofs, keys [][]byte) error {
	var mu sync.Mutex
	var firstErr error
	sem := make(chan struct{}, 8)
	var wg sync.WaitGroup
	for _, k := range keys {
		wg.Add(1)
		sem <- struct{}{}
		go func(k []byte) {
			defer wg.Done()
			defer func() { <-sem }()
			pv, err := c.GetAt(ctx, p.Height, k)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				if firstErr == nil {
					firstErr = err
				}
				return
			}
			p.Values[string(k)] = pv
		}(k)
	}
	wg.Wait()
	return firstErr
}

// GetAt is Get for the state after block height (pinned), so that many
// reads share one verified header (H+1). It answers "as of height", not
// "now": verdicts read under Current.
func (c *Client) GetAt(ctx context.Context, height int64, key []byte) (*Proven, error) {
	v, err := c.Verifier(ctx)
	if err != nil {
		return nil, err
	}
	r, err := c.queryAt(ctx, height, key)
	if err != nil {
		return nil, err
	}
	lb, err := c.waitHeader(ctx, v, r.Height+1)
	if err != nil {
		return nil, err
	}
	return provenUnder(key, r, lb)
}

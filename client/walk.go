package client

import (
	"bytes"
	"context"
	"fmt"

	"github.com/cometbft/cometbft/light/provider"
	"github.com/cometbft/cometbft/types"

	"github.com/danangchain/danangchain/registry"
)

// Transition is one change of the validator set: the header at Height is
// the first signed by the new set; the header at Height-1, signed by more
// than 2/3 of the previous set, names the new set as its next validators.
type Transition struct {
	Height   int64
	Previous []byte // hash of the set that signed Height-1
	Next     []byte // hash of the set that signs Height
	// Signed is header Height-1 with its commit and the previous set;
	// NextSet is the set it hands over to (what receipts carry).
	Signed  *types.LightBlock
	NextSet *types.ValidatorSet
}

// walkToLatest follows the validator set from a trusted light block (the
// chain's first block checked against genesis, a trust point, or a header
// verified earlier) to the primary's latest header, one transition at a
// time, and returns that header and the transitions it crossed.
//
// Every step needs more than 2/3 of a set already trusted: header h-1 is
// signed by >2/3 of the trusted set and names the next set's hash, header
// h is signed by >2/3 of that next set and links to h-1; the latest header
// is signed by >2/3 of the last set. A node that hides or invents a
// transition can only make the walk fail (deny), never make it accept a
// set that the previous trusted set did not hand over to. The walk needs no
// trusting period: it never skips over a set change on a minority's word.
func walkToLatest(ctx context.Context, chainID string, trusted *types.LightBlock, p provider.Provider) (*types.LightBlock, []Transition, error) {
	latest, err := p.LightBlock(ctx, 0)
	if err != nil {
		return nil, nil, fmt.Errorf("latest header: %w", err)
	}
	return walkTo(ctx, chainID, trusted, latest, p)
}

// walkTo is walkToLatest towards a given (unverified) target header.
func walkTo(ctx context.Context, chainID string, trusted, target *types.LightBlock, p provider.Provider) (*types.LightBlock, []Transition, error) {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w: %s", registry.ErrProofInvalid, fmt.Sprintf(format, args...))
	}
	if err := target.ValidateBasic(chainID); err != nil {
		return nil, nil, bad("header %d: %v", target.Height, err)
	}
	if target.Height < trusted.Height {
		return nil, nil, fmt.Errorf("%w: the node's latest header %d is older than the verified header %d",
			registry.ErrNotCurrent, target.Height, trusted.Height)
	}
	var crossed []Transition
	for {
		set := trusted.ValidatorSet
		if bytes.Equal(target.ValidatorsHash, set.Hash()) {
			if target.Height == trusted.Height {
				if !bytes.Equal(target.Hash(), trusted.Hash()) {
					return nil, nil, bad("header %d differs from the verified one", target.Height)
				}
				return trusted, crossed, nil
			}
			if err := set.VerifyCommitLight(chainID, target.Commit.BlockID, target.Height, target.Commit); err != nil {
				return nil, nil, bad("header %d is not signed by more than 2/3 of the trusted validators: %v", target.Height, err)
			}
			return target, crossed, nil
		}
		// Some header in (trusted, target] is signed by another set: find a
		// boundary lo|hi where lo is still signed by the trusted set.
		lo, hi := trusted, target
		for hi.Height-lo.Height > 1 {
			mid, err := p.LightBlock(ctx, lo.Height+(hi.Height-lo.Height)/2)
			if err != nil {
				return nil, nil, fmt.Errorf("header %d: %w", lo.Height+(hi.Height-lo.Height)/2, err)
			}
			if err := mid.ValidateBasic(chainID); err != nil {
				return nil, nil, bad("header %d: %v", mid.Height, err)
			}
			if bytes.Equal(mid.ValidatorsHash, set.Hash()) {
				lo = mid
			} else {
				hi = mid
			}
		}
		if lo != trusted {
			if !bytes.Equal(lo.ValidatorsHash, set.Hash()) {
				return nil, nil, bad("header %d: validators changed without a handover", lo.Height)
			}
			if err := set.VerifyCommitLight(chainID, lo.Commit.BlockID, lo.Height, lo.Commit); err != nil {
				return nil, nil, bad("header %d is not signed by more than 2/3 of the trusted validators: %v", lo.Height, err)
			}
		}
		if !bytes.Equal(hi.ValidatorsHash, lo.NextValidatorsHash) {
			return nil, nil, bad("header %d is signed by validators %X that header %d (signed by the trusted set) did not hand over to",
				hi.Height, hi.ValidatorsHash, lo.Height)
		}
		if !bytes.Equal(hi.LastBlockID.Hash, lo.Hash()) {
			return nil, nil, bad("header %d does not follow header %d", hi.Height, lo.Height)
		}
		if err := hi.ValidatorSet.VerifyCommitLight(chainID, hi.Commit.BlockID, hi.Height, hi.Commit); err != nil {
			return nil, nil, bad("header %d is not signed by more than 2/3 of its validators: %v", hi.Height, err)
		}
		if lo == trusted && lo.Commit == nil {
			return nil, nil, bad("header %d has no commit", lo.Height)
		}
		crossed = append(crossed, Transition{Height: hi.Height, Previous: set.Hash(), Next: hi.ValidatorsHash,
			Signed: lo, NextSet: hi.ValidatorSet})
		trusted = hi
	}
}

package client

import (
	"context"
	"errors"
	"sync"

	"github.com/danangchain/danangchain/registry"
)

// idemCache remembers, per idempotency key, the exact signed tx sent for
// it, so that a retry re-sends the same bytes (same signer, nonce and
// expiry) instead of a new transaction.
type idemCache struct {
	mu sync.Mutex
	m  map[string]*registry.Tx
}

func newIdemCache() *idemCache { return &idemCache{m: map[string]*registry.Tx{}} }

// SubmitIdempotent submits msg at most once per idempotency key: calling it
// again with the same key (after a timeout, a crash of the RPC, a lost
// answer) re-sends the identical signed tx and returns the original
// commit. The chain refuses a second inclusion (replay), so there can
// never be two records. Keys are remembered by this Client; across
// process restarts, records that carry a document hash (results, anchors)
// are idempotent on chain by themselves.
func (c *Client) SubmitIdempotent(ctx context.Context, s Signer, key string, msg registry.Msg) (*TxResult, error) {
	c.idem.mu.Lock()
	tx, ok := c.idem.m[key]
	c.idem.mu.Unlock()
	if !ok {
		var err error
		if tx, err = c.BuildTx(ctx, s.PubKey(), msg); err != nil {
			return nil, err
		}
		if err := Sign(tx, s); err != nil {
			return nil, err
		}
		c.idem.mu.Lock()
		if prev, raced := c.idem.m[key]; raced {
			tx = prev
		} else {
			c.idem.m[key] = tx
		}
		c.idem.mu.Unlock()
	}
	b := tx.Encode()
	hash, err := c.BroadcastAsync(ctx, b)
	if errors.Is(err, registry.ErrReplay) {
		// Already committed by an earlier attempt: fetch its result.
		return c.WaitTx(ctx, hashOf(b))
	}
	if err != nil {
		return nil, err
	}
	return c.WaitTx(ctx, hash)
}

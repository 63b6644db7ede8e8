package client

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	mrand "math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"time"

	rpchttp "github.com/cometbft/cometbft/rpc/client/http"
	ctypes "github.com/cometbft/cometbft/rpc/core/types"
	"github.com/cometbft/cometbft/types"

	"github.com/danangchain/danangchain/registry"
)

// Signer signs transactions; keyring.Signer and HSM adapters satisfy it.
type Signer interface {
	PubKey() []byte
	Sign(msg []byte) ([]byte, error)
}

// Client talks to one node's RPC.
type Client struct {
	url        string
	rpc        *rpchttp.HTTP
	chainID    string
	ttl        uint64
	pollEvery  time.Duration
	httpClient *http.Client
	genesis    *types.GenesisDoc
	trust      Trust
	verifier   *Verifier
	retries    int
	backoff    time.Duration
	idem       *idemCache
	hmu        sync.Mutex // guards chainID, height, heightAt
	vmu        sync.Mutex // guards verifier
	height     int64
	heightAt   time.Time
}

// Option configures a Client.
type Option func(*Client)

// WithChainID pins the chain id (otherwise it is read from the node).
func WithChainID(id string) Option { return func(c *Client) { c.chainID = id } }

// WithTTL sets how many blocks a tx stays valid (default 100).
func WithTTL(blocks uint64) Option { return func(c *Client) { c.ttl = blocks } }

// WithHTTPClient sets the HTTP client used for RPC.
func WithHTTPClient(h *http.Client) Option { return func(c *Client) { c.httpClient = h } }

// WithGenesis sets the trusted genesis for verified reads.
func WithGenesis(g *types.GenesisDoc) Option { return func(c *Client) { c.genesis = g } }

// WithRetry sets how many times a broadcast is retried after a network
// error (default 3), with jittered exponential backoff from base. Only the
// identical signed bytes are ever re-sent, so a retry can never create a
// second record: the chain refuses the same (signer, nonce) twice.
func WithRetry(n int, base time.Duration) Option {
	return func(c *Client) { c.retries, c.backoff = n, base }
}

// WithTimeout sets the HTTP timeout of each RPC call (default 30 s).
func WithTimeout(d time.Duration) Option {
	return func(c *Client) {
		if c.httpClient == nil {
			c.httpClient = &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
		}
		c.httpClient.Timeout = d
	}
}

// WithPollInterval sets how often commit is polled (default 250 ms).
func WithPollInterval(d time.Duration) Option { return func(c *Client) { c.pollEvery = d } }

// New returns a client for nodeURL (e.g. http://127.0.0.1:26657).
func New(nodeURL string, opts ...Option) (*Client, error) {
	if !strings.Contains(nodeURL, "://") {
		nodeURL = "http://" + nodeURL
	}
	c := &Client{url: nodeURL, ttl: 100, pollEvery: 250 * time.Millisecond, retries: 3, backoff: 200 * time.Millisecond, idem: newIdemCache()}
	for _, o := range opts {
		o(c)
	}
	if c.httpClient == nil {
		c.httpClient = &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	}
	rpc, err := rpchttp.NewWithClient(nodeURL, "/websocket", c.httpClient)
	if err != nil {
		return nil, fmt.Errorf("client: %w", err)
	}
	c.rpc = rpc
	return c, nil
}

// Close releases the verifier's light-client store (a no-op for clients
// that never verified a read or keep headers in memory).
func (c *Client) Close() error {
	c.vmu.Lock()
	defer c.vmu.Unlock()
	if c.verifier == nil {
		return nil
	}
	err := c.verifier.Close()
	c.verifier = nil
	return err
}

// URL returns the node URL.
func (c *Client) URL() string { return c.url }

// RPC exposes the underlying CometBFT RPC client (unverified reads).
func (c *Client) RPC() *rpchttp.HTTP { return c.rpc }

// Status returns the node's status (unverified).
func (c *Client) Status(ctx context.Context) (*ctypes.ResultStatus, error) { return c.rpc.Status(ctx) }

// ChainID returns the pinned chain id or asks the node once.
func (c *Client) ChainID(ctx context.Context) (string, error) {
	c.hmu.Lock()
	id := c.chainID
	c.hmu.Unlock()
	if id != "" {
		return id, nil
	}
	st, err := c.rpc.Status(ctx)
	if err != nil {
		return "", fmt.Errorf("status: %w", err)
	}
	c.hmu.Lock()
	c.chainID = st.NodeInfo.Network
	c.hmu.Unlock()
	return st.NodeInfo.Network, nil
}

// BuildTx returns an unsigned tx for msg from pub: a random 16-byte
// nonce and an expiry TTL blocks after the node's latest height. Sign it
// (here or elsewhere) by setting Signature over tx.SignBytes(). msg's
// stateless checks (ValidateBasic) run first, locally.
func (c *Client) BuildTx(ctx context.Context, pub []byte, msg registry.Msg) (*registry.Tx, error) {
	// The chain repeats every check; running the stateless ones here turns
	// a bad field into a local, immediate error instead of a round trip.
	if msg == nil {
		return nil, registry.Errorf(registry.ErrInvalid, "no message")
	}
	if err := msg.ValidateBasic(); err != nil {
		return nil, err
	}
	chainID, err := c.ChainID(ctx)
	if err != nil {
		return nil, err
	}
	latest, err := c.latestHeight(ctx)
	if err != nil {
		return nil, err
	}
	nonce := make([]byte, 16)
	if _, err := rand.Read(nonce); err != nil {
		return nil, err
	}
	return &registry.Tx{ChainID: chainID, Signer: pub, Nonce: nonce,
		ExpiresAt: uint64(latest) + c.ttl, Msg: msg}, nil
}

// latestHeight returns the node's latest height, cached for a second so
// that many concurrent writes do not each ask for it.
func (c *Client) latestHeight(ctx context.Context) (int64, error) {
	c.hmu.Lock()
	h, at := c.height, c.heightAt
	c.hmu.Unlock()
	if h > 0 && time.Since(at) < time.Second {
		return h, nil
	}
	st, err := c.rpc.Status(ctx)
	if err != nil {
		return 0, fmt.Errorf("status: %w", err)
	}
	c.hmu.Lock()
	c.height, c.heightAt = st.SyncInfo.LatestBlockHeight, time.Now()
	c.hmu.Unlock()
	return st.SyncInfo.LatestBlockHeight, nil
}

// Sign fills tx.Signature with signer.
func Sign(tx *registry.Tx, s Signer) error {
	sig, err := s.Sign(tx.SignBytes())
	if err != nil {
		return fmt.Errorf("sign: %w", err)
	}
	tx.Signature = sig
	return nil
}

// TxResult is a committed transaction.
type TxResult struct {
	Hash   []byte
	Height int64
	Data   []byte
	Log    string
	Events []registry.Event
}

// Submit builds, signs, broadcasts msg and waits for its commit.
func (c *Client) Submit(ctx context.Context, s Signer, msg registry.Msg) (*TxResult, error) {
	tx, err := c.BuildTx(ctx, s.PubKey(), msg)
	if err != nil {
		return nil, err
	}
	if err := Sign(tx, s); err != nil {
		return nil, err
	}
	return c.Broadcast(ctx, tx)
}

// Broadcast sends a signed tx and waits until it is committed. A
// rejection returns an error that matches its registry sentinel.
func (c *Client) Broadcast(ctx context.Context, tx *registry.Tx) (*TxResult, error) {
	hash, err := c.BroadcastAsync(ctx, tx.Encode())
	if err != nil {
		return nil, err
	}
	return c.WaitTx(ctx, hash)
}

// BroadcastAsync sends tx bytes and returns their hash once the node's
// CheckTx accepted them (not yet committed). Network errors are retried
// with jittered backoff (the same bytes only).
func (c *Client) BroadcastAsync(ctx context.Context, txBytes []byte) ([]byte, error) {
	var lastErr error
	for attempt := 0; attempt <= c.retries; attempt++ {
		if attempt > 0 {
			d := c.backoff << (attempt - 1)
			d += time.Duration(mrand.Int64N(int64(d/2) + 1))
			select {
			case <-ctx.Done():
				return nil, ctx.Err()
			case <-time.After(d):
			}
		}
		res, err := c.rpc.BroadcastTxSync(ctx, txBytes)
		if err != nil {
			if strings.Contains(err.Error(), "tx already exists in cache") {
				return types.Tx(txBytes).Hash(), nil
			}
			lastErr = fmt.Errorf("broadcast: %w", err)
			if ctx.Err() != nil {
				return nil, lastErr
			}
			continue
		}
		if res.Code != 0 {
			return nil, registry.FromCode(res.Codespace, res.Code, res.Log)
		}
		return res.Hash, nil
	}
	return nil, lastErr
}

// ErrTimeout is returned when a tx is not committed before ctx ends.
var ErrTimeout = errors.New("client: tx not committed in time")

// WaitTx polls until the tx with hash is committed.
func (c *Client) WaitTx(ctx context.Context, hash []byte) (*TxResult, error) {
	t := time.NewTicker(c.pollEvery)
	defer t.Stop()
	for {
		res, err := c.rpc.Tx(ctx, hash, false)
		if err == nil {
			if res.TxResult.Code != 0 {
				return nil, registry.FromCode(res.TxResult.Codespace, res.TxResult.Code, res.TxResult.Log)
			}
			out := &TxResult{Hash: hash, Height: res.Height, Data: res.TxResult.Data, Log: res.TxResult.Log}
			for _, e := range res.TxResult.Events {
				ev := registry.Event{Type: e.Type}
				for _, a := range e.Attributes {
					ev.Attrs = append(ev.Attrs, registry.Attr{Key: a.Key, Value: a.Value})
				}
				out.Events = append(out.Events, ev)
			}
			return out, nil
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("%w: %X: %v", ErrTimeout, hash, context.Cause(ctx))
		case <-t.C:
		}
	}
}

// ProveRecords returns the records that msg's committed tx (res) wrote,
// each read with its ICS23 proof against a light-client-verified header —
// at one recent height at or after the commit (several records share one
// header), so a record changed since shows its newer value. msg
// must name its records (registry.RecordKeyer: anchors, Merkle roots,
// issued and superseding results).
func (c *Client) ProveRecords(ctx context.Context, msg registry.Msg, res *TxResult) ([]*Proven, error) {
	rk, ok := msg.(registry.RecordKeyer)
	if !ok {
		return nil, fmt.Errorf("client: %T does not name its records; read them with Get", msg)
	}
	keys, err := rk.RecordKeys(res.Data)
	if err != nil {
		return nil, fmt.Errorf("client: record keys: %w", err)
	}
	// Pin one height at or after the commit (the current header's state
	// when it is that far, else the commit's, waiting for its header), so
	// all records share one verified header.
	cur, err := c.Current(ctx)
	if err != nil {
		return nil, err
	}
	h := max(res.Height, cur.Height-1)
	out := make([]*Proven, 0, len(keys))
	for _, k := range keys {
		p, err := c.GetAt(ctx, h, k)
		if err != nil {
			return nil, err
		}
		if p.Value == nil {
			return nil, fmt.Errorf("%w: record %X proven absent after its commit", registry.ErrProofInvalid, k)
		}
		out = append(out, p)
	}
	return out, nil
}

// SubmitProven is Submit followed by ProveRecords: the commit's height and
// tx hash, and the proven records it wrote.
func (c *Client) SubmitProven(ctx context.Context, s Signer, msg registry.Msg) (*TxResult, []*Proven, error) {
	res, err := c.Submit(ctx, s, msg)
	if err != nil {
		return nil, nil, err
	}
	proofs, err := c.ProveRecords(ctx, msg, res)
	return res, proofs, err
}

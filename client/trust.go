package client

import (
	"encoding/hex"
	"fmt"
	"os"
	"strings"
	"time"

	dbm "github.com/cometbft/cometbft-db"
	lightstore "github.com/cometbft/cometbft/light/store"
	lightdb "github.com/cometbft/cometbft/light/store/db"
)

// Trust says where verified reads root their trust besides the genesis
// file, and who cross-checks the node's headers.
//
// With none of it set, the light client starts at the chain's first block
// (which needs a node that still has it). A trust point (Height, Hash: a
// header the caller got from a source it trusts, e.g. the city's published
// checkpoint or a node it runs itself) lets a client start against nodes
// restored by state sync or pruned. StoreDir keeps verified headers on disk,
// so the next run continues from the newest one instead of starting over.
type Trust struct {
	Height    int64
	Hash      []byte
	Witnesses []string // RPC URLs of other nodes that cross-check headers
	StoreDir  string   // light-client store ("" = in memory)
	// MaxHeaderAge: how old (on the verifier's clock) the newest header may
	// be for a verdict to count as current (0 = DefaultMaxHeaderAge).
	MaxHeaderAge time.Duration
	// TrustingPeriod: how long a verified header is a starting point by
	// itself (0 = DefaultTrustingPeriod); older ones are renewed by walking
	// the validator-set transitions.
	TrustingPeriod time.Duration
}

// lightStore is the light-client store the verifier owns.
type lightStore = lightstore.Store

// openStore opens the light-client store: on disk in StoreDir (one
// database per chain id), else in memory. The closer releases it.
func (t Trust) openStore(chainID string) (lightStore, func() error, error) {
	var db dbm.DB = dbm.NewMemDB()
	if t.StoreDir != "" {
		if err := os.MkdirAll(t.StoreDir, 0o700); err != nil {
			return nil, nil, fmt.Errorf("light store: %w", err)
		}
		var err error
		if db, err = dbm.NewGoLevelDB("light-"+chainID, t.StoreDir); err != nil {
			return nil, nil, fmt.Errorf("light store: %w", err)
		}
	}
	return lightdb.New(db, chainID), db.Close, nil
}

// ParseTrustHash decodes a header hash given as hex (upper or lower case).
func ParseTrustHash(s string) ([]byte, error) {
	b, err := hex.DecodeString(strings.TrimSpace(s))
	if err != nil || len(b) != 32 {
		return nil, fmt.Errorf("trust hash: want 64 hex characters (a header hash), got %q", s)
	}
	return b, nil
}

// WithTrustPoint starts verified reads from header height with hash (a
// header the caller trusts) instead of the chain's first block.
func WithTrustPoint(height int64, hash []byte) Option {
	return func(c *Client) { c.trust.Height, c.trust.Hash = height, hash }
}

// WithWitnesses sets other nodes that cross-check every header the node
// serves; a disagreement is reported as a fork, never silently accepted.
func WithWitnesses(urls ...string) Option {
	return func(c *Client) { c.trust.Witnesses = append(c.trust.Witnesses, urls...) }
}

// WithMaxHeaderAge sets how old the newest verified header may be, on this
// computer's clock, for a verdict to count as current (default
// DefaultMaxHeaderAge); past it reads fail with registry.ErrNotCurrent.
func WithMaxHeaderAge(d time.Duration) Option { return func(c *Client) { c.trust.MaxHeaderAge = d } }

// WithTrustingPeriod bounds how long a verified header (e.g. in the light
// store) is trusted as a starting point by itself (default
// DefaultTrustingPeriod).
func WithTrustingPeriod(d time.Duration) Option {
	return func(c *Client) { c.trust.TrustingPeriod = d }
}

// WithLightStore keeps verified headers in dir, so later runs continue from
// the newest verified header.
func WithLightStore(dir string) Option { return func(c *Client) { c.trust.StoreDir = dir } }

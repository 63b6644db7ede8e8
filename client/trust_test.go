package client_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/danangchain/danangchain/client"
	"github.com/danangchain/danangchain/node"
	"github.com/danangchain/danangchain/registry"
)

// headerAt returns the hash of header h as the node reports it (what an
// operator would publish as a checkpoint).
func headerAt(t *testing.T, h int64) []byte {
	t.Helper()
	c, err := client.New(exampleURL)
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for {
		st, err := c.Status(ctx)
		require.NoError(t, err)
		if st.SyncInfo.LatestBlockHeight >= h {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	cm, err := c.RPC().Commit(ctx, &h)
	require.NoError(t, err)
	return cm.SignedHeader.Hash()
}

func TestTrustPointStartsAboveBlockOne(t *testing.T) {
	gen, err := node.LoadGenesis(exampleHome)
	require.NoError(t, err)
	hash := headerAt(t, 3)
	c, err := client.New(exampleURL, client.WithGenesis(gen), client.WithTrustPoint(3, hash))
	require.NoError(t, err)
	defer c.Close()
	p, err := c.Get(context.Background(), registry.AgencyKey("ubnd-phuong-hai-chau"))
	require.NoError(t, err)
	require.NotNil(t, p.Value)
	require.GreaterOrEqual(t, p.Header.Height, int64(3))
}

func TestTrustPointWrongHashRefused(t *testing.T) {
	gen, err := node.LoadGenesis(exampleHome)
	require.NoError(t, err)
	hash := headerAt(t, 3)
	for name, mod := range map[string]func() (int64, []byte){
		"flipped byte": func() (int64, []byte) { h := append([]byte(nil), hash...); h[7] ^= 1; return 3, h },
		"other height": func() (int64, []byte) { return 2, hash },
	} {
		t.Run(name, func(t *testing.T) {
			height, h := mod()
			c, err := client.New(exampleURL, client.WithGenesis(gen), client.WithTrustPoint(height, h))
			require.NoError(t, err)
			defer c.Close()
			_, err = c.Get(context.Background(), registry.AgencyKey("ubnd-phuong-hai-chau"))
			require.Error(t, err)
			require.True(t, errors.Is(err, registry.ErrProofInvalid), "%v", err)
		})
	}
}

func TestLightStoreContinuesFromVerifiedHeaders(t *testing.T) {
	gen, err := node.LoadGenesis(exampleHome)
	require.NoError(t, err)
	dir := t.TempDir()
	key := registry.AgencyKey("ubnd-phuong-hai-chau")

	first, err := client.New(exampleURL, client.WithGenesis(gen), client.WithLightStore(dir))
	require.NoError(t, err)
	_, err = first.Get(context.Background(), key)
	require.NoError(t, err)
	require.NoError(t, first.Close())

	// The store holds verified headers: a later client continues from them
	// and never needs the (here deliberately wrong) trust point.
	bogus := make([]byte, 32)
	second, err := client.New(exampleURL, client.WithGenesis(gen), client.WithLightStore(dir), client.WithTrustPoint(2, bogus))
	require.NoError(t, err)
	defer second.Close()
	_, err = second.Get(context.Background(), key)
	require.NoError(t, err)

	// Two stores for two chains do not mix: another chain id starts empty.
	other := *gen
	other.ChainID = "another-chain"
	third, err := client.New(exampleURL, client.WithGenesis(&other), client.WithLightStore(dir))
	require.NoError(t, err)
	defer third.Close()
	_, err = third.Get(context.Background(), key)
	require.Error(t, err)
}

func TestParseTrustHash(t *testing.T) {
	h := fmt.Sprintf("%X", make([]byte, 32))
	b, err := client.ParseTrustHash(h)
	require.NoError(t, err)
	require.Len(t, b, 32)
	for _, bad := range []string{"", "abc", h[:62], h + "00", "zz" + h[2:]} {
		_, err := client.ParseTrustHash(bad)
		require.Error(t, err, bad)
	}
}

package networks_test

import (
	"context"
	"testing"

	"github.com/cometbft/cometbft/types"
	"github.com/stretchr/testify/require"

	"github.com/danangchain/danangchain/client"
)

// checkReceipt builds an offline receipt for key from a verified read on a
// live network, verifies it with no network, and checks that flipping any
// single byte makes it fail.
func checkReceipt(t *testing.T, rpc string, gen *types.GenesisDoc, key []byte) []byte {
	t.Helper()
	c, err := client.New(rpc, client.WithGenesis(gen))
	require.NoError(t, err)
	p, err := c.Get(context.Background(), key)
	require.NoError(t, err)
	r, err := client.NewReceipt(p, gen)
	require.NoError(t, err)
	b, err := r.Encode()
	require.NoError(t, err)
	v, err := client.VerifyReceiptBytes(b, gen, nil)
	require.NoError(t, err)
	require.Equal(t, key, v.Key)
	require.Equal(t, p.Value, v.Value)
	for i := range b {
		m := append([]byte(nil), b...)
		m[i] ^= 0x01
		_, err := client.VerifyReceiptBytes(m, gen, nil)
		require.Error(t, err, "receipt with byte %d flipped still verifies", i)
	}
	t.Logf("receipt: %d bytes, %d signatures of %d validators", len(b), len(r.Sigs), p.Validators.Size())
	return b
}

package verification_test

import (
	"fmt"
	"math/rand"
	"strings"
	"testing"

	"github.com/cometbft/cometbft/crypto/ed25519"
	cmtjson "github.com/cometbft/cometbft/libs/json"
	"github.com/cometbft/cometbft/types"
	"github.com/stretchr/testify/require"

	"github.com/danangchain/danangchain/registry"
	"github.com/danangchain/danangchain/verification"
)

// TestTrustRootFromGenesis: the root of a CometBFT genesis is its chain id
// and its validators in the order CometBFT puts them.
func TestTrustRootFromGenesis(t *testing.T) {
	r := rand.New(rand.NewSource(7))
	for i := 0; i < 50; i++ {
		gen := &types.GenesisDoc{ChainID: fmt.Sprintf("danang-%d", i)}
		for j := 0; j < 1+r.Intn(8); j++ {
			pk := ed25519.GenPrivKeyFromSecret([]byte(fmt.Sprint(i, j))).PubKey()
			gen.Validators = append(gen.Validators, types.GenesisValidator{PubKey: pk, Power: 1 + r.Int63n(3), Name: "v"})
		}
		require.NoError(t, gen.ValidateAndComplete())
		js, err := cmtjson.Marshal(gen)
		require.NoError(t, err)
		root, err := verification.TrustRootFromGenesis(js)
		require.NoError(t, err)
		require.Equal(t, gen.ChainID, root.ChainID)
		var vals []*types.Validator
		for _, v := range gen.Validators {
			vals = append(vals, types.NewValidator(v.PubKey, v.Power))
		}
		set := types.NewValidatorSet(vals)
		require.Len(t, root.Validators, set.Size())
		for j, v := range set.Validators {
			require.Equal(t, v.PubKey.Bytes(), root.Validators[j].PubKey)
			require.Equal(t, v.VotingPower, root.Validators[j].Power)
		}
		require.Equal(t, set.Hash(), verification.ValidatorSetHash(root.Validators))
	}
}

func TestTrustRootFromGenesisRefuses(t *testing.T) {
	const key = "kDi5CvLnCFEKqYFDVcp4kMm3+qSMzBStT4bYDM2Ymvk="
	val := func(typ, value, power, addr string) string {
		return fmt.Sprintf(`{"address":%q,"pub_key":{"type":%q,"value":%q},"power":%q}`, addr, typ, value, power)
	}
	ok := val("tendermint/PubKeyEd25519", key, "10", "")
	gen := func(chainID string, vals ...string) string {
		return fmt.Sprintf(`{"chain_id":%q,"validators":[%s]}`, chainID, strings.Join(vals, ","))
	}
	_, err := verification.TrustRootFromGenesis([]byte(gen("c", ok)))
	require.NoError(t, err)
	for _, c := range []struct {
		name, json string
		want       error
	}{
		{"not json", `{"chain_id":`, registry.ErrMalformed},
		{"power a number", `{"chain_id":"c","validators":[{"pub_key":{"type":"tendermint/PubKeyEd25519","value":"` + key + `"},"power":10}]}`, registry.ErrMalformed},
		{"no chain id", gen("", ok), registry.ErrInvalid},
		{"chain id too long", gen(strings.Repeat("c", 51), ok), registry.ErrInvalid},
		{"no validators", gen("c"), registry.ErrInvalid},
		{"other key type", gen("c", val("tendermint/PubKeySecp256k1", key, "10", "")), registry.ErrInvalid},
		{"short key", gen("c", val("tendermint/PubKeyEd25519", "AAAA", "10", "")), registry.ErrInvalid},
		{"bad base64", gen("c", val("tendermint/PubKeyEd25519", "!", "10", "")), registry.ErrMalformed},
		{"zero power", gen("c", val("tendermint/PubKeyEd25519", key, "0", "")), registry.ErrInvalid},
		{"negative power", gen("c", val("tendermint/PubKeyEd25519", key, "-1", "")), registry.ErrInvalid},
		{"power too large", gen("c", val("tendermint/PubKeyEd25519", key, "1152921504606846976", "")), registry.ErrInvalid},
		{"twice", gen("c", ok, ok), registry.ErrInvalid},
		{"wrong address", gen("c", val("tendermint/PubKeyEd25519", key, "10", "0000000000000000000000000000000000000000")), registry.ErrInvalid},
	} {
		_, err := verification.TrustRootFromGenesis([]byte(c.json))
		require.ErrorIs(t, err, c.want, c.name)
	}
	_, err = verification.VerifyReceipt([]byte("DNR1"), nil)
	require.ErrorIs(t, err, registry.ErrInvalid)
	_, err = verification.VerifyReceipt([]byte("DNR1"), &verification.TrustRoot{ChainID: "c"})
	require.ErrorIs(t, err, registry.ErrInvalid)
}

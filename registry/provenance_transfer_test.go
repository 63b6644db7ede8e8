package registry

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestProvenanceTransfer(t *testing.T) {
	c := newProvChain(t)
	item := c.register(artisanKey, nil)
	kimBong := c.register(kimBongKey, nil)
	c.recordEvents(farmKey, objectEvent("commissioning", "active", ActionAdd, farmGLN, c.time, pigID))
	pig := c.productOf(pigID).ID
	buyer := Owner{Kind: OwnerCommitment, Value: HolderCommitment(testSalt, "048099001234")}
	transfer := func(k keyPair, product uint64, to Owner, onBehalf bool) error {
		return c.try(k, &MsgTransferItem{Product: product, To: to, OnBehalf: onBehalf})
	}

	cases := []struct {
		name     string
		key      keyPair
		product  uint64
		to       Owner
		onBehalf bool
		want     *Error
	}{
		{"bad owner kind", artisanKey, item, Owner{Kind: 3, Value: buyerKey.pub}, false, ErrInvalid},
		{"short owner", artisanKey, item, Owner{Kind: OwnerKey, Value: buyerKey.pub[:8]}, false, ErrInvalid},
		{"unknown product", artisanKey, 999, keyOwner(retailerKey), false, ErrNotFound},
		{"a food object has no owner on chain", farmKey, pig, keyOwner(retailerKey), false, ErrInvalid},
		{"to its current owner", artisanKey, item, keyOwner(artisanKey), false, ErrInvalid},
		{"signed by another key of the maker's workshop", artisanKey2, item, keyOwner(retailerKey), false, ErrUnauthorized},
		{"signed by the registrar while the owner can sign", coopKey, item, keyOwner(retailerKey), true, ErrUnauthorized},
		{"1: the maker sells to a shop", artisanKey, item, keyOwner(retailerKey), false, nil},
		{"the maker no longer owns it", artisanKey, item, keyOwner(coopKey), false, ErrUnauthorized},
		{"2: the shop sells to a buyer without a key", retailerKey, item, buyer, false, nil},
		{"nobody can sign for a commitment", retailerKey, item, keyOwner(retailerKey), false, ErrUnauthorized},
		{"another registrar cannot act on the owner's behalf", otherRegKey, item, keyOwner(buyerKey), true, ErrUnauthorized},
		{"3: the maker's registrar records a resale on the owner's behalf", coopKey, item, keyOwner(buyerKey), true, nil},
		{"4: ... and again for an owner whose key is not registered", coopKey, item, keyOwner(coopKey), true, nil},
		{"the registrar then signs as the owner", coopKey, item, keyOwner(artisanKey), false, nil},
		{"kim bong's own registrar", otherRegKey, kimBong, keyOwner(buyerKey), true, ErrUnauthorized},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := transfer(tc.key, tc.product, tc.to, tc.onBehalf)
			if tc.want == nil {
				require.NoError(t, err)
				return
			}
			requireErrIs(t, err, tc.want)
		})
	}

	p := c.product(item)
	require.Equal(t, uint64(5), p.Transfers)
	assert.Equal(t, keyOwner(artisanKey), p.Craft.Owner)
	var history []*Transfer
	for n := uint64(1); n <= p.Transfers; n++ {
		b, err := c.store.Get(TransferKey(item, n))
		require.NoError(t, err)
		tr, err := DecodeTransfer(b)
		require.NoError(t, err)
		history = append(history, tr)
	}
	owners := []Owner{keyOwner(artisanKey), keyOwner(retailerKey), buyer, keyOwner(buyerKey), keyOwner(coopKey), keyOwner(artisanKey)}
	for i, tr := range history {
		assert.Equal(t, uint64(i+1), tr.Seq)
		assert.Equal(t, owners[i], tr.From, "transfer %d", i+1)
		assert.Equal(t, owners[i+1], tr.To, "transfer %d", i+1)
	}
	assert.False(t, history[0].OnBehalf)
	assert.Equal(t, artisanID, history[0].Agency)
	assert.True(t, history[2].OnBehalf)
	assert.Equal(t, coopID, history[2].Agency)
	assert.Equal(t, "key:"+KeyID(retailerKey.pub), keyOwner(retailerKey).String())
}

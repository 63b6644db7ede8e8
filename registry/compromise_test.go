package registry

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestKeyCompromised(t *testing.T) {
	c := newChain(t)
	c.advanceTo(c.height + 5)
	c.mustDeliver(haiChau, &MsgAddSubKey{PubKey: official1.pub, Label: "Cán bộ 01", Scope: []string{"anchor"}})
	added := uint64(c.height)
	c.nextBlock()
	c.mustDeliver(official1, anchor("trước khi lộ"))
	c.nextBlock()
	leakedAt := uint64(c.height)
	c.mustDeliver(official1, anchor("sau khi lộ"))
	c.nextBlock()
	now := uint64(c.height)

	for _, tc := range []struct {
		name  string
		since uint64
		want  *Error
	}{
		{"zero is no compromise", 0, nil}, // a plain revocation: tested below
		{"in the future", now + 1, ErrInvalid},
		{"before the key existed", added - 1, ErrInvalid},
	} {
		if tc.want == nil {
			continue
		}
		t.Run(tc.name, func(t *testing.T) {
			_, err := c.deliver(haiChau, &MsgRevokeSubKey{PubKey: official1.pub, Reason: "Lộ khóa", CompromisedSince: tc.since})
			requireErrIs(t, err, tc.want)
		})
	}
	// The agency revokes it plainly first, then learns it leaked earlier.
	c.mustDeliver(haiChau, &MsgRevokeSubKey{PubKey: official1.pub, Reason: "Mất điện thoại"})
	res := c.mustDeliver(haiChau, &MsgRevokeSubKey{PubKey: official1.pub, Reason: "Lộ khóa", CompromisedSince: leakedAt})
	assert.True(t, hasEvent(res, "key_compromised", "owner", "ubnd-hai-chau"))
	kr, err := c.state().KeyRecord(official1.pub)
	require.NoError(t, err)
	assert.True(t, kr.Revoked)
	assert.Equal(t, leakedAt, kr.CompromisedSince)
	assert.Equal(t, "Mất điện thoại", kr.RevokeReason, "the revocation stands as it was")
	// Earlier: allowed; later or equal: nothing to do.
	_, err = c.deliver(haiChau, &MsgRevokeSubKey{PubKey: official1.pub, Reason: "Lộ khóa", CompromisedSince: leakedAt})
	requireErrIs(t, err, ErrConflict)
	c.mustDeliver(haiChau, &MsgRevokeSubKey{PubKey: official1.pub, Reason: "Lộ khóa sớm hơn", CompromisedSince: added})
	// Another agency cannot declare it.
	_, err = c.deliver(tuPhapKey, &MsgRevokeSubKey{PubKey: official1.pub, Reason: "x", CompromisedSince: added})
	requireErrIs(t, err, ErrUnauthorized)

	// The record round-trips with a compromise and a scope, and with a
	// compromise alone.
	for _, k := range []*KeyRecord{kr, {PubKey: haiChau.pub, Kind: KeyAgency, Owner: "ubnd-hai-chau", CompromisedSince: 7}} {
		var e Encoder
		k.Encode(&e)
		back, err := DecodeKeyRecord(e.Out())
		require.NoError(t, err)
		assert.Equal(t, k, back)
	}

	// The council declares a main key compromised (the agency keeps its
	// other main key).
	c.pass(&KeyCompromised{PubKey: haiChau.pub, Since: leakedAt, Reason: "Lộ khóa"})
	kr, err = c.state().KeyRecord(haiChau.pub)
	require.NoError(t, err)
	assert.True(t, kr.Revoked)
	assert.Equal(t, leakedAt, kr.CompromisedSince)
	_, err = c.deliver(haiChau, anchor("x"))
	requireErrIs(t, err, ErrRevokedKey)
	c.mustDeliver(haiChau2, anchor("khóa chính còn lại"))
	_, err = c.deliver(council1, &MsgPropose{Action: &KeyCompromised{PubKey: council2.pub, Since: 1, Reason: "x"}})
	requireErrIs(t, err, ErrInvalid)
	requireErrIs(t, (&KeyCompromised{PubKey: haiChau.pub, Reason: "x"}).ValidateBasic(), ErrInvalid)
}

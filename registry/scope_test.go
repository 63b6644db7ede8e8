package registry

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Every message kind against a main key, an unscoped sub-key, a sub-key
// scoped for that kind and one scoped for something else.
func TestScopeEveryMessageKind(t *testing.T) {
	mainKey := &Signer{PubKey: haiChau.pub, Key: &KeyRecord{Kind: KeyAgency}}
	council := &Signer{PubKey: council1.pub, Key: &KeyRecord{Kind: KeyCouncil}}
	unscoped := &Signer{PubKey: official1.pub, Key: &KeyRecord{Kind: KeyOfficial, Label: "Cán bộ 01"}}
	for _, k := range msgTable() {
		t.Run(k.name, func(t *testing.T) {
			assert.NoError(t, mainKey.RequireScope(k.typ), "main keys: roles decide")
			assert.NoError(t, council.RequireScope(k.typ), "council keys: roles decide")
			requireErrIs(t, unscoped.RequireScope(k.typ), ErrUnauthorized)
			err := CheckScope([]string{k.name})
			if containsString(mainKeyOnly, k.name) {
				requireErrIs(t, err, ErrInvalid)
				return
			}
			require.NoError(t, err)
			scoped := &Signer{PubKey: official1.pub, Key: &KeyRecord{Kind: KeyOfficial, Scope: []string{k.name}}}
			assert.NoError(t, scoped.RequireScope(k.typ))
			other := "result/inspect"
			if k.name == other {
				other = "anchor"
			}
			elsewhere := &Signer{PubKey: official1.pub, Key: &KeyRecord{Kind: KeyOfficial, Scope: []string{other}}}
			requireErrIs(t, elsewhere.RequireScope(k.typ), ErrUnauthorized)
		})
	}
}

func TestCheckScope(t *testing.T) {
	for _, tc := range []struct {
		name  string
		scope []string
		want  *Error
	}{
		{"none", nil, nil},
		{"one", []string{"result/inspect"}, nil},
		{"sorted", []string{"anchor", "result/inspect"}, nil},
		{"unsorted", []string{"result/inspect", "anchor"}, ErrInvalid},
		{"duplicate", []string{"anchor", "anchor"}, ErrInvalid},
		{"unknown", []string{"result/everything"}, ErrInvalid},
		{"main key only", []string{"result/issue"}, ErrInvalid},
		{"council only", []string{"gov/vote"}, ErrInvalid},
		{"key management", []string{"key/add-sub"}, ErrInvalid},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := CheckScope(tc.scope)
			if tc.want == nil {
				require.NoError(t, err)
				return
			}
			requireErrIs(t, err, tc.want)
		})
	}
}

// The review's finding: an inspector's phone key could upload payload
// blocks and anchor for the city. Scoped to inspections, it cannot.
func TestSubKeyDeniedOutsideScope(t *testing.T) {
	c := newChain(t)
	c.mustDeliver(haiChau, &MsgAddSubKey{PubKey: official1.pub, Label: "Cán bộ kiểm tra 01", Scope: []string{"result/inspect"}})
	c.mustDeliver(haiChau, &MsgAddSubKey{PubKey: official2.pub, Label: "Cán bộ 02"})
	for _, k := range []keyPair{official1, official2} {
		_, err := c.deliver(k, anchor("giấy tờ của thành phố"))
		requireErrIs(t, err, ErrUnauthorized)
		_, err = c.deliver(k, &MsgPublishPayload{CID: "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku"})
		requireErrIs(t, err, ErrUnauthorized)
		_, err = c.deliver(k, &MsgReleasePayload{CID: "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku", Reason: "x"})
		requireErrIs(t, err, ErrUnauthorized)
	}
	_, err := c.deliver(official2, anchor("x"))
	assert.Contains(t, err.Error(), "has no scope")
	_, err = c.deliver(official1, anchor("x"))
	assert.Contains(t, err.Error(), "may sign only result/inspect, not anchor")
	assert.False(t, c.has(AnchorKey(docHash("giấy tờ của thành phố"))), "nothing written")

	// A sub-key record round-trips its scope; a main key's has none.
	kr, err := c.state().KeyRecord(official1.pub)
	require.NoError(t, err)
	assert.Equal(t, []string{"result/inspect"}, kr.Scope)
	var e Encoder
	kr.Encode(&e)
	back, err := DecodeKeyRecord(e.Out())
	require.NoError(t, err)
	assert.Equal(t, kr, back)
}

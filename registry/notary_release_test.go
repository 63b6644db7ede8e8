package registry

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNotaryReleaseValidateBasic(t *testing.T) {
	valid := func() *MsgNotaryRelease {
		return &MsgNotaryRelease{BlockID: 1, Ref: "3/QĐ-GTNC", DocHash: docHash("giải tỏa")}
	}
	require.NoError(t, valid().ValidateBasic())
	cases := []struct {
		name string
		mut  func(m *MsgNotaryRelease)
		want error
	}{
		{"zero id", func(m *MsgNotaryRelease) { m.BlockID = 0 }, ErrInvalid},
		{"empty ref", func(m *MsgNotaryRelease) { m.Ref = "" }, ErrInvalid},
		{"ref with spaces", func(m *MsgNotaryRelease) { m.Ref = "giải tỏa" }, ErrInvalid},
		{"bad doc hash", func(m *MsgNotaryRelease) { m.DocHash = []byte{1, 2, 3} }, ErrInvalid},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m := valid()
			tc.mut(m)
			assert.ErrorIs(t, m.ValidateBasic(), tc.want)
		})
	}
}

func TestNotaryReleaseRules(t *testing.T) {
	cases := []struct {
		name   string
		signer keyPair
		setup  func(c *chain)
		id     uint64
		want   error
	}{
		{"the issuing court", courtKey, nil, 1, nil},
		{"the department of justice as custodian", tuPhapKey, nil, 1, nil},
		{"another blocking authority", thadsKey, nil, 1, ErrUnauthorized},
		{"a notary office", notaryKey, nil, 1, ErrUnauthorized},
		{"a ward", haiChau, nil, 1, ErrUnauthorized},
		{"a council key", council1, nil, 1, ErrUnauthorized},
		{"unknown notice", courtKey, nil, 99, ErrNotFound},
		{"released twice", courtKey, func(c *chain) {
			c.mustDeliver(courtKey, &MsgNotaryRelease{BlockID: 1, Ref: "1/GT"})
		}, 1, ErrConflict},
		{"issuer lost the blocker role", courtKey, func(c *chain) {
			c.pass(&SetAgencyRoles{ID: courtID, Roles: []string{RoleResultIssuer}})
		}, 1, ErrUnauthorized},
		{"issuer suspended", courtKey, func(c *chain) {
			c.pass(&SetAgencyStatus{ID: courtID, Status: AgencySuspended})
		}, 1, ErrSuspended},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := newNotaryChain(t)
			a, b := prop(t, parcelA), prop(t, parcelB)
			require.Equal(t, uint64(1), c.block(courtKey, "45/2025/QĐ-BPKCTT", a, b))
			if tc.setup != nil {
				tc.setup(c)
			}
			c.nextBlock()
			m := &MsgNotaryRelease{BlockID: tc.id, Ref: "46/2025/QĐ-HBPKCTT", DocHash: docHash("giải tỏa")}
			res, err := c.deliver(tc.signer, m)
			if tc.want != nil {
				require.ErrorIs(t, err, tc.want)
				return
			}
			require.NoError(t, err)
			n := c.notice(1)
			assert.True(t, n.Released)
			assert.Equal(t, m.Ref, n.ReleaseRef)
			assert.Equal(t, m.DocHash, n.ReleaseDocHash)
			assert.Equal(t, tc.signer.pub, n.ReleaseSigner)
			assert.Equal(t, c.height, n.ReleaseHeight)
			assert.Equal(t, uint64(c.time.Unix()), n.ReleaseTime)
			assert.Equal(t, "45/2025/QĐ-BPKCTT", n.Ref, "the notice itself is kept")
			assert.False(t, c.has(NotaryActiveKey(a)), "the index key is deleted when empty")
			assert.False(t, c.has(NotaryActiveKey(b)))
			assert.True(t, hasEvent(res, "notary_release", "id", "1"))
		})
	}
}

func TestNotaryReleaseKeepsOtherNotices(t *testing.T) {
	c := newNotaryChain(t)
	a, b := prop(t, parcelA), prop(t, parcelB)
	id1 := c.block(courtKey, "1/QĐ", a, b)
	id2 := c.block(thadsKey, "2/QĐ", a)
	c.mustDeliver(courtKey, &MsgNotaryRelease{BlockID: id1, Ref: "1/GT"})
	assert.Equal(t, ActiveBlocks{id2}, c.active(a))
	assert.Nil(t, c.active(b))
	c.mustDeliver(thadsKey, &MsgNotaryRelease{BlockID: id2, Ref: "2/GT"})
	assert.Nil(t, c.active(a))
	// A new notice after releases gets a new id.
	assert.Equal(t, uint64(3), c.block(courtKey, "3/QĐ", a))
}

package registry

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNotaryAuthorizeValidateBasic(t *testing.T) {
	valid := func() *MsgNotaryAuthorize {
		return &MsgNotaryAuthorize{Agency: haiVanID, Status: OfficeAuthorised, Ref: "121/QĐ-STP"}
	}
	require.NoError(t, valid().ValidateBasic())
	cases := []struct {
		name string
		mut  func(m *MsgNotaryAuthorize)
		want error
	}{
		{"bad agency id", func(m *MsgNotaryAuthorize) { m.Agency = "VPCC Hải Vân" }, ErrInvalid},
		{"status zero", func(m *MsgNotaryAuthorize) { m.Status = 0 }, ErrInvalid},
		{"status unknown", func(m *MsgNotaryAuthorize) { m.Status = 4 }, ErrInvalid},
		{"empty ref", func(m *MsgNotaryAuthorize) { m.Ref = "" }, ErrInvalid},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m := valid()
			tc.mut(m)
			assert.ErrorIs(t, m.ValidateBasic(), tc.want)
		})
	}
}

func TestNotaryAuthorizeRules(t *testing.T) {
	auth := func(id string, s OfficeStatus) *MsgNotaryAuthorize {
		return &MsgNotaryAuthorize{Agency: id, Status: s, Ref: "121/QĐ-STP"}
	}
	cases := []struct {
		name   string
		signer keyPair
		setup  func(c *chain)
		msg    *MsgNotaryAuthorize
		want   error
	}{
		{"justice authorises", tuPhapKey, nil, auth(haiVanID, OfficeAuthorised), nil},
		{"justice suspends", tuPhapKey, nil, auth(officeID, OfficeSuspended), nil},
		{"justice revokes", tuPhapKey, nil, auth(officeID, OfficeRevoked), nil},
		{"a court may not", courtKey, nil, auth(haiVanID, OfficeAuthorised), ErrUnauthorized},
		{"an office may not authorise itself", haiVanKey, nil, auth(haiVanID, OfficeAuthorised), ErrUnauthorized},
		{"a council key may not", council1, nil, auth(haiVanID, OfficeAuthorised), ErrUnauthorized},
		{"unknown agency", tuPhapKey, nil, auth("vpcc-khong-co", OfficeAuthorised), ErrNotFound},
		{"agency without the office role", tuPhapKey, nil, auth(courtID, OfficeAuthorised), ErrInvalid},
		{"suspend an office never authorised", tuPhapKey, nil, auth(haiVanID, OfficeSuspended), ErrConflict},
		{"authorise twice", tuPhapKey, nil, auth(officeID, OfficeAuthorised), ErrConflict},
		{"revocation is final", tuPhapKey, func(c *chain) { c.mustDeliver(tuPhapKey, auth(officeID, OfficeRevoked)) },
			auth(officeID, OfficeAuthorised), ErrConflict},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := newNotaryChain(t)
			if tc.setup != nil {
				tc.setup(c)
			}
			res, err := c.deliver(tc.signer, tc.msg)
			if tc.want != nil {
				require.ErrorIs(t, err, tc.want)
				return
			}
			require.NoError(t, err)
			o, err := c.state().OfficeAuth(tc.msg.Agency)
			require.NoError(t, err)
			assert.Equal(t, tc.msg.Status, o.Status)
			assert.Equal(t, tc.msg.Ref, o.Ref)
			assert.Equal(t, "so-tu-phap", o.DecidedBy)
			assert.Equal(t, c.height, o.Height)
			assert.True(t, hasEvent(res, "notary_office", "status", tc.msg.Status.String()))
		})
	}
}

func TestNotaryAuthorizeLifecycle(t *testing.T) {
	c := newNotaryChain(t)
	first, err := c.state().OfficeAuth(officeID)
	require.NoError(t, err)
	c.nextBlock()
	c.mustDeliver(tuPhapKey, &MsgNotaryAuthorize{Agency: officeID, Status: OfficeSuspended, Ref: "5/QĐ-STP"})
	_, err = c.deliver(notaryKey, contractMsg("tạm đình chỉ", ContractSale, prop(t, parcelA)))
	assert.ErrorIs(t, err, ErrUnauthorized, "a suspended office cannot notarise")
	c.nextBlock()
	c.mustDeliver(tuPhapKey, &MsgNotaryAuthorize{Agency: officeID, Status: OfficeAuthorised, Ref: "6/QĐ-STP"})
	o, err := c.state().OfficeAuth(officeID)
	require.NoError(t, err)
	assert.Equal(t, first.AuthorisedHeight, o.AuthorisedHeight, "the first authorisation height is kept")
	assert.Equal(t, c.height, o.Height)
	c.mustDeliver(notaryKey, contractMsg("hoạt động lại", ContractSale, prop(t, parcelA)))
}

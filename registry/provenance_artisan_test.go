package registry

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/unicode/norm"
)

func TestProvenanceEnrolValidateBasic(t *testing.T) {
	valid := func() *MsgEnrolArtisan {
		return &MsgEnrolArtisan{PubKey: artisanKey.pub, Workshop: "Cơ sở Huỳnh Bá", Village: "Làng đá Non Nước", Status: EnrolmentActive}
	}
	cases := []struct {
		name   string
		mutate func(m *MsgEnrolArtisan)
		want   *Error
	}{
		{"valid", func(*MsgEnrolArtisan) {}, nil},
		{"short key", func(m *MsgEnrolArtisan) { m.PubKey = m.PubKey[:31] }, ErrInvalid},
		{"unknown status", func(m *MsgEnrolArtisan) { m.Status = 3 }, ErrInvalid},
		{"no village", func(m *MsgEnrolArtisan) { m.Village = "" }, ErrInvalid},
		{"no workshop", func(m *MsgEnrolArtisan) { m.Workshop = "" }, ErrInvalid},
		{"withdrawal needs no place", func(m *MsgEnrolArtisan) { m.Workshop, m.Village, m.Status = "", "", EnrolmentWithdrawn }, nil},
		{"NFD village", func(m *MsgEnrolArtisan) { m.Village = norm.NFD.String("Làng đá Non Nước") }, ErrNotNFC},
		{"village too long", func(m *MsgEnrolArtisan) { m.Village = string(make([]byte, MaxPlaceLen+1)) }, ErrNotNFC},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m := valid()
			tc.mutate(m)
			if err := m.ValidateBasic(); tc.want == nil {
				require.NoError(t, err)
			} else {
				requireErrIs(t, err, tc.want)
			}
		})
	}
}

func TestProvenanceEnrol(t *testing.T) {
	c := newChainWith(t, provenanceGenesis())
	enrol := func(k keyPair, pub []byte, status EnrolmentStatus) error {
		_, err := c.deliver(k, &MsgEnrolArtisan{PubKey: pub, Workshop: "Xưởng 1", Village: "Làng đá Non Nước", Status: status})
		return err
	}
	cases := []struct {
		name   string
		signer keyPair
		pub    []byte
		status EnrolmentStatus
		want   *Error
	}{
		{"agency without craft.registrar", raterKey, artisanKey.pub, EnrolmentActive, ErrUnauthorized},
		{"the artisan itself", artisanKey, artisanKey.pub, EnrolmentActive, ErrUnauthorized},
		{"unregistered key", coopKey, buyerKey.pub, EnrolmentActive, ErrUnknownKey},
		{"key of an agency without craft.artisan", coopKey, farmKey.pub, EnrolmentActive, ErrInvalid},
		{"council key", coopKey, council1.pub, EnrolmentActive, ErrInvalid},
		{"withdrawing a key never enrolled", coopKey, artisanKey.pub, EnrolmentWithdrawn, ErrNotFound},
		{"registrar enrols an artisan key", coopKey, artisanKey.pub, EnrolmentActive, nil},
		{"another registrar cannot change it", otherRegKey, artisanKey.pub, EnrolmentWithdrawn, ErrUnauthorized},
		{"the registrar updates it", coopKey, artisanKey.pub, EnrolmentActive, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := enrol(tc.signer, tc.pub, tc.status)
			if tc.want == nil {
				require.NoError(t, err)
				return
			}
			requireErrIs(t, err, tc.want)
		})
	}
	en, err := c.state().Enrolment(artisanKey.pub)
	require.NoError(t, err)
	assert.Equal(t, &Enrolment{PubKey: artisanKey.pub, Agency: artisanID, Workshop: "Xưởng 1", Village: "Làng đá Non Nước",
		Registrar: coopID, Status: EnrolmentActive, Height: c.height, Time: uint64(c.time.Unix()), StatusHeight: c.height}, en)

	t.Run("re-enrolment moves the artisan; new products carry the new place", func(t *testing.T) {
		require.NoError(t, c.mustDeliverErr(coopKey, &MsgEnrolArtisan{PubKey: artisanKey.pub, Workshop: "Xưởng 2",
			Village: "Làng nghề chiếu cói Cẩm Nê", Status: EnrolmentActive}))
		en, err := c.state().Enrolment(artisanKey.pub)
		require.NoError(t, err)
		assert.Equal(t, "Làng nghề chiếu cói Cẩm Nê", en.Village)
		assert.Equal(t, "Xưởng 2", en.Workshop)
		p := c.product(c.register(artisanKey, nil))
		assert.Equal(t, "Làng nghề chiếu cói Cẩm Nê", p.Craft.Village)
		assert.Equal(t, "Xưởng 2", p.Craft.Workshop)
		require.NoError(t, c.mustDeliverErr(coopKey, &MsgEnrolArtisan{PubKey: artisanKey.pub, Workshop: "Xưởng 1",
			Village: "Làng đá Non Nước", Status: EnrolmentActive}))
	})

	t.Run("a withdrawn artisan cannot register; a revoked key cannot be enrolled", func(t *testing.T) {
		c.register(artisanKey, nil)
		require.NoError(t, c.mustDeliverErr(coopKey, &MsgEnrolArtisan{PubKey: artisanKey.pub, Status: EnrolmentWithdrawn}))
		_, err := c.deliver(artisanKey, sampleItem())
		requireErrIs(t, err, ErrUnauthorized)
		assert.Contains(t, err.Error(), "withdrawn")
		en, err := c.state().Enrolment(artisanKey.pub)
		require.NoError(t, err)
		assert.Equal(t, "Làng đá Non Nước", en.Village, "a withdrawal keeps the place")

		c.mustDeliver(artisanKey, &MsgAddSubKey{PubKey: official1.pub, Label: "Nghệ nhân 01"})
		c.mustDeliver(artisanKey, &MsgRevokeSubKey{PubKey: official1.pub, Reason: "Nghỉ việc"})
		requireErrIs(t, enrol(coopKey, official1.pub, EnrolmentActive), ErrRevokedKey)
	})
}

// mustDeliverErr delivers msg and returns its error (for readability in
// tables that expect success).
func (c *chain) mustDeliverErr(k keyPair, msg Msg) error {
	c.t.Helper()
	_, err := c.deliver(k, msg)
	return err
}

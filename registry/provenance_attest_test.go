package registry

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestProvenanceAttestValidateBasic(t *testing.T) {
	valid := func() *MsgAttestProduct {
		return &MsgAttestProduct{Product: 1, Scheme: SchemeOCOP, Level: 4, Ref: "1234/QĐ-UBND", Certificate: sha256CID(0x55)}
	}
	cases := []struct {
		name   string
		mutate func(m *MsgAttestProduct)
		want   *Error
	}{
		{"valid", func(*MsgAttestProduct) {}, nil},
		{"no product", func(m *MsgAttestProduct) { m.Product = 0 }, ErrInvalid},
		{"OCOP 2 stars", func(m *MsgAttestProduct) { m.Level = 2 }, ErrInvalid},
		{"OCOP 6 stars", func(m *MsgAttestProduct) { m.Level = 6 }, ErrInvalid},
		{"OCOP 5 stars", func(m *MsgAttestProduct) { m.Level = 5 }, nil},
		{"another scheme", func(m *MsgAttestProduct) { m.Scheme, m.Level = "vietgap", 1 }, nil},
		{"level above 100", func(m *MsgAttestProduct) { m.Scheme, m.Level = "diem", 101 }, ErrInvalid},
		{"no scheme", func(m *MsgAttestProduct) { m.Scheme = "" }, ErrInvalid},
		{"scheme with a space", func(m *MsgAttestProduct) { m.Scheme = "o cop" }, ErrInvalid},
		{"no ref", func(m *MsgAttestProduct) { m.Ref = "" }, ErrInvalid},
		{"bad certificate", func(m *MsgAttestProduct) { m.Certificate = "bafy" }, ErrInvalid},
		{"validity out of range", func(m *MsgAttestProduct) { m.ValidUntil = 1 << 40 }, ErrInvalid},
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

func TestProvenanceAttest(t *testing.T) {
	c := newProvChain(t)
	item := c.register(artisanKey, nil)
	until := uint64(c.time.Add(3 * 365 * 24 * time.Hour).Unix())
	ocop := func(product uint64) *MsgAttestProduct {
		return &MsgAttestProduct{Product: product, Scheme: SchemeOCOP, Level: 4, Ref: "1234/QĐ-UBND", ValidUntil: until}
	}
	cases := []struct {
		name string
		key  keyPair
		msg  *MsgAttestProduct
		want *Error
	}{
		{"the maker cannot rate itself (no rater role)", artisanKey, ocop(item), ErrUnauthorized},
		{"a producer holding the rater role", producerRater, ocop(item), ErrUnauthorized},
		{"an unknown product", raterKey, ocop(999), ErrNotFound},
		{"already expired", raterKey, &MsgAttestProduct{Product: item, Scheme: SchemeOCOP, Level: 4, Ref: "1", ValidUntil: 1}, ErrInvalid},
		{"the OCOP council rates it", raterKey, ocop(item), nil},
		{"the cooperative also rates", coopKey, ocop(item), nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := c.deliver(tc.key, tc.msg)
			if tc.want == nil {
				require.NoError(t, err)
				return
			}
			requireErrIs(t, err, tc.want)
		})
	}
	p := c.product(item)
	require.Equal(t, uint64(2), p.Attestations)
	b, err := c.store.Get(AttestationKey(item, 1))
	require.NoError(t, err)
	a, err := DecodeAttestation(b)
	require.NoError(t, err)
	assert.Equal(t, &Attestation{Product: item, Seq: 1, Scheme: SchemeOCOP, Level: 4, Ref: "1234/QĐ-UBND", ValidUntil: until,
		Agency: raterID, Signer: raterKey.pub, Height: c.height, Time: uint64(c.time.Unix())}, a)
	assert.True(t, a.ValidAt(until-1))
	assert.False(t, a.ValidAt(until))

	t.Run("a rater that made the product cannot rate it", func(t *testing.T) {
		g := provenanceGenesis()
		for i := range g.Agencies {
			if g.Agencies[i].ID == artisanID {
				g.Agencies[i].Roles = []string{RoleCraftArtisan, RoleProductRater}
			}
		}
		c := newChainWith(t, g)
		c.mustDeliver(coopKey, &MsgEnrolArtisan{PubKey: artisanKey.pub, Workshop: "X", Village: "Y", Status: EnrolmentActive})
		item := c.register(artisanKey, nil)
		_, err := c.deliver(artisanKey, ocop(item))
		requireErrIs(t, err, ErrUnauthorized)
		assert.Contains(t, err.Error(), "self-declared")
	})
}

package registry

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestProvenanceTagForms(t *testing.T) {
	cases := []struct {
		kind TagKind
		in   string
		want string
		err  *Error
	}{
		{TagQR, " NN-2026-000123 ", "NN-2026-000123", nil},
		{TagQR, "NN 1", "NN 1", ErrInvalid},
		{TagQR, "", "", ErrInvalid},
		{TagQR, "tem/1", "tem/1", ErrInvalid},
		{TagNFC, "04:a2:3b:4c:5d:6e:7f", "04A23B4C5D6E7F", nil},
		{TagNFC, "04-A2-3B-4C", "04A23B4C", nil},
		{TagNFC, "04A23B4C5D", "04A23B4C5D", ErrInvalid}, // 5 bytes
		{TagNFC, "04A23B4G", "04A23B4G", ErrInvalid},
		{TagKind(3), "X", "X", ErrInvalid},
	}
	for _, tc := range cases {
		got := NormalizeTag(tc.kind, tc.in)
		assert.Equal(t, tc.want, got, tc.in)
		if err := CheckTag(tc.kind, got); tc.err == nil {
			require.NoError(t, err, tc.in)
		} else {
			requireErrIs(t, err, tc.err)
		}
	}
	k, err := ParseTagKind("nfc")
	require.NoError(t, err)
	assert.Equal(t, TagNFC, k)
	_, err = ParseTagKind("rfid")
	requireErrIs(t, err, ErrInvalid)
}

func TestProvenanceBindTag(t *testing.T) {
	c := newProvChain(t)
	item := c.register(artisanKey, nil)
	other := c.register(artisanKey, nil)
	kimBong := c.register(kimBongKey, nil)
	c.recordEvents(farmKey, objectEvent("commissioning", "active", ActionAdd, farmGLN, c.time, pigID))
	pig := c.productOf(pigID).ID
	bind := func(k keyPair, product uint64, kind TagKind, tag string) error {
		_, err := c.deliver(k, &MsgBindTag{Product: product, Kind: kind, Tag: tag})
		return err
	}
	cases := []struct {
		name    string
		key     keyPair
		product uint64
		kind    TagKind
		tag     string
		want    *Error
	}{
		{"an unknown product", artisanKey, 999, TagQR, "NN-0001", ErrNotFound},
		{"another workshop", kimBongKey, item, TagQR, "NN-0001", ErrUnauthorized},
		{"a registrar", coopKey, item, TagQR, "NN-0001", ErrUnauthorized},
		{"the maker activates the tag", artisanKey2, item, TagQR, "NN-0001", nil},
		{"binding it again to the same product", artisanKey, item, TagQR, "NN-0001", ErrConflict},
		{"binding it to another product", artisanKey, other, TagQR, "NN-0001", ErrConflict},
		{"a second tag printed with the same serial", kimBongKey, kimBong, TagQR, "NN-0001", ErrConflict},
		{"a second tag on a tagged product", artisanKey, item, TagNFC, "04A23B4C5D6E7F", ErrConflict},
		{"an NFC chip on another product", artisanKey, other, TagNFC, "04A23B4C5D6E7F", nil},
		{"a craft registrar cannot tag a food object", coopKey, pig, TagQR, "HEO-1", ErrUnauthorized},
		{"a food business tags a food object", retailerKey, pig, TagQR, "HEO-1", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := bind(tc.key, tc.product, tc.kind, tc.tag)
			if tc.want == nil {
				require.NoError(t, err)
				return
			}
			requireErrIs(t, err, tc.want)
		})
	}
	b, err := c.state().TagBinding(TagQR, "NN-0001")
	require.NoError(t, err)
	assert.Equal(t, item, b.Product)
	assert.Equal(t, artisanID, b.Agency)
	p := c.product(item)
	assert.Equal(t, TagQR, p.TagKind)
	assert.Equal(t, "NN-0001", p.Tag)
	_, err = c.state().TagBinding(TagQR, "NN-0002")
	requireErrIs(t, err, ErrNotFound)

	t.Run("the owner of a craft item may tag it", func(t *testing.T) {
		third := c.register(artisanKey, nil)
		c.mustDeliver(artisanKey, &MsgTransferItem{Product: third, To: keyOwner(retailerKey)})
		require.NoError(t, bind(retailerKey, third, TagQR, "NN-0003"))
	})
}

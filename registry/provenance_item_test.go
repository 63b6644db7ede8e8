package registry

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/unicode/norm"
)

func TestProvenanceRegisterValidateBasic(t *testing.T) {
	cidA, cidB := sha256CID(0x55), sha256CID(0x70)
	if cidA > cidB {
		cidA, cidB = cidB, cidA
	}
	cases := []struct {
		name   string
		mutate func(m *MsgRegisterItem)
		want   *Error
	}{
		{"valid", func(*MsgRegisterItem) {}, nil},
		{"item with quantity 2", func(m *MsgRegisterItem) { m.Quantity = 2 }, ErrInvalid},
		{"batch", func(m *MsgRegisterItem) { m.Kind, m.Quantity = ProductCraftBatch, 500 }, nil},
		{"empty batch", func(m *MsgRegisterItem) { m.Kind, m.Quantity = ProductCraftBatch, 0 }, ErrInvalid},
		{"food kind", func(m *MsgRegisterItem) { m.Kind = ProductObject }, ErrInvalid},
		{"no class", func(m *MsgRegisterItem) { m.Class = "" }, ErrInvalid},
		{"class with a space", func(m *MsgRegisterItem) { m.Class = "da my nghe" }, ErrInvalid},
		{"no name", func(m *MsgRegisterItem) { m.Name = "" }, ErrInvalid},
		{"NFD name", func(m *MsgRegisterItem) { m.Name = norm.NFD.String(m.Name) }, ErrNotNFC},
		{"description too long", func(m *MsgRegisterItem) { m.Description = strings.Repeat("đá ", MaxDescriptionLen) }, ErrInvalid},
		{"empty material", func(m *MsgRegisterItem) { m.Materials = []string{""} }, ErrInvalid},
		{"too many materials", func(m *MsgRegisterItem) { m.Materials = make([]string, MaxMaterials+1) }, ErrInvalid},
		{"no photo", func(m *MsgRegisterItem) { m.Photos = nil }, nil},
		{"two photos sorted", func(m *MsgRegisterItem) { m.Photos = []string{cidA, cidB} }, nil},
		{"two photos unsorted", func(m *MsgRegisterItem) { m.Photos = []string{cidB, cidA} }, ErrInvalid},
		{"duplicate photo", func(m *MsgRegisterItem) { m.Photos = []string{cidA, cidA} }, ErrInvalid},
		{"photo that is not a CIDv1", func(m *MsgRegisterItem) { m.Photos = []string{"QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG"} }, ErrInvalid},
		{"certificate", func(m *MsgRegisterItem) { m.Certificates = []string{cidB} }, nil},
		{"GS1 identifier", func(m *MsgRegisterItem) { m.Identifier = "https://id.gs1.org/01/08930000000057/21/NN-0001" }, nil},
		{"EPC URN identifier", func(m *MsgRegisterItem) { m.Identifier = "urn:epc:id:sgtin:893000.000005.NN-0001" }, ErrInvalid},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m := sampleItem()
			tc.mutate(m)
			if err := m.ValidateBasic(); tc.want == nil {
				require.NoError(t, err)
			} else {
				requireErrIs(t, err, tc.want)
			}
		})
	}
}

func TestProvenanceRegister(t *testing.T) {
	c := newProvChain(t)
	m := sampleItem()
	m.Identifier = "https://id.gs1.org/01/08930000000057/21/NN-0001"
	id := c.register(artisanKey, m)
	p := c.product(id)
	assert.Equal(t, &Product{ID: id, Kind: ProductCraftItem, Identifier: m.Identifier, Height: c.height, Time: uint64(c.time.Unix()),
		Craft: &CraftDetails{Class: m.Class, Name: m.Name, Description: m.Description, Materials: m.Materials, Photos: m.Photos,
			Certificates: []string{}, Quantity: 1, Maker: artisanKey.pub, Agency: artisanID, Registrar: coopID,
			Workshop: "Cơ sở điêu khắc đá Non Nước", Village: "Làng đá mỹ nghệ Non Nước", Owner: keyOwner(artisanKey)}}, p)
	got, ok, err := c.state().ProductByIdentifier(m.Identifier)
	require.NoError(t, err)
	assert.True(t, ok)
	assert.Equal(t, id, got)

	cases := []struct {
		name string
		key  keyPair
		msg  *MsgRegisterItem
		want *Error
	}{
		{"a second artisan key of the workshop", artisanKey2, sampleItem(), nil},
		{"an artisan of another village", kimBongKey, sampleItem(), nil},
		{"the same identifier again", artisanKey, m, ErrConflict},
		{"a registrar is not an artisan", coopKey, sampleItem(), ErrUnauthorized},
		{"a food business", farmKey, sampleItem(), ErrUnauthorized},
		{"an official key of the workshop, not enrolled", official2, sampleItem(), ErrUnauthorized},
	}
	c.mustDeliver(artisanKey, &MsgAddSubKey{PubKey: official2.pub, Label: "Thợ 02"})
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
	kb := c.product(id + 2)
	assert.Equal(t, "Làng mộc Kim Bồng", kb.Craft.Village, "the village comes from the enrolment")
	assert.Equal(t, otherRegID, kb.Craft.Registrar)
}

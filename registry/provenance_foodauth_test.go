package registry

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestProvenanceAuthorizeFood(t *testing.T) {
	valid := func() *MsgAuthorizeFood {
		return &MsgAuthorizeFood{Agency: farmID, BizSteps: []string{"commissioning", "shipping"}, Status: FoodAuthorised, Ref: "12/QĐ"}
	}
	t.Run("validate", func(t *testing.T) {
		cases := []struct {
			name   string
			mutate func(m *MsgAuthorizeFood)
			want   *Error
		}{
			{"valid", func(*MsgAuthorizeFood) {}, nil},
			{"no agency", func(m *MsgAuthorizeFood) { m.Agency = "" }, ErrInvalid},
			{"no steps", func(m *MsgAuthorizeFood) { m.BizSteps = nil }, ErrInvalid},
			{"unsorted steps", func(m *MsgAuthorizeFood) { m.BizSteps = []string{"shipping", "commissioning"} }, ErrInvalid},
			{"duplicate steps", func(m *MsgAuthorizeFood) { m.BizSteps = []string{"shipping", "shipping"} }, ErrInvalid},
			{"unknown step", func(m *MsgAuthorizeFood) { m.BizSteps = []string{"cutting"} }, ErrInvalid},
			{"private step uri", func(m *MsgAuthorizeFood) { m.BizSteps = []string{"https://ns.danang.gov.vn/bizstep/cat-pha"} }, nil},
			{"unknown status", func(m *MsgAuthorizeFood) { m.Status = 0 }, ErrInvalid},
		}
		for _, tc := range cases {
			m := valid()
			tc.mutate(m)
			if err := m.ValidateBasic(); tc.want == nil {
				require.NoError(t, err, tc.name)
			} else {
				requireErrIs(t, err, tc.want)
			}
		}
	})

	c := newChainWith(t, provenanceGenesis())
	cases := []struct {
		name string
		key  keyPair
		msg  *MsgAuthorizeFood
		want *Error
	}{
		{"a business cannot authorise itself", farmKey, valid(), ErrUnauthorized},
		{"a craft registrar", coopKey, valid(), ErrUnauthorized},
		{"an unknown agency", foodKey, &MsgAuthorizeFood{Agency: "khong-co", BizSteps: []string{"shipping"}, Status: FoodAuthorised}, ErrNotFound},
		{"an agency without food.business", foodKey, &MsgAuthorizeFood{Agency: coopID, BizSteps: []string{"shipping"}, Status: FoodAuthorised}, ErrInvalid},
		{"withdrawing what was never given", foodKey, &MsgAuthorizeFood{Agency: farmID, BizSteps: []string{"shipping"}, Status: FoodWithdrawn}, ErrNotFound},
		{"the board authorises the farm", foodKey, valid(), nil},
		{"and withdraws shipping", foodKey, &MsgAuthorizeFood{Agency: farmID, BizSteps: []string{"shipping"}, Status: FoodWithdrawn, Ref: "13/QĐ"}, nil},
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
	a, err := c.state().FoodAuth(farmID, "commissioning")
	require.NoError(t, err)
	assert.Equal(t, &FoodAuth{Agency: farmID, BizStep: "commissioning", Status: FoodAuthorised, Authority: foodID, Ref: "12/QĐ",
		Height: c.height, Time: uint64(c.time.Unix())}, a)
	a, err = c.state().FoodAuth(farmID, "shipping")
	require.NoError(t, err)
	assert.Equal(t, FoodWithdrawn, a.Status)
	c.recordEvents(farmKey, objectEvent("commissioning", "active", ActionAdd, farmGLN, c.time, pigID))
	_, err = c.deliver(farmKey, events(objectEvent("shipping", "in_transit", ActionObserve, farmGLN, c.time, pigID)))
	requireErrIs(t, err, ErrUnauthorized)
	assert.Equal(t, []byte("F"+farmID+"\x00shipping"), FoodAuthKey(farmID, "shipping"))
}

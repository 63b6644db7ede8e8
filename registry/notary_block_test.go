package registry

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNotaryBlockValidateBasic(t *testing.T) {
	valid := func() *MsgNotaryBlock { return blockMsg("12/2025/QĐ-THADS", prop(t, parcelA), prop(t, parcelB)) }
	require.NoError(t, valid().ValidateBasic())
	cases := []struct {
		name string
		mut  func(m *MsgNotaryBlock)
		want error
	}{
		{"empty ref", func(m *MsgNotaryBlock) { m.Ref = "" }, ErrInvalid},
		{"ref with a name in it", func(m *MsgNotaryBlock) { m.Ref = "12/QĐ Nguyễn Văn A" }, ErrInvalid},
		{"ref not NFC", func(m *MsgNotaryBlock) { m.Ref = "12/Cu\u0301c" }, ErrNotNFC},
		{"ref too long", func(m *MsgNotaryBlock) { m.Ref = string(bytes.Repeat([]byte{'1'}, MaxNotaryRef+1)) }, ErrInvalid},
		{"reason zero", func(m *MsgNotaryBlock) { m.Reason = 0 }, ErrInvalid},
		{"reason unknown", func(m *MsgNotaryBlock) { m.Reason = 77 }, ErrInvalid},
		{"doc hash short", func(m *MsgNotaryBlock) { m.DocHash = m.DocHash[:20] }, ErrInvalid},
		{"no properties", func(m *MsgNotaryBlock) { m.Properties = nil }, ErrInvalid},
		{"unsorted properties", func(m *MsgNotaryBlock) { m.Properties[0], m.Properties[1] = m.Properties[1], m.Properties[0] }, ErrInvalid},
		{"duplicate property", func(m *MsgNotaryBlock) { m.Properties[1] = m.Properties[0] }, ErrInvalid},
		{"property not a hash", func(m *MsgNotaryBlock) { m.Properties[1] = []byte("parcel:20194:12:346") }, ErrInvalid},
		{"too many properties", func(m *MsgNotaryBlock) {
			var ps [][]byte
			for i := 0; i <= MaxNotaryProperties; i++ {
				ps = append(ps, Hash([]byte(fmt.Sprint(i))))
			}
			m.Properties = SortHashes(ps)
		}, ErrInvalid},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m := valid()
			tc.mut(m)
			assert.ErrorIs(t, m.ValidateBasic(), tc.want)
		})
	}
	// No doc hash is allowed (the CLI may record a notice before the scan).
	m := valid()
	m.DocHash = nil
	assert.NoError(t, m.ValidateBasic())
}

func TestNotaryBlockRules(t *testing.T) {
	a, b := prop(t, parcelA), prop(t, parcelB)
	cases := []struct {
		name   string
		signer keyPair
		setup  func(c *chain)
		msg    *MsgNotaryBlock
		want   error
	}{
		{"court", courtKey, nil, blockMsg("45/2025/QĐ-BPKCTT", a), nil},
		{"enforcement agency, two properties", thadsKey, nil, blockMsg("12/QĐ-CCTHADS", a, b), nil},
		{"department of justice (blocker and authority)", tuPhapKey, nil, blockMsg("7/TB-STP", a), nil},
		{"notary office lacks the role", notaryKey, nil, blockMsg("1/X", a), ErrUnauthorized},
		{"ward lacks the role", haiChau, nil, blockMsg("1/X", a), ErrUnauthorized},
		{"council key is no agency", council1, nil, blockMsg("1/X", a), ErrUnauthorized},
		{"unknown key", stranger, nil, blockMsg("1/X", a), ErrUnknownKey},
		{"same ref twice by one authority", courtKey, func(c *chain) { c.block(courtKey, "45/2025/QĐ-BPKCTT", b) },
			blockMsg("45/2025/QĐ-BPKCTT", a), ErrConflict},
		{"same ref by another authority", thadsKey, func(c *chain) { c.block(courtKey, "45/2025/QĐ-BPKCTT", b) },
			blockMsg("45/2025/QĐ-BPKCTT", a), nil},
		{"suspended authority", courtKey, func(c *chain) {
			c.pass(&SetAgencyStatus{ID: courtID, Status: AgencySuspended})
		}, blockMsg("1/X", a), ErrSuspended},
		{"role withdrawn by the council", courtKey, func(c *chain) {
			c.pass(&SetAgencyRoles{ID: courtID, Roles: []string{RoleResultIssuer}})
		}, blockMsg("1/X", a), ErrUnauthorized},
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
			id := binary.BigEndian.Uint64(res.Data)
			n := c.notice(id)
			assert.Equal(t, id, n.ID)
			assert.Equal(t, tc.msg.Ref, n.Ref)
			assert.Equal(t, tc.signer.pub, n.Signer)
			assert.Equal(t, c.height, n.Height)
			assert.Equal(t, uint64(c.time.Unix()), n.Time)
			assert.False(t, n.Released)
			for _, p := range tc.msg.Properties {
				assert.Contains(t, c.active(p), id)
				assert.True(t, n.HasProperty(p))
			}
			assert.True(t, c.has(NotaryRefKey(n.Authority, n.Ref)))
			assert.True(t, hasEvent(res, "notary_block", "id", fmt.Sprint(id)))
		})
	}
}

func TestNotaryBlockIndex(t *testing.T) {
	c := newNotaryChain(t)
	a, b := prop(t, parcelA), prop(t, parcelB)
	assert.Nil(t, c.active(a))
	assert.False(t, c.has(NotaryActiveKey(a)), "no notice: the key is absent (non-membership proof)")
	id1 := c.block(courtKey, "1/QĐ", a)
	id2 := c.block(thadsKey, "2/QĐ", a, b)
	assert.Equal(t, uint64(1), id1)
	assert.Equal(t, uint64(2), id2)
	assert.Equal(t, ActiveBlocks{1, 2}, c.active(a))
	assert.Equal(t, ActiveBlocks{2}, c.active(b))
	seq, err := c.state().Seq(notaryBlockSeq)
	require.NoError(t, err)
	assert.Equal(t, uint64(2), seq)
}

func TestNotaryBlockLimit(t *testing.T) {
	c := newNotaryChain(t)
	a := prop(t, parcelA)
	for i := 0; i < MaxActiveBlocks; i++ {
		c.block(courtKey, fmt.Sprintf("%d/QĐ", i), a)
	}
	_, err := c.deliver(courtKey, blockMsg("over/QĐ", a))
	assert.ErrorIs(t, err, ErrConflict)
}

func TestNotaryActiveBlocksEncoding(t *testing.T) {
	ids := ActiveBlocks{1, 5, 300}
	raw := encode(ids.Encode)
	got, err := DecodeActiveBlocks(raw)
	require.NoError(t, err)
	assert.Equal(t, ids, got)
	for name, bad := range map[string][]byte{
		"empty list":     {0},
		"descending":     encode(ActiveBlocks{5, 1}.Encode),
		"duplicate":      encode(ActiveBlocks{5, 5}.Encode),
		"zero id":        encode(ActiveBlocks{0}.Encode),
		"trailing bytes": append(bytes.Clone(raw), 1),
		"truncated":      raw[:len(raw)-1],
	} {
		_, err := DecodeActiveBlocks(bad)
		assert.ErrorIs(t, err, ErrMalformed, name)
	}
}

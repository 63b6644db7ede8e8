package registry

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNotaryContractValidateBasic(t *testing.T) {
	valid := func() *MsgNotaryContract {
		m := contractMsg("mẫu", ContractSale, prop(t, parcelA), prop(t, certC))
		m.NotaryPublic = notaryPub01.pub
		return m
	}
	require.NoError(t, valid().ValidateBasic())
	noParties := valid()
	noParties.Parties = nil
	require.NoError(t, noParties.ValidateBasic(), "party commitments are optional")
	cases := []struct {
		name string
		mut  func(m *MsgNotaryContract)
		want error
	}{
		{"file hash missing", func(m *MsgNotaryContract) { m.FileHash = nil }, ErrInvalid},
		{"file hash short", func(m *MsgNotaryContract) { m.FileHash = m.FileHash[:31] }, ErrInvalid},
		{"type zero", func(m *MsgNotaryContract) { m.Kind = 0 }, ErrInvalid},
		{"type unknown", func(m *MsgNotaryContract) { m.Kind = 42 }, ErrInvalid},
		{"no property", func(m *MsgNotaryContract) { m.Properties = nil }, ErrInvalid},
		{"unsorted properties", func(m *MsgNotaryContract) { m.Properties[0], m.Properties[1] = m.Properties[1], m.Properties[0] }, ErrInvalid},
		{"party in clear", func(m *MsgNotaryContract) { m.Parties = [][]byte{[]byte("048090001234")} }, ErrInvalid},
		{"duplicate party", func(m *MsgNotaryContract) { m.Parties[1] = m.Parties[0] }, ErrInvalid},
		{"unsorted parties", func(m *MsgNotaryContract) { m.Parties[0], m.Parties[1] = m.Parties[1], m.Parties[0] }, ErrInvalid},
		{"too many parties", func(m *MsgNotaryContract) {
			var ps [][]byte
			for i := 0; i <= MaxNotaryParties; i++ {
				ps = append(ps, PartyCommitment([]byte{byte(i)}, "x"))
			}
			m.Parties = SortHashes(ps)
		}, ErrInvalid},
		{"notary public not a key", func(m *MsgNotaryContract) { m.NotaryPublic = []byte{1} }, ErrInvalid},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m := valid()
			tc.mut(m)
			assert.ErrorIs(t, m.ValidateBasic(), tc.want)
		})
	}
}

func TestNotaryContractRules(t *testing.T) {
	a, b := prop(t, parcelA), prop(t, parcelB)
	named := func(m *MsgNotaryContract, k keyPair) *MsgNotaryContract { m.NotaryPublic = k.pub; return m }
	cases := []struct {
		name   string
		signer keyPair
		setup  func(c *chain)
		msg    *MsgNotaryContract
		want   error
		notary []byte // expected notary public
	}{
		{"office main key", notaryKey, nil, contractMsg("1", ContractSale, a), nil, notaryKey.pub},
		{"notary public signs with own sub-key", notaryPub01, nil, contractMsg("2", ContractGift, a), nil, notaryPub01.pub},
		{"sub-key names itself", notaryPub01, nil, named(contractMsg("3", ContractGift, a), notaryPub01), nil, notaryPub01.pub},
		{"main key names a notary public", notaryKey, nil, named(contractMsg("4", ContractMortgage, a), notaryPub02), nil, notaryPub02.pub},
		{"sub-key names another notary", notaryPub01, nil, named(contractMsg("5", ContractSale, a), notaryPub02), ErrUnauthorized, nil},
		{"names another office's notary", notaryKey, nil, named(contractMsg("6", ContractSale, a), haiVanPub01), ErrUnauthorized, nil},
		{"names an unknown key", notaryKey, nil, named(contractMsg("7", ContractSale, a), stranger), ErrNotFound, nil},
		{"names a revoked notary", notaryKey, func(c *chain) {
			c.mustDeliver(notaryKey, &MsgRevokeSubKey{PubKey: notaryPub02.pub, Reason: "Thôi hành nghề"})
		}, named(contractMsg("8", ContractSale, a), notaryPub02), ErrRevokedKey, nil},
		{"revoked notary signs", notaryPub02, func(c *chain) {
			c.mustDeliver(notaryKey, &MsgRevokeSubKey{PubKey: notaryPub02.pub, Reason: "Thôi hành nghề"})
		}, contractMsg("9", ContractSale, a), ErrRevokedKey, nil},
		{"office not authorised by justice", haiVanKey, nil, contractMsg("10", ContractSale, a), ErrUnauthorized, nil},
		{"its notary public neither", haiVanPub01, nil, contractMsg("11", ContractSale, a), ErrUnauthorized, nil},
		{"a ward key", haiChau, nil, contractMsg("12", ContractSale, a), ErrUnauthorized, nil},
		{"a court key", courtKey, nil, contractMsg("13", ContractSale, a), ErrUnauthorized, nil},
		{"the department of justice", tuPhapKey, nil, contractMsg("14", ContractSale, a), ErrUnauthorized, nil},
		{"a council key", council1, nil, contractMsg("15", ContractSale, a), ErrUnauthorized, nil},
		{"same contract twice", notaryKey, func(c *chain) { c.mustDeliver(notaryKey, contractMsg("16", ContractSale, b)) },
			contractMsg("16", ContractSale, a), ErrConflict, nil},
		{"sale on a blocked property", notaryKey, func(c *chain) { c.block(courtKey, "1/QĐ", a) },
			contractMsg("17", ContractSale, a), ErrBlocked, nil},
		{"one of two properties blocked", notaryKey, func(c *chain) { c.block(courtKey, "1/QĐ", b) },
			contractMsg("18", ContractExchange, a, b), ErrBlocked, nil},
		{"lease on a blocked property is allowed", notaryKey, func(c *chain) { c.block(courtKey, "1/QĐ", a) },
			contractMsg("19", ContractLease, a), nil, notaryKey.pub},
		{"other blocked property does not matter", notaryKey, func(c *chain) { c.block(courtKey, "1/QĐ", b) },
			contractMsg("20", ContractSale, a), nil, notaryKey.pub},
	}
	for _, ct := range ContractTypeNames() {
		kind, _ := ParseContractType(ct)
		if kind.Restricted() {
			cases = append(cases, struct {
				name   string
				signer keyPair
				setup  func(c *chain)
				msg    *MsgNotaryContract
				want   error
				notary []byte
			}{"blocked " + ct, notaryKey, func(c *chain) { c.block(thadsKey, "9/QĐ", a) }, contractMsg("t-"+ct, kind, a), ErrBlocked, nil})
		}
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
			got, err := c.state().Contract(tc.msg.FileHash)
			require.NoError(t, err)
			assert.Equal(t, tc.msg.FileHash, res.Data)
			assert.Equal(t, tc.msg.Kind, got.Type)
			assert.Equal(t, tc.msg.Properties, got.Properties)
			assert.Equal(t, tc.msg.Parties, got.Parties)
			assert.Equal(t, officeID, got.Office)
			assert.Equal(t, tc.notary, got.NotaryPublic)
			assert.Equal(t, tc.signer.pub, got.Signer)
			assert.Equal(t, c.height, got.Height)
		})
	}
}

// TestNotaryJourney is the "done when" at the rule level: block,
// rejected sale naming the block and nothing private, release, accepted
// sale; proofs of absence and presence are covered by the network test.
func TestNotaryJourney(t *testing.T) {
	c := newNotaryChain(t)
	p := prop(t, parcelA)
	assert.False(t, c.has(NotaryActiveKey(p)))

	id := c.block(courtKey, "45/2025/QĐ-BPKCTT", p)
	c.nextBlock()
	sale := contractMsg("mua bán nhà 12 Bạch Đằng", ContractSale, p)
	_, err := c.deliver(notaryKey, sale)
	require.ErrorIs(t, err, ErrBlocked)
	assert.Contains(t, err.Error(), "blocking notice id 1")
	assert.NotContains(t, err.Error(), "45/2025", "the notice's reference stays out of the error")
	assert.NotContains(t, err.Error(), courtID, "and so does its authority")
	assert.NotContains(t, err.Error(), hexs(docHash("45/2025/QĐ-BPKCTT")))
	code, n := ABCICode(err)
	assert.Equal(t, Codespace, code)
	assert.Equal(t, ErrBlocked.Code, n)

	c.nextBlock()
	c.mustDeliver(courtKey, &MsgNotaryRelease{BlockID: id, Ref: "46/2025/QĐ-HBPKCTT"})
	assert.False(t, c.has(NotaryActiveKey(p)))
	c.nextBlock()
	c.mustDeliver(notaryKey, sale)
	_, err = c.deliver(haiChau, contractMsg("không có quyền", ContractSale, p))
	assert.ErrorIs(t, err, ErrUnauthorized)
}

func TestNotaryBlockedErrorNamesEveryNotice(t *testing.T) {
	c := newNotaryChain(t)
	a, b := prop(t, parcelA), prop(t, parcelB)
	c.block(courtKey, "1/QĐ", a)
	c.block(thadsKey, "2/QĐ", a, b)
	_, err := c.deliver(notaryKey, contractMsg("x", ContractSale, a, b))
	require.ErrorIs(t, err, ErrBlocked)
	assert.Contains(t, err.Error(), "property "+hexs(a)+" is under active blocking notice ids 1, 2")
	assert.Contains(t, err.Error(), "property "+hexs(b)+" is under active blocking notice id 2")
}

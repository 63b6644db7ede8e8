package registry

import (
	"encoding/binary"
	"sort"
	"testing"

	"github.com/stretchr/testify/require"
)

// Keys of the notary tests. so-tu-phap (tuPhapKey) is the notary.authority
// and also a notary.blocker.
var (
	courtKey    = testKey("toa-an-khu-vuc-1/main")
	thadsKey    = testKey("thads-da-nang/main")
	notaryKey   = testKey("vpcc-song-han/main")
	haiVanKey   = testKey("vpcc-hai-van/main")
	notaryPub01 = testKey("vpcc-song-han/cong-chung-vien-01")
	notaryPub02 = testKey("vpcc-song-han/cong-chung-vien-02")
	haiVanPub01 = testKey("vpcc-hai-van/cong-chung-vien-01")
)

const (
	courtID  = "toa-an-khu-vuc-1"
	thadsID  = "thads-da-nang"
	officeID = "vpcc-song-han"
	haiVanID = "vpcc-hai-van"
)

// notaryGenesis extends the test genesis with a court, an enforcement
// agency and two notary offices.
func notaryGenesis() *GenesisState {
	g := testGenesis()
	roles := []string{RoleNotaryAuthority, RoleBlockingAuthority}
	sort.Strings(roles)
	g.Agencies[0].Roles = roles
	g.Agencies = append(g.Agencies,
		GenesisAgency{ID: courtID, Name: "Tòa án nhân dân khu vực 1 – Đà Nẵng", Roles: []string{RoleBlockingAuthority}, Keys: []string{courtKey.hex()}},
		GenesisAgency{ID: thadsID, Name: "Thi hành án dân sự thành phố Đà Nẵng", Roles: []string{RoleBlockingAuthority}, Keys: []string{thadsKey.hex()}},
		GenesisAgency{ID: officeID, Name: "Văn phòng công chứng Sông Hàn", Roles: []string{RoleNotaryOffice}, Keys: []string{notaryKey.hex()}},
		GenesisAgency{ID: haiVanID, Name: "Văn phòng công chứng Hải Vân", Roles: []string{RoleNotaryOffice}, Keys: []string{haiVanKey.hex()}},
	)
	return g
}

// newNotaryChain starts a chain with notaryGenesis, authorises
// vpcc-song-han and gives both offices a notary public sub-key.
func newNotaryChain(t testing.TB) *chain {
	t.Helper()
	c := newChainWith(t, notaryGenesis())
	c.mustDeliver(tuPhapKey, &MsgNotaryAuthorize{Agency: officeID, Status: OfficeAuthorised, Ref: "120/QĐ-STP"})
	c.mustDeliver(notaryKey, &MsgAddSubKey{PubKey: notaryPub01.pub, Label: "Công chứng viên 01", Scope: []string{"notary/contract"}})
	c.mustDeliver(notaryKey, &MsgAddSubKey{PubKey: notaryPub02.pub, Label: "Công chứng viên 02", Scope: []string{"notary/contract"}})
	c.mustDeliver(haiVanKey, &MsgAddSubKey{PubKey: haiVanPub01.pub, Label: "Công chứng viên 01", Scope: []string{"notary/contract"}})
	c.nextBlock()
	return c
}

// prop returns the key of a property identifier.
func prop(t testing.TB, s string) []byte {
	t.Helper()
	p, err := ParseProperty(s, PropertyKeying{})
	require.NoError(t, err)
	return p.Key
}

var (
	parcelA = "parcel:20194/12/345"
	parcelB = "parcel:20194/12/346"
	certC   = "cert:BX 123456"
)

func blockMsg(ref string, props ...[]byte) *MsgNotaryBlock {
	return &MsgNotaryBlock{Ref: ref, Reason: ReasonEnforcement, DocHash: docHash(ref), Properties: SortHashes(props)}
}

func contractMsg(name string, kind ContractType, props ...[]byte) *MsgNotaryContract {
	return &MsgNotaryContract{FileHash: docHash("hợp đồng " + name), Kind: kind, Properties: SortHashes(props),
		Parties: SortHashes([][]byte{PartyCommitment([]byte("salt-salt-salt-1"), "048090001234"),
			PartyCommitment([]byte("salt-salt-salt-2"), "048090005678")})}
}

// block records a notice as k and returns its id.
func (c *chain) block(k keyPair, ref string, props ...[]byte) uint64 {
	c.t.Helper()
	res := c.mustDeliver(k, blockMsg(ref, props...))
	require.Len(c.t, res.Data, 8)
	return binary.BigEndian.Uint64(res.Data)
}

func (c *chain) active(p []byte) ActiveBlocks {
	c.t.Helper()
	ids, err := c.state().ActiveBlocks(p)
	require.NoError(c.t, err)
	return ids
}

func (c *chain) notice(id uint64) *BlockNotice {
	c.t.Helper()
	b, err := c.state().BlockNotice(id)
	require.NoError(c.t, err)
	return b
}

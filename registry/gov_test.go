package registry

import (
	"bytes"
	"encoding/binary"
	"errors"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func requireErrIs(t testing.TB, err error, target *Error) {
	t.Helper()
	require.Error(t, err, "want %s", target.Name)
	require.True(t, errors.Is(err, target), "want %s, got %v", target.Name, err)
}

var (
	yteKey   = testKey("so-y-te/main")
	council4 = testKey("council-4")
)

func addYTe() *AddAgency {
	return &AddAgency{ID: "so-y-te", Name: "Sở Y tế thành phố Đà Nẵng",
		Roles: []string{RoleFoodAuthority, RoleResultIssuer}, Keys: [][]byte{yteKey.pub}}
}

func vote(id uint64, approve bool) *MsgVote { return &MsgVote{ProposalID: id, Approve: approve} }

func anchor(name string) *MsgAnchor { return &MsgAnchor{Hash: docHash(name), Tag: "công văn"} }

func TestInitGenesisState(t *testing.T) {
	c := newChain(t)
	st := c.state()

	p, err := st.Params()
	require.NoError(t, err)
	assert.Equal(t, DefaultParams(), p)

	council, err := st.Council()
	require.NoError(t, err)
	require.Len(t, council, 3)
	assert.True(t, sort.SliceIsSorted(council, func(i, j int) bool { return bytes.Compare(council[i], council[j]) < 0 }))
	for _, k := range []keyPair{council1, council2, council3} {
		assert.True(t, containsKey(council, k.pub))
		kr, err := st.KeyRecord(k.pub)
		require.NoError(t, err)
		assert.Equal(t, KeyCouncil, kr.Kind)
		assert.Equal(t, "", kr.Owner)
		assert.NotEmpty(t, kr.Label)
	}

	agencies, err := st.Agencies()
	require.NoError(t, err)
	require.Len(t, agencies, 2)
	assert.Equal(t, "so-tu-phap", agencies[0].ID)
	assert.Equal(t, "ubnd-hai-chau", agencies[1].ID)
	assert.Equal(t, AgencyActive, agencies[1].Status)
	assert.Equal(t, []string{RolePayloadPublisher, RoleResultIssuer}, agencies[1].Roles)
	assert.True(t, agencies[1].HasRole(RoleResultIssuer))
	assert.False(t, agencies[1].HasRole(RoleNotaryOffice))

	keys, err := st.Keys("ubnd-hai-chau")
	require.NoError(t, err)
	require.Len(t, keys, 2)
	for _, k := range keys {
		assert.Equal(t, KeyAgency, k.Kind)
	}
	all, err := st.Keys("")
	require.NoError(t, err)
	assert.Len(t, all, 6)

	vals, err := st.Validators()
	require.NoError(t, err)
	require.Len(t, vals, 2)
	v1, err := st.Validator(val1.pub)
	require.NoError(t, err)
	assert.Equal(t, &Validator{PubKey: val1.pub, Power: 10, Name: "Nút Trung tâm dữ liệu"}, v1)
	none, err := st.Validator(val3.pub)
	require.NoError(t, err)
	assert.Nil(t, none)
}

func TestInitGenesisRejects(t *testing.T) {
	cases := []struct {
		name   string
		mut    func(g *GenesisState)
		vals   []ValidatorUpdate
		target *Error
	}{
		{"no council", func(g *GenesisState) { g.Council = nil }, nil, ErrInvalid},
		{"quorum of 1", func(g *GenesisState) { g.Params.QuorumNum = 3 }, nil, ErrInvalid},
		{"zero quorum denominator", func(g *GenesisState) { g.Params.QuorumDen = 0 }, nil, ErrInvalid},
		{"zero voting period", func(g *GenesisState) { g.Params.VotingPeriod = 0 }, nil, ErrInvalid},
		{"zero tx ttl", func(g *GenesisState) { g.Params.MaxTxTTL = 0 }, nil, ErrInvalid},
		{"bad council hex", func(g *GenesisState) { g.Council[0].PubKey = "zz" }, nil, ErrInvalid},
		{"short council key", func(g *GenesisState) { g.Council[0].PubKey = "abcd" }, nil, ErrInvalid},
		{"council without name", func(g *GenesisState) { g.Council[0].Name = "" }, nil, ErrInvalid},
		{"duplicate council key", func(g *GenesisState) { g.Council[1].PubKey = g.Council[0].PubKey }, nil, ErrConflict},
		{"unsorted roles", func(g *GenesisState) {
			g.Agencies[1].Roles = []string{RoleResultIssuer, RolePayloadPublisher}
		}, nil, ErrInvalid},
		{"unknown role", func(g *GenesisState) { g.Agencies[0].Roles = []string{"notary.king"} }, nil, ErrInvalid},
		{"agency without keys", func(g *GenesisState) { g.Agencies[0].Keys = nil }, nil, ErrInvalid},
		{"agency key is a council key", func(g *GenesisState) { g.Agencies[0].Keys = []string{council1.hex()} }, nil, ErrConflict},
		{"key shared by two agencies", func(g *GenesisState) { g.Agencies[1].Keys = []string{tuPhapKey.hex()} }, nil, ErrConflict},
		{"duplicate agency id", func(g *GenesisState) { g.Agencies[1].ID = g.Agencies[0].ID }, nil, ErrConflict},
		{"NFD agency name", func(g *GenesisState) { g.Agencies[0].Name = "Sơ\u0309 Tư pháp" }, nil, ErrNotNFC},
		{"NFD validator name", func(g *GenesisState) { g.ValidatorNames[0].Name = "Nu\u0301t" }, testValidators(), ErrNotNFC},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			g := testGenesis()
			tc.mut(g)
			err := InitGenesis(Context{ChainID: testChainID, Height: 1, Time: genesisTime}, NewMemStore(), g, tc.vals)
			requireErrIs(t, err, tc.target)
		})
	}
}

func TestInitGenesisValidatorNamesAnyHexCase(t *testing.T) {
	g := testGenesis()
	g.ValidatorNames[0].PubKey = strings.ToUpper(g.ValidatorNames[0].PubKey)
	s := NewMemStore()
	require.NoError(t, InitGenesis(Context{Height: 1}, s, g, testValidators()))
	v, err := NewState(s).Validator(val1.pub)
	require.NoError(t, err)
	assert.Equal(t, "Nút Trung tâm dữ liệu", v.Name)
}

func TestQuorumReached(t *testing.T) {
	p := DefaultParams() // strictly more than 2/3
	cases := []struct {
		yes, council int
		want         bool
	}{
		{1, 1, true}, {1, 2, false}, {2, 2, true},
		{2, 3, false}, {3, 3, true},
		{2, 4, false}, {3, 4, true},
		{4, 6, false}, {5, 6, true},
		{4, 7, false}, {5, 7, true},
		{0, 3, false},
	}
	for _, tc := range cases {
		assert.Equal(t, tc.want, QuorumReached(p, tc.yes, tc.council), "%d of %d", tc.yes, tc.council)
	}
}

// TestGovernance runs each scenario on a fresh chain built from the test
// genesis (3 council members, 2 agencies, 2 validators, default params).
func TestGovernance(t *testing.T) {
	cases := []struct {
		name string
		run  func(t *testing.T, c *chain)
	}{
		{"AddAgency executes only at the third yes vote", func(t *testing.T, c *chain) {
			startHeight := c.height
			res := c.mustDeliver(council1, &MsgPropose{Action: addYTe(), Description: "Bổ sung Sở Y tế"})
			id := binary.BigEndian.Uint64(res.Data)
			require.Equal(t, uint64(1), id)
			assert.True(t, hasEvent(res, "proposal_submitted", "proposal", "1"))
			assert.True(t, hasEvent(res, "proposal_vote", "approve", "true"))
			assert.True(t, hasEvent(res, "danang_tx", "msg", "gov/propose"))
			assert.False(t, hasEvent(res, "proposal_done", "proposal", "1"))

			p := c.proposal(id)
			assert.Equal(t, ProposalOpen, p.Status)
			assert.Equal(t, [][]byte{council1.pub}, p.Yes)
			assert.Empty(t, p.No)
			assert.Equal(t, council1.pub, p.Proposer)
			assert.Equal(t, startHeight, p.SubmitHeight)
			assert.Equal(t, uint64(genesisTime.Unix()), p.SubmitTime)
			assert.Equal(t, startHeight+DefaultParams().VotingPeriod, p.Deadline)
			assert.Equal(t, "Bổ sung Sở Y tế", p.Description)
			assert.Equal(t, addYTe(), p.Action)

			c.nextBlock()
			res = c.mustDeliver(council2, vote(id, true))
			assert.Equal(t, binary.BigEndian.AppendUint64(nil, id), res.Data)
			assert.Equal(t, ProposalOpen, c.proposal(id).Status)
			_, err := c.state().Agency("so-y-te")
			requireErrIs(t, err, ErrNotFound)
			_, err = c.deliver(yteKey, anchor("early"))
			requireErrIs(t, err, ErrUnknownKey)

			c.nextBlock()
			res = c.mustDeliver(council3, vote(id, true))
			assert.True(t, hasEvent(res, "proposal_done", "status", "executed"))
			assert.True(t, hasEvent(res, "agency_added", "agency", "so-y-te"))
			p = c.proposal(id)
			assert.Equal(t, ProposalExecuted, p.Status)
			assert.Equal(t, c.height, p.DoneHeight)
			require.Len(t, p.Yes, 3)
			assert.True(t, sort.SliceIsSorted(p.Yes, func(i, j int) bool { return bytes.Compare(p.Yes[i], p.Yes[j]) < 0 }))

			a, err := c.state().Agency("so-y-te")
			require.NoError(t, err)
			assert.Equal(t, &Agency{ID: "so-y-te", Name: "Sở Y tế thành phố Đà Nẵng",
				Roles: []string{RoleFoodAuthority, RoleResultIssuer}, Status: AgencyActive, CreatedHeight: c.height}, a)
			kr, err := c.state().KeyRecord(yteKey.pub)
			require.NoError(t, err)
			assert.Equal(t, KeyAgency, kr.Kind)
			assert.Equal(t, "so-y-te", kr.Owner)

			// The new agency's key works at once.
			c.mustDeliver(yteKey, anchor("first"))
		}},
		{"two yes votes leave the proposal open", func(t *testing.T, c *chain) {
			id := c.propose(council1, addYTe())
			c.mustDeliver(council3, vote(id, true))
			p := c.proposal(id)
			assert.Equal(t, ProposalOpen, p.Status)
			assert.Equal(t, ProposalOpen, p.StatusAt(c.height))
			assert.Len(t, p.Yes, 2)
			assert.True(t, p.HasVoted(council1.pub))
			assert.True(t, p.HasVoted(council3.pub))
			assert.False(t, p.HasVoted(council2.pub))
			assert.Zero(t, p.DoneHeight)
			assert.False(t, c.has(AgencyKey("so-y-te")))
		}},
		{"one no vote rejects immediately", func(t *testing.T, c *chain) {
			id := c.propose(council1, addYTe())
			res := c.mustDeliver(council2, vote(id, false))
			assert.True(t, hasEvent(res, "proposal_done", "status", "rejected"))
			assert.True(t, hasEvent(res, "proposal_vote", "approve", "false"))
			p := c.proposal(id)
			assert.Equal(t, ProposalRejected, p.Status)
			assert.Equal(t, c.height, p.DoneHeight)
			assert.Equal(t, [][]byte{council2.pub}, p.No)

			_, err := c.deliver(council3, vote(id, true))
			requireErrIs(t, err, ErrProposalClosed)
			assert.False(t, c.has(AgencyKey("so-y-te")))
		}},
		{"non-council keys cannot propose or vote", func(t *testing.T, c *chain) {
			id := c.propose(council1, addYTe())
			c.mustDeliver(haiChau, &MsgAddSubKey{PubKey: official1.pub, Label: "Cán bộ một cửa 01"})
			for _, k := range []keyPair{tuPhapKey, haiChau, official1} {
				_, err := c.deliver(k, &MsgPropose{Action: addYTe()})
				requireErrIs(t, err, ErrUnauthorized)
				_, err = c.deliver(k, vote(id, true))
				requireErrIs(t, err, ErrUnauthorized)
			}
			_, err := c.deliver(stranger, vote(id, true))
			requireErrIs(t, err, ErrUnknownKey)
			assert.Len(t, c.proposal(id).Yes, 1)
			seq, err := c.state().Seq("proposal")
			require.NoError(t, err)
			assert.Equal(t, uint64(1), seq)
		}},
		{"double vote is a conflict", func(t *testing.T, c *chain) {
			id := c.propose(council1, addYTe())
			_, err := c.deliver(council1, vote(id, true))
			requireErrIs(t, err, ErrConflict)
			_, err = c.deliver(council1, vote(id, false))
			requireErrIs(t, err, ErrConflict)
			c.mustDeliver(council2, vote(id, true))
			c.nextBlock()
			_, err = c.deliver(council2, vote(id, true))
			requireErrIs(t, err, ErrConflict)
			assert.Equal(t, ProposalOpen, c.proposal(id).Status)
		}},
		{"vote on an unknown proposal", func(t *testing.T, c *chain) {
			_, err := c.deliver(council1, vote(42, true))
			requireErrIs(t, err, ErrNotFound)
		}},
		{"vote after the deadline is refused", func(t *testing.T, c *chain) {
			id := c.propose(council1, addYTe())
			deadline := c.proposal(id).Deadline
			c.advanceTo(deadline)
			c.mustDeliver(council2, vote(id, true)) // the deadline height still counts
			c.advanceTo(deadline + 1)
			_, err := c.deliver(council3, vote(id, true))
			requireErrIs(t, err, ErrProposalClosed)
			p := c.proposal(id)
			assert.Equal(t, ProposalOpen, p.Status, "expiry is derived, not stored")
			assert.Equal(t, ProposalExpired, p.StatusAt(c.height))
			assert.Equal(t, "expired", p.StatusAt(c.height).String())
			assert.False(t, c.has(AgencyKey("so-y-te")))
		}},
		{"proposal ids increase", func(t *testing.T, c *chain) {
			for want := uint64(1); want <= 3; want++ {
				assert.Equal(t, want, c.propose(council2, &SetAgencyRoles{ID: "so-tu-phap", Roles: []string{RoleNotaryAuthority}}))
			}
		}},
		{"SetValidator adds, reweights and removes", func(t *testing.T, c *chain) {
			id := c.propose(council1, &SetValidator{PubKey: val3.pub, Power: 5, Name: "Nút Sở Khoa học"})
			res := c.mustDeliver(council2, vote(id, true))
			assert.Empty(t, res.ValidatorUpdates, "no update before the quorum")
			res = c.mustDeliver(council3, vote(id, true))
			assert.Equal(t, []ValidatorUpdate{{PubKey: val3.pub, Power: 5}}, res.ValidatorUpdates)
			assert.True(t, hasEvent(res, "validator_set", "power", "5"))
			v, err := c.state().Validator(val3.pub)
			require.NoError(t, err)
			assert.Equal(t, &Validator{PubKey: val3.pub, Power: 5, Name: "Nút Sở Khoa học"}, v)

			res = c.pass(&SetValidator{PubKey: val1.pub, Power: 20, Name: "Nút Trung tâm dữ liệu"})
			assert.Equal(t, []ValidatorUpdate{{PubKey: val1.pub, Power: 20}}, res.ValidatorUpdates)
			v, err = c.state().Validator(val1.pub)
			require.NoError(t, err)
			assert.Equal(t, uint64(20), v.Power)

			res = c.pass(&SetValidator{PubKey: val2.pub, Power: 0})
			assert.Equal(t, []ValidatorUpdate{{PubKey: val2.pub, Power: 0}}, res.ValidatorUpdates)
			v, err = c.state().Validator(val2.pub)
			require.NoError(t, err)
			assert.Nil(t, v)
			vals, err := c.state().Validators()
			require.NoError(t, err)
			assert.Len(t, vals, 2)
		}},
		{"SetValidator cannot empty the set", func(t *testing.T, c *chain) {
			_, err := c.deliver(council1, &MsgPropose{Action: &SetValidator{PubKey: val3.pub}})
			requireErrIs(t, err, ErrNotFound)

			c.pass(&SetValidator{PubKey: val1.pub})
			_, err = c.deliver(council1, &MsgPropose{Action: &SetValidator{PubKey: val2.pub}})
			requireErrIs(t, err, ErrInvalid)
			v, err := c.state().Validator(val2.pub)
			require.NoError(t, err)
			assert.NotNil(t, v)
		}},
		{"SetValidator that would empty the set fails at execution", func(t *testing.T, c *chain) {
			// Each removal is fine alone when proposed; together they
			// would empty the set, so the second fails when it passes.
			id1 := c.propose(council1, &SetValidator{PubKey: val1.pub})
			id2 := c.propose(council1, &SetValidator{PubKey: val2.pub})
			for _, k := range []keyPair{council2, council3} {
				c.mustDeliver(k, vote(id1, true))
			}
			c.mustDeliver(council2, vote(id2, true))
			res := c.mustDeliver(council3, vote(id2, true))
			assert.Empty(t, res.ValidatorUpdates)
			assert.True(t, hasEvent(res, "proposal_done", "status", "failed"))
			p := c.proposal(id2)
			assert.Equal(t, ProposalFailed, p.Status)
			assert.Contains(t, p.FailReason, "cannot become empty")
			v, err := c.state().Validator(val2.pub)
			require.NoError(t, err)
			assert.NotNil(t, v)
		}},
		{"AddAgency with a duplicate id is refused at propose time", func(t *testing.T, c *chain) {
			a := addYTe()
			a.ID = "so-tu-phap"
			_, err := c.deliver(council1, &MsgPropose{Action: a})
			requireErrIs(t, err, ErrConflict)
			_, err = c.state().Proposal(1)
			requireErrIs(t, err, ErrNotFound)
		}},
		{"AddAgency with an already registered key is refused at propose time", func(t *testing.T, c *chain) {
			for _, k := range []keyPair{haiChau, tuPhapKey, council2} {
				a := addYTe()
				a.Keys = [][]byte{yteKey.pub, k.pub}
				_, err := c.deliver(council1, &MsgPropose{Action: a})
				requireErrIs(t, err, ErrConflict)
			}
			seq, err := c.state().Seq("proposal")
			require.NoError(t, err)
			assert.Zero(t, seq)
		}},
		{"a proposal that no longer applies fails when it passes", func(t *testing.T, c *chain) {
			other := addYTe()
			other.Keys = [][]byte{testKey("so-y-te/other").pub}
			id1 := c.propose(council1, addYTe())
			id2 := c.propose(council2, other)
			c.mustDeliver(council2, vote(id1, true))
			c.mustDeliver(council3, vote(id1, true))
			c.mustDeliver(council1, vote(id2, true))
			res := c.mustDeliver(council3, vote(id2, true))
			assert.True(t, hasEvent(res, "proposal_done", "status", "failed"))
			p := c.proposal(id2)
			assert.Equal(t, ProposalFailed, p.Status)
			assert.Contains(t, p.FailReason, "already exists")
			assert.False(t, c.has(KeyRecordKey(other.Keys[0])))
		}},
		{"RevokeKey: the revoked key is refused, its earlier anchor stays", func(t *testing.T, c *chain) {
			anchoredAt := c.height
			c.mustDeliver(tuPhapKey, anchor("hợp đồng 1"))
			c.nextBlock()
			c.pass(&RevokeKey{PubKey: tuPhapKey.pub, Reason: "Lộ khóa bí mật"})

			kr, err := c.state().KeyRecord(tuPhapKey.pub)
			require.NoError(t, err)
			assert.True(t, kr.Revoked)
			assert.Equal(t, c.height, kr.RevokedHeight)
			assert.Equal(t, "Lộ khóa bí mật", kr.RevokeReason)

			c.nextBlock()
			_, err = c.deliver(tuPhapKey, anchor("hợp đồng 2"))
			requireErrIs(t, err, ErrRevokedKey)
			assert.False(t, c.has(AnchorKey(docHash("hợp đồng 2"))))

			b, err := c.store.Get(AnchorKey(docHash("hợp đồng 1")))
			require.NoError(t, err)
			a, err := DecodeAnchor(b)
			require.NoError(t, err)
			assert.Equal(t, "so-tu-phap", a.Agency)
			assert.Equal(t, tuPhapKey.pub, a.Signer)
			assert.Equal(t, anchoredAt, a.Height)

			// Revoking again or revoking an unknown key is refused; a
			// revoked key is never registered again.
			_, err = c.deliver(council1, &MsgPropose{Action: &RevokeKey{PubKey: tuPhapKey.pub, Reason: "again"}})
			requireErrIs(t, err, ErrConflict)
			_, err = c.deliver(council1, &MsgPropose{Action: &RevokeKey{PubKey: stranger.pub, Reason: "?"}})
			requireErrIs(t, err, ErrNotFound)
			_, err = c.deliver(council1, &MsgPropose{Action: &AddAgencyKey{ID: "so-tu-phap", PubKey: tuPhapKey.pub}})
			requireErrIs(t, err, ErrConflict)
		}},
		{"RevokeKey refuses council keys (RemoveCouncil is the way)", func(t *testing.T, c *chain) {
			// Regression: a council key revoked by RevokeKey stayed a member,
			// counted in the quorum but could not vote: with 3 members and
			// the default 2/3 quorum nothing could ever pass again.
			_, err := c.deliver(council1, &MsgPropose{Action: &RevokeKey{PubKey: council3.pub, Reason: "Lộ khóa"}})
			requireErrIs(t, err, ErrInvalid)
			c.pass(&RemoveCouncil{PubKey: council3.pub})
			kr, err := c.state().KeyRecord(council3.pub)
			require.NoError(t, err)
			assert.True(t, kr.Revoked)
			assert.Equal(t, "removed from the council", kr.RevokeReason)
			// The two remaining members can still govern.
			id := c.propose(council1, &RevokeKey{PubKey: haiChau2.pub, Reason: "Thay khóa"})
			c.mustDeliver(council2, vote(id, true))
			assert.Equal(t, ProposalExecuted, c.proposal(id).Status)
		}},
		{"key rotation: add a new main key", func(t *testing.T, c *chain) {
			newKey := testKey("so-tu-phap/main-2")
			_, err := c.deliver(council1, &MsgPropose{Action: &AddAgencyKey{ID: "so-xyz", PubKey: newKey.pub}})
			requireErrIs(t, err, ErrNotFound)
			c.pass(&AddAgencyKey{ID: "so-tu-phap", PubKey: newKey.pub})
			c.pass(&RevokeKey{PubKey: tuPhapKey.pub, Reason: "Thay khóa định kỳ"})
			res := c.mustDeliver(newKey, anchor("x"))
			assert.True(t, hasEvent(res, "anchor", "new", "true"))
		}},
		{"suspended and removed agencies", func(t *testing.T, c *chain) {
			c.mustDeliver(haiChau, &MsgAddSubKey{PubKey: official1.pub, Label: "Cán bộ 01", Scope: []string{"anchor"}})
			_, err := c.deliver(council1, &MsgPropose{Action: &SetAgencyStatus{ID: "so-xyz", Status: AgencySuspended}})
			requireErrIs(t, err, ErrNotFound)

			c.pass(&SetAgencyStatus{ID: "ubnd-hai-chau", Status: AgencySuspended})
			for _, k := range []keyPair{haiChau, haiChau2, official1} {
				_, err := c.deliver(k, anchor("during suspension"))
				requireErrIs(t, err, ErrSuspended)
			}
			c.mustDeliver(tuPhapKey, anchor("other agency unaffected"))

			c.pass(&SetAgencyStatus{ID: "ubnd-hai-chau", Status: AgencyActive})
			c.mustDeliver(official1, anchor("reinstated"))

			c.pass(&SetAgencyStatus{ID: "ubnd-hai-chau", Status: AgencyRemoved})
			_, err = c.deliver(haiChau, anchor("after removal"))
			requireErrIs(t, err, ErrSuspended)
			_, err = c.deliver(council1, &MsgPropose{Action: &SetAgencyStatus{ID: "ubnd-hai-chau", Status: AgencyActive}})
			requireErrIs(t, err, ErrConflict)
		}},
		{"SetAgencyRoles replaces the roles", func(t *testing.T, c *chain) {
			roles := []string{RoleNotaryAuthority, RoleNotaryOffice}
			c.pass(&SetAgencyRoles{ID: "so-tu-phap", Roles: roles})
			a, err := c.state().Agency("so-tu-phap")
			require.NoError(t, err)
			assert.Equal(t, roles, a.Roles)
			_, err = c.deliver(council1, &MsgPropose{Action: &SetAgencyRoles{ID: "so-xyz", Roles: roles}})
			requireErrIs(t, err, ErrNotFound)
		}},
		{"unknown key", func(t *testing.T, c *chain) {
			_, err := c.deliver(stranger, anchor("x"))
			requireErrIs(t, err, ErrUnknownKey)
		}},
		{"council keys cannot anchor", func(t *testing.T, c *chain) {
			_, err := c.deliver(council1, anchor("x"))
			requireErrIs(t, err, ErrUnauthorized)
		}},
		{"anchoring is idempotent and keeps the first anchor", func(t *testing.T, c *chain) {
			first := c.height
			res := c.mustDeliver(haiChau, anchor("quyết định 7"))
			assert.Equal(t, docHash("quyết định 7"), res.Data)
			assert.True(t, hasEvent(res, "anchor", "new", "true"))
			c.nextBlock()
			res = c.mustDeliver(haiChau2, anchor("quyết định 7"))
			assert.Equal(t, docHash("quyết định 7"), res.Data)
			assert.True(t, hasEvent(res, "anchor", "new", "false"))
			_, err := c.deliver(tuPhapKey, anchor("quyết định 7"))
			requireErrIs(t, err, ErrConflict)
			b, err := c.store.Get(AnchorKey(docHash("quyết định 7")))
			require.NoError(t, err)
			a, err := DecodeAnchor(b)
			require.NoError(t, err)
			assert.Equal(t, &Anchor{Hash: docHash("quyết định 7"), Agency: "ubnd-hai-chau", Signer: haiChau.pub,
				Height: first, Time: uint64(genesisTime.Unix()), Tag: "công văn"}, a)
		}},
		{"replay of the exact same tx", func(t *testing.T, c *chain) {
			tx := c.newTx(haiChau, anchor("x"))
			_, err := c.deliverTx(tx)
			require.NoError(t, err)
			assert.True(t, c.has(tx.ReplayKey()))
			_, err = c.deliverTx(tx)
			requireErrIs(t, err, ErrReplay)
			c.nextBlock()
			_, err = c.deliverTx(tx)
			requireErrIs(t, err, ErrReplay)
			// The same message under a new nonce is a new tx.
			c.mustDeliver(haiChau, anchor("x"))
		}},
		{"a failed tx does not use up its nonce", func(t *testing.T, c *chain) {
			tx := c.newTx(council1, vote(1, true)) // no proposal 1 yet
			_, err := c.deliverTx(tx)
			requireErrIs(t, err, ErrNotFound)
			assert.False(t, c.has(tx.ReplayKey()))
			c.propose(council2, addYTe())
			_, err = c.deliverTx(tx)
			require.NoError(t, err)
		}},
		{"expiry bounds", func(t *testing.T, c *chain) {
			c.advanceTo(50)
			ttl := DefaultParams().MaxTxTTL
			for _, tc := range []struct {
				expires uint64
				target  *Error
			}{
				{1, ErrExpired},
				{c.height - 1, ErrExpired},
				{c.height, nil},
				{c.height + ttl, nil},
				{c.height + ttl + 1, ErrExpired},
				{^uint64(0), ErrExpired},
			} {
				tx := c.newTx(haiChau, anchor("x"))
				tx.ExpiresAt = tc.expires
				tx.SignWith(haiChau.priv)
				_, err := c.deliverTx(tx)
				if tc.target == nil {
					require.NoError(t, err, "expires_at %d at height %d", tc.expires, c.height)
				} else {
					requireErrIs(t, err, tc.target)
				}
			}
		}},
		{"replay keys are pruned once the tx has expired", func(t *testing.T, c *chain) {
			h := c.height
			tx := c.newTx(haiChau, anchor("x"))
			tx.ExpiresAt = h + 2
			tx.SignWith(haiChau.priv)
			_, err := c.deliverTx(tx)
			require.NoError(t, err)
			later := c.newTx(haiChau, anchor("y")) // expires at h+100
			_, err = c.deliverTx(later)
			require.NoError(t, err)
			require.True(t, c.has(tx.ReplayKey()))

			nonReplay := func() []kv {
				var out []kv
				for _, e := range dumpStore(t, c.store) {
					if !strings.HasPrefix(e.K, "6e") { // 'n'
						out = append(out, e)
					}
				}
				return out
			}
			before := nonReplay()

			c.advanceTo(h + 1)
			assert.True(t, c.has(tx.ReplayKey()))
			c.advanceTo(h + 2) // the last height at which tx may be included
			assert.True(t, c.has(tx.ReplayKey()))
			_, err = c.deliverTx(tx)
			requireErrIs(t, err, ErrReplay)

			c.advanceTo(h + 3)
			assert.False(t, c.has(tx.ReplayKey()), "replay key must be pruned after expiry")
			assert.True(t, c.has(later.ReplayKey()))
			assert.Equal(t, before, nonReplay(), "BeginBlock touches replay keys only")
			// Once pruned, the tx is refused as expired, never re-executed.
			_, err = c.deliverTx(tx)
			requireErrIs(t, err, ErrExpired)

			c.advanceTo(h + 101)
			assert.False(t, c.has(later.ReplayKey()))
		}},
		{"sub-keys", func(t *testing.T, c *chain) {
			res := c.mustDeliver(haiChau, &MsgAddSubKey{PubKey: official1.pub, Label: "Cán bộ một cửa 01", Scope: []string{"anchor"}})
			assert.True(t, hasEvent(res, "key_added", "kind", "official"))
			kr, err := c.state().KeyRecord(official1.pub)
			require.NoError(t, err)
			assert.Equal(t, &KeyRecord{PubKey: official1.pub, Kind: KeyOfficial, Owner: "ubnd-hai-chau",
				Label: "Cán bộ một cửa 01", AddedHeight: c.height, Scope: []string{"anchor"}}, kr)

			// The sub-key anchors for its agency.
			c.mustDeliver(official1, anchor("kết quả 1"))
			b, err := c.store.Get(AnchorKey(docHash("kết quả 1")))
			require.NoError(t, err)
			a, err := DecodeAnchor(b)
			require.NoError(t, err)
			assert.Equal(t, "ubnd-hai-chau", a.Agency)
			assert.Equal(t, official1.pub, a.Signer)

			// A sub-key cannot manage keys; nor can the council or another agency.
			_, err = c.deliver(official1, &MsgAddSubKey{PubKey: official2.pub, Label: "Cán bộ 02"})
			requireErrIs(t, err, ErrUnauthorized)
			_, err = c.deliver(official1, &MsgRevokeSubKey{PubKey: official1.pub, Reason: "tự thu hồi"})
			requireErrIs(t, err, ErrUnauthorized)
			_, err = c.deliver(council1, &MsgAddSubKey{PubKey: official2.pub, Label: "Cán bộ 02"})
			requireErrIs(t, err, ErrUnauthorized)
			_, err = c.deliver(tuPhapKey, &MsgRevokeSubKey{PubKey: official1.pub, Reason: "không phải của mình"})
			requireErrIs(t, err, ErrUnauthorized)

			// Registered keys cannot be added again; main keys are not sub-keys.
			_, err = c.deliver(haiChau, &MsgAddSubKey{PubKey: official1.pub, Label: "lần hai"})
			requireErrIs(t, err, ErrConflict)
			_, err = c.deliver(haiChau, &MsgAddSubKey{PubKey: council1.pub, Label: "hội đồng"})
			requireErrIs(t, err, ErrConflict)
			_, err = c.deliver(haiChau, &MsgRevokeSubKey{PubKey: haiChau2.pub, Reason: "khóa chính"})
			requireErrIs(t, err, ErrUnauthorized)
			_, err = c.deliver(haiChau, &MsgRevokeSubKey{PubKey: stranger.pub, Reason: "không có"})
			requireErrIs(t, err, ErrNotFound)

			// Another main key of the same agency revokes it.
			c.nextBlock()
			res = c.mustDeliver(haiChau2, &MsgRevokeSubKey{PubKey: official1.pub, Reason: "Chuyển công tác"})
			assert.True(t, hasEvent(res, "key_revoked", "owner", "ubnd-hai-chau"))
			kr, err = c.state().KeyRecord(official1.pub)
			require.NoError(t, err)
			assert.True(t, kr.Revoked)
			assert.Equal(t, c.height, kr.RevokedHeight)

			_, err = c.deliver(official1, anchor("kết quả 2"))
			requireErrIs(t, err, ErrRevokedKey)
			_, err = c.deliver(haiChau, &MsgRevokeSubKey{PubKey: official1.pub, Reason: "lần hai"})
			requireErrIs(t, err, ErrConflict)
			_, err = c.deliver(haiChau, &MsgAddSubKey{PubKey: official1.pub, Label: "dùng lại"})
			requireErrIs(t, err, ErrConflict)
			assert.True(t, c.has(AnchorKey(docHash("kết quả 1"))))
		}},
		{"council membership changes the quorum", func(t *testing.T, c *chain) {
			c.pass(&AddCouncil{PubKey: council4.pub, Name: "Giám đốc Sở Nội vụ"})
			council, err := c.state().Council()
			require.NoError(t, err)
			require.Len(t, council, 4)

			// 4 members: 3 yes votes are needed (3*3 > 2*4).
			id := c.propose(council4, &SetAgencyRoles{ID: "so-tu-phap", Roles: []string{RoleNotaryAuthority, RoleNotaryOffice}})
			c.mustDeliver(council1, vote(id, true))
			assert.Equal(t, ProposalOpen, c.proposal(id).Status)
			c.mustDeliver(council2, vote(id, true))
			assert.Equal(t, ProposalExecuted, c.proposal(id).Status)

			// Removing a member revokes its key.
			c.pass(&RemoveCouncil{PubKey: council3.pub})
			ok, err := c.state().IsCouncil(council3.pub)
			require.NoError(t, err)
			assert.False(t, ok)
			_, err = c.deliver(council3, vote(1, true))
			requireErrIs(t, err, ErrRevokedKey)

			// 3 members again, then 2: with 2 members both must agree.
			id = c.propose(council1, &RemoveCouncil{PubKey: council4.pub})
			c.mustDeliver(council2, vote(id, true))
			assert.Equal(t, ProposalOpen, c.proposal(id).Status)
			c.mustDeliver(council4, vote(id, true))
			assert.Equal(t, ProposalExecuted, c.proposal(id).Status)

			id = c.propose(council1, &RemoveCouncil{PubKey: council2.pub})
			c.mustDeliver(council2, vote(id, true))
			assert.Equal(t, ProposalExecuted, c.proposal(id).Status)

			// A single member decides alone, but cannot remove itself.
			id = c.propose(council1, &SetAgencyRoles{ID: "so-tu-phap", Roles: []string{RoleNotaryAuthority}})
			assert.Equal(t, ProposalExecuted, c.proposal(id).Status)
			_, err = c.deliver(council1, &MsgPropose{Action: &RemoveCouncil{PubKey: council1.pub}})
			requireErrIs(t, err, ErrInvalid)
			_, err = c.deliver(council1, &MsgPropose{Action: &RemoveCouncil{PubKey: council3.pub}})
			requireErrIs(t, err, ErrNotFound)
		}},
		{"votes of removed members stop counting", func(t *testing.T, c *chain) {
			// council3 votes yes on id, then leaves the council.
			id := c.propose(council1, addYTe())
			c.mustDeliver(council3, vote(id, true))
			c.pass(&RemoveCouncil{PubKey: council3.pub})
			// Council is {1,2}: council1's vote counts, council3's does not,
			// so the proposal is still open until council2 agrees.
			assert.Equal(t, ProposalOpen, c.proposal(id).Status)
			c.mustDeliver(council2, vote(id, true))
			assert.Equal(t, ProposalExecuted, c.proposal(id).Status)
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tc.run(t, newChain(t))
		})
	}
}

// TestDeliverWritesOnlyOnSuccess checks the helper's contract too: a failed
// tx leaves the committed state byte for byte as it was.
func TestDeliverWritesOnlyOnSuccess(t *testing.T) {
	c := newChain(t)
	before := dumpStore(t, c.store)
	_, err := c.deliver(stranger, anchor("x"))
	requireErrIs(t, err, ErrUnknownKey)
	assert.Equal(t, before, dumpStore(t, c.store))

	c.mustDeliver(haiChau, anchor("x"))
	assert.NotEqual(t, before, dumpStore(t, c.store))
}

// failingStore fails every read of one key, as a broken disk would.
type failingStore struct {
	Store
	key []byte
}

var errDisk = errors.New("disk read error")

func (f failingStore) Get(k []byte) ([]byte, error) {
	if bytes.Equal(k, f.key) {
		return nil, errDisk
	}
	return f.Store.Get(k)
}

// TestStorageErrorsAreNotDomainErrors: a storage failure must abort the tx
// with an internal error (the node halts), never turn into a domain
// outcome such as "not found" that would be committed as a result.
func TestStorageErrorsAreNotDomainErrors(t *testing.T) {
	t.Run("RevokeKey reaching quorum", func(t *testing.T) {
		c := newChain(t)
		id := c.propose(council1, &RevokeKey{PubKey: tuPhapKey.pub, Reason: "Lộ khóa"})
		c.mustDeliver(council2, vote(id, true))
		tx := c.newTx(council3, vote(id, true))
		work := cloneStore(t, c.store)
		_, err := Deliver(c.ctx(), failingStore{work, KeyRecordKey(tuPhapKey.pub)}, tx)
		require.ErrorIs(t, err, errDisk)
		assert.False(t, IsDomain(err))
		_, code := ABCICode(err)
		assert.Equal(t, ErrInternal.Code, code)
	})
	t.Run("MsgRevokeSubKey", func(t *testing.T) {
		c := newChain(t)
		c.mustDeliver(haiChau, &MsgAddSubKey{PubKey: official1.pub, Label: "Cán bộ 01"})
		tx := c.newTx(haiChau, &MsgRevokeSubKey{PubKey: official1.pub, Reason: "Nghỉ việc"})
		_, err := Deliver(c.ctx(), failingStore{cloneStore(t, c.store), KeyRecordKey(official1.pub)}, tx)
		require.ErrorIs(t, err, errDisk)
		assert.False(t, IsDomain(err))
	})
	t.Run("signer lookup", func(t *testing.T) {
		c := newChain(t)
		tx := c.newTx(haiChau, anchor("x"))
		_, err := Deliver(c.ctx(), failingStore{cloneStore(t, c.store), KeyRecordKey(haiChau.pub)}, tx)
		require.ErrorIs(t, err, errDisk)
		assert.False(t, IsDomain(err))
	})
}

func TestSignerRequireRole(t *testing.T) {
	c := newChain(t)
	st := c.state()
	for _, tc := range []struct {
		key    keyPair
		role   string
		wantOK bool
	}{
		{haiChau, RoleResultIssuer, true},
		{haiChau2, RolePayloadPublisher, true},
		{haiChau, RoleNotaryOffice, false},
		{tuPhapKey, RoleNotaryAuthority, true},
		{tuPhapKey, RoleResultIssuer, false},
		{council1, RoleResultIssuer, false},
	} {
		tx := c.newTx(tc.key, anchor("x"))
		signer, err := Authenticate(c.ctx(), st, tx)
		require.NoError(t, err)
		err = signer.RequireRole(tc.role)
		if tc.wantOK {
			assert.NoError(t, err, "%s %s", tc.key.name, tc.role)
		} else {
			requireErrIs(t, err, ErrUnauthorized)
			assert.Contains(t, err.Error(), tc.role)
		}
	}
	signer, err := Authenticate(c.ctx(), st, c.newTx(council1, anchor("x")))
	require.NoError(t, err)
	assert.Contains(t, signer.RequireRole(RoleResultIssuer).Error(), "(council)")
	assert.Nil(t, signer.Agency)
}

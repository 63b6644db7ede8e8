package registry

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPrefixEnd(t *testing.T) {
	cases := []struct{ in, want []byte }{
		{[]byte{'a'}, []byte{'b'}},
		{[]byte{'a', 0x00}, []byte{'a', 0x01}},
		{[]byte{'a', 0xff}, []byte{'b'}},
		{[]byte{'a', 0xff, 0xff}, []byte{'b'}},
		{[]byte{0xff}, nil},
		{[]byte{0xff, 0xff}, nil},
		{nil, nil},
	}
	for _, tc := range cases {
		in := append([]byte(nil), tc.in...)
		assert.Equal(t, tc.want, PrefixEnd(tc.in), "%x", tc.in)
		assert.Equal(t, in, tc.in, "PrefixEnd must not modify its input")
	}
}

func TestMemStore(t *testing.T) {
	s := NewMemStore()
	v, err := s.Get([]byte("missing"))
	require.NoError(t, err)
	assert.Nil(t, v)

	val := []byte("v1")
	require.NoError(t, s.Set([]byte("b"), val))
	val[0] = 'X' // the store keeps its own copy
	got, err := s.Get([]byte("b"))
	require.NoError(t, err)
	assert.Equal(t, []byte("v1"), got)
	got[0] = 'Y' // and hands out copies
	got, _ = s.Get([]byte("b"))
	assert.Equal(t, []byte("v1"), got)

	for _, k := range []string{"a", "a\x00", "ab", "b\xff", "c", "\xff"} {
		require.NoError(t, s.Set([]byte(k), []byte(k)))
	}
	assert.Equal(t, 7, s.Len())

	keys := func(start, end []byte) []string {
		var out []string
		require.NoError(t, s.Iterate(start, end, func(k, _ []byte) (bool, error) {
			out = append(out, string(k))
			return false, nil
		}))
		return out
	}
	assert.Equal(t, []string{"a", "a\x00", "ab", "b", "b\xff", "c", "\xff"}, keys(nil, nil))
	assert.Equal(t, []string{"a", "a\x00", "ab"}, keys([]byte("a"), PrefixEnd([]byte("a"))))
	assert.Equal(t, []string{"b", "b\xff"}, keys([]byte("b"), []byte("c")))
	assert.Equal(t, []string{"\xff"}, keys([]byte{0xff}, PrefixEnd([]byte{0xff})))
	assert.Empty(t, keys([]byte("d"), []byte("e")))

	// stop and errors end the iteration.
	var seen []string
	require.NoError(t, s.Iterate(nil, nil, func(k, _ []byte) (bool, error) {
		seen = append(seen, string(k))
		return len(seen) == 2, nil
	}))
	assert.Len(t, seen, 2)
	boom := errors.New("boom")
	n := 0
	err = s.Iterate(nil, nil, func(k, _ []byte) (bool, error) { n++; return false, boom })
	assert.Same(t, boom, err)
	assert.Equal(t, 1, n)

	require.NoError(t, s.Delete([]byte("b")))
	require.NoError(t, s.Delete([]byte("never-there")))
	got, _ = s.Get([]byte("b"))
	assert.Nil(t, got)
	assert.Equal(t, 6, s.Len())
}

func TestStateSequences(t *testing.T) {
	st := NewState(NewMemStore())
	n, err := st.Seq("proposal")
	require.NoError(t, err)
	assert.Zero(t, n)
	for want := uint64(1); want <= 3; want++ {
		n, err := st.NextSeq("proposal")
		require.NoError(t, err)
		assert.Equal(t, want, n)
	}
	n, err = st.Seq("proposal")
	require.NoError(t, err)
	assert.Equal(t, uint64(3), n)
	n, err = st.Seq("other")
	require.NoError(t, err)
	assert.Zero(t, n)
}

func TestStateMissingRecords(t *testing.T) {
	st := NewState(NewMemStore())
	_, err := st.Params()
	requireErrIs(t, err, ErrInternal)
	_, err = st.Agency("x")
	requireErrIs(t, err, ErrNotFound)
	_, err = st.KeyRecord(stranger.pub)
	requireErrIs(t, err, ErrUnknownKey)
	_, err = st.Proposal(1)
	requireErrIs(t, err, ErrNotFound)
	v, err := st.Validator(stranger.pub)
	require.NoError(t, err)
	assert.Nil(t, v)
	ok, err := st.IsCouncil(stranger.pub)
	require.NoError(t, err)
	assert.False(t, ok)
}

func TestStateKeyLayout(t *testing.T) {
	pub := stranger.pub
	assert.Equal(t, []byte{'p'}, ParamsKey())
	assert.Equal(t, append([]byte{'c'}, pub...), CouncilKey(pub))
	assert.Equal(t, []byte("aso-tu-phap"), AgencyKey("so-tu-phap"))
	assert.Equal(t, append([]byte{'k'}, pub...), KeyRecordKey(pub))
	assert.Equal(t, append([]byte{'v'}, pub...), ValidatorKey(pub))
	assert.Equal(t, []byte{'g', 0, 0, 0, 0, 0, 0, 1, 2}, ProposalKey(258))
	assert.Equal(t, []byte("sproposal"), SeqKey("proposal"))
	assert.Equal(t, append([]byte{'d'}, docHash("x")...), AnchorKey(docHash("x")))
}

func TestEnumStrings(t *testing.T) {
	for _, s := range []string{"active", "suspended", "removed"} {
		st, err := ParseAgencyStatus(s)
		require.NoError(t, err)
		assert.Equal(t, s, st.String())
	}
	_, err := ParseAgencyStatus("unknown")
	requireErrIs(t, err, ErrInvalid)
	assert.Equal(t, "unknown", AgencyStatus(9).String())
	assert.Equal(t, "council", KeyCouncil.String())
	assert.Equal(t, "agency", KeyAgency.String())
	assert.Equal(t, "official", KeyOfficial.String())
	assert.Equal(t, "unknown", KeyKind(0).String())
	for st, want := range map[ProposalStatus]string{ProposalOpen: "open", ProposalExecuted: "executed",
		ProposalRejected: "rejected", ProposalFailed: "failed", ProposalExpired: "expired", 0: "unknown"} {
		assert.Equal(t, want, st.String())
	}
}

func TestRolesTable(t *testing.T) {
	roles := Roles()
	require.Len(t, roles, 11)
	for i, r := range roles {
		assert.True(t, KnownRole(r.Role))
		assert.NotEmpty(t, r.VI)
		assert.NotEmpty(t, r.EN)
		assert.NoError(t, CheckNFC(r.VI))
		if i > 0 {
			assert.Less(t, roles[i-1].Role, r.Role, "roles are sorted and unique")
		}
	}
	assert.False(t, KnownRole("Result.Issuer"))
	assert.False(t, KnownRole(""))
}

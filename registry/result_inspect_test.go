package registry

import (
	"bytes"
	"encoding/binary"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// inspections lists the values under prefix, decoded.
func (c *chain) inspections(prefix []byte) []*Inspection {
	c.t.Helper()
	var out []*Inspection
	require.NoError(c.t, c.store.Iterate(prefix, PrefixEnd(prefix), func(_, v []byte) (bool, error) {
		in, err := DecodeInspection(v)
		require.NoError(c.t, err)
		out = append(out, in)
		return false, nil
	}))
	return out
}

func TestResultInspectValidateBasic(t *testing.T) {
	require.NoError(t, (&MsgInspectResult{ID: 1, Outcome: OutcomeOK}).ValidateBasic())
	requireErrIs(t, (&MsgInspectResult{ID: 0, Outcome: OutcomeOK}).ValidateBasic(), ErrInvalid)
	requireErrIs(t, (&MsgInspectResult{ID: 1, Outcome: 0}).ValidateBasic(), ErrInvalid)
	requireErrIs(t, (&MsgInspectResult{ID: 1, Outcome: 6}).ValidateBasic(), ErrInvalid)
	for _, o := range []InspectionOutcome{OutcomeOK, OutcomeMismatch, OutcomeInvalid, OutcomeHolderMismatch, OutcomeOther} {
		got, err := ParseInspectionOutcome(o.String())
		require.NoError(t, err)
		assert.Equal(t, o, got)
	}
	_, err := ParseInspectionOutcome("tốt")
	requireErrIs(t, err, ErrInvalid)
}

func TestResultInspect(t *testing.T) {
	c := newChain(t)
	// Hải Châu gets the inspector role; Sở Tư pháp has an official without it.
	c.pass(&SetAgencyRoles{ID: "ubnd-hai-chau", Roles: []string{RolePayloadPublisher, RoleResultInspector, RoleResultIssuer}})
	c.mustDeliver(haiChau, &MsgAddSubKey{PubKey: official1.pub, Label: "Cán bộ kiểm tra 01", Scope: []string{"result/inspect"}})
	c.mustDeliver(tuPhapKey, &MsgAddSubKey{PubKey: official2.pub, Label: "Cán bộ 02", Scope: []string{"result/inspect"}})
	ids := c.issue(haiChau, sampleDoc("a"), sampleDoc("b"))

	for _, tc := range []struct {
		name string
		key  keyPair
		id   uint64
		want *Error
	}{
		{"agency main key", haiChau, ids[0].ID, ErrUnauthorized},
		{"official of an agency without result.inspector", official2, ids[0].ID, ErrUnauthorized},
		{"council key", council1, ids[0].ID, ErrUnauthorized},
		{"unknown result", official1, 999, ErrNotFound},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := c.deliver(tc.key, &MsgInspectResult{ID: tc.id, Outcome: OutcomeOK})
			requireErrIs(t, err, tc.want)
		})
	}

	c.nextBlock()
	res := c.mustDeliver(official1, &MsgInspectResult{ID: ids[0].ID, Outcome: OutcomeOK})
	assert.True(t, hasEvent(res, "result_inspected", "outcome", "ok"))
	seq, n := binary.Uvarint(res.Data)
	require.Equal(t, len(res.Data), n)
	assert.Equal(t, uint64(1), seq)
	h1, t1 := c.height, uint64(c.time.Unix())
	c.mustDeliver(official1, &MsgInspectResult{ID: ids[1].ID, Outcome: OutcomeMismatch})
	c.nextBlock()
	// Inspecting a revoked result is logged too.
	c.mustDeliver(haiChau, &MsgSetResultStatus{ID: ids[1].ID, Op: OpRevoke, Reason: "Giả mạo"})
	c.mustDeliver(official1, &MsgInspectResult{ID: ids[1].ID, Outcome: OutcomeInvalid})

	log := c.inspections([]byte{PrefixInspection})
	require.Len(t, log, 3)
	assert.Equal(t, &Inspection{Seq: 1, ResultID: ids[0].ID, Official: official1.pub, Agency: "ubnd-hai-chau",
		Height: h1, Time: t1, Outcome: OutcomeOK}, log[0])
	assert.Equal(t, []uint64{1, 2, 3}, []uint64{log[0].Seq, log[1].Seq, log[2].Seq})
	assert.Equal(t, OutcomeInvalid, log[2].Outcome)
	assert.Equal(t, log, c.inspections(InspectionsByOfficialPrefix(official1.pub)), "per-official index, same order")
	assert.Equal(t, log, c.inspections(InspectionsByAgencyPrefix("ubnd-hai-chau")), "per-agency index, same order")
	assert.Empty(t, c.inspections(InspectionsByOfficialPrefix(official2.pub)))
	assert.Empty(t, c.inspections(InspectionsByAgencyPrefix("so-tu-phap")))

	// The log never carries the holder's commitment (nor anything else of the holder).
	holder := c.record(ids[0].ID).Holder
	require.Len(t, holder, HashSize)
	for _, prefix := range []byte{PrefixInspection, PrefixInspectionIndex} {
		require.NoError(t, c.store.Iterate([]byte{prefix}, []byte{prefix + 1}, func(k, v []byte) (bool, error) {
			assert.False(t, bytes.Contains(v, holder) || bytes.Contains(k, holder))
			return false, nil
		}))
	}

	// A revoked sub-key can no longer inspect.
	c.mustDeliver(haiChau, &MsgRevokeSubKey{PubKey: official1.pub, Reason: "Chuyển công tác"})
	_, err := c.deliver(official1, &MsgInspectResult{ID: ids[0].ID, Outcome: OutcomeOK})
	requireErrIs(t, err, ErrRevokedKey)
	assert.Len(t, c.inspections([]byte{PrefixInspection}), 3, "earlier entries stay")
}

func TestResultInspectionRoundTrip(t *testing.T) {
	in := &Inspection{Seq: 7, ResultID: 3, Official: official1.pub, Agency: "ubnd-hai-chau", Height: 9, Time: 1756800000,
		Outcome: OutcomeHolderMismatch}
	b := encode(in.Encode)
	got, err := DecodeInspection(b)
	require.NoError(t, err)
	assert.Equal(t, in, got)
	_, err = DecodeInspection(b[:len(b)-1])
	requireErrIs(t, err, ErrMalformed)
}

package registry

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/unicode/norm"
)

func TestResultStatusValidateBasic(t *testing.T) {
	cases := []struct {
		name    string
		m       MsgSetResultStatus
		wantErr *Error
	}{
		{"revoke", MsgSetResultStatus{ID: 1, Op: OpRevoke, ReasonCode: 2, Reason: "Cấp sai đối tượng"}, nil},
		{"revoke without reason", MsgSetResultStatus{ID: 1, Op: OpRevoke, ReasonCode: 2}, ErrInvalid},
		{"suspend without reason", MsgSetResultStatus{ID: 1, Op: OpSuspend}, nil},
		{"reinstate with reason", MsgSetResultStatus{ID: 1, Op: OpReinstate, Reason: "Đã khắc phục"}, nil},
		{"id 0", MsgSetResultStatus{ID: 0, Op: OpSuspend}, ErrInvalid},
		{"op 0", MsgSetResultStatus{ID: 1, Op: 0}, ErrInvalid},
		{"op 4", MsgSetResultStatus{ID: 1, Op: 4}, ErrInvalid},
		{"reason code at the limit", MsgSetResultStatus{ID: 1, Op: OpSuspend, ReasonCode: MaxReasonCode}, nil},
		{"reason code above the limit", MsgSetResultStatus{ID: 1, Op: OpSuspend, ReasonCode: MaxReasonCode + 1}, ErrInvalid},
		{"NFD reason", MsgSetResultStatus{ID: 1, Op: OpRevoke, Reason: norm.NFD.String("Cấp sai")}, ErrNotNFC},
		{"reason too long", MsgSetResultStatus{ID: 1, Op: OpRevoke, Reason: strings.Repeat("a", MaxReasonLen+1)}, ErrInvalid},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.m.ValidateBasic()
			if tc.wantErr == nil {
				require.NoError(t, err)
				return
			}
			requireErrIs(t, err, tc.wantErr)
		})
	}
}

func TestResultLifecycle(t *testing.T) {
	// Each step runs on the state left by the previous ones.
	c := newChain(t)
	c.pass(addYTe())
	c.mustDeliver(haiChau, &MsgAddSubKey{PubKey: official1.pub, Label: "Cán bộ một cửa 01"})
	ids := c.issue(haiChau, sampleDoc("a"), sampleDoc("b"))
	a, b := ids[0].ID, ids[1].ID
	repl, err := c.supersede(haiChau, b, OriginReplace, sampleDoc("b2"))
	require.NoError(t, err)

	steps := []struct {
		name    string
		key     keyPair
		id      uint64
		op      ResultOp
		reason  string
		want    *Error
		status  ResultStatus
		verdict ResultVerdict
	}{
		{"reinstate an active result", haiChau, a, OpReinstate, "", ErrConflict, ResultActive, VerdictValid},
		{"suspend", haiChau, a, OpSuspend, "Đang xác minh", nil, ResultSuspended, VerdictSuspended},
		{"suspend again", haiChau, a, OpSuspend, "", ErrConflict, ResultSuspended, VerdictSuspended},
		{"another agency cannot reinstate", yteKey, a, OpReinstate, "", ErrUnauthorized, ResultSuspended, VerdictSuspended},
		{"an official sub-key cannot reinstate", official1, a, OpReinstate, "", ErrUnauthorized, ResultSuspended, VerdictSuspended},
		{"a council key cannot reinstate", council1, a, OpReinstate, "", ErrUnauthorized, ResultSuspended, VerdictSuspended},
		{"reinstate", haiChau2, a, OpReinstate, "", nil, ResultActive, VerdictValid},
		{"revoke", haiChau, a, OpRevoke, "Cấp sai đối tượng", nil, ResultRevoked, VerdictRevoked},
		{"revocation is final: reinstate", haiChau, a, OpReinstate, "", ErrRevoked, ResultRevoked, VerdictRevoked},
		{"revocation is final: suspend", haiChau, a, OpSuspend, "", ErrRevoked, ResultRevoked, VerdictRevoked},
		{"revocation is final: revoke again", haiChau, a, OpRevoke, "Lần hai", ErrRevoked, ResultRevoked, VerdictRevoked},
		{"a superseded result cannot be suspended", haiChau, b, OpSuspend, "", ErrConflict, ResultSuperseded, VerdictReplaced},
		{"a superseded result can be revoked", haiChau, b, OpRevoke, "Giả mạo hồ sơ", nil, ResultRevoked, VerdictRevoked},
		{"unknown result", haiChau, 999, OpSuspend, "", ErrNotFound, 0, ""},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			c.nextBlock()
			before := dumpStore(t, c.store)
			res, err := c.deliver(s.key, &MsgSetResultStatus{ID: s.id, Op: s.op, ReasonCode: 4, Reason: s.reason})
			if s.want != nil {
				requireErrIs(t, err, s.want)
				assert.Equal(t, before, dumpStore(t, c.store))
			} else {
				require.NoError(t, err)
				assert.True(t, hasEvent(res, "result_status", "op", s.op.String()))
				r := c.record(s.id)
				assert.Equal(t, c.height, r.StatusHeight)
				assert.Equal(t, uint64(c.time.Unix()), r.StatusTime)
				assert.Equal(t, s.reason, r.Reason)
				assert.Equal(t, uint64(4), r.ReasonCode)
			}
			if s.status != 0 {
				r := c.record(s.id)
				assert.Equal(t, s.status, r.Status)
				assert.Equal(t, s.verdict, r.VerdictAt(uint64(c.time.Unix())))
			}
		})
	}
	// A revoked, superseded record keeps its link to the replacement.
	assert.Equal(t, repl.ID, c.record(b).ReplacedBy)
	assert.Equal(t, ResultActive, c.record(repl.ID).Status)
}

func TestResultExpiryFollowsBlockTime(t *testing.T) {
	c := newChain(t)
	d := sampleDoc("temporary")
	d.ValidFrom = uint64(c.time.Add(10 * time.Second).Unix())
	d.ValidUntil = uint64(c.time.Add(20 * time.Second).Unix())
	id := c.issue(haiChau, d)[0].ID
	verdict := func() ResultVerdict { return c.record(id).VerdictAt(uint64(c.time.Unix())) }
	assert.Equal(t, VerdictNotYetValid, verdict())
	c.advanceTo(c.height + 10)
	assert.Equal(t, VerdictValid, verdict())
	c.advanceTo(c.height + 10)
	assert.Equal(t, VerdictExpired, verdict())
	// Expiry is derived, never stored; the issuer may still replace (cấp đổi) an expired result.
	assert.Equal(t, ResultActive, c.record(id).Status)
	got, err := c.supersede(haiChau, id, OriginReplace, sampleDoc("renewed"))
	require.NoError(t, err)
	assert.Equal(t, VerdictValid, c.record(got.ID).VerdictAt(uint64(c.time.Unix())))
}

package registry

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func (c *chain) supersede(k keyPair, id uint64, kind ResultOrigin, d ResultDoc) (IssuedResult, error) {
	c.t.Helper()
	res, err := c.deliver(k, &MsgSupersedeResult{ID: id, Kind: kind, Doc: d})
	if err != nil {
		return IssuedResult{}, err
	}
	out, err := DecodeIssued(res.Data)
	require.NoError(c.t, err)
	require.Len(c.t, out, 1)
	return out[0], nil
}

func TestResultSupersedeValidateBasic(t *testing.T) {
	cases := []struct {
		name    string
		mutate  func(m *MsgSupersedeResult)
		wantErr *Error
	}{
		{"valid", func(m *MsgSupersedeResult) {}, nil},
		{"reissue", func(m *MsgSupersedeResult) { m.Kind = OriginReissue }, nil},
		{"amend", func(m *MsgSupersedeResult) { m.Kind = OriginAmend }, nil},
		{"kind issue", func(m *MsgSupersedeResult) { m.Kind = OriginIssue }, ErrInvalid},
		{"kind 0", func(m *MsgSupersedeResult) { m.Kind = 0 }, ErrInvalid},
		{"kind 5", func(m *MsgSupersedeResult) { m.Kind = 5 }, ErrInvalid},
		{"id 0", func(m *MsgSupersedeResult) { m.ID = 0 }, ErrInvalid},
		{"bad new document", func(m *MsgSupersedeResult) { m.Doc.DocHash = nil }, ErrInvalid},
		{"no procedure", func(m *MsgSupersedeResult) { m.Doc.Procedure = "" }, ErrInvalid},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m := &MsgSupersedeResult{ID: 1, Kind: OriginReplace, Doc: sampleDoc("new")}
			tc.mutate(m)
			err := m.ValidateBasic()
			if tc.wantErr == nil {
				require.NoError(t, err)
				return
			}
			requireErrIs(t, err, tc.wantErr)
		})
	}
	for _, s := range []string{"reissue", "replace", "amend"} {
		k, err := ParseSupersedeKind(s)
		require.NoError(t, err)
		assert.Equal(t, s, k.String())
	}
	_, err := ParseSupersedeKind("issue")
	requireErrIs(t, err, ErrInvalid)
}

func TestResultSupersede(t *testing.T) {
	for _, kind := range []ResultOrigin{OriginReissue, OriginReplace, OriginAmend} {
		t.Run(kind.String()+" links both ways", func(t *testing.T) {
			c := newChain(t)
			old := c.issue(haiChau, sampleDoc("old"))[0]
			c.nextBlock()
			nd := sampleDoc("new")
			nd.Procedure = "1.001613" // cấp đổi is its own procedure
			got, err := c.supersede(haiChau, old.ID, kind, nd)
			require.NoError(t, err)
			assert.Equal(t, IssuedResult{ID: 2, New: true}, got)

			o, n := c.record(old.ID), c.record(got.ID)
			assert.Equal(t, ResultSuperseded, o.Status)
			assert.Equal(t, got.ID, o.ReplacedBy)
			assert.Equal(t, c.height, o.StatusHeight)
			assert.Equal(t, kind, n.Origin)
			assert.Equal(t, old.ID, n.Replaces)
			assert.Equal(t, ResultActive, n.Status)
			assert.Equal(t, "1.001613", n.Procedure)
			now := uint64(c.time.Unix())
			assert.Equal(t, VerdictReplaced, o.VerdictAt(now))
			assert.Equal(t, VerdictValid, n.VerdictAt(now))
			id, _, _ := c.state().ResultIDByHash(docHash("old"))
			assert.Equal(t, old.ID, id, "the old document still finds its own record")
		})
	}

	t.Run("sending the same supersession again returns the same record", func(t *testing.T) {
		c := newChain(t)
		old := c.issue(haiChau, sampleDoc("old"))[0]
		first, err := c.supersede(haiChau, old.ID, OriginReplace, sampleDoc("new"))
		require.NoError(t, err)
		c.nextBlock()
		again, err := c.supersede(haiChau2, old.ID, OriginReplace, sampleDoc("new"))
		require.NoError(t, err)
		assert.Equal(t, IssuedResult{ID: first.ID, New: false}, again)
		// A different document for an already superseded record conflicts.
		_, err = c.supersede(haiChau, old.ID, OriginReplace, sampleDoc("third"))
		requireErrIs(t, err, ErrConflict)
		// The chain continues from the newest record.
		third, err := c.supersede(haiChau, first.ID, OriginAmend, sampleDoc("third"))
		require.NoError(t, err)
		assert.Equal(t, third.ID, c.record(first.ID).ReplacedBy)
		assert.Equal(t, first.ID, c.record(third.ID).Replaces)
	})

	t.Run("rules", func(t *testing.T) {
		c := newChain(t)
		c.pass(addYTe())
		a := c.issue(haiChau, sampleDoc("a"), sampleDoc("b"), sampleDoc("c"))
		yte := c.issue(yteKey, sampleDoc("y"))[0]
		c.mustDeliver(haiChau, &MsgAddSubKey{PubKey: official1.pub, Label: "Cán bộ một cửa 01"})
		c.mustDeliver(haiChau, &MsgSetResultStatus{ID: a[1].ID, Op: OpRevoke, Reason: "Thu hồi"})
		c.mustDeliver(haiChau, &MsgSetResultStatus{ID: a[2].ID, Op: OpSuspend})

		for _, tc := range []struct {
			name string
			key  keyPair
			id   uint64
			doc  ResultDoc
			want *Error
		}{
			{"unknown result", haiChau, 999, sampleDoc("n1"), ErrNotFound},
			{"another agency's result", haiChau, yte.ID, sampleDoc("n2"), ErrUnauthorized},
			{"revoked result", haiChau, a[1].ID, sampleDoc("n3"), ErrRevoked},
			{"new document is already a result", haiChau, a[0].ID, sampleDoc("b"), ErrConflict},
			{"new document is another agency's result", haiChau, a[0].ID, sampleDoc("y"), ErrConflict},
			{"new document is the old one", haiChau, a[0].ID, sampleDoc("a"), ErrConflict},
			{"official sub-key", official1, a[0].ID, sampleDoc("n4"), ErrUnauthorized},
			{"agency without the role", tuPhapKey, a[0].ID, sampleDoc("n5"), ErrUnauthorized},
			{"council key", council1, a[0].ID, sampleDoc("n6"), ErrUnauthorized},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, err := c.supersede(tc.key, tc.id, OriginReplace, tc.doc)
				requireErrIs(t, err, tc.want)
			})
		}
		// A suspended result can be replaced (e.g. suspended pending correction, then amended).
		got, err := c.supersede(haiChau, a[2].ID, OriginAmend, sampleDoc("corrected"))
		require.NoError(t, err)
		assert.Equal(t, ResultSuperseded, c.record(a[2].ID).Status)
		assert.Equal(t, got.ID, c.record(a[2].ID).ReplacedBy)
	})
}

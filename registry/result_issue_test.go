package registry

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/unicode/norm"
)

// issue delivers an issue tx for docs signed by k and returns the ids.
func (c *chain) issue(k keyPair, docs ...ResultDoc) []IssuedResult {
	c.t.Helper()
	res := c.mustDeliver(k, NewIssueResults(docs))
	out, err := DecodeIssued(res.Data)
	require.NoError(c.t, err)
	require.Len(c.t, out, len(docs))
	return out
}

func (c *chain) record(id uint64) *ResultRecord {
	c.t.Helper()
	r, err := c.state().ResultRecord(id)
	require.NoError(c.t, err)
	return r
}

func TestResultIssueValidateBasic(t *testing.T) {
	nfd := norm.NFD.String("Giấy phép xây dựng")
	cases := []struct {
		name    string
		mutate  func(m *MsgIssueResults)
		wantErr *Error
	}{
		{"valid", func(m *MsgIssueResults) {}, nil},
		{"no items", func(m *MsgIssueResults) { m.Items = nil }, ErrInvalid},
		{"no templates", func(m *MsgIssueResults) { m.Templates = nil }, ErrInvalid},
		{"more templates than items", func(m *MsgIssueResults) {
			m.Templates = append(m.Templates, m.Templates[0], m.Templates[0])
		}, ErrInvalid},
		{"unused template", func(m *MsgIssueResults) { m.Items[1].Template = 0 }, ErrInvalid},
		{"template out of range", func(m *MsgIssueResults) { m.Items[0].Template = 7 }, ErrInvalid},
		{"empty procedure", func(m *MsgIssueResults) { m.Templates[0].Procedure = "" }, ErrInvalid},
		{"procedure with a space", func(m *MsgIssueResults) { m.Templates[0].Procedure = "1.001 612" }, ErrInvalid},
		{"procedure with Vietnamese", func(m *MsgIssueResults) { m.Templates[0].Procedure = "thủ-tục" }, ErrInvalid},
		{"procedure too long", func(m *MsgIssueResults) {
			m.Templates[0].Procedure = string(bytes.Repeat([]byte{'1'}, MaxProcedureLen+1))
		}, ErrInvalid},
		{"procedure at the limit", func(m *MsgIssueResults) {
			m.Templates[0].Procedure = string(bytes.Repeat([]byte{'1'}, MaxProcedureLen))
		}, nil},
		{"NFD title", func(m *MsgIssueResults) { m.Templates[0].Title = nfd }, ErrNotNFC},
		{"NFD type", func(m *MsgIssueResults) { m.Templates[1].DocType = nfd }, ErrNotNFC},
		{"control character in title", func(m *MsgIssueResults) { m.Templates[0].Title = "a\x1bb" }, ErrNotNFC},
		{"title too long", func(m *MsgIssueResults) { m.Templates[0].Title = string(bytes.Repeat([]byte("ạ"), MaxTitleLen)) }, ErrInvalid},
		{"type too long", func(m *MsgIssueResults) { m.Templates[0].DocType = string(bytes.Repeat([]byte("a"), MaxDocTypeLen+1)) }, ErrInvalid},
		{"empty type and title", func(m *MsgIssueResults) { m.Templates[0].DocType, m.Templates[0].Title = "", "" }, nil},
		{"short hash", func(m *MsgIssueResults) { m.Items[0].DocHash = m.Items[0].DocHash[:31] }, ErrInvalid},
		{"no hash", func(m *MsgIssueResults) { m.Items[0].DocHash = nil }, ErrInvalid},
		{"dossier with slash", func(m *MsgIssueResults) { m.Items[0].Dossier = "HS/2025/0001" }, nil},
		{"dossier with a space", func(m *MsgIssueResults) { m.Items[0].Dossier = "HS 1" }, ErrInvalid},
		{"empty dossier", func(m *MsgIssueResults) { m.Items[0].Dossier = "" }, nil},
		{"holder of 31 bytes", func(m *MsgIssueResults) { m.Items[0].Holder = make([]byte, 31) }, ErrInvalid},
		{"no holder", func(m *MsgIssueResults) { m.Items[0].Holder = nil }, nil},
		{"valid_from after valid_until", func(m *MsgIssueResults) { m.Items[0].ValidFrom, m.Items[0].ValidUntil = 20, 10 }, ErrInvalid},
		{"valid_from equal to valid_until", func(m *MsgIssueResults) { m.Items[0].ValidFrom, m.Items[0].ValidUntil = 10, 10 }, ErrInvalid},
		{"valid_from only", func(m *MsgIssueResults) { m.Items[0].ValidFrom, m.Items[0].ValidUntil = 10, 0 }, nil},
		{"validity out of range", func(m *MsgIssueResults) { m.Items[0].ValidUntil = 1 << 40 }, ErrInvalid},
		{"bad cid", func(m *MsgIssueResults) { m.Items[0].CID = "QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG" }, ErrInvalid},
		{"good cid", func(m *MsgIssueResults) { m.Items[0].CID = sha256CID(0x70) }, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d2 := sampleDoc("b")
			d2.Procedure, d2.DocType = "2.000889", "Giấy phép"
			m := NewIssueResults([]ResultDoc{sampleDoc("a"), d2})
			require.Len(t, m.Templates, 2)
			tc.mutate(m)
			err := m.ValidateBasic()
			if tc.wantErr == nil {
				require.NoError(t, err)
				return
			}
			requireErrIs(t, err, tc.wantErr)
		})
	}

	// Count limits.
	docs := make([]ResultDoc, MaxResultsPerTx+1)
	for i := range docs {
		docs[i] = sampleDoc(fmt.Sprint(i))
	}
	requireErrIs(t, NewIssueResults(docs).ValidateBasic(), ErrInvalid)
	require.NoError(t, NewIssueResults(docs[:MaxResultsPerTx]).ValidateBasic())
}

func TestResultNewIssueResultsSharesTemplates(t *testing.T) {
	a, b, c := sampleDoc("a"), sampleDoc("b"), sampleDoc("c")
	b.Title = "Giấy phép kinh doanh"
	m := NewIssueResults([]ResultDoc{a, b, c})
	require.Len(t, m.Templates, 2)
	assert.Equal(t, []uint64{0, 1, 0}, []uint64{m.Items[0].Template, m.Items[1].Template, m.Items[2].Template})
	for i, want := range []ResultDoc{a, b, c} {
		assert.Equal(t, want, *m.Doc(i))
	}
}

func TestResultIssue(t *testing.T) {
	t.Run("issue records every field with block height and time", func(t *testing.T) {
		c := newChain(t)
		c.nextBlock()
		d := sampleDoc("giấy phép")
		d.ValidUntil, d.CID = uint64(genesisTime.Add(365*24*time.Hour).Unix()), sha256CID(0x55)
		res := c.mustDeliver(haiChau, NewIssueResults([]ResultDoc{d}))
		ids, err := DecodeIssued(res.Data)
		require.NoError(t, err)
		require.Equal(t, []IssuedResult{{ID: 1, New: true}}, ids)
		assert.True(t, hasEvent(res, "result_issued", "agency", "ubnd-hai-chau"))
		assert.True(t, hasEvent(res, "result_issued", "first_id", "1"))

		r := c.record(1)
		assert.Equal(t, &ResultRecord{ID: 1, Agency: "ubnd-hai-chau", Signer: haiChau.pub, Origin: OriginIssue,
			ResultDoc: d, Height: c.height, Time: uint64(c.time.Unix()), Status: ResultActive}, r)
		id, ok, err := c.state().ResultIDByHash(d.DocHash)
		require.NoError(t, err)
		assert.True(t, ok)
		assert.Equal(t, uint64(1), id)
		assert.Equal(t, VerdictValid, r.VerdictAt(uint64(c.time.Unix())))
		seq, err := c.state().Seq(SeqResult)
		require.NoError(t, err)
		assert.Equal(t, uint64(1), seq)
	})

	t.Run("issuing the same document again is idempotent and keeps the first time", func(t *testing.T) {
		c := newChain(t)
		first := c.issue(haiChau, sampleDoc("x"))[0]
		h, tm := c.record(first.ID).Height, c.record(first.ID).Time
		c.advanceTo(c.height + 50)
		again := sampleDoc("x")
		again.Title = "Tiêu đề khác" // the first record wins
		got := c.issue(haiChau2, again)[0]
		assert.Equal(t, IssuedResult{ID: first.ID, New: false}, got)
		r := c.record(first.ID)
		assert.Equal(t, h, r.Height)
		assert.Equal(t, tm, r.Time)
		assert.Equal(t, sampleDoc("x").Title, r.Title)
		seq, _ := c.state().Seq(SeqResult)
		assert.Equal(t, uint64(1), seq, "no id was consumed")
	})

	t.Run("another agency cannot issue the same document", func(t *testing.T) {
		c := newChain(t)
		c.pass(addYTe())
		c.issue(haiChau, sampleDoc("x"))
		_, err := c.deliver(yteKey, NewIssueResults([]ResultDoc{sampleDoc("x")}))
		requireErrIs(t, err, ErrConflict)
		assert.Contains(t, err.Error(), "ubnd-hai-chau")
		// Its own documents are fine.
		assert.Equal(t, uint64(2), c.issue(yteKey, sampleDoc("y"))[0].ID)
	})

	t.Run("who may issue", func(t *testing.T) {
		c := newChain(t)
		c.mustDeliver(haiChau, &MsgAddSubKey{PubKey: official1.pub, Label: "Cán bộ một cửa 01"})
		msg := NewIssueResults([]ResultDoc{sampleDoc("x")})
		for _, tc := range []struct {
			name string
			key  keyPair
			want *Error
		}{
			{"agency without result.issuer", tuPhapKey, ErrUnauthorized},
			{"council key", council1, ErrUnauthorized},
			{"official sub-key of an issuer", official1, ErrUnauthorized},
			{"unknown key", stranger, ErrUnknownKey},
		} {
			_, err := c.deliver(tc.key, msg)
			requireErrIs(t, err, tc.want)
		}
		c.mustDeliver(haiChau2, msg) // a second main key of the issuer

		// A suspended agency cannot issue; a revoked key cannot either.
		c.pass(&SetAgencyStatus{ID: "ubnd-hai-chau", Status: AgencySuspended})
		_, err := c.deliver(haiChau, NewIssueResults([]ResultDoc{sampleDoc("y")}))
		requireErrIs(t, err, ErrSuspended)
		c.pass(&SetAgencyStatus{ID: "ubnd-hai-chau", Status: AgencyActive})
		c.pass(&RevokeKey{PubKey: haiChau2.pub, Reason: "Lộ khóa"})
		_, err = c.deliver(haiChau2, NewIssueResults([]ResultDoc{sampleDoc("y")}))
		requireErrIs(t, err, ErrRevokedKey)
		// What the revoked key issued before is still there and valid.
		assert.Equal(t, VerdictValid, c.record(1).VerdictAt(uint64(c.time.Unix())))
	})

	t.Run("bulk: ids in item order, duplicates keep one id", func(t *testing.T) {
		c := newChain(t)
		pre := c.issue(haiChau, sampleDoc("p"))[0]
		docs := []ResultDoc{sampleDoc("a"), sampleDoc("b"), sampleDoc("p"), sampleDoc("a"), sampleDoc("c")}
		docs[1].Procedure = "2.000889"
		got := c.issue(haiChau, docs...)
		assert.Equal(t, []IssuedResult{{2, true}, {3, true}, {pre.ID, false}, {2, false}, {4, true}}, got)
		assert.Equal(t, "2.000889", c.record(3).Procedure)
		for _, r := range got {
			assert.Equal(t, VerdictValid, c.record(r.ID).VerdictAt(uint64(c.time.Unix())))
		}
	})

	t.Run("bulk: one bad item rejects the whole tx", func(t *testing.T) {
		c := newChain(t)
		c.pass(addYTe())
		c.issue(yteKey, sampleDoc("taken"))
		docs := []ResultDoc{sampleDoc("a"), sampleDoc("b"), sampleDoc("taken"), sampleDoc("c")}
		_, err := c.deliver(haiChau, NewIssueResults(docs)) // the driver checks nothing was written
		requireErrIs(t, err, ErrConflict)
		assert.Contains(t, err.Error(), "result 2:")
		_, ok, _ := c.state().ResultIDByHash(docHash("a"))
		assert.False(t, ok)
	})

	t.Run("bulk: 10,000 results fit in one tx", func(t *testing.T) {
		if testing.Short() {
			t.Skip("large tx")
		}
		c := newChain(t)
		docs := make([]ResultDoc, MaxResultsPerTx)
		for i := range docs {
			docs[i] = sampleDoc(fmt.Sprint("hồ sơ ", i))
			docs[i].Dossier = fmt.Sprintf("000.00.17.H17-250901-%05d", i)
			docs[i].Holder = HolderCommitment([]byte(fmt.Sprint(i)), "048099001234")
			docs[i].ValidUntil = uint64(genesisTime.Unix()) + 1e8
		}
		tx := c.newTx(haiChau, NewIssueResults(docs))
		size := len(tx.Encode())
		require.Less(t, size, MaxTxBytes, "a full bulk tx with dossier, holder and validity fits in a tx")
		t.Logf("10,000 results with dossier, holder and validity: %d bytes (%.0f per result)", size, float64(size)/MaxResultsPerTx)
		res, err := c.deliverTx(tx)
		require.NoError(t, err)
		ids, err := DecodeIssued(res.Data)
		require.NoError(t, err)
		require.Len(t, ids, MaxResultsPerTx)
		assert.Equal(t, IssuedResult{ID: MaxResultsPerTx, New: true}, ids[MaxResultsPerTx-1])
		assert.Equal(t, docs[9999].Dossier, c.record(MaxResultsPerTx).Dossier)
	})
}

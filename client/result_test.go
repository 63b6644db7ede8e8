package client

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/cometbft/cometbft/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/danangchain/danangchain/registry"
)

var resultNow = time.Date(2026, 3, 1, 3, 0, 0, 0, time.UTC)

func proven(key, value []byte, height int64) *Proven {
	return &Proven{Key: key, Value: value, Height: height,
		Header: &types.SignedHeader{Header: &types.Header{Height: height + 1, Time: resultNow}}}
}

func resultFixture(t *testing.T) (doc []byte, rec *registry.ResultRecord, ag *registry.Agency) {
	t.Helper()
	h := sha256.Sum256([]byte("giấy phép"))
	rec = &registry.ResultRecord{ID: 7, Agency: "ubnd-phuong-hai-chau", Signer: make([]byte, 32), Origin: registry.OriginIssue,
		ResultDoc: registry.ResultDoc{Procedure: "1.001612", Title: "Giấy phép kinh doanh", DocHash: h[:], Holder: []byte{}},
		Height:    12, Time: uint64(resultNow.Add(-time.Hour).Unix()), Status: registry.ResultActive}
	ag = &registry.Agency{ID: "ubnd-phuong-hai-chau", Name: "UBND phường Hải Châu", Roles: []string{registry.RoleResultIssuer},
		Status: registry.AgencyActive, CreatedHeight: 1}
	return h[:], rec, ag
}

func enc(f func(*registry.Encoder)) []byte {
	e := registry.NewEncoder(64)
	f(e)
	return e.Out()
}

func fixtureProofs(doc []byte, rec *registry.ResultRecord, ag *registry.Agency) ResultProofs {
	return ResultProofs{
		Index:  proven(registry.ResultHashKey(doc), registry.EncodeResultIndex(rec.ID), 20),
		Record: proven(registry.ResultKey(rec.ID), enc(rec.Encode), 20),
		Agency: proven(registry.AgencyKey(ag.ID), enc(ag.Encode), 20),
		SignerKey: proven(registry.KeyRecordKey(rec.Signer), enc((&registry.KeyRecord{PubKey: rec.Signer, Kind: registry.KeyAgency,
			Owner: ag.ID, AddedHeight: 1}).Encode), 20),
	}
}

// A record signed with a key declared compromised since a height at or
// before the record's is "compromised", never valid; one signed before
// stands. A server that leaves the key out gets no verdict.
func TestResultSignedByCompromisedKey(t *testing.T) {
	doc, rec, ag := resultFixture(t)
	key := func(since uint64) ResultProofs {
		p := fixtureProofs(doc, rec, ag)
		p.SignerKey = proven(registry.KeyRecordKey(rec.Signer), enc((&registry.KeyRecord{PubKey: rec.Signer, Kind: registry.KeyAgency,
			Owner: ag.ID, AddedHeight: 1, Revoked: true, RevokedHeight: rec.Height + 5, CompromisedSince: since}).Encode), 20)
		return p
	}
	v, err := evalAt(doc, key(rec.Height))
	require.NoError(t, err)
	assert.Equal(t, registry.VerdictCompromised, v.Status)
	assert.False(t, v.Valid())
	assert.Equal(t, "compromised", v.View().SignerKeyStatus)
	assert.Equal(t, rec.Height, v.View().SignerKeyCompromisedSince)
	v, err = evalAt(doc, key(rec.Height+1))
	require.NoError(t, err)
	assert.Equal(t, registry.VerdictValid, v.Status, "signed before the compromise: stands")

	p := fixtureProofs(doc, rec, ag)
	p.SignerKey = nil
	_, err = evalAt(doc, p)
	assert.ErrorIs(t, err, registry.ErrProofInvalid)
}

func TestResultEvaluate(t *testing.T) {
	doc, rec, ag := resultFixture(t)
	v, err := evalAt(doc, fixtureProofs(doc, rec, ag))
	require.NoError(t, err)
	assert.Equal(t, registry.VerdictValid, v.Status)
	assert.True(t, v.Valid())
	view := v.View()
	assert.Equal(t, "valid", view.Status)
	assert.Equal(t, "7", view.ID)
	assert.Equal(t, "UBND phường Hải Châu", view.AgencyName)
	assert.Equal(t, "1.001612", view.Procedure)
	assert.Equal(t, "2026-03-01T09:00:00+07:00", view.IssuedAt, "issue time in UTC+7")
	assert.Equal(t, "2026-03-01T10:00:00+07:00", view.AsOf, "as of the header's time")
	assert.Equal(t, "2026-03-01T10:00:00+07:00", view.CheckedAt, "judged at the verifier's clock")
	assert.Equal(t, uint64(12), view.Height)
	assert.Equal(t, int64(20), view.ProvenHeight)
	assert.Empty(t, view.HolderCommitment)

	// Proven absence of the index: unknown.
	other := sha256.Sum256([]byte("khác"))
	v, err = evalAt(other[:], ResultProofs{Index: proven(registry.ResultHashKey(other[:]), nil, 20)})
	require.NoError(t, err)
	assert.Equal(t, registry.VerdictUnknown, v.Status)
	assert.Equal(t, "unknown", v.View().Status)
	assert.Empty(t, v.View().ID)

	// Expiry is judged at the verifier's clock, not the header's time: a
	// proof from before the expiry, checked after it, says expired.
	exp := *rec
	exp.ValidUntil = uint64(resultNow.Unix())
	v, err = evalAt(doc, fixtureProofs(doc, &exp, ag))
	require.NoError(t, err)
	assert.Equal(t, registry.VerdictExpired, v.Status)
	exp.ValidUntil = uint64(resultNow.Add(time.Hour).Unix())
	v, err = evalAt(doc, fixtureProofs(doc, &exp, ag))
	require.NoError(t, err)
	assert.Equal(t, registry.VerdictValid, v.Status)
	v, err = EvaluateResultAt(doc, fixtureProofs(doc, &exp, ag), resultNow.Add(2*time.Hour))
	require.NoError(t, err)
	assert.Equal(t, registry.VerdictExpired, v.Status)
	assert.Equal(t, "2026-03-01T10:00:00+07:00", v.View().AsOf)

	// Revoked: the reason is in the answer.
	rev := *rec
	rev.Status, rev.Reason, rev.ReasonCode, rev.StatusTime = registry.ResultRevoked, "Cấp sai đối tượng", 3, uint64(resultNow.Unix())
	v, err = evalAt(doc, fixtureProofs(doc, &rev, ag))
	require.NoError(t, err)
	assert.Equal(t, "revoked", v.View().Status)
	assert.Equal(t, "Cấp sai đối tượng", v.View().Reason)
	assert.Equal(t, uint64(3), v.View().ReasonCode)

	// Replaced, with the replacement proven.
	old := *rec
	old.Status, old.ReplacedBy = registry.ResultSuperseded, 8
	nd := sha256.Sum256([]byte("bản mới"))
	repl := &registry.ResultRecord{ID: 8, Agency: rec.Agency, Signer: rec.Signer, Origin: registry.OriginReissue, Replaces: 7,
		ResultDoc: registry.ResultDoc{Procedure: "1.001612", DocHash: nd[:], Holder: []byte{}}, Height: 15, Time: rec.Time + 60,
		Status: registry.ResultActive}
	p := fixtureProofs(doc, &old, ag)
	p.Replacement = proven(registry.ResultKey(8), enc(repl.Encode), 20)
	v, err = evalAt(doc, p)
	require.NoError(t, err)
	view = v.View()
	assert.Equal(t, "replaced", view.Status)
	assert.Equal(t, "8", view.ReplacedBy)
	require.NotNil(t, view.Replacement)
	assert.Equal(t, ReplacementView{ID: "8", Kind: "reissue", Status: "valid", IssuedAt: FormatUnix(repl.Time), Height: 15}, *view.Replacement)

	// Looking up by id needs no index.
	v, err = evalAt(nil, ResultProofs{Record: p.Record, Agency: p.Agency, SignerKey: p.SignerKey})
	require.NoError(t, err)
	assert.Equal(t, registry.VerdictReplaced, v.Status)
}

func TestResultEvaluateRejectsMismatchedProofs(t *testing.T) {
	doc, rec, ag := resultFixture(t)
	other := *rec
	other.ID = 9
	otherDoc := sha256.Sum256([]byte("khác"))
	otherAgency := *ag
	otherAgency.ID = "so-tu-phap"
	cases := []struct {
		name   string
		mutate func(p *ResultProofs)
	}{
		{"no index", func(p *ResultProofs) { p.Index = nil }},
		{"index of another document", func(p *ResultProofs) { p.Index.Key = registry.ResultHashKey(otherDoc[:]) }},
		{"no record", func(p *ResultProofs) { p.Record = nil }},
		{"record proven absent", func(p *ResultProofs) { p.Record.Value = nil }},
		{"record without header", func(p *ResultProofs) { p.Record.Header = nil }},
		{"index points elsewhere", func(p *ResultProofs) { p.Index.Value = registry.EncodeResultIndex(9) }},
		{"record under another key", func(p *ResultProofs) { p.Record.Key = registry.ResultKey(9) }},
		{"record of another id", func(p *ResultProofs) {
			p.Record = proven(registry.ResultKey(9), enc(other.Encode), 20)
		}},
		{"record of another document", func(p *ResultProofs) {
			r := *rec
			r.DocHash = otherDoc[:]
			p.Record = proven(registry.ResultKey(7), enc(r.Encode), 20)
		}},
		{"no agency", func(p *ResultProofs) { p.Agency = nil }},
		{"another agency", func(p *ResultProofs) {
			p.Agency = proven(registry.AgencyKey("so-tu-phap"), enc(otherAgency.Encode), 20)
		}},
		{"replacement without replaced_by", func(p *ResultProofs) {
			p.Replacement = proven(registry.ResultKey(8), enc(other.Encode), 20)
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := fixtureProofs(doc, rec, ag)
			tc.mutate(&p)
			_, err := evalAt(doc, p)
			require.Error(t, err)
			assert.True(t, errors.Is(err, registry.ErrProofInvalid) || errors.Is(err, registry.ErrMalformed), "%v", err)
		})
	}

	// A replacement that does not name the old record.
	old := *rec
	old.Status, old.ReplacedBy = registry.ResultSuperseded, 9
	p := fixtureProofs(doc, &old, ag)
	p.Replacement = proven(registry.ResultKey(9), enc(other.Encode), 20)
	_, err := evalAt(doc, p)
	assert.True(t, errors.Is(err, registry.ErrProofInvalid), "%v", err)
}

func TestResultChunk(t *testing.T) {
	docs := make([]registry.ResultDoc, 25000)
	for i := range docs {
		h := sha256.Sum256([]byte(fmt.Sprint(i)))
		docs[i] = registry.ResultDoc{Procedure: "1.001612", Title: fmt.Sprintf("Quyết định số %d/QĐ-UBND về việc cấp giấy phép", i%7),
			DocHash: h[:], Dossier: fmt.Sprintf("000.00.17.H17-250901-%05d", i), Holder: h[:]}
	}
	for _, budget := range []int{0, 200_000, 5_000} {
		chunks := ChunkResults(docs, budget)
		max := budget
		if max == 0 {
			max = registry.MaxTxBytes - 1024
		}
		var all []registry.ResultDoc
		for _, c := range chunks {
			require.NotEmpty(t, c)
			require.LessOrEqual(t, len(c), registry.MaxResultsPerTx)
			m := registry.NewIssueResults(c)
			require.NoError(t, m.ValidateBasic())
			require.LessOrEqual(t, len(enc(m.Encode)), max, "budget %d", budget)
			all = append(all, c...)
		}
		require.Equal(t, docs, all, "order and content are kept")
		if budget == 0 {
			assert.Len(t, chunks, 3, "10,000 per tx at most")
		}
	}
	assert.Empty(t, ChunkResults(nil, 0))
}

// evalAt judges at resultNow (the fixture's header time).
func evalAt(doc []byte, p ResultProofs) (*Verdict, error) { return EvaluateResultAt(doc, p, resultNow) }

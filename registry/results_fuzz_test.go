package registry

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Fuzz targets for every decoder of the result family. The seeds are built
// in code, so a plain `go test -run Result` runs them; explore with e.g.
// `go test -run '^$' -fuzz FuzzResultMsg ./registry/`.

func FuzzResultRecord(f *testing.F) {
	min := &ResultRecord{ID: 1, Agency: "x1", Status: ResultActive, Origin: OriginIssue,
		ResultDoc: ResultDoc{Procedure: "1", DocHash: docHash("m")}}
	addSeeds(f, [][]byte{encode(sampleRecord().Encode), encode(min.Encode)})
	f.Fuzz(func(t *testing.T, in []byte) {
		checkCanonical(t, in, func(b []byte) ([]byte, error) {
			r, err := DecodeResultRecord(b)
			if err != nil {
				return nil, err
			}
			_ = r.Status.String()
			_ = r.Origin.String()
			_ = r.VerdictAt(r.Time)
			if err := r.ResultDoc.Validate(); err != nil && !IsDomain(err) {
				t.Fatalf("Validate error without a domain code: %v", err)
			}
			return encode(r.Encode), nil
		})
	})
}

func FuzzResultInspection(f *testing.F) {
	in := &Inspection{Seq: 7, ResultID: 3, Official: official1.pub, Agency: "ubnd-hai-chau", Height: 9, Time: 1756800000,
		Outcome: OutcomeOK}
	addSeeds(f, [][]byte{encode(in.Encode)})
	f.Fuzz(func(t *testing.T, b []byte) {
		checkCanonical(t, b, func(b []byte) ([]byte, error) {
			in, err := DecodeInspection(b)
			if err != nil {
				return nil, err
			}
			_ = in.Outcome.String()
			_, _, _ = in.Keys()
			return encode(in.Encode), nil
		})
	})
}

func FuzzResultIssued(f *testing.F) {
	addSeeds(f, [][]byte{EncodeIssued([]IssuedResult{{1, true}, {300, false}}), EncodeIssued(nil)})
	f.Fuzz(func(t *testing.T, b []byte) {
		checkCanonical(t, b, func(b []byte) ([]byte, error) {
			list, err := DecodeIssued(b)
			if err != nil {
				return nil, err
			}
			return EncodeIssued(list), nil
		})
	})
}

func FuzzResultIndex(f *testing.F) {
	addSeeds(f, [][]byte{EncodeResultIndex(1), EncodeResultIndex(1 << 40)})
	f.Fuzz(func(t *testing.T, b []byte) {
		checkCanonical(t, b, func(b []byte) ([]byte, error) {
			id, err := DecodeResultIndex(b)
			if err != nil {
				return nil, err
			}
			return EncodeResultIndex(id), nil
		})
	})
}

// FuzzResultMsg decodes message bodies of types 10-13 (and a neighbour):
// no panics, canonical on success, ValidateBasic errors carry codes.
func FuzzResultMsg(f *testing.F) {
	for _, m := range sampleResultMsgs() {
		body := encode(m.Encode)
		f.Add(uint8(m.Type()), body)
		for _, mut := range mutations(body) {
			f.Add(uint8(m.Type()), mut)
		}
	}
	for _, b := range garbageSeeds() {
		f.Add(uint8(MsgTypeIssueResults), b)
		f.Add(uint8(19), b)
	}
	// Regression: an outcome above MaxInt64 once panicked in String().
	f.Add(uint8(MsgTypeInspectResult), []byte{0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01})
	// A huge claimed item count must fail without allocating it.
	f.Add(uint8(MsgTypeIssueResults), []byte{0x01, 0x01, '1', 0x00, 0x00, 0xff, 0xff, 0x03})
	f.Fuzz(func(t *testing.T, typ uint8, body []byte) {
		mt := MsgType(10 + typ%10)
		m, err := DecodeMsg(mt, body)
		if err != nil {
			if !IsDomain(err) {
				t.Fatalf("error without a domain code: %v", err)
			}
			return
		}
		if out := encode(m.Encode); !bytes.Equal(body, out) {
			t.Fatalf("accepted a non-canonical body\n in: %x\nout: %x", body, out)
		}
		if err := m.ValidateBasic(); err != nil {
			if !IsDomain(err) {
				t.Fatalf("ValidateBasic error without a domain code: %v", err)
			}
			return
		}
		if is, ok := m.(*MsgIssueResults); ok {
			for i := range is.Items {
				if err := is.Doc(i).Validate(); err != nil {
					t.Fatalf("item %d passed ValidateBasic but not Validate: %v", i, err)
				}
			}
		}
	})
}

func FuzzResultCID(f *testing.F) {
	f.Add(sha256CID(0x55))
	f.Add(sha256CID(0x70))
	f.Add("bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi")
	f.Add("QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG")
	f.Add("b")
	f.Add("")
	f.Add("baaaa\n")
	f.Fuzz(func(t *testing.T, s string) {
		err := CheckCID(s)
		if err == nil {
			if len(s) > MaxCIDLen || !strings.HasPrefix(s, "b") || strings.ToLower(s) != s {
				t.Fatalf("accepted %q", s)
			}
			return
		}
		if !IsDomain(err) {
			t.Fatalf("error without a domain code: %v", err)
		}
	})
}

// TestResultDeterminism runs a script of result txs in two time zones:
// identical state and outcomes.
func TestResultDeterminism(t *testing.T) {
	var nonce uint64
	tx := func(height uint64, k keyPair, m Msg) []byte {
		nonce++
		t := &Tx{ChainID: testChainID, Signer: k.pub, Nonce: binary.BigEndian.AppendUint64(nil, nonce), ExpiresAt: height + 20, Msg: m}
		t.SignWith(k.priv)
		return t.Encode()
	}
	docs := make([]ResultDoc, 50)
	for i := range docs {
		docs[i] = sampleDoc(fmt.Sprint("kq ", i))
		if i%3 == 0 {
			docs[i].Title = fmt.Sprintf("Quyết định số %d/QĐ-UBND", i)
		}
	}
	until := uint64(genesisTime.Add(10 * time.Second).Unix())
	short := sampleDoc("ngắn hạn")
	short.ValidUntil = until
	blocks := []scriptBlock{
		{2, [][]byte{
			tx(2, council1, &MsgPropose{Action: &SetAgencyRoles{ID: "ubnd-hai-chau",
				Roles: []string{RolePayloadPublisher, RoleResultInspector, RoleResultIssuer}}}),
			tx(2, haiChau, NewIssueResults(docs)),
			tx(2, haiChau, &MsgAddSubKey{PubKey: official1.pub, Label: "Cán bộ kiểm tra 01", Scope: []string{"result/inspect"}}),
			tx(2, tuPhapKey, NewIssueResults(docs[:1])), // unauthorized
			tx(2, haiChau, NewIssueResults([]ResultDoc{short})),
		}},
		{3, [][]byte{
			tx(3, council2, vote(1, true)),
			tx(3, council3, vote(1, true)),
			tx(3, haiChau2, NewIssueResults(docs[10:20])), // idempotent
			tx(3, haiChau, &MsgSupersedeResult{ID: 2, Kind: OriginReissue, Doc: sampleDoc("cấp lại")}),
			tx(3, haiChau, &MsgSetResultStatus{ID: 3, Op: OpSuspend}),
			tx(3, haiChau, &MsgSetResultStatus{ID: 4, Op: OpRevoke, ReasonCode: 1, Reason: "Cấp sai"}),
			tx(3, official1, &MsgInspectResult{ID: 1, Outcome: OutcomeOK}),
		}},
		{4, [][]byte{
			tx(4, haiChau, &MsgSetResultStatus{ID: 4, Op: OpReinstate}), // revoked
			tx(4, haiChau, &MsgSetResultStatus{ID: 3, Op: OpReinstate}),
			tx(4, official1, &MsgInspectResult{ID: 4, Outcome: OutcomeInvalid}),
			tx(4, official1, &MsgInspectResult{ID: 51, Outcome: OutcomeOK}),
		}},
	}
	s1, log1 := applyScript(t, blocks, time.UTC)
	s2, log2 := applyScript(t, blocks, time.FixedZone("ICT", 7*3600))
	require.Equal(t, dumpStore(t, s1), dumpStore(t, s2))
	require.Equal(t, log1, log2)

	joined := strings.Join(log1, "\n")
	var failed int
	for _, l := range log1 {
		if !strings.Contains(l, " ok ") {
			failed++
		}
	}
	assert.Equal(t, 2, failed, joined)
	st := NewState(s1)
	seq, err := st.Seq(SeqResult)
	require.NoError(t, err)
	assert.Equal(t, uint64(52), seq, "50 + 1 short + 1 reissue")
	r, err := st.ResultRecord(51)
	require.NoError(t, err)
	assert.Equal(t, VerdictValid, r.VerdictAt(until-1))
	assert.Equal(t, VerdictExpired, r.VerdictAt(until))
}

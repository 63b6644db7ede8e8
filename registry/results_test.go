package registry

import (
	"bytes"
	"encoding/base32"
	"encoding/hex"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/unicode/norm"
)

var testSalt = bytes.Repeat([]byte{0x5a}, HolderSaltSize)

// sampleDoc is a valid result document named name.
func sampleDoc(name string) ResultDoc {
	return ResultDoc{
		Procedure: "1.001612.000.00.00.H17",
		DocType:   "Giấy chứng nhận",
		Title:     "Giấy chứng nhận đăng ký hộ kinh doanh",
		DocHash:   docHash(name),
		Dossier:   "000.00.17.H17-250901-0001",
		Holder:    HolderCommitment(testSalt, "048099001234"),
	}
}

// makeCID builds a CIDv1 base32 string from raw bytes (version, codec,
// multihash).
func makeCID(raw []byte) string {
	return "b" + strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(raw))
}

func sha256CID(codec byte) string {
	return makeCID(append([]byte{0x01, codec, 0x12, 0x20}, docHash("payload")...))
}

func sampleRecord() *ResultRecord {
	d := sampleDoc("record")
	d.ValidFrom, d.ValidUntil, d.CID = 1756800000, 1914566400, sha256CID(0x55)
	return &ResultRecord{ID: 42, Agency: "ubnd-hai-chau", Signer: haiChau.pub, Origin: OriginReplace, Replaces: 41,
		ResultDoc: d, Height: 77, Time: 1756800123, Status: ResultRevoked, ReplacedBy: 43,
		StatusHeight: 90, StatusTime: 1756800200, ReasonCode: 7, Reason: "Cấp sai đối tượng"}
}

func TestResultRecordRoundTrip(t *testing.T) {
	for _, r := range []*ResultRecord{sampleRecord(), {ID: 1, Agency: "x1", Signer: []byte{}, Origin: OriginIssue, Status: ResultActive,
		ResultDoc: ResultDoc{Procedure: "1", DocHash: docHash("min"), Holder: []byte{}}}} {
		b := encode(r.Encode)
		got, err := DecodeResultRecord(b)
		require.NoError(t, err)
		assert.Equal(t, r, got)
		assert.Equal(t, b, encode(got.Encode))
		_, err = DecodeResultRecord(append(bytes.Clone(b), 0))
		requireErrIs(t, err, ErrMalformed)
	}
}

func TestResultVerdictAt(t *testing.T) {
	const from, until = 1000, 2000
	cases := []struct {
		name   string
		status ResultStatus
		from   uint64
		until  uint64
		at     uint64
		want   ResultVerdict
	}{
		{"active, no window", ResultActive, 0, 0, 5, VerdictValid},
		{"active, inside window", ResultActive, from, until, 1500, VerdictValid},
		{"active, at valid_from", ResultActive, from, until, from, VerdictValid},
		{"active, before valid_from", ResultActive, from, until, from - 1, VerdictNotYetValid},
		{"active, at valid_until (exclusive)", ResultActive, from, until, until, VerdictExpired},
		{"active, after valid_until", ResultActive, 0, until, until + 1, VerdictExpired},
		{"suspended beats expired", ResultSuspended, 0, until, until + 1, VerdictSuspended},
		{"replaced beats suspended and expired", ResultSuperseded, 0, until, until + 1, VerdictReplaced},
		{"revoked beats everything", ResultRevoked, from, until, 1500, VerdictRevoked},
		{"corrupt status", ResultStatus(9), 0, 0, 5, VerdictUnknown},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := &ResultRecord{Status: tc.status, ResultDoc: ResultDoc{ValidFrom: tc.from, ValidUntil: tc.until}}
			assert.Equal(t, tc.want, r.VerdictAt(tc.at))
		})
	}
}

func TestResultCheckCID(t *testing.T) {
	digest := docHash("payload")
	cases := []struct {
		name string
		cid  string
		ok   bool
	}{
		{"raw sha2-256", sha256CID(0x55), true},
		{"dag-pb sha2-256", sha256CID(0x70), true},
		{"ipfs docs example", "bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi", true},
		{"two-byte codec varint", makeCID(append([]byte{0x01, 0x90, 0x02, 0x12, 0x20}, digest...)), true},
		{"empty", "", false},
		{"only the prefix", "b", false},
		{"CIDv0 base58", "QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG", false},
		{"base58 multibase", "zb2rhe5P4gXftAwvA4eXQ5HJwsER2owDyS9sKaQRRVQPn93bA", false},
		{"uppercase base32", strings.ToUpper(sha256CID(0x55)), false},
		{"uppercase payload", "b" + strings.ToUpper(sha256CID(0x55)[1:]), false},
		{"CIDv0 bytes in base32", makeCID(append([]byte{0x12, 0x20}, digest...)), false},
		{"version 2", makeCID(append([]byte{0x02, 0x55, 0x12, 0x20}, digest...)), false},
		{"identity multihash", makeCID(append([]byte{0x01, 0x55, 0x00, 0x20}, digest...)), false},
		{"sha2-512 multihash", makeCID(append([]byte{0x01, 0x55, 0x13, 0x20}, digest...)), false},
		{"short digest", makeCID(append([]byte{0x01, 0x55, 0x12, 0x1f}, digest[:31]...)), false},
		{"truncated digest", makeCID(append([]byte{0x01, 0x55, 0x12, 0x20}, digest[:31]...)), false},
		{"trailing byte", makeCID(append(append([]byte{0x01, 0x55, 0x12, 0x20}, digest...), 0)), false},
		{"non-minimal codec varint", makeCID(append([]byte{0x01, 0xd5, 0x00, 0x12, 0x20}, digest...)), false},
		{"padding", sha256CID(0x55) + "=", false},
		{"newline inside", sha256CID(0x55)[:10] + "\n" + sha256CID(0x55)[10:], false},
		{"too long", "b" + strings.Repeat("a", MaxCIDLen), false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := CheckCID(tc.cid)
			if tc.ok {
				assert.NoError(t, err)
			} else {
				requireErrIs(t, err, ErrInvalid)
			}
		})
	}
}

func TestResultHolderCommitment(t *testing.T) {
	nfc := "Nguyễn Văn Ánh"
	nfd := norm.NFD.String(nfc)
	require.NotEqual(t, nfc, nfd)
	c := HolderCommitment(testSalt, nfc)
	assert.Len(t, c, HashSize)
	assert.Equal(t, c, HolderCommitment(testSalt, nfd), "the identifier is normalised to NFC")
	assert.Equal(t, Hash(testSalt, []byte(nfc)), c, "SHA-256(salt || NFC(holder))")
	assert.NotEqual(t, c, HolderCommitment(bytes.Repeat([]byte{1}, HolderSaltSize), nfc), "the salt matters")
	// Pinned vector for other implementations (the lead's receipt and web page).
	// Pinned vector (computed independently: python3 hashlib.sha256(b"\x5a"*16 + b"048099001234")).
	assert.Equal(t, "15503d20e38577ae1ba4120628a0d518af9f310bc2329e8fc5032d50f08710e7",
		hex.EncodeToString(HolderCommitment(testSalt, "048099001234")))
}

func TestResultIDFormat(t *testing.T) {
	for _, ok := range []uint64{1, 42, 1 << 40} {
		id, err := ParseResultID(FormatResultID(ok))
		require.NoError(t, err)
		assert.Equal(t, ok, id)
	}
	for _, bad := range []string{"", "0", "-1", "+1", "01", "1.0", "0x10", "18446744073709551616", " 1", "một"} {
		_, err := ParseResultID(bad)
		requireErrIs(t, err, ErrInvalid)
	}
}

func TestResultKeyLayout(t *testing.T) {
	assert.Equal(t, []byte{'r', 0, 0, 0, 0, 0, 0, 0, 42}, ResultKey(42))
	assert.Equal(t, append([]byte{'h'}, docHash("x")...), ResultHashKey(docHash("x")))
	assert.Equal(t, -1, bytes.Compare(ResultKey(255), ResultKey(256)), "record keys increase with the id")

	in := &Inspection{Seq: 9, ResultID: 3, Official: official1.pub, Agency: "ab", Height: 300, Time: 1, Outcome: OutcomeOK}
	logKey, byOfficial, byAgency := in.Keys()
	assert.Equal(t, InspectionKey(300, 9), logKey)
	assert.Len(t, logKey, 17)
	assert.True(t, bytes.HasPrefix(byOfficial, InspectionsByOfficialPrefix(official1.pub)))
	assert.Len(t, byOfficial, 2+PubKeySize+16)
	assert.True(t, bytes.HasPrefix(byAgency, InspectionsByAgencyPrefix("ab")))
	assert.False(t, bytes.HasPrefix(byAgency, InspectionsByAgencyPrefix("a")), "agency a must not list agency ab")
	other := &Inspection{Seq: 1, Agency: "abc", Official: official2.pub, Height: 1}
	_, _, otherKey := other.Keys()
	assert.False(t, bytes.HasPrefix(otherKey, InspectionsByAgencyPrefix("ab")), "agency ab must not list agency abc")
	// The log is in (height, seq) order.
	assert.Equal(t, -1, bytes.Compare(InspectionKey(300, 9), InspectionKey(301, 1)))
	assert.Equal(t, -1, bytes.Compare(InspectionKey(300, 9), InspectionKey(300, 10)))

	assert.False(t, bytes.HasPrefix(byAgency, InspectionsByOfficialPrefix(nil)), "the two indexes are disjoint")
	assert.False(t, bytes.HasPrefix(byOfficial, InspectionsByAgencyPrefix("")[:2]))
	for _, p := range []byte{PrefixResult, PrefixResultHash, PrefixInspection, PrefixInspectionIndex, PrefixResultReserved} {
		for _, core := range []byte{PrefixParams, PrefixCouncil, PrefixAgency, PrefixKey, PrefixValidator, PrefixProposal,
			PrefixSeq, PrefixReplay, PrefixAnchor} {
			assert.NotEqual(t, core, p)
		}
	}
}

func TestResultIssuedData(t *testing.T) {
	list := []IssuedResult{{ID: 1, New: true}, {ID: 300, New: false}, {ID: 1 << 40, New: true}}
	got, err := DecodeIssued(EncodeIssued(list))
	require.NoError(t, err)
	assert.Equal(t, list, got)
	got, err = DecodeIssued(EncodeIssued(nil))
	require.NoError(t, err)
	assert.Empty(t, got)
	_, err = DecodeIssued([]byte{0x01, 0x01, 0x02})
	requireErrIs(t, err, ErrMalformed)

	id, err := DecodeResultIndex(EncodeResultIndex(77))
	require.NoError(t, err)
	assert.Equal(t, uint64(77), id)
	for _, bad := range [][]byte{nil, {1}, make([]byte, 8), make([]byte, 9)} {
		_, err := DecodeResultIndex(bad)
		requireErrIs(t, err, ErrMalformed)
	}
}

func TestResultMsgNames(t *testing.T) {
	assert.Equal(t, "result/issue", MsgName(MsgTypeIssueResults))
	assert.Equal(t, "result/supersede", MsgName(MsgTypeSupersedeResult))
	assert.Equal(t, "result/status", MsgName(MsgTypeSetResultStatus))
	assert.Equal(t, "result/inspect", MsgName(MsgTypeInspectResult))
	for _, m := range sampleResultMsgs() {
		assert.GreaterOrEqual(t, m.Type(), MsgType(10))
		assert.LessOrEqual(t, m.Type(), MsgType(19))
		require.NoError(t, m.ValidateBasic(), MsgName(m.Type()))
		got, err := DecodeMsg(m.Type(), encode(m.Encode))
		require.NoError(t, err)
		assert.Equal(t, m, got)
	}
}

// sampleResultMsgs is one valid message of every result type.
func sampleResultMsgs() []Msg {
	d := sampleDoc("sample")
	d.CID, d.ValidFrom, d.ValidUntil = sha256CID(0x55), 1756800000, 1914566400
	d2 := sampleDoc("sample-2")
	d2.Title = "Giấy phép xây dựng"
	return []Msg{
		NewIssueResults([]ResultDoc{d, sampleDoc("sample-1"), d2}),
		&MsgSupersedeResult{ID: 1, Kind: OriginAmend, Doc: sampleDoc("sample-3")},
		&MsgSetResultStatus{ID: 1, Op: OpRevoke, ReasonCode: 3, Reason: "Cấp sai thẩm quyền"},
		&MsgInspectResult{ID: 1, Outcome: OutcomeMismatch},
	}
}

package registry

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/unicode/norm"
)

func TestUintRoundTrip(t *testing.T) {
	cases := []struct {
		v    uint64
		wire []byte
	}{
		{0, []byte{0x00}},
		{1, []byte{0x01}},
		{127, []byte{0x7f}},
		{128, []byte{0x80, 0x01}},
		{300, []byte{0xac, 0x02}},
		{16383, []byte{0xff, 0x7f}},
		{16384, []byte{0x80, 0x80, 0x01}},
		{1 << 63, []byte{0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01}},
		{^uint64(0), []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01}},
	}
	for _, tc := range cases {
		e := NewEncoder(0)
		e.Uint(tc.v)
		require.Equal(t, tc.wire, e.Out(), "encode %d", tc.v)
		require.Equal(t, len(tc.wire), uvarintLen(tc.v))

		d := NewDecoder(tc.wire)
		require.Equal(t, tc.v, d.Uint())
		require.NoError(t, d.Finish())
	}
}

func TestEncoderDecoderRoundTrip(t *testing.T) {
	e := NewEncoder(8)
	e.Uint(42)
	e.Bool(true)
	e.Bool(false)
	e.Bytes(nil)
	e.Bytes([]byte{1, 2, 3})
	e.String("")
	e.String("Đà Nẵng")
	e.Strings([]string{"công văn", "quyết định"})
	e.Strings(nil)
	e.Raw([]byte{9, 9, 9, 9})
	e.Uint(3) // a Count
	b := e.Out()

	d := NewDecoder(b)
	assert.Equal(t, uint64(42), d.Uint())
	assert.True(t, d.Bool())
	assert.False(t, d.Bool())
	empty := d.Bytes()
	assert.NotNil(t, empty, "Bytes never returns nil on success")
	assert.Empty(t, empty)
	assert.Equal(t, []byte{1, 2, 3}, d.Bytes())
	assert.Equal(t, "", d.String())
	assert.Equal(t, "Đà Nẵng", d.String())
	assert.Equal(t, []string{"công văn", "quyết định"}, d.Strings(10))
	assert.Empty(t, d.Strings(10))
	assert.Equal(t, []byte{9, 9, 9, 9}, d.Fixed(4))
	assert.Equal(t, 3, d.Count(3, 0))
	require.NoError(t, d.Finish())
}

func TestDecoderBytesAreCopies(t *testing.T) {
	in := []byte{3, 'a', 'b', 'c', 'x', 'y'}
	d := NewDecoder(in)
	got := d.Bytes()
	fixed := d.Fixed(2)
	require.NoError(t, d.Finish())
	in[1], in[4] = 'Z', 'Z'
	assert.Equal(t, []byte("abc"), got)
	assert.Equal(t, []byte("xy"), fixed)
}

func TestNonMinimalVarintRejected(t *testing.T) {
	for _, b := range [][]byte{
		{0x80, 0x00},             // 0 in two bytes
		{0x81, 0x00},             // 1 in two bytes
		{0xff, 0x00},             // 127 in two bytes
		{0x80, 0x81, 0x00},       // 128 in three bytes
		{0x80, 0x80, 0x80, 0x00}, // 0 in four bytes
		{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x80, 0x00}, // 2^56-1 in ten bytes
	} {
		d := NewDecoder(b)
		assert.Zero(t, d.Uint())
		err := d.Finish()
		require.Error(t, err, "%x", b)
		assert.True(t, errors.Is(err, ErrMalformed), "%x: %v", b, err)
		assert.Contains(t, err.Error(), "non-minimal")
	}
}

func TestBadVarintRejected(t *testing.T) {
	for _, b := range [][]byte{
		nil,          // empty
		{0x80},       // continuation without end
		{0xff, 0xff}, // continuation without end
		{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02},       // overflows 64 bits
		{0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01}, // 11 bytes
	} {
		d := NewDecoder(b)
		d.Uint()
		err := d.Finish()
		assert.True(t, errors.Is(err, ErrMalformed), "%x: %v", b, err)
	}
}

func TestBoolStrict(t *testing.T) {
	for _, b := range [][]byte{{2}, {0xff}, {}} {
		d := NewDecoder(b)
		d.Bool()
		assert.True(t, errors.Is(d.Finish(), ErrMalformed), "%x", b)
	}
}

func TestDecoderFirstErrorSticks(t *testing.T) {
	d := NewDecoder([]byte{0x80, 0x00, 0x01, 0x01})
	d.Uint() // fails: non-minimal
	first := d.Err()
	require.Error(t, first)
	// Every later read returns zero values and keeps the first error.
	assert.Zero(t, d.Uint())
	assert.False(t, d.Bool())
	assert.Nil(t, d.Bytes())
	assert.Nil(t, d.Fixed(1))
	assert.Equal(t, "", d.String())
	assert.Nil(t, d.Strings(5))
	assert.Zero(t, d.Count(5, 1))
	assert.Equal(t, first, d.Err())
	assert.Equal(t, first, d.Finish())
}

func TestTrailingBytesRejected(t *testing.T) {
	d := NewDecoder([]byte{0x01, 0x02})
	assert.Equal(t, uint64(1), d.Uint())
	err := d.Finish()
	require.True(t, errors.Is(err, ErrMalformed))
	assert.Contains(t, err.Error(), "1 trailing bytes")

	for name, b := range canonicalSamples(t) {
		_, err := decodeSample(name, append(bytes.Clone(b), 0))
		assert.True(t, errors.Is(err, ErrMalformed), "%s with a trailing byte: %v", name, err)
	}
}

func TestTruncatedInputsRejected(t *testing.T) {
	// Bytes longer than what is left, without allocating the claimed size.
	for _, b := range [][]byte{
		{0x05, 'a', 'b'},
		{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f}, // 2^63-1 bytes claimed
	} {
		d := NewDecoder(b)
		assert.Nil(t, d.Bytes())
		assert.True(t, errors.Is(d.Finish(), ErrMalformed))
	}
	d := NewDecoder([]byte{1, 2})
	assert.Nil(t, d.Fixed(3))
	assert.True(t, errors.Is(d.Finish(), ErrMalformed))

	// Every strict prefix of every canonical encoding is rejected.
	for name, b := range canonicalSamples(t) {
		for i := 0; i < len(b); i++ {
			_, err := decodeSample(name, b[:i])
			require.Error(t, err, "%s truncated to %d of %d bytes", name, i, len(b))
			assert.True(t, errors.Is(err, ErrMalformed), "%s truncated to %d: %v", name, i, err)
		}
	}
}

func TestListLengthLimits(t *testing.T) {
	// Strings: above max, and more entries than bytes left.
	e := NewEncoder(0)
	e.Strings([]string{"a", "b", "c"})
	d := NewDecoder(e.Out())
	assert.Nil(t, d.Strings(2))
	assert.True(t, errors.Is(d.Finish(), ErrMalformed))

	d = NewDecoder([]byte{0x05, 0x00})
	assert.Nil(t, d.Strings(64))
	assert.True(t, errors.Is(d.Finish(), ErrMalformed))

	// Count: above max, and n*minSize beyond the bytes left (no overflow).
	d = NewDecoder([]byte{0x11})
	assert.Zero(t, d.Count(16, 0))
	assert.Error(t, d.Err())

	d = NewDecoder([]byte{0x03, 0x00, 0x00})
	assert.Zero(t, d.Count(16, 1))
	assert.Error(t, d.Err())

	d = NewDecoder([]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01})
	assert.Zero(t, d.Count(1024, 1))
	assert.Error(t, d.Err())
}

func TestCheckNFC(t *testing.T) {
	nfc := "Đà Nẵng"
	nfd := norm.NFD.String(nfc)
	require.NotEqual(t, nfc, nfd, "the NFD form must differ for the test to mean anything")

	cases := []struct {
		name string
		s    string
		ok   bool
	}{
		{"empty", "", true},
		{"ascii", "Da Nang", true},
		{"vietnamese NFC", nfc, true},
		{"tab and newline", "dòng 1\n\tdòng 2", true},
		{"DEL is not C0", "a\x7fb", true},
		{"vietnamese NFD", nfd, false},
		{"NFD combining acute", "Cu\u0301c", false},
		{"NUL", "a\x00b", false},
		{"carriage return", "a\r\nb", false},
		{"escape", "\x1b[31m", false},
		{"unit separator", "a\x1fb", false},
		{"invalid UTF-8", "\xff\xfe", false},
		{"truncated UTF-8", "\xe1\xba", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := CheckNFC(tc.s)
			if tc.ok {
				require.NoError(t, err)
			} else {
				require.Error(t, err)
				require.True(t, errors.Is(err, ErrNotNFC), "%v", err)
			}

			// The decoder applies the same rule to every string.
			e := NewEncoder(0)
			e.String(tc.s)
			d := NewDecoder(e.Out())
			got := d.String()
			err = d.Finish()
			if tc.ok {
				require.NoError(t, err)
				require.Equal(t, tc.s, got)
			} else {
				require.True(t, errors.Is(err, ErrNotNFC), "%v", err)
				require.Equal(t, "", got)
			}
		})
	}
}

func TestNFCNormalises(t *testing.T) {
	nfd := norm.NFD.String("Đà Nẵng")
	assert.Equal(t, "Đà Nẵng", NFC(nfd))
	assert.NoError(t, CheckNFC(NFC(nfd)))
}

func TestNFDRejectedInsideRecords(t *testing.T) {
	nfd := norm.NFD.String("Đà Nẵng")

	// A record written with an NFD name cannot be read back.
	a := &Agency{ID: "x1", Name: nfd, Roles: []string{RoleResultIssuer}, Status: AgencyActive}
	_, err := DecodeAgency(encode(a.Encode))
	assert.True(t, errors.Is(err, ErrNotNFC), "%v", err)

	// A tx carrying an NFD tag fails both ValidateBasic and DecodeTx.
	k := testKey("nfd")
	tx := &Tx{ChainID: testChainID, Signer: k.pub, Nonce: make([]byte, 8), ExpiresAt: 10,
		Msg: &MsgAnchor{Hash: docHash("nfd"), Tag: nfd}}
	tx.SignWith(k.priv)
	assert.True(t, errors.Is(tx.ValidateBasic(testChainID), ErrNotNFC))
	_, err = DecodeTx(tx.Encode())
	assert.True(t, errors.Is(err, ErrNotNFC), "%v", err)

	// So does a tx with an NFD chain id.
	tx = &Tx{ChainID: norm.NFD.String("đà-nẵng"), Signer: k.pub, Nonce: make([]byte, 8), ExpiresAt: 10,
		Msg: &MsgAnchor{Hash: docHash("nfd")}}
	tx.SignWith(k.priv)
	_, err = DecodeTx(tx.Encode())
	assert.True(t, errors.Is(err, ErrNotNFC), "%v", err)
}

// sampleActions has one value of every governance action.
func sampleActions() []Action {
	return []Action{
		&AddAgency{ID: "so-y-te", Name: "Sở Y tế", Roles: []string{RoleFoodAuthority, RoleResultIssuer},
			Keys: [][]byte{testKey("a").pub, testKey("b").pub}},
		&SetAgencyStatus{ID: "so-y-te", Status: AgencySuspended},
		&SetAgencyRoles{ID: "so-y-te", Roles: []string{RoleFoodAuthority}},
		&AddAgencyKey{ID: "so-y-te", PubKey: testKey("c").pub},
		&RevokeKey{PubKey: testKey("a").pub, Reason: "Mất thiết bị ký"},
		&SetValidator{PubKey: testKey("v").pub, Power: 7, Name: "Nút dự phòng"},
		&AddCouncil{PubKey: testKey("cm").pub, Name: "Thành viên mới"},
		&RemoveCouncil{PubKey: testKey("cm").pub},
	}
}

// sampleMsgs has one value of every message type.
func sampleMsgs() []Msg {
	return []Msg{
		&MsgPropose{Action: sampleActions()[0], Description: "Bổ sung Sở Y tế"},
		&MsgVote{ProposalID: 1, Approve: true},
		&MsgAddSubKey{PubKey: testKey("sub").pub, Label: "Cán bộ một cửa 01"},
		&MsgAddSubKey{PubKey: testKey("sub").pub, Label: "Cán bộ kiểm tra 01", Scope: []string{"anchor", "result/inspect"}},
		&MsgRevokeSubKey{PubKey: testKey("sub").pub, Reason: "Chuyển công tác"},
		&MsgAnchor{Hash: docHash("sample"), Tag: "công văn"},
	}
}

// sampleTxs returns a signed, valid tx for every message type.
func sampleTxs() []*Tx {
	k := testKey("sample-signer")
	var out []*Tx
	for i, m := range sampleMsgs() {
		tx := &Tx{ChainID: testChainID, Signer: k.pub, Nonce: []byte{0, 1, 2, 3, 4, 5, 6, byte(i)},
			ExpiresAt: 1000 + uint64(i), Msg: m}
		tx.SignWith(k.priv)
		out = append(out, tx)
	}
	for _, a := range sampleActions()[1:] {
		tx := &Tx{ChainID: testChainID, Signer: k.pub, Nonce: bytes.Repeat([]byte{0xab}, 32),
			ExpiresAt: 5, Msg: &MsgPropose{Action: a}}
		tx.SignWith(k.priv)
		out = append(out, tx)
	}
	return out
}

// canonicalSamples returns the canonical bytes of one value of every
// encoded kind, keyed by "kind/variant".
func canonicalSamples(t testing.TB) map[string][]byte {
	out := map[string][]byte{
		"params/default": encode(DefaultParams().Encode),
		"agency/1": encode((&Agency{ID: "so-tu-phap", Name: "Sở Tư pháp", Roles: []string{RoleNotaryAuthority, RoleNotaryOffice},
			Status: AgencySuspended, CreatedHeight: 12345}).Encode),
		"agency/empty-roles": encode((&Agency{ID: "x1", Name: "X", Status: AgencyActive}).Encode),
		"keyrecord/1": encode((&KeyRecord{PubKey: testKey("k").pub, Kind: KeyOfficial, Owner: "so-tu-phap",
			Label: "Cán bộ 01", Revoked: true, AddedHeight: 5, RevokedHeight: 900, RevokeReason: "Nghỉ hưu"}).Encode),
		"validator/1": encode((&Validator{PubKey: testKey("v").pub, Power: 10, Name: "Nút 1"}).Encode),
		"anchor/1": encode((&Anchor{Hash: docHash("a"), Agency: "so-tu-phap", Signer: testKey("k").pub,
			Height: 77, Time: 1756800000, Tag: "hợp đồng"}).Encode),
	}
	for i, a := range sampleActions() {
		p := &Proposal{ID: uint64(i + 1), Action: a, Description: "Mô tả", Proposer: council1.pub,
			SubmitHeight: 3, SubmitTime: 1756800000, Deadline: 604803,
			Yes: [][]byte{council1.pub, council2.pub}, No: [][]byte{council3.pub},
			Status: ProposalFailed, DoneHeight: 9, FailReason: "conflict"}
		out[fmt.Sprintf("proposal/%d/%s", i, a.Summary())] = encode(p.Encode)
	}
	for i, tx := range sampleTxs() {
		out[fmt.Sprintf("tx/%d/%s", i, tx)] = tx.Encode()
	}
	return out
}

// decodeSample decodes b as the kind named by the prefix of name and
// returns the canonical re-encoding.
func decodeSample(name string, b []byte) ([]byte, error) {
	switch {
	case strings.HasPrefix(name, "params/"):
		p, err := DecodeParams(b)
		if err != nil {
			return nil, err
		}
		return encode(p.Encode), nil
	case strings.HasPrefix(name, "agency/"):
		a, err := DecodeAgency(b)
		if err != nil {
			return nil, err
		}
		return encode(a.Encode), nil
	case strings.HasPrefix(name, "keyrecord/"):
		k, err := DecodeKeyRecord(b)
		if err != nil {
			return nil, err
		}
		return encode(k.Encode), nil
	case strings.HasPrefix(name, "validator/"):
		v, err := DecodeValidator(b)
		if err != nil {
			return nil, err
		}
		return encode(v.Encode), nil
	case strings.HasPrefix(name, "anchor/"):
		a, err := DecodeAnchor(b)
		if err != nil {
			return nil, err
		}
		return encode(a.Encode), nil
	case strings.HasPrefix(name, "proposal/"):
		p, err := DecodeProposal(b)
		if err != nil {
			return nil, err
		}
		return encode(p.Encode), nil
	case strings.HasPrefix(name, "tx/"):
		tx, err := DecodeTx(b)
		if err != nil {
			return nil, err
		}
		return tx.Encode(), nil
	}
	panic("unknown sample kind " + name)
}

func TestRecordsRoundTrip(t *testing.T) {
	samples := canonicalSamples(t)
	require.Len(t, samples, 6+8+5+8)
	for name, b := range samples {
		got, err := decodeSample(name, b)
		require.NoError(t, err, name)
		require.Equal(t, b, got, name)
	}
}

func TestRecordsDecodeToEqualValues(t *testing.T) {
	kr := &KeyRecord{PubKey: testKey("k").pub, Kind: KeyOfficial, Owner: "so-tu-phap", Label: "Cán bộ 01",
		Revoked: true, AddedHeight: 5, RevokedHeight: 900, RevokeReason: "Nghỉ hưu"}
	gotKR, err := DecodeKeyRecord(encode(kr.Encode))
	require.NoError(t, err)
	assert.Equal(t, kr, gotKR)

	p := DefaultParams()
	gotP, err := DecodeParams(encode(p.Encode))
	require.NoError(t, err)
	assert.Equal(t, p, gotP)

	v := &Validator{PubKey: testKey("v").pub, Power: MaxValidatorPower, Name: "Nút 1"}
	gotV, err := DecodeValidator(encode(v.Encode))
	require.NoError(t, err)
	assert.Equal(t, v, gotV)

	for _, a := range sampleActions() {
		prop := &Proposal{ID: 9, Action: a, Description: "d", Proposer: council1.pub,
			Yes: [][]byte{council1.pub}, No: [][]byte{}, Status: ProposalOpen}
		got, err := DecodeProposal(encode(prop.Encode))
		require.NoError(t, err)
		assert.Equal(t, prop, got, a.Summary())
	}
}

func TestDecodeUnknownAction(t *testing.T) {
	e := NewEncoder(0)
	e.Uint(99) // action type
	d := NewDecoder(e.Out())
	assert.Nil(t, DecodeActionFrom(d))
	assert.True(t, errors.Is(d.Finish(), ErrUnknownMsg))

	// An action type that does not fit in 64 bits is malformed, not unknown.
	d = NewDecoder([]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f})
	assert.Nil(t, DecodeActionFrom(d))
	assert.True(t, errors.Is(d.Finish(), ErrMalformed))
}

package registry

import (
	"encoding/hex"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/unicode/norm"
)

func TestNotaryPropertyNormalisation(t *testing.T) {
	cases := []struct {
		in   string
		want string
	}{
		{"parcel:20194/12/345", "parcel:20194:12:345"},
		{"  PARCEL:20194/12/345  ", "parcel:20194:12:345"},
		{"parcel: 20194 / 012 / 0345 ", "parcel:20194:12:345"},
		{"parcel:20194:12:345", "parcel:20194:12:345"},
		{"parcel:00004/7a/12-b", "parcel:00004:7A:12-B"},
		{"parcel:20194/000/0", "parcel:20194:0:0"},
		{"parcel:20194/12.1/345", "parcel:20194:12.1:345"},
		{"cert:BX 123456", "cert:BX123456"},
		{"cert:bx123456", "cert:BX123456"},
		{"cert:  bx\t 123456 ", "cert:BX123456"},
		{"Cert:AA 01234567", "cert:AA01234567"},
		{"cert:CS-00012", "cert:CS-00012"},
	}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			p, err := ParseProperty(tc.in, PropertyKeying{})
			require.NoError(t, err)
			assert.Equal(t, tc.want, p.Canonical)
			assert.Equal(t, Hash([]byte(tc.want)), p.Key)
			assert.True(t, IsCanonicalProperty(tc.want))
			assert.Equal(t, tc.want, p.String())
		})
	}
}

func TestNotaryPropertyKeyVector(t *testing.T) {
	// Pinned: SDKs in other languages must produce the same key.
	p, err := ParseProperty("parcel:20194/12/345", PropertyKeying{})
	require.NoError(t, err)
	assert.Equal(t, "parcel:20194:12:345", p.Canonical)
	assert.Equal(t, hexs(Hash([]byte("parcel:20194:12:345"))), hex.EncodeToString(p.Key))
	// Raw keys pass through.
	raw := hex.EncodeToString(p.Key)
	q, err := ParseProperty(raw, PropertyKeying{})
	require.NoError(t, err)
	assert.Equal(t, p.Key, q.Key)
	assert.Empty(t, q.Canonical)
	assert.Equal(t, raw, q.String())
	assert.False(t, IsCanonicalProperty(raw))
	assert.False(t, IsCanonicalProperty("parcel:20194/12/345"))
}

func TestNotaryPropertyRejects(t *testing.T) {
	for _, in := range []string{
		"", "20194/12/345", "land:20194/12/345", "parcel:20194/12", "parcel:20194/12/345/1",
		"parcel:2019/12/345", "parcel:201944/12/345", "parcel:2019A/12/345", "parcel:20194/1 2/345",
		"parcel:20194//345", "parcel:20194/12/", "parcel:20194/12/3_45", "parcel:20194/12/Đ1",
		"parcel:20194/12/12345678901234567", "cert:", "cert:AB1", "cert:AB/123456", "cert:ĐX123456",
		"cert:" + string(make([]byte, 40)), "parcel:２０１９４/12/345",
	} {
		_, err := ParseProperty(in, PropertyKeying{})
		assert.ErrorIs(t, err, ErrInvalid, "%q", in)
	}
}

func TestNotaryPartyCommitment(t *testing.T) {
	salt := []byte("0123456789abcdef")
	c := PartyCommitment(salt, " 048090001234 ")
	assert.Equal(t, Hash(salt, []byte("048090001234")), c)
	// NFC: a decomposed name commits like the composed one.
	assert.Equal(t, PartyCommitment(salt, "Nguyễn"), PartyCommitment(salt, norm.NFD.String("Nguyễn")))
	assert.NotEqual(t, c, PartyCommitment([]byte("fedcba9876543210"), "048090001234"))
}

func TestNotarySortHashes(t *testing.T) {
	a, b := Hash([]byte("a")), Hash([]byte("b"))
	out := SortHashes([][]byte{b, a, b})
	require.Len(t, out, 2)
	require.NoError(t, checkHashList("x", out, 10))
	assert.ErrorIs(t, checkHashList("x", [][]byte{out[1], out[0]}, 10), ErrInvalid)
	assert.ErrorIs(t, checkHashList("x", [][]byte{a, a}, 10), ErrInvalid)
	assert.ErrorIs(t, checkHashList("x", nil, 10), ErrInvalid)
	assert.ErrorIs(t, checkHashList("x", [][]byte{a[:31]}, 10), ErrInvalid)
	assert.ErrorIs(t, checkHashList("x", [][]byte{a, b}, 1), ErrInvalid)
}

func TestNotaryRefCheck(t *testing.T) {
	for _, ok := range []string{"123/2025/QĐ-CCTHADS", "45/2025/QĐ-BPKCTT", "01.2026_(bổ-sung)", "Ư"} {
		assert.NoError(t, checkNotaryRef("ref", ok), ok)
	}
	for _, bad := range []string{"", "12 /QĐ", "Nguyễn Văn A", "a\tb", "x;y", "α1", "ref×2",
		string(make([]byte, MaxNotaryRef+1)), "Cu\u0301c"} {
		assert.Error(t, checkNotaryRef("ref", bad), "%q", bad)
	}
}

func TestNotaryEnums(t *testing.T) {
	for _, n := range BlockReasonNames() {
		r, err := ParseBlockReason(n)
		require.NoError(t, err)
		assert.Equal(t, n, r.String())
		assert.NotEmpty(t, r.VI())
	}
	_, err := ParseBlockReason("gossip")
	assert.ErrorIs(t, err, ErrInvalid)
	r, err := ParseBlockReason("2")
	require.NoError(t, err)
	assert.Equal(t, ReasonEnforcement, r)
	assert.False(t, BlockReason(99).Valid())

	for _, n := range ContractTypeNames() {
		ct, err := ParseContractType(n)
		require.NoError(t, err)
		assert.Equal(t, n, ct.String())
		assert.NotEmpty(t, ct.VI())
		assert.Equal(t, n != "lease", ct.Restricted(), n)
	}
	_, err = ParseContractType("rental")
	assert.ErrorIs(t, err, ErrInvalid)
	assert.True(t, ContractType(99).Restricted(), "unknown types fail safe")

	for _, s := range []string{"authorised", "authorized", "suspended", "revoked"} {
		_, err := ParseOfficeStatus(s)
		assert.NoError(t, err, s)
	}
	_, err = ParseOfficeStatus("closed")
	assert.ErrorIs(t, err, ErrInvalid)
}

func TestNotaryMsgTable(t *testing.T) {
	names := map[MsgType]string{
		MsgTypeNotaryBlock: "notary/block", MsgTypeNotaryRelease: "notary/release",
		MsgTypeNotaryAuthorize: "notary/authorize-office", MsgTypeNotaryContract: "notary/contract",
	}
	for typ, name := range names {
		assert.Equal(t, name, MsgName(typ))
		assert.GreaterOrEqual(t, int(typ), 40)
		assert.LessOrEqual(t, int(typ), 49)
	}
	for _, m := range notarySampleMsgs(t) {
		body := encode(m.Encode)
		got, err := DecodeMsg(m.Type(), body)
		require.NoError(t, err, MsgName(m.Type()))
		assert.Equal(t, m, got)
		require.NoError(t, m.ValidateBasic())
	}
}

func TestPropertyKeyV2(t *testing.T) {
	k := DefaultParams().PropertyKeying("danang-1")
	require.Equal(t, 2, k.Version())
	p, err := ParseProperty("parcel:20194/012/345", k)
	require.NoError(t, err)
	q, err := ParseProperty("parcel:20194:12:345", k)
	require.NoError(t, err)
	assert.Equal(t, p.Key, q.Key, "one property, one key")
	assert.Len(t, p.Key, HashSize)
	assert.NotEqual(t, Hash([]byte(p.Canonical)), p.Key, "not the version-1 key")
	// Salted by the chain: another chain's key of the same parcel differs.
	other := DefaultParams().PropertyKeying("danang-2")
	assert.NotEqual(t, other.Key(p.Canonical), p.Key)
	// The cost is part of the key.
	cheap := PropertyKeying{ChainID: "danang-1", Time: 1, MemoryKiB: 8 << 10}
	assert.NotEqual(t, cheap.Key(p.Canonical), p.Key)
	// Pinned (SDKs in other languages must produce the same key; cheap
	// parameters keep the vector fast to check).
	assert.Equal(t, "50f3e1cd070060c62da334d3086855ee68618bee3343f2919a3ab8824225c5b0", hex.EncodeToString(cheap.Key("parcel:20194:12:345")))
	// Version 1 (chains created before version 2; both parameters 0).
	v1 := Params{}.PropertyKeying("danang-1")
	assert.Equal(t, 1, v1.Version())
	assert.Equal(t, Hash([]byte("parcel:20194:12:345")), v1.Key("parcel:20194:12:345"))
}

func TestPropertyKeyParams(t *testing.T) {
	base := DefaultParams()
	for _, tc := range []struct {
		time, mem uint64
		ok        bool
	}{{6, 64 << 10, true}, {0, 0, true}, {1, 8 << 10, true}, {0, 64 << 10, false}, {6, 0, false},
		{65, 64 << 10, false}, {6, 4 << 10, false}, {6, 2 << 20, false}} {
		p := base
		p.PropertyKeyTime, p.PropertyKeyMemoryKiB = tc.time, tc.mem
		if tc.ok {
			assert.NoError(t, p.Validate(), "%d/%d", tc.time, tc.mem)
		} else {
			assert.ErrorIs(t, p.Validate(), ErrInvalid, "%d/%d", tc.time, tc.mem)
		}
	}
}

// BenchmarkPropertyKey is what one guess at a parcel costs: version 1
// (SHA-256) beside version 2 at the default cost.
func BenchmarkPropertyKey(b *testing.B) {
	for _, k := range []PropertyKeying{{ChainID: "danang-1"}, DefaultParams().PropertyKeying("danang-1")} {
		b.Run("v"+string(rune('0'+k.Version())), func(b *testing.B) {
			for b.Loop() {
				k.Key("parcel:20194:12:345")
			}
		})
	}
}

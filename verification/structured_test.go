package verification_test

import (
	"math/rand"
	"testing"

	ics23 "github.com/cosmos/ics23/go"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/encoding/protowire"

	"github.com/danangchain/danangchain/verification"
)

// Protobuf-aware mutations of ICS23 proofs: the leniencies of gogoproto's
// decoder (unknown fields and groups, repeated and reordered fields,
// non-minimal varints, field numbers and enums truncated to 32 bits,
// packed and unpacked repeated fields) must be the reference's, field by
// field. Random byte flips rarely reach them.

type pfield struct {
	num protowire.Number
	typ protowire.Type
	val []byte // the value's bytes (for BytesType, the payload)
}

func parseFields(b []byte) ([]pfield, bool) {
	var out []pfield
	for len(b) > 0 {
		num, typ, n := protowire.ConsumeTag(b)
		if n < 0 {
			return nil, false
		}
		b = b[n:]
		m := protowire.ConsumeFieldValue(num, typ, b)
		if m < 0 {
			return nil, false
		}
		v := b[:m]
		if typ == protowire.BytesType {
			v, _ = protowire.ConsumeBytes(b)
		}
		out = append(out, pfield{num, typ, v})
		b = b[m:]
	}
	return out, true
}

func encodeFields(fs []pfield) []byte {
	var b []byte
	for _, f := range fs {
		b = protowire.AppendTag(b, f.num, f.typ)
		if f.typ == protowire.BytesType {
			b = protowire.AppendBytes(b, f.val)
		} else {
			b = append(b, f.val...)
		}
	}
	return b
}

// nonMinimal writes v as a varint with extra continuation bytes.
func nonMinimal(v uint64, extra int) []byte {
	b := protowire.AppendVarint(nil, v)
	if len(b)+extra > 10 {
		extra = 10 - len(b)
	}
	for i := 0; i < extra; i++ {
		b[len(b)-1] |= 0x80
		b = append(b, 0)
	}
	return b
}

// mutateProto applies one structural mutation somewhere in message b.
func mutateProto(r *rand.Rand, b []byte, depth int) []byte {
	fs, ok := parseFields(b)
	if !ok || len(fs) == 0 {
		return b
	}
	i := r.Intn(len(fs))
	if fs[i].typ == protowire.BytesType && depth < 6 && r.Intn(3) > 0 {
		if sub, ok := parseFields(fs[i].val); ok && len(sub) > 0 {
			fs[i].val = mutateProto(r, fs[i].val, depth+1)
			return encodeFields(fs)
		}
	}
	switch r.Intn(9) {
	case 0: // a field twice
		fs = append(fs[:i+1], fs[i:]...)
	case 1: // a field dropped
		fs = append(fs[:i], fs[i+1:]...)
	case 2: // two fields swapped
		j := r.Intn(len(fs))
		fs[i], fs[j] = fs[j], fs[i]
	case 3: // an unknown field of each wire type
		num := protowire.Number(5 + r.Intn(20))
		switch r.Intn(4) {
		case 0:
			fs = append(fs[:i], append([]pfield{{num, protowire.VarintType, protowire.AppendVarint(nil, r.Uint64())}}, fs[i:]...)...)
		case 1:
			fs = append(fs[:i], append([]pfield{{num, protowire.Fixed64Type, make([]byte, 8)}}, fs[i:]...)...)
		case 2:
			fs = append(fs[:i], append([]pfield{{num, protowire.Fixed32Type, make([]byte, 4)}}, fs[i:]...)...)
		case 3:
			fs = append(fs[:i], append([]pfield{{num, protowire.BytesType, []byte("junk")}}, fs[i:]...)...)
		}
	case 4: // an unknown group (with a field inside)
		num := protowire.Number(5 + r.Intn(20))
		var g []byte
		g = protowire.AppendTag(g, num, protowire.StartGroupType)
		g = protowire.AppendTag(g, 1, protowire.VarintType)
		g = protowire.AppendVarint(g, 7)
		g = protowire.AppendTag(g, num, protowire.EndGroupType)
		out := encodeFields(fs[:i])
		out = append(out, g...)
		return append(out, encodeFields(fs[i:])...)
	case 5: // a tag whose field number only matches after truncation to int32
		out := encodeFields(fs[:i])
		out = append(out, protowire.AppendVarint(nil, uint64(1<<32|uint64(fs[i].num))<<3|uint64(fs[i].typ))...)
		rest := encodeFields(fs[i:])
		_, n := protowire.ConsumeVarint(rest)
		return append(out, rest[n:]...)
	case 6: // a varint value non-minimal, or a length non-minimal
		out := encodeFields(fs[:i])
		out = protowire.AppendTag(out, fs[i].num, fs[i].typ)
		switch fs[i].typ {
		case protowire.VarintType:
			v, _ := protowire.ConsumeVarint(fs[i].val)
			out = append(out, nonMinimal(v, 1+r.Intn(3))...)
		case protowire.BytesType:
			out = append(out, nonMinimal(uint64(len(fs[i].val)), 1+r.Intn(3))...)
			out = append(out, fs[i].val...)
		default:
			out = append(out, fs[i].val...)
		}
		return append(out, encodeFields(fs[i+1:])...)
	case 7: // a varint value plus 2^32 (the same int32)
		if fs[i].typ == protowire.VarintType {
			v, _ := protowire.ConsumeVarint(fs[i].val)
			fs[i].val = protowire.AppendVarint(nil, v+1<<32)
		}
	case 8: // a repeated varint field packed, or a packed one unpacked
		if fs[i].typ == protowire.VarintType {
			fs[i] = pfield{fs[i].num, protowire.BytesType, fs[i].val}
		} else if fs[i].typ == protowire.BytesType {
			if v, n := protowire.ConsumeVarint(fs[i].val); n > 0 && n == len(fs[i].val) {
				fs[i] = pfield{fs[i].num, protowire.VarintType, protowire.AppendVarint(nil, v)}
			}
		}
	}
	return encodeFields(fs)
}

func TestICS23StructuredMutations(t *testing.T) {
	f := newFixture(t)
	type tc struct{ key, value, proof []byte }
	var cases []tc
	for _, k := range [][]byte{f.keys[0], f.keys[7], f.keys[len(f.keys)-1], []byte("a"), []byte("r/42"), []byte("z")} {
		cases = append(cases, tc{k, f.values[string(k)], f.proof(t, k)})
	}
	// A batch and a compressed batch of an existence and a non-existence
	// proof, valid for both keys.
	var ex, non ics23.CommitmentProof
	require.NoError(t, ex.Unmarshal(cases[1].proof))
	require.NoError(t, non.Unmarshal(cases[4].proof))
	comp, err := ics23.CombineProofs([]*ics23.CommitmentProof{&ex, &non})
	require.NoError(t, err)
	cb, err := comp.Marshal()
	require.NoError(t, err)
	bb, err := ics23.Decompress(comp).Marshal()
	require.NoError(t, err)
	for _, p := range [][]byte{cb, bb} {
		cases = append(cases, tc{cases[1].key, cases[1].value, p}, tc{cases[4].key, nil, p})
	}
	r := rand.New(rand.NewSource(8))
	n := 4000
	if testing.Short() {
		n = 400
	}
	counts := map[string]int{}
	for _, c := range cases {
		for i := 0; i < n; i++ {
			m := c.proof
			for j := 0; j <= r.Intn(3); j++ {
				m = mutateProto(r, m, 0)
			}
			ref, panicked := referenceProof(f.root, c.key, c.value, m)
			ours := oursProof(f.root, c.key, c.value, m)
			switch {
			case panicked:
				require.False(t, ours, "reference panics, ours accepts %x", m)
				counts["reference panics"]++
			default:
				require.Equal(t, ref, ours, "key %x value %x proof %x", c.key, c.value, m)
				if ours {
					counts["accepted"]++
				} else {
					counts["refused"]++
				}
			}
		}
	}
	t.Logf("%v", counts)
	require.Positive(t, counts["accepted"])
}

func TestHeaderStructuredMutations(t *testing.T) {
	f := newFixture(t)
	r := rand.New(rand.NewSource(9))
	accepted := 0
	for h := int64(1); h <= 30; h++ {
		hb := headerBytes(t, f.blocks[h].Header)
		for i := 0; i < 300; i++ {
			m := hb
			if i > 0 {
				m = mutateProto(r, hb, 0)
			}
			_, refOK := referenceParseHeader(m)
			_, err := verification.ParseHeader(m)
			require.Equal(t, refOK, err == nil, "header %x: %v", m, err)
			if refOK {
				accepted++
			}
		}
	}
	t.Logf("%d accepted by both", accepted)
}

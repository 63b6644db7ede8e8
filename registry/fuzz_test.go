package registry

import (
	"bytes"
	"strings"
	"testing"
)

// The fuzz targets check two properties of every decoder: it never
// panics, and whatever it accepts is canonical (re-encoding gives back
// exactly the input bytes). The seed corpus is built in code, so a plain
// `go test` runs it; `go test -fuzz=FuzzDecodeTx ./registry/` explores.

// garbageSeeds are inputs no decoder should accept.
func garbageSeeds() [][]byte {
	return [][]byte{
		nil,
		{0x00},
		{0x01},
		{0x80},
		{0x80, 0x00},
		{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01},
		{0x01, 0x7f},
		{0x01, 0x01, 0x00},
		bytes.Repeat([]byte{0xff}, 64),
		bytes.Repeat([]byte{0x01}, 200),
		[]byte("danangchain/tx/v1\n"),
		[]byte("\x01\x0dCu\xcc\x81c"), // NFD text
	}
}

// mutations of a valid encoding: truncations, a trailing byte, a flipped
// byte in the middle.
func mutations(b []byte) [][]byte {
	out := [][]byte{append(bytes.Clone(b), 0)}
	if len(b) > 0 {
		out = append(out, b[:len(b)-1], b[:len(b)/2])
		flipped := bytes.Clone(b)
		flipped[len(b)/2] ^= 0x80
		out = append(out, flipped)
	}
	return out
}

func addSeeds(f *testing.F, valid [][]byte) {
	for _, b := range valid {
		f.Add(b)
		for _, m := range mutations(b) {
			f.Add(m)
		}
	}
	for _, b := range garbageSeeds() {
		f.Add(b)
	}
}

func samplesWithPrefix(f *testing.F, prefix string) [][]byte {
	var out [][]byte
	for name, b := range canonicalSamples(f) {
		if strings.HasPrefix(name, prefix) {
			out = append(out, b)
		}
	}
	if len(out) == 0 {
		f.Fatalf("no samples for %s", prefix)
	}
	return out
}

// checkCanonical is the shared property: decode never panics; success
// implies canonical bytes.
func checkCanonical(t *testing.T, in []byte, decode func([]byte) ([]byte, error)) {
	out, err := decode(in)
	if err != nil {
		if !IsDomain(err) {
			t.Fatalf("decode error without a domain code: %v", err)
		}
		return
	}
	if !bytes.Equal(in, out) {
		t.Fatalf("accepted a non-canonical encoding\n in: %x\nout: %x", in, out)
	}
}

func FuzzDecodeTx(f *testing.F) {
	var valid [][]byte
	for _, tx := range sampleTxs() {
		valid = append(valid, tx.Encode())
	}
	golden, _ := goldenTxs()
	for _, tx := range golden {
		valid = append(valid, tx.Encode())
	}
	addSeeds(f, valid)
	// The 16-bit type truncation regression: 65536+5 must not be an anchor.
	tx := golden[0]
	f.Add(rawTx(TxVersion, tx.ChainID, tx.Signer, tx.Nonce, tx.ExpiresAt, 1<<16|uint64(MsgTypeAnchor),
		encode(tx.Msg.Encode), tx.Signature))

	f.Fuzz(func(t *testing.T, in []byte) {
		tx, err := DecodeTx(in)
		if err != nil {
			if tx != nil {
				t.Fatal("tx returned with an error")
			}
			if !IsDomain(err) {
				t.Fatalf("error without a domain code: %v", err)
			}
			return
		}
		if !bytes.Equal(in, tx.Encode()) {
			t.Fatalf("accepted a non-canonical tx\n in: %x\nout: %x", in, tx.Encode())
		}
		// Nothing downstream of a successful decode may panic.
		_ = tx.String()
		_ = tx.ReplayKey()
		if err := tx.ValidateBasic(tx.ChainID); err != nil && !IsDomain(err) {
			t.Fatalf("ValidateBasic error without a domain code: %v", err)
		}
		if !bytes.Equal(tx.SignBytes(), tx.SignBytes()) {
			t.Fatal("sign bytes are not deterministic")
		}
	})
}

func FuzzDecodeMsg(f *testing.F) {
	for _, m := range sampleMsgs() {
		body := encode(m.Encode)
		f.Add(uint16(m.Type()), body)
		for _, mut := range mutations(body) {
			f.Add(uint16(m.Type()), mut)
		}
	}
	for _, b := range garbageSeeds() {
		f.Add(uint16(MsgTypePropose), b)
		f.Add(uint16(99), b)
	}
	f.Fuzz(func(t *testing.T, typ uint16, body []byte) {
		m, err := DecodeMsg(MsgType(typ), body)
		if err != nil {
			if !IsDomain(err) {
				t.Fatalf("error without a domain code: %v", err)
			}
			return
		}
		if m.Type() != MsgType(typ) {
			t.Fatalf("decoded type %d as %d", typ, m.Type())
		}
		if out := encode(m.Encode); !bytes.Equal(body, out) {
			t.Fatalf("accepted a non-canonical body\n in: %x\nout: %x", body, out)
		}
		if err := m.ValidateBasic(); err != nil && !IsDomain(err) {
			t.Fatalf("ValidateBasic error without a domain code: %v", err)
		}
	})
}

func FuzzDecodeProposal(f *testing.F) {
	addSeeds(f, samplesWithPrefix(f, "proposal/"))
	f.Fuzz(func(t *testing.T, in []byte) {
		checkCanonical(t, in, func(b []byte) ([]byte, error) {
			p, err := DecodeProposal(b)
			if err != nil {
				return nil, err
			}
			if p.Action == nil {
				t.Fatal("proposal decoded without an action")
			}
			_ = p.Action.Summary()
			_ = p.Action.ValidateBasic()
			_ = p.StatusAt(p.Deadline + 1).String()
			return encode(p.Encode), nil
		})
	})
}

func FuzzDecodeAgency(f *testing.F) {
	addSeeds(f, samplesWithPrefix(f, "agency/"))
	f.Fuzz(func(t *testing.T, in []byte) {
		checkCanonical(t, in, func(b []byte) ([]byte, error) {
			a, err := DecodeAgency(b)
			if err != nil {
				return nil, err
			}
			_ = a.Status.String()
			return encode(a.Encode), nil
		})
	})
}

func FuzzDecodeKeyRecord(f *testing.F) {
	addSeeds(f, samplesWithPrefix(f, "keyrecord/"))
	f.Fuzz(func(t *testing.T, in []byte) {
		checkCanonical(t, in, func(b []byte) ([]byte, error) {
			k, err := DecodeKeyRecord(b)
			if err != nil {
				return nil, err
			}
			_ = k.Kind.String()
			return encode(k.Encode), nil
		})
	})
}

func FuzzDecodeValidator(f *testing.F) {
	addSeeds(f, samplesWithPrefix(f, "validator/"))
	f.Fuzz(func(t *testing.T, in []byte) {
		checkCanonical(t, in, func(b []byte) ([]byte, error) {
			v, err := DecodeValidator(b)
			if err != nil {
				return nil, err
			}
			return encode(v.Encode), nil
		})
	})
}

func FuzzDecodeAnchor(f *testing.F) {
	addSeeds(f, samplesWithPrefix(f, "anchor/"))
	f.Fuzz(func(t *testing.T, in []byte) {
		checkCanonical(t, in, func(b []byte) ([]byte, error) {
			a, err := DecodeAnchor(b)
			if err != nil {
				return nil, err
			}
			return encode(a.Encode), nil
		})
	})
}

func FuzzDecodeParams(f *testing.F) {
	addSeeds(f, samplesWithPrefix(f, "params/"))
	f.Fuzz(func(t *testing.T, in []byte) {
		checkCanonical(t, in, func(b []byte) ([]byte, error) {
			p, err := DecodeParams(b)
			if err != nil {
				return nil, err
			}
			_ = p.Validate()
			return encode(p.Encode), nil
		})
	})
}

// xorInto returns a copy of b with mask XORed over it; mask bytes past the
// end of b are appended.
func xorInto(b, mask []byte) []byte {
	out := bytes.Clone(b)
	for i, m := range mask {
		if i < len(out) {
			out[i] ^= m
		} else {
			out = append(out, m)
		}
	}
	return out
}

// FuzzVerifySignature: a signature verifies for its own key and message,
// and no mutation of the message or of the signature verifies.
func FuzzVerifySignature(f *testing.F) {
	golden, _ := goldenTxs()
	f.Add(byte(0), golden[0].SignBytes(), []byte{}, []byte{})
	f.Add(byte(1), []byte("xin chào"), []byte{0x01}, []byte{})
	f.Add(byte(2), []byte("xin chào"), []byte{}, []byte{0x01})
	f.Add(byte(3), []byte{}, []byte{0x00}, []byte{})
	f.Add(byte(4), []byte("abc"), []byte{}, append(make([]byte, 63), 0x80)) // S high bit
	f.Add(byte(5), []byte("abc"), []byte{}, append(make([]byte, 31), 0x80)) // R sign bit
	f.Add(byte(6), []byte("abc"), []byte{}, make([]byte, 65))               // one byte longer
	f.Add(byte(7), []byte("abc"), []byte{0, 0, 0}, []byte{0})

	f.Fuzz(func(t *testing.T, seedByte byte, msg, msgMask, sigMask []byte) {
		priv := NewKeyFromSeed(bytes.Repeat([]byte{seedByte}, 32))
		pub := PubKeyOf(priv)
		sig := Sign(priv, msg)
		if !VerifySignature(pub, msg, sig) {
			t.Fatal("a fresh signature does not verify")
		}
		other := PubKeyOf(NewKeyFromSeed(bytes.Repeat([]byte{seedByte ^ 0xff}, 32)))
		if VerifySignature(other, msg, sig) {
			t.Fatal("signature verifies under another key")
		}
		msg2 := xorInto(msg, msgMask)
		sig2 := xorInto(sig, sigMask)
		if VerifySignature(pub, msg2, sig2) && (!bytes.Equal(msg, msg2) || !bytes.Equal(sig, sig2)) {
			t.Fatalf("mutated input verifies\nmsg:  %x\nmsg2: %x\nsig:  %x\nsig2: %x", msg, msg2, sig, sig2)
		}
	})
}

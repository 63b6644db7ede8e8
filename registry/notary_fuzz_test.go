package registry

import (
	"bytes"
	"testing"
)

// notarySampleMsgs returns one valid message of every notary type.
func notarySampleMsgs(t testing.TB) []Msg {
	a, _ := ParseProperty("parcel:20194/12/345", PropertyKeying{})
	b, _ := ParseProperty("cert:BX 123456", PropertyKeying{})
	keys := SortHashes([][]byte{a.Key, b.Key})
	return []Msg{
		&MsgNotaryBlock{Ref: "45/2025/QĐ-BPKCTT", Reason: ReasonCourtInjunction, DocHash: docHash("qđ"), Properties: keys},
		&MsgNotaryBlock{Ref: "1/TB", Reason: ReasonOther, DocHash: []byte{}, Properties: keys[:1]},
		&MsgNotaryRelease{BlockID: 300, Ref: "46/2025/QĐ-HBPKCTT", DocHash: docHash("gt")},
		&MsgNotaryAuthorize{Agency: "vpcc-song-han", Status: OfficeSuspended, Ref: "5/QĐ-STP"},
		&MsgNotaryContract{FileHash: docHash("hđ"), Kind: ContractMortgage, Properties: keys,
			Parties:      SortHashes([][]byte{PartyCommitment([]byte("s1"), "a"), PartyCommitment([]byte("s2"), "b")}),
			NotaryPublic: testKey("cv").pub},
		&MsgNotaryContract{FileHash: docHash("hđ2"), Kind: ContractLease, Properties: keys[:1],
			Parties: [][]byte{PartyCommitment([]byte("s1"), "a")}, NotaryPublic: []byte{}},
	}
}

// notarySampleRecords returns canonical bytes of every notary record kind.
func notarySampleRecords() map[string][]byte {
	a, _ := ParseProperty("parcel:20194/12/345", PropertyKeying{})
	k := testKey("court")
	entry := &LookupLogEntry{Seq: 9, Time: 1767225600, Org: "vpcc-song-han", PubKey: k.pub, PropertyKey: a.Key,
		Nonce: bytes.Repeat([]byte{3}, 16), Signature: bytes.Repeat([]byte{4}, 64), Height: 12, Prev: make([]byte, 32)}
	return map[string][]byte{
		"block/active": encode((&BlockNotice{ID: 1, Ref: "45/2025/QĐ-BPKCTT", Authority: "toa-an-khu-vuc-1",
			Reason: ReasonEnforcement, DocHash: docHash("qđ"), Properties: [][]byte{a.Key}, Signer: k.pub, Height: 5,
			Time: 1756800000, ReleaseDocHash: []byte{}, ReleaseSigner: []byte{}}).Encode),
		"block/released": encode((&BlockNotice{ID: 2, Ref: "1/TB", Authority: "so-tu-phap", Reason: ReasonOther,
			DocHash: []byte{}, Properties: [][]byte{a.Key}, Signer: k.pub, Height: 5, Time: 1756800000, Released: true,
			ReleaseRef: "2/GT", ReleaseDocHash: docHash("gt"), ReleasedBy: "so-tu-phap", ReleaseSigner: k.pub,
			ReleaseHeight: 9, ReleaseTime: 1756800100}).Encode),
		"active/1":  encode(ActiveBlocks{1, 2, 1000}.Encode),
		"office/1":  encode((&OfficeAuth{Agency: "vpcc-song-han", Status: OfficeAuthorised, Ref: "120/QĐ-STP", DecidedBy: "so-tu-phap", Signer: k.pub, Height: 3, Time: 1756800000, AuthorisedHeight: 3}).Encode),
		"contract/": encode((&Contract{FileHash: docHash("hđ"), Type: ContractSale, Properties: [][]byte{a.Key}, Parties: [][]byte{docHash("p")}, Office: "vpcc-song-han", NotaryPublic: k.pub, Signer: k.pub, Height: 7, Time: 1756800000}).Encode),
		"lookup/1":  encode(entry.Encode),
	}
}

func notaryRecordSeeds(f *testing.F, prefix string) [][]byte {
	var out [][]byte
	for name, b := range notarySampleRecords() {
		if len(name) >= len(prefix) && name[:len(prefix)] == prefix {
			out = append(out, b)
		}
	}
	if len(out) == 0 {
		f.Fatalf("no samples for %s", prefix)
	}
	return out
}

func FuzzDecodeNotaryMsg(f *testing.F) {
	for _, m := range notarySampleMsgs(f) {
		body := encode(m.Encode)
		f.Add(uint16(m.Type()), body)
		for _, mut := range mutations(body) {
			f.Add(uint16(m.Type()), mut)
		}
	}
	for _, b := range garbageSeeds() {
		f.Add(uint16(MsgTypeNotaryContract), b)
	}
	f.Fuzz(func(t *testing.T, typ uint16, body []byte) {
		if typ < 40 || typ > 49 {
			typ = 40 + typ%10
		}
		m, err := DecodeMsg(MsgType(typ), body)
		if err != nil {
			if !IsDomain(err) {
				t.Fatalf("error without a domain code: %v", err)
			}
			return
		}
		if out := encode(m.Encode); !bytes.Equal(body, out) {
			t.Fatalf("accepted a non-canonical body\n in: %x\nout: %x", body, out)
		}
		if err := m.ValidateBasic(); err != nil && !IsDomain(err) {
			t.Fatalf("ValidateBasic error without a domain code: %v", err)
		}
	})
}

func FuzzDecodeBlockNotice(f *testing.F) {
	addSeeds(f, notaryRecordSeeds(f, "block/"))
	f.Fuzz(func(t *testing.T, in []byte) {
		checkCanonical(t, in, func(b []byte) ([]byte, error) {
			n, err := DecodeBlockNotice(b)
			if err != nil {
				return nil, err
			}
			_ = n.Reason.String()
			_ = n.HasProperty(in)
			return encode(n.Encode), nil
		})
	})
}

func FuzzDecodeActiveBlocks(f *testing.F) {
	addSeeds(f, notaryRecordSeeds(f, "active/"))
	f.Fuzz(func(t *testing.T, in []byte) {
		checkCanonical(t, in, func(b []byte) ([]byte, error) {
			ids, err := DecodeActiveBlocks(b)
			if err != nil {
				return nil, err
			}
			for i := 1; i < len(ids); i++ {
				if ids[i] <= ids[i-1] {
					t.Fatalf("accepted unsorted ids %v", ids)
				}
			}
			return encode(ids.Encode), nil
		})
	})
}

func FuzzDecodeOfficeAuth(f *testing.F) {
	addSeeds(f, notaryRecordSeeds(f, "office/"))
	f.Fuzz(func(t *testing.T, in []byte) {
		checkCanonical(t, in, func(b []byte) ([]byte, error) {
			o, err := DecodeOfficeAuth(b)
			if err != nil {
				return nil, err
			}
			_ = o.Status.String()
			return encode(o.Encode), nil
		})
	})
}

func FuzzDecodeContract(f *testing.F) {
	addSeeds(f, notaryRecordSeeds(f, "contract/"))
	f.Fuzz(func(t *testing.T, in []byte) {
		checkCanonical(t, in, func(b []byte) ([]byte, error) {
			c, err := DecodeContract(b)
			if err != nil {
				return nil, err
			}
			_ = c.Type.String()
			_ = c.Type.Restricted()
			return encode(c.Encode), nil
		})
	})
}

func FuzzDecodeLookupLogEntry(f *testing.F) {
	addSeeds(f, notaryRecordSeeds(f, "lookup/"))
	f.Fuzz(func(t *testing.T, in []byte) {
		checkCanonical(t, in, func(b []byte) ([]byte, error) {
			e, err := DecodeLookupLogEntry(b)
			if err != nil {
				return nil, err
			}
			_ = e.Hash()
			if err := e.VerifyLink(testChainID, nil); err != nil && !IsDomain(err) {
				t.Fatalf("VerifyLink error without a domain code: %v", err)
			}
			return encode(e.Encode), nil
		})
	})
}

func FuzzParseProperty(f *testing.F) {
	for _, s := range []string{"parcel:20194/12/345", "parcel:20194:012:0345", "cert:BX 123456", " cert:bx123456 ",
		"parcel:２０１９４/12/345", "parcel:20194/1 2/3", "cert:", ":", "parcel:a/b/c", hexs(Hash([]byte("x")))} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		p, err := ParseProperty(in, PropertyKeying{})
		if err != nil {
			if !IsDomain(err) {
				t.Fatalf("error without a domain code: %v", err)
			}
			return
		}
		if len(p.Key) != HashSize {
			t.Fatalf("key of %d bytes", len(p.Key))
		}
		if p.Canonical == "" {
			return
		}
		// Normalisation is idempotent: the canonical string parses to itself.
		q, err := ParseProperty(p.Canonical, PropertyKeying{})
		if err != nil || q.Canonical != p.Canonical || !bytes.Equal(q.Key, p.Key) {
			t.Fatalf("%q -> %q does not parse back to itself: %v", in, p.Canonical, err)
		}
	})
}

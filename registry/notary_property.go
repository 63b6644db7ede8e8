package registry

import (
	"encoding/hex"
	"strings"

	"golang.org/x/crypto/argon2"
)

// Property is a real property (bất động sản) named by one official
// identifier, normalised so that the same property always gets the same
// key.
//
// Identifiers and their canonical strings:
//
//	land parcel (thửa đất):  parcel:<ward code>:<map sheet>:<parcel no>
//	certificate (GCN):       cert:<serial>
//
// Normalisation, applied to each field in this order:
//  1. Unicode NFC, then trim surrounding white space;
//  2. upper-case ASCII letters (a-z -> A-Z);
//  3. collapse runs of white space to one space; in a certificate serial
//     the spaces are then removed ("BX 123456" and "bx123456" are one
//     serial), in the other fields a space is an error;
//  4. map sheet and parcel numbers made only of digits lose leading zeros
//     ("007" -> "7"); the ward code is the 5-digit official code of the
//     ward or commune (mã đơn vị hành chính) and keeps its zeros.
//
// Allowed characters after normalisation: ward code 5 digits; map sheet
// and parcel number 1..16 of A-Z 0-9 . - ; serial 4..32 of A-Z 0-9 -.
// Any other character is rejected rather than guessed at.
//
// The key is derived from the canonical string by the chain's
// PropertyKeying (version 2: Argon2id; version 1: SHA-256). A parcel and its
// certificate are two keys: the chain does not know that they name one
// property, so authorities block, and notaries cite, every identifier they
// hold.
type Property struct {
	Canonical string // e.g. "parcel:20194:12:345"; empty when built from a raw key
	Key       []byte // the chain's key of Canonical, 32 bytes
}

// PropertyKeying is how one chain turns a canonical property identifier
// into its key. Identifiers are enumerable (wards x map sheets x parcels is
// about 10^7..10^8), so version 2 makes every guess slow: Argon2id over a
// domain tag and the identifier, salted with the chain id, at the cost in
// the chain's genesis parameters. Version 1 (Time == 0), SHA-256 of the
// identifier, is what chains created before version 2 keep using, so their
// records keep verifying; the version is fixed at genesis because a
// contract is checked against blocking notices by key.
type PropertyKeying struct {
	ChainID   string
	Time      uint64 // Argon2id passes; 0: version 1
	MemoryKiB uint64
}

// PropertyKeying returns the chain's property keying (its genesis
// parameters and chain id).
func (p Params) PropertyKeying(chainID string) PropertyKeying {
	return PropertyKeying{ChainID: chainID, Time: p.PropertyKeyTime, MemoryKiB: p.PropertyKeyMemoryKiB}
}

// Version is 2 (Argon2id) or 1 (SHA-256).
func (k PropertyKeying) Version() int {
	if k.Time == 0 {
		return 1
	}
	return 2
}

// Key derives the key of a canonical property string.
func (k PropertyKeying) Key(canonical string) []byte {
	if k.Version() == 1 {
		return Hash([]byte(canonical))
	}
	salt := Hash([]byte("danangchain/property/v2/salt\x00" + k.ChainID))
	return argon2.IDKey([]byte("danangchain/property/v2\x00"+canonical), salt, uint32(k.Time), uint32(k.MemoryKiB), 1, HashSize)
}

// String is the canonical string, or the key in hex.
func (p Property) String() string {
	if p.Canonical != "" {
		return p.Canonical
	}
	return hex.EncodeToString(p.Key)
}

// ParseProperty accepts "parcel:WARD/SHEET/PARCEL", the canonical
// "parcel:WARD:SHEET:PARCEL", "cert:SERIAL", or a raw 64-hex-digit key, and
// derives the key with k.
func ParseProperty(s string, k PropertyKeying) (Property, error) {
	p, err := parseProperty(s)
	if err == nil && p.Key == nil {
		p.Key = k.Key(p.Canonical)
	}
	return p, err
}

func parseProperty(s string) (Property, error) {
	s = strings.TrimSpace(NFC(s))
	if len(s) > 200 {
		return Property{}, Errorf(ErrInvalid, "property identifier above 200 bytes")
	}
	if len(s) == 2*HashSize {
		if k, err := hex.DecodeString(s); err == nil {
			return Property{Key: k}, nil
		}
	}
	scheme, rest, ok := strings.Cut(s, ":")
	if !ok {
		return Property{}, Errorf(ErrInvalid, "property %q: want parcel:WARD/SHEET/PARCEL, cert:SERIAL or a 64-hex key", s)
	}
	var canonical string
	switch strings.ToLower(strings.TrimSpace(scheme)) {
	case "parcel":
		sep := "/"
		if !strings.Contains(rest, "/") {
			sep = ":"
		}
		f := strings.Split(rest, sep)
		if len(f) != 3 {
			return Property{}, Errorf(ErrInvalid, "property %q: a parcel is WARD/SHEET/PARCEL", s)
		}
		ward, err := normField("ward code", f[0], false)
		if err != nil {
			return Property{}, err
		}
		if len(ward) != 5 || !allDigits(ward) {
			return Property{}, Errorf(ErrInvalid, "ward code %q must be the 5-digit official code", ward)
		}
		sheet, err := normNumber("map sheet", f[1])
		if err != nil {
			return Property{}, err
		}
		parcel, err := normNumber("parcel number", f[2])
		if err != nil {
			return Property{}, err
		}
		canonical = "parcel:" + ward + ":" + sheet + ":" + parcel
	case "cert":
		serial, err := normField("certificate serial", rest, true)
		if err != nil {
			return Property{}, err
		}
		if len(serial) < 4 || len(serial) > 32 || !onlyChars(serial, "-") {
			return Property{}, Errorf(ErrInvalid, "certificate serial %q: want 4..32 of A-Z 0-9 -", serial)
		}
		canonical = "cert:" + serial
	default:
		return Property{}, Errorf(ErrInvalid, "property %q: unknown scheme %q (want parcel or cert)", s, scheme)
	}
	return Property{Canonical: canonical}, nil
}

// IsCanonicalProperty reports whether s is already a canonical property
// string (ParseProperty(s) gives back s).
func IsCanonicalProperty(s string) bool {
	p, err := parseProperty(s)
	return err == nil && p.Canonical == s
}

// normField applies steps 1-3 of the normalisation.
func normField(name, s string, dropSpaces bool) (string, error) {
	s = strings.TrimSpace(NFC(s))
	var b strings.Builder
	space := false
	for _, r := range s {
		switch {
		case r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\u00a0':
			space = true
			continue
		case r >= 'a' && r <= 'z':
			r -= 'a' - 'A'
		}
		if space && !dropSpaces {
			return "", Errorf(ErrInvalid, "%s %q must not contain spaces", name, s)
		}
		space = false
		b.WriteRune(r)
	}
	if b.Len() == 0 {
		return "", Errorf(ErrInvalid, "%s is empty", name)
	}
	return b.String(), nil
}

// normNumber normalises a map sheet or parcel number (step 4).
func normNumber(name, s string) (string, error) {
	v, err := normField(name, s, false)
	if err != nil {
		return "", err
	}
	if allDigits(v) {
		v = strings.TrimLeft(v, "0")
		if v == "" {
			v = "0"
		}
	}
	if len(v) > 16 || !onlyChars(v, ".-") {
		return "", Errorf(ErrInvalid, "%s %q: want 1..16 of A-Z 0-9 . -", name, v)
	}
	return v, nil
}

func allDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

func onlyChars(s, extra string) bool {
	for _, r := range s {
		if (r >= '0' && r <= '9') || (r >= 'A' && r <= 'Z') || strings.ContainsRune(extra, r) {
			continue
		}
		return false
	}
	return true
}

// PartySaltSize is the size of the random salt of a party commitment.
const PartySaltSize = 16

// PartyCommitment commits to a party of a contract without revealing it:
// SHA-256(salt || NFC(trimmed identifier)). The identifier is a CCCD
// number, a tax code or any id the notary uses; the salt (16 random bytes)
// is the party's receipt, and with it anyone can check that a given
// identifier was a party.
func PartyCommitment(salt []byte, identifier string) []byte {
	return Hash(salt, []byte(strings.TrimSpace(NFC(identifier))))
}

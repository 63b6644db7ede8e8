package registry

import (
	"encoding/binary"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Encoder writes the canonical encoding: unsigned LEB128 varints (minimal
// form) and length-prefixed byte strings, fields in a fixed order. There is
// exactly one encoding for each value.
type Encoder struct {
	buf []byte
}

// NewEncoder returns an encoder with an initial capacity.
func NewEncoder(capacity int) *Encoder { return &Encoder{buf: make([]byte, 0, capacity)} }

// Uint writes v as a minimal unsigned varint.
func (e *Encoder) Uint(v uint64) { e.buf = binary.AppendUvarint(e.buf, v) }

// Bool writes 0 or 1.
func (e *Encoder) Bool(b bool) {
	if b {
		e.buf = append(e.buf, 1)
	} else {
		e.buf = append(e.buf, 0)
	}
}

// Bytes writes a length-prefixed byte string.
func (e *Encoder) Bytes(b []byte) {
	e.Uint(uint64(len(b)))
	e.buf = append(e.buf, b...)
}

// String writes a length-prefixed UTF-8 string. Callers validate NFC.
func (e *Encoder) String(s string) {
	e.Uint(uint64(len(s)))
	e.buf = append(e.buf, s...)
}

// Strings writes a count followed by each string.
func (e *Encoder) Strings(ss []string) {
	e.Uint(uint64(len(ss)))
	for _, s := range ss {
		e.String(s)
	}
}

// Raw appends bytes without a prefix (used for fixed-size fields).
func (e *Encoder) Raw(b []byte) { e.buf = append(e.buf, b...) }

// Out returns the encoded bytes.
func (e *Encoder) Out() []byte { return e.buf }

// Decoder reads the canonical encoding. The first error sticks; Finish
// reports it and rejects trailing bytes.
type Decoder struct {
	b   []byte
	err error
}

// NewDecoder reads from b.
func NewDecoder(b []byte) *Decoder { return &Decoder{b: b} }

func (d *Decoder) fail(format string, args ...any) {
	if d.err == nil {
		d.err = Errorf(ErrMalformed, format, args...)
	}
}

// Err returns the first error.
func (d *Decoder) Err() error { return d.err }

// Uint reads a minimal unsigned varint.
func (d *Decoder) Uint() uint64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.fail("bad varint")
		return 0
	}
	if n != uvarintLen(v) {
		d.fail("non-minimal varint")
		return 0
	}
	d.b = d.b[n:]
	return v
}

// Bool reads a strict 0/1 byte.
func (d *Decoder) Bool() bool {
	if d.err != nil {
		return false
	}
	if len(d.b) < 1 {
		d.fail("truncated bool")
		return false
	}
	c := d.b[0]
	d.b = d.b[1:]
	if c > 1 {
		d.fail("bad bool")
	}
	return c == 1
}

// Bytes reads a length-prefixed byte string (a copy, never nil).
func (d *Decoder) Bytes() []byte {
	n := d.Uint()
	if d.err != nil {
		return nil
	}
	if n > uint64(len(d.b)) {
		d.fail("truncated bytes")
		return nil
	}
	out := make([]byte, n)
	copy(out, d.b[:n])
	d.b = d.b[n:]
	return out
}

// Fixed reads exactly n raw bytes.
func (d *Decoder) Fixed(n int) []byte {
	if d.err != nil {
		return nil
	}
	if n > len(d.b) {
		d.fail("truncated fixed field")
		return nil
	}
	out := make([]byte, n)
	copy(out, d.b[:n])
	d.b = d.b[n:]
	return out
}

// String reads a length-prefixed string that must be valid UTF-8 in NFC.
func (d *Decoder) String() string {
	b := d.Bytes()
	if d.err != nil {
		return ""
	}
	s := string(b)
	if err := CheckNFC(s); err != nil {
		if d.err == nil {
			d.err = err
		}
		return ""
	}
	return s
}

// Strings reads a count-prefixed list of strings, at most max entries.
func (d *Decoder) Strings(max int) []string {
	n := d.Uint()
	if d.err != nil {
		return nil
	}
	if n > uint64(max) || n > uint64(len(d.b)) {
		d.fail("too many strings")
		return nil
	}
	out := make([]string, 0, n)
	for i := uint64(0); i < n && d.err == nil; i++ {
		out = append(out, d.String())
	}
	return out
}

// Count reads a list length and checks it against max and the bytes left
// (every element takes at least minSize bytes).
func (d *Decoder) Count(max, minSize int) int {
	n := d.Uint()
	if d.err != nil {
		return 0
	}
	if n > uint64(max) || n*uint64(minSize) > uint64(len(d.b)) {
		d.fail("list too long")
		return 0
	}
	return int(n)
}

// More reports whether bytes remain (for optional trailing fields, which
// are written only when not empty, so the encoding stays canonical).
func (d *Decoder) More() bool { return d.err == nil && len(d.b) > 0 }

// Finish returns the first error, or an error if bytes remain.
func (d *Decoder) Finish() error {
	if d.err != nil {
		return d.err
	}
	if len(d.b) != 0 {
		return Errorf(ErrMalformed, "%d trailing bytes", len(d.b))
	}
	return nil
}

func uvarintLen(v uint64) int {
	n := 1
	for v >= 0x80 {
		v >>= 7
		n++
	}
	return n
}

// CheckNFC returns ErrNotNFC unless s is valid UTF-8 in Unicode NFC with no
// NUL or other C0 control characters except tab and newline.
func CheckNFC(s string) error {
	if !utf8.ValidString(s) {
		return Errorf(ErrNotNFC, "invalid UTF-8")
	}
	if !norm.NFC.IsNormalString(s) {
		return Errorf(ErrNotNFC, "text must be Unicode NFC")
	}
	for _, r := range s {
		if r < 0x20 && r != '\t' && r != '\n' {
			return Errorf(ErrNotNFC, "control character U+%04X", r)
		}
	}
	return nil
}

// NFC returns s normalised to Unicode NFC (for user input before signing).
func NFC(s string) string { return norm.NFC.String(s) }

package verification

import "google.golang.org/protobuf/encoding/protowire"

// This file reads the protobuf wire format exactly as the code gogoproto
// generates for CometBFT and ICS23 does (the references this package must
// agree with), and appends the canonical form gogoproto's Marshal writes.
//
// gogoproto's generated Unmarshal is lenient in ways a receipt verifier must
// reproduce where no canonical check follows (the ICS23 proof): varints of
// up to ten bytes with the bits beyond 64 dropped, non-minimal varints,
// unknown fields skipped (groups included), fields in any order, the last
// of a repeated scalar winning, field numbers truncated to int32.

// wireReader reads one message's bytes.
type wireReader struct {
	b []byte
	i int
}

// varint reads a varint as gogoproto does: at most ten bytes, bits beyond
// 64 dropped, no minimality check.
func (r *wireReader) varint() (uint64, bool) {
	var x uint64
	for shift := uint(0); shift < 64; shift += 7 {
		if r.i >= len(r.b) {
			return 0, false
		}
		c := r.b[r.i]
		r.i++
		x |= uint64(c&0x7f) << shift
		if c < 0x80 {
			return x, true
		}
	}
	return 0, false
}

// tag reads a field key, refusing what gogoproto refuses: an end-group
// wire type, and a field number that is not positive once truncated to
// int32.
func (r *wireReader) tag() (num int32, typ int, ok bool) {
	w, ok := r.varint()
	if !ok {
		return 0, 0, false
	}
	num, typ = int32(w>>3), int(w&7)
	if typ == 4 || num <= 0 {
		return 0, 0, false
	}
	return num, typ, true
}

// lenDelim reads a length-delimited payload (aliasing the input; never nil).
func (r *wireReader) lenDelim() ([]byte, bool) {
	u, ok := r.varint()
	if !ok {
		return nil, false
	}
	n := int64(u)
	if n < 0 || n > int64(len(r.b)-r.i) {
		return nil, false
	}
	out := r.b[r.i : r.i+int(n) : r.i+int(n)]
	r.i += int(n)
	return out, true
}

// skipField returns the length of the field (tag included) at the start
// of b, as gogoproto's generated skip function computes it: a length past
// the end of b is returned as is, for the caller to refuse.
func skipField(b []byte) (int, bool) {
	r := wireReader{b: b}
	depth := 0
	for r.i < len(b) {
		w, ok := r.varint()
		if !ok {
			return 0, false
		}
		switch w & 7 {
		case 0:
			if _, ok := r.varint(); !ok {
				return 0, false
			}
		case 1:
			r.i += 8
		case 2:
			u, ok := r.varint()
			if !ok || int64(u) < 0 || int64(u) > int64(len(b)) {
				// Past the end either way (the caller refuses it).
				return 0, false
			}
			r.i += int(u)
		case 3:
			depth++
		case 4:
			if depth == 0 {
				return 0, false
			}
			depth--
		case 5:
			r.i += 4
		default:
			return 0, false
		}
		if depth == 0 {
			return r.i, true
		}
	}
	return 0, false
}

// fieldFunc handles one field of a message. It reports known=false for a
// field number the message does not define (then skipped), and ok=false
// to refuse the message (a known field with the wrong wire type, or a bad
// payload).
type fieldFunc func(r *wireReader, num int32, typ int) (known, ok bool)

// readMessage walks the fields of b the way gogoproto's Unmarshal does.
func readMessage(b []byte, f fieldFunc) bool {
	r := wireReader{b: b}
	for r.i < len(r.b) {
		start := r.i
		num, typ, ok := r.tag()
		if !ok {
			return false
		}
		known, ok := f(&r, num, typ)
		if !ok {
			return false
		}
		if !known {
			n, ok := skipField(r.b[start:])
			if !ok || n > len(r.b)-start {
				return false
			}
			r.i = start + n
		}
	}
	return true
}

// varintField reads a varint field's value (wire type 0 only).
func varintField(r *wireReader, typ int) (uint64, bool) {
	if typ != 0 {
		return 0, false
	}
	return r.varint()
}

// bytesField reads a length-delimited field's value (wire type 2 only).
func bytesField(r *wireReader, typ int) ([]byte, bool) {
	if typ != 2 {
		return nil, false
	}
	return r.lenDelim()
}

// Canonical writing, as gogoproto's Marshal: scalar and bytes fields only
// when not empty, fields in ascending order.

func appendVarintField(b []byte, num protowire.Number, v uint64) []byte {
	if v == 0 {
		return b
	}
	b = protowire.AppendTag(b, num, protowire.VarintType)
	return protowire.AppendVarint(b, v)
}

func appendBytesField(b []byte, num protowire.Number, v []byte) []byte {
	if len(v) == 0 {
		return b
	}
	return appendMessageField(b, num, v)
}

// appendMessageField writes an embedded message (or bytes) even when empty,
// as gogoproto does for non-nullable messages.
func appendMessageField(b []byte, num protowire.Number, v []byte) []byte {
	b = protowire.AppendTag(b, num, protowire.BytesType)
	return protowire.AppendBytes(b, v)
}

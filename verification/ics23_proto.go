package verification

// The ICS23 CommitmentProof protobuf (cosmos.ics23.v1, proofs.proto),
// decoded exactly as gogoproto's generated Unmarshal does: the reference
// requires no canonical form of a proof, so every leniency of that decoder
// is this one's (see proto.go). Embedded messages that are not part of a
// oneof merge when repeated (a second leaf adds to the first); a oneof is
// replaced by its last member; enums are truncated to int32.

// The ICS23 messages, as far as IAVL proofs use them. A nil pointer is an
// absent field; a non-nil empty slice is a field present but empty.
type leafOp struct {
	hash, prehashKey, prehashValue, length int32
	prefix                                 []byte
}

type innerOp struct {
	hash           int32
	prefix, suffix []byte
}

type existenceProof struct {
	key, value []byte
	leaf       *leafOp
	path       []*innerOp
}

type nonExistenceProof struct {
	left, right *existenceProof
}

// batchEntry is one entry of a batch: exist, nonexist, or neither.
type batchEntry struct {
	exist    *existenceProof
	nonexist *nonExistenceProof
}

type compressedExistenceProof struct {
	key, value []byte
	leaf       *leafOp
	path       []int32
}

// compressedEntry is one entry of a compressed batch: exist, or nonexist
// (with its left and right), or neither.
type compressedEntry struct {
	exist           *compressedExistenceProof
	nonexistPresent bool
	left, right     *compressedExistenceProof
}

// commitmentProof holds the one proof of the oneof (the last one wins).
type commitmentProof struct {
	exist      *existenceProof
	nonexist   *nonExistenceProof
	batch      []batchEntry
	isBatch    bool
	compressed []compressedEntry
	lookup     []*innerOp
	isCompr    bool
}

func decodeCommitmentProof(b []byte) (*commitmentProof, bool) {
	p := &commitmentProof{}
	ok := readMessage(b, func(r *wireReader, num int32, typ int) (bool, bool) {
		if num < 1 || num > 4 {
			return false, true
		}
		v, ok := bytesField(r, typ)
		if !ok {
			return true, false
		}
		*p = commitmentProof{}
		switch num {
		case 1:
			p.exist = &existenceProof{}
			ok = p.exist.decode(v)
		case 2:
			p.nonexist = &nonExistenceProof{}
			ok = p.nonexist.decode(v)
		case 3:
			p.isBatch = true
			ok = readMessage(v, func(r *wireReader, num int32, typ int) (bool, bool) {
				if num != 1 {
					return false, true
				}
				v, ok := bytesField(r, typ)
				if !ok {
					return true, false
				}
				var e batchEntry
				ok = e.decode(v)
				p.batch = append(p.batch, e)
				return true, ok
			})
		case 4:
			p.isCompr = true
			ok = p.decodeCompressed(v)
		}
		return true, ok
	})
	return p, ok
}

func (e *batchEntry) decode(b []byte) bool {
	return readMessage(b, func(r *wireReader, num int32, typ int) (bool, bool) {
		if num != 1 && num != 2 {
			return false, true
		}
		v, ok := bytesField(r, typ)
		if !ok {
			return true, false
		}
		*e = batchEntry{}
		if num == 1 {
			e.exist = &existenceProof{}
			return true, e.exist.decode(v)
		}
		e.nonexist = &nonExistenceProof{}
		return true, e.nonexist.decode(v)
	})
}

func (p *commitmentProof) decodeCompressed(b []byte) bool {
	return readMessage(b, func(r *wireReader, num int32, typ int) (bool, bool) {
		if num != 1 && num != 2 {
			return false, true
		}
		v, ok := bytesField(r, typ)
		if !ok {
			return true, false
		}
		if num == 2 {
			op := &innerOp{}
			p.lookup = append(p.lookup, op)
			return true, op.decode(v)
		}
		var e compressedEntry
		ok = e.decode(v)
		p.compressed = append(p.compressed, e)
		return true, ok
	})
}

func (e *compressedEntry) decode(b []byte) bool {
	return readMessage(b, func(r *wireReader, num int32, typ int) (bool, bool) {
		if num != 1 && num != 2 {
			return false, true
		}
		v, ok := bytesField(r, typ)
		if !ok {
			return true, false
		}
		*e = compressedEntry{}
		if num == 1 {
			e.exist = &compressedExistenceProof{}
			return true, e.exist.decode(v)
		}
		e.nonexistPresent = true
		// CompressedNonExistenceProof: key (1, ignored), left (2), right (3);
		// a repeated left or right merges into the first.
		return true, readMessage(v, func(r *wireReader, num int32, typ int) (bool, bool) {
			if num < 1 || num > 3 {
				return false, true
			}
			v, ok := bytesField(r, typ)
			if !ok || num == 1 {
				return true, ok
			}
			side := &e.left
			if num == 3 {
				side = &e.right
			}
			if *side == nil {
				*side = &compressedExistenceProof{}
			}
			return true, (*side).decode(v)
		})
	})
}

func (p *compressedExistenceProof) decode(b []byte) bool {
	return readMessage(b, func(r *wireReader, num int32, typ int) (bool, bool) {
		switch num {
		case 1, 2:
			v, ok := bytesField(r, typ)
			if num == 1 {
				p.key = v
			} else {
				p.value = v
			}
			return true, ok
		case 3:
			v, ok := bytesField(r, typ)
			if !ok {
				return true, false
			}
			if p.leaf == nil {
				p.leaf = &leafOp{}
			}
			return true, p.leaf.decode(v)
		case 4:
			switch typ {
			case 0:
				v, ok := r.varint()
				p.path = append(p.path, int32(v))
				return true, ok
			case 2:
				// Packed. As in gogoproto, the last element's varint may run
				// past the packed length (up to the end of the message), and
				// reading goes on from where it stopped.
				u, ok := r.varint()
				if !ok || int64(u) < 0 || int64(u) > int64(len(r.b)-r.i) {
					return true, false
				}
				end := r.i + int(u)
				for r.i < end {
					v, ok := r.varint()
					if !ok {
						return true, false
					}
					p.path = append(p.path, int32(v))
				}
				return true, true
			}
			return true, false
		}
		return false, true
	})
}

func (p *nonExistenceProof) decode(b []byte) bool {
	return readMessage(b, func(r *wireReader, num int32, typ int) (bool, bool) {
		if num < 1 || num > 3 {
			return false, true
		}
		v, ok := bytesField(r, typ)
		if !ok || num == 1 {
			return true, ok
		}
		side := &p.left
		if num == 3 {
			side = &p.right
		}
		if *side == nil {
			*side = &existenceProof{}
		}
		return true, (*side).decode(v)
	})
}

func (p *existenceProof) decode(b []byte) bool {
	return readMessage(b, func(r *wireReader, num int32, typ int) (bool, bool) {
		if num < 1 || num > 4 {
			return false, true
		}
		v, ok := bytesField(r, typ)
		if !ok {
			return true, false
		}
		switch num {
		case 1:
			p.key = v
		case 2:
			p.value = v
		case 3:
			if p.leaf == nil {
				p.leaf = &leafOp{}
			}
			return true, p.leaf.decode(v)
		case 4:
			op := &innerOp{}
			p.path = append(p.path, op)
			return true, op.decode(v)
		}
		return true, true
	})
}

func (op *leafOp) decode(b []byte) bool {
	return readMessage(b, func(r *wireReader, num int32, typ int) (bool, bool) {
		var dst *int32
		switch num {
		case 1:
			dst = &op.hash
		case 2:
			dst = &op.prehashKey
		case 3:
			dst = &op.prehashValue
		case 4:
			dst = &op.length
		case 5:
			v, ok := bytesField(r, typ)
			op.prefix = v
			return true, ok
		default:
			return false, true
		}
		v, ok := varintField(r, typ)
		*dst = int32(v)
		return true, ok
	})
}

func (op *innerOp) decode(b []byte) bool {
	return readMessage(b, func(r *wireReader, num int32, typ int) (bool, bool) {
		switch num {
		case 1:
			v, ok := varintField(r, typ)
			op.hash = int32(v)
			return true, ok
		case 2, 3:
			v, ok := bytesField(r, typ)
			if num == 2 {
				op.prefix = v
			} else {
				op.suffix = v
			}
			return true, ok
		}
		return false, true
	})
}

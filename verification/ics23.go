package verification

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"

	"github.com/danangchain/danangchain/registry"
)

// This file verifies ICS23 commitment proofs (github.com/cosmos/ics23/go
// v0.10.0) under ics23.IavlSpec, the spec the chain's IAVL store proves
// with: what the reference accepts is accepted, and only that. Where the
// reference panics on a crafted proof (a compressed batch naming an inner
// op that does not exist, or an entry that is neither existence nor
// non-existence), the proof is refused here.

// VerifyMembership checks an ICS23 existence proof (a protobuf
// CommitmentProof) that key holds value in the IAVL tree with root appHash.
// It fails with registry.ErrProofInvalid.
func VerifyMembership(appHash, key, value, proof []byte) error {
	p, ok := decodeCommitmentProof(proof)
	if !ok {
		return registry.Errorf(registry.ErrProofInvalid, "decode proof")
	}
	if !p.verifyMembership(appHash, key, value) {
		return registry.Errorf(registry.ErrProofInvalid, "key %X", key)
	}
	return nil
}

// VerifyNonMembership checks an ICS23 non-existence proof that key is
// absent from the IAVL tree with root appHash. It fails with
// registry.ErrProofInvalid.
func VerifyNonMembership(appHash, key, proof []byte) error {
	p, ok := decodeCommitmentProof(proof)
	if !ok {
		return registry.Errorf(registry.ErrProofInvalid, "decode proof")
	}
	if !p.verifyNonMembership(appHash, key) {
		return registry.Errorf(registry.ErrProofInvalid, "absence of key %X", key)
	}
	return nil
}

// verifyProof is client.VerifyProof: value nil proves absence.
func verifyProof(appHash, key, value, proof []byte) error {
	if value == nil {
		return VerifyNonMembership(appHash, key, proof)
	}
	return VerifyMembership(appHash, key, value, proof)
}

// decompressed returns the proof with a compressed batch expanded (as
// ics23.Decompress), or false where ics23 would panic.
func (p *commitmentProof) decompressed() (*commitmentProof, bool) {
	if !p.isCompr {
		return p, true
	}
	out := &commitmentProof{isBatch: true}
	expand := func(c *compressedExistenceProof) (*existenceProof, bool) {
		if c == nil {
			return nil, true
		}
		e := &existenceProof{key: c.key, value: c.value, leaf: c.leaf, path: make([]*innerOp, len(c.path))}
		for i, step := range c.path {
			if step < 0 || int(step) >= len(p.lookup) {
				return nil, false
			}
			e.path[i] = p.lookup[step]
		}
		return e, true
	}
	for _, c := range p.compressed {
		var e batchEntry
		var ok bool
		switch {
		case c.exist != nil:
			e.exist, ok = expand(c.exist)
		case c.nonexistPresent:
			e.nonexist = &nonExistenceProof{}
			if e.nonexist.left, ok = expand(c.left); ok {
				e.nonexist.right, ok = expand(c.right)
			}
		}
		if !ok {
			return nil, false
		}
		out.batch = append(out.batch, e)
	}
	return out, true
}

func (p *commitmentProof) verifyMembership(root, key, value []byte) bool {
	p, ok := p.decompressed()
	if !ok {
		return false
	}
	var ep *existenceProof
	switch {
	case p.exist != nil:
		if bytes.Equal(p.exist.key, key) {
			ep = p.exist
		}
	case p.isBatch:
		for _, e := range p.batch {
			if e.exist != nil && bytes.Equal(e.exist.key, key) {
				ep = e.exist
				break
			}
		}
	}
	return ep != nil && ep.verify(root, key, value)
}

func (p *commitmentProof) verifyNonMembership(root, key []byte) bool {
	p, ok := p.decompressed()
	if !ok {
		return false
	}
	// The first non-existence proof whose neighbours surround key.
	brackets := func(np *nonExistenceProof) bool {
		return (np.left == nil || bytes.Compare(np.left.key, key) < 0) &&
			(np.right == nil || bytes.Compare(np.right.key, key) > 0)
	}
	var np *nonExistenceProof
	switch {
	case p.nonexist != nil:
		if brackets(p.nonexist) {
			np = p.nonexist
		}
	case p.isBatch:
		for _, e := range p.batch {
			if e.nonexist != nil && brackets(e.nonexist) {
				np = e.nonexist
				break
			}
		}
	}
	return np != nil && np.verify(root, key)
}

func (np *nonExistenceProof) verify(root, key []byte) bool {
	l, r := np.left, np.right
	if l != nil && !l.verify(root, l.key, l.value) {
		return false
	}
	if r != nil && !r.verify(root, r.key, r.value) {
		return false
	}
	switch {
	case l == nil && r == nil:
		return false
	case r != nil && bytes.Compare(key, r.key) >= 0:
		return false
	case l != nil && bytes.Compare(key, l.key) <= 0:
		return false
	case l == nil:
		return isLeftMost(r.path)
	case r == nil:
		return isRightMost(l.path)
	}
	return isLeftNeighbor(l.path, r.path)
}

// verify is ExistenceProof.Verify under IavlSpec.
func (p *existenceProof) verify(root, key, value []byte) bool {
	if p.leaf == nil || !p.leaf.checkIavl() {
		return false
	}
	for i, op := range p.path {
		if !op.checkIavl(i + 1) {
			return false
		}
	}
	if !bytes.Equal(key, p.key) || !bytes.Equal(value, p.value) || len(key) == 0 || len(value) == 0 {
		return false
	}
	// Leaf: prefix || varint(len key) || key || varint(32) || sha256(value).
	vh := sha256.Sum256(value)
	data := append([]byte(nil), p.leaf.prefix...)
	data = binary.AppendUvarint(data, uint64(len(key)))
	data = append(data, key...)
	data = append(data, 32)
	data = append(data, vh[:]...)
	h := sha256.Sum256(data)
	for _, op := range p.path {
		s := sha256.New()
		s.Write(op.prefix)
		s.Write(h[:])
		s.Write(op.suffix)
		s.Sum(h[:0])
	}
	return bytes.Equal(root, h[:])
}

// ICS23 enum values used by IavlSpec.
const (
	hashNone     = 0
	hashSHA256   = 1
	lenVarProto  = 1
	iavlChild    = 33 // a child hash with its length byte
	iavlMinInner = 4  // InnerSpec.MinPrefixLength
	iavlMaxInner = 12 // InnerSpec.MaxPrefixLength
)

// checkIavl is LeafOp.CheckAgainstSpec(IavlSpec).
func (op *leafOp) checkIavl() bool {
	return validateIavlPrefix(op.prefix, 0, op.hash) &&
		op.hash == hashSHA256 && op.prehashKey == hashNone && op.prehashValue == hashSHA256 &&
		op.length == lenVarProto && len(op.prefix) > 0 && op.prefix[0] == 0
}

// checkIavl is InnerOp.CheckAgainstSpec(IavlSpec, layer).
func (op *innerOp) checkIavl(layer int) bool {
	return op.hash == hashSHA256 && validateIavlPrefix(op.prefix, layer, op.hash) &&
		!(len(op.prefix) > 0 && op.prefix[0] == 0) &&
		len(op.prefix) >= iavlMinInner && len(op.prefix) <= iavlMaxInner+iavlChild &&
		len(op.suffix)%iavlChild == 0
}

// validateIavlPrefix is ics23's validateIavlOps: the prefix starts with
// three non-negative zig-zag varints (height, size, version), the height
// at least layer; a leaf has nothing after them, an inner node 1 or 34
// bytes (a length byte, or a left child hash between two length bytes).
func validateIavlPrefix(prefix []byte, layer int, hash int32) bool {
	r := bytes.NewReader(prefix)
	var height int64
	for i := 0; i < 3; i++ {
		v, err := binary.ReadVarint(r)
		if err != nil || v < 0 {
			return false
		}
		if i == 0 {
			height = v
		}
	}
	if height < int64(layer) {
		return false
	}
	rest := r.Len()
	if layer == 0 {
		return rest == 0
	}
	return (rest == 1 || rest == 34) && hash == hashSHA256
}

// paddingBranch is ics23's orderFromPadding for IavlSpec: 0 when the child
// is the left one, 1 the right one, -1 neither.
func paddingBranch(op *innerOp) int {
	switch {
	case len(op.prefix) >= iavlMinInner && len(op.prefix) <= iavlMaxInner && len(op.suffix) == iavlChild:
		return 0
	case len(op.prefix) >= iavlChild+iavlMinInner && len(op.prefix) <= iavlChild+iavlMaxInner && len(op.suffix) == 0:
		return 1
	}
	return -1
}

// isLeftMost: every step takes the left child (IavlSpec has no empty
// child, so no branch counts as empty).
func isLeftMost(path []*innerOp) bool {
	for _, op := range path {
		if paddingBranch(op) != 0 {
			return false
		}
	}
	return true
}

func isRightMost(path []*innerOp) bool {
	for _, op := range path {
		if paddingBranch(op) != 1 {
			return false
		}
	}
	return true
}

// isLeftNeighbor: below their common top, left turns left where right
// turns right, then left goes right-most and right left-most. (ics23
// panics where this returns false on an empty path or an op without
// valid padding; neither passes Verify without a hash collision.)
func isLeftNeighbor(left, right []*innerOp) bool {
	for {
		if len(left) == 0 || len(right) == 0 {
			return false
		}
		tl, tr := left[len(left)-1], right[len(right)-1]
		left, right = left[:len(left)-1], right[:len(right)-1]
		if bytes.Equal(tl.prefix, tr.prefix) && bytes.Equal(tl.suffix, tr.suffix) {
			continue
		}
		li, ri := paddingBranch(tl), paddingBranch(tr)
		if li < 0 || ri < 0 || ri != li+1 {
			return false
		}
		return isRightMost(left) && isLeftMost(right)
	}
}

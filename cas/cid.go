package cas

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"strings"

	"github.com/ipfs/go-cid"
	mh "github.com/multiformats/go-multihash"

	"github.com/danangchain/danangchain/registry"
)

// The import parameters: those of `ipfs add --cid-version=1` in Kubo.
const (
	// ChunkSize is the fixed chunker size (Kubo: --chunker=size-262144).
	ChunkSize = 262144
	// ChunkerName is the chunker in Kubo's syntax.
	ChunkerName = "size-262144"
	// MaxLinks is the balanced layout's links per node (Kubo's default).
	MaxLinks = 174
	// KuboFlags are the flags of `ipfs add` that compute the same CIDs.
	KuboFlags = "--cid-version=1 --raw-leaves --chunker=size-262144"
)

// Codecs of the blocks a payload may contain.
const (
	CodecRaw   = cid.Raw         // 0x55
	CodecDagPB = cid.DagProtobuf // 0x70
)

// Errors. Each wraps a registry sentinel (see the package doc).
var (
	ErrBadCID       = fmt.Errorf("%w: cid", registry.ErrInvalid)
	ErrNotFound     = fmt.Errorf("%w: block", registry.ErrNotFound)
	ErrHashMismatch = fmt.Errorf("%w: bytes do not match their cid", registry.ErrInvalid)
	ErrTooLarge     = fmt.Errorf("%w: payload", registry.ErrOversize)
	ErrBadBlock     = fmt.Errorf("%w: block", registry.ErrInvalid)
	ErrBadPath      = fmt.Errorf("%w: path", registry.ErrInvalid)
	ErrDecrypt      = fmt.Errorf("%w: ciphertext", registry.ErrInvalid)
)

// maxCIDText bounds the text ParseCID looks at (a policy CID has 59
// characters; longer ones are parsed only to explain why they are refused).
const maxCIDText = 256

// ParseCID parses the text form of a payload CID and applies the policy.
// Only the canonical base32 form is accepted.
func ParseCID(s string) (cid.Cid, error) {
	switch {
	case s == "":
		return cid.Undef, fmt.Errorf("%w: empty", ErrBadCID)
	case len(s) > maxCIDText:
		return cid.Undef, fmt.Errorf("%w: longer than %d characters", ErrBadCID, maxCIDText)
	case strings.HasPrefix(s, "Qm") && len(s) == 46:
		return cid.Undef, fmt.Errorf("%w: %s is a CIDv0: only CIDv1 is accepted (ipfs add %s)", ErrBadCID, s, KuboFlags)
	case strings.ContainsAny(s, "/\\\x00.") || strings.Contains(s, ".."):
		return cid.Undef, fmt.Errorf("%w: %q is not a CID", ErrBadCID, s)
	}
	c, err := cid.Decode(s)
	if err != nil {
		return cid.Undef, fmt.Errorf("%w: %q: %v", ErrBadCID, s, err)
	}
	if err := CheckCID(c); err != nil {
		return cid.Undef, err
	}
	if c.String() != s {
		return cid.Undef, fmt.Errorf("%w: %q: write it in base32 as %s", ErrBadCID, s, c.String())
	}
	return c, nil
}

// CheckCID applies the policy to a parsed CID: version 1, sha2-256 with a
// 32-byte digest, codec raw or dag-pb.
func CheckCID(c cid.Cid) error {
	if !c.Defined() {
		return fmt.Errorf("%w: undefined", ErrBadCID)
	}
	p := c.Prefix()
	if p.Version != 1 {
		return fmt.Errorf("%w: %s is a CIDv0: only CIDv1 is accepted (ipfs add %s)", ErrBadCID, c, KuboFlags)
	}
	switch p.MhType {
	case mh.SHA2_256:
	case mh.IDENTITY:
		return fmt.Errorf("%w: %s is an identity CID (data inside the CID): not accepted", ErrBadCID, c)
	default:
		name := mh.Codes[p.MhType]
		if name == "" {
			name = fmt.Sprintf("0x%x", p.MhType)
		}
		return fmt.Errorf("%w: %s uses hash function %s: only sha2-256 is accepted", ErrBadCID, c, name)
	}
	if p.MhLength != sha256.Size {
		return fmt.Errorf("%w: %s: sha2-256 digest of %d bytes", ErrBadCID, c, p.MhLength)
	}
	if p.Codec != CodecRaw && p.Codec != CodecDagPB {
		return fmt.Errorf("%w: %s has codec 0x%x: only raw (0x55) and dag-pb (0x70) blocks", ErrBadCID, c, p.Codec)
	}
	return nil
}

// CastCID parses a binary CID and applies the policy.
func CastCID(b []byte) (cid.Cid, error) {
	c, err := cid.Cast(b)
	if err != nil {
		return cid.Undef, fmt.Errorf("%w: %v", ErrBadCID, err)
	}
	return c, CheckCID(c)
}

// BlockCID computes the CIDv1 of a block of the given codec.
func BlockCID(codec uint64, data []byte) cid.Cid {
	sum := sha256.Sum256(data)
	m, _ := mh.Encode(sum[:], mh.SHA2_256) // cannot fail for sha2-256 and 32 bytes
	return cid.NewCidV1(codec, m)
}

// VerifyBlock recomputes the CID of data and compares it with c, after
// applying the policy to c.
func VerifyBlock(c cid.Cid, data []byte) error {
	if err := CheckCID(c); err != nil {
		return err
	}
	sum := sha256.Sum256(data)
	h := c.Hash()
	if !bytes.Equal(h[len(h)-sha256.Size:], sum[:]) {
		return fmt.Errorf("%w: block %s", ErrHashMismatch, c)
	}
	return nil
}

// IsNotFound reports whether err means a block is missing.
func IsNotFound(err error) bool {
	return errors.Is(err, ErrNotFound) || isIPLDNotFound(err)
}

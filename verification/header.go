package verification

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"math/bits"
	"time"

	"github.com/danangchain/danangchain/registry"
	"google.golang.org/protobuf/encoding/protowire"
)

// BlockProtocol is the block protocol version CometBFT v0.38 headers carry.
const BlockProtocol = 11

// MaxChainIDLen bounds a chain id (as CometBFT).
const MaxChainIDLen = 50

// The range of a protobuf Timestamp: 0001-01-01 to 9999-12-31.
const (
	minTimestampSeconds = -62135596800
	maxTimestampSeconds = 253402300800 // exclusive
)

// PartSetHeader names the parts of a block.
type PartSetHeader struct {
	Total uint32
	Hash  []byte
}

// BlockID identifies a block: its header hash and its part set.
type BlockID struct {
	Hash          []byte
	PartSetHeader PartSetHeader
}

// Header is a CometBFT block header (tendermint.types.Header).
type Header struct {
	VersionBlock, VersionApp uint64
	ChainID                  string
	Height                   int64
	Time                     time.Time
	LastBlockID              BlockID
	LastCommitHash           []byte
	DataHash                 []byte
	ValidatorsHash           []byte
	NextValidatorsHash       []byte
	ConsensusHash            []byte
	AppHash                  []byte
	LastResultsHash          []byte
	EvidenceHash             []byte
	ProposerAddress          []byte
}

// ParseHeader decodes a header from its protobuf bytes and checks it as
// CometBFT's HeaderFromProto does (Header.ValidateBasic). The bytes must be
// in the canonical form gogoproto writes (what receipts require): anything
// else fails with registry.ErrMalformed.
func ParseHeader(b []byte) (*Header, error) {
	h, ok := readHeader(b)
	if !ok {
		return nil, registry.Errorf(registry.ErrMalformed, "header: bad protobuf")
	}
	if err := h.ValidateBasic(); err != nil {
		return nil, registry.Errorf(registry.ErrMalformed, "header: %v", err)
	}
	again, err := h.Marshal()
	if err != nil || !bytes.Equal(again, b) {
		return nil, registry.Errorf(registry.ErrMalformed, "header is not in canonical form")
	}
	return h, nil
}

// readHeader parses the fields of a header. Unknown fields are refused:
// the canonical form has none.
func readHeader(b []byte) (*Header, bool) {
	h := &Header{}
	secs, nanos := int64(minTimestampSeconds), int32(0)
	ok := readMessage(b, func(r *wireReader, num int32, typ int) (bool, bool) {
		if num == 3 {
			v, ok := varintField(r, typ)
			h.Height = int64(v)
			return true, ok
		}
		v, ok := bytesField(r, typ)
		if !ok {
			return true, false
		}
		switch num {
		case 1:
			ok = readMessage(v, func(r *wireReader, num int32, typ int) (bool, bool) {
				x, ok := varintField(r, typ)
				switch num {
				case 1:
					h.VersionBlock = x
				case 2:
					h.VersionApp = x
				default:
					return true, false
				}
				return true, ok
			})
		case 2:
			h.ChainID = string(v)
		case 4:
			secs, nanos = 0, 0
			ok = readMessage(v, func(r *wireReader, num int32, typ int) (bool, bool) {
				x, ok := varintField(r, typ)
				switch num {
				case 1:
					secs = int64(x)
				case 2:
					nanos = int32(x)
				default:
					return true, false
				}
				return true, ok
			})
		case 5:
			ok = readBlockID(v, &h.LastBlockID)
		case 6:
			h.LastCommitHash = v
		case 7:
			h.DataHash = v
		case 8:
			h.ValidatorsHash = v
		case 9:
			h.NextValidatorsHash = v
		case 10:
			h.ConsensusHash = v
		case 11:
			h.AppHash = v
		case 12:
			h.LastResultsHash = v
		case 13:
			h.EvidenceHash = v
		case 14:
			h.ProposerAddress = v
		default:
			return true, false
		}
		return true, ok
	})
	if !ok || secs < minTimestampSeconds || secs >= maxTimestampSeconds || nanos < 0 || nanos >= 1e9 {
		return nil, false
	}
	h.Time = time.Unix(secs, int64(nanos)).UTC()
	return h, true
}

func readBlockID(b []byte, id *BlockID) bool {
	return readMessage(b, func(r *wireReader, num int32, typ int) (bool, bool) {
		switch num {
		case 1:
			v, ok := bytesField(r, typ)
			id.Hash = v
			return true, ok
		case 2:
			v, ok := bytesField(r, typ)
			return true, ok && readMessage(v, func(r *wireReader, num int32, typ int) (bool, bool) {
				switch num {
				case 1:
					x, ok := varintField(r, typ)
					id.PartSetHeader.Total = uint32(x)
					return true, ok
				case 2:
					v, ok := bytesField(r, typ)
					id.PartSetHeader.Hash = v
					return true, ok
				}
				return true, false
			})
		}
		return true, false
	})
}

// checkHash is CometBFT's ValidateHash: empty or 32 bytes.
func checkHash(name string, h []byte) error {
	if len(h) != 0 && len(h) != sha256.Size {
		return fmt.Errorf("wrong %s: expected size to be %d bytes, got %d bytes", name, sha256.Size, len(h))
	}
	return nil
}

// ValidateBasic is CometBFT's Header.ValidateBasic.
func (h *Header) ValidateBasic() error {
	if h.VersionBlock != BlockProtocol {
		return fmt.Errorf("block protocol is incorrect: got: %d, want: %d", h.VersionBlock, BlockProtocol)
	}
	if len(h.ChainID) > MaxChainIDLen {
		return fmt.Errorf("chainID is too long; got: %d, max: %d", len(h.ChainID), MaxChainIDLen)
	}
	if h.Height <= 0 {
		return errors.New("non-positive Height")
	}
	if err := h.LastBlockID.ValidateBasic(); err != nil {
		return fmt.Errorf("wrong LastBlockID: %w", err)
	}
	for _, f := range []struct {
		name string
		h    []byte
	}{{"LastCommitHash", h.LastCommitHash}, {"DataHash", h.DataHash}, {"EvidenceHash", h.EvidenceHash}} {
		if err := checkHash(f.name, f.h); err != nil {
			return err
		}
	}
	if len(h.ProposerAddress) != addressSize {
		return fmt.Errorf("invalid ProposerAddress length; got: %d, expected: %d", len(h.ProposerAddress), addressSize)
	}
	for _, f := range []struct {
		name string
		h    []byte
	}{{"ValidatorsHash", h.ValidatorsHash}, {"NextValidatorsHash", h.NextValidatorsHash},
		{"ConsensusHash", h.ConsensusHash}, {"LastResultsHash", h.LastResultsHash}} {
		if err := checkHash(f.name, f.h); err != nil {
			return err
		}
	}
	return nil
}

// ValidateBasic is CometBFT's BlockID.ValidateBasic: each hash empty or 32
// bytes.
func (id BlockID) ValidateBasic() error {
	if err := checkHash("Hash", id.Hash); err != nil {
		return err
	}
	return checkHash("PartSetHeader Hash", id.PartSetHeader.Hash)
}

// marshal is the BlockID protobuf (the part-set header always written).
func (id BlockID) marshal() []byte {
	var ps []byte
	ps = appendVarintField(ps, 1, uint64(id.PartSetHeader.Total))
	ps = appendBytesField(ps, 2, id.PartSetHeader.Hash)
	var b []byte
	b = appendBytesField(b, 1, id.Hash)
	return appendMessageField(b, 2, ps)
}

// marshalTimestamp is gogoproto's StdTimeMarshal: a Timestamp in the range
// 0001-01-01 to 9999-12-31.
func marshalTimestamp(t time.Time) ([]byte, error) {
	s := t.Unix()
	if s < minTimestampSeconds || s >= maxTimestampSeconds {
		return nil, fmt.Errorf("timestamp %v out of range", t)
	}
	var b []byte
	b = appendVarintField(b, 1, uint64(s))
	return appendVarintField(b, 2, uint64(t.Nanosecond())), nil
}

func (h *Header) marshalVersion() []byte {
	var b []byte
	b = appendVarintField(b, 1, h.VersionBlock)
	return appendVarintField(b, 2, h.VersionApp)
}

// Marshal returns the header's protobuf bytes as gogoproto writes them.
func (h *Header) Marshal() ([]byte, error) {
	ts, err := marshalTimestamp(h.Time)
	if err != nil {
		return nil, err
	}
	b := make([]byte, 0, 256+len(h.AppHash)+len(h.ChainID))
	b = appendMessageField(b, 1, h.marshalVersion())
	b = appendBytesField(b, 2, []byte(h.ChainID))
	b = appendVarintField(b, 3, uint64(h.Height))
	b = appendMessageField(b, 4, ts)
	b = appendMessageField(b, 5, h.LastBlockID.marshal())
	for i, f := range [][]byte{h.LastCommitHash, h.DataHash, h.ValidatorsHash, h.NextValidatorsHash,
		h.ConsensusHash, h.AppHash, h.LastResultsHash, h.EvidenceHash, h.ProposerAddress} {
		b = appendBytesField(b, protowire.Number(6+i), f)
	}
	return b, nil
}

// Hash is CometBFT's Header.Hash: the Merkle root of the header's fields,
// each encoded on its own (nil without a validators hash).
func (h *Header) Hash() []byte {
	if h == nil || len(h.ValidatorsHash) == 0 {
		return nil
	}
	ts, err := marshalTimestamp(h.Time)
	if err != nil {
		return nil
	}
	// cdcEncode: gogoproto's wrapper types (StringValue, Int64Value,
	// BytesValue), field 1 of each, empty when the value is.
	wrap := func(v []byte) []byte { return appendBytesField(nil, 1, v) }
	return merkleRoot([][]byte{
		h.marshalVersion(),
		wrap([]byte(h.ChainID)),
		appendVarintField(nil, 1, uint64(h.Height)),
		ts,
		h.LastBlockID.marshal(),
		wrap(h.LastCommitHash),
		wrap(h.DataHash),
		wrap(h.ValidatorsHash),
		wrap(h.NextValidatorsHash),
		wrap(h.ConsensusHash),
		wrap(h.AppHash),
		wrap(h.LastResultsHash),
		wrap(h.EvidenceHash),
		wrap(h.ProposerAddress),
	})
}

// merkleRoot is CometBFT's merkle.HashFromByteSlices (RFC 6962: leaves
// prefixed 0x00, inner nodes 0x01, split at the largest power of two
// below the count).
func merkleRoot(items [][]byte) []byte {
	switch len(items) {
	case 0:
		h := sha256.Sum256(nil)
		return h[:]
	case 1:
		h := sha256.Sum256(append([]byte{0}, items[0]...))
		return h[:]
	}
	k := 1 << (bits.Len(uint(len(items))) - 1)
	if k == len(items) {
		k >>= 1
	}
	s := sha256.New()
	s.Write([]byte{1})
	s.Write(merkleRoot(items[:k]))
	s.Write(merkleRoot(items[k:]))
	return s.Sum(nil)
}

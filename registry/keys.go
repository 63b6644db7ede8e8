package registry

import "encoding/binary"

// State key prefixes. The layout is part of the public contract: proofs
// are made for these keys (see docs/tx-format.md).
const (
	PrefixParams    = 'p' // p            -> Params
	PrefixCouncil   = 'c' // c|pub        -> council member name
	PrefixAgency    = 'a' // a|agency id  -> Agency
	PrefixKey       = 'k' // k|pub        -> KeyRecord
	PrefixValidator = 'v' // v|pub        -> Validator
	PrefixProposal  = 'g' // g|id(8 BE)   -> Proposal
	PrefixSeq       = 's' // s|name       -> uint64 sequence
	PrefixReplay    = 'n' // n|expiry(8 BE)|pub|nonce -> empty
)

// Prefixes reserved per record family (each family's file documents its
// keys): administrative results 'r' 'h' 'i' 'j' 'q'; provenance 'A' 'B' 'E'
// 'F' 'I' 'O' 'S' 'T' 'U' 'Z'; notary 'b' 'o' 'x' 'y' 'w'; anchors 'd'.

// ParamsKey is the key of the chain parameters.
func ParamsKey() []byte { return []byte{PrefixParams} }

// CouncilKey is the key of a council member.
func CouncilKey(pub []byte) []byte { return append([]byte{PrefixCouncil}, pub...) }

// AgencyKey is the key of an agency.
func AgencyKey(id string) []byte { return append([]byte{PrefixAgency}, id...) }

// KeyRecordKey is the key of a signing key's record.
func KeyRecordKey(pub []byte) []byte { return append([]byte{PrefixKey}, pub...) }

// ValidatorKey is the key of a validator.
func ValidatorKey(pub []byte) []byte { return append([]byte{PrefixValidator}, pub...) }

// ProposalKey is the key of a governance proposal.
func ProposalKey(id uint64) []byte { return binary.BigEndian.AppendUint64([]byte{PrefixProposal}, id) }

// SeqKey is the key of a named sequence counter.
func SeqKey(name string) []byte { return append([]byte{PrefixSeq}, name...) }

func replayKey(expiry uint64, pub, nonce []byte) []byte {
	k := make([]byte, 0, 1+8+len(pub)+len(nonce))
	k = append(k, PrefixReplay)
	k = binary.BigEndian.AppendUint64(k, expiry)
	k = append(k, pub...)
	return append(k, nonce...)
}

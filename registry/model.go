package registry

import (
	"bytes"
	"sort"
)

// Params are the chain's governance parameters, set in genesis.
type Params struct {
	// A proposal passes when yes*QuorumDen > QuorumNum*councilSize.
	QuorumNum uint64 `json:"quorum_num"`
	QuorumDen uint64 `json:"quorum_den"`
	// VotingPeriod is how many blocks a proposal stays open.
	VotingPeriod uint64 `json:"voting_period"`
	// MaxTxTTL bounds ExpiresAt - height for incoming txs.
	MaxTxTTL uint64 `json:"max_tx_ttl"`
	// PayloadQuotaBytes is how many bytes of payload blocks one agency may
	// upload per PayloadQuotaPeriod blocks (every byte is stored by every
	// validator, twice); governance overrides it per agency
	// (SetPayloadQuota). Both absent from a genesis file: the defaults.
	PayloadQuotaBytes  uint64 `json:"payload_quota_bytes"`
	PayloadQuotaPeriod uint64 `json:"payload_quota_period"`
	// CommitTime and CommitMemoryKiB are the Argon2id cost of holder,
	// owner and party commitments (Commit): what searching an identifier
	// space costs an attacker per candidate. Absent from a genesis file:
	// the defaults (3 passes over 64 MiB).
	CommitTime      uint64 `json:"commit_time"`
	CommitMemoryKiB uint64 `json:"commit_memory_kib"`
	// PropertyKeyTime and PropertyKeyMemoryKiB are the Argon2id cost of
	// property keys (PropertyKeying): what enumerating parcels costs per
	// candidate. Both absent from a genesis file (chains created before
	// them): version 1 keys, SHA-256. Fixed at genesis.
	PropertyKeyTime      uint64 `json:"property_key_time"`
	PropertyKeyMemoryKiB uint64 `json:"property_key_memory_kib"`
}

// DefaultParams: strictly more than 2/3 of the council, one week of 1 s
// blocks to vote, txs valid for at most 10,000 blocks.
func DefaultParams() Params {
	return Params{QuorumNum: 2, QuorumDen: 3, VotingPeriod: 604800, MaxTxTTL: 10000,
		PayloadQuotaBytes: DefaultPayloadQuotaBytes, PayloadQuotaPeriod: DefaultPayloadQuotaPeriod,
		CommitTime: DefaultCommitTime, CommitMemoryKiB: DefaultCommitMemoryKiB,
		PropertyKeyTime: DefaultPropertyKeyTime, PropertyKeyMemoryKiB: DefaultPropertyKeyMemoryKiB}
}

// Default Argon2id cost of property keys: 6 passes over 64 MiB (about
// 0.4 s a key on the project's VM; docs/privacy.md).
const (
	DefaultPropertyKeyTime      = 6
	DefaultPropertyKeyMemoryKiB = 64 << 10
)

// Payload quota defaults: 256 MiB per agency per 86,400 blocks (a day of
// 1 s blocks).
const (
	DefaultPayloadQuotaBytes  = 256 << 20
	DefaultPayloadQuotaPeriod = 86400
)

// WithDefaults fills the payload quota when a genesis file predates it
// (both fields zero).
func (p Params) WithDefaults() Params {
	if p.PayloadQuotaBytes == 0 && p.PayloadQuotaPeriod == 0 {
		p.PayloadQuotaBytes, p.PayloadQuotaPeriod = DefaultPayloadQuotaBytes, DefaultPayloadQuotaPeriod
	}
	if p.CommitTime == 0 && p.CommitMemoryKiB == 0 {
		p.CommitTime, p.CommitMemoryKiB = DefaultCommitTime, DefaultCommitMemoryKiB
	}
	return p
}

// Validate checks the parameters.
func (p Params) Validate() error {
	if p.QuorumDen == 0 || p.QuorumNum == 0 || p.QuorumNum >= p.QuorumDen {
		return Errorf(ErrInvalid, "quorum must be a fraction in (0,1)")
	}
	if p.VotingPeriod == 0 || p.MaxTxTTL == 0 {
		return Errorf(ErrInvalid, "voting_period and max_tx_ttl must be positive")
	}
	if p.PayloadQuotaPeriod == 0 || p.PayloadQuotaPeriod > 1<<40 || p.PayloadQuotaBytes > 1<<50 {
		return Errorf(ErrInvalid, "payload_quota_period must be positive; payload quota out of range")
	}
	if p.CommitTime < 1 || p.CommitTime > 16 || p.CommitMemoryKiB < 8<<10 || p.CommitMemoryKiB > 1<<20 {
		return Errorf(ErrInvalid, "commit_time must be 1..16 and commit_memory_kib 8192..1048576")
	}
	if (p.PropertyKeyTime == 0) != (p.PropertyKeyMemoryKiB == 0) ||
		p.PropertyKeyTime > 64 || (p.PropertyKeyTime > 0 && (p.PropertyKeyMemoryKiB < 8<<10 || p.PropertyKeyMemoryKiB > 1<<20)) {
		return Errorf(ErrInvalid, "property_key_time must be 1..64 and property_key_memory_kib 8192..1048576 (both 0: version-1 keys)")
	}
	if p.VotingPeriod > 1<<40 || p.MaxTxTTL > 1_000_000 || p.QuorumDen > 1<<20 {
		return Errorf(ErrInvalid, "voting_period, max_tx_ttl or quorum out of range")
	}
	return nil
}

// Encode writes the canonical form.
func (p Params) Encode(e *Encoder) {
	e.Uint(p.QuorumNum)
	e.Uint(p.QuorumDen)
	e.Uint(p.VotingPeriod)
	e.Uint(p.MaxTxTTL)
	e.Uint(p.PayloadQuotaBytes)
	e.Uint(p.PayloadQuotaPeriod)
	e.Uint(p.CommitTime)
	e.Uint(p.CommitMemoryKiB)
	e.Uint(p.PropertyKeyTime)
	e.Uint(p.PropertyKeyMemoryKiB)
}

// DecodeParams reads the canonical form.
func DecodeParams(b []byte) (Params, error) {
	d := NewDecoder(b)
	p := Params{QuorumNum: d.Uint(), QuorumDen: d.Uint(), VotingPeriod: d.Uint(), MaxTxTTL: d.Uint(),
		PayloadQuotaBytes: d.Uint(), PayloadQuotaPeriod: d.Uint(), CommitTime: d.Uint(), CommitMemoryKiB: d.Uint(),
		PropertyKeyTime: d.Uint(), PropertyKeyMemoryKiB: d.Uint()}
	return p, d.Finish()
}

// AgencyStatus is the lifecycle state of an agency.
type AgencyStatus uint64

// Agency statuses.
const (
	AgencyActive    AgencyStatus = 1
	AgencySuspended AgencyStatus = 2
	AgencyRemoved   AgencyStatus = 3
)

func (s AgencyStatus) String() string {
	switch s {
	case AgencyActive:
		return "active"
	case AgencySuspended:
		return "suspended"
	case AgencyRemoved:
		return "removed"
	}
	return "unknown"
}

// ParseAgencyStatus parses "active", "suspended" or "removed".
func ParseAgencyStatus(s string) (AgencyStatus, error) {
	for _, st := range []AgencyStatus{AgencyActive, AgencySuspended, AgencyRemoved} {
		if st.String() == s {
			return st, nil
		}
	}
	return 0, Errorf(ErrInvalid, "unknown agency status %q", s)
}

// Agency is a body registered by the council.
type Agency struct {
	ID            string
	Name          string // Vietnamese, NFC
	Roles         []string
	Status        AgencyStatus
	CreatedHeight uint64
}

// HasRole reports whether the agency holds role.
func (a *Agency) HasRole(role string) bool {
	for _, r := range a.Roles {
		if r == role {
			return true
		}
	}
	return false
}

// Encode writes the canonical form.
func (a *Agency) Encode(e *Encoder) {
	e.String(a.ID)
	e.String(a.Name)
	e.Strings(a.Roles)
	e.Uint(uint64(a.Status))
	e.Uint(a.CreatedHeight)
}

// DecodeAgency reads the canonical form.
func DecodeAgency(b []byte) (*Agency, error) {
	d := NewDecoder(b)
	a := &Agency{ID: d.String(), Name: d.String(), Roles: d.Strings(64), Status: AgencyStatus(d.Uint()), CreatedHeight: d.Uint()}
	return a, d.Finish()
}

// KeyKind says what a signing key belongs to.
type KeyKind uint64

// Key kinds.
const (
	KeyCouncil  KeyKind = 1 // a council member's governance key
	KeyAgency   KeyKind = 2 // an agency's main key (managed by the council)
	KeyOfficial KeyKind = 3 // an official's sub-key (managed by the agency)
)

func (k KeyKind) String() string {
	switch k {
	case KeyCouncil:
		return "council"
	case KeyAgency:
		return "agency"
	case KeyOfficial:
		return "official"
	}
	return "unknown"
}

// KeyRecord is the on-chain record of a signing key. Revocation is final
// and never erases what the key signed before.
type KeyRecord struct {
	PubKey        []byte
	Kind          KeyKind
	Owner         string // agency id; empty for council keys
	Label         string // e.g. "Cán bộ một cửa 01" — never a person's name
	Revoked       bool
	AddedHeight   uint64
	RevokedHeight uint64
	RevokeReason  string
	// Scope lists the message names (MsgName, e.g. "result/inspect") an
	// official's sub-key may sign; a sub-key signs nothing else. Empty for
	// main and council keys (their roles decide).
	Scope []string
	// CompromisedSince (0: never) is the first height from which the key
	// is known to be in someone else's hands: what it signed at or after
	// it verifies as "signed by a compromised key", never valid.
	CompromisedSince uint64
}

// Encode writes the canonical form.
func (k *KeyRecord) Encode(e *Encoder) {
	e.Bytes(k.PubKey)
	e.Uint(uint64(k.Kind))
	e.String(k.Owner)
	e.String(k.Label)
	e.Bool(k.Revoked)
	e.Uint(k.AddedHeight)
	e.Uint(k.RevokedHeight)
	e.String(k.RevokeReason)
	// Optional trailer, written only when one of its fields is set so the
	// encoding stays canonical.
	if len(k.Scope) > 0 || k.CompromisedSince > 0 {
		e.Strings(k.Scope)
		e.Uint(k.CompromisedSince)
	}
}

// DecodeKeyRecord reads the canonical form.
func DecodeKeyRecord(b []byte) (*KeyRecord, error) {
	d := NewDecoder(b)
	k := &KeyRecord{PubKey: d.Bytes(), Kind: KeyKind(d.Uint()), Owner: d.String(), Label: d.String(),
		Revoked: d.Bool(), AddedHeight: d.Uint(), RevokedHeight: d.Uint(), RevokeReason: d.String()}
	if d.More() {
		k.Scope, k.CompromisedSince = d.Strings(MaxScope), d.Uint()
		if len(k.Scope) == 0 && k.CompromisedSince == 0 && d.Err() == nil {
			return nil, Errorf(ErrMalformed, "key record: an empty trailer is written as none")
		}
		if len(k.Scope) == 0 {
			k.Scope = nil
		}
	}
	return k, d.Finish()
}

// Validator is a city node with voting power.
type Validator struct {
	PubKey []byte
	Power  uint64
	Name   string
}

// Encode writes the canonical form.
func (v *Validator) Encode(e *Encoder) {
	e.Bytes(v.PubKey)
	e.Uint(v.Power)
	e.String(v.Name)
}

// DecodeValidator reads the canonical form.
func DecodeValidator(b []byte) (*Validator, error) {
	d := NewDecoder(b)
	v := &Validator{PubKey: d.Bytes(), Power: d.Uint(), Name: d.String()}
	return v, d.Finish()
}

// ProposalStatus is the state of a governance proposal.
type ProposalStatus uint64

// Proposal statuses. Expired is derived (open and past its deadline).
const (
	ProposalOpen     ProposalStatus = 1
	ProposalExecuted ProposalStatus = 2
	ProposalRejected ProposalStatus = 3
	ProposalFailed   ProposalStatus = 4
	ProposalExpired  ProposalStatus = 5
)

func (s ProposalStatus) String() string {
	switch s {
	case ProposalOpen:
		return "open"
	case ProposalExecuted:
		return "executed"
	case ProposalRejected:
		return "rejected"
	case ProposalFailed:
		return "failed"
	case ProposalExpired:
		return "expired"
	}
	return "unknown"
}

// Proposal is a council decision in progress or done.
type Proposal struct {
	ID           uint64
	Action       Action
	Description  string
	Proposer     []byte
	SubmitHeight uint64
	SubmitTime   uint64 // unix seconds, block time
	Deadline     uint64 // last height at which votes count
	Yes          [][]byte
	No           [][]byte
	Status       ProposalStatus
	DoneHeight   uint64
	FailReason   string
}

// StatusAt returns the status as of height (open proposals past their
// deadline are expired).
func (p *Proposal) StatusAt(height uint64) ProposalStatus {
	if p.Status == ProposalOpen && height > p.Deadline {
		return ProposalExpired
	}
	return p.Status
}

// HasVoted reports whether pub voted.
func (p *Proposal) HasVoted(pub []byte) bool {
	for _, l := range [][][]byte{p.Yes, p.No} {
		for _, k := range l {
			if bytes.Equal(k, pub) {
				return true
			}
		}
	}
	return false
}

// Encode writes the canonical form.
func (p *Proposal) Encode(e *Encoder) {
	e.Uint(p.ID)
	EncodeAction(e, p.Action)
	e.String(p.Description)
	e.Bytes(p.Proposer)
	e.Uint(p.SubmitHeight)
	e.Uint(p.SubmitTime)
	e.Uint(p.Deadline)
	encodeKeyList(e, p.Yes)
	encodeKeyList(e, p.No)
	e.Uint(uint64(p.Status))
	e.Uint(p.DoneHeight)
	e.String(p.FailReason)
}

// DecodeProposal reads the canonical form.
func DecodeProposal(b []byte) (*Proposal, error) {
	d := NewDecoder(b)
	p := &Proposal{ID: d.Uint()}
	p.Action = DecodeActionFrom(d)
	p.Description = d.String()
	p.Proposer = d.Bytes()
	p.SubmitHeight = d.Uint()
	p.SubmitTime = d.Uint()
	p.Deadline = d.Uint()
	p.Yes = decodeKeyList(d)
	p.No = decodeKeyList(d)
	p.Status = ProposalStatus(d.Uint())
	p.DoneHeight = d.Uint()
	p.FailReason = d.String()
	return p, d.Finish()
}

func encodeKeyList(e *Encoder, keys [][]byte) {
	e.Uint(uint64(len(keys)))
	for _, k := range keys {
		e.Bytes(k)
	}
}

func decodeKeyList(d *Decoder) [][]byte {
	n := d.Count(1024, 1)
	out := make([][]byte, 0, n)
	for i := 0; i < n; i++ {
		out = append(out, d.Bytes())
	}
	return out
}

// sortedUnique sorts strings and reports whether they were all distinct.
func sortedUnique(ss []string) ([]string, bool) {
	out := append([]string(nil), ss...)
	sort.Strings(out)
	for i := 1; i < len(out); i++ {
		if out[i] == out[i-1] {
			return out, false
		}
	}
	return out, true
}

// encode is a helper returning the canonical bytes of a value.
func encode(f func(*Encoder)) []byte {
	e := NewEncoder(128)
	f(e)
	return e.Out()
}

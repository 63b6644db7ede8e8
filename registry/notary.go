package registry

// The notary registry (công chứng): blocking notices (thông tin ngăn chặn)
// and their releases (giải tỏa), the Department of Justice's authorisation
// of notary offices, and notarised contracts anchored by those offices.
//
// Rule of the chain: a contract of a restricted type (a transfer or an
// encumbrance: sale, gift, mortgage, ...) naming a property with an active
// blocking notice is rejected with ErrBlocked, naming only the notice ids.
//
// State layout (prefixes reserved for the notary family):
//
//	b | id (8 BE)                     -> BlockNotice (the notice and, once lifted, its release)
//	x | property key (32)             -> ActiveBlocks: ascending uvarint ids of the active
//	                                     notices on that property; deleted when none is left,
//	                                     so "no active block" is an ICS23 non-membership proof
//	w | agency id | 0x00 | ref        -> notice id (8 BE): one notice per (authority, reference)
//	o | agency id                     -> OfficeAuth: authorisation of a notary office by the
//	                                     notary.authority (Sở Tư pháp)
//	y | contract file SHA-256 (32)    -> Contract
//	s | "notary/block"                -> last notice id (the shared sequence table)
//
// Notice ids increase, so 'b' keys are appended at the right edge of the
// tree. A property key is SHA-256 of its normalised identifier (see
// ParseProperty); the chain never sees the identifier itself.

import (
	"bytes"
	"encoding/binary"
	"sort"
	"strconv"
	"strings"
)

// Notary message types (range 40-49).
const (
	MsgTypeNotaryBlock     MsgType = 40
	MsgTypeNotaryRelease   MsgType = 41
	MsgTypeNotaryAuthorize MsgType = 42
	MsgTypeNotaryContract  MsgType = 43
)

// notaryMsgs lists the notary messages (types 40-49).
func notaryMsgs() []msgKind {
	return []msgKind{
		{MsgTypeNotaryBlock, "notary/block", decodeNotaryBlock},
		{MsgTypeNotaryRelease, "notary/release", decodeNotaryRelease},
		{MsgTypeNotaryAuthorize, "notary/authorize-office", decodeNotaryAuthorize},
		{MsgTypeNotaryContract, "notary/contract", decodeNotaryContract},
	}
}

// Notary state key prefixes.
const (
	PrefixNotaryBlock    = 'b'
	PrefixNotaryActive   = 'x'
	PrefixNotaryRef      = 'w'
	PrefixNotaryOffice   = 'o'
	PrefixNotaryContract = 'y'
)

// Limits of the notary messages.
const (
	// MaxNotaryProperties bounds the properties of one notice or contract.
	MaxNotaryProperties = 100
	// MaxNotaryParties bounds the party commitments of one contract.
	MaxNotaryParties = 20
	// MaxActiveBlocks bounds the active notices on one property.
	MaxActiveBlocks = 64
	// MaxNotaryRef bounds a document reference number, in bytes.
	MaxNotaryRef = 64
)

// notaryBlockSeq names the notice id sequence.
const notaryBlockSeq = "notary/block"

// NotaryBlockKey is the state key of blocking notice id.
func NotaryBlockKey(id uint64) []byte {
	return binary.BigEndian.AppendUint64([]byte{PrefixNotaryBlock}, id)
}

// NotaryActiveKey is the state key of a property's active notice ids.
func NotaryActiveKey(property []byte) []byte {
	return append([]byte{PrefixNotaryActive}, property...)
}

// NotaryRefKey is the state key reserving a notice reference number of an
// authority.
func NotaryRefKey(agency, ref string) []byte {
	k := make([]byte, 0, 2+len(agency)+len(ref))
	k = append(k, PrefixNotaryRef)
	k = append(k, agency...)
	k = append(k, 0)
	return append(k, ref...)
}

// NotaryOfficeKey is the state key of a notary office's authorisation.
func NotaryOfficeKey(agency string) []byte {
	return append([]byte{PrefixNotaryOffice}, agency...)
}

// NotaryContractKey is the state key of a notarised contract.
func NotaryContractKey(fileHash []byte) []byte {
	return append([]byte{PrefixNotaryContract}, fileHash...)
}

// BlockReason is the category of a blocking notice. Numbers are stable.
type BlockReason uint64

// Reason categories. The free text of the decision stays off chain: only
// its reference number and SHA-256 are recorded.
const (
	ReasonCourtInjunction BlockReason = 1 // biện pháp khẩn cấp tạm thời của Tòa án
	ReasonEnforcement     BlockReason = 2 // thi hành án dân sự (kê biên, tạm dừng giao dịch)
	ReasonCriminal        BlockReason = 3 // tố tụng hình sự (kê biên, phong tỏa tài sản)
	ReasonDispute         BlockReason = 4 // tranh chấp đang được giải quyết
	ReasonAdministrative  BlockReason = 5 // quyết định hành chính (cưỡng chế, thu hồi)
	ReasonOther           BlockReason = 6 // yêu cầu khác của cơ quan có thẩm quyền
)

var blockReasons = []struct {
	r      BlockReason
	name   string
	viName string
}{
	{ReasonCourtInjunction, "court-injunction", "Biện pháp khẩn cấp tạm thời"},
	{ReasonEnforcement, "enforcement", "Thi hành án dân sự"},
	{ReasonCriminal, "criminal-proceedings", "Tố tụng hình sự"},
	{ReasonDispute, "dispute", "Tranh chấp"},
	{ReasonAdministrative, "administrative", "Quyết định hành chính"},
	{ReasonOther, "other", "Khác"},
}

func (r BlockReason) String() string {
	for _, x := range blockReasons {
		if x.r == r {
			return x.name
		}
	}
	return "unknown"
}

// VI is the Vietnamese name of the category.
func (r BlockReason) VI() string {
	for _, x := range blockReasons {
		if x.r == r {
			return x.viName
		}
	}
	return ""
}

// Valid reports whether r is a known category.
func (r BlockReason) Valid() bool { return r.String() != "unknown" }

// ParseBlockReason parses a category name (or its number).
func ParseBlockReason(s string) (BlockReason, error) {
	for _, x := range blockReasons {
		if x.name == s || strconv.FormatUint(uint64(x.r), 10) == s {
			return x.r, nil
		}
	}
	return 0, Errorf(ErrInvalid, "unknown reason category %q (want one of %s)", s, strings.Join(BlockReasonNames(), ", "))
}

// BlockReasonNames lists the category names.
func BlockReasonNames() []string {
	var out []string
	for _, x := range blockReasons {
		out = append(out, x.name)
	}
	return out
}

// ContractType is the kind of a notarised contract. Numbers are stable.
type ContractType uint64

// Contract types. Every type except lease is restricted: it cannot be
// notarised on a property under an active blocking notice.
const (
	ContractSale                ContractType = 1 // hợp đồng mua bán, chuyển nhượng
	ContractGift                ContractType = 2 // hợp đồng tặng cho
	ContractMortgage            ContractType = 3 // hợp đồng thế chấp
	ContractExchange            ContractType = 4 // hợp đồng trao đổi
	ContractCapitalContribution ContractType = 5 // hợp đồng góp vốn
	ContractInheritance         ContractType = 6 // văn bản phân chia, khai nhận di sản
	ContractAuthorisation       ContractType = 7 // hợp đồng ủy quyền (incl. the power to dispose)
	ContractLease               ContractType = 8 // hợp đồng thuê, cho thuê
	ContractOther               ContractType = 9 // giao dịch khác về tài sản
)

var contractTypes = []struct {
	t          ContractType
	name       string
	viName     string
	restricted bool
}{
	{ContractSale, "sale", "Mua bán, chuyển nhượng", true},
	{ContractGift, "gift", "Tặng cho", true},
	{ContractMortgage, "mortgage", "Thế chấp", true},
	{ContractExchange, "exchange", "Trao đổi", true},
	{ContractCapitalContribution, "capital-contribution", "Góp vốn", true},
	{ContractInheritance, "inheritance", "Phân chia, khai nhận di sản", true},
	{ContractAuthorisation, "authorisation", "Ủy quyền", true},
	{ContractLease, "lease", "Thuê, cho thuê", false},
	{ContractOther, "other", "Giao dịch khác", true},
}

func (t ContractType) String() string {
	for _, x := range contractTypes {
		if x.t == t {
			return x.name
		}
	}
	return "unknown"
}

// VI is the Vietnamese name of the type.
func (t ContractType) VI() string {
	for _, x := range contractTypes {
		if x.t == t {
			return x.viName
		}
	}
	return ""
}

// Valid reports whether t is a known type.
func (t ContractType) Valid() bool { return t.String() != "unknown" }

// Restricted reports whether an active blocking notice forbids t.
func (t ContractType) Restricted() bool {
	for _, x := range contractTypes {
		if x.t == t {
			return x.restricted
		}
	}
	return true
}

// ParseContractType parses a type name (or its number).
func ParseContractType(s string) (ContractType, error) {
	for _, x := range contractTypes {
		if x.name == s || strconv.FormatUint(uint64(x.t), 10) == s {
			return x.t, nil
		}
	}
	return 0, Errorf(ErrInvalid, "unknown contract type %q (want one of %s)", s, strings.Join(ContractTypeNames(), ", "))
}

// ContractTypeNames lists the type names.
func ContractTypeNames() []string {
	var out []string
	for _, x := range contractTypes {
		out = append(out, x.name)
	}
	return out
}

// checkHashList checks a list of SHA-256 values: 1..max entries, each 32
// bytes, strictly ascending (hence unique), so the encoding is canonical.
func checkHashList(field string, list [][]byte, max int) error {
	if len(list) == 0 {
		return Errorf(ErrInvalid, "%s: want 1..%d entries, got none", field, max)
	}
	return checkHashListMax(field, list, max)
}

// checkHashListMax is checkHashList allowing an empty list.
func checkHashListMax(field string, list [][]byte, max int) error {
	if len(list) > max {
		return Errorf(ErrInvalid, "%s: want at most %d entries, got %d", field, max, len(list))
	}
	for i, h := range list {
		if len(h) != HashSize {
			return Errorf(ErrInvalid, "%s[%d] must be %d bytes (SHA-256)", field, i, HashSize)
		}
		if i > 0 && bytes.Compare(list[i-1], h) >= 0 {
			return Errorf(ErrInvalid, "%s must be sorted ascending without duplicates", field)
		}
	}
	return nil
}

// SortHashes sorts a list of hashes and drops duplicates (for clients
// building messages).
func SortHashes(list [][]byte) [][]byte {
	out := make([][]byte, 0, len(list))
	for _, h := range list {
		out = append(out, bytes.Clone(h))
	}
	sort.Slice(out, func(i, j int) bool { return bytes.Compare(out[i], out[j]) < 0 })
	w := 0
	for i, h := range out {
		if i == 0 || !bytes.Equal(out[w-1], h) {
			out[w] = h
			w++
		}
	}
	return out[:w]
}

// checkOptionalHash accepts an empty value or a SHA-256.
func checkOptionalHash(field string, h []byte) error {
	if len(h) != 0 && len(h) != HashSize {
		return Errorf(ErrInvalid, "%s must be empty or %d bytes (SHA-256)", field, HashSize)
	}
	return nil
}

// checkNotaryRef checks a document reference number such as
// "123/2025/QĐ-CCTHADS": NFC, 1..64 bytes, letters, digits and / - . _ ( )
// only. No spaces, so no room for names or free text.
func checkNotaryRef(field, s string) error {
	if err := CheckNFC(s); err != nil {
		return err
	}
	if len(s) == 0 || len(s) > MaxNotaryRef {
		return Errorf(ErrInvalid, "%s must be 1..%d bytes", field, MaxNotaryRef)
	}
	for _, r := range s {
		if isRefRune(r) {
			continue
		}
		return Errorf(ErrInvalid, "%s may hold letters, digits and / - . _ ( ) only, not %q", field, r)
	}
	return nil
}

// isRefRune uses explicit ranges rather than unicode.IsLetter: Unicode
// tables change between Go releases, and validators built with different
// Go versions must accept exactly the same transactions.
func isRefRune(r rune) bool {
	switch {
	case r >= '0' && r <= '9', r >= 'A' && r <= 'Z', r >= 'a' && r <= 'z':
		return true
	case strings.ContainsRune("/-._()", r):
		return true
	case r >= 0xC0 && r <= 0x24F && r != 0xD7 && r != 0xF7: // Latin letters with diacritics (Đ, Ư, Ơ, ...)
		return true
	case r >= 0x1E00 && r <= 0x1EFF: // Latin Extended Additional (Vietnamese tone marks: Ả, Ệ, ...)
		return true
	}
	return false
}

func encodeHashList(e *Encoder, list [][]byte) {
	e.Uint(uint64(len(list)))
	for _, h := range list {
		e.Bytes(h)
	}
}

func decodeHashList(d *Decoder, max int) [][]byte {
	n := d.Count(max, 1)
	out := make([][]byte, 0, n)
	for i := 0; i < n; i++ {
		out = append(out, d.Bytes())
	}
	return out
}

func joinIDs(ids []uint64) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = strconv.FormatUint(id, 10)
	}
	return strings.Join(parts, ", ")
}

// shortKey is a property key as printed in errors and events (hex).
func shortKey(k []byte) string { return hexs(k) }

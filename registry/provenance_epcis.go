package registry

// GS1 EPCIS 2.0 events as the chain records them, and their CBV 2.0
// event hash (the "EPCIS Event Hash ID").
//
// The chain never parses JSON: clients (client/epcis) turn an EPCIS 2.0
// JSON/JSON-LD document into EPCISEvent values with every identifier in
// canonical form (GS1 Digital Link URIs on https://id.gs1.org, trace code
// URNs), CBV vocabulary in bare form ("shipping"), times as unix
// milliseconds and lists sorted. The chain recomputes the event hash from
// those fields, deterministically, and anchors the event under it.
//
// The pre-hash string follows CBV 2.0 section 8.9 (the GS1 reference
// implementation is github.com/RalphTro/epcis-event-hash-generator):
// "eventType=<type>" then, in the canonical property order, each present
// field as key=value with no separators — eventTime (UTC, millisecond
// precision, 'Z'), eventTimeZoneOffset, epcList/parentID/inputEPCList/
// childEPCs (each "epc=<uri>", sorted), quantity lists (each
// "quantityElement" + "epcClass=..quantity=..uom=..", sorted), outputEPCList,
// outputQuantityList, action, transformationID, bizStep, disposition (CBV
// terms expanded to https://ref.gs1.org/cbv/...), "readPointid=",
// "bizLocationid=", bizTransactionList/sourceList/destinationList (each
// "<field>=<id>type=<type uri>", sorted) — then SHA-256, printed as
// ni:///sha-256;<hex>?ver=CBV2.0. eventID, recordTime and errorDeclaration
// are not hashed, so an error declaration has the hash of the event it
// corrects. Fields the chain does not record (ILMD, sensor data,
// persistentDisposition, certificationInfo, user extensions) are not
// hashed either: for events without them the hash equals the standard
// EPCIS Event Hash ID; client/epcis warns when it drops such fields.

import (
	"bytes"
	"encoding/hex"
	"sort"
	"strings"
	"time"
)

// EventType is the kind of an EPCIS event.
type EventType uint64

// Event types recorded by the chain: EPCIS 2.0's five.
const (
	EventObject         EventType = 1
	EventAggregation    EventType = 2
	EventTransformation EventType = 3
	EventTransaction    EventType = 4 // version-2 hash only
	EventAssociation    EventType = 5 // version-2 hash only
)

func (t EventType) String() string {
	switch t {
	case EventObject:
		return "ObjectEvent"
	case EventAggregation:
		return "AggregationEvent"
	case EventTransformation:
		return "TransformationEvent"
	case EventTransaction:
		return "TransactionEvent"
	case EventAssociation:
		return "AssociationEvent"
	}
	return "unknown"
}

// ParseEventType parses the five EPCIS 2.0 event type names.
func ParseEventType(s string) (EventType, error) {
	for _, t := range []EventType{EventObject, EventAggregation, EventTransformation, EventTransaction, EventAssociation} {
		if t.String() == s {
			return t, nil
		}
	}
	return 0, Errorf(ErrInvalid, "event type %q is not an EPCIS 2.0 event type (ObjectEvent, AggregationEvent, TransactionEvent, TransformationEvent, AssociationEvent)", s)
}

// EventAction is the EPCIS action of an object or aggregation event.
type EventAction uint64

// Actions. Transformation events have none.
const (
	ActionNone    EventAction = 0
	ActionAdd     EventAction = 1
	ActionObserve EventAction = 2
	ActionDelete  EventAction = 3
)

func (a EventAction) String() string {
	switch a {
	case ActionNone:
		return ""
	case ActionAdd:
		return "ADD"
	case ActionObserve:
		return "OBSERVE"
	case ActionDelete:
		return "DELETE"
	}
	return "unknown"
}

// ParseEventAction parses ADD, OBSERVE or DELETE ("" is none).
func ParseEventAction(s string) (EventAction, error) {
	for _, a := range []EventAction{ActionNone, ActionAdd, ActionObserve, ActionDelete} {
		if a.String() == s {
			return a, nil
		}
	}
	return 0, Errorf(ErrInvalid, "action %q must be ADD, OBSERVE or DELETE", s)
}

// Vocab names a CBV vocabulary.
type Vocab int

// The CBV vocabularies the chain checks.
const (
	VocabBizStep Vocab = iota + 1
	VocabDisposition
	VocabBizTransactionType
	VocabSourceDestType
	VocabErrorReason
)

var vocabs = map[Vocab]struct {
	name, prefix string
	terms        []string // sorted
}{
	VocabBizStep: {"bizStep", "https://ref.gs1.org/cbv/BizStep-", []string{
		"accepting", "arriving", "assembling", "collecting", "commissioning", "consigning", "creating_class_instance",
		"cycle_counting", "decommissioning", "departing", "destroying", "disassembling", "dispensing", "encoding",
		"entering_exiting", "holding", "inspecting", "installing", "killing", "loading", "other", "packing", "picking",
		"receiving", "removing", "repackaging", "repairing", "replacing", "reserving", "retail_selling", "sampling",
		"sensor_reporting", "shipping", "slaughtering", "staging_outbound", "stock_taking", "stocking", "storing",
		"transporting", "unloading", "unpacking", "void_shipping"}},
	VocabDisposition: {"disposition", "https://ref.gs1.org/cbv/Disp-", []string{
		"active", "available", "completeness_inferred", "completeness_verified", "conformant", "container_closed",
		"container_open", "damaged", "destroyed", "dispensed", "disposed", "encoded", "expired", "in_progress",
		"in_transit", "inactive", "mismatch_class", "mismatch_instance", "mismatch_quantity", "needs_replacement",
		"no_pedigree_match", "non_conformant", "non_sellable_other", "partially_dispensed", "recalled", "reserved",
		"retail_sold", "returned", "sellable_accessible", "sellable_not_accessible", "stolen", "unavailable", "unknown"}},
	VocabBizTransactionType: {"bizTransaction type", "https://ref.gs1.org/cbv/BTT-", []string{
		"bol", "cert", "desadv", "inv", "pedigree", "po", "poc", "prodorder", "recadv", "rma", "testprd", "testres", "upevt"}},
	VocabSourceDestType: {"source/destination type", "https://ref.gs1.org/cbv/SDT-", []string{
		"location", "owning_party", "possessing_party"}},
	VocabErrorReason: {"error reason", "https://ref.gs1.org/cbv/ER-", []string{"did_not_occur", "incorrect_data"}},
}

// VocabTerms returns the bare CBV terms of a vocabulary, sorted.
func VocabTerms(v Vocab) []string { return append([]string(nil), vocabs[v].terms...) }

// VocabPrefix returns the CBV 2.0 web URI prefix of a vocabulary.
func VocabPrefix(v Vocab) string { return vocabs[v].prefix }

// CheckVocab accepts a bare CBV term of vocabulary v (as EPCIS 2.0 JSON
// writes it, e.g. "shipping") or a private URI (https://..., urn:...). CBV
// terms in URN or web URI form must be given bare (client/epcis converts
// them) so that each step kind has one spelling.
func CheckVocab(v Vocab, s string) error {
	voc, ok := vocabs[v]
	if !ok {
		return Errorf(ErrInternal, "unknown vocabulary %d", v)
	}
	if !strings.Contains(s, ":") {
		i := sort.SearchStrings(voc.terms, s)
		if i < len(voc.terms) && voc.terms[i] == s {
			return nil
		}
		return Errorf(ErrInvalid, "%s %q is not a CBV 2.0 term (use a term such as %q, or a URI)", voc.name, s, voc.terms[0])
	}
	if strings.HasPrefix(s, "https://ref.gs1.org/cbv/") || strings.HasPrefix(s, "urn:epcglobal:cbv:") {
		return Errorf(ErrInvalid, "%s %q: give CBV terms in bare form", voc.name, s)
	}
	return CheckIdentifier(voc.name, s)
}

// ExpandVocab returns the value as hashed: bare CBV terms become CBV 2.0
// web URIs; URIs are unchanged.
func ExpandVocab(v Vocab, s string) string {
	if s == "" || strings.Contains(s, ":") {
		return s
	}
	return vocabs[v].prefix + s
}

// Limits of EPCIS events.
const (
	MaxEventEPCs       = 1000 // identifiers in one list
	MaxEventQuantities = 100
	MaxEventTyped      = 20 // bizTransactions, sources, destinations
	MaxEventsPerTx     = 1000
	// MaxIdentifiersPerTx bounds the product index writes of one events tx
	// (every identifier named by every event counts).
	MaxIdentifiersPerTx = 10000
	MaxCorrective       = 20
	maxEventMillis      = 1 << 43 // year 2248
	// MaxEventClockSkew is how far after the block time an event may be dated.
	MaxEventClockSkew = time.Hour
)

// Quantity is a quantityElement: a class (or lot) and an optional amount.
type Quantity struct {
	Class  string // epcClass, e.g. https://id.gs1.org/01/08935.../10/LOT1
	Amount string // canonical decimal: no sign, no leading or trailing zeros ("1", "12.5")
	UOM    string // UN/ECE Rec 20 unit, e.g. "KGM"; requires Amount
}

func (q Quantity) less(o Quantity) bool {
	if q.Class != o.Class {
		return q.Class < o.Class
	}
	if q.Amount != o.Amount {
		return q.Amount < o.Amount
	}
	return q.UOM < o.UOM
}

// TypedID is a bizTransaction, source or destination: an id and a type.
type TypedID struct {
	Type string // CBV term or URI; may be empty for bizTransactions
	ID   string
}

func (t TypedID) less(o TypedID) bool {
	if t.ID != o.ID {
		return t.ID < o.ID
	}
	return t.Type < o.Type
}

// EPCISEvent is an EPCIS 2.0 event as recorded. Lists are sorted and
// unique. The generic fields map to the standard ones by type:
//
//	field         ObjectEvent    AggregationEvent   TransformationEvent
//	EPCs          epcList        childEPCs          inputEPCList
//	Quantities    quantityList   childQuantityList  inputQuantityList
//	OutEPCs       -              -                  outputEPCList
//	OutQuantities -              -                  outputQuantityList
//	Parent        -              parentID           -
type EPCISEvent struct {
	Type             EventType
	Time             uint64 // eventTime, unix milliseconds
	TZOffset         string // eventTimeZoneOffset, e.g. "+07:00"
	Parent           string
	EPCs             []string
	Quantities       []Quantity
	OutEPCs          []string
	OutQuantities    []Quantity
	Action           EventAction
	TransformationID string
	BizStep          string
	Disposition      string
	ReadPoint        string
	BizLocation      string
	BizTransactions  []TypedID
	Sources          []TypedID
	Destinations     []TypedID

	// HashVersion is EventHashV2 for events recorded since the chain
	// follows the current CBV 2.0 hash (every new event), EventHashV1 for
	// events recorded before. Encoded in the type's varint (type |
	// version<<8), so version-1 bytes are unchanged.
	HashVersion uint64
	// Version 2 only: hashed, not interpreted (see provenance_epcis_v2.go).
	PersistentSet   []string   // persistentDisposition set: CBV disposition terms or URIs, sorted
	PersistentUnset []string   // persistentDisposition unset
	ReadPointExt    []HashNode // extensions inside readPoint
	BizLocationExt  []HashNode // extensions inside bizLocation
	Sensors         []HashNode // sensorElementList: "sensorElement" nodes
	ILMD            []HashNode // ilmd: extension nodes
	Extensions      []HashNode // event-level user extensions
}

// Encode writes the canonical form.
func (ev *EPCISEvent) Encode(e *Encoder) {
	e.Uint(uint64(ev.Type) | ev.HashVersion<<8)
	e.Uint(ev.Time)
	e.String(ev.TZOffset)
	e.String(ev.Parent)
	e.Strings(ev.EPCs)
	encodeQuantities(e, ev.Quantities)
	e.Strings(ev.OutEPCs)
	encodeQuantities(e, ev.OutQuantities)
	e.Uint(uint64(ev.Action))
	e.String(ev.TransformationID)
	e.String(ev.BizStep)
	e.String(ev.Disposition)
	e.String(ev.ReadPoint)
	e.String(ev.BizLocation)
	encodeTyped(e, ev.BizTransactions)
	encodeTyped(e, ev.Sources)
	encodeTyped(e, ev.Destinations)
	if ev.HashVersion >= EventHashV2 {
		e.Strings(ev.PersistentSet)
		e.Strings(ev.PersistentUnset)
		encodeNodes(e, ev.ReadPointExt)
		encodeNodes(e, ev.BizLocationExt)
		encodeNodes(e, ev.Sensors)
		encodeNodes(e, ev.ILMD)
		encodeNodes(e, ev.Extensions)
	}
}

func decodeEPCISEvent(d *Decoder) EPCISEvent {
	t := d.Uint()
	ev := EPCISEvent{Type: EventType(t & 0xff), HashVersion: t >> 8, Time: d.Uint(), TZOffset: d.String(), Parent: d.String(),
		EPCs: d.Strings(MaxEventEPCs), Quantities: decodeQuantities(d), OutEPCs: d.Strings(MaxEventEPCs),
		OutQuantities: decodeQuantities(d), Action: EventAction(d.Uint()), TransformationID: d.String(),
		BizStep: d.String(), Disposition: d.String(), ReadPoint: d.String(), BizLocation: d.String(),
		BizTransactions: decodeTyped(d), Sources: decodeTyped(d), Destinations: decodeTyped(d)}
	if ev.HashVersion >= EventHashV2 {
		ev.PersistentSet, ev.PersistentUnset = d.Strings(MaxPersistent), d.Strings(MaxPersistent)
		ev.ReadPointExt, ev.BizLocationExt = decodeNodes(d, 1), decodeNodes(d, 1)
		ev.Sensors, ev.ILMD, ev.Extensions = decodeNodes(d, 1), decodeNodes(d, 1), decodeNodes(d, 1)
	}
	return ev
}

func encodeQuantities(e *Encoder, qs []Quantity) {
	e.Uint(uint64(len(qs)))
	for _, q := range qs {
		e.String(q.Class)
		e.String(q.Amount)
		e.String(q.UOM)
	}
}

func decodeQuantities(d *Decoder) []Quantity {
	n := d.Count(MaxEventQuantities, 3)
	out := make([]Quantity, 0, n)
	for i := 0; i < n; i++ {
		out = append(out, Quantity{Class: d.String(), Amount: d.String(), UOM: d.String()})
	}
	return out
}

func encodeTyped(e *Encoder, ts []TypedID) {
	e.Uint(uint64(len(ts)))
	for _, t := range ts {
		e.String(t.Type)
		e.String(t.ID)
	}
}

func decodeTyped(d *Decoder) []TypedID {
	n := d.Count(MaxEventTyped, 2)
	out := make([]TypedID, 0, n)
	for i := 0; i < n; i++ {
		out = append(out, TypedID{Type: d.String(), ID: d.String()})
	}
	return out
}

// Inputs returns the input identifiers of a transformation (instances and
// classes), or nil.
func (ev *EPCISEvent) Inputs() []string {
	if ev.Type != EventTransformation {
		return nil
	}
	return withClasses(ev.EPCs, ev.Quantities)
}

// Outputs returns the output identifiers of a transformation, or nil.
func (ev *EPCISEvent) Outputs() []string {
	if ev.Type != EventTransformation {
		return nil
	}
	return withClasses(ev.OutEPCs, ev.OutQuantities)
}

// Children returns the child identifiers of an aggregation, or nil.
func (ev *EPCISEvent) Children() []string {
	if ev.Type != EventAggregation {
		return nil
	}
	return withClasses(ev.EPCs, ev.Quantities)
}

func withClasses(ids []string, qs []Quantity) []string {
	out := append([]string(nil), ids...)
	for _, q := range qs {
		out = append(out, q.Class)
	}
	return out
}

// ProductRef is an identifier an event names and whether it names a class.
type ProductRef struct {
	Identifier string
	Class      bool // named only in quantity lists (a class or lot)
}

// Identifiers lists every distinct object or class the event names
// (parent, EPC lists, quantity classes), sorted: the products it is
// indexed under.
func (ev *EPCISEvent) Identifiers() []ProductRef {
	var all []ProductRef
	if ev.Parent != "" {
		all = append(all, ProductRef{Identifier: ev.Parent})
	}
	for _, l := range [][]string{ev.EPCs, ev.OutEPCs} {
		for _, s := range l {
			all = append(all, ProductRef{Identifier: s})
		}
	}
	for _, l := range [][]Quantity{ev.Quantities, ev.OutQuantities} {
		for _, q := range l {
			all = append(all, ProductRef{Identifier: q.Class, Class: true})
		}
	}
	// Sort by identifier, instances first, and keep the first of each:
	// an identifier also named as an instance is an instance.
	sort.Slice(all, func(i, j int) bool {
		if all[i].Identifier != all[j].Identifier {
			return all[i].Identifier < all[j].Identifier
		}
		return !all[i].Class && all[j].Class
	})
	out := make([]ProductRef, 0, len(all))
	for i, r := range all {
		if i == 0 || r.Identifier != all[i-1].Identifier {
			out = append(out, r)
		}
	}
	return out
}

// IdentifierCount is how many identifiers the event names (with repeats).
func (ev *EPCISEvent) IdentifierCount() int {
	n := len(ev.EPCs) + len(ev.OutEPCs) + len(ev.Quantities) + len(ev.OutQuantities)
	if ev.Parent != "" {
		n++
	}
	return n
}

// Location returns the event's business location, else its read point.
func (ev *EPCISEvent) Location() string {
	if ev.BizLocation != "" {
		return ev.BizLocation
	}
	return ev.ReadPoint
}

// Validate checks every field without state.
func (ev *EPCISEvent) Validate() error {
	if ev.Time == 0 || ev.Time >= maxEventMillis {
		return Errorf(ErrInvalid, "eventTime out of range")
	}
	if err := checkTZOffset(ev.TZOffset); err != nil {
		return err
	}
	in := len(ev.EPCs) + len(ev.Quantities)
	out := len(ev.OutEPCs) + len(ev.OutQuantities)
	switch ev.Type {
	case EventObject:
		if ev.Parent != "" || out != 0 || ev.TransformationID != "" {
			return Errorf(ErrInvalid, "an ObjectEvent has no parentID, outputs or transformationID")
		}
		if in == 0 {
			return Errorf(ErrInvalid, "an ObjectEvent names at least one EPC or quantity (the chain files every event under the objects it names)")
		}
		if ev.Action < ActionAdd || ev.Action > ActionDelete {
			return Errorf(ErrInvalid, "an ObjectEvent needs action ADD, OBSERVE or DELETE")
		}
	case EventAggregation:
		if out != 0 || ev.TransformationID != "" {
			return Errorf(ErrInvalid, "an AggregationEvent has no outputs or transformationID")
		}
		if ev.Action < ActionAdd || ev.Action > ActionDelete {
			return Errorf(ErrInvalid, "an AggregationEvent needs action ADD, OBSERVE or DELETE")
		}
		if ev.Parent == "" && ev.Action != ActionObserve {
			return Errorf(ErrInvalid, "an AggregationEvent with action %s needs a parentID", ev.Action)
		}
		if in == 0 && ev.Action == ActionAdd {
			return Errorf(ErrInvalid, "an AggregationEvent ADD names at least one child")
		}
	case EventTransformation:
		if ev.Parent != "" || ev.Action != ActionNone {
			return Errorf(ErrInvalid, "a TransformationEvent has no parentID or action")
		}
		if (in == 0 || out == 0) && ev.TransformationID == "" {
			return Errorf(ErrInvalid, "a TransformationEvent names inputs and outputs (or a transformationID)")
		}
	case EventTransaction:
		if out != 0 || ev.TransformationID != "" {
			return Errorf(ErrInvalid, "a TransactionEvent has no outputs or transformationID")
		}
		if ev.Action < ActionAdd || ev.Action > ActionDelete {
			return Errorf(ErrInvalid, "a TransactionEvent needs action ADD, OBSERVE or DELETE")
		}
		if len(ev.BizTransactions) == 0 {
			return Errorf(ErrInvalid, "a TransactionEvent names at least one bizTransaction (the purchase order, invoice … it links to)")
		}
		if in == 0 && ev.Parent == "" {
			return Errorf(ErrInvalid, "a TransactionEvent names at least one EPC, quantity or parentID")
		}
	case EventAssociation:
		if out != 0 || ev.TransformationID != "" {
			return Errorf(ErrInvalid, "an AssociationEvent has no outputs or transformationID")
		}
		if ev.Action < ActionAdd || ev.Action > ActionDelete {
			return Errorf(ErrInvalid, "an AssociationEvent needs action ADD, OBSERVE or DELETE")
		}
		if ev.Parent == "" {
			return Errorf(ErrInvalid, "an AssociationEvent needs a parentID (the sensor, tag or asset associated)")
		}
		if in == 0 && ev.Action == ActionAdd {
			return Errorf(ErrInvalid, "an AssociationEvent ADD names at least one child")
		}
	default:
		return Errorf(ErrInvalid, "event type %d must be 1..5 (ObjectEvent, AggregationEvent, TransformationEvent, TransactionEvent, AssociationEvent)", ev.Type)
	}
	if ev.HashVersion != EventHashV1 && ev.HashVersion != EventHashV2 {
		return Errorf(ErrInvalid, "event hash version %d: want %d or %d", ev.HashVersion, EventHashV1, EventHashV2)
	}
	if err := ev.validateV2(); err != nil {
		return err
	}
	if ev.Parent != "" {
		if err := CheckIdentifier("parentID", ev.Parent); err != nil {
			return err
		}
	}
	if len(ev.EPCs) > MaxEventEPCs || len(ev.OutEPCs) > MaxEventEPCs {
		return Errorf(ErrInvalid, "at most %d EPCs per list", MaxEventEPCs)
	}
	// Version 2 keeps an EPC written twice (the standard's hash counts it
	// twice); version 1 lists are strictly ascending.
	if err := checkEventIDs("epc", ev.EPCs, ev.HashVersion == EventHashV2); err != nil {
		return err
	}
	if err := checkEventIDs("output epc", ev.OutEPCs, ev.HashVersion == EventHashV2); err != nil {
		return err
	}
	for _, qs := range [][]Quantity{ev.Quantities, ev.OutQuantities} {
		if err := checkQuantities(qs); err != nil {
			return err
		}
	}
	if ev.TransformationID != "" {
		if err := CheckIdentifier("transformationID", ev.TransformationID); err != nil {
			return err
		}
	}
	if ev.BizStep == "" {
		return Errorf(ErrInvalid, "bizStep is required: businesses are authorised per kind of step")
	}
	if err := CheckVocab(VocabBizStep, ev.BizStep); err != nil {
		return err
	}
	if ev.Disposition != "" {
		if err := CheckVocab(VocabDisposition, ev.Disposition); err != nil {
			return err
		}
	}
	for _, loc := range []struct{ name, v string }{{"readPoint", ev.ReadPoint}, {"bizLocation", ev.BizLocation}} {
		if loc.v != "" {
			if err := CheckLocation(loc.name, loc.v); err != nil {
				return err
			}
		}
	}
	if err := checkTyped("bizTransaction", VocabBizTransactionType, ev.BizTransactions, true); err != nil {
		return err
	}
	if err := checkTyped("source", VocabSourceDestType, ev.Sources, false); err != nil {
		return err
	}
	return checkTyped("destination", VocabSourceDestType, ev.Destinations, false)
}

// checkEventIDs checks an EPC list: identifiers, ascending; repeats only
// when dup.
func checkEventIDs(field string, ids []string, dup bool) error {
	if !dup {
		return checkSortedIDs(field, ids)
	}
	for i, s := range ids {
		if err := CheckIdentifier(field, s); err != nil {
			return err
		}
		if i > 0 && ids[i-1] > s {
			return Errorf(ErrInvalid, "%s must be sorted", field)
		}
	}
	return nil
}

func checkTZOffset(s string) error {
	ok := len(s) == 6 && (s[0] == '+' || s[0] == '-') && s[3] == ':' && isDigits(s[1:3]) && isDigits(s[4:6]) &&
		s[1:3] <= "14" && s[4:6] <= "59"
	if !ok {
		return Errorf(ErrInvalid, "eventTimeZoneOffset %q must be ±hh:mm", s)
	}
	return nil
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// CheckDecimal accepts a canonical non-negative decimal: digits without
// leading zeros, an optional fraction without trailing zeros, at most 24
// characters ("0", "12", "0.25"; not "012", "1.0", "+1", "1e3").
func CheckDecimal(s string) error {
	intPart, frac, hasFrac := strings.Cut(s, ".")
	ok := len(s) <= 24 && intPart != "" && isDigits(intPart) && (intPart == "0" || intPart[0] != '0') &&
		(!hasFrac || (frac != "" && isDigits(frac) && frac[len(frac)-1] != '0'))
	if !ok {
		return Errorf(ErrInvalid, "quantity %q must be a canonical decimal (no sign, exponent, leading or trailing zeros)", s)
	}
	return nil
}

func checkQuantities(qs []Quantity) error {
	if len(qs) > MaxEventQuantities {
		return Errorf(ErrInvalid, "at most %d quantity elements per list", MaxEventQuantities)
	}
	for i, q := range qs {
		if err := CheckIdentifier("epcClass", q.Class); err != nil {
			return err
		}
		if q.Amount != "" {
			if err := CheckDecimal(q.Amount); err != nil {
				return err
			}
		}
		if q.UOM != "" {
			if q.Amount == "" || len(q.UOM) < 2 || len(q.UOM) > 3 || strings.Trim(q.UOM, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") != "" {
				return Errorf(ErrInvalid, "uom %q must be a 2-3 character UN/ECE Rec 20 code with a quantity", q.UOM)
			}
		}
		if i > 0 && !qs[i-1].less(q) {
			return Errorf(ErrInvalid, "quantity elements must be sorted and unique")
		}
	}
	return nil
}

func checkTyped(field string, v Vocab, ts []TypedID, typeOptional bool) error {
	if len(ts) > MaxEventTyped {
		return Errorf(ErrInvalid, "at most %d %ss", MaxEventTyped, field)
	}
	for i, t := range ts {
		if err := CheckIdentifier(field, t.ID); err != nil {
			return err
		}
		if t.Type == "" && !typeOptional {
			return Errorf(ErrInvalid, "%s %s needs a type", field, t.ID)
		}
		if t.Type != "" {
			if err := CheckVocab(v, t.Type); err != nil {
				return err
			}
		}
		if i > 0 && !ts[i-1].less(t) {
			return Errorf(ErrInvalid, "%ss must be sorted and unique", field)
		}
	}
	return nil
}

// FormatEventTime writes unix milliseconds as the pre-hash string does:
// UTC, millisecond precision, 'Z'.
func FormatEventTime(ms uint64) string {
	return time.UnixMilli(int64(ms)).UTC().Format("2006-01-02T15:04:05.000") + "Z"
}

// PreHash returns the CBV 2.0 pre-hash string of the event, in the
// event's hash version. Version 1 (events recorded before version 2)
// differs only in writing typed-list entries id first; its events cannot
// carry the parts only version 2 hashes (Validate).
func (ev *EPCISEvent) PreHash() string {
	return ev.preHash(ev.HashVersion != EventHashV2)
}

// preHashWriter writes the parts of a pre-hash string (EPCISEvent.preHash).
type preHashWriter struct{ strings.Builder }

// kv writes key=value when there is a value.
func (b *preHashWriter) kv(k, v string) {
	if v != "" {
		b.WriteString(k + "=" + v)
	}
}

// list writes name and the items sorted, when there are any.
func (b *preHashWriter) list(name string, items []string) {
	if len(items) == 0 {
		return
	}
	sort.Strings(items)
	b.WriteString(name)
	b.WriteString(strings.Join(items, ""))
}

func (b *preHashWriter) epcs(name string, ids []string) {
	items := make([]string, 0, len(ids))
	for _, s := range ids {
		items = append(items, "epc="+s)
	}
	b.list(name, items)
}

func (b *preHashWriter) quantities(name string, qs []Quantity) {
	items := make([]string, 0, len(qs))
	for _, q := range qs {
		s := "quantityElementepcClass=" + q.Class
		if q.Amount != "" {
			s += "quantity=" + q.Amount
		}
		if q.UOM != "" {
			s += "uom=" + q.UOM
		}
		items = append(items, s)
	}
	b.list(name, items)
}

// Hash returns the SHA-256 of the pre-hash string: the event's id on chain.
func (ev *EPCISEvent) Hash() []byte { return Hash([]byte(ev.PreHash())) }

// FormatHashID prints an event hash as an EPCIS Event Hash ID (RFC 6920).
func FormatHashID(hash []byte) string {
	return "ni:///sha-256;" + hex.EncodeToString(hash) + "?ver=CBV2.0"
}

// ParseHashID reads an EPCIS Event Hash ID (ni:///sha-256;<hex>?ver=CBV2.0,
// the ?ver part optional) or a bare 64-character hex hash.
func ParseHashID(s string) ([]byte, error) {
	h := strings.TrimPrefix(s, "ni:///sha-256;")
	if i := strings.IndexByte(h, '?'); i >= 0 && h != s {
		if h[i:] != "?ver=CBV2.0" {
			return nil, Errorf(ErrInvalid, "event hash id %q: only ?ver=CBV2.0 is supported", s)
		}
		h = h[:i]
	}
	b, err := hex.DecodeString(h)
	if err != nil || len(b) != HashSize || strings.ToLower(h) != h {
		return nil, Errorf(ErrInvalid, "event hash id %q must be ni:///sha-256;<64 lower-case hex>?ver=CBV2.0", s)
	}
	return b, nil
}

// ErrorDeclaration is an EPCIS error declaration: the business that
// recorded an event declares it in error (it did not occur, or its data
// was wrong) and may name the corrective events that replace it. The
// original event is never rewritten.
type ErrorDeclaration struct {
	Time   uint64 // declarationTime, unix milliseconds
	Reason string // CBV error reason term (did_not_occur, incorrect_data) or URI; optional
	// Corrective lists the corrective events, sorted, unique: an entry of
	// 32 bytes is the event hash of an event on chain (checked); any other
	// entry is a URI as the business wrote it (an eventID such as
	// urn:uuid:…, of an event the chain does not hold), kept, not checked.
	Corrective [][]byte
}

// CorrectiveURI reports whether a corrective entry is a URI (not a hash).
func CorrectiveURI(c []byte) bool { return len(c) != HashSize }

// FormatCorrective prints a corrective entry: an event hash id or the URI.
func FormatCorrective(c []byte) string {
	if CorrectiveURI(c) {
		return string(c)
	}
	return FormatHashID(c)
}

func (x *ErrorDeclaration) encode(e *Encoder) {
	e.Uint(x.Time)
	e.String(x.Reason)
	encodeKeyList(e, x.Corrective)
}

func decodeErrorDeclaration(d *Decoder) *ErrorDeclaration {
	x := &ErrorDeclaration{Time: d.Uint(), Reason: d.String()}
	n := d.Count(MaxCorrective, 1)
	x.Corrective = make([][]byte, 0, n)
	for i := 0; i < n; i++ {
		x.Corrective = append(x.Corrective, d.Bytes())
	}
	return x
}

// Validate checks the declaration without state.
func (x *ErrorDeclaration) Validate() error {
	if x.Time == 0 || x.Time >= maxEventMillis {
		return Errorf(ErrInvalid, "declarationTime out of range")
	}
	if x.Reason != "" {
		if err := CheckVocab(VocabErrorReason, x.Reason); err != nil {
			return err
		}
	}
	if len(x.Corrective) > MaxCorrective {
		return Errorf(ErrInvalid, "at most %d corrective events", MaxCorrective)
	}
	for i, h := range x.Corrective {
		if CorrectiveURI(h) {
			if err := CheckIdentifier("correctiveEventID", string(h)); err != nil {
				return err
			}
		}
		if i > 0 && bytes.Compare(x.Corrective[i-1], h) >= 0 {
			return Errorf(ErrInvalid, "corrective event ids must be sorted and unique")
		}
	}
	return nil
}

// EventRecord is an anchored EPCIS event: what the business signed, when
// the chain recorded it, and its sequence number.
type EventRecord struct {
	Hash   []byte // CBV 2.0 event hash of Event
	Seq    uint64 // chain-wide event number
	Agency string // the business that recorded it
	Signer []byte
	Height uint64
	Time   uint64 // block time, unix seconds
	Event  EPCISEvent
}

// Encode writes the canonical form.
func (r *EventRecord) Encode(e *Encoder) {
	e.Bytes(r.Hash)
	e.Uint(r.Seq)
	e.String(r.Agency)
	e.Bytes(r.Signer)
	e.Uint(r.Height)
	e.Uint(r.Time)
	r.Event.Encode(e)
}

// DecodeEventRecord reads the canonical form.
func DecodeEventRecord(b []byte) (*EventRecord, error) {
	d := NewDecoder(b)
	r := &EventRecord{Hash: d.Bytes(), Seq: d.Uint(), Agency: d.String(), Signer: d.Bytes(), Height: d.Uint(), Time: d.Uint()}
	r.Event = decodeEPCISEvent(d)
	if err := d.Finish(); err != nil {
		return nil, err
	}
	return r, nil
}

// Declaration is the recorded error declaration of an event.
type Declaration struct {
	Hash []byte // the event declared in error
	ErrorDeclaration
	Agency string
	Signer []byte
	Height uint64
	Time   uint64
}

// Encode writes the canonical form.
func (x *Declaration) Encode(e *Encoder) {
	e.Bytes(x.Hash)
	x.ErrorDeclaration.encode(e)
	e.String(x.Agency)
	e.Bytes(x.Signer)
	e.Uint(x.Height)
	e.Uint(x.Time)
}

// DecodeDeclaration reads the canonical form.
func DecodeDeclaration(b []byte) (*Declaration, error) {
	d := NewDecoder(b)
	x := &Declaration{Hash: d.Bytes()}
	x.ErrorDeclaration = *decodeErrorDeclaration(d)
	x.Agency, x.Signer, x.Height, x.Time = d.String(), d.Bytes(), d.Uint(), d.Uint()
	if err := d.Finish(); err != nil {
		return nil, err
	}
	return x, nil
}

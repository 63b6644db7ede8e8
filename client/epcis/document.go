package epcis

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/danangchain/danangchain/registry"
)

// MaxDocumentBytes bounds the EPCIS documents Parse reads.
const MaxDocumentBytes = 64 << 20

// Document is a parsed EPCIS 2.0 document: its events in the chain's
// canonical form, in document order.
type Document struct {
	Type          string // EPCISDocument or EPCISQueryDocument
	SchemaVersion string
	CreationDate  string
	Events        []*Event
	Warnings      []string // document-level notes
}

// Event is one event of a document, ready for the chain.
type Event struct {
	Index    int    // position in the document's event list
	EventID  string // the document's eventID, if any (not recorded, not hashed)
	Item     registry.EventItem
	Hash     []byte   // CBV 2.0 event hash, computed by registry
	Warnings []string // fields dropped (not recorded, not hashed)

	corrective []string // correctiveEventIDs as written, resolved by Parse
}

// HashID is the event's EPCIS Event Hash ID (ni:///sha-256;...?ver=CBV2.0).
func (e *Event) HashID() string { return registry.FormatHashID(e.Hash) }

// IsDeclaration reports whether the event is an error declaration.
func (e *Event) IsDeclaration() bool { return e.Item.Declaration != nil }

// Parse reads an EPCIS 2.0 JSON / JSON-LD document (type EPCISDocument,
// or EPCISQueryDocument with epcisBody.queryResults.resultsBody) and
// converts every event: identifiers to canonical GS1 Digital Link or trace
// code URIs, CBV values to bare terms, times to unix milliseconds (UTC,
// rounded to the millisecond), lists sorted without duplicates. Each
// event is checked with the chain's own rules (registry.EPCISEvent.
// Validate) and hashed with the CBV 2.0 event hash. Error declarations'
// correctiveEventIDs may be event hash ids or the eventIDs of events in
// the same document. Fields the chain does not record (ILMD, sensor data,
// certificationInfo, persistentDisposition, extensions) are reported in
// Warnings.
func Parse(b []byte) (*Document, error) {
	if t := bytes.TrimLeft(b, " \t\r\n\xef\xbb\xbf"); len(t) > 0 && t[0] == '<' {
		if len(b) > MaxDocumentBytes {
			return nil, fmt.Errorf("EPCIS document above %d bytes", MaxDocumentBytes)
		}
		j, err := xmlDocument(b)
		if err != nil {
			return nil, err
		}
		b = j
	}
	doc, err := parse(b)
	if err != nil {
		return nil, readableJSON(err)
	}
	return doc, nil
}

// readableJSON rewrites encoding/json's messages (Go type names, byte
// offsets) into words a person at a food business can act on.
func readableJSON(err error) error {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	var plain string
	switch {
	case errors.As(err, &se):
		plain = fmt.Sprintf("not valid JSON near byte %d (%s)", se.Offset, se.Error())
		return errors.New(strings.Replace(err.Error(), se.Error(), plain, 1))
	case errors.As(err, &te):
		where := "the document"
		if te.Field != "" {
			where = "field " + te.Field
		}
		plain = fmt.Sprintf("%s must be %s, not %s", where, jsonKind(te.Type.Kind().String()), te.Value)
		if te.Field == "" && te.Value == "array" {
			plain += " (an EPCIS document is one JSON object with \"type\": \"EPCISDocument\")"
		}
		return errors.New(strings.Replace(err.Error(), te.Error(), plain, 1))
	}
	return err
}

func jsonKind(goKind string) string {
	switch goKind {
	case "struct", "map":
		return "an object"
	case "slice", "array":
		return "a list"
	case "string":
		return "text"
	case "bool":
		return "true or false"
	}
	return "a number"
}

func parse(b []byte) (*Document, error) {
	if len(b) > MaxDocumentBytes {
		return nil, fmt.Errorf("EPCIS document above %d bytes", MaxDocumentBytes)
	}
	var raw struct {
		Context       json.RawMessage            `json:"@context"`
		Type          string                     `json:"type"`
		SchemaVersion json.RawMessage            `json:"schemaVersion"`
		CreationDate  string                     `json:"creationDate"`
		Body          map[string]json.RawMessage `json:"epcisBody"`
	}
	if err := strictJSON(b, &raw); err != nil {
		return nil, fmt.Errorf("EPCIS document: %w", err)
	}
	doc := &Document{Type: raw.Type, CreationDate: raw.CreationDate}
	if raw.Type != "EPCISDocument" && raw.Type != "EPCISQueryDocument" {
		return nil, fmt.Errorf("EPCIS document: type %q must be EPCISDocument or EPCISQueryDocument", raw.Type)
	}
	var version string
	if err := json.Unmarshal(raw.SchemaVersion, &version); err != nil {
		var n json.Number
		if json.Unmarshal(raw.SchemaVersion, &n) != nil {
			return nil, fmt.Errorf("EPCIS document: schemaVersion must be \"2.0\"")
		}
		version = n.String()
	}
	doc.SchemaVersion = version
	if !strings.HasPrefix(version, "2.") && version != "2" {
		return nil, fmt.Errorf("EPCIS document: schemaVersion %q is not EPCIS 2.x", version)
	}
	if len(raw.Context) == 0 {
		doc.Warnings = append(doc.Warnings, "document has no @context (JSON-LD); read as plain EPCIS 2.0 JSON")
	}
	list, err := eventList(raw.Body)
	if err != nil {
		return nil, err
	}
	ids := map[string][]byte{}
	ns := contextNamespaces(raw.Context)
	for i, rawEv := range list {
		ev, err := parseEvent(i, rawEv, ns)
		if err != nil {
			return nil, err
		}
		doc.Events = append(doc.Events, ev)
		if ev.EventID != "" && !ev.IsDeclaration() {
			ids[ev.EventID] = ev.Hash
		}
	}
	for _, ev := range doc.Events {
		if x := ev.Item.Declaration; x != nil {
			if err := resolveCorrective(ev, ids); err != nil {
				return nil, err
			}
			if err := x.Validate(); err != nil {
				return nil, fmt.Errorf("event %d: errorDeclaration: %w", ev.Index, err)
			}
		}
	}
	if len(doc.Events) == 0 {
		return nil, fmt.Errorf("EPCIS document has no events")
	}
	return doc, nil
}

// strictJSON decodes one JSON value with numbers kept exact.
func strictJSON(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return errors.New("trailing data after the JSON value")
	}
	return nil
}

func eventList(body map[string]json.RawMessage) ([]json.RawMessage, error) {
	if body == nil {
		return nil, fmt.Errorf("EPCIS document has no epcisBody")
	}
	var list []json.RawMessage
	switch {
	case body["eventList"] != nil:
		if err := json.Unmarshal(body["eventList"], &list); err != nil {
			return nil, fmt.Errorf("epcisBody.eventList: %w", err)
		}
	case body["event"] != nil:
		list = []json.RawMessage{body["event"]}
	case body["queryResults"] != nil:
		var q struct {
			ResultsBody struct {
				EventList []json.RawMessage `json:"eventList"`
			} `json:"resultsBody"`
		}
		if err := json.Unmarshal(body["queryResults"], &q); err != nil {
			return nil, fmt.Errorf("epcisBody.queryResults: %w", err)
		}
		list = q.ResultsBody.EventList
	default:
		return nil, fmt.Errorf("epcisBody has no eventList")
	}
	if len(list) > 1_000_000 {
		return nil, fmt.Errorf("too many events")
	}
	return list, nil
}

// rawEvent holds the fields the chain records; everything else is
// reported and dropped.
type rawEvent struct {
	Type                string          `json:"type"`
	EventTime           string          `json:"eventTime"`
	EventTimeZoneOffset string          `json:"eventTimeZoneOffset"`
	EventID             string          `json:"eventID"`
	EPCList             []string        `json:"epcList"`
	ParentID            string          `json:"parentID"`
	ChildEPCs           []string        `json:"childEPCs"`
	InputEPCList        []string        `json:"inputEPCList"`
	OutputEPCList       []string        `json:"outputEPCList"`
	QuantityList        []rawQuantity   `json:"quantityList"`
	ChildQuantityList   []rawQuantity   `json:"childQuantityList"`
	InputQuantityList   []rawQuantity   `json:"inputQuantityList"`
	OutputQuantityList  []rawQuantity   `json:"outputQuantityList"`
	Action              string          `json:"action"`
	TransformationID    string          `json:"transformationID"`
	BizStep             string          `json:"bizStep"`
	Disposition         string          `json:"disposition"`
	ReadPoint           *rawID          `json:"readPoint"`
	BizLocation         *rawID          `json:"bizLocation"`
	BizTransactionList  []rawTyped      `json:"bizTransactionList"`
	SourceList          []rawTyped      `json:"sourceList"`
	DestinationList     []rawTyped      `json:"destinationList"`
	ErrorDeclaration    *rawDeclaration `json:"errorDeclaration"`
	Persistent          *struct {
		Set   []string `json:"set"`
		Unset []string `json:"unset"`
	} `json:"persistentDisposition"`
}

type rawID struct {
	ID string `json:"id"`
}

type rawQuantity struct {
	EPCClass string      `json:"epcClass"`
	Quantity json.Number `json:"quantity"`
	UOM      string      `json:"uom"`
}

type rawTyped struct {
	Type           string `json:"type"`
	BizTransaction string `json:"bizTransaction"`
	Source         string `json:"source"`
	Destination    string `json:"destination"`
}

type rawDeclaration struct {
	DeclarationTime    string   `json:"declarationTime"`
	Reason             string   `json:"reason"`
	CorrectiveEventIDs []string `json:"correctiveEventIDs"`
}

// recorded are the event keys the chain records or deliberately ignores
// without a warning (recordTime and eventID are never hashed).
var recorded = map[string]bool{
	"type": true, "eventTime": true, "eventTimeZoneOffset": true, "eventID": true, "recordTime": true,
	"epcList": true, "parentID": true, "childEPCs": true, "inputEPCList": true, "outputEPCList": true,
	"quantityList": true, "childQuantityList": true, "inputQuantityList": true, "outputQuantityList": true,
	"action": true, "transformationID": true, "bizStep": true, "disposition": true, "readPoint": true,
	"bizLocation": true, "bizTransactionList": true, "sourceList": true, "destinationList": true,
	"errorDeclaration": true, "persistentDisposition": true, "sensorElementList": true, "ilmd": true,
	"certificationInfo": true, // not part of the CBV 2.0 event hash: neither recorded nor hashed
}

func parseEvent(i int, b json.RawMessage, ns namespaces) (*Event, error) {
	fail := func(format string, args ...any) (*Event, error) {
		return nil, fmt.Errorf("event %d: %s", i, fmt.Sprintf(format, args...))
	}
	var keys map[string]json.RawMessage
	if err := strictJSON(b, &keys); err != nil {
		return fail("%v", err)
	}
	var r rawEvent
	if err := strictJSON(b, &r); err != nil {
		return fail("%v", err)
	}
	out := &Event{Index: i, EventID: r.EventID}
	// Every new event is hashed as CBV 2.0 defines it today (version 2):
	// sensor data, ilmd and namespaced extensions included.
	ev := registry.EPCISEvent{TransformationID: r.TransformationID, HashVersion: registry.EventHashV2}
	exts, warn, err := extensionNodes(ns, keys, recorded, fmt.Sprintf("event %d: ", i))
	if err != nil {
		return fail("%v", err)
	}
	ev.Extensions, out.Warnings = exts, append(out.Warnings, warn...)
	for _, loc := range []struct {
		k   string
		dst *[]registry.HashNode
	}{{"readPoint", &ev.ReadPointExt}, {"bizLocation", &ev.BizLocationExt}} {
		var sub map[string]json.RawMessage
		if keys[loc.k] != nil && json.Unmarshal(keys[loc.k], &sub) == nil {
			x, w, err := extensionNodes(ns, sub, map[string]bool{"id": true}, fmt.Sprintf("event %d: %s.", i, loc.k))
			if err != nil {
				return fail("%v", err)
			}
			*loc.dst, out.Warnings = x, append(out.Warnings, w...)
		}
	}
	if keys["ilmd"] != nil {
		var sub map[string]json.RawMessage
		if err := strictJSON(keys["ilmd"], &sub); err != nil {
			return fail("ilmd: %v", err)
		}
		x, w, err := extensionNodes(ns, sub, nil, fmt.Sprintf("event %d: ilmd.", i))
		if err != nil {
			return fail("ilmd: %v", err)
		}
		ev.ILMD, out.Warnings = x, append(out.Warnings, w...)
	}
	if keys["sensorElementList"] != nil {
		x, w, err := sensorNodes(ns, keys["sensorElementList"], i)
		if err != nil {
			return fail("%v", err)
		}
		ev.Sensors, out.Warnings = x, append(out.Warnings, w...)
	}
	if p := r.Persistent; p != nil {
		for _, l := range []struct {
			in  []string
			dst *[]string
		}{{p.Set, &ev.PersistentSet}, {p.Unset, &ev.PersistentUnset}} {
			var terms []string
			for _, s := range l.in {
				terms = append(terms, NormalizeVocab(registry.VocabDisposition, s))
			}
			*l.dst, _ = sortUnique(terms)
		}
	}
	typ, err := registry.ParseEventType(r.Type)
	if err != nil {
		return fail("%v", err)
	}
	ev.Type = typ
	var offset string
	if ev.Time, offset, err = parseTime(r.EventTime); err != nil {
		return fail("eventTime: %v", err)
	}
	ev.TZOffset = strings.TrimSpace(r.EventTimeZoneOffset)
	if ev.TZOffset == "" {
		ev.TZOffset = offset
		out.Warnings = append(out.Warnings, fmt.Sprintf("event %d: no eventTimeZoneOffset; %s taken from eventTime", i, offset))
	}
	if ev.Action, err = registry.ParseEventAction(strings.TrimSpace(r.Action)); err != nil {
		return fail("%v", err)
	}
	idList := func(field string, list []string) ([]string, error) {
		out2 := make([]string, 0, len(list))
		for _, s := range list {
			id, err := NormalizeIdentifier(s)
			if err != nil {
				return nil, fmt.Errorf("%s: %v", field, err)
			}
			out2 = append(out2, id)
		}
		// Sorted, repeats kept: the CBV 2.0 hash counts an EPC written
		// twice twice.
		sort.Strings(out2)
		for j := 1; j < len(out2); j++ {
			if out2[j] == out2[j-1] {
				out.Warnings = append(out.Warnings, fmt.Sprintf("event %d: %s names %s more than once (kept: it is part of the event hash)", i, field, out2[j]))
				break
			}
		}
		return out2, nil
	}
	quantities := func(field string, list []rawQuantity) ([]registry.Quantity, error) {
		var qs []registry.Quantity
		for _, q := range list {
			class, err := NormalizeIdentifier(q.EPCClass)
			if err != nil {
				return nil, fmt.Errorf("%s: %v", field, err)
			}
			amount, err := canonicalDecimal(q.Quantity)
			if err != nil {
				return nil, fmt.Errorf("%s: %v", field, err)
			}
			qs = append(qs, registry.Quantity{Class: class, Amount: amount, UOM: strings.TrimSpace(q.UOM)})
		}
		sort.Slice(qs, func(a, b int) bool { return lessQ(qs[a], qs[b]) })
		return qs, nil
	}
	var epcs, outEPCs []string
	var qs, outQs []registry.Quantity
	switch typ {
	case registry.EventObject, registry.EventTransaction:
		epcs, err = idList("epcList", r.EPCList)
		if err == nil {
			qs, err = quantities("quantityList", r.QuantityList)
		}
		if err == nil && r.ParentID != "" && typ == registry.EventTransaction {
			ev.Parent, err = NormalizeIdentifier(r.ParentID)
		}
	case registry.EventAggregation, registry.EventAssociation:
		if r.ParentID != "" {
			ev.Parent, err = NormalizeIdentifier(r.ParentID)
		}
		if err == nil {
			epcs, err = idList("childEPCs", r.ChildEPCs)
		}
		if err == nil {
			qs, err = quantities("childQuantityList", r.ChildQuantityList)
		}
	case registry.EventTransformation:
		epcs, err = idList("inputEPCList", r.InputEPCList)
		if err == nil {
			qs, err = quantities("inputQuantityList", r.InputQuantityList)
		}
		if err == nil {
			outEPCs, err = idList("outputEPCList", r.OutputEPCList)
		}
		if err == nil {
			outQs, err = quantities("outputQuantityList", r.OutputQuantityList)
		}
	}
	if err != nil {
		return fail("%v", err)
	}
	for _, misplaced := range []struct {
		field string
		used  bool
	}{
		{"epcList", len(r.EPCList) > 0 && typ != registry.EventObject && typ != registry.EventTransaction},
		{"childEPCs", len(r.ChildEPCs) > 0 && typ != registry.EventAggregation && typ != registry.EventAssociation},
		{"parentID", r.ParentID != "" && (typ == registry.EventObject || typ == registry.EventTransformation)},
		{"inputEPCList/outputEPCList", len(r.InputEPCList)+len(r.OutputEPCList) > 0 && typ != registry.EventTransformation},
	} {
		if misplaced.used {
			return fail("%s does not belong in a %s", misplaced.field, typ)
		}
	}
	ev.EPCs, ev.OutEPCs, ev.Quantities, ev.OutQuantities = epcs, outEPCs, qs, outQs
	if ev.TransformationID != "" {
		if ev.TransformationID, err = normalizeURI(ev.TransformationID); err != nil {
			return fail("transformationID: %v", err)
		}
	}
	ev.BizStep = NormalizeVocab(registry.VocabBizStep, r.BizStep)
	ev.Disposition = NormalizeVocab(registry.VocabDisposition, r.Disposition)
	for _, loc := range []struct {
		dst *string
		raw *rawID
		f   string
	}{{&ev.ReadPoint, r.ReadPoint, "readPoint"}, {&ev.BizLocation, r.BizLocation, "bizLocation"}} {
		if loc.raw != nil && loc.raw.ID != "" {
			if *loc.dst, err = NormalizeIdentifier(loc.raw.ID); err != nil {
				return fail("%s: %v", loc.f, err)
			}
		}
	}
	if ev.BizTransactions, err = typedList(r.BizTransactionList, registry.VocabBizTransactionType, func(t rawTyped) string { return t.BizTransaction }); err != nil {
		return fail("bizTransactionList: %v", err)
	}
	if ev.Sources, err = typedList(r.SourceList, registry.VocabSourceDestType, func(t rawTyped) string { return t.Source }); err != nil {
		return fail("sourceList: %v", err)
	}
	if ev.Destinations, err = typedList(r.DestinationList, registry.VocabSourceDestType, func(t rawTyped) string { return t.Destination }); err != nil {
		return fail("destinationList: %v", err)
	}
	if err := ev.Validate(); err != nil {
		return fail("%v", err)
	}
	out.Item.Event = ev
	out.Hash = ev.Hash()
	if d := r.ErrorDeclaration; d != nil {
		x := &registry.ErrorDeclaration{Reason: NormalizeVocab(registry.VocabErrorReason, d.Reason)}
		if x.Time, _, err = parseTime(d.DeclarationTime); err != nil {
			return fail("errorDeclaration.declarationTime: %v", err)
		}
		out.Item.Declaration = x
		out.corrective = d.CorrectiveEventIDs
	}
	return out, nil
}

func resolveCorrective(ev *Event, ids map[string][]byte) error {
	x := ev.Item.Declaration
	for _, id := range ev.corrective {
		id = strings.TrimSpace(id)
		h, err := registry.ParseHashID(id)
		if err != nil {
			var ok bool
			if h, ok = ids[id]; !ok {
				// Any URI (an eventID like urn:uuid:… of an event in
				// another document): kept as written; the chain cannot
				// check it.
				if err := registry.CheckIdentifier("correctiveEventID", id); err != nil {
					return fmt.Errorf("event %d: correctiveEventID %q is neither an event hash id, the eventID of an event in this document, nor a URI: %v", ev.Index, id, err)
				}
				if len(id) == registry.HashSize {
					return fmt.Errorf("event %d: correctiveEventID %q: a URI of exactly %d characters cannot be told from an event hash on chain; give the corrective event's hash id (ni:///sha-256;…)", ev.Index, id, registry.HashSize)
				}
				h = []byte(id)
				ev.Warnings = append(ev.Warnings, fmt.Sprintf("event %d: correctiveEventID %s is not in this document: kept as written (the chain cannot check it)", ev.Index, id))
			}
		}
		x.Corrective = append(x.Corrective, h)
	}
	sort.Slice(x.Corrective, func(a, b int) bool { return bytes.Compare(x.Corrective[a], x.Corrective[b]) < 0 })
	uniq := x.Corrective[:0]
	for i, h := range x.Corrective {
		if i == 0 || !bytes.Equal(h, x.Corrective[i-1]) {
			uniq = append(uniq, h)
		}
	}
	x.Corrective = uniq
	return nil
}

func typedList(list []rawTyped, v registry.Vocab, id func(rawTyped) string) ([]registry.TypedID, error) {
	var out []registry.TypedID
	for _, t := range list {
		u, err := normalizeURI(id(t))
		if err != nil {
			return nil, err
		}
		out = append(out, registry.TypedID{Type: NormalizeVocab(v, t.Type), ID: u})
	}
	sort.Slice(out, func(a, b int) bool {
		if out[a].ID != out[b].ID {
			return out[a].ID < out[b].ID
		}
		return out[a].Type < out[b].Type
	})
	return out, nil
}

func lessQ(a, b registry.Quantity) bool {
	if a.Class != b.Class {
		return a.Class < b.Class
	}
	if a.Amount != b.Amount {
		return a.Amount < b.Amount
	}
	return a.UOM < b.UOM
}

func sortUnique(in []string) ([]string, bool) {
	sort.Strings(in)
	out := in[:0]
	dups := false
	for i, s := range in {
		if i > 0 && s == in[i-1] {
			dups = true
			continue
		}
		out = append(out, s)
	}
	return out, dups
}

// parseTime reads an RFC 3339 time with any fraction and returns unix
// milliseconds (rounded half up, as the CBV event hash does) and its
// offset as ±hh:mm.
func parseTime(s string) (uint64, string, error) {
	t, err := time.Parse(time.RFC3339Nano, strings.TrimSpace(s))
	if err != nil {
		return 0, "", fmt.Errorf("%q is not an RFC 3339 time", s)
	}
	ns := t.UnixNano()
	if t.Year() < 1971 || t.Year() > 2200 || ns < 0 {
		return 0, "", fmt.Errorf("%q is out of range", s)
	}
	ms := (ns + 500_000) / 1_000_000
	_, off := t.Zone()
	sign := '+'
	if off < 0 {
		sign, off = '-', -off
	}
	return uint64(ms), fmt.Sprintf("%c%02d:%02d", sign, off/3600, off%3600/60), nil
}

// canonicalDecimal writes a JSON number as the chain's canonical decimal
// ("1.50" -> "1.5", "2.0" -> "2"); "" stays "". Signs and exponents are
// refused.
func canonicalDecimal(n json.Number) (string, error) {
	s := strings.TrimSpace(n.String())
	if s == "" {
		return "", nil
	}
	if strings.ContainsAny(s, "eE+-") {
		if f, err := n.Float64(); err == nil && f >= 0 && f < 1e15 && f == math.Trunc(f) {
			return fmt.Sprintf("%d", int64(f)), nil
		}
		return "", fmt.Errorf("quantity %s: write a plain non-negative decimal", s)
	}
	intPart, frac, hasFrac := strings.Cut(s, ".")
	intPart = strings.TrimLeft(intPart, "0")
	if intPart == "" {
		intPart = "0"
	}
	if hasFrac {
		frac = strings.TrimRight(frac, "0")
	}
	out := intPart
	if frac != "" {
		out += "." + frac
	}
	if err := registry.CheckDecimal(out); err != nil {
		return "", err
	}
	return out, nil
}

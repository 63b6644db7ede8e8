package registry

// Version 2 of the event hash: the CBV 2.0 EPCIS Event Hash ID exactly as
// the standard defines it and its reference implementation computes it
// since February 2023 (github.com/RalphTro/epcis-event-hash-generator,
// CBV 2.0 profile; docs/provenance.md#the-event-hash names the vectors):
//
//   - typed lists (bizTransactionList, sourceList, destinationList) render
//     each entry type first, "type=<type URI><field>=<id>", and the entries
//     are sorted by that string (version 1, the chain's first ordering, put
//     the id first);
//   - persistentDisposition, sensorElementList, ilmd and user extensions
//     are part of the hash: sensor elements in the standard's property
//     order; ilmd and extensions as "{namespace}name=value" sorted at every
//     level; extensions inside readPoint, bizLocation and the sensor fields
//     in a trailing block after ilmd, prefixed by the field's name; event
//     level extensions last;
//   - TransactionEvent and AssociationEvent are recorded too.
//
// Events recorded before version 2 keep HashVersion 0 and their version-1
// pre-hash, so their ids keep verifying.

import (
	"sort"
	"strings"
	"unicode/utf8"
)

// Hash versions of an EPCIS event (EPCISEvent.HashVersion).
const (
	EventHashV1 = 0 // the chain's first ordering: events recorded before version 2
	EventHashV2 = 2 // CBV 2.0 as the reference implementation computes it
)

// Bounds of the hashed-only parts of an event (HashNode trees).
const (
	MaxHashNodes    = 2000 // nodes in one event's sensor, ilmd and extension trees
	MaxHashDepth    = 12
	MaxHashNameLen  = 512
	MaxHashValueLen = 4096
	MaxPersistent   = 20 // persistentDisposition set/unset terms
)

// HashNode is a part of an event the chain records to hash it (sensor
// data, ilmd, user extensions) without interpreting it: a standard field's
// name or an extension's "{namespace}localName", an optional value (already
// canonical: vocabulary expanded, numbers and identifiers normalised) and
// children. It renders as name, then "=value" when there is a value, then
// its children.
type HashNode struct {
	Name     string
	Value    string
	Children []HashNode
}

// IsExtension reports whether the node is a user extension ("{ns}name").
func (n *HashNode) IsExtension() bool { return strings.HasPrefix(n.Name, "{") }

func encodeNodes(e *Encoder, ns []HashNode) {
	e.Uint(uint64(len(ns)))
	for i := range ns {
		e.String(ns[i].Name)
		e.String(ns[i].Value)
		encodeNodes(e, ns[i].Children)
	}
}

func decodeNodes(d *Decoder, depth int) []HashNode {
	n := d.Count(MaxHashNodes, 3)
	if depth > MaxHashDepth {
		d.fail("hashed fields nested deeper than %d", MaxHashDepth)
		return nil
	}
	out := make([]HashNode, 0, n)
	for i := 0; i < n && d.Err() == nil; i++ {
		x := HashNode{Name: d.String(), Value: d.String()}
		x.Children = decodeNodes(d, depth+1)
		out = append(out, x)
	}
	return out
}

// render writes the node; standard children of the sensor fields keep the
// standard's property order, everything else is sorted (rule 19-21).
func (n *HashNode) render() string {
	var b strings.Builder
	b.WriteString(n.Name)
	if n.Value != "" {
		b.WriteByte('=')
		b.WriteString(n.Value)
	}
	b.WriteString(renderSorted(n.Children))
	return b.String()
}

// renderSorted renders nodes and concatenates them in sorted order.
func renderSorted(ns []HashNode) string {
	parts := make([]string, 0, len(ns))
	for i := range ns {
		parts = append(parts, ns[i].render())
	}
	sort.Strings(parts)
	return strings.Join(parts, "")
}

// Property order of the sensor fields (CBV 2.0 canonical property order).
var (
	sensorMetadataOrder = []string{"time", "startTime", "endTime", "deviceID", "deviceMetadata", "rawData",
		"dataProcessingMethod", "bizRules"}
	sensorReportOrder = []string{"type", "exception", "deviceID", "deviceMetadata", "rawData", "dataProcessingMethod",
		"time", "microorganism", "chemicalSubstance", "value", "component", "stringValue", "booleanValue",
		"hexBinaryValue", "uriValue", "minValue", "maxValue", "meanValue", "sDev", "percRank", "percValue", "uom",
		"coordinateReferenceSystem"}
)

// renderStandard renders a sensor field's standard children in property
// order (extensions go to the trailing block); "" when none.
func renderStandard(name string, n *HashNode, order []string) string {
	var b strings.Builder
	for _, k := range order {
		for i := range n.Children {
			if c := &n.Children[i]; c.Name == k && c.Value != "" {
				b.WriteString(k + "=" + c.Value)
			}
		}
	}
	if b.Len() == 0 {
		return ""
	}
	return name + b.String()
}

// sensorStandard renders a sensorElement's standard part: its metadata,
// then its reports sorted.
func sensorStandard(el *HashNode) string {
	var meta string
	var reports []string
	for i := range el.Children {
		c := &el.Children[i]
		switch c.Name {
		case "sensorMetadata":
			meta += renderStandard("sensorMetadata", c, sensorMetadataOrder)
		case "sensorReport":
			if s := renderStandard("sensorReport", c, sensorReportOrder); s != "" {
				reports = append(reports, s)
			}
		}
	}
	sort.Strings(reports)
	body := meta + strings.Join(reports, "")
	if body == "" {
		return ""
	}
	return "sensorElement" + body
}

// sensorExtensions renders the trailing block of a sensorElement: the
// extensions of its metadata, of each report, then its own, each group
// after its field's name; "" when it has none.
func sensorExtensions(el *HashNode) string {
	var meta, own string
	var reports []string
	exts := func(c *HashNode) string {
		var xs []HashNode
		for i := range c.Children {
			if c.Children[i].IsExtension() {
				xs = append(xs, c.Children[i])
			}
		}
		return renderSorted(xs)
	}
	var direct []HashNode
	for i := range el.Children {
		c := &el.Children[i]
		switch {
		case c.Name == "sensorMetadata":
			if s := exts(c); s != "" {
				meta += "sensorMetadata" + s
			}
		case c.Name == "sensorReport":
			if s := exts(c); s != "" {
				reports = append(reports, "sensorReport"+s)
			}
		case c.IsExtension():
			direct = append(direct, *c)
		}
	}
	own = renderSorted(direct)
	body := meta + strings.Join(reports, "") + own
	if body == "" {
		return ""
	}
	return "sensorElement" + body
}

// preHash is the CBV 2.0 pre-hash string; idFirst writes typed-list
// entries id first, as version 1 did.
func (ev *EPCISEvent) preHash(idFirst bool) string {
	var b preHashWriter
	typed := func(name, field string, v Vocab, ts []TypedID) {
		items := make([]string, 0, len(ts))
		for _, t := range ts {
			id, typ := field+"="+t.ID, ""
			if t.Type != "" {
				typ = "type=" + ExpandVocab(v, t.Type)
			}
			if idFirst {
				items = append(items, id+typ)
			} else {
				items = append(items, typ+id)
			}
		}
		b.list(name, items)
	}
	b.kv("eventType", ev.Type.String())
	b.kv("eventTime", FormatEventTime(ev.Time))
	b.kv("eventTimeZoneOffset", ev.TZOffset)
	switch ev.Type {
	case EventObject, EventTransaction:
		b.epcs("epcList", ev.EPCs)
		b.kv("parentID", ev.Parent)
		b.quantities("quantityList", ev.Quantities)
	case EventAggregation, EventAssociation:
		b.kv("parentID", ev.Parent)
		b.epcs("childEPCs", ev.EPCs)
		b.quantities("childQuantityList", ev.Quantities)
	case EventTransformation:
		b.epcs("inputEPCList", ev.EPCs)
		b.quantities("inputQuantityList", ev.Quantities)
		b.epcs("outputEPCList", ev.OutEPCs)
		b.quantities("outputQuantityList", ev.OutQuantities)
	}
	b.kv("action", ev.Action.String())
	b.kv("transformationID", ev.TransformationID)
	b.kv("bizStep", ExpandVocab(VocabBizStep, ev.BizStep))
	b.kv("disposition", ExpandVocab(VocabDisposition, ev.Disposition))
	if len(ev.PersistentSet)+len(ev.PersistentUnset) > 0 {
		var set, unset []string
		for _, s := range ev.PersistentSet {
			set = append(set, "set="+ExpandVocab(VocabDisposition, s))
		}
		for _, s := range ev.PersistentUnset {
			unset = append(unset, "unset="+ExpandVocab(VocabDisposition, s))
		}
		sort.Strings(set)
		sort.Strings(unset)
		b.WriteString("persistentDisposition" + strings.Join(set, "") + strings.Join(unset, ""))
	}
	if ev.ReadPoint != "" {
		b.kv("readPointid", ev.ReadPoint)
	}
	if ev.BizLocation != "" {
		b.kv("bizLocationid", ev.BizLocation)
	}
	typed("bizTransactionList", "bizTransaction", VocabBizTransactionType, ev.BizTransactions)
	typed("sourceList", "source", VocabSourceDestType, ev.Sources)
	typed("destinationList", "destination", VocabSourceDestType, ev.Destinations)
	// sensorElementList: the list's own name is not part of a CBV 2.0
	// pre-hash (CBV 2.1 adds it).
	var sensors []string
	for i := range ev.Sensors {
		if s := sensorStandard(&ev.Sensors[i]); s != "" {
			sensors = append(sensors, s)
		}
	}
	sort.Strings(sensors)
	b.WriteString(strings.Join(sensors, ""))
	if len(ev.ILMD) > 0 {
		b.WriteString("ilmd" + renderSorted(ev.ILMD))
	}
	// The trailing block: extensions inside standard fields, in property
	// order, each after its field's name.
	if len(ev.ReadPointExt) > 0 {
		b.WriteString("readPoint" + renderSorted(ev.ReadPointExt))
	}
	if len(ev.BizLocationExt) > 0 {
		b.WriteString("bizLocation" + renderSorted(ev.BizLocationExt))
	}
	var sensorExt []string
	for i := range ev.Sensors {
		if s := sensorExtensions(&ev.Sensors[i]); s != "" {
			sensorExt = append(sensorExt, s)
		}
	}
	sort.Strings(sensorExt)
	b.WriteString(strings.Join(sensorExt, ""))
	b.WriteString(renderSorted(ev.Extensions))
	return b.String()
}

// validateV2 checks the parts only version 2 records.
func (ev *EPCISEvent) validateV2() error {
	if ev.HashVersion != EventHashV2 {
		if len(ev.PersistentSet)+len(ev.PersistentUnset)+len(ev.Sensors)+len(ev.ILMD)+len(ev.Extensions)+
			len(ev.ReadPointExt)+len(ev.BizLocationExt) > 0 || ev.Type == EventTransaction || ev.Type == EventAssociation {
			return Errorf(ErrInvalid, "sensor data, ilmd, extensions, persistentDisposition, TransactionEvent and AssociationEvent need hash version %d", EventHashV2)
		}
		return nil
	}
	for _, l := range []struct {
		name  string
		terms []string
	}{{"persistentDisposition set", ev.PersistentSet}, {"persistentDisposition unset", ev.PersistentUnset}} {
		if len(l.terms) > MaxPersistent {
			return Errorf(ErrInvalid, "at most %d %s terms", MaxPersistent, l.name)
		}
		for i, s := range l.terms {
			if err := CheckVocab(VocabDisposition, s); err != nil {
				return err
			}
			if i > 0 && l.terms[i-1] >= s {
				return Errorf(ErrInvalid, "%s terms must be sorted and unique", l.name)
			}
		}
	}
	count := 0
	for _, g := range []struct {
		name  string
		nodes []HashNode
		ext   bool // every top node is an extension
	}{{"readPoint", ev.ReadPointExt, true}, {"bizLocation", ev.BizLocationExt, true}, {"ilmd", ev.ILMD, true},
		{"extension", ev.Extensions, true}, {"sensorElementList", ev.Sensors, false}} {
		for i := range g.nodes {
			n := &g.nodes[i]
			if g.ext && !n.IsExtension() {
				return Errorf(ErrInvalid, "%s field %q is not a namespaced extension ({namespace}name)", g.name, n.Name)
			}
			if !g.ext && n.Name != "sensorElement" {
				return Errorf(ErrInvalid, "sensorElementList holds sensorElement entries, not %q", n.Name)
			}
			if err := checkNode(n, 1, &count); err != nil {
				return err
			}
		}
	}
	for i := range ev.Sensors {
		if err := checkSensorElement(&ev.Sensors[i]); err != nil {
			return err
		}
	}
	return nil
}

// checkNode bounds a tree and checks its text.
func checkNode(n *HashNode, depth int, count *int) error {
	*count++
	switch {
	case *count > MaxHashNodes:
		return Errorf(ErrInvalid, "at most %d sensor, ilmd and extension fields per event", MaxHashNodes)
	case depth > MaxHashDepth:
		return Errorf(ErrInvalid, "sensor, ilmd and extension fields nested deeper than %d", MaxHashDepth)
	case n.Name == "" || len(n.Name) > MaxHashNameLen || len(n.Value) > MaxHashValueLen:
		return Errorf(ErrInvalid, "field name of 1..%d bytes and value of at most %d bytes", MaxHashNameLen, MaxHashValueLen)
	case !printable(n.Name) || !printable(n.Value):
		return Errorf(ErrInvalid, "field %q: names and values are UTF-8 text without control characters", n.Name)
	}
	if n.IsExtension() {
		if i := strings.IndexByte(n.Name, '}'); i < 2 || i == len(n.Name)-1 {
			return Errorf(ErrInvalid, "extension %q must be {namespace}localName", n.Name)
		}
	}
	for i := range n.Children {
		if err := checkNode(&n.Children[i], depth+1, count); err != nil {
			return err
		}
	}
	return nil
}

// printable: valid UTF-8 without control characters. Unlike CheckNFC it
// does not ask for NFC: hashed values are hashed as the business wrote
// them, so the chain may not normalise them, and a business's data need
// not be normalised text.
func printable(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if r < 0x20 || r == 0x7f {
			return false
		}
	}
	return true
}

// checkSensorElement: a sensorElement holds at most one sensorMetadata,
// sensorReports and extensions; their standard fields are the standard's,
// with a value and no children.
func checkSensorElement(el *HashNode) error {
	if el.Value != "" {
		return Errorf(ErrInvalid, "sensorElement has no value of its own")
	}
	metas := 0
	for i := range el.Children {
		c := &el.Children[i]
		var order []string
		switch {
		case c.Name == "sensorMetadata":
			metas++
			order = sensorMetadataOrder
		case c.Name == "sensorReport":
			order = sensorReportOrder
		case c.IsExtension():
			continue
		default:
			return Errorf(ErrInvalid, "sensorElement field %q is neither sensorMetadata, sensorReport nor an extension", c.Name)
		}
		if c.Value != "" {
			return Errorf(ErrInvalid, "%s has no value of its own", c.Name)
		}
		seen := map[string]bool{}
		for j := range c.Children {
			f := &c.Children[j]
			if f.IsExtension() {
				continue
			}
			if !containsString(order, f.Name) {
				return Errorf(ErrInvalid, "%s field %q is not a standard field (namespace an extension: {ns}name)", c.Name, f.Name)
			}
			if f.Value == "" || len(f.Children) > 0 || seen[f.Name] {
				return Errorf(ErrInvalid, "%s.%s must be one value", c.Name, f.Name)
			}
			seen[f.Name] = true
		}
	}
	if metas > 1 {
		return Errorf(ErrInvalid, "a sensorElement has at most one sensorMetadata")
	}
	return nil
}

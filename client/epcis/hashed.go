package epcis

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/big"
	"sort"
	"strings"

	"github.com/danangchain/danangchain/registry"
)

// The parts of an event the chain hashes without interpreting them
// (sensor data, ilmd, user extensions; registry.HashNode), converted from
// JSON-LD the way the CBV 2.0 event hash wants them: extension names as
// "{namespace}localName" from the document's @context, values trimmed,
// CBV URNs as web URIs, numbers without trailing zeros, EPC URIs as GS1
// Digital Link URIs.

// namespaces maps the @context's prefixes to their IRIs.
type namespaces map[string]string

// builtinNamespaces are prefixes the EPCIS 2.0 context defines that
// documents use without declaring (the master-data attributes of ilmd).
var builtinNamespaces = namespaces{"cbvmda": "urn:epcglobal:cbv:mda"}

// contextNamespaces reads the prefix definitions of a JSON-LD @context
// (a string, an object or an array of them; remote contexts are not
// fetched: the EPCIS context's own terms are the fields this package
// knows).
func contextNamespaces(raw json.RawMessage) namespaces {
	ns := namespaces{}
	for k, v := range builtinNamespaces {
		ns[k] = v
	}
	var list []json.RawMessage
	if json.Unmarshal(raw, &list) != nil {
		list = []json.RawMessage{raw}
	}
	for _, item := range list {
		var obj map[string]json.RawMessage
		if json.Unmarshal(item, &obj) != nil {
			continue
		}
		for k, v := range obj {
			var iri string
			if json.Unmarshal(v, &iri) == nil && strings.Contains(iri, ":") && !strings.HasPrefix(k, "@") {
				ns[k] = iri
			}
		}
	}
	return ns
}

// expand turns "prefix:local" into "{iri}local"; ok is false when the key
// has no declared prefix.
func (ns namespaces) expand(key string) (string, bool) {
	p, local, found := strings.Cut(key, ":")
	if !found || local == "" {
		return "", false
	}
	iri, ok := ns[p]
	if !ok {
		return "", false
	}
	return "{" + iri + "}" + local, true
}

// ignoredKeys are JSON-LD annotations that are not data.
var ignoredKeys = map[string]bool{"#text": true, "rdfs:comment": true, "comment": true}

// webVocab maps the URN forms of CBV values to their web URIs.
var webVocab = []struct{ urn, web string }{
	{"urn:epcglobal:cbv:bizstep:", "https://ref.gs1.org/cbv/BizStep-"},
	{"urn:epcglobal:cbv:disp:", "https://ref.gs1.org/cbv/Disp-"},
	{"urn:epcglobal:cbv:btt:", "https://ref.gs1.org/cbv/BTT-"},
	{"urn:epcglobal:cbv:sdt:", "https://ref.gs1.org/cbv/SDT-"},
	{"urn:epcglobal:cbv:er:", "https://ref.gs1.org/cbv/ER-"},
}

// canonValue is a hashed value as the CBV event hash writes it: trimmed,
// CBV URNs and the gs1:/cbv: prefixes expanded, a number without
// trailing zeros, an EPC URI or a GS1 Digital Link URI in canonical
// Digital Link form; anything else unchanged.
func canonValue(s string) string {
	s = strings.TrimSpace(s)
	for _, w := range webVocab {
		if strings.HasPrefix(s, w.urn) {
			s = w.web + s[len(w.urn):]
		}
	}
	switch {
	case strings.HasPrefix(s, "gs1:"):
		s = "https://ref.gs1.org/voc/" + s[4:]
	case strings.HasPrefix(s, "cbv:"):
		s = "https://ref.gs1.org/cbv/" + s[4:]
	}
	if n, ok := canonNumber(s); ok {
		return n
	}
	switch {
	case strings.HasPrefix(s, "urn:epc:"):
		if dl, err := epcURNToDL(s); err == nil {
			return dl
		}
	case strings.HasPrefix(s, "https://") || strings.HasPrefix(s, "http://"):
		if dl, ok, err := canonicalDL(s); ok && err == nil {
			return dl
		}
	}
	return s
}

// canonNumber writes a decimal number without trailing zeros ("200.0" ->
// "200", "0.50" -> "0.5", "1e3" -> "1000"); ok is false for anything that
// is not a finite decimal number.
func canonNumber(s string) (string, bool) {
	if s == "" || len(s) > 64 || strings.ContainsAny(s, " _/xXpP") || strings.Count(s, ".") > 1 {
		return "", false
	}
	for _, c := range s {
		if !(c >= '0' && c <= '9' || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E') {
			return "", false
		}
	}
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		return "", false
	}
	if r.IsInt() {
		return r.Num().String(), true
	}
	out := strings.TrimRight(r.FloatString(40), "0")
	return strings.TrimSuffix(out, "."), true
}

// jsonNodes converts one JSON member (name: value) into hash nodes: a
// scalar is one node with a value, an array repeats the name per element,
// an object is one node whose children are its members. Inside an
// extension, names without a prefix stay bare.
func jsonNodes(ns namespaces, name string, raw json.RawMessage, depth int) ([]registry.HashNode, error) {
	if depth > registry.MaxHashDepth {
		return nil, fmt.Errorf("%s: nested deeper than %d", name, registry.MaxHashDepth)
	}
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	switch raw[0] {
	case '[':
		var items []json.RawMessage
		if err := json.Unmarshal(raw, &items); err != nil {
			return nil, fmt.Errorf("%s: %v", name, err)
		}
		var out []registry.HashNode
		for _, it := range items {
			ns2, err := jsonNodes(ns, name, it, depth)
			if err != nil {
				return nil, err
			}
			out = append(out, ns2...)
		}
		return out, nil
	case '{':
		var obj map[string]json.RawMessage
		if err := strictJSON(raw, &obj); err != nil {
			return nil, fmt.Errorf("%s: %v", name, err)
		}
		n := registry.HashNode{Name: name}
		for _, k := range sortedKeys(obj) {
			if ignoredKeys[k] || strings.HasPrefix(k, "@") {
				continue
			}
			child := k
			if x, ok := ns.expand(k); ok {
				child = x
			}
			cs, err := jsonNodes(ns, child, obj[k], depth+1)
			if err != nil {
				return nil, err
			}
			n.Children = append(n.Children, cs...)
		}
		return []registry.HashNode{n}, nil
	case '"':
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return nil, fmt.Errorf("%s: %v", name, err)
		}
		return []registry.HashNode{{Name: name, Value: canonValue(s)}}, nil
	case 't', 'f':
		return []registry.HashNode{{Name: name, Value: string(raw)}}, nil
	default:
		if v, ok := canonNumber(string(raw)); ok {
			return []registry.HashNode{{Name: name, Value: v}}, nil
		}
		return nil, fmt.Errorf("%s: %s is not a JSON value", name, raw)
	}
}

func sortedKeys(m map[string]json.RawMessage) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// extensionNodes converts the members of obj that are namespaced
// extensions (a declared prefix) into nodes; other unknown members are
// named in the warnings and left out.
func extensionNodes(ns namespaces, obj map[string]json.RawMessage, known map[string]bool, where string) ([]registry.HashNode, []string, error) {
	var out []registry.HashNode
	var warn []string
	for _, k := range sortedKeys(obj) {
		if known[k] || ignoredKeys[k] || strings.HasPrefix(k, "@") {
			continue
		}
		name, ok := ns.expand(k)
		if !ok {
			warn = append(warn, fmt.Sprintf("%s%s is neither an EPCIS field nor a namespaced extension (prefix declared in @context): not recorded, not hashed", where, k))
			continue
		}
		ns2, err := jsonNodes(ns, name, obj[k], 1)
		if err != nil {
			return nil, nil, err
		}
		out = append(out, ns2...)
	}
	return out, warn, nil
}

// sensorFields lists the standard fields of sensorMetadata and
// sensorReport and how their values are written.
var sensorFields = map[string]map[string]bool{
	"sensorMetadata": {"time": true, "startTime": true, "endTime": true, "deviceID": true, "deviceMetadata": true,
		"rawData": true, "dataProcessingMethod": true, "bizRules": true},
	"sensorReport": {"type": true, "exception": true, "deviceID": true, "deviceMetadata": true, "rawData": true,
		"dataProcessingMethod": true, "time": true, "microorganism": true, "chemicalSubstance": true, "value": true,
		"component": true, "stringValue": true, "booleanValue": true, "hexBinaryValue": true, "uriValue": true,
		"minValue": true, "maxValue": true, "meanValue": true, "sDev": true, "percRank": true, "percValue": true,
		"uom": true, "coordinateReferenceSystem": true},
}

// sensorValue writes a standard sensor field's value: times in UTC with
// milliseconds, the measurement type and exception as GS1 vocabulary
// URIs, everything else as canonValue.
func sensorValue(field string, raw json.RawMessage) (string, error) {
	raw = bytes.TrimSpace(raw)
	var s string
	switch {
	case len(raw) > 0 && raw[0] == '"':
		if err := json.Unmarshal(raw, &s); err != nil {
			return "", err
		}
	case string(raw) == "true" || string(raw) == "false":
		return string(raw), nil
	default:
		v, ok := canonNumber(string(raw))
		if !ok {
			return "", fmt.Errorf("%s: %s is not a value", field, raw)
		}
		return v, nil
	}
	s = strings.TrimSpace(s)
	switch field {
	case "time", "startTime", "endTime":
		ms, _, err := parseTime(s)
		if err != nil {
			return "", fmt.Errorf("%s: %v", field, err)
		}
		return registry.FormatEventTime(ms), nil
	case "type", "exception":
		if s != "" && !strings.Contains(s, ":") {
			return "https://ref.gs1.org/voc/" + s, nil
		}
	}
	return canonValue(s), nil
}

// sensorNodes converts a sensorElementList.
func sensorNodes(ns namespaces, raw json.RawMessage, i int) ([]registry.HashNode, []string, error) {
	var list []map[string]json.RawMessage
	if err := strictJSON(raw, &list); err != nil {
		return nil, nil, fmt.Errorf("sensorElementList: %v", err)
	}
	var out []registry.HashNode
	var warn []string
	part := func(name string, obj map[string]json.RawMessage) (registry.HashNode, error) {
		n := registry.HashNode{Name: name}
		for _, k := range sortedKeys(obj) {
			if !sensorFields[name][k] {
				continue
			}
			v, err := sensorValue(k, obj[k])
			if err != nil {
				return n, fmt.Errorf("%s.%v", name, err)
			}
			if v != "" {
				n.Children = append(n.Children, registry.HashNode{Name: k, Value: v})
			}
		}
		exts, w, err := extensionNodes(ns, obj, sensorFields[name], fmt.Sprintf("event %d: %s.", i, name))
		warn = append(warn, w...)
		n.Children = append(n.Children, exts...)
		return n, err
	}
	for _, el := range list {
		node := registry.HashNode{Name: "sensorElement"}
		if m := el["sensorMetadata"]; m != nil {
			var obj map[string]json.RawMessage
			if err := strictJSON(m, &obj); err != nil {
				return nil, nil, fmt.Errorf("sensorMetadata: %v", err)
			}
			p, err := part("sensorMetadata", obj)
			if err != nil {
				return nil, nil, err
			}
			node.Children = append(node.Children, p)
		}
		if r := el["sensorReport"]; r != nil {
			var reports []map[string]json.RawMessage
			if err := strictJSON(r, &reports); err != nil {
				return nil, nil, fmt.Errorf("sensorReport: %v", err)
			}
			for _, obj := range reports {
				p, err := part("sensorReport", obj)
				if err != nil {
					return nil, nil, err
				}
				node.Children = append(node.Children, p)
			}
		}
		exts, w, err := extensionNodes(ns, el, map[string]bool{"sensorMetadata": true, "sensorReport": true},
			fmt.Sprintf("event %d: sensorElement.", i))
		if err != nil {
			return nil, nil, err
		}
		warn = append(warn, w...)
		node.Children = append(node.Children, exts...)
		out = append(out, node)
	}
	return out, warn, nil
}

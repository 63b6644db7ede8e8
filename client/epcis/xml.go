package epcis

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
)

// The EPCIS 2.0 XML binding (namespace urn:epcglobal:epcis:xsd:2). An XML
// document is rewritten into the JSON-LD form of the same document and
// read by the one JSON reader, so that both bindings give the same events
// and hashes by construction: element names become keys, list wrappers
// become arrays, a typed entry's type attribute becomes "type", the
// sensor fields' attributes become members, <extension> and
// <baseExtension> wrappers are dropped (their content belongs to the
// parent, as the event hash wants), and namespaced elements and attributes
// become "nsN:local" members with nsN declared in the generated @context.

// xmlNS is the EPCIS 2.0 XML namespace; 1.x documents are refused.
const xmlNS = "urn:epcglobal:epcis:xsd:2"

// xnode is an XML element.
type xnode struct {
	name     xml.Name
	attrs    []xml.Attr
	children []*xnode
	text     strings.Builder
}

// readXML builds the element tree, bounded in depth.
func readXML(b []byte) (*xnode, error) {
	dec := xml.NewDecoder(bytes.NewReader(b))
	dec.Strict = true
	var stack []*xnode
	var root *xnode
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("EPCIS XML: %v", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if len(stack) > 64 {
				return nil, errors.New("EPCIS XML: elements nested deeper than 64")
			}
			n := &xnode{name: t.Name, attrs: t.Attr}
			if len(stack) > 0 {
				p := stack[len(stack)-1]
				p.children = append(p.children, n)
			} else if root == nil {
				root = n
			}
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].text.Write(t)
			}
		case xml.Directive:
			// A DOCTYPE (GS1's own examples carry one) is ignored:
			// encoding/xml neither fetches external DTDs nor defines the
			// entities of an internal subset, so an entity reference in the
			// document is an error, never an expansion.
		}
	}
	if root == nil {
		return nil, errors.New("EPCIS XML: no root element")
	}
	return root, nil
}

// xmlToJSON is the conversion state: the namespaces met and their
// generated prefixes.
type xmlToJSON struct {
	prefixes map[string]string // namespace URI -> nsN
}

func (c *xmlToJSON) prefix(space string) string {
	if p, ok := c.prefixes[space]; ok {
		return p
	}
	if space == "urn:epcglobal:cbv:mda" {
		c.prefixes[space] = "cbvmda"
		return "cbvmda"
	}
	p := fmt.Sprintf("ns%d", len(c.prefixes)+1)
	c.prefixes[space] = p
	return p
}

// key is the JSON key of a namespaced name: "nsN:local"; "" for an
// unqualified name.
func (c *xmlToJSON) key(n xml.Name) string {
	if n.Space == "" || n.Space == xmlNS {
		return n.Local
	}
	return c.prefix(n.Space) + ":" + n.Local
}

func text(n *xnode) string { return strings.TrimSpace(n.text.String()) }

// generic converts an extension element: its text, or an object of its
// attributes and children (repeated names become arrays).
func (c *xmlToJSON) generic(n *xnode) any {
	if len(n.children) == 0 && len(userAttrs(n.attrs)) == 0 {
		return text(n)
	}
	obj := map[string]any{}
	for _, a := range userAttrs(n.attrs) {
		addMember(obj, c.key(a.Name), strings.TrimSpace(a.Value))
	}
	for _, ch := range flatten(n.children) {
		addMember(obj, c.key(ch.name), c.generic(ch))
	}
	return obj
}

// addMember sets obj[k] = v; a repeated name becomes an array, as in
// JSON-LD.
func addMember(obj map[string]any, k string, v any) {
	if prev, ok := obj[k]; ok {
		if list, ok := prev.([]any); ok {
			obj[k] = append(list, v)
		} else {
			obj[k] = []any{prev, v}
		}
		return
	}
	obj[k] = v
}

// userAttrs drops namespace declarations.
func userAttrs(as []xml.Attr) []xml.Attr {
	var out []xml.Attr
	for _, a := range as {
		if a.Name.Space == "xmlns" || (a.Name.Space == "" && a.Name.Local == "xmlns") || a.Name.Space == "http://www.w3.org/2001/XMLSchema-instance" {
			continue
		}
		out = append(out, a)
	}
	return out
}

// flatten replaces <extension> and <baseExtension> wrappers by their
// children.
func flatten(ns []*xnode) []*xnode {
	var out []*xnode
	for _, n := range ns {
		if n.name.Space == "" && (n.name.Local == "extension" || n.name.Local == "baseExtension") {
			out = append(out, flatten(n.children)...)
			continue
		}
		out = append(out, n)
	}
	return out
}

func attr(n *xnode, local string) string {
	for _, a := range n.attrs {
		if a.Name.Space == "" && a.Name.Local == local {
			return strings.TrimSpace(a.Value)
		}
	}
	return ""
}

// number writes a quantity as a JSON number when it is one (the JSON
// reader refuses it otherwise, with its usual message).
func number(s string) any {
	if _, ok := canonNumber(s); ok {
		return json.Number(s)
	}
	return s
}

// event converts one event element.
func (c *xmlToJSON) event(n *xnode) (map[string]any, error) {
	ev := map[string]any{"type": n.name.Local}
	for _, ch := range flatten(n.children) {
		k := c.key(ch.name)
		if ch.name.Space != "" && ch.name.Space != xmlNS {
			addMember(ev, k, c.generic(ch))
			continue
		}
		switch k {
		case "epcList", "childEPCs", "inputEPCList", "outputEPCList":
			list := []any{}
			for _, e := range flatten(ch.children) {
				list = append(list, text(e))
			}
			ev[k] = list
		case "quantityList", "childQuantityList", "inputQuantityList", "outputQuantityList":
			list := []any{}
			for _, q := range flatten(ch.children) {
				el := map[string]any{}
				for _, f := range flatten(q.children) {
					switch f.name.Local {
					case "quantity":
						el["quantity"] = number(text(f))
					default:
						el[c.key(f.name)] = text(f)
					}
				}
				list = append(list, el)
			}
			ev[k] = list
		case "readPoint", "bizLocation", "ilmd":
			ev[k] = c.generic(ch)
			if s, ok := ev[k].(string); ok && k != "ilmd" {
				ev[k] = map[string]any{"id": s}
			}
		case "bizTransactionList", "sourceList", "destinationList":
			field := map[string]string{"bizTransactionList": "bizTransaction", "sourceList": "source", "destinationList": "destination"}[k]
			list := []any{}
			for _, e := range flatten(ch.children) {
				el := map[string]any{field: text(e)}
				if t := attr(e, "type"); t != "" {
					el["type"] = t
				}
				list = append(list, el)
			}
			ev[k] = list
		case "persistentDisposition":
			pd := map[string]any{}
			for _, e := range flatten(ch.children) {
				list, _ := pd[e.name.Local].([]any)
				pd[e.name.Local] = append(list, text(e))
			}
			ev[k] = pd
		case "sensorElementList":
			list := []any{}
			for _, se := range flatten(ch.children) {
				el := map[string]any{}
				var reports []any
				for _, part := range flatten(se.children) {
					switch {
					case part.name.Space == "" && part.name.Local == "sensorMetadata":
						el["sensorMetadata"] = asObject(c.generic(part))
					case part.name.Space == "" && part.name.Local == "sensorReport":
						reports = append(reports, asObject(c.generic(part)))
					default:
						addMember(el, c.key(part.name), c.generic(part))
					}
				}
				if reports != nil {
					el["sensorReport"] = reports
				}
				list = append(list, el)
			}
			ev[k] = list
		case "errorDeclaration":
			decl := map[string]any{}
			for _, f := range flatten(ch.children) {
				if f.name.Local == "correctiveEventIDs" {
					ids := []any{}
					for _, id := range flatten(f.children) {
						ids = append(ids, text(id))
					}
					decl["correctiveEventIDs"] = ids
					continue
				}
				decl[c.key(f.name)] = text(f)
			}
			ev[k] = decl
		default:
			ev[k] = text(ch)
		}
	}
	return ev, nil
}

// asObject is an element with neither attributes nor children as an
// empty object.
func asObject(v any) any {
	if _, ok := v.(string); ok {
		return map[string]any{}
	}
	return v
}

// xmlDocument rewrites an EPCIS 2.0 XML document as JSON-LD.
func xmlDocument(b []byte) ([]byte, error) {
	root, err := readXML(b)
	if err != nil {
		return nil, err
	}
	switch {
	case root.name.Space == "urn:epcglobal:epcis:xsd:1":
		return nil, errors.New("EPCIS XML: this is an EPCIS 1.x document (urn:epcglobal:epcis:xsd:1); export EPCIS 2.0 (XML urn:epcglobal:epcis:xsd:2 or JSON-LD)")
	case root.name.Space != xmlNS || (root.name.Local != "EPCISDocument" && root.name.Local != "EPCISQueryDocument"):
		return nil, fmt.Errorf("EPCIS XML: the root element must be epcis:EPCISDocument in %s, not %s", xmlNS, root.name.Local)
	}
	c := &xmlToJSON{prefixes: map[string]string{}}
	var events []any
	var find func(n *xnode, depth int) error
	find = func(n *xnode, depth int) error {
		for _, ch := range n.children {
			switch {
			case ch.name.Space == "" && ch.name.Local == "EventList":
				for _, e := range flatten(ch.children) {
					ev, err := c.event(e)
					if err != nil {
						return err
					}
					events = append(events, ev)
				}
			case depth < 4 && ch.name.Space == "":
				if err := find(ch, depth+1); err != nil {
					return err
				}
			}
		}
		return nil
	}
	if err := find(root, 0); err != nil {
		return nil, err
	}
	ctx := map[string]any{}
	spaces := make([]string, 0, len(c.prefixes))
	for s := range c.prefixes {
		spaces = append(spaces, s)
	}
	sort.Strings(spaces)
	for _, s := range spaces {
		ctx[c.prefixes[s]] = s
	}
	doc := map[string]any{
		"@context":      []any{"https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld", ctx},
		"type":          "EPCISDocument",
		"schemaVersion": attr(root, "schemaVersion"),
		"creationDate":  attr(root, "creationDate"),
		"epcisBody":     map[string]any{"eventList": events},
	}
	if events == nil {
		doc["epcisBody"] = map[string]any{"eventList": []any{}}
	}
	return json.Marshal(doc)
}

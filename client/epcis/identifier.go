package epcis

import (
	"fmt"
	"strings"

	"github.com/danangchain/danangchain/registry"
)

// TraceCodePrefix turns a bare trace code (TCVN 13274:2020-style, for
// products without a GTIN, e.g. a pig's ear tag "HV-HEO-000123") into a URI
// the chain and EPCIS accept: urn:vn:tcvn13274:HV-HEO-000123. This URN
// namespace is a DanangChain convention, not a registered one.
const TraceCodePrefix = "urn:vn:tcvn13274:"

// GS1Resolver is the canonical GS1 Digital Link domain.
const GS1Resolver = "https://id.gs1.org"

// NormalizeIdentifier returns the canonical form of an object, class or
// location identifier, as CBV 2.0's event hash and the chain expect:
//
//   - EPC URIs become canonical GS1 Digital Link URIs: urn:epc:id:sgtin ->
//     /01/{GTIN-14}/21/{serial}, sscc -> /00, sgln -> /414 (+/254 when the
//     extension is not 0), grai -> /8003, giai -> /8004, pgln -> /417,
//     urn:epc:class:lgtin -> /01/{GTIN-14}/10/{lot}, urn:epc:idpat:sgtin ->
//     /01/{GTIN-14};
//   - GS1 Digital Link URIs on any domain move to https://id.gs1.org, lose
//     their query and fragment, pad GTINs to 14 digits and keep only the
//     finest identification (01+21, else 01+10, else 01+235; 414+254;
//     8006+21/10; 8010+8011);
//   - a bare trace code (letters, digits, . - _ /) becomes a trace code URN
//     (TraceCodePrefix);
//   - any other URI is kept as is.
func NormalizeIdentifier(s string) (string, error) {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return "", fmt.Errorf("empty identifier")
	case strings.HasPrefix(s, "urn:epc:"):
		return epcURNToDL(s)
	case strings.HasPrefix(s, "https://") || strings.HasPrefix(s, "http://"):
		if dl, ok, err := canonicalDL(s); ok || err != nil {
			return dl, err
		}
		return s, nil
	case !strings.Contains(s, ":"):
		for i := 0; i < len(s); i++ {
			c := s[i]
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '-' || c == '_' || c == '/') {
				return "", fmt.Errorf("trace code %q: only letters, digits and . - _ / are allowed", s)
			}
		}
		return TraceCodePrefix + s, nil
	}
	return s, nil
}

// CheckDigit returns the GS1 mod-10 check digit of digits.
func CheckDigit(digits string) byte { return registry.GS1CheckDigit(digits) }

func withCheck(body string) string { return body + string(CheckDigit(body)) }

// epcURNToDL converts the EPC URIs that have a GS1 Digital Link form.
func epcURNToDL(s string) (string, error) {
	scheme, rest, ok := cutLast(s)
	if !ok {
		return "", fmt.Errorf("EPC URI %q has no value", s)
	}
	parts := strings.Split(rest, ".")
	bad := func() (string, error) { return "", fmt.Errorf("EPC URI %q is malformed", s) }
	digits := func(idx ...int) bool {
		for _, i := range idx {
			if i >= len(parts) || !registry.AllDigits(parts[i]) {
				return false
			}
		}
		return true
	}
	switch scheme {
	case "urn:epc:id:sgtin", "urn:epc:class:lgtin", "urn:epc:idpat:sgtin":
		if len(parts) != 3 || !digits(0, 1) || len(parts[0])+len(parts[1]) != 13 {
			return bad()
		}
		gtin := withCheck(parts[1][:1] + parts[0] + parts[1][1:])
		switch scheme {
		case "urn:epc:id:sgtin":
			return GS1Resolver + "/01/" + gtin + "/21/" + parts[2], nil
		case "urn:epc:class:lgtin":
			return GS1Resolver + "/01/" + gtin + "/10/" + parts[2], nil
		default:
			if parts[2] != "*" {
				return bad()
			}
			return GS1Resolver + "/01/" + gtin, nil
		}
	case "urn:epc:id:sscc":
		if len(parts) != 2 || !digits(0, 1) || len(parts[0])+len(parts[1]) != 17 {
			return bad()
		}
		return GS1Resolver + "/00/" + withCheck(parts[1][:1]+parts[0]+parts[1][1:]), nil
	case "urn:epc:id:sgln":
		if len(parts) != 3 || !digits(0, 1) || len(parts[0])+len(parts[1]) != 12 {
			return bad()
		}
		dl := GS1Resolver + "/414/" + withCheck(parts[0]+parts[1])
		if parts[2] != "0" && parts[2] != "" {
			dl += "/254/" + parts[2]
		}
		return dl, nil
	case "urn:epc:id:pgln":
		if len(parts) != 2 || !digits(0, 1) || len(parts[0])+len(parts[1]) != 12 {
			return bad()
		}
		return GS1Resolver + "/417/" + withCheck(parts[0]+parts[1]), nil
	case "urn:epc:id:grai":
		if len(parts) != 3 || !digits(0, 1) || len(parts[0])+len(parts[1]) != 12 {
			return bad()
		}
		return GS1Resolver + "/8003/" + withCheck("0"+parts[0]+parts[1]) + parts[2], nil
	case "urn:epc:id:giai":
		if len(parts) != 2 || !digits(0) {
			return bad()
		}
		return GS1Resolver + "/8004/" + parts[0] + webURIEscape(parts[1]), nil
	case "urn:epc:id:gsrn", "urn:epc:id:gsrnp":
		if len(parts) != 2 || !digits(0, 1) || len(parts[0])+len(parts[1]) != 17 {
			return bad()
		}
		ai := map[string]string{"urn:epc:id:gsrn": "8018", "urn:epc:id:gsrnp": "8017"}[scheme]
		return GS1Resolver + "/" + ai + "/" + withCheck(parts[0]+parts[1]), nil
	case "urn:epc:id:gdti", "urn:epc:id:sgcn":
		if len(parts) != 3 || !digits(0, 1) || len(parts[0])+len(parts[1]) != 12 {
			return bad()
		}
		ai := map[string]string{"urn:epc:id:gdti": "253", "urn:epc:id:sgcn": "255"}[scheme]
		return GS1Resolver + "/" + ai + "/" + withCheck(parts[0]+parts[1]) + webURIEscape(parts[2]), nil
	case "urn:epc:idpat:gdti", "urn:epc:idpat:sgcn":
		if len(parts) != 3 || !digits(0, 1) || len(parts[0])+len(parts[1]) != 12 || parts[2] != "*" {
			return bad()
		}
		ai := map[string]string{"urn:epc:idpat:gdti": "253", "urn:epc:idpat:sgcn": "255"}[scheme]
		return GS1Resolver + "/" + ai + "/" + withCheck(parts[0]+parts[1]), nil
	case "urn:epc:idpat:grai":
		if len(parts) != 3 || !digits(0, 1) || len(parts[0])+len(parts[1]) != 12 || parts[2] != "*" {
			return bad()
		}
		return GS1Resolver + "/8003/" + withCheck("0"+parts[0]+parts[1]), nil
	case "urn:epc:id:cpi":
		if len(parts) != 3 || !digits(0) {
			return bad()
		}
		return GS1Resolver + "/8010/" + parts[0] + webURIEscape(parts[1]) + "/8011/" + parts[2], nil
	case "urn:epc:idpat:cpi":
		if len(parts) != 3 || !digits(0) || parts[2] != "*" {
			return bad()
		}
		return GS1Resolver + "/8010/" + parts[0] + webURIEscape(parts[1]), nil
	case "urn:epc:id:ginc":
		if len(parts) != 2 || !digits(0) {
			return bad()
		}
		return GS1Resolver + "/401/" + parts[0] + webURIEscape(parts[1]), nil
	case "urn:epc:id:gsin":
		if len(parts) != 2 || !digits(0, 1) || len(parts[0])+len(parts[1]) != 16 {
			return bad()
		}
		return GS1Resolver + "/402/" + withCheck(parts[0]+parts[1]), nil
	case "urn:epc:id:itip", "urn:epc:idpat:itip":
		if len(parts) != 5 || !digits(0, 1, 2, 3) || len(parts[0])+len(parts[1]) != 13 {
			return bad()
		}
		gtin := withCheck(parts[1][:1] + parts[0] + parts[1][1:])
		if scheme == "urn:epc:idpat:itip" {
			if parts[4] != "*" {
				return bad()
			}
			return GS1Resolver + "/8006/" + gtin + parts[2] + parts[3], nil
		}
		return GS1Resolver + "/8006/" + gtin + parts[2] + parts[3] + "/21/" + webURIEscape(parts[4]), nil
	case "urn:epc:id:upui", "urn:epc:idpat:upui":
		if len(parts) != 3 || !digits(0, 1) || len(parts[0])+len(parts[1]) != 13 {
			return bad()
		}
		gtin := withCheck(parts[1][:1] + parts[0] + parts[1][1:])
		if scheme == "urn:epc:idpat:upui" {
			return GS1Resolver + "/01/" + gtin, nil
		}
		return GS1Resolver + "/01/" + gtin + "/235/" + webURIEscape(parts[2]), nil
	}
	return s, nil // other EPC schemes (gid, ...) have no Digital Link form
}

// cutLast splits "urn:epc:id:sgtin:0614141.107346.2017" into the scheme
// and the value.
// webURIEscape percent-encodes the characters of an EPC URI's serial or
// reference that a GS1 Digital Link path writes escaped.
func webURIEscape(s string) string {
	return strings.NewReplacer("!", "%21", "(", "%28", ")", "%29", "*", "%2A", "+", "%2B", ",", "%2C", ":", "%3A").Replace(s)
}

func cutLast(s string) (string, string, bool) {
	i := strings.LastIndexByte(s, ':')
	if i < 0 || i == len(s)-1 {
		return "", "", false
	}
	return s[:i], s[i+1:], true
}

// primaryKeys are the GS1 Digital Link primary keys and the qualifiers
// kept in the constrained canonical form (finest first).
var primaryKeys = map[string][]string{
	"01": {"21", "10", "235"}, "00": nil, "253": nil, "255": nil, "401": nil, "402": nil,
	"414": {"254"}, "417": nil, "8003": nil, "8004": nil, "8006": {"21", "10"}, "8010": {"8011"}, "8017": nil, "8018": nil,
}

// canonicalDL reports whether s is a GS1 Digital Link URI and returns its
// constrained canonical form.
func canonicalDL(s string) (string, bool, error) {
	rest := s[strings.Index(s, "://")+3:]
	if i := strings.IndexAny(rest, "?#"); i >= 0 {
		rest = rest[:i]
	}
	slash := strings.IndexByte(rest, '/')
	if slash < 0 {
		return "", false, nil
	}
	gs1Host := rest[:slash] == "id.gs1.org"
	segs := strings.Split(strings.Trim(rest[slash:], "/"), "/")
	// The primary key may follow a path prefix on a custom domain.
	for start := 0; start+1 < len(segs); start++ {
		quals, ok := primaryKeys[segs[start]]
		if !ok {
			continue
		}
		pairs := segs[start:]
		if len(pairs)%2 != 0 {
			continue
		}
		key, value := pairs[0], pairs[1]
		if key == "01" {
			if !registry.AllDigits(value) || len(value) > 14 || len(value) < 8 {
				if !gs1Host {
					continue // not a Digital Link after all (e.g. a dated path)
				}
				return "", true, fmt.Errorf("GS1 Digital Link %q: a GTIN has 8 to 14 digits", s)
			}
			value = strings.Repeat("0", 14-len(value)) + value
			if CheckDigit(value[:13]) != value[13] {
				return "", true, fmt.Errorf("GS1 Digital Link %q: GTIN %s has a wrong check digit", s, value)
			}
		}
		out := GS1Resolver + "/" + key + "/" + value
		for _, q := range quals {
			found := false
			for i := 2; i+1 < len(pairs); i += 2 {
				if pairs[i] == q {
					out += "/" + q + "/" + pairs[i+1]
					found = true
					break
				}
			}
			if found {
				break
			}
		}
		return out, true, nil
	}
	return "", false, nil
}

// normalizeURI canonicalises a URI value that is not an object or
// location (a bizTransaction id): EPC URIs and Digital Links as in
// NormalizeIdentifier, bare codes left alone.
func normalizeURI(s string) (string, error) {
	s = strings.TrimSpace(s)
	if !strings.Contains(s, ":") {
		return s, nil
	}
	return NormalizeIdentifier(s)
}

// NormalizeVocab returns a CBV vocabulary value in the bare form the chain
// stores ("shipping"): it strips urn:epcglobal:cbv:<kind>:, the CBV 2.0 web
// URI prefix (https://ref.gs1.org/cbv/BizStep-, and the older
// https://ns.gs1.org/voc/Bizstep-) and the cbv: CURIE. Other URIs are kept.
func NormalizeVocab(v registry.Vocab, s string) string {
	s = strings.TrimSpace(s)
	web := registry.VocabPrefix(v) // https://ref.gs1.org/cbv/BizStep-
	term := strings.TrimPrefix(web, "https://ref.gs1.org/cbv/")
	urn := map[registry.Vocab]string{registry.VocabBizStep: "bizstep", registry.VocabDisposition: "disp",
		registry.VocabBizTransactionType: "btt", registry.VocabSourceDestType: "sdt", registry.VocabErrorReason: "er"}[v]
	for _, p := range []string{web, "cbv:" + term, "urn:epcglobal:cbv:" + urn + ":", "https://ns.gs1.org/voc/" + term,
		"https://ns.gs1.org/voc/" + strings.Replace(term, "BizStep", "Bizstep", 1)} {
		if strings.HasPrefix(s, p) && len(s) > len(p) {
			return s[len(p):]
		}
	}
	return s
}

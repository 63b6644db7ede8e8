package verification

import (
	"strings"

	"github.com/danangchain/danangchain/registry"
)

// TraceCodePrefix is the URN prefix of trace codes for products without a
// GTIN (TCVN 13274:2020-style; see client/epcis).
const TraceCodePrefix = "urn:vn:tcvn13274:"

// gs1Keys names the GS1 application identifiers of a Digital Link path
// that people meet on labels.
var gs1Keys = map[string]Words{
	"01":   {"mã sản phẩm GTIN", "GTIN"},
	"21":   {"số sê-ri", "serial"},
	"10":   {"lô", "lot"},
	"235":  {"mã bổ sung", "extended serial"},
	"00":   {"kiện hàng mã SSCC", "shipping unit SSCC"},
	"414":  {"mã GLN", "GLN"},
	"254":  {"phần mở rộng", "extension"},
	"417":  {"mã GLN doanh nghiệp", "party GLN"},
	"8003": {"tài sản có thể quay vòng mã GRAI", "returnable asset GRAI"},
	"8004": {"tài sản mã GIAI", "asset GIAI"},
}

// dlPairs splits a GS1 Digital Link URI (any domain) into its (AI, value)
// pairs; ok is false for anything else.
func dlPairs(s string) ([][2]string, bool) {
	rest, found := strings.CutPrefix(s, "https://")
	if !found {
		if rest, found = strings.CutPrefix(s, "http://"); !found {
			return nil, false
		}
	}
	rest, _, _ = strings.Cut(rest, "?")
	rest, _, _ = strings.Cut(rest, "#")
	_, path, ok := strings.Cut(rest, "/")
	if !ok {
		return nil, false
	}
	parts := strings.Split(path, "/")
	// The path starts at the first known AI (a resolver may add a prefix).
	for len(parts) > 0 {
		if _, known := gs1Keys[parts[0]]; known {
			break
		}
		parts = parts[1:]
	}
	if len(parts) < 2 || len(parts)%2 != 0 {
		return nil, false
	}
	var out [][2]string
	for i := 0; i < len(parts); i += 2 {
		if _, known := gs1Keys[parts[i]]; !known || parts[i+1] == "" {
			return nil, false
		}
		out = append(out, [2]string{parts[i], unescape(parts[i+1])})
	}
	return out, true
}

// unescape undoes %XX escapes (Digital Link values are percent-encoded).
func unescape(s string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
			b.WriteByte(unhex(s[i+1])<<4 | unhex(s[i+2]))
			i += 2
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func isHex(c byte) bool { return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' }

func unhex(c byte) byte {
	switch {
	case c >= '0' && c <= '9':
		return c - '0'
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10
	}
	return c - 'A' + 10
}

// DescribeIdentifier says in words what a product identifier names: a
// GS1 Digital Link URI becomes "mã sản phẩm GTIN 08935678000293, số sê-ri
// SN-0001", a trace code URN "mã truy xuất HV-2025-000123". Anything else
// is returned as it is.
func DescribeIdentifier(s string) Words {
	if code, ok := strings.CutPrefix(s, TraceCodePrefix); ok {
		return Words{"Mã truy xuất " + code, "Trace code " + code}
	}
	pairs, ok := dlPairs(s)
	if !ok {
		return Words{s, s}
	}
	if pairs[0][0] == "414" {
		return DescribePlace(s)
	}
	var vi, en []string
	for _, p := range pairs {
		k := gs1Keys[p[0]]
		vi = append(vi, k.Vi+" "+p[1])
		en = append(en, k.En+" "+p[1])
	}
	return Words{capitalize(strings.Join(vi, ", ")), capitalize(strings.Join(en, ", "))}
}

// DescribePlace says in words where a place identifier points: the chain
// carries GS1 location numbers (GLN), not place names, so a GS1 Digital
// Link /414/{GLN} (or an SGLN URN) reads "Địa điểm (mã GLN
// 8935678000014)". Anything else is returned as it is.
func DescribePlace(s string) Words {
	if lat, lon, ok := registry.ParseGeo(s); ok {
		// geo:16.0544,108.2022 -> 16.0544° Bắc, 108.2022° Đông / 16.0544° N, 108.2022° E
		hemi := func(v, pos, neg, posEN, negEN string) (string, string) {
			if rest, ok := strings.CutPrefix(v, "-"); ok {
				return rest + "° " + neg, rest + "° " + negEN
			}
			v = strings.TrimPrefix(v, "+")
			return v + "° " + pos, v + "° " + posEN
		}
		latVI, latEN := hemi(lat, "Bắc", "Nam", "N", "S")
		lonVI, lonEN := hemi(lon, "Đông", "Tây", "E", "W")
		return Words{"Vị trí địa lý " + latVI + ", " + lonVI, "Geographic position " + latEN + ", " + lonEN}
	}
	gln, ext := "", ""
	if pairs, ok := dlPairs(s); ok && pairs[0][0] == "414" {
		gln = pairs[0][1]
		if len(pairs) > 1 && pairs[1][0] == "254" {
			ext = pairs[1][1]
		}
	} else if rest, ok := strings.CutPrefix(s, "urn:epc:id:sgln:"); ok {
		if f := strings.Split(rest, "."); len(f) == 3 && registry.AllDigits(f[0]+f[1]) && len(f[0]+f[1]) == 12 {
			gln = f[0] + f[1] + string(registry.GS1CheckDigit(f[0]+f[1]))
			if f[2] != "0" {
				ext = f[2]
			}
		}
	}
	if gln == "" {
		return Words{s, s}
	}
	vi, en := "Địa điểm (mã GLN "+gln, "Place (GLN "+gln
	if ext != "" {
		vi += ", vị trí " + ext
		en += ", location " + ext
	}
	return Words{vi + ")", en + ")"}
}

// DescribeProduct names a product for people: a craft product's name, or
// its identifier in words.
func DescribeProduct(p ProductView) Words {
	if p.Craft != nil && p.Craft.Name != "" {
		return Words{p.Craft.Name, p.Craft.Name}
	}
	if p.Identifier != "" {
		return DescribeIdentifier(p.Identifier)
	}
	return Words{"Sản phẩm số " + p.ID, "Product no. " + p.ID}
}

func capitalize(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}

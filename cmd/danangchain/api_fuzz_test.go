package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/danangchain/danangchain/registry"
)

// The HTTP API's decoders take anyone's bytes: they must refuse, never
// panic, and refuse with a registered error (never leak internals).

func FuzzDecodeNotaryRequest(f *testing.F) {
	f.Add([]byte(`{"chain_id":"danang-demo","node":"0123456789abcdef0123456789abcdef01234567","action":"lookup",` +
		`"property_key":"00","time":1,"nonce":"0011","pub_key":"aa","signature":"bb"}`))
	f.Add([]byte(`{"action":"billing","month":"2026-13"}`))
	f.Add([]byte(`{"property_key":"zz"}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, b []byte) {
		var j notaryRequestJSON
		if json.Unmarshal(b, &j) != nil {
			return
		}
		r, err := j.request()
		if err != nil {
			if !registry.IsDomain(err) {
				t.Fatalf("unregistered error %v", err)
			}
			return
		}
		if err := r.Validate("danang-demo", "0123456789abcdef0123456789abcdef01234567"); err != nil && !registry.IsDomain(err) {
			t.Fatalf("unregistered error %v", err)
		}
		_ = notaryRequestOf(r)
	})
}

func FuzzParseProductRef(f *testing.F) {
	for _, s := range []string{"12", "012", "https://id.gs1.org/01/08935678000293/21/SN-0001", "urn:epc:id:sgtin:8935678.000029.SN-0001", "heo đực", "", "%zz"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q, err := parseProductRef(s)
		if err == nil && q.ID == 0 && q.Identifier == "" {
			t.Fatalf("%q: accepted with nothing to trace", s)
		}
	})
}

func FuzzParseHexKey(f *testing.F) {
	f.Add("00ff")
	f.Add("zz")
	f.Add(strings.Repeat("a", 1000))
	f.Fuzz(func(t *testing.T, s string) {
		if _, err := parseHexKey(s); err != nil && !registry.IsDomain(err) {
			t.Fatalf("unregistered error %v", err)
		}
	})
}

// The notary endpoints answer any body with problem+json, never a panic.
func TestNotaryBodyDecodingNeverPanics(t *testing.T) {
	a := &notaryAPI{chainID: "danang-demo", nodeID: "0123456789abcdef0123456789abcdef01234567"}
	for _, body := range []string{"", "{", "[]", `{"unknown":1}`, strings.Repeat("x", 20<<10)} {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(http.MethodPost, "/notary/v1/lookup", strings.NewReader(body))
		_, _, _, err := a.authenticate(rec, req, registry.APIActionLookup, registry.RoleNotaryOffice)
		if err == nil || !registry.IsDomain(err) {
			t.Fatalf("body %.20q: want a registered error, got %v", body, err)
		}
	}
}

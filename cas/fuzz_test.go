package cas

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/danangchain/danangchain/registry"
)

// Fuzz targets for every decoder of untrusted input. `go test` runs each
// on its seeds; `go test -fuzz=FuzzX ./cas` explores further.

func FuzzParseCID(f *testing.F) {
	for _, s := range []string{BlockCID(CodecRaw, nil).String(), BlockCID(CodecDagPB, []byte("x")).String(),
		"QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o", "bafy", "", "b", "../x", "zb2rh", "f01551220",
		"bafkqaaa", "kmhsx"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := ParseCID(s)
		if err != nil {
			if !registry.IsDomain(err) {
				t.Fatalf("error without a registry code: %v", err)
			}
			return
		}
		if c.String() != s || CheckCID(c) != nil {
			t.Fatalf("accepted %q", s)
		}
		if _, err := registry.ParsePayloadCID(s); err != nil {
			t.Fatalf("cas accepts %q, registry does not: %v", s, err)
		}
	})
}

func FuzzNodeLinks(f *testing.F) {
	d, err := Import(bytes.NewReader(pattern(3*ChunkSize)), 0)
	if err != nil {
		f.Fatal(err)
	}
	for _, b := range d.Blocks {
		f.Add(b.Data)
	}
	f.Add([]byte{})
	f.Add([]byte{0x0a, 0x02, 0x08, 0x01})
	f.Fuzz(func(t *testing.T, data []byte) {
		links, err := NodeLinks(data)
		if err != nil {
			if !registry.IsDomain(err) {
				t.Fatalf("error without a registry code: %v", err)
			}
			return
		}
		b := registry.PayloadBlock{Codec: registry.CodecDagPB, Data: data}
		for _, l := range links {
			if CheckCID(l.CID) != nil {
				t.Fatalf("accepted link %s", l.CID)
			}
			b.Links = append(b.Links, registry.PayloadLink{CID: l.CID.Bytes(), Size: l.Size})
		}
		if err := CheckBlock(&b); err != nil {
			t.Fatalf("NodeLinks accepts, CheckBlock refuses: %v", err)
		}
	})
}

func FuzzReadCAR(f *testing.F) {
	s, err := Open(f.TempDir(), Options{NoSync: true})
	if err != nil {
		f.Fatal(err)
	}
	defer s.Close()
	h, err := s.Gateway(GatewayOptions{})
	if err != nil {
		f.Fatal(err)
	}
	root, _, err := s.Add(context.Background(), bytes.NewReader(pattern(2*ChunkSize+3)))
	if err != nil {
		f.Fatal(err)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptestRequest("/ipfs/"+root.String()+"?format=car"))
	car := rec.Body.Bytes()
	f.Add(car)
	f.Add(car[:len(car)/2])
	f.Add(append(bytes.Clone(car[:len(car)-1]), car[len(car)-1]^1))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, in []byte) {
		roots, bs, err := ReadCAR(bytes.NewReader(in), 8<<20)
		if err != nil {
			return
		}
		for k, v := range bs {
			c, err := CastCID([]byte(k))
			if err != nil || VerifyBlock(c, v) != nil {
				t.Fatalf("ReadCAR returned an unverified block %x", k)
			}
		}
		for _, r := range roots {
			_, _ = Assemble(io.Discard, r, bs)
		}
	})
}

func httptestRequest(target string) *http.Request { return httptest.NewRequest("GET", target, nil) }

func FuzzDecrypt(f *testing.F) {
	key := bytes.Repeat([]byte{7}, KeySize)
	for _, n := range []int{0, 10, SegmentSize + 1} {
		r, _ := EncryptReader(bytes.NewReader(pattern(n)), key)
		ct, _ := io.ReadAll(r)
		f.Add(ct)
		f.Add(ct[:len(ct)-1])
	}
	f.Fuzz(func(t *testing.T, ct []byte) {
		var out bytes.Buffer
		n, err := Decrypt(&out, bytes.NewReader(ct), key)
		if err == nil && int64(out.Len()) != n {
			t.Fatalf("wrote %d, reported %d", out.Len(), n)
		}
		if err == nil && CiphertextSize(n) != int64(len(ct)) {
			t.Fatalf("accepted %d bytes of ciphertext for %d of plaintext", len(ct), n)
		}
	})
}

//go:build js && wasm

// Command danangchain-wasm is the verify page's verifier: the verification
// package compiled to WebAssembly. The page fetches receipts (bytes: value,
// ICS23 proof, signed header, hand-overs) from any node and this code
// verifies them from the trust root pinned in the page and judges the
// verdict — the node's words (verdicts, heights, clocks) are never used.
//
// It exposes globalThis.danang with:
//
//	sha256(Uint8Array) -> hex
//	verifyResult(requestJSON, receipts) -> responseJSON
//	verifyTrace(requestJSON, receipts) -> responseJSON (a product's trace)
//	verifyReceipt(Uint8Array, requestJSON) -> responseJSON
//	checkReceipt(Uint8Array, trustRootJSON) -> what VerifyReceipt proved (test vectors)
//
// where receipts maps hex state keys to receipt bytes (Uint8Array); a
// response either lists the keys it still needs ({"need": [...]}) or gives
// the verdict with the checklist of what was verified here.
package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"syscall/js"
	"time"

	"github.com/danangchain/danangchain/registry"
	"github.com/danangchain/danangchain/verification"
)

func main() {
	api := js.Global().Get("Object").New()
	api.Set("sha256", js.FuncOf(func(_ js.Value, args []js.Value) any {
		if len(args) != 1 {
			return ""
		}
		sum := sha256.Sum256(bytesOf(args[0]))
		return hex.EncodeToString(sum[:])
	}))
	api.Set("verifyResult", js.FuncOf(func(_ js.Value, args []js.Value) any {
		var req request
		if len(args) != 2 || json.Unmarshal([]byte(args[0].String()), &req) != nil {
			return badRequest()
		}
		return reply(verifyResult(req, receiptsOf(args[1])))
	}))
	api.Set("verifyTrace", js.FuncOf(func(_ js.Value, args []js.Value) any {
		var req verification.TracePageRequest
		if len(args) != 2 || json.Unmarshal([]byte(args[0].String()), &req) != nil {
			return badRequest()
		}
		b, _ := json.Marshal(verification.VerifyTraceForPage(req, receiptsOf(args[1])))
		return string(b)
	}))
	api.Set("verifyReceipt", js.FuncOf(func(_ js.Value, args []js.Value) any {
		var req request
		if len(args) != 2 || json.Unmarshal([]byte(args[1].String()), &req) != nil {
			return badRequest()
		}
		return reply(verifyReceiptFile(req, bytesOf(args[0])))
	}))
	// checkReceipt is verification.VerifyReceipt itself, for the shared
	// test vectors: {"ok":true,key,value,height,time,app_hash} or the code.
	api.Set("checkReceipt", js.FuncOf(func(_ js.Value, args []js.Value) any {
		if len(args) != 2 {
			return `{"ok":false,"code":"malformed"}`
		}
		root, err := verification.TrustRootFromGenesis([]byte(args[1].String()))
		if err != nil {
			return reply(response{State: "error", Error: err.Error(), Code: codeOf(err),
				Message: verification.ErrorMessage(verification.SayError, err)})
		}
		v, err := verification.VerifyReceipt(bytesOf(args[0]), root)
		if err != nil {
			b, _ := json.Marshal(map[string]any{"ok": false, "code": codeOf(err), "error": err.Error()})
			return string(b)
		}
		b, _ := json.Marshal(map[string]any{"ok": true, "key": hex.EncodeToString(v.Key), "value": hex.EncodeToString(v.Value),
			"present": v.Value != nil, "height": v.Height, "time": v.Time.UTC().Format(time.RFC3339Nano), "app_hash": hex.EncodeToString(v.AppHash)})
		return string(b)
	}))
	api.Set("ready", true)
	js.Global().Set("danang", api)
	if cb := js.Global().Get("danangReady"); cb.Type() == js.TypeFunction {
		cb.Invoke()
	}
	select {}
}

// receiptsOf copies a JS object {hexKey: Uint8Array} into Go.
func receiptsOf(obj js.Value) map[string][]byte {
	got := map[string][]byte{}
	keys := js.Global().Get("Object").Call("keys", obj)
	for i := 0; i < keys.Length(); i++ {
		k := keys.Index(i).String()
		got[k] = bytesOf(obj.Get(k))
	}
	return got
}

func codeOf(err error) string {
	var e *registry.Error
	if errors.As(err, &e) {
		return e.Name
	}
	return "internal"
}

func bytesOf(v js.Value) []byte {
	b := make([]byte, v.Get("length").Int())
	js.CopyBytesToGo(b, v)
	return b
}

// badRequest is the answer to a call the page made wrongly.
func badRequest() string {
	err := registry.Errorf(registry.ErrMalformed, "bad request")
	return reply(response{State: "error", Error: err.Error(), Code: "malformed",
		Message: verification.ErrorMessage(verification.SayError, err)})
}

func reply(r response) string {
	b, _ := json.Marshal(r)
	return string(b)
}

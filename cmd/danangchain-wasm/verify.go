//go:build js && wasm

package main

import "github.com/danangchain/danangchain/verification"

type (
	request  = verification.PageRequest
	response = verification.PageResponse
)

func verifyResult(req request, got map[string][]byte) response {
	return verification.VerifyResultForPage(req, got)
}

func verifyReceiptFile(req request, raw []byte) response {
	return verification.VerifyReceiptForPage(req, raw)
}

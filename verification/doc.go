// Package verification is DanangChain's pure verifier: it checks offline
// receipts (a state value, its ICS23 proof, the header that carries the
// app hash and the signatures of more than 2/3 of a validator set followed
// from genesis) and turns verified values into verdicts, with nothing but
// the standard library, protowire and the registry package. It builds for
// WebAssembly (GOOS=js GOARCH=wasm, -tags force64bit), so the citizen's
// browser runs the same code as the CLI and the SDK.
//
// Callers MUST pin the trust root (chain id and genesis validator set)
// themselves — from the genesis file, or embedded in the page — and MUST
// judge freshness against their own clock (Verified.Time): a receipt
// proves one key at one height and says nothing about later heights.
//
// The client package (networking, CometBFT's light client) builds on it;
// shared test vectors in testdata/ make this verifier and the CometBFT-
// and ics23-based one in client agree on every receipt.
package verification

// Package client is the Go SDK agencies use to write to and read from
// DanangChain.
//
// Writes are built, signed and broadcast, then awaited until committed:
// a caller has a record only when it has seen the commit (height, code 0).
// Every rejection maps back to the registry sentinel with the same code,
// so callers write errors.Is(err, registry.ErrUnauthorized).
//
// Reads that matter are verified: Get checks an ICS23 proof against the
// app hash in header H+1, and that header against a commit signed by more
// than 2/3 of a validator set followed from genesis by CometBFT's light
// client. The node's word alone is never trusted.
package client

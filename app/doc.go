// Package app is DanangChain's ABCI 2.0 application: it runs the rules of
// package registry over an IAVL tree on disk.
//
// The app hash is the IAVL root hash. FinalizeBlock stages every tx in the
// working tree (each tx in its own overlay, so a failed tx writes nothing),
// Commit saves the version with fsync. Info reports the last saved version,
// so a node killed at any instant restarts and CometBFT's handshake replays
// what is missing. CheckTx is advisory: every check runs again in
// FinalizeBlock, and ProcessProposal rejects blocks carrying txs that fail
// the stateless checks.
//
// Queries read immutable versions only; proofs are ICS23 commitment proofs
// against the app hash of a version H, which CometBFT publishes in header
// H+1.
package app

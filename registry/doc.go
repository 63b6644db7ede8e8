// Package registry is DanangChain's pure domain layer: the canonical
// transaction envelope, the record kinds, the permission and governance
// rules, and the errors with stable codes.
//
// It imports no CometBFT, IAVL, boxo or cobra code. State is reached only
// through the small Store interface, so the same rules run inside the ABCI
// application (over IAVL), in tests (over MemStore) and in clients.
//
// Determinism rules apply to everything here: canonical bytes only (no JSON
// in consensus paths), block time only, no floats, no goroutines, no map
// iteration order, no panics.
package registry

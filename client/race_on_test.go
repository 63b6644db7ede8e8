//go:build race

package client_test

// raceEnabled: the 10,000-result journey runs in a separate non-race step
// of `make test` (the race detector slows the in-process node tenfold).
const raceEnabled = true

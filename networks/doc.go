// Package networks holds DanangChain's local multi-validator networks and
// their fault tests. The tests run real `danangchain start` processes
// (built into ../bin by `make build`) on 127.0.0.1 and kill, stop and
// restart them while records are being written, then check that every
// acknowledged record is still there.
package networks

// Package bench holds the engines of the project's benchmarks that the
// CLI runs (danangchain bench-state): the state machine driven block by
// block through the real application, without consensus. The CLI only
// parses flags and prints the reports.
package bench

// Package node wires a DanangChain validator or full node: CometBFT
// in-process with the ABCI application (proxy.NewLocalClientCreator), the
// IAVL state under the node's home, structured logs, Prometheus metrics,
// and the HTTP API with /healthz and /readyz. It holds no globals: New
// builds a Node from a home directory, Start runs it, Stop shuts it down
// gracefully (CometBFT first, then the state database).
package node

package main

import (
	"net/http"

	"github.com/danangchain/danangchain/node"
)

// apiRoutes adds the application's HTTP API to a node's API server.
func apiRoutes(mux *http.ServeMux, n *node.Node) {
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("DanangChain node API\n/healthz /readyz /metrics\n"))
	})
}

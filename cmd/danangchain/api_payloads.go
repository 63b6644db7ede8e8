package main

import (
	"net/http"

	"github.com/danangchain/danangchain/cas"
	"github.com/danangchain/danangchain/node"
)

// payloadRoutes serves the node's payload store as an IPFS gateway built
// on boxo's gateway package: GET/HEAD /ipfs/{cid} (the file, with ranges),
// ?format=raw (a block) and ?format=car (the DAG). See docs/payloads.md.
func payloadRoutes(mux *http.ServeMux, n *node.Node) {
	if n.Payloads == nil {
		return
	}
	h, err := n.Payloads.Gateway(cas.GatewayOptions{Deserialized: true})
	if err != nil {
		n.Log.Error("payload gateway disabled", "err", err)
		return
	}
	mux.Handle("GET "+cas.GatewayPath, h) // GET patterns also match HEAD
}

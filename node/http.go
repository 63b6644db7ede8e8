package node

import (
	"encoding/json"
	"net/http"
)

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}

// handleHealth answers 200 while the process serves requests and the
// consensus engine runs.
func (n *Node) handleHealth(w http.ResponseWriter, _ *http.Request) {
	if !n.Comet.IsRunning() {
		writeJSON(w, http.StatusServiceUnavailable, map[string]any{"status": "stopped"})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"status": "ok", "height": n.Comet.BlockStore().Height()})
}

// handleReady answers 200 only when the node is caught up and its last
// block is recent (CometBFT's /health says OK while still catching up).
func (n *Node) handleReady(w http.ResponseWriter, _ *http.Request) {
	r := n.Ready()
	code := http.StatusOK
	if !r.Ready {
		code = http.StatusServiceUnavailable
	}
	writeJSON(w, code, r)
}

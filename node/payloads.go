package node

import (
	"path/filepath"

	"github.com/danangchain/danangchain/cas"
	"github.com/danangchain/danangchain/registry"
)

// PayloadDir is where a node keeps payload blocks: a flatfs block store
// (see package cas and docs/payloads.md).
func PayloadDir(home string) string { return filepath.Join(home, "data", "payloads") }

// OpenPayloads opens the node's payload block store (fsync on: a block
// is durable before the state that names it is saved).
func OpenPayloads(home string) (*cas.Store, error) {
	return cas.Open(PayloadDir(home), cas.Options{MaxFileSize: registry.MaxPayloadSize})
}

package node

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/cometbft/cometbft/crypto/ed25519"
	"github.com/cometbft/cometbft/types"

	"github.com/danangchain/danangchain/app"
	"github.com/danangchain/danangchain/registry"
)

// ExportOptions select what ExportGenesis exports.
type ExportOptions struct {
	// Height is the state to export (0 = the latest committed).
	Height int64
	// ChainID of the new genesis (default: the node's).
	ChainID string
	// GenesisTime of the new genesis (default: the time of block Height,
	// which needs that block in the block store).
	GenesisTime time.Time
}

// ExportGenesis builds, from a stopped node's home, a genesis whose
// app_state is the whole application state after block Height (key and
// value, in key order) and whose initial height is Height+1. Its
// validators are those of that state, its consensus parameters the node's
// genesis ones. Every node of the network exports the same bytes for the
// same height: nothing depends on the local clock or on map order.
func ExportGenesis(home string, o ExportOptions) (*types.GenesisDoc, error) {
	gen, err := LoadGenesis(home)
	if err != nil {
		return nil, fmt.Errorf("genesis: %w", err)
	}
	kvs, height, err := app.ExportState(AppStateDir(home), o.Height)
	if err != nil {
		return nil, err
	}
	genTime := o.GenesisTime
	if genTime.IsZero() {
		conf, err := LoadCometConfig(home)
		if err != nil {
			return nil, err
		}
		st, err := openStores(conf)
		if err != nil {
			return nil, err
		}
		meta := st.blocks.LoadBlockMeta(height)
		st.Close()
		if meta == nil {
			return nil, fmt.Errorf("block %d is not in the block store (pruned or state-synced): set the genesis time explicitly", height)
		}
		genTime = meta.Header.Time
	}
	g := registry.GenesisState{KV: kvs}
	vals, err := g.ExportedValidators()
	if err != nil {
		return nil, err
	}
	appState, err := json.Marshal(struct {
		KV []registry.GenesisKV `json:"kv"`
	}{kvs})
	if err != nil {
		return nil, err
	}
	out := &types.GenesisDoc{
		GenesisTime:     genTime.UTC(),
		ChainID:         gen.ChainID,
		InitialHeight:   height + 1,
		ConsensusParams: gen.ConsensusParams,
		AppState:        appState,
	}
	if o.ChainID != "" {
		out.ChainID = o.ChainID
	}
	for _, v := range vals {
		if len(v.PubKey) != ed25519.PubKeySize {
			return nil, fmt.Errorf("validator %x: not an ed25519 key", v.PubKey)
		}
		pk := ed25519.PubKey(v.PubKey)
		out.Validators = append(out.Validators, types.GenesisValidator{Address: pk.Address(), PubKey: pk, Power: int64(v.Power), Name: v.Name})
	}
	if err := out.ValidateAndComplete(); err != nil {
		return nil, err
	}
	return out, nil
}

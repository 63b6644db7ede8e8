package node

import (
	"bytes"
	"fmt"

	sm "github.com/cometbft/cometbft/state"

	"github.com/danangchain/danangchain/app"
)

// RollbackResult describes a rollback.
type RollbackResult struct {
	// Height is the height both CometBFT and the application are at now.
	Height int64 `json:"height"`
	// AppHash is the application hash at Height.
	AppHash []byte `json:"app_hash"`
	// AppFrom is the version the application state was at before.
	AppFrom int64 `json:"app_from"`
	// BlockRemoved: --hard also deleted the last block.
	BlockRemoved bool `json:"block_removed"`
}

// Rollback rolls a stopped node back by one height: CometBFT's state and
// the application state (IAVL) together, as CometBFT's own rollback
// command leaves the application to the application. Without hard the
// last block stays in the block store and is executed again at the next
// start; with hard it is deleted too and fetched again from peers.
//
// The application goes first: if the process dies between the two steps,
// CometBFT's handshake at the next start replays the block into the
// application and the node is where it was before.
func Rollback(home string, hard bool) (*RollbackResult, error) {
	conf, err := LoadCometConfig(home)
	if err != nil {
		return nil, err
	}
	st, err := openStores(conf)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	state, err := st.state.Load()
	if err != nil {
		return nil, fmt.Errorf("load state: %w", err)
	}
	if state.IsEmpty() {
		return nil, fmt.Errorf("no CometBFT state in %s: nothing to roll back", conf.DBDir())
	}
	// The height sm.Rollback will land on: one below the state, unless the
	// block store is one ahead (a stop between saving the block and the
	// state), in which case the state stays and only that block goes.
	target := state.LastBlockHeight - 1
	if st.blocks.Height() == state.LastBlockHeight+1 {
		target = state.LastBlockHeight
	}
	if target < state.InitialHeight {
		return nil, fmt.Errorf("cannot roll back below the initial height %d", state.InitialHeight)
	}
	from, appHash, err := app.Rollback(AppStateDir(home), target)
	if err != nil {
		return nil, err
	}
	height, hash, err := sm.Rollback(st.blocks, st.state, hard)
	if err != nil {
		return nil, fmt.Errorf("roll back CometBFT state (the application is at %d already; starting the node replays the missing block): %w", target, err)
	}
	// sm.Rollback takes the app protocol version from the consensus
	// params (0 in our genesis), but the chain runs with the version the
	// application reported in Info at genesis (app.Version): keep it, or
	// the next start refuses its own blocks ("wrong Block.Header.Version").
	rolled, err := st.state.Load()
	if err != nil {
		return nil, err
	}
	if rolled.Version.Consensus.App != state.Version.Consensus.App {
		rolled.Version.Consensus.App = state.Version.Consensus.App
		if err := st.state.Save(rolled); err != nil {
			return nil, fmt.Errorf("save rolled back state: %w", err)
		}
	}
	if height != target {
		return nil, fmt.Errorf("CometBFT rolled back to %d, the application to %d", height, target)
	}
	res := &RollbackResult{Height: height, AppHash: hash, AppFrom: from, BlockRemoved: hard}
	if !bytes.Equal(appHash, hash) {
		return res, fmt.Errorf("application hash at %d is %X, CometBFT expects %X", height, appHash, hash)
	}
	return res, nil
}

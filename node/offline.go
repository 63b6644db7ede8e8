package node

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	dbm "github.com/cometbft/cometbft-db"
	cmtcfg "github.com/cometbft/cometbft/config"
	sm "github.com/cometbft/cometbft/state"
	"github.com/cometbft/cometbft/store"

	"github.com/danangchain/danangchain/app"
	"github.com/danangchain/danangchain/cas"
)

// offlineStores are CometBFT's block store and state store of a stopped
// node, opened for the operator tools (rollback, export).
type offlineStores struct {
	blocks *store.BlockStore
	state  sm.Store
}

// openStores opens CometBFT's databases in conf's data directory. The
// node must be stopped: goleveldb refuses a second opener.
func openStores(conf *cmtcfg.Config) (*offlineStores, error) {
	backend := dbm.BackendType(conf.DBBackend)
	for _, name := range []string{"blockstore", "state"} {
		if _, err := os.Stat(filepath.Join(conf.DBDir(), name+".db")); err != nil {
			return nil, fmt.Errorf("no %s database in %s: %w", name, conf.DBDir(), err)
		}
	}
	bdb, err := dbm.NewDB("blockstore", backend, conf.DBDir())
	if err != nil {
		return nil, fmt.Errorf("open block store (is the node stopped?): %w", err)
	}
	sdb, err := dbm.NewDB("state", backend, conf.DBDir())
	if err != nil {
		bdb.Close()
		return nil, fmt.Errorf("open state store (is the node stopped?): %w", err)
	}
	return &offlineStores{
		blocks: store.NewBlockStore(bdb),
		state:  sm.NewStore(sdb, sm.StoreOptions{DiscardABCIResponses: conf.Storage.DiscardABCIResponses}),
	}, nil
}

func (s *offlineStores) Close() error {
	return errors.Join(s.blocks.Close(), s.state.Close())
}

// OpenOffline opens a stopped node's state and payload store (operator
// commands); the node must not be running (its databases are locked).
func OpenOffline(home string) (*app.App, *cas.Store, error) {
	gen, err := LoadGenesis(home)
	if err != nil {
		return nil, nil, fmt.Errorf("genesis in %s: %w", home, err)
	}
	if _, err := os.Stat(filepath.Join(AppStateDir(home), "state.db")); err != nil {
		return nil, nil, fmt.Errorf("no node state in %s: %w", home, err)
	}
	st, err := OpenPayloads(home)
	if err != nil {
		return nil, nil, err
	}
	opts := app.DefaultOptions(AppStateDir(home), gen.ChainID)
	opts.SnapshotInterval = 0
	opts.Payloads = st
	a, err := app.New(opts)
	if err != nil {
		st.Close()
		return nil, nil, fmt.Errorf("open node state (stop the node first): %w", err)
	}
	return a, st, nil
}

package app

import (
	"errors"
	"fmt"

	"github.com/cosmos/iavl"
	iavldb "github.com/cosmos/iavl/db"
)

// loadLatest loads the latest complete version of the state. IAVL writes
// one version in several batches (it flushes every ~100 KB), so a crash
// or a full disk in the middle of SaveVersion can leave a version with
// some nodes but no root, which IAVL then refuses to load ("version does
// not exist"). That version was never committed to CometBFT: it is
// deleted, the fast index (which may hold values of it) is marked stale so
// that IAVL rebuilds it from the tree, and CometBFT's handshake executes
// the block again. It returns the tree to use and the version dropped (0
// if none).
func loadLatest(db *iavldb.GoLevelDB, tree *iavl.MutableTree, opts Options) (*iavl.MutableTree, int64, error) {
	_, err := tree.Load()
	if err == nil || !errors.Is(err, iavl.ErrVersionDoesNotExist) {
		return tree, 0, err
	}
	versions := tree.AvailableVersions()
	if len(versions) == 0 {
		return tree, 0, err
	}
	partial := int64(versions[len(versions)-1])
	if len(versions) > 1 {
		// Only the last version may be cut short: the one before must load.
		probe := iavl.NewMutableTree(db, 1000, true, iavl.NewNopLogger())
		if _, perr := probe.LoadVersion(partial - 1); perr != nil {
			return tree, 0, err // other damage: do not touch it
		}
	}
	if derr := tree.DeleteVersionsFrom(partial); derr != nil {
		return tree, 0, fmt.Errorf("%w; dropping the partial version %d: %v", err, partial, derr)
	}
	// "1.1.0-0" names a fast index built for version 0: IAVL sees the
	// mismatch, deletes every fast node and rebuilds them from the tree.
	if serr := db.SetSync(append([]byte{'m'}, "storage_version"...), []byte("1.1.0-0")); serr != nil {
		return tree, 0, serr
	}
	tree = iavl.NewMutableTree(db, opts.CacheSize, false, iavl.NewNopLogger(), iavl.SyncOption(true))
	if _, err := tree.Load(); err != nil {
		return tree, 0, fmt.Errorf("after dropping the partial version %d: %w", partial, err)
	}
	if opts.Logger != nil {
		opts.Logger.Warn("dropped a partially written state version (crash or full disk during commit); CometBFT replays its block",
			"version", partial, "now", tree.Version())
	}
	return tree, partial, nil
}

package app

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
)

// Rollback moves the state database in dir (a stopped node's data/app)
// back to version height: every later version is deleted and so are the
// snapshots above height, which no longer describe this node's state. It
// returns the version the database was at and the root hash it is at now.
// When the database is already at or below height nothing changes.
//
// CometBFT's state is rolled back separately (node.Rollback does both):
// roll the application back first, so that an interruption between the
// two leaves a state CometBFT's handshake repairs by replaying blocks.
func Rollback(dir string, height int64) (from int64, hash []byte, err error) {
	if height < 0 {
		return 0, nil, fmt.Errorf("rollback: negative height %d", height)
	}
	db, tree, _, err := openState(Options{Dir: dir, CacheSize: 10_000})
	if err != nil {
		return 0, nil, err
	}
	defer func() {
		if cerr := db.Close(); err == nil {
			err = cerr
		}
	}()
	from = tree.Version()
	if from <= height {
		return from, tree.Hash(), nil
	}
	if height > 0 && !tree.VersionExists(height) {
		return from, nil, fmt.Errorf("rollback: version %d not in the state database (have %v)", height, tree.AvailableVersions())
	}
	if err := tree.LoadVersionForOverwriting(height); err != nil {
		return from, nil, fmt.Errorf("rollback to %d: %w", height, err)
	}
	if err := removeSnapshotsAbove(filepath.Join(dir, "snapshots"), uint64(height)); err != nil {
		return from, nil, err
	}
	return from, tree.Hash(), nil
}

func removeSnapshotsAbove(dir string, height uint64) error {
	entries, err := os.ReadDir(dir)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		return err
	}
	for _, e := range entries {
		if h, err := strconv.ParseUint(e.Name(), 10, 64); err == nil && h > height {
			if err := os.RemoveAll(filepath.Join(dir, e.Name())); err != nil {
				return err
			}
		}
	}
	return nil
}

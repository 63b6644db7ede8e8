package app

import (
	"fmt"

	"github.com/danangchain/danangchain/registry"
)

// ExportState returns every entry of the committed version height (0 =
// latest) of the state database in dir (a stopped node's data/app), in
// ascending key order, and the version exported.
func ExportState(dir string, height int64) (kvs []registry.GenesisKV, version int64, err error) {
	db, tree, _, err := openState(Options{Dir: dir, CacheSize: 10_000})
	if err != nil {
		return nil, 0, err
	}
	defer func() {
		if cerr := db.Close(); err == nil {
			err = cerr
		}
	}()
	if height == 0 {
		height = tree.Version()
	}
	if height <= 0 {
		return nil, 0, fmt.Errorf("export: the state database in %s is empty", dir)
	}
	imm, err := tree.GetImmutable(height)
	if err != nil {
		return nil, 0, fmt.Errorf("export: version %d: %w (have %v)", height, err, tree.AvailableVersions())
	}
	kvs, err = registry.ExportState(readStore{imm})
	return kvs, height, err
}

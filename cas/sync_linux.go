package cas

import (
	"os"

	"golang.org/x/sys/unix"
)

// haveSyncFS: on Linux the store writes block files without an fsync each
// and makes a whole write durable with one syncfs(2) of its filesystem
// (file data, the new directory entries and renames) before Put, PutMany
// or Add return. One syncfs instead of an fsync per block file and per
// shard directory is what keeps Add near the raw write speed
// (docs/benchmarks.md). It also flushes other dirty data of the same
// filesystem, which on a node is mostly CometBFT's and IAVL's own, about
// to be fsynced anyway.
const haveSyncFS = true

func syncFS(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer f.Close()
	return unix.Syncfs(int(f.Fd()))
}

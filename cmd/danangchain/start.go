package main

import (
	"errors"
	"fmt"
	"os"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/danangchain/danangchain/node"
)

// noStateSyncEnv set to 1 makes start ignore [statesync] enable: the
// block-sync fallback re-executes the process with it.
const noStateSyncEnv = "DANANGCHAIN_NO_STATESYNC"

func newStartCmd(g *globals) *cobra.Command {
	var baseline bool
	cmd := &cobra.Command{
		Use:   "start",
		Short: "Run the node until SIGINT/SIGTERM / Chạy nút",
		Long: `start runs CometBFT with the DanangChain application in one process. SIGTERM or
Ctrl-C stops it gracefully: the API server, then consensus, then the state
database are closed, and the process exits 0.

A node with an empty state and [statesync] enable = true in config.toml first
looks for snapshots; if it has restored none after app.toml's
statesync_fallback_after (default 2m), it restarts itself (same process id)
with state sync off and block-syncs from genesis. ` + noStateSyncEnv + `=1 skips
state sync from the start.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			n, err := node.New(g.home, node.Options{LogWriter: cmd.ErrOrStderr(), Version: Version, Routes: apiRoutes,
				BaselineKVStore: baseline, DisableStateSync: os.Getenv(noStateSyncEnv) == "1"})
			if err != nil {
				return err
			}
			err = n.Run(cmd.Context())
			if errors.Is(err, node.ErrStateSyncFallback) && cmd.Context().Err() == nil {
				fmt.Fprintf(cmd.ErrOrStderr(), "%v: restarting with block sync\n", err)
				return restartWithoutStateSync()
			}
			return err
		},
	}
	cmd.Flags().BoolVar(&baseline, "baseline-kvstore", false, "run CometBFT's example kvstore app instead (benchmark baseline only)")
	return cmd
}

// restartWithoutStateSync replaces the process by a fresh 'start' with
// state sync off: a new process has none of the stopped node's goroutines
// and global metrics, and keeps its process id for systemd and docker.
func restartWithoutStateSync() error {
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	env := append(os.Environ(), noStateSyncEnv+"=1")
	return syscall.Exec(exe, os.Args, env)
}

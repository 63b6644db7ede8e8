package main

import (
	"fmt"
	"io"
	"runtime"
	"runtime/debug"

	"github.com/spf13/cobra"

	"github.com/danangchain/danangchain/app"
)

func depVersion(path string) string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, d := range bi.Deps {
			if d.Path == path {
				return d.Version
			}
		}
	}
	return "unknown"
}

func newVersionCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version / In phiên bản",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			v := map[string]any{
				"version": Version, "app_protocol": app.Version, "go": runtime.Version(),
				"cometbft": depVersion("github.com/cometbft/cometbft"), "iavl": depVersion("github.com/cosmos/iavl"),
			}
			return g.print(cmd.OutOrStdout(), v, func(w io.Writer) {
				fmt.Fprintf(w, "danangchain %s (app protocol %d, %s, cometbft %s, iavl %s)\n",
					Version, app.Version, runtime.Version(), v["cometbft"], v["iavl"])
			})
		},
	}
}

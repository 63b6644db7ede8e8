package main

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"
)

func newKeysListCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "List keys",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			kr, err := g.keyring()
			if err != nil {
				return err
			}
			infos, err := kr.List()
			if err != nil {
				return err
			}
			views := make([]keyView, 0, len(infos))
			for _, i := range infos {
				views = append(views, viewOf(i))
			}
			return g.print(cmd.OutOrStdout(), map[string]any{"keys": views}, func(w io.Writer) {
				for _, v := range views {
					fmt.Fprintf(w, "%-16s %s\n", v.Name, v.PubKey)
				}
			})
		},
	}
}

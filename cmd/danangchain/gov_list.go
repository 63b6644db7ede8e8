package main

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/danangchain/danangchain/registry"
)

func newGovListCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "List proposals",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			kvs, h, err := listPrefix(cmd, g, []byte{registry.PrefixProposal})
			if err != nil {
				return err
			}
			views := []proposalJSON{}
			for _, kv := range kvs {
				p, err := registry.DecodeProposal(kv.Value)
				if err != nil {
					return err
				}
				views = append(views, proposalView(p, uint64(h)+1))
			}
			return g.print(cmd.OutOrStdout(), map[string]any{"height": h, "proposals": views, "entries_proven": true, "complete_proven": false, "note": listNote}, func(w io.Writer) {
				fmt.Fprintln(w, listNote)
				for _, v := range views {
					printProposal(w, v)
				}
			})
		},
	}
}

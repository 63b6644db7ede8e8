package main

import (
	"github.com/spf13/cobra"
)

func newKeysAddCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "add NAME",
		Short: "Create a new ed25519 key",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			kr, err := g.keyring()
			if err != nil {
				return err
			}
			info, err := kr.Add(args[0])
			if err != nil {
				return err
			}
			return printKey(g, cmd.OutOrStdout(), *info)
		},
	}
}

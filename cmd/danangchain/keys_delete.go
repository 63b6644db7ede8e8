package main

import (
	"github.com/spf13/cobra"
)

func newKeysDeleteCmd(g *globals) *cobra.Command {
	var yes bool
	cmd := &cobra.Command{
		Use:   "delete NAME",
		Short: "Delete a key (requires --yes)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if !yes {
				return cliErrf(errUsage, "deleting a key cannot be undone: pass --yes")
			}
			kr, err := g.keyring()
			if err != nil {
				return err
			}
			return kr.Delete(args[0])
		},
	}
	cmd.Flags().BoolVar(&yes, "yes", false, "confirm")
	return cmd
}

package main

import (
	"os"

	"github.com/spf13/cobra"
)

func newKeysImportCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "import NAME FILE",
		Short: "Import a key exported with 'keys export'",
		Args:  cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			kr, err := g.keyring()
			if err != nil {
				return err
			}
			pass, err := exportPassphrase()
			if err != nil {
				return err
			}
			b, err := os.ReadFile(args[1])
			if err != nil {
				return err
			}
			info, err := kr.Import(args[0], b, pass)
			if err != nil {
				return err
			}
			return printKey(g, cmd.OutOrStdout(), *info)
		},
	}
}

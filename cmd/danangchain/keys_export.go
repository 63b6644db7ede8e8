package main

import (
	"os"

	"github.com/spf13/cobra"
)

func exportPassphrase() ([]byte, error) {
	if p, ok := os.LookupEnv("DANANGCHAIN_EXPORT_PASSPHRASE"); ok {
		return []byte(p), nil
	}
	return nil, cliErrf(errUsage, "set DANANGCHAIN_EXPORT_PASSPHRASE to protect the exported key")
}

func newKeysExportCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "export NAME",
		Short: "Print a key encrypted with DANANGCHAIN_EXPORT_PASSPHRASE (armored)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			kr, err := g.keyring()
			if err != nil {
				return err
			}
			pass, err := exportPassphrase()
			if err != nil {
				return err
			}
			b, err := kr.Export(args[0], pass)
			if err != nil {
				return err
			}
			_, err = cmd.OutOrStdout().Write(append(b, '\n'))
			return err
		},
	}
}

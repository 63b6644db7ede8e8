package main

import (
	"context"
	"io"

	"github.com/spf13/cobra"

	"github.com/danangchain/danangchain/client"
	"github.com/danangchain/danangchain/client/keyring"
)

func newNotaryCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "notary",
		Short: "Notary registry / Công chứng",
	}
	return cmd
}

// seedNotary seeds this family's demo records and names them in manifest.
func seedNotary(ctx context.Context, g *globals, c *client.Client, kr *keyring.Keyring, out io.Writer, manifest map[string]any) error {
	return nil
}

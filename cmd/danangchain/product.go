package main

import (
	"context"
	"io"

	"github.com/spf13/cobra"

	"github.com/danangchain/danangchain/client"
	"github.com/danangchain/danangchain/client/keyring"
)

func newProductCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "product",
		Short: "Product provenance / Truy xuất nguồn gốc",
	}
	return cmd
}

// seedProducts seeds this family's demo records and names them in manifest.
func seedProducts(ctx context.Context, g *globals, c *client.Client, kr *keyring.Keyring, out io.Writer, manifest map[string]any) error {
	return nil
}

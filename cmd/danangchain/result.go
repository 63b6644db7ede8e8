package main

import (
	"context"
	"io"

	"github.com/spf13/cobra"

	"github.com/danangchain/danangchain/client"
	"github.com/danangchain/danangchain/client/keyring"
)

func newResultCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "result",
		Short: "Administrative results / Kết quả thủ tục hành chính",
	}
	return cmd
}

// seedResults seeds this family's demo records and names them in manifest.
func seedResults(ctx context.Context, g *globals, c *client.Client, kr *keyring.Keyring, out io.Writer, manifest map[string]any) error {
	return nil
}

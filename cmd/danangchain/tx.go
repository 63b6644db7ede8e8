package main

import (
	"context"
	"encoding/hex"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/danangchain/danangchain/registry"
)

// txOutput is what every write command prints.
type txOutput struct {
	TxHash string `json:"tx_hash"`
	Height int64  `json:"height"`
	Code   uint32 `json:"code"`
	Data   string `json:"data,omitempty"` // the result data in hex, as printed
	Raw    []byte `json:"-"`              // the same bytes, for the commands that read them
}

// submit signs msg with --from, broadcasts it and waits for the commit.
func submit(cmd *cobra.Command, g *globals, from string, msg registry.Msg) (*txOutput, error) {
	s, err := g.signer(from)
	if err != nil {
		return nil, err
	}
	c, err := g.client()
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(cmd.Context(), 60*time.Second)
	defer cancel()
	res, err := c.Submit(ctx, s, msg)
	if err != nil {
		return nil, err
	}
	return &txOutput{TxHash: fmt.Sprintf("%X", res.Hash), Height: res.Height, Data: hex.EncodeToString(res.Data), Raw: res.Data}, nil
}

// printTx prints a write's outcome: Vietnamese first, then English (with
// the technical detail), or out as JSON.
func printTx(g *globals, w io.Writer, out any, vi, en string) error {
	return g.print(w, out, func(w io.Writer) { fmt.Fprintln(w, vi); fmt.Fprintln(w, en) })
}

// parsePubKey accepts 64 hex characters.
func parsePubKey(s string) ([]byte, error) {
	b, err := hex.DecodeString(s)
	if err != nil || len(b) != registry.PubKeySize {
		return nil, cliErrf(errFormat, "public key %q: want %d bytes in hex", s, registry.PubKeySize)
	}
	return b, nil
}

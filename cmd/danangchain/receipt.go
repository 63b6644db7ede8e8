package main

import (
	"encoding/hex"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/danangchain/danangchain/registry"
)

// receiptKey resolves what a receipt is about: a raw key, an anchored file,
// or a record id (results).
type receiptKey struct {
	keyHex, anchorFile string
}

func (k *receiptKey) bind(cmd *cobra.Command) {
	cmd.Flags().StringVar(&k.keyHex, "key", "", "raw state key (hex)")
	cmd.Flags().StringVar(&k.anchorFile, "anchor", "", "the anchor record of this file")
}

func (k *receiptKey) resolve(args []string) ([]byte, error) {
	switch {
	case k.keyHex != "":
		return parseHex("--key", k.keyHex, 0)
	case k.anchorFile != "":
		sum, err := hashFile(k.anchorFile)
		if err != nil {
			return nil, err
		}
		return registry.AnchorKey(sum), nil
	case len(args) == 1:
		return recordKeyForID(args[0])
	}
	return nil, cliErrf(errUsage, "give a record ID, --key or --anchor")
}

func newReceiptCmd(g *globals) *cobra.Command {
	var out string
	var k receiptKey
	cmd := &cobra.Command{
		Use:   "receipt [ID]",
		Short: "Write a self-contained offline receipt for a record / Xuất biên nhận xác minh ngoại tuyến",
		Long: `receipt fetches a record with its proof, verifies it from genesis, and writes a
compact receipt (the record, its ICS23 proof, header H+1 and the signatures of
more than 2/3 of the validators). 'danangchain verify --receipt R --genesis G
--offline' checks it with no network.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			key, err := k.resolve(args)
			if err != nil {
				return err
			}
			c, err := g.client()
			if err != nil {
				return err
			}
			p, err := c.Get(cmd.Context(), key)
			if err != nil {
				return err
			}
			if len(args) == 1 && p.Value == nil {
				// A receipt for a record id that does not exist would only
				// prove its absence: say so instead of writing one.
				return registry.Errorf(registry.ErrNotFound, "record %s does not exist (proven absent at height %d); no receipt written / "+
					"không có bản ghi này, không xuất biên nhận", args[0], p.Height)
			}
			// After a validator change the receipt carries the hand-overs
			// from genesis, so genesis.json alone verifies it.
			r, err := c.Receipt(cmd.Context(), p)
			if err != nil {
				return err
			}
			b, err := r.Encode()
			if err != nil {
				return err
			}
			if out == "" {
				return cliErrf(errUsage, "--out is required")
			}
			if err := os.WriteFile(out, b, 0o644); err != nil {
				return err
			}
			res := map[string]any{"file": out, "bytes": len(b), "height": p.Height, "key": hex.EncodeToString(key), "present": p.Value != nil}
			return g.print(cmd.OutOrStdout(), res, func(w io.Writer) {
				fmt.Fprintf(w, "Wrote %s (%d bytes): state at height %d, %d validator signatures\n", out, len(b), p.Height, len(r.Sigs))
			})
		},
	}
	cmd.Flags().StringVar(&out, "out", "", "receipt file to write")
	k.bind(cmd)
	return cmd
}

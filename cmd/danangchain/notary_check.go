package main

import (
	"context"
	"io"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/danangchain/danangchain/registry"
)

func newNotaryCheckCmd(g *globals) *cobra.Command {
	var from, api, out string
	cmd := &cobra.Command{
		Use:   "check PROPERTY",
		Short: "Check a property for active blocking notices, with proof / Tra cứu ngăn chặn",
		Long: `check answers, with a proof verified from genesis, either "no active blocking
notice as of height H" (an ICS23 non-existence proof of the property's index
key) or the active notices (existence proofs of the index and of each notice).

With --from (a notary office's key) the lookup is a metered one: it is signed
and sent to the node's notary API (--api, default the API address in
<home>/config/app.toml), which counts it for the office's monthly bill and
answers with the same proofs. Without --from the proofs are read over RPC and
nothing is counted.

--out FILE writes the proof bundle (signed header, validator set, proofs),
which 'danangchain notary verify-check FILE' verifies with no network.
Exit status 0 in both cases (blocked or not); non-zero only on errors.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			k, err := g.propertyKeying()
			if err != nil {
				return err
			}
			p, err := registry.ParseProperty(args[0], k)
			if err != nil {
				return err
			}
			c, err := g.client()
			if err != nil {
				return err
			}
			ctx, cancel := context.WithTimeout(cmd.Context(), 90*time.Second)
			defer cancel()
			var height int64
			var entries []provenEntry
			var receipt *lookupReceipt
			if from != "" {
				s, err := g.signer(from)
				if err != nil {
					return err
				}
				chainID, err := c.ChainID(ctx)
				if err != nil {
					return err
				}
				url := apiURL(g, api)
				nodeID, err := notaryNode(ctx, url)
				if err != nil {
					return err
				}
				req, err := signAPIRequest(chainID, nodeID, registry.APIActionLookup, p.Key, s)
				if err != nil {
					return err
				}
				var resp lookupResponse
				if err := postNotary(ctx, url, "/notary/v1/lookup", req, &resp); err != nil {
					return err
				}
				if entries, err = entriesOf(resp.Entries); err != nil {
					return err
				}
				height, receipt = resp.Height, &resp.Receipt
			} else {
				if height, entries, err = readCheckEntries(ctx, c, p.Key); err != nil {
					return err
				}
			}
			raw, res, err := proveCheck(ctx, c, k, p, height, entries)
			if err != nil {
				return err
			}
			v := viewCheck(res)
			if err := markCompromisedNotices(ctx, c, &v); err != nil {
				return err
			}
			v.Lookup = receipt
			if out != "" {
				if err := os.WriteFile(out, raw, 0o644); err != nil {
					return err
				}
				v.Bundle = out
			}
			return g.print(cmd.OutOrStdout(), v, func(w io.Writer) { printCheck(w, v) })
		},
	}
	f := cmd.Flags()
	f.StringVar(&from, "from", "", "notary office key: sign the lookup and have it counted")
	f.StringVar(&api, "api", "", "node API URL for metered lookups (default from <home>/config/app.toml)")
	f.StringVar(&out, "out", "", "write the offline proof bundle to this file")
	return cmd
}

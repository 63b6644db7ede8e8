package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/danangchain/danangchain/registry"
)

func newKeysShowCmd(g *globals) *cobra.Command {
	var local bool
	cmd := &cobra.Command{
		Use:   "show NAME",
		Short: "Show a key: its public key and, from the chain (verified), its kind, agency and scope",
		Long: `show prints NAME's public key from the keyring and, unless --local, the key's
record on chain read with a proof: kind (council, agency main key, official
sub-key), agency, label, revocation and — for a sub-key — its scope (what it
may sign). A node that cannot be reached leaves the on-chain part out, saying so.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			kr, err := g.keyring()
			if err != nil {
				return err
			}
			info, err := kr.Show(args[0])
			if err != nil {
				return err
			}
			if local {
				return printKey(g, cmd.OutOrStdout(), *info)
			}
			v := viewOf(*info)
			out := map[string]any{"name": v.Name, "pub_key": v.PubKey, "key_id": v.KeyID}
			ctx, cancel := context.WithTimeout(cmd.Context(), 15*time.Second)
			defer cancel()
			cmd.SetContext(ctx)
			var rec *registry.KeyRecord
			var height int64
			p, err := getVerified(cmd, g, registry.KeyRecordKey(info.PubKey))
			switch {
			case err != nil:
				r := describe(err)
				out["on_chain_error"] = fmt.Sprintf("%d %s: %s", r.Code, r.Name, r.Detail)
			case p.Value == nil:
				out["on_chain"] = nil
				out["height"], out["proof_verified"] = p.Height, true
			default:
				if rec, err = registry.DecodeKeyRecord(p.Value); err != nil {
					return err
				}
				height = p.Height
				out["on_chain"] = map[string]any{"kind": rec.Kind.String(), "owner": rec.Owner, "label": rec.Label,
					"revoked": rec.Revoked, "scope": scopeView(rec)}
				out["height"], out["proof_verified"] = p.Height, true
			}
			return g.print(cmd.OutOrStdout(), out, func(w io.Writer) {
				fmt.Fprintf(w, "%s\n  pub_key %s\n  key_id  %s\n", v.Name, v.PubKey, v.KeyID)
				switch {
				case out["on_chain_error"] != nil:
					fmt.Fprintf(w, "  trên chuỗi / on chain: không đọc được / could not read (%s)\n", out["on_chain_error"])
				case rec == nil:
					fmt.Fprintf(w, "  trên chuỗi / on chain: chưa đăng ký / not registered (proven at height %d)\n", p.Height)
				default:
					fmt.Fprintf(w, "  trên chuỗi / on chain: %s of %q, label %q, revoked %v (proven at height %d)\n", rec.Kind, rec.Owner, rec.Label, rec.Revoked, height)
					if rec.Kind == registry.KeyOfficial {
						fmt.Fprintf(w, "  phạm vi / scope: %s\n", scopeText(rec))
					}
				}
			})
		},
	}
	cmd.Flags().BoolVar(&local, "local", false, "show only the keyring's public key (no chain read)")
	return cmd
}

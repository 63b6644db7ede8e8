package main

import (
	"encoding/hex"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/danangchain/danangchain/registry"
)

func newQueryKeyCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "key PUBKEY_HEX|KEY_NAME",
		Short: "Show a signing key's on-chain record (owner, kind, revoked)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			pub, err := parsePubKey(args[0])
			if err != nil {
				kr, kerr := g.keyring()
				if kerr != nil {
					return err
				}
				info, kerr := kr.Show(args[0])
				if kerr != nil {
					return err
				}
				pub = info.PubKey
			}
			p, err := getVerified(cmd, g, registry.KeyRecordKey(pub))
			if err != nil {
				return err
			}
			if p.Value == nil {
				return fmt.Errorf("%w: key %s (proven absent at height %d)", registry.ErrUnknownKey, registry.KeyID(pub), p.Height)
			}
			k, err := registry.DecodeKeyRecord(p.Value)
			if err != nil {
				return err
			}
			out := map[string]any{"pub_key": hex.EncodeToString(k.PubKey), "key_id": registry.KeyID(k.PubKey), "kind": k.Kind.String(),
				"owner": k.Owner, "label": k.Label, "revoked": k.Revoked, "added_height": k.AddedHeight,
				"revoked_height": k.RevokedHeight, "revoke_reason": k.RevokeReason, "height": p.Height, "proof_verified": true}
			return g.print(cmd.OutOrStdout(), out, func(w io.Writer) {
				fmt.Fprintf(w, "key %s (%s) owner %q label %q revoked %v\n", out["key_id"], out["kind"], k.Owner, k.Label, k.Revoked)
			})
		},
	}
}

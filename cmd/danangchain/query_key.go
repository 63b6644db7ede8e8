package main

import (
	"encoding/hex"
	"fmt"
	"io"
	"strings"

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
				"revoked_height": k.RevokedHeight, "revoke_reason": k.RevokeReason, "scope": scopeView(k), "height": p.Height, "proof_verified": true}
			return g.print(cmd.OutOrStdout(), out, func(w io.Writer) {
				fmt.Fprintf(w, "key %s (%s) owner %q label %q revoked %v\n", out["key_id"], out["kind"], k.Owner, k.Label, k.Revoked)
				if k.Kind == registry.KeyOfficial {
					fmt.Fprintf(w, "  phạm vi / scope: %s\n", scopeText(k))
				}
				fmt.Fprintf(w, "  proof verified at height %d\n", p.Height)
			})
		},
	}
}

// scopeView is a key's scope for JSON: the list for sub-keys (empty: may
// sign nothing), null for main and council keys (their roles decide).
func scopeView(k *registry.KeyRecord) any {
	if k.Kind != registry.KeyOfficial {
		return nil
	}
	return append([]string{}, k.Scope...)
}

func scopeText(k *registry.KeyRecord) string {
	if len(k.Scope) == 0 {
		return "không được ký gì / may sign nothing"
	}
	return strings.Join(k.Scope, ", ")
}

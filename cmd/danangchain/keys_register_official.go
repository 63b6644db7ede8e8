package main

import (
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/danangchain/danangchain/registry"
)

func newKeysRegisterOfficialCmd(g *globals) *cobra.Command {
	var from, label, pubHex string
	var scope []string
	cmd := &cobra.Command{
		Use:   "register-official NAME --label TEXT --from AGENCY_KEY",
		Short: "Register an official's sub-key for your agency / Đăng ký khóa cán bộ",
		Long: `register-official registers the key NAME (created in this keyring if it does not
exist) as an official's sub-key (kind "official") of the agency that owns
--from, an agency main key. With --pubkey HEX instead of NAME, a key generated
on the official's own device is registered and no private key is created here.
The label names a post, never a person (e.g. "Cán bộ kiểm tra 03").

--scope lists what the sub-key may sign, by message name (comma-separated);
it can sign nothing else, whatever roles its agency holds — so a lost phone
cannot act for the agency beyond its task. Common scopes:
  result/inspect     an inspector logging checks of results (needs result.inspector)
  notary/contract    a notary public recording contracts
  product/scan       a shop assistant or inspector scanning tags
  food/events        a worker recording EPCIS steps
  anchor             a clerk anchoring document hashes
Main keys keep gov/*, key/* and issuing and managing results. 'keys show' and
'agency show' print each sub-key's scope. The agency revokes a sub-key with
'keys revoke-official' (with --compromised-since when it leaked).`,
		Example: `  danangchain keys register-official inspector1 --label "Cán bộ kiểm tra 01" --scope result/inspect --from ward`,
		Args:    cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			scope = normScope(scope)
			if err := registry.CheckScope(scope); err != nil {
				return err
			}
			pub, created, err := officialKey(g, args, pubHex, true)
			if err != nil {
				return err
			}
			name := ""
			if len(args) == 1 {
				name = args[0]
			}
			msg := &registry.MsgAddSubKey{PubKey: pub, Label: registry.NFC(strings.TrimSpace(label)), Scope: scope}
			out, err := submit(cmd, g, from, msg)
			if err != nil {
				// A key created here for a registration that did not happen
				// is removed again (unless the outcome is unknown).
				if created != "" && describe(err).Kind != kindUnknownOutcome {
					if kr, kerr := g.keyring(); kerr == nil {
						_ = kr.Delete(created)
					}
				}
				return err
			}
			res := map[string]any{"name": name, "pub_key": hex.EncodeToString(pub), "key_id": registry.KeyID(pub),
				"kind": registry.KeyOfficial.String(), "label": msg.Label, "scope": scope, "height": out.Height, "tx_hash": out.TxHash}
			return printTx(g, cmd.OutOrStdout(), res, fmt.Sprintf("Đã đăng ký khóa cán bộ %s ở khối %d, chỉ được ký: %s", msg.Label, out.Height, strings.Join(scope, ", ")),
				fmt.Sprintf("Registered official key %s (%s) at height %d; it may sign only: %s", registry.KeyID(pub), msg.Label, out.Height, strings.Join(scope, ", ")))
		},
	}
	cmd.Flags().StringVar(&from, "from", "", "agency main key name")
	cmd.Flags().StringVar(&label, "label", "", `the official's post, e.g. "Cán bộ kiểm tra 01"`)
	cmd.Flags().StringVar(&pubHex, "pubkey", "", "register this public key (hex) instead of a keyring key")
	cmd.Flags().StringSliceVar(&scope, "scope", nil, "message names the sub-key may sign, e.g. result/inspect (comma-separated; required)")
	_ = cmd.MarkFlagRequired("label")
	_ = cmd.MarkFlagRequired("scope")
	return cmd
}

// normScope trims, sorts and de-duplicates scope names as the chain wants
// them.
func normScope(in []string) []string {
	var out []string
	for _, s := range in {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	out, _ = sortUniqueStrings(out)
	return out
}

// officialKey resolves an official's key from NAME (in the keyring;
// created there when create is set and it does not exist — its name is
// then returned as created) or from --pubkey HEX.
func officialKey(g *globals, args []string, pubHex string, create bool) (pub []byte, created string, err error) {
	switch {
	case len(args) == 1 && pubHex == "":
		kr, err := g.keyring()
		if err != nil {
			return nil, "", err
		}
		info, err := kr.Show(args[0])
		if err != nil {
			if !create {
				return nil, "", err
			}
			if info, err = kr.Add(args[0]); err != nil {
				return nil, "", err
			}
			created = args[0]
		}
		return info.PubKey, created, nil
	case len(args) == 0 && pubHex != "":
		pub, err := parsePubKey(pubHex)
		return pub, "", err
	}
	return nil, "", cliErrf(errUsage, "give NAME or --pubkey")
}

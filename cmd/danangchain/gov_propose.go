package main

import (
	"encoding/binary"
	"fmt"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/danangchain/danangchain/registry"
)

// proposeFlags are shared by every 'gov propose' action.
type proposeFlags struct {
	from, description string
}

func newGovProposeCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "propose ACTION",
		Short: "Propose a council action",
	}
	cmd.AddCommand(
		newProposeAddAgencyCmd(g), newProposeAgencyStatusCmd(g), newProposeAgencyRolesCmd(g),
		newProposeAddKeyCmd(g), newProposeRevokeKeyCmd(g), newProposeSetValidatorCmd(g),
		newProposeAddCouncilCmd(g), newProposeRemoveCouncilCmd(g), newProposeSetPayloadQuotaCmd(g),
	)
	return cmd
}

func (p *proposeFlags) bind(cmd *cobra.Command) {
	cmd.Flags().StringVar(&p.from, "from", "", "council key name in the keyring")
	cmd.Flags().StringVar(&p.description, "description", "", "why (Vietnamese welcome)")
}

// run submits a MsgPropose and prints the proposal id.
// A key created by --new-key for a proposal that was not accepted is
// deleted again (unless the outcome is unknown), so a refused proposal
// leaves nothing behind.
func (p *proposeFlags) run(cmd *cobra.Command, g *globals, a registry.Action, keys ...*keyArg) error {
	out, err := submit(cmd, g, p.from, &registry.MsgPropose{Action: a, Description: registry.NFC(p.description)})
	if err != nil {
		if describe(err).Kind != kindUnknownOutcome {
			for _, k := range keys {
				if k.created == "" {
					continue
				}
				if kr, kerr := g.keyring(); kerr == nil && kr.Delete(k.created) == nil {
					fmt.Fprintf(cmd.ErrOrStderr(), "Đã xóa khóa mới %q vì đề xuất không được chấp nhận / Deleted the new key %q: the proposal was not accepted\n", k.created, k.created)
				}
			}
		}
		return err
	}
	id := uint64(0)
	if b := out.Raw; len(b) == 8 {
		id = binary.BigEndian.Uint64(b)
	}
	res := map[string]any{"proposal_id": id, "tx_hash": out.TxHash, "height": out.Height, "action": a.Summary()}
	return printTx(g, cmd.OutOrStdout(), res, fmt.Sprintf("Đã gửi đề xuất %d ở khối %d; các thành viên Hội đồng khác bỏ phiếu bằng gov vote", id, out.Height), fmt.Sprintf("Proposal %d submitted at height %d: %s\nOther council members vote: danangchain gov vote %d yes --from KEY", id, out.Height, a.Summary(), id))
}

// keyArg resolves --key HEX, --key-name NAME or --new-key NAME.
type keyArg struct {
	hex, name, newName string
	created            string // set when resolve created newName
}

func (k *keyArg) bind(cmd *cobra.Command, what string) {
	cmd.Flags().StringVar(&k.hex, "key", "", what+" public key (hex)")
	cmd.Flags().StringVar(&k.name, "key-name", "", what+" key from the local keyring")
	cmd.Flags().StringVar(&k.newName, "new-key", "", "create this key in the local keyring and use it")
}

func (k *keyArg) resolve(g *globals) ([]byte, error) {
	switch {
	case k.hex != "":
		return parsePubKey(k.hex)
	case k.name != "" || k.newName != "":
		kr, err := g.keyring()
		if err != nil {
			return nil, err
		}
		if k.newName != "" {
			info, err := kr.Add(k.newName)
			if err != nil {
				return nil, err
			}
			k.created = k.newName
			return info.PubKey, nil
		}
		info, err := kr.Show(k.name)
		if err != nil {
			return nil, err
		}
		return info.PubKey, nil
	}
	return nil, cliErrf(errUsage, "give --key, --key-name or --new-key")
}

func splitRoles(s string) []string {
	var out []string
	for _, r := range strings.Split(s, ",") {
		if r = strings.TrimSpace(r); r != "" {
			out = append(out, r)
		}
	}
	sort.Strings(out)
	return out
}

func newProposeAddAgencyCmd(g *globals) *cobra.Command {
	var p proposeFlags
	var k keyArg
	var id, name, roles string
	cmd := &cobra.Command{
		Use:   "add-agency",
		Short: "Register an agency with roles and a main key",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			pub, err := k.resolve(g)
			if err != nil {
				return err
			}
			return p.run(cmd, g, &registry.AddAgency{ID: id, Name: registry.NFC(name), Roles: splitRoles(roles), Keys: [][]byte{pub}}, &k)
		},
	}
	p.bind(cmd)
	k.bind(cmd, "the agency's main")
	cmd.Flags().StringVar(&id, "id", "", "agency id, e.g. ubnd-phuong-thach-thang")
	cmd.Flags().StringVar(&name, "name", "", "Vietnamese name, e.g. \"UBND phường Thạch Thang\"")
	cmd.Flags().StringVar(&roles, "roles", "", "comma-separated roles, e.g. result.issuer,result.inspector")
	return cmd
}

func newProposeAgencyStatusCmd(g *globals) *cobra.Command {
	var p proposeFlags
	var id, status string
	cmd := &cobra.Command{
		Use:   "set-agency-status",
		Short: "Suspend, reinstate (active) or remove an agency",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			st, err := registry.ParseAgencyStatus(status)
			if err != nil {
				return err
			}
			return p.run(cmd, g, &registry.SetAgencyStatus{ID: id, Status: st})
		},
	}
	p.bind(cmd)
	cmd.Flags().StringVar(&id, "id", "", "agency id")
	cmd.Flags().StringVar(&status, "status", "", "active, suspended or removed")
	return cmd
}

func newProposeAgencyRolesCmd(g *globals) *cobra.Command {
	var p proposeFlags
	var id, roles string
	cmd := &cobra.Command{
		Use:   "set-agency-roles",
		Short: "Replace an agency's roles",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return p.run(cmd, g, &registry.SetAgencyRoles{ID: id, Roles: splitRoles(roles)})
		},
	}
	p.bind(cmd)
	cmd.Flags().StringVar(&id, "id", "", "agency id")
	cmd.Flags().StringVar(&roles, "roles", "", "comma-separated roles")
	return cmd
}

func newProposeAddKeyCmd(g *globals) *cobra.Command {
	var p proposeFlags
	var k keyArg
	var id string
	cmd := &cobra.Command{
		Use:   "add-agency-key",
		Short: "Add a main key to an agency (rotation: add the new key, then revoke the old)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			pub, err := k.resolve(g)
			if err != nil {
				return err
			}
			return p.run(cmd, g, &registry.AddAgencyKey{ID: id, PubKey: pub}, &k)
		},
	}
	p.bind(cmd)
	k.bind(cmd, "the new")
	cmd.Flags().StringVar(&id, "id", "", "agency id")
	return cmd
}

func newProposeRevokeKeyCmd(g *globals) *cobra.Command {
	var p proposeFlags
	var k keyArg
	var reason string
	var since uint64
	cmd := &cobra.Command{
		Use:   "revoke-key",
		Short: "Revoke a key; what it signed before stays valid (unless --compromised-since)",
		Long: `revoke-key revokes an agency's key: it signs nothing from then on, and what it
signed before stays valid. With --compromised-since H the key is declared
compromised since height H (also a key already revoked): every record it signed
at or after H then verifies as "compromised" — never valid — on every path
(CLI, SDK, API, the verify page), without touching the records one by one.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			pub, err := k.resolve(g)
			if err != nil {
				return err
			}
			if since > 0 {
				return p.run(cmd, g, &registry.KeyCompromised{PubKey: pub, Since: since, Reason: registry.NFC(reason)})
			}
			return p.run(cmd, g, &registry.RevokeKey{PubKey: pub, Reason: registry.NFC(reason)})
		},
	}
	cmd.Flags().Uint64Var(&since, "compromised-since", 0, "declare the key compromised since this height: what it signed from then on is never valid")
	p.bind(cmd)
	k.bind(cmd, "the revoked")
	cmd.Flags().StringVar(&reason, "reason", "", "reason, e.g. \"lộ khóa\" (key compromised)")
	return cmd
}

func newProposeSetValidatorCmd(g *globals) *cobra.Command {
	var p proposeFlags
	var pubHex, name string
	var power uint64
	cmd := &cobra.Command{
		Use:   "set-validator",
		Short: "Add, reweight or (power 0) remove a validator",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			pub, err := parsePubKey(pubHex)
			if err != nil {
				return err
			}
			return p.run(cmd, g, &registry.SetValidator{PubKey: pub, Power: power, Name: registry.NFC(name)})
		},
	}
	p.bind(cmd)
	cmd.Flags().StringVar(&pubHex, "pubkey", "", "validator ed25519 public key (hex; 'danangchain init' prints it)")
	cmd.Flags().Uint64Var(&power, "power", 10, "voting power (0 removes)")
	cmd.Flags().StringVar(&name, "name", "", "operator name")
	return cmd
}

func newProposeAddCouncilCmd(g *globals) *cobra.Command {
	var p proposeFlags
	var k keyArg
	var name string
	cmd := &cobra.Command{
		Use:   "add-council",
		Short: "Add a council member",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			pub, err := k.resolve(g)
			if err != nil {
				return err
			}
			return p.run(cmd, g, &registry.AddCouncil{PubKey: pub, Name: registry.NFC(name)}, &k)
		},
	}
	p.bind(cmd)
	k.bind(cmd, "the member's")
	cmd.Flags().StringVar(&name, "name", "", "body the member represents")
	return cmd
}

func newProposeRemoveCouncilCmd(g *globals) *cobra.Command {
	var p proposeFlags
	var k keyArg
	cmd := &cobra.Command{
		Use:   "remove-council",
		Short: "Remove a council member",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			pub, err := k.resolve(g)
			if err != nil {
				return err
			}
			return p.run(cmd, g, &registry.RemoveCouncil{PubKey: pub})
		},
	}
	p.bind(cmd)
	k.bind(cmd, "the member's")
	return cmd
}

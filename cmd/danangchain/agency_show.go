package main

import (
	"encoding/hex"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/danangchain/danangchain/registry"
)

func newAgencyShowCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "show ID",
		Short: "Show an agency (verified proof)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			p, err := getVerified(cmd, g, registry.AgencyKey(args[0]))
			if err != nil {
				return err
			}
			if p.Value == nil {
				return fmt.Errorf("%w: agency %q (proven absent at height %d)", registry.ErrNotFound, args[0], p.Height)
			}
			a, err := registry.DecodeAgency(p.Value)
			if err != nil {
				return err
			}
			v := agencyView(a)
			keys, err := agencyKeys(cmd, g, a.ID)
			if err != nil {
				return err
			}
			quota, err := agencyQuota(cmd, g, a.ID, uint64(p.Height))
			if err != nil {
				return err
			}
			out := map[string]any{"agency": v, "keys": keys, "keys_note": listNote, "payload_quota": quota, "height": p.Height, "proof_verified": true}
			return g.print(cmd.OutOrStdout(), out, func(w io.Writer) {
				fmt.Fprintf(w, "%s — %s\n  status %s, roles %v, since height %d\n  proof verified at height %d\n", v.ID, v.Name, v.Status, v.Roles, v.Created, p.Height)
				fmt.Fprintf(w, "  hạn mức tệp / payload quota: %d of %d bytes used this period, %d remaining, resets at height %d\n",
					quota.Used, quota.Bytes, quota.Remaining(), quota.ResetsAt)
				fmt.Fprintf(w, "  khóa / keys (%s):\n", listNote)
				for _, k := range keys {
					line := fmt.Sprintf("    %s %-8s %q", k.KeyID, k.Kind, k.Label)
					if k.Revoked {
						line += " revoked / đã thu hồi"
					}
					if k.Kind == registry.KeyOfficial.String() {
						line += " — phạm vi / scope: " + scopeText(&registry.KeyRecord{Scope: k.Scope})
					}
					fmt.Fprintln(w, line)
				}
			})
		},
	}
}

type agencyKeyView struct {
	KeyID   string   `json:"key_id"`
	PubKey  string   `json:"pub_key"`
	Kind    string   `json:"kind"`
	Label   string   `json:"label,omitempty"`
	Revoked bool     `json:"revoked"`
	Scope   []string `json:"scope,omitempty"`
}

// agencyKeys lists the agency's main and sub-keys, each proven.
func agencyKeys(cmd *cobra.Command, g *globals, id string) ([]agencyKeyView, error) {
	// The node's range read names the candidates; only the agency's own
	// keys are then read again with proofs.
	kvs, _, err := rangePrefix(cmd, g, []byte{registry.PrefixKey})
	if err != nil {
		return nil, err
	}
	c, err := g.client()
	if err != nil {
		return nil, err
	}
	out := []agencyKeyView{}
	for _, kv := range kvs {
		listed, err := registry.DecodeKeyRecord(kv.Value)
		if err != nil || listed.Owner != id {
			continue
		}
		p, err := c.Get(cmd.Context(), kv.Key)
		if err != nil {
			return nil, err
		}
		if p.Value == nil {
			continue
		}
		k, err := registry.DecodeKeyRecord(p.Value)
		if err != nil {
			return nil, err
		}
		if k.Owner != id {
			continue
		}
		out = append(out, agencyKeyView{KeyID: registry.KeyID(k.PubKey), PubKey: hex.EncodeToString(k.PubKey),
			Kind: k.Kind.String(), Label: k.Label, Revoked: k.Revoked, Scope: k.Scope})
	}
	return out, nil
}

// quotaView is an agency's payload budget, every part read with a proof.
type quotaView struct {
	registry.PayloadQuota
	RemainingBytes uint64 `json:"remaining"`
}

// agencyQuota reads the params, the agency's override and its usage this
// period with proofs, and evaluates them with the chain's own rule.
func agencyQuota(cmd *cobra.Command, g *globals, id string, height uint64) (*quotaView, error) {
	c, err := g.client()
	if err != nil {
		return nil, err
	}
	mem := registry.NewMemStore()
	pp, err := c.Get(cmd.Context(), registry.ParamsKey())
	if err != nil {
		return nil, err
	}
	if err := mem.Set(registry.ParamsKey(), pp.Value); err != nil {
		return nil, err
	}
	params, err := registry.DecodeParams(pp.Value)
	if err != nil {
		return nil, err
	}
	for _, k := range [][]byte{registry.PayloadQuotaKey(id), registry.PayloadUsageKey(id, height/params.PayloadQuotaPeriod)} {
		p, err := c.Get(cmd.Context(), k)
		if err != nil {
			return nil, err
		}
		if p.Value != nil {
			if err := mem.Set(k, p.Value); err != nil {
				return nil, err
			}
		}
	}
	q, err := registry.NewState(mem).PayloadQuotaAt(id, height)
	if err != nil {
		return nil, err
	}
	return &quotaView{PayloadQuota: q, RemainingBytes: q.Remaining()}, nil
}

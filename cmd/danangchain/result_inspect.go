package main

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"io"
	"time"

	rpcclient "github.com/cometbft/cometbft/rpc/client"
	"github.com/spf13/cobra"

	"github.com/danangchain/danangchain/client"
	"github.com/danangchain/danangchain/registry"
)

func newResultInspectCmd(g *globals) *cobra.Command {
	var from, outcome string
	cmd := &cobra.Command{
		Use:   "inspect ID --outcome ok|mismatch|invalid|holder_mismatch|other --from OFFICIAL_KEY",
		Short: "Log an inspection of a result (lưu vết kiểm tra)",
		Long: `inspect records that the official holding --from (a sub-key registered with
'keys register-official'; the agency needs role result.inspector) checked result
ID, with the outcome. The log holds the official, the agency, the block time and
the outcome — never the holder's identity.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := parseResultID(args[0])
			if err != nil {
				return err
			}
			o, err := registry.ParseInspectionOutcome(outcome)
			if err != nil {
				return err
			}
			out, err := submit(cmd, g, from, &registry.MsgInspectResult{ID: id, Outcome: o})
			if err != nil {
				return err
			}
			b := out.Raw
			seq, n := binary.Uvarint(b)
			if n <= 0 {
				return fmt.Errorf("unexpected tx data %q", out.Data)
			}
			res := map[string]any{"seq": seq, "id": registry.FormatResultID(id), "outcome": o.String(), "height": out.Height, "tx_hash": out.TxHash}
			return printTx(g, cmd.OutOrStdout(), res, fmt.Sprintf("Đã lưu vết kiểm tra lần %d của kết quả %s ở khối %d", seq, res["id"], out.Height), fmt.Sprintf("Inspection %d of result %s logged (%s) at height %d", seq, res["id"], o, out.Height))
		},
	}
	cmd.Flags().StringVar(&from, "from", "", "official sub-key name")
	cmd.Flags().StringVar(&outcome, "outcome", "ok", "ok, mismatch, invalid, holder_mismatch or other")
	return cmd
}

// inspectionJSON is the printable form of an inspection.
type inspectionJSON struct {
	Seq        uint64 `json:"seq"`
	ResultID   string `json:"result_id"`
	Official   string `json:"official"` // public key (hex)
	OfficialID string `json:"official_key_id"`
	Agency     string `json:"agency"`
	Height     uint64 `json:"height"`
	Time       string `json:"time"` // UTC+7
	Outcome    string `json:"outcome"`
	// Compromised: the official's key was declared compromised at or
	// before this inspection (someone else may have logged it).
	Compromised      bool   `json:"signed_by_compromised_key,omitempty"`
	CompromisedSince uint64 `json:"official_key_compromised_since,omitempty"`
}

// markCompromisedInspections flags the inspections logged with a key
// declared compromised at or before their height; keyRecord reads a key's
// record (nil: none).
func markCompromisedInspections(views []inspectionJSON, keyRecord func(pub []byte) (*registry.KeyRecord, error)) error {
	recs := map[string]*registry.KeyRecord{}
	for i := range views {
		v := &views[i]
		k, ok := recs[v.Official]
		if !ok {
			pub, err := hex.DecodeString(v.Official)
			if err != nil {
				return err
			}
			if k, err = keyRecord(pub); err != nil {
				return err
			}
			recs[v.Official] = k
		}
		if k.SignedWhileCompromised(v.Height) {
			v.Compromised, v.CompromisedSince = true, k.CompromisedSince
		}
	}
	return nil
}

func inspectionView(in *registry.Inspection) inspectionJSON {
	return inspectionJSON{Seq: in.Seq, ResultID: registry.FormatResultID(in.ResultID), Official: hex.EncodeToString(in.Official),
		OfficialID: registry.KeyID(in.Official), Agency: in.Agency, Height: in.Height, Time: client.FormatUnix(in.Time),
		Outcome: in.Outcome.String()}
}

func newResultInspectionsCmd(g *globals) *cobra.Command {
	var official, agency string
	var fromHeight, limit uint64
	cmd := &cobra.Command{
		Use:   "inspections --official KEY | --agency ID",
		Short: "List logged inspections by official or by agency (for supervisors)",
		Long: `inspections lists the inspection log of one official (a key name or public key
in hex) or of one agency, oldest first. The listing is for browsing (each entry
can be proven with 'query raw').`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var prefix []byte
			switch {
			case official != "" && agency == "":
				pub, err := parsePubKey(official)
				if err != nil {
					kr, kerr := g.keyring()
					if kerr != nil {
						return err
					}
					info, kerr := kr.Show(official)
					if kerr != nil {
						return cliErrf(errUsage, "--official %q is neither a key name nor a public key", official)
					}
					pub = info.PubKey
				}
				prefix = registry.InspectionsByOfficialPrefix(pub)
			case agency != "" && official == "":
				prefix = registry.InspectionsByAgencyPrefix(agency)
			default:
				return cliErrf(errUsage, "give --official or --agency")
			}
			c, err := g.client()
			if err != nil {
				return err
			}
			ctx, cancel := cmdContext(cmd, 60*time.Second)
			defer cancel()
			start := binary.BigEndian.AppendUint64(bytes.Clone(prefix), fromHeight)
			kvs, h, err := rangeAll(ctx, c, start, registry.PrefixEnd(prefix), int(limit))
			if err != nil {
				return err
			}
			views := []inspectionJSON{}
			for _, kv := range kvs {
				in, err := registry.DecodeInspection(kv.Value)
				if err != nil {
					return err
				}
				views = append(views, inspectionView(in))
			}
			// Whether each official's key was declared compromised is read
			// with a proof.
			if err := markCompromisedInspections(views, func(pub []byte) (*registry.KeyRecord, error) {
				p, err := c.Get(ctx, registry.KeyRecordKey(pub))
				if err != nil || p.Value == nil {
					return nil, err
				}
				return registry.DecodeKeyRecord(p.Value)
			}); err != nil {
				return err
			}
			out := map[string]any{"count": len(views), "height": h, "inspections": views}
			return g.print(cmd.OutOrStdout(), out, func(w io.Writer) {
				for _, v := range views {
					note := ""
					if v.Compromised {
						note = fmt.Sprintf("  ⚠ khóa đã bị lộ từ khối %d / key compromised since height %d", v.CompromisedSince, v.CompromisedSince)
					}
					fmt.Fprintf(w, "%6d  %s  height %-8d result %-10s %-16s %s (%s)%s\n", v.Seq, v.Time, v.Height, v.ResultID, v.Outcome, v.OfficialID, v.Agency, note)
				}
				fmt.Fprintf(w, "%d inspection(s) at height %d\n", len(views), h)
			})
		},
	}
	cmd.Flags().StringVar(&official, "official", "", "official's key name or public key (hex)")
	cmd.Flags().StringVar(&agency, "agency", "", "agency id")
	cmd.Flags().Uint64Var(&fromHeight, "from-height", 0, "only inspections at or after this height")
	cmd.Flags().Uint64Var(&limit, "limit", 10000, "at most this many entries")
	return cmd
}

// rangeAll lists keys in [start, end) page by page (unproven, for
// browsing), up to limit entries, all from one height.
func rangeAll(ctx context.Context, c *client.Client, start, end []byte, limit int) ([]registry.KV, int64, error) {
	var out []registry.KV
	var height int64
	for len(out) < limit {
		res, err := c.RPC().ABCIQueryWithOptions(ctx, registry.QueryPathRange, registry.EncodeRangeRequest(start, end, registry.MaxRangeLimit),
			rpcclient.ABCIQueryOptions{Height: height})
		if err != nil {
			return nil, 0, err
		}
		if res.Response.Code != 0 {
			return nil, 0, registry.FromCode(res.Response.Codespace, res.Response.Code, res.Response.Log)
		}
		kvs, err := registry.DecodeKVs(res.Response.Value)
		if err != nil {
			return nil, 0, err
		}
		height = res.Response.Height
		out = append(out, kvs...)
		if len(kvs) < registry.MaxRangeLimit {
			break
		}
		start = append(bytes.Clone(kvs[len(kvs)-1].Key), 0)
	}
	if len(out) > limit {
		out = out[:limit]
	}
	return out, height, nil
}

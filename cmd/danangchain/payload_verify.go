package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/ipfs/go-cid"
	"github.com/spf13/cobra"

	"github.com/danangchain/danangchain/cas"
	"github.com/danangchain/danangchain/node"
	"github.com/danangchain/danangchain/registry"
)

func newPayloadVerifyCmd(g *globals) *cobra.Command {
	var from string
	cmd := &cobra.Command{
		Use:   "verify",
		Short: "Check that every live payload is complete in this node's store (operator)",
		Long: `verify walks every payload with a live publication in --home's committed state
and checks that every block is in the node's store and matches its CID. A
node restored by state sync has the records but not the bytes (the bytes came
with blocks it never executed): --repair-from URL fetches each incomplete
payload from another node's gateway as a CAR, verifies it against its CID and
stores it. Run it on a stopped node.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			a, st, err := node.OpenOffline(g.home)
			if err != nil {
				return err
			}
			defer st.Close()
			defer a.Close()
			roots, err := a.LivePayloads()
			if err != nil {
				return err
			}
			ctx := cmd.Context()
			type row struct {
				CID      string `json:"cid"`
				Complete bool   `json:"complete"`
				Missing  int    `json:"missing"`
				Repaired bool   `json:"repaired,omitempty"`
				Error    string `json:"error,omitempty"`
			}
			var rows []row
			bad := 0
			for _, s := range roots {
				root, err := cas.ParseCID(s)
				if err != nil {
					return err
				}
				r := row{CID: s}
				n, err := checkPayload(ctx, st, root)
				r.Missing, r.Complete = n, err == nil
				if !r.Complete && from != "" {
					if err = repairPayload(ctx, st, apiURL(g, from), root); err == nil {
						n, err = checkPayload(ctx, st, root)
						r.Missing, r.Complete, r.Repaired = n, err == nil, err == nil
					}
				}
				if err != nil {
					r.Error = err.Error()
				}
				if !r.Complete {
					bad++
				}
				rows = append(rows, r)
			}
			res := map[string]any{"height": a.Height(), "payloads": rows, "incomplete": bad}
			if err := g.print(cmd.OutOrStdout(), res, func(w io.Writer) {
				for _, r := range rows {
					state := "complete"
					if r.Repaired {
						state = "repaired"
					} else if !r.Complete {
						state = fmt.Sprintf("INCOMPLETE (%d blocks missing) %s", r.Missing, r.Error)
					}
					fmt.Fprintf(w, "%s  %s\n", r.CID, state)
				}
				fmt.Fprintf(w, "%d live payloads at height %d, %d incomplete\n", len(rows), a.Height(), bad)
			}); err != nil {
				return err
			}
			if bad > 0 {
				return &exitError{code: 1}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&from, "repair-from", "", "gateway of another node to fetch incomplete payloads from")
	return cmd
}

// repairPayload fetches root as a CAR from a gateway and stores its
// verified blocks.
func repairPayload(ctx context.Context, st *cas.Store, gateway string, root cid.Cid) error {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Minute)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, gateway+cas.GatewayPath+root.String()+"?format=car", nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s: %s", gateway, resp.Status)
	}
	roots, _, err := st.ImportCAR(ctx, io.LimitReader(resp.Body, 2*registry.MaxPayloadSize), 2*registry.MaxPayloadSize)
	if err != nil {
		return err
	}
	if len(roots) != 1 || !roots[0].Equals(root) {
		return fmt.Errorf("%s answered a CAR for %v", gateway, roots)
	}
	return nil
}

// checkPayload verifies every block of root (deleting damaged ones so a
// repair can write them again) and reports how many are missing.
func checkPayload(ctx context.Context, st *cas.Store, root cid.Cid) (int, error) {
	missing, damaged, err := st.Check(ctx, root)
	if err != nil {
		return 0, err
	}
	if len(missing) > 0 {
		return len(missing), fmt.Errorf("%d blocks missing (%d of them damaged and removed), first %s", len(missing), len(damaged), missing[0])
	}
	return 0, nil
}

package main

import (
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"
)

func newStatusCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "status",
		Short: "Show the node's chain, height and sync state / Trạng thái nút",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			c, err := g.client()
			if err != nil {
				return err
			}
			st, err := c.Status(cmd.Context())
			if err != nil {
				return fmt.Errorf("node %s: %w", g.nodeURL(), err)
			}
			vals, err := c.RPC().Validators(cmd.Context(), nil, nil, nil)
			if err != nil {
				return err
			}
			type val struct {
				Address string `json:"address"`
				PubKey  string `json:"pub_key"`
				Power   int64  `json:"power"`
			}
			var vs []val
			for _, v := range vals.Validators {
				vs = append(vs, val{v.Address.String(), fmt.Sprintf("%x", v.PubKey.Bytes()), v.VotingPower})
			}
			out := map[string]any{
				"chain_id": st.NodeInfo.Network, "moniker": st.NodeInfo.Moniker, "node_id": string(st.NodeInfo.DefaultNodeID),
				"latest_height": st.SyncInfo.LatestBlockHeight, "latest_block_time": st.SyncInfo.LatestBlockTime.In(vnZone).Format(time.RFC3339Nano),
				"latest_app_hash": st.SyncInfo.LatestAppHash.String(), "latest_block_hash": st.SyncInfo.LatestBlockHash.String(),
				"earliest_height": st.SyncInfo.EarliestBlockHeight, "catching_up": st.SyncInfo.CatchingUp,
				"validators": vs, "node": g.nodeURL(),
			}
			return g.print(cmd.OutOrStdout(), out, func(w io.Writer) {
				fmt.Fprintf(w, "chuỗi / chain            %s\nnút / node              %s (%s) at %s\n"+
					"chiều cao / height      %d (%s giờ Việt Nam, %s trước / ago)\nmã khối / block hash    %s\n"+
					"khối từ / blocks from   %d\napp hash                %s\nđang đồng bộ / catching up  %s\nvalidators              %d\n",
					st.NodeInfo.Network, st.NodeInfo.Moniker, st.NodeInfo.DefaultNodeID, g.nodeURL(),
					st.SyncInfo.LatestBlockHeight, st.SyncInfo.LatestBlockTime.In(vnZone).Format("2006-01-02 15:04:05"),
					time.Since(st.SyncInfo.LatestBlockTime).Round(time.Second), st.SyncInfo.LatestBlockHash,
					st.SyncInfo.EarliestBlockHeight, st.SyncInfo.LatestAppHash,
					yesNo(st.SyncInfo.CatchingUp), len(vs))
				for _, v := range vs {
					fmt.Fprintf(w, "  %s power %d\n", v.PubKey, v.Power)
				}
			})
		},
	}
}

func yesNo(b bool) string {
	if b {
		return "có / yes"
	}
	return "không / no"
}

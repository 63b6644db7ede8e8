package main

import (
	"github.com/spf13/cobra"
)

func newQueryCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "query",
		Short: "Read state with proofs verified from genesis / Truy vấn có chứng minh",
		Long: `query reads state with an ICS23 proof and checks it against the app hash in
header H+1, itself checked by CometBFT's light client from the genesis in
<home>/config/genesis.json. It never prints data it could not verify.`,
	}
	cmd.AddCommand(newQueryRawCmd(g), newQueryAnchorCmd(g), newQueryKeyCmd(g))
	return cmd
}

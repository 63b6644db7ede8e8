package main

import (
	"github.com/spf13/cobra"
)

func newGovCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "gov",
		Short: "Council governance: propose, vote, show, list / Quản trị của Hội đồng",
		Long: `Changes to agencies, keys, the council and the validator set are made only by
the council. A council member proposes (their vote counts as yes); the proposal
executes in the block where yes votes exceed the quorum (default: more than 2/3
of the council) and is rejected as soon as that can no longer happen. Any other
key is refused with code 10 (unauthorized).`,
	}
	cmd.AddCommand(newGovProposeCmd(g), newGovVoteCmd(g), newGovShowCmd(g), newGovListCmd(g))
	return cmd
}

package main

import (
	"encoding/hex"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/spf13/cobra"

	"github.com/danangchain/danangchain/registry"
)

// proposalJSON is the printable form of a proposal.
type proposalJSON struct {
	ID          uint64   `json:"id"`
	Action      string   `json:"action"`
	Description string   `json:"description,omitempty"`
	Proposer    string   `json:"proposer"`
	Status      string   `json:"status"`
	Yes         []string `json:"yes"`
	No          []string `json:"no"`
	Submitted   uint64   `json:"submit_height"`
	SubmitTime  string   `json:"submit_time"`
	Deadline    uint64   `json:"deadline_height"`
	DoneHeight  uint64   `json:"done_height,omitempty"`
	FailReason  string   `json:"fail_reason,omitempty"`
}

func keyIDs(keys [][]byte) []string {
	out := []string{}
	for _, k := range keys {
		out = append(out, hex.EncodeToString(k))
	}
	return out
}

func proposalView(p *registry.Proposal, height uint64) proposalJSON {
	return proposalJSON{ID: p.ID, Action: p.Action.Summary(), Description: p.Description, Proposer: hex.EncodeToString(p.Proposer),
		Status: p.StatusAt(height).String(), Yes: keyIDs(p.Yes), No: keyIDs(p.No), Submitted: p.SubmitHeight,
		SubmitTime: time.Unix(int64(p.SubmitTime), 0).In(vnZone).Format(time.RFC3339), Deadline: p.Deadline,
		DoneHeight: p.DoneHeight, FailReason: p.FailReason}
}

// vnZone is Indochina Time (UTC+7), in which people read times.
var vnZone = time.FixedZone("ICT", 7*3600)

func printProposal(w io.Writer, v proposalJSON) {
	fmt.Fprintf(w, "Proposal %d: %s\n  status   %s\n  yes      %d  no %d\n  proposer %s\n  submitted height %d (%s), deadline %d\n",
		v.ID, v.Action, v.Status, len(v.Yes), len(v.No), v.Proposer, v.Submitted, v.SubmitTime, v.Deadline)
	if v.FailReason != "" {
		fmt.Fprintf(w, "  failed: %s\n", v.FailReason)
	}
}

func newGovShowCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "show PROPOSAL_ID",
		Short: "Show a proposal (verified proof)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := strconv.ParseUint(args[0], 10, 64)
			if err != nil {
				return err
			}
			pr, err := getVerified(cmd, g, registry.ProposalKey(id))
			if err != nil {
				return err
			}
			if pr.Value == nil {
				return fmt.Errorf("%w: proposal %d (proven absent at height %d)", registry.ErrNotFound, id, pr.Height)
			}
			p, err := registry.DecodeProposal(pr.Value)
			if err != nil {
				return err
			}
			v := proposalView(p, uint64(pr.Height)+1)
			return g.print(cmd.OutOrStdout(), v, func(w io.Writer) { printProposal(w, v) })
		},
	}
}

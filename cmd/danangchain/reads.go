package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/danangchain/danangchain/app"
	"github.com/danangchain/danangchain/client"
	"github.com/danangchain/danangchain/registry"
)

// getVerified reads a state key with a proof checked against a header
// verified from the home's genesis.
func getVerified(cmd *cobra.Command, g *globals, key []byte) (*client.Proven, error) {
	c, err := g.client()
	if err != nil {
		return nil, err
	}
	return c.Get(cmd.Context(), key)
}

// listPrefix lists the keys under prefix (not proven: for browsing).
func listPrefix(cmd *cobra.Command, g *globals, prefix []byte) ([]app.KV, int64, error) {
	c, err := g.client()
	if err != nil {
		return nil, 0, err
	}
	res, err := c.RPC().ABCIQuery(cmd.Context(), app.PathRange, app.EncodeRangeRequest(prefix, registry.PrefixEnd(prefix), app.MaxRangeLimit))
	if err != nil {
		return nil, 0, err
	}
	if res.Response.Code != 0 {
		return nil, 0, registry.FromCode(res.Response.Codespace, res.Response.Code, res.Response.Log)
	}
	kvs, err := app.DecodeKVs(res.Response.Value)
	return kvs, res.Response.Height, err
}

func loadProposal(cmd *cobra.Command, g *globals, id uint64) (*registry.Proposal, error) {
	p, err := getVerified(cmd, g, registry.ProposalKey(id))
	if err != nil {
		return nil, err
	}
	if p.Value == nil {
		return nil, fmt.Errorf("%w: proposal %d", registry.ErrNotFound, id)
	}
	return registry.DecodeProposal(p.Value)
}

package main

import (
	"fmt"

	"github.com/spf13/cobra"

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

// listNote is printed with every list: what was and was not proven.
const listNote = "Mỗi mục đã được chứng minh (ICS23, tiêu đề khối đã xác minh); tính đầy đủ của danh sách chưa được chứng minh: " +
	"một nút gian dối có thể giấu bớt mục. / Each entry is proven (ICS23, verified header); the list's completeness is not: " +
	"a lying node could leave entries out."

// listPrefix lists the entries under prefix: the node's range read names
// the keys, then each entry is read again with its proof (a proven
// absence drops it; the proven value replaces the listed one). Returns the
// proven entries and the height they were proven at.
func listPrefix(cmd *cobra.Command, g *globals, prefix []byte) ([]registry.KV, int64, error) {
	kvs, _, err := rangePrefix(cmd, g, prefix)
	if err != nil {
		return nil, 0, err
	}
	c, err := g.client()
	if err != nil {
		return nil, 0, err
	}
	out := make([]registry.KV, 0, len(kvs))
	var height int64
	for _, kv := range kvs {
		p, err := c.Get(cmd.Context(), kv.Key)
		if err != nil {
			return nil, 0, err
		}
		height = max(height, p.Height)
		if p.Value != nil {
			out = append(out, registry.KV{Key: kv.Key, Value: p.Value})
		}
	}
	return out, height, nil
}

// rangePrefix is the node's unproven range read of the keys under prefix.
func rangePrefix(cmd *cobra.Command, g *globals, prefix []byte) ([]registry.KV, int64, error) {
	c, err := g.client()
	if err != nil {
		return nil, 0, err
	}
	res, err := c.RPC().ABCIQuery(cmd.Context(), registry.QueryPathRange, registry.EncodeRangeRequest(prefix, registry.PrefixEnd(prefix), registry.MaxRangeLimit))
	if err != nil {
		return nil, 0, err
	}
	if res.Response.Code != 0 {
		return nil, 0, registry.FromCode(res.Response.Codespace, res.Response.Code, res.Response.Log)
	}
	kvs, err := registry.DecodeKVs(res.Response.Value)
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

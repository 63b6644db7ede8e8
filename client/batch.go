package client

import (
	"context"
	"fmt"

	"github.com/danangchain/danangchain/registry"
)

// Progress is called after each committed chunk of a batch.
type Progress func(done, total int)

// IssuedBatch is the outcome of IssueResults: one entry per document, in
// order, with the id the chain gave it and whether it was new.
type IssuedBatch struct {
	Results []registry.IssuedResult
	Heights []int64 // commit height of each document's chunk
}

// IssueResults issues many administrative results, chunked into txs under
// the size cap, each chunk committed before the next; every document gets
// its own id. Re-running the same batch is safe: documents already issued
// by the agency return their existing ids (new = false).
func (c *Client) IssueResults(ctx context.Context, s Signer, docs []registry.ResultDoc, progress Progress) (*IssuedBatch, error) {
	out := &IssuedBatch{}
	done := 0
	for i, chunk := range ChunkResults(docs, 0) {
		res, err := c.SubmitIdempotent(ctx, s, fmt.Sprintf("issue-results/%x/%d", registry.Hash(chunk[0].DocHash), i), registry.NewIssueResults(chunk))
		if err != nil {
			return out, fmt.Errorf("chunk %d (documents %d..%d): %w", i, done, done+len(chunk)-1, err)
		}
		issued, err := registry.DecodeIssued(res.Data)
		if err != nil {
			return out, err
		}
		out.Results = append(out.Results, issued...)
		for range issued {
			out.Heights = append(out.Heights, res.Height)
		}
		done += len(chunk)
		if progress != nil {
			progress(done, len(docs))
		}
	}
	return out, nil
}

// BatchAnchor is a committed Merkle batch: the root in state, a path per
// document.
type BatchAnchor struct {
	Tree   *MerkleTree
	Height int64
}

// AnchorBatch anchors any number of document hashes with one state write:
// the RFC 6962 root of the batch (registry.MsgAnchorRoot). Keep the tree
// (or each document's Path) to prove inclusion later with
// VerifyMerklePath against the root's verified record.
func (c *Client) AnchorBatch(ctx context.Context, s Signer, docHashes [][]byte, tag string) (*BatchAnchor, error) {
	t, err := NewMerkleTree(docHashes)
	if err != nil {
		return nil, err
	}
	res, err := c.Submit(ctx, s, &registry.MsgAnchorRoot{Root: t.Root(), Count: uint64(t.Count()), Tag: registry.NFC(tag)})
	if err != nil {
		return nil, err
	}
	return &BatchAnchor{Tree: t, Height: res.Height}, nil
}

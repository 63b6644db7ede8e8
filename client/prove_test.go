package client_test

import (
	"context"
	"crypto/sha256"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/danangchain/danangchain/client"
	"github.com/danangchain/danangchain/node"
	"github.com/danangchain/danangchain/registry"
)

func TestSubmitProvenResults(t *testing.T) {
	ctx := context.Background()
	gen, err := node.LoadGenesis(exampleHome)
	require.NoError(t, err)
	c, err := client.New(exampleURL, client.WithGenesis(gen))
	require.NoError(t, err)
	docs := make([]registry.ResultDoc, 3)
	for i := range docs {
		h := sha256.Sum256([]byte(fmt.Sprintf("prove-records %d", i)))
		docs[i] = registry.ResultDoc{Procedure: "2.000720.000.00.00.H17", Title: "Giấy chứng nhận", DocHash: h[:]}
	}
	res, records, err := c.SubmitProven(ctx, exampleSigner("ward"), registry.NewIssueResults(docs))
	require.NoError(t, err)
	require.Len(t, records, 3)
	issued, err := registry.DecodeIssued(res.Data)
	require.NoError(t, err)
	for i, p := range records {
		require.Equal(t, registry.ResultKey(issued[i].ID), p.Key)
		r, err := registry.DecodeResultRecord(p.Value)
		require.NoError(t, err)
		require.Equal(t, docs[i].DocHash, r.DocHash, "record %d is its document's", i)
	}

	// A message that does not name its records says so.
	_, err = c.ProveRecords(ctx, &registry.MsgVote{ProposalID: 1, Approve: true}, res)
	require.ErrorContains(t, err, "does not name its records")
}

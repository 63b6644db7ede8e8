package client_test

import (
	"context"
	"crypto/sha256"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/danangchain/danangchain/client"
	"github.com/danangchain/danangchain/node"
	"github.com/danangchain/danangchain/registry"
)

// TestTenThousandResultsConcurrently is the agency developer's journey:
// 10,000 results issued concurrently from one key with zero failures, half
// of them retried with the same idempotency key (zero duplicates), then
// verified.
func TestTenThousandResultsConcurrently(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("long: runs without -race in make test")
	}
	const n, workers = 10_000, 256
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	gen, err := node.LoadGenesis(exampleHome)
	require.NoError(t, err)
	c, err := client.New(exampleURL, client.WithGenesis(gen), client.WithTTL(1000))
	require.NoError(t, err)
	ward := exampleSigner("ward")
	docs := make([][]byte, n)
	for i := range docs {
		h := sha256.Sum256([]byte(fmt.Sprintf("concurrent result %d", i)))
		docs[i] = h[:]
	}
	submit := func(i int) (uint64, error) {
		msg := registry.NewIssueResults([]registry.ResultDoc{{Procedure: "2.000720.000.00.00.H17", Title: "Giấy chứng nhận", DocHash: docs[i]}})
		res, err := c.SubmitIdempotent(ctx, ward, fmt.Sprintf("dossier-%d", i), msg)
		if err != nil {
			return 0, err
		}
		issued, err := registry.DecodeIssued(res.Data)
		if err != nil || len(issued) != 1 {
			return 0, fmt.Errorf("bad result data: %v", err)
		}
		return issued[0].ID, nil
	}
	run := func(idx []int) ([]uint64, []error) {
		ids, errs := make([]uint64, n), make([]error, 0)
		var mu sync.Mutex
		work := make(chan int)
		var wg sync.WaitGroup
		for w := 0; w < workers; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range work {
					id, err := submit(i)
					mu.Lock()
					if err != nil {
						errs = append(errs, err)
					}
					ids[i] = id
					mu.Unlock()
				}
			}()
		}
		for _, i := range idx {
			work <- i
		}
		close(work)
		wg.Wait()
		return ids, errs
	}
	all := make([]int, n)
	for i := range all {
		all[i] = i
	}
	start := time.Now()
	ids, errs := run(all)
	require.Empty(t, errs)
	t.Logf("%d results committed concurrently from one key in %s", n, time.Since(start).Round(time.Millisecond))
	seen := map[uint64]bool{}
	for _, id := range ids {
		require.NotZero(t, id)
		require.False(t, seen[id], "duplicate id %d", id)
		seen[id] = true
	}
	// Retry half: the same ids come back, nothing new is created.
	half := all[:n/2]
	again, errs := run(half)
	require.Empty(t, errs)
	for _, i := range half {
		require.Equal(t, ids[i], again[i])
	}
	last, err := c.Get(ctx, registry.SeqKey(registry.SeqResult))
	require.NoError(t, err)
	// Verify: each document's index entry is in state; a sample is fully
	// verified (index, record and agency proofs from genesis).
	for i, d := range docs {
		r, err := c.RPC().ABCIQuery(ctx, "/store", registry.ResultHashKey(d))
		require.NoError(t, err)
		require.NotEmpty(t, r.Response.Value, "result %d missing", i)
		if i%100 == 0 {
			v, err := c.VerifyDocument(ctx, d)
			require.NoError(t, err)
			require.Equal(t, registry.VerdictValid, v.Status)
			require.Equal(t, ids[i], v.Record.ID)
		}
	}
	require.NotNil(t, last.Value)
}

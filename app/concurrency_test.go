package app

import (
	"fmt"
	"sync"
	"testing"

	ics23 "github.com/cosmos/ics23/go"

	"github.com/danangchain/danangchain/registry"
)

// Get and Range are for readers outside CometBFT's serialized ABCI
// connection (the API server), and snapshots are exported in the
// background: both must be safe while blocks execute (run with -race).
func TestReadsConcurrentWithBlocks(t *testing.T) {
	c := newChain(t, func(o *Options) { o.SnapshotInterval = 1 })
	first := anchor("concurrent-0")
	c.mustBlock(c.tx(agencyKey, first))
	key := registry.AnchorKey(first.Hash)

	var mu sync.Mutex
	hashes := map[int64][]byte{1: c.hashes[1]}
	stop := make(chan struct{})
	errs := make(chan error, 1)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for n := 0; ; n++ {
			select {
			case <-stop:
				return
			default:
			}
			v, proof, h, err := c.app.Get(0, key, true)
			if err == nil {
				var p ics23.CommitmentProof
				if err = p.Unmarshal(proof); err == nil {
					mu.Lock()
					root := hashes[h]
					mu.Unlock()
					if root != nil && !ics23.VerifyMembership(ics23.IavlSpec, root, &p, key, v) {
						err = fmt.Errorf("proof at height %d does not verify", h)
					}
				}
			}
			if err == nil {
				_, _, err = c.app.Range(0, nil, nil, 50)
			}
			if err != nil {
				errs <- err
				return
			}
		}
	}()
	for i := 1; i <= 12; i++ {
		var txs [][]byte
		for j := 0; j < 20; j++ {
			txs = append(txs, c.tx(agencyKey, anchor(fmt.Sprintf("concurrent-%d-%d", i, j))))
		}
		resp := c.finalize(txs...)
		mu.Lock()
		hashes[c.height+1] = resp.AppHash
		mu.Unlock()
		c.commit(resp)
	}
	close(stop)
	wg.Wait()
	select {
	case err := <-errs:
		t.Fatal(err)
	default:
	}
}

package main

import (
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cometbft/cometbft/types"
	"github.com/spf13/cobra"

	"github.com/danangchain/danangchain/client"
	"github.com/danangchain/danangchain/internal/bench"
	"github.com/danangchain/danangchain/registry"
)

// benchResult is the load generator's report.
type benchResult struct {
	Mode          string         `json:"mode"`
	Nodes         []string       `json:"nodes"`
	TxBytes       int            `json:"tx_bytes"`
	Txs           int            `json:"txs"`
	Concurrency   int            `json:"concurrency"`
	TargetRate    float64        `json:"target_rate"`
	Submitted     int            `json:"submitted"`
	Committed     int            `json:"committed"`
	Errors        map[string]int `json:"errors_by_code"`
	DurationSec   float64        `json:"duration_seconds"`
	SubmittedTPS  float64        `json:"submitted_tx_per_s"`
	CommittedTPS  float64        `json:"committed_tx_per_s"`
	LatencyP50Ms  float64        `json:"commit_latency_p50_ms"`
	LatencyP95Ms  float64        `json:"commit_latency_p95_ms"`
	LatencyP99Ms  float64        `json:"commit_latency_p99_ms"`
	SetCheckOK    int            `json:"set_check_present"`
	SetCheckLost  int            `json:"set_check_missing"`
	SetCheckState string         `json:"set_check"`
	Batch         int            `json:"records_per_tx"`
	RecordsPerSec float64        `json:"committed_records_per_s"`
}

func newBenchCmd(g *globals) *cobra.Command {
	var (
		n, conc int
		rate    float64
		from    string
		nodes   string
		kvs     bool
		timeout time.Duration
		mode    string
		batch   int
	)
	cmd := &cobra.Command{
		Use:   "bench",
		Short: "Load generator: signed record txs against a node or testnet / Tạo tải",
		Long: `bench pre-signs --txs anchor transactions (one record per tx) with --from, sends
them with --concurrency workers (at --rate tx/s, or flat out), watches blocks
for their commits and reports submitted vs committed tx/s, p50/p95/p99 commit
latency and errors by code. Afterwards it checks that every tx seen committed
is in state ("set check": nothing acknowledged is lost).

With --kvstore it sends CometBFT kvstore txs of the same size to a node started
with 'danangchain start --baseline-kvstore': the same-run baseline.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			urls := strings.Split(nodes, ",")
			if nodes == "" {
				urls = []string{g.nodeURL()}
			}
			if kvs {
				mode = "kvstore"
			}
			res, err := runBench(cmd.Context(), g, urls, n, conc, rate, from, mode, batch, timeout, cmd.ErrOrStderr())
			if err != nil {
				return err
			}
			return g.print(cmd.OutOrStdout(), res, func(w io.Writer) {
				fmt.Fprintf(w, "%s: %d/%d committed, %.0f tx/s committed (%.0f submitted), %.0f records/s, latency p50 %.0f ms p95 %.0f ms p99 %.0f ms, tx %d B, errors %v, set check %s\n",
					res.Mode, res.Committed, res.Txs, res.CommittedTPS, res.SubmittedTPS, res.RecordsPerSec, res.LatencyP50Ms, res.LatencyP95Ms, res.LatencyP99Ms, res.TxBytes, res.Errors, res.SetCheckState)
			})
		},
	}
	f := cmd.Flags()
	f.IntVar(&n, "txs", 2000, "transactions to send")
	f.IntVar(&conc, "concurrency", 32, "concurrent senders")
	f.Float64Var(&rate, "rate", 0, "target tx/s (0 = flat out)")
	f.StringVar(&from, "from", "ward", "signing key")
	f.StringVar(&nodes, "nodes", "", "comma-separated RPC URLs to spread load over (default --node)")
	f.BoolVar(&kvs, "kvstore", false, "send kvstore txs of the same size (baseline; same as --mode kvstore)")
	f.StringVar(&mode, "mode", "anchor", "what each tx writes: anchor, result (administrative results, --batch per tx) or kvstore")
	f.IntVar(&batch, "batch", 1, "results per tx in --mode result")
	f.DurationVar(&timeout, "timeout", 2*time.Minute, "give up waiting for commits after this")
	return cmd
}

type benchTx struct {
	bytes []byte
	hash  string
	keys  [][]byte // state keys to check afterwards
}

func runBench(ctx context.Context, g *globals, urls []string, n, conc int, rate float64, from, mode string, batch int, timeout time.Duration, log io.Writer) (*benchResult, error) {
	kvs := mode == "kvstore"
	if batch < 1 || mode != "result" {
		batch = 1
	}
	clients := make([]*client.Client, len(urls))
	for i, u := range urls {
		c, err := client.New(u, client.WithPollInterval(100*time.Millisecond))
		if err != nil {
			return nil, err
		}
		clients[i] = c
	}
	c0 := clients[0]
	st, err := c0.Status(ctx)
	if err != nil {
		return nil, fmt.Errorf("status: %w", err)
	}
	startHeight := st.SyncInfo.LatestBlockHeight
	res := &benchResult{Mode: "danangchain-" + mode, Nodes: urls, Txs: n, Concurrency: conc, TargetRate: rate, Errors: map[string]int{}, Batch: batch}
	// Pre-sign (signing is client work, not chain work).
	fmt.Fprintf(log, "preparing %d txs ...\n", n)
	txs := make([]benchTx, n)
	if kvs {
		res.Mode = "kvstore-baseline"
	}
	var signer client.Signer
	if !kvs {
		s, err := g.signer(from)
		if err != nil {
			return nil, err
		}
		signer = s
	}
	// Size of one of our txs, so that the baseline sends the same bytes.
	sample := func() (*registry.Tx, []byte) {
		h := make([]byte, 32)
		rand.Read(h)
		tx := &registry.Tx{ChainID: st.NodeInfo.Network, Signer: make([]byte, 32), Nonce: make([]byte, 16),
			ExpiresAt: uint64(startHeight) + 5000, Msg: &registry.MsgAnchor{Hash: h}, Signature: make([]byte, 64)}
		return tx, h
	}
	for i := range txs {
		if kvs {
			tx, _ := sample()
			size := len(tx.Encode())
			k := make([]byte, 16)
			rand.Read(k)
			key := fmt.Sprintf("bench%x", k)
			val := strings.Repeat("v", max(1, size-len(key)-1))
			b := []byte(key + "=" + val)
			txs[i] = benchTx{bytes: b, keys: [][]byte{[]byte(key)}}
		} else if mode == "result" {
			docs := make([]registry.ResultDoc, batch)
			var keys [][]byte
			for j := range docs {
				h := make([]byte, 32)
				rand.Read(h)
				docs[j] = registry.ResultDoc{Procedure: "2.000720.000.00.00.H17", DocType: "Giấy chứng nhận",
					Title: "Giấy chứng nhận đăng ký hộ kinh doanh", DocHash: h,
					Dossier: fmt.Sprintf("000.26.17.H17-%06d-%04d", i, j)}
				keys = append(keys, registry.ResultHashKey(h))
			}
			tx, _ := sample()
			tx.Msg = registry.NewIssueResults(docs)
			tx.Signer = signer.PubKey()
			rand.Read(tx.Nonce)
			if err := client.Sign(tx, signer); err != nil {
				return nil, err
			}
			txs[i] = benchTx{bytes: tx.Encode(), keys: keys}
		} else {
			tx, h := sample()
			tx.Signer = signer.PubKey()
			rand.Read(tx.Nonce)
			if err := client.Sign(tx, signer); err != nil {
				return nil, err
			}
			txs[i] = benchTx{bytes: tx.Encode(), keys: [][]byte{registry.AnchorKey(h)}}
		}
		txs[i].hash = fmt.Sprintf("%X", types.Tx(txs[i].bytes).Hash())
	}
	res.TxBytes = len(txs[0].bytes)

	var mu sync.Mutex
	submitAt := map[string]time.Time{}
	commitAt := map[string]time.Time{}
	var firstSubmit, lastCommit time.Time
	// Block watcher.
	watchCtx, stopWatch := context.WithCancel(ctx)
	defer stopWatch()
	var watchWG sync.WaitGroup
	watchWG.Add(1)
	go func() {
		defer watchWG.Done()
		next := startHeight + 1
		for watchCtx.Err() == nil {
			s, err := c0.Status(watchCtx)
			if err != nil || s.SyncInfo.LatestBlockHeight < next {
				time.Sleep(50 * time.Millisecond)
				continue
			}
			for ; next <= s.SyncInfo.LatestBlockHeight; next++ {
				h := next
				b, err := c0.RPC().Block(watchCtx, &h)
				if err != nil {
					break
				}
				br, err := c0.RPC().BlockResults(watchCtx, &h)
				if err != nil {
					break
				}
				now := time.Now()
				mu.Lock()
				for i, tx := range b.Block.Txs {
					hs := fmt.Sprintf("%X", tx.Hash())
					if _, ok := submitAt[hs]; !ok {
						continue
					}
					if i < len(br.TxsResults) && br.TxsResults[i].Code != 0 {
						res.Errors[fmt.Sprintf("deliver/%d", br.TxsResults[i].Code)]++
						continue
					}
					commitAt[hs] = now
					lastCommit = now
				}
				mu.Unlock()
			}
		}
	}()

	fmt.Fprintf(log, "sending %d txs of %d bytes with %d workers to %d node(s) ...\n", n, res.TxBytes, conc, len(urls))
	work := make(chan int)
	var submitted atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < conc; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := range work {
				c := clients[i%len(clients)]
				t := time.Now()
				mu.Lock()
				if firstSubmit.IsZero() {
					firstSubmit = t
				}
				submitAt[txs[i].hash] = t
				mu.Unlock()
				_, err := c.BroadcastAsync(ctx, txs[i].bytes)
				if err != nil {
					_, code := registry.ABCICode(err)
					key := fmt.Sprintf("check/%d", code)
					if !registry.IsDomain(err) {
						key = "rpc: " + shortErr(err)
					}
					mu.Lock()
					delete(submitAt, txs[i].hash)
					res.Errors[key]++
					mu.Unlock()
					continue
				}
				submitted.Add(1)
			}
		}(w)
	}
	var tick *time.Ticker
	if rate > 0 {
		tick = time.NewTicker(time.Duration(float64(time.Second) / rate))
		defer tick.Stop()
	}
	lastProgress := time.Now()
	for i := range txs {
		if tick != nil {
			<-tick.C
		}
		work <- i
		if time.Since(lastProgress) > 2*time.Second {
			mu.Lock()
			fmt.Fprintf(log, "  sent %d/%d, committed %d\n", i+1, n, len(commitAt))
			mu.Unlock()
			lastProgress = time.Now()
		}
	}
	close(work)
	wg.Wait()
	res.Submitted = int(submitted.Load())
	submitDone := time.Now()
	deadline := time.Now().Add(timeout)
	for {
		mu.Lock()
		done := len(commitAt)
		pending := len(submitAt) - done
		mu.Unlock()
		if pending <= 0 || time.Now().After(deadline) {
			break
		}
		if time.Since(lastProgress) > 2*time.Second {
			fmt.Fprintf(log, "  waiting: committed %d/%d\n", done, res.Submitted)
			lastProgress = time.Now()
		}
		time.Sleep(100 * time.Millisecond)
	}
	stopWatch()
	watchWG.Wait()
	mu.Lock()
	defer mu.Unlock()
	res.Committed = len(commitAt)
	lat := make([]float64, 0, len(commitAt))
	for h, ct := range commitAt {
		lat = append(lat, float64(ct.Sub(submitAt[h]).Microseconds())/1000)
	}
	res.LatencyP50Ms, res.LatencyP95Ms, res.LatencyP99Ms, _ = bench.Percentiles(lat)
	if !lastCommit.IsZero() {
		res.DurationSec = lastCommit.Sub(firstSubmit).Seconds()
		res.CommittedTPS = float64(res.Committed) / res.DurationSec
		res.RecordsPerSec = res.CommittedTPS * float64(batch)
	}
	res.SubmittedTPS = float64(res.Submitted) / submitDone.Sub(firstSubmit).Seconds()
	// Set check: every committed tx's record is in state.
	fmt.Fprintf(log, "set check: querying %d records ...\n", res.Committed)
	byHash := map[string][][]byte{}
	for _, t := range txs {
		byHash[t.hash] = t.keys
	}
	path := registry.QueryPathStore
	if kvs {
		path = "/key"
	}
	for h := range commitAt {
		for _, key := range byHash[h] {
			r, err := c0.RPC().ABCIQuery(ctx, path, key)
			if err != nil {
				return nil, err
			}
			if r.Response.Code == 0 && len(r.Response.Value) > 0 {
				res.SetCheckOK++
			} else {
				res.SetCheckLost++
			}
		}
	}
	res.SetCheckState = "ok"
	if res.SetCheckLost > 0 {
		res.SetCheckState = "LOST RECORDS"
	}
	return res, nil
}

func shortErr(err error) string {
	s := err.Error()
	if len(s) > 60 {
		s = s[:60]
	}
	return s
}

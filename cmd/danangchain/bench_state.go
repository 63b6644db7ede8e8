package main

import (
	"fmt"
	"io"
	"os"
	"runtime/pprof"

	"github.com/spf13/cobra"

	"github.com/danangchain/danangchain/internal/bench"
)

func newBenchStateCmd(g *globals) *cobra.Command {
	var (
		cfg     bench.StateConfig
		keep    bool
		profile string
	)
	cmd := &cobra.Command{
		Use:   "bench-state",
		Short: "State-scale benchmark: write rate, proven lookups and disk use at 10^7 records / Đo trạng thái lớn",
		Long: `bench-state measures the state machine as its state grows, without consensus:
the real app (IAVL on goleveldb, fsync on every commit, production cache size)
executes blocks of signed bulk-issue txs through FinalizeBlock and Commit,
exactly as a validator does.

It fills a state to --records administrative results (two keys each: the record
by id and the document-hash index), reporting the rate as it grows. Then, in
alternating rounds (the machine is shared, so both sides see the same noise),
it times one block of --block results against a fresh state of --small results
and one against the large state, and compares the median rates. Finally it
times --queries proven lookups (document hash -> id -> record, two ICS23
proofs, as verification does) on both states, checks every proof against the
app hash, and reports disk bytes per record.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if cfg.Dir == "" {
				d, err := os.MkdirTemp("", "danang-bench-state-")
				if err != nil {
					return err
				}
				cfg.Dir = d
			}
			if !keep {
				defer os.RemoveAll(cfg.Dir)
			}
			if profile != "" {
				f, err := os.Create(profile)
				if err != nil {
					return err
				}
				defer f.Close()
				if err := pprof.StartCPUProfile(f); err != nil {
					return err
				}
				defer pprof.StopCPUProfile()
			}
			res, err := bench.RunState(cmd.Context(), cfg, cmd.ErrOrStderr())
			if err != nil {
				return err
			}
			return g.print(cmd.OutOrStdout(), res, func(w io.Writer) {
				fmt.Fprintf(w, "filled %d results in %.0f s (%.0f results/s, %d per block)\n", res.Records, res.FillSeconds, res.FillRate, res.BlockRecords)
				for _, c := range res.Curve {
					fmt.Fprintf(w, "  up to %10d results: %8.0f results/s\n", c.AtRecords, c.RecordsPerSec)
				}
				for _, p := range res.Probes {
					fmt.Fprintf(w, "write rate, %s (%d results per block, %d per tx), median of %d alternating rounds: %.0f results/s at %d, %.0f at %d = %.0f%%\n",
						p.Kind, p.Records, p.PerTx, res.Rounds, p.SmallRate, res.SmallRecords, p.LargeRate, res.Records, 100*p.Ratio)
				}
				for _, q := range []bench.StateQuery{res.QuerySmall, res.QueryLarge} {
					fmt.Fprintf(w, "proven lookup at %d results (%d lookups): p50 %.2f ms, p95 %.2f ms, p99 %.2f ms, max %.2f ms\n",
						q.Records, q.N, q.P50Ms, q.P95Ms, q.P99Ms, q.MaxMs)
				}
				fmt.Fprintf(w, "disk: %d bytes = %.0f bytes/result (%.0f logical key+value bytes/result, %d versions kept)\n",
					res.DiskBytes, res.BytesPerRecord, res.LogicalPerRecord, res.Versions)
			})
		},
	}
	f := cmd.Flags()
	f.StringVar(&cfg.Dir, "dir", "", "work directory (default: a temporary directory, removed afterwards)")
	f.BoolVar(&keep, "keep", false, "keep the work directory")
	f.StringVar(&profile, "cpuprofile", "", "write a CPU profile (pprof) to this file")
	f.IntVar(&cfg.Records, "records", 10_000_000, "results in the large state")
	f.IntVar(&cfg.BlockRecords, "block", 10_000, "results per block")
	f.IntVar(&cfg.Small, "small", 10_000, "results in the small state")
	f.IntVar(&cfg.Rounds, "rounds", 9, "alternating probe rounds")
	f.IntVar(&cfg.SingleTxs, "single-txs", 2000, "txs (one result each) in a one-record-per-tx probe block")
	f.IntVar(&cfg.Queries, "queries", 10_000, "proven lookups per state")
	f.DurationVar(&cfg.MaxFill, "max-fill", 0, "stop filling after this long (e.g. 90m) and measure the state reached (0 = no limit)")
	f.IntVar(&cfg.CacheSize, "cache", bench.DefaultCacheSize(), "IAVL node cache size (nodes)")
	return cmd
}

package main

import (
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/danangchain/danangchain/internal/bench"
	"github.com/danangchain/danangchain/registry"
)

// verifyBench is the report of 'bench-verify'.
type verifyBench struct {
	Documents int     `json:"documents"`
	P50Ms     float64 `json:"verify_p50_ms"`
	P95Ms     float64 `json:"verify_p95_ms"`
	P99Ms     float64 `json:"verify_p99_ms"`
	MaxMs     float64 `json:"verify_max_ms"`
	AllValid  bool    `json:"all_valid"`
}

func newBenchVerifyCmd(g *globals) *cobra.Command {
	var n int
	var from string
	cmd := &cobra.Command{
		Use:   "bench-verify",
		Short: "Measure online verification latency (issue N results, then verify each)",
		Long: `bench-verify issues --docs results in one bulk tx, then verifies each document
one after the other with the SDK's verifying client (doc-hash index, record and
agency proofs against light-client-verified headers) and reports p50/p95/p99.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			s, err := g.signer(from)
			if err != nil {
				return err
			}
			c, err := g.client()
			if err != nil {
				return err
			}
			ctx, cancel := context.WithTimeout(cmd.Context(), 10*time.Minute)
			defer cancel()
			docs := make([]registry.ResultDoc, n)
			for i := range docs {
				h := make([]byte, 32)
				rand.Read(h)
				docs[i] = registry.ResultDoc{Procedure: "2.000720.000.00.00.H17", DocType: "Giấy chứng nhận", Title: "Bench", DocHash: h}
			}
			fmt.Fprintf(cmd.ErrOrStderr(), "issuing %d results ...\n", n)
			if _, err := c.Submit(ctx, s, registry.NewIssueResults(docs)); err != nil {
				return err
			}
			// Warm the light client once (first use verifies from genesis).
			if _, err := c.VerifyDocument(ctx, docs[0].DocHash); err != nil {
				return err
			}
			res := verifyBench{Documents: n, AllValid: true}
			lat := make([]float64, 0, n)
			for i, d := range docs {
				t := time.Now()
				v, err := c.VerifyDocument(ctx, d.DocHash)
				if err != nil {
					return err
				}
				lat = append(lat, float64(time.Since(t).Microseconds())/1000)
				res.AllValid = res.AllValid && v.Valid()
				if i%100 == 0 {
					fmt.Fprintf(cmd.ErrOrStderr(), "  verified %d/%d\n", i, n)
				}
			}
			res.P50Ms, res.P95Ms, res.P99Ms, res.MaxMs = bench.Percentiles(lat)
			return g.print(cmd.OutOrStdout(), res, func(w io.Writer) {
				fmt.Fprintf(w, "online verification of %d documents: p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms, all valid %v\n",
					n, res.P50Ms, res.P95Ms, res.P99Ms, res.MaxMs, res.AllValid)
			})
		},
	}
	cmd.Flags().IntVar(&n, "docs", 500, "documents to issue and verify")
	cmd.Flags().StringVar(&from, "from", "ward", "issuing key")
	return cmd
}

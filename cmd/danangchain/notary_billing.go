package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"time"

	"github.com/BurntSushi/toml"
	"github.com/spf13/cobra"

	"github.com/danangchain/danangchain/registry"
)

// feeSchedule is config/notary-fees.toml (or --fees FILE). Fees are whole
// VND per lookup.
type feeSchedule struct {
	Currency   string            `toml:"currency" json:"currency"`
	DefaultFee uint64            `toml:"default_fee" json:"default_fee"`
	OrgFees    map[string]uint64 `toml:"org_fees" json:"org_fees,omitempty"`
}

// defaultLookupFee is the fee per lookup when no schedule says otherwise.
const defaultLookupFee = 2000

func (f feeSchedule) fee(org string) uint64 {
	if v, ok := f.OrgFees[org]; ok {
		return v
	}
	return f.DefaultFee
}

func loadFeeSchedule(home, path string) (feeSchedule, error) {
	fs := feeSchedule{Currency: "VND", DefaultFee: defaultLookupFee}
	explicit := path != ""
	if !explicit {
		path = filepath.Join(home, "config", "notary-fees.toml")
	}
	raw, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) && !explicit {
		return fs, nil
	}
	if err != nil {
		return fs, err
	}
	md, err := toml.Decode(string(raw), &fs)
	if err != nil {
		return fs, fmt.Errorf("%s: %w", path, err)
	}
	if u := md.Undecoded(); len(u) > 0 {
		return fs, cliErrf(errFormat, "%s: unknown setting %s", path, u[0])
	}
	return fs, nil
}

type billingRow struct {
	Org     string `json:"org"`
	Lookups uint64 `json:"lookups"`
	Fee     uint64 `json:"fee"`
	Amount  uint64 `json:"amount"`
}

type billingLogView struct {
	Source             string `json:"source"`
	FirstSeq           uint64 `json:"first_seq"`
	LastSeq            uint64 `json:"last_seq"`
	PrevHash           string `json:"prev_hash"`
	HeadHash           string `json:"head_hash"`
	EntriesVerified    int    `json:"entries_verified"`
	SignaturesVerified bool   `json:"signatures_verified"`
	KeysVerified       int    `json:"keys_verified_on_chain"`
	LogHeadSeq         uint64 `json:"log_head_seq"`
	LogHeadHash        string `json:"log_head_hash"`
}

type billingReport struct {
	Month         string         `json:"month"`
	ChainID       string         `json:"chain_id"`
	Currency      string         `json:"currency"`
	Organisations []billingRow   `json:"organisations"`
	TotalLookups  uint64         `json:"total_lookups"`
	TotalAmount   uint64         `json:"total_amount"`
	FeeSchedule   feeSchedule    `json:"fee_schedule"`
	Log           billingLogView `json:"log"`
	Digest        string         `json:"digest"`
	Anchor        map[string]any `json:"anchor,omitempty"`
}

func newNotaryBillingCmd(g *globals) *cobra.Command {
	var month, from, api, feesPath string
	var fee uint64
	var anchor bool
	cmd := &cobra.Command{
		Use:   "billing",
		Short: "Report metered lookups per notary organisation / Báo cáo phí tra cứu",
		Long: `billing counts the metered lookups of --month (YYYY-MM, Vietnam time; default
the current month) per notary organisation and prices them with the fee
schedule: <home>/config/notary-fees.toml or --fees FILE
(currency = "VND", default_fee = 2000, [org_fees] "agency-id" = N), and
--fee N overrides the default fee.

The node's lookup log is read through its notary API with --from (a
notary.authority key, e.g. the Department of Justice), or, without --from,
straight from <home>/data/notary-lookups on the node's own machine. Either
way every entry is checked before it is counted: the hash chain links, each
office's signature over its request verifies, and each key's owner is read
from chain with a verified proof. The report carries the log range, its head
hash and a digest of the counts; --anchor (with --from) anchors that digest
on chain with the tag "notary-billing/YYYY-MM", so that a later rewrite of the
log is evident. Output: -o text, json or csv.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if month == "" {
				month = time.Now().In(vnZone).Format("2006-01")
			}
			if !registry.ValidMonth(month) {
				return cliErrf(errFormat, "--month must be YYYY-MM")
			}
			if anchor && from == "" {
				return cliErrf(errUsage, "--anchor needs --from")
			}
			fs, err := loadFeeSchedule(g.home, feesPath)
			if err != nil {
				return err
			}
			if cmd.Flags().Changed("fee") {
				fs.DefaultFee = fee
			}
			c, err := g.client()
			if err != nil {
				return err
			}
			ctx, cancel := context.WithTimeout(cmd.Context(), 2*time.Minute)
			defer cancel()
			chainID, err := c.ChainID(ctx)
			if err != nil {
				return err
			}
			rep := &billingReport{Month: month, ChainID: chainID, Currency: fs.Currency, FeeSchedule: fs, Organisations: []billingRow{}}
			var lines []logLine
			if from != "" {
				s, err := g.signer(from)
				if err != nil {
					return err
				}
				url := apiURL(g, api)
				nodeID, err := notaryNode(ctx, url)
				if err != nil {
					return err
				}
				req, err := signAPIRequest(chainID, nodeID, registry.APIActionBilling, []byte(month), s)
				if err != nil {
					return err
				}
				var resp billingResponse
				if err := postNotary(ctx, url, "/notary/v1/billing", req, &resp); err != nil {
					return err
				}
				if resp.Month != month {
					return fmt.Errorf("node answered for month %q", resp.Month)
				}
				lines = resp.Lines
				rep.Log.Source = url + "/notary/v1/billing"
				rep.Log.LogHeadSeq, rep.Log.LogHeadHash = resp.HeadSeq, resp.HeadHash
			} else {
				path := filepath.Join(lookupLogDir(g.home), lookupLogFile)
				if _, err := os.Stat(path); err != nil {
					return fmt.Errorf("no lookup log at %s: run on the node's home, or use --from to read it through the node's API", path)
				}
				all, _, err := readLogFile(path)
				if err != nil {
					return err
				}
				lines = monthRange(all, month)
				rep.Log.Source = path
				if n := len(all); n > 0 {
					rep.Log.LogHeadSeq, rep.Log.LogHeadHash = all[n-1].Seq, all[n-1].Hash
				}
			}
			entries, err := verifyLogLines(chainID, lines)
			if err != nil {
				return err
			}
			// Each key's owner, from chain with a verified proof.
			owners := map[string]string{}
			counts := map[string]uint64{}
			for _, e := range entries {
				pub := string(e.PubKey)
				if _, ok := owners[pub]; !ok {
					p, err := c.Get(ctx, registry.KeyRecordKey(e.PubKey))
					if err != nil {
						return err
					}
					if p.Value == nil {
						return fmt.Errorf("%w: lookup %d: key %s is not on chain", registry.ErrProofInvalid, e.Seq, registry.KeyID(e.PubKey))
					}
					kr, err := registry.DecodeKeyRecord(p.Value)
					if err != nil {
						return err
					}
					owners[pub] = kr.Owner
				}
				if owners[pub] != e.Org {
					return fmt.Errorf("%w: lookup %d is logged for %s but its key belongs to %s", registry.ErrProofInvalid, e.Seq, e.Org, owners[pub])
				}
				if monthOf(e.Time) == month {
					counts[e.Org]++
				}
			}
			orgs := make([]string, 0, len(counts))
			for o := range counts {
				orgs = append(orgs, o)
			}
			sort.Strings(orgs)
			nums := make([]uint64, len(orgs))
			for i, o := range orgs {
				nums[i] = counts[o]
				row := billingRow{Org: o, Lookups: counts[o], Fee: fs.fee(o), Amount: counts[o] * fs.fee(o)}
				rep.Organisations = append(rep.Organisations, row)
				rep.TotalLookups += row.Lookups
				rep.TotalAmount += row.Amount
			}
			prev, head := make([]byte, registry.HashSize), make([]byte, registry.HashSize)
			if n := len(entries); n > 0 {
				prev, head = entries[0].Prev, entries[n-1].Hash()
				rep.Log.FirstSeq, rep.Log.LastSeq = entries[0].Seq, entries[n-1].Seq
			}
			rep.Log.PrevHash, rep.Log.HeadHash = hex.EncodeToString(prev), hex.EncodeToString(head)
			rep.Log.EntriesVerified, rep.Log.SignaturesVerified, rep.Log.KeysVerified = len(entries), true, len(owners)
			digest := registry.BillingDigest(chainID, month, rep.Log.FirstSeq, rep.Log.LastSeq, prev, head, orgs, nums)
			rep.Digest = hex.EncodeToString(digest)
			if anchor {
				out, err := submit(cmd, g, from, &registry.MsgAnchor{Hash: digest, Tag: "notary-billing/" + month})
				if err != nil {
					return fmt.Errorf("anchor: %w", err)
				}
				rep.Anchor = map[string]any{"sha256": rep.Digest, "tx_hash": out.TxHash, "height": out.Height}
			}
			if g.output == "csv" {
				return writeBillingCSV(cmd.OutOrStdout(), rep)
			}
			return g.print(cmd.OutOrStdout(), rep, func(w io.Writer) { printBilling(w, rep) })
		},
	}
	f := cmd.Flags()
	f.StringVar(&month, "month", "", "billing month YYYY-MM (Vietnam time; default this month)")
	f.StringVar(&from, "from", "", "notary.authority key: read the log through the node's API (and sign --anchor)")
	f.StringVar(&api, "api", "", "node API URL (default from <home>/config/app.toml)")
	f.StringVar(&feesPath, "fees", "", "fee schedule TOML (default <home>/config/notary-fees.toml, else 2,000 VND per lookup)")
	f.Uint64Var(&fee, "fee", defaultLookupFee, "default fee per lookup, overriding the schedule's")
	f.BoolVar(&anchor, "anchor", false, "anchor the report digest on chain (needs --from)")
	return cmd
}

func writeBillingCSV(w io.Writer, rep *billingReport) error {
	var buf bytes.Buffer
	cw := csv.NewWriter(&buf)
	_ = cw.Write([]string{"month", "organisation", "lookups", "fee", "amount", "currency", "log_first_seq", "log_last_seq", "log_head_sha256", "report_digest_sha256"})
	row := func(org string, n, fee, amount uint64, feeText string) {
		_ = cw.Write([]string{rep.Month, org, strconv.FormatUint(n, 10), feeText, strconv.FormatUint(amount, 10), rep.Currency,
			strconv.FormatUint(rep.Log.FirstSeq, 10), strconv.FormatUint(rep.Log.LastSeq, 10), rep.Log.HeadHash, rep.Digest})
	}
	for _, r := range rep.Organisations {
		row(r.Org, r.Lookups, r.Fee, r.Amount, strconv.FormatUint(r.Fee, 10))
	}
	row("TOTAL", rep.TotalLookups, 0, rep.TotalAmount, "")
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}

func printBilling(w io.Writer, rep *billingReport) {
	fmt.Fprintf(w, "Notary lookups %s on %s / Phí tra cứu ngăn chặn\n", rep.Month, rep.ChainID)
	for _, r := range rep.Organisations {
		fmt.Fprintf(w, "  %-32s %6d lookups x %8d = %10d %s\n", r.Org, r.Lookups, r.Fee, r.Amount, rep.Currency)
	}
	fmt.Fprintf(w, "  %-32s %6d lookups            %12d %s\n", "TOTAL", rep.TotalLookups, rep.TotalAmount, rep.Currency)
	fmt.Fprintf(w, "log %s: entries %d..%d verified (chain links, signatures, %d keys on chain)\n",
		rep.Log.Source, rep.Log.FirstSeq, rep.Log.LastSeq, rep.Log.KeysVerified)
	fmt.Fprintf(w, "head %s\ndigest %s\n", rep.Log.HeadHash, rep.Digest)
	if rep.Anchor != nil {
		fmt.Fprintf(w, "digest anchored at height %v (tx %v)\n", rep.Anchor["height"], rep.Anchor["tx_hash"])
	}
}

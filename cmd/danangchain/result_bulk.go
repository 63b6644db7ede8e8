package main

import (
	"bufio"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/danangchain/danangchain/client"
	"github.com/danangchain/danangchain/registry"
)

// bulkColumns are the columns of a bulk file (CSV header or JSONL keys).
var bulkColumns = []string{"file", "sha256", "procedure", "dossier", "type", "title", "valid_from", "valid_until",
	"holder", "holder_commitment", "cid"}

// bulkRow is one result of a bulk file.
type bulkRow struct {
	row  int
	file string
	doc  registry.ResultDoc
	salt []byte
}

// bulkResult is what bulk prints per row.
type bulkResult struct {
	Row        int    `json:"row"`
	ID         string `json:"id"`
	New        bool   `json:"new"`
	SHA256     string `json:"sha256"`
	File       string `json:"file,omitempty"`
	Height     int64  `json:"height"`
	TxHash     string `json:"tx_hash"`
	HolderSalt string `json:"holder_salt,omitempty"`
}

func newResultBulkCmd(g *globals) *cobra.Command {
	var from, procedure, docType, title string
	var inFlight int
	cmd := &cobra.Command{
		Use:   "bulk FILE.csv|FILE.jsonl --from KEY",
		Short: "Issue many results from a CSV or JSONL file (archive migration) / Cấp hàng loạt",
		Long: `bulk issues one result per row of FILE.csv (with a header row) or FILE.jsonl (one
JSON object per line). Columns / keys:

  file               path of the document (relative to the bulk file); hashed locally
  sha256             the document's SHA-256 in hex, instead of file
  procedure          mã TTHC (or --procedure for every row)
  dossier            mã hồ sơ
  type, title        document type and title (or --type / --title)
  valid_from         YYYY-MM-DD (UTC+7) or RFC 3339
  valid_until        YYYY-MM-DD (valid through that day, UTC+7) or RFC 3339
  holder             holder identifier: a fresh salt per row; the salt is printed
  holder_commitment  precomputed commitment (hex)
  cid                CIDv1 (base32, sha2-256) of a public payload

Rows are packed into as few txs as fit under the 2 MiB tx limit (at most
10,000 results each) and sent with a few txs in flight; progress goes to
stderr, the ids (one per row, in row order) to stdout. Re-running the same file
is safe: rows already issued keep their ids ("new": false).`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			progress := cmd.ErrOrStderr()
			defaults := registry.ResultDoc{Procedure: strings.TrimSpace(procedure),
				DocType: registry.NFC(strings.TrimSpace(docType)), Title: registry.NFC(strings.TrimSpace(title))}
			rows, err := readBulkFile(args[0], defaults, g.params(), progress)
			if err != nil {
				return err
			}
			if len(rows) == 0 {
				return cliErrf(errUsage, "%s: no rows", args[0])
			}
			s, err := g.signer(from)
			if err != nil {
				return err
			}
			c, err := g.client()
			if err != nil {
				return err
			}
			docs := make([]registry.ResultDoc, len(rows))
			for i, r := range rows {
				docs[i] = r.doc
			}
			chunks := client.ChunkResults(docs, 0)
			fmt.Fprintf(progress, "%d results in %d tx(s)\n", len(rows), len(chunks))

			type pending struct {
				first, n int
				hash     []byte
			}
			results := make([]bulkResult, 0, len(rows))
			var queue []pending
			wait := func() error {
				p := queue[0]
				queue = queue[1:]
				ctx, cancel := cmdContext(cmd, 2*time.Minute)
				defer cancel()
				res, err := c.WaitTx(ctx, p.hash)
				if err != nil {
					return fmt.Errorf("rows %d-%d: %w", rows[p.first].row, rows[p.first+p.n-1].row, err)
				}
				ids, err := registry.DecodeIssued(res.Data)
				if err != nil || len(ids) != p.n {
					return fmt.Errorf("rows %d-%d: unexpected tx data: %v", rows[p.first].row, rows[p.first+p.n-1].row, err)
				}
				for i, id := range ids {
					r := rows[p.first+i]
					out := bulkResult{Row: r.row, ID: registry.FormatResultID(id.ID), New: id.New, SHA256: hex.EncodeToString(r.doc.DocHash),
						File: r.file, Height: res.Height, TxHash: fmt.Sprintf("%X", res.Hash)}
					if r.salt != nil {
						out.HolderSalt = hex.EncodeToString(r.salt)
					}
					results = append(results, out)
				}
				fmt.Fprintf(progress, "committed rows %d-%d at height %d (%d/%d)\n", rows[p.first].row, rows[p.first+p.n-1].row,
					res.Height, len(results), len(rows))
				return nil
			}
			var failure error
			first := 0
			for i, chunk := range chunks {
				ctx, cancel := cmdContext(cmd, time.Minute)
				tx, err := c.BuildTx(ctx, s.PubKey(), registry.NewIssueResults(chunk))
				if err == nil {
					err = client.Sign(tx, s)
				}
				var hash []byte
				if err == nil {
					hash, err = c.BroadcastAsync(ctx, tx.Encode())
				}
				cancel()
				if err != nil {
					failure = fmt.Errorf("rows %d-%d: %w", rows[first].row, rows[first+len(chunk)-1].row, err)
					break
				}
				fmt.Fprintf(progress, "sent tx %d/%d (%d results, %d bytes)\n", i+1, len(chunks), len(chunk), len(tx.Encode()))
				queue = append(queue, pending{first: first, n: len(chunk), hash: hash})
				first += len(chunk)
				if len(queue) >= max(inFlight, 1) {
					if failure = wait(); failure != nil {
						break
					}
				}
			}
			for len(queue) > 0 {
				if err := wait(); err != nil && failure == nil {
					failure = err
				}
			}
			fresh := 0
			for _, r := range results {
				if r.New {
					fresh++
				}
			}
			out := map[string]any{"count": len(results), "new": fresh, "existing": len(results) - fresh, "txs": len(chunks),
				"results": results}
			if failure != nil {
				out["error"] = failure.Error()
			}
			err = g.print(cmd.OutOrStdout(), out, func(w io.Writer) {
				for _, r := range results {
					fmt.Fprintf(w, "row %-6d result %-10s new=%-5v %s\n", r.Row, r.ID, r.New, r.SHA256)
				}
				fmt.Fprintf(w, "%d results (%d new) in %d tx(s)\n", len(results), fresh, len(chunks))
			})
			if failure != nil {
				return fmt.Errorf("%w; %d rows committed before it; re-running the file is safe", failure, len(results))
			}
			return err
		},
	}
	cmd.Flags().StringVar(&from, "from", "", "agency main key name")
	cmd.Flags().StringVar(&procedure, "procedure", "", "procedure code for rows without one")
	cmd.Flags().StringVar(&docType, "type", "", "document type for rows without one")
	cmd.Flags().StringVar(&title, "title", "", "title for rows without one")
	cmd.Flags().IntVar(&inFlight, "in-flight", 4, "txs sent before waiting for the oldest to commit")
	return cmd
}

// readBulkFile reads and validates every row (all errors before any tx).
func readBulkFile(path string, defaults registry.ResultDoc, params registry.Params, progress io.Writer) ([]bulkRow, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var records []map[string]string
	if strings.HasSuffix(strings.ToLower(path), ".jsonl") || strings.HasSuffix(strings.ToLower(path), ".ndjson") {
		records, err = readJSONL(f)
	} else {
		records, err = readCSV(f)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	dir := filepath.Dir(path)
	rows := make([]bulkRow, 0, len(records))
	for i, rec := range records {
		r, err := bulkRowOf(i+1, rec, dir, defaults, params)
		if err != nil {
			return nil, fmt.Errorf("%s row %d: %w", path, i+1, err)
		}
		rows = append(rows, r)
		if (i+1)%10000 == 0 {
			fmt.Fprintf(progress, "read %d rows\n", i+1)
		}
	}
	fmt.Fprintf(progress, "read %d rows from %s\n", len(rows), path)
	return rows, nil
}

func bulkRowOf(n int, rec map[string]string, dir string, defaults registry.ResultDoc, params registry.Params) (bulkRow, error) {
	r := bulkRow{row: n, doc: defaults}
	get := func(k string) string { return strings.TrimSpace(rec[k]) }
	var err error
	switch file, sum := get("file"), get("sha256"); {
	case file != "" && sum != "":
		return r, cliErrf(errUsage, "give file or sha256, not both")
	case file != "":
		if !filepath.IsAbs(file) {
			file = filepath.Join(dir, file)
		}
		r.file = file
		if r.doc.DocHash, err = hashFile(file); err != nil {
			return r, err
		}
	case sum != "":
		if r.doc.DocHash, err = hex.DecodeString(sum); err != nil || len(r.doc.DocHash) != registry.HashSize {
			return r, cliErrf(errFormat, "sha256 %q: want %d bytes in hex", sum, registry.HashSize)
		}
	default:
		return r, cliErrf(errUsage, "file or sha256 is required")
	}
	if v := get("procedure"); v != "" {
		r.doc.Procedure = v
	}
	if v := get("type"); v != "" {
		r.doc.DocType = registry.NFC(v)
	}
	if v := get("title"); v != "" {
		r.doc.Title = registry.NFC(v)
	}
	r.doc.Dossier, r.doc.CID = get("dossier"), get("cid")
	if r.doc.ValidFrom, err = parseValidity(get("valid_from"), false); err != nil {
		return r, err
	}
	if r.doc.ValidUntil, err = parseValidity(get("valid_until"), true); err != nil {
		return r, err
	}
	switch holder, commitment := get("holder"), get("holder_commitment"); {
	case holder != "" && commitment != "":
		return r, cliErrf(errUsage, "give holder or holder_commitment, not both")
	case holder != "":
		if r.salt, r.doc.Holder, err = newCommitment(params, registry.CommitHolder, holder); err != nil {
			return r, err
		}
	case commitment != "":
		if r.doc.Holder, err = parseHolderCommitment(commitment); err != nil {
			return r, err
		}
	}
	return r, r.doc.Validate()
}

func checkColumns(keys []string) error {
	for _, k := range keys {
		known := false
		for _, c := range bulkColumns {
			known = known || c == k
		}
		if !known {
			return cliErrf(errUsage, "unknown column %q (known: %s)", k, strings.Join(bulkColumns, ", "))
		}
	}
	return nil
}

func readCSV(r io.Reader) ([]map[string]string, error) {
	cr := csv.NewReader(bufio.NewReader(r))
	cr.TrimLeadingSpace = true
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("header row: %w", err)
	}
	for i := range header {
		header[i] = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(header[i], "\ufeff")))
	}
	if err := checkColumns(header); err != nil {
		return nil, err
	}
	var out []map[string]string
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		m := map[string]string{}
		for i, v := range rec {
			m[header[i]] = v
		}
		out = append(out, m)
	}
}

func readJSONL(r io.Reader) ([]map[string]string, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	var out []map[string]string
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" {
			continue
		}
		var m map[string]string
		if err := json.Unmarshal([]byte(text), &m); err != nil {
			return nil, fmt.Errorf("line %d: %w (values must be strings)", line, err)
		}
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		if err := checkColumns(keys); err != nil {
			return nil, fmt.Errorf("line %d: %w", line, err)
		}
		out = append(out, m)
	}
	return out, sc.Err()
}

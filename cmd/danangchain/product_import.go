package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/danangchain/danangchain/client"
	"github.com/danangchain/danangchain/client/epcis"
	"github.com/danangchain/danangchain/registry"
)

// importedEvent is one line of import-epcis output.
type importedEvent struct {
	Index       int    `json:"index"`
	EventID     string `json:"event_id,omitempty"`
	Type        string `json:"type"`
	BizStep     string `json:"biz_step"`
	HashID      string `json:"hash_id"`
	Declaration bool   `json:"error_declaration,omitempty"`
	New         bool   `json:"new"`
	Height      int64  `json:"height,omitempty"`
	TxHash      string `json:"tx_hash,omitempty"`
}

type importOutput struct {
	File       string          `json:"file"`
	Events     []importedEvent `json:"events"`
	Imported   int             `json:"imported"`
	New        int             `json:"new"`
	Txs        int             `json:"txs"`
	DryRun     bool            `json:"dry_run,omitempty"`
	Warnings   []string        `json:"warnings"`
	Seconds    float64         `json:"seconds"`
	EventsPerS float64         `json:"events_per_second"`
}

func newProductImportCmd(g *globals) *cobra.Command {
	var from string
	var dryRun bool
	var timeout time.Duration
	cmd := &cobra.Command{
		Use:   "import-epcis FILE --from KEY",
		Short: "Import a GS1 EPCIS 2.0 document (food business) / Nhập tài liệu EPCIS",
		Long: `import-epcis reads a standard EPCIS 2.0 document of any of the five event
types, in JSON / JSON-LD or XML (urn:epcglobal:epcis:xsd:2) — FILE, or - for
stdin — exported by the business's own system, converts it here (EPC URIs to
GS1 Digital Link, CBV terms, times to UTC milliseconds), computes each event's
CBV 2.0 event hash and submits the events signed by --from, up to 1,000 per
transaction: no retyping. Every event needs the Food Safety Management Board's
authorisation of the business for its bizStep; a rejected transaction names
the event and the reason. Error declarations (errorDeclaration) go last, after
their corrective events. Importing the same document again changes nothing
("new": false). --dry-run only converts and hashes.`,
		Example: `  danangchain product import-epcis lo-mo-2025-10-14.jsonld --from slaughterhouse -o json`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var b []byte
			var err error
			if args[0] == "-" {
				b, err = io.ReadAll(io.LimitReader(cmd.InOrStdin(), epcis.MaxDocumentBytes+1))
			} else {
				b, err = os.ReadFile(args[0])
			}
			if err != nil {
				return err
			}
			doc, err := epcis.Parse(b)
			if err != nil {
				return registry.Errorf(registry.ErrInvalid, "%s: %v", args[0], err)
			}
			out := &importOutput{File: args[0], DryRun: dryRun, Warnings: append([]string{}, doc.Warnings...)}
			ordered := doc.Ordered()
			for _, ev := range ordered {
				out.Warnings = append(out.Warnings, ev.Warnings...)
				out.Events = append(out.Events, importedEvent{Index: ev.Index, EventID: ev.EventID, Type: ev.Item.Event.Type.String(),
					BizStep: ev.Item.Event.BizStep, HashID: ev.HashID(), Declaration: ev.IsDeclaration()})
			}
			msgs := epcis.Chunk(ordered, 0)
			out.Txs = len(msgs)
			if !dryRun {
				start := time.Now()
				if err := submitEvents(cmd, g, from, msgs, out, timeout); err != nil {
					return err
				}
				out.Seconds = time.Since(start).Seconds()
				if out.Seconds > 0 {
					out.EventsPerS = float64(out.Imported) / out.Seconds
				}
			}
			return g.print(cmd.OutOrStdout(), out, func(w io.Writer) { printImport(w, out) })
		},
	}
	cmd.Flags().StringVar(&from, "from", "", "food business key name")
	cmd.Flags().BoolVar(&dryRun, "dry-run", false, "convert and hash only, submit nothing")
	cmd.Flags().DurationVar(&timeout, "timeout", 5*time.Minute, "give up after this long")
	return cmd
}

// submitEvents broadcasts the messages without error declarations at once
// and waits for them, then the rest in order, filling out.
func submitEvents(cmd *cobra.Command, g *globals, from string, msgs []*registry.MsgRecordEvents, out *importOutput, timeout time.Duration) error {
	s, err := g.signer(from)
	if err != nil {
		return err
	}
	c, err := g.client()
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(cmd.Context(), timeout)
	defer cancel()
	first := 0 // index into out.Events of the first event of msgs[i]
	type pending struct {
		hash  []byte
		first int
		n     int
	}
	var batch []pending
	wait := func() error {
		for _, p := range batch {
			res, err := c.WaitTx(ctx, p.hash)
			if err != nil {
				return rejected(err, p.first, p.n)
			}
			if err := recordResults(out, res, p.first, p.n); err != nil {
				return err
			}
		}
		batch = nil
		return nil
	}
	for _, m := range msgs {
		hasDecl := false
		for _, it := range m.Items {
			hasDecl = hasDecl || it.Declaration != nil
		}
		if hasDecl {
			if err := wait(); err != nil {
				return err
			}
		}
		tx, err := c.BuildTx(ctx, s.PubKey(), m)
		if err != nil {
			return err
		}
		if err := client.Sign(tx, s); err != nil {
			return err
		}
		h, err := c.BroadcastAsync(ctx, tx.Encode())
		if err != nil {
			return rejected(err, first, len(m.Items))
		}
		batch = append(batch, pending{h, first, len(m.Items)})
		first += len(m.Items)
		if hasDecl {
			if err := wait(); err != nil {
				return err
			}
		}
	}
	return wait()
}

func rejected(err error, first, n int) error {
	return fmt.Errorf("document events %d-%d (in submission order): %w", first, first+n-1, err)
}

func recordResults(out *importOutput, res *client.TxResult, first, n int) error {
	list, err := registry.DecodeRecorded(res.Data)
	if err != nil || len(list) != n {
		return fmt.Errorf("unexpected tx data for events %d-%d: %v", first, first+n-1, err)
	}
	for i, r := range list {
		ev := &out.Events[first+i]
		if registry.FormatHashID(r.Hash) != ev.HashID {
			return fmt.Errorf("the chain recorded event %d as %s, computed %s here", ev.Index, registry.FormatHashID(r.Hash), ev.HashID)
		}
		ev.New, ev.Height, ev.TxHash = r.New, res.Height, fmt.Sprintf("%X", res.Hash)
		out.Imported++
		if r.New {
			out.New++
		}
	}
	return nil
}

func printImport(w io.Writer, out *importOutput) {
	verb := "Imported"
	if out.DryRun {
		verb = "Checked (dry run)"
	}
	fmt.Fprintf(w, "%s %d events from %s in %d tx(s)", verb, len(out.Events), out.File, out.Txs)
	if !out.DryRun {
		fmt.Fprintf(w, ": %d new, %.1f events/s", out.New, out.EventsPerS)
	}
	fmt.Fprintln(w)
	for _, ev := range out.Events {
		mark := ""
		if ev.Declaration {
			mark = " (error declaration)"
		} else if !out.DryRun && !ev.New {
			mark = " (already recorded)"
		}
		fmt.Fprintf(w, "  %3d %-20s %-16s %s%s\n", ev.Index, ev.Type, ev.BizStep, ev.HashID, mark)
	}
	for _, s := range out.Warnings {
		fmt.Fprintln(w, "  warning:", s)
	}
}

package main

import (
	"encoding/hex"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/danangchain/danangchain/registry"
)

// issueOutput is what result issue and result replace print.
type issueOutput struct {
	ID       string `json:"id"`
	New      bool   `json:"new"`
	Replaces string `json:"replaces,omitempty"`
	Kind     string `json:"kind,omitempty"`
	SHA256   string `json:"sha256"`
	Height   int64  `json:"height"`
	TxHash   string `json:"tx_hash"`
	holderOut
}

func newResultIssueCmd(g *globals) *cobra.Command {
	var from string
	var f docFlags
	cmd := &cobra.Command{
		Use:   "issue FILE --procedure CODE --from KEY",
		Short: "Issue an administrative result for a document file / Cấp kết quả",
		Long: `issue hashes FILE locally (the file never leaves this machine) and records the
result, signed by --from (an agency main key; the agency needs role
result.issuer). Issuing the same file again returns the same id and keeps the
first issue time ("new": false).

--holder computes a commitment SHA-256(salt || NFC(id)) with a fresh random
salt: only the commitment goes on chain; print the salt on the holder's
receipt or QR code so that the holder can prove the document is theirs.`,
		Example: `  danangchain result issue giay-phep.pdf --procedure 1.001612.000.00.00.H17 \
      --dossier 000.26.17.H17-260102-0001 --type "Giấy phép" --title "Giấy phép kinh doanh" \
      --valid-until 2031-01-01 --holder 048099001234 --from ward -o json`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			sum, err := hashFile(args[0])
			if err != nil {
				return err
			}
			doc := registry.ResultDoc{DocHash: sum}
			f.params = g.params()
			holder, err := f.apply(cmd, &doc)
			if err != nil {
				return err
			}
			if err := doc.Validate(); err != nil {
				return err
			}
			out, err := submit(cmd, g, from, registry.NewIssueResults([]registry.ResultDoc{doc}))
			if err != nil {
				return err
			}
			ids, err := issuedFrom(out)
			if err != nil || len(ids) != 1 {
				return fmt.Errorf("unexpected tx data %q: %v", out.Data, err)
			}
			res := issueOutput{ID: registry.FormatResultID(ids[0].ID), New: ids[0].New, SHA256: hex.EncodeToString(sum),
				Height: out.Height, TxHash: out.TxHash, holderOut: holder}
			summaryVi := fmt.Sprintf("Đã ghi kết quả %s ở khối %d", res.ID, out.Height)
			summary := fmt.Sprintf("Issued result %s at height %d (tx %s)", res.ID, out.Height, out.TxHash)
			if !res.New {
				summaryVi = fmt.Sprintf("Kết quả này đã được ghi trước đó với số %s; giao dịch không thay đổi gì", res.ID)
				summary = fmt.Sprintf("Already issued as result %s (unchanged; tx %s at height %d)", res.ID, out.TxHash, out.Height)
			}
			if holder.Salt != "" {
				summary += fmt.Sprintf("\nholder salt (put it on the holder's receipt/QR): %s", holder.Salt)
			}
			return printTx(g, cmd.OutOrStdout(), res, summaryVi, summary)
		},
	}
	cmd.Flags().StringVar(&from, "from", "", "agency main key name")
	f.register(cmd)
	_ = cmd.MarkFlagRequired("procedure")
	return cmd
}

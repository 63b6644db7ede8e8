package main

import (
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/danangchain/danangchain/client"
)

func newResultShowCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "show ID",
		Short: "Show a result with its verified status / Xem kết quả",
		Long: `show reads result ID, its issuing agency and (when superseded) its replacement,
each with an ICS23 proof checked against a header verified from genesis, and
prints the record and its status at the latest block time.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := parseResultID(args[0])
			if err != nil {
				return err
			}
			c, err := g.client()
			if err != nil {
				return err
			}
			ctx, cancel := cmdContext(cmd, 60*time.Second)
			defer cancel()
			v, err := c.VerifyResult(ctx, id)
			if err != nil {
				return err
			}
			return g.print(cmd.OutOrStdout(), v.View(), func(w io.Writer) { printVerdictText(w, v) })
		},
	}
}

// printVerdictText prints a verdict for people, in Vietnamese and English.
func printVerdictText(w io.Writer, v *client.Verdict) {
	view := v.View()
	fmt.Fprintf(w, "%s — %s\n", view.Status, view.StatusVI)
	if v.Record == nil {
		fmt.Fprintf(w, "  no result for document %s (absence proven at height %d)\n", view.SHA256, view.ProvenHeight)
		printAsOf(w, v)
		return
	}
	line := func(label, value string) {
		if value != "" {
			fmt.Fprintf(w, "  %-26s %s\n", label, value)
		}
	}
	line("result / kết quả", view.ID)
	line("agency / cơ quan", fmt.Sprintf("%s (%s)", view.AgencyName, view.Agency))
	if view.AgencyStatus != "" {
		line("agency status / trạng thái", view.AgencyStatus+" (the issuer held result.issuer when it signed: the chain checks it)")
	}
	switch view.SignerKeyStatus {
	case "active":
		line("signing key / khóa ký", view.Signer+" active / đang hiệu lực")
	case "revoked":
		line("signing key / khóa ký", fmt.Sprintf("%s revoked at height %d / bị thu hồi", view.Signer, view.SignerKeyRevokedHeight))
	}
	line("procedure / mã TTHC", view.Procedure)
	line("dossier / mã hồ sơ", view.Dossier)
	line("type / loại", view.DocType)
	line("title / trích yếu", view.Title)
	line("issued / ngày cấp", fmt.Sprintf("%s (height %d)", view.IssuedAt, view.Height))
	if view.Origin != "issue" {
		line("origin / hình thức", view.Origin+" of result "+view.Replaces)
	}
	line("valid from / hiệu lực từ", view.ValidFrom)
	if r := v.Record; r.ValidUntil != 0 {
		until := time.Unix(int64(r.ValidUntil), 0).In(client.ICT)
		if until.Hour() == 0 && until.Minute() == 0 && until.Second() == 0 {
			line("valid through / đến hết", until.AddDate(0, 0, -1).Format("2006-01-02")+" (UTC+7)")
		} else {
			line("valid until / đến", view.ValidUntil+" (exclusive)")
		}
	}
	if view.ReplacedBy != "" {
		r := "result " + view.ReplacedBy
		if view.Replacement != nil {
			r += fmt.Sprintf(" (%s, %s, issued %s)", view.Replacement.Kind, view.Replacement.Status, view.Replacement.IssuedAt)
		}
		line("replaced by / thay bằng", r)
	}
	if view.Reason != "" || view.ReasonCode != 0 {
		line("reason / lý do", fmt.Sprintf("%s (code %d, %s)", view.Reason, view.ReasonCode, view.StatusChangedAt))
	}
	line("holder commitment", view.HolderCommitment)
	line("cid", view.CID)
	line("sha256", view.SHA256)
	printAsOf(w, v)
}

// printAsOf says what the verdict is "as of" and what cross-checked it.
func printAsOf(w io.Writer, v *client.Verdict) {
	fmt.Fprintf(w, "  as of / tính đến: height %d, %s (giờ Việt Nam); header signed by more than 2/3 of the validators, proof verified\n",
		v.Height+1, v.Time.In(client.ICT).Format("2006-01-02 15:04:05"))
	switch {
	case v.Witnesses > 0:
		fmt.Fprintf(w, "  current / hiện hành: header fresh on this computer's clock, cross-checked by %d witness(es)\n", v.Witnesses)
	case v.Proofs.Record != nil || v.Proofs.Index != nil:
		fmt.Fprintln(w, "  current / hiện hành: header fresh on this computer's clock; no witness configured (--witness) — only this node's view")
	}
}

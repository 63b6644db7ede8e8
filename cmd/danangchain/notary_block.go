package main

import (
	"encoding/binary"
	"encoding/hex"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/danangchain/danangchain/registry"
)

func newNotaryBlockCmd(g *globals) *cobra.Command {
	var from, ref, reason, file, docSum string
	cmd := &cobra.Command{
		Use:   "block PROPERTY...",
		Short: "Record a blocking notice on properties / Ghi thông tin ngăn chặn",
		Long: `block records a blocking notice (thông tin ngăn chặn) on one or more properties,
signed by --from, whose agency must hold notary.blocker (a court, a civil
judgment enforcement agency, the Department of Justice). The decision stays
off chain: only --ref, the --reason category and, with --file or --doc-sha256,
its SHA-256 are recorded. Prints the notice's id.

PROPERTY is parcel:WARD/SHEET/PARCEL (5-digit ward code, map sheet, parcel
number), cert:SERIAL (certificate serial) or a 64-hex property key.
Reason categories: ` + fmt.Sprint(registry.BlockReasonNames()),
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			k, err := g.propertyKeying()
			if err != nil {
				return err
			}
			ps, keys, err := parseProperties(k, args)
			if err != nil {
				return err
			}
			r, err := registry.ParseBlockReason(reason)
			if err != nil {
				return err
			}
			doc, err := docHashFlag(file, docSum)
			if err != nil {
				return err
			}
			out, err := submit(cmd, g, from, &registry.MsgNotaryBlock{Ref: registry.NFC(ref), Reason: r, DocHash: doc, Properties: keys})
			if err != nil {
				return err
			}
			data := out.Raw
			if len(data) != 8 {
				return fmt.Errorf("unexpected tx data %q", out.Data)
			}
			id := binary.BigEndian.Uint64(data)
			res := map[string]any{"id": id, "ref": registry.NFC(ref), "reason": r.String(), "properties": propertyViews(ps),
				"doc_sha256": hex.EncodeToString(doc), "tx_hash": out.TxHash, "height": out.Height}
			return printTx(g, cmd.OutOrStdout(), res, fmt.Sprintf("Đã ghi thông báo ngăn chặn số %d ở khối %d", id, out.Height), fmt.Sprintf("Blocking notice %d recorded at height %d on %d propert(ies) (tx %s)",
				id, out.Height, len(ps), out.TxHash))
		},
	}
	f := cmd.Flags()
	f.StringVar(&from, "from", "", "key of a notary.blocker agency")
	f.StringVar(&ref, "ref", "", "reference number of the decision, e.g. 45/2025/QĐ-BPKCTT (no spaces)")
	f.StringVar(&reason, "reason", "", "reason category")
	f.StringVar(&file, "file", "", "the decision document (hashed locally; the file never leaves this machine)")
	f.StringVar(&docSum, "doc-sha256", "", "the decision's SHA-256 instead of --file")
	_ = cmd.MarkFlagRequired("ref")
	_ = cmd.MarkFlagRequired("reason")
	return cmd
}

package main

import (
	"encoding/hex"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/danangchain/danangchain/registry"
)

func newAnchorCmd(g *globals) *cobra.Command {
	var from, tag string
	cmd := &cobra.Command{
		Use:   "anchor FILE",
		Short: "Anchor a document's SHA-256 for your agency / Neo mã băm tài liệu",
		Long: `anchor hashes FILE locally (the file never leaves this machine) and records the
hash on chain, signed by --from. Anchoring the same hash again is idempotent and
keeps the first anchor's agency, height and time: the command then says
"Already anchored by …" ("new": false in JSON).`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			sum, err := hashFile(args[0])
			if err != nil {
				return err
			}
			out, err := submit(cmd, g, from, &registry.MsgAnchor{Hash: sum, Tag: registry.NFC(tag)})
			if err != nil {
				return err
			}
			res := map[string]any{"sha256": hex.EncodeToString(sum), "tx_hash": out.TxHash, "height": out.Height}
			// Say what the chain holds, verified: a hash anchored before
			// (by this agency or another) keeps its first anchor, and this
			// tx changed nothing.
			p, err := getVerified(cmd, g, registry.AnchorKey(sum))
			if err != nil {
				return err
			}
			if p.Value == nil {
				return registry.Errorf(registry.ErrProofInvalid, "anchor %x committed at height %d but proven absent", sum, out.Height)
			}
			a, err := registry.DecodeAnchor(p.Value)
			if err != nil {
				return err
			}
			res["agency"], res["anchor_height"], res["new"] = a.Agency, a.Height, a.Height == uint64(out.Height)
			if a.Height != uint64(out.Height) {
				return printTx(g, cmd.OutOrStdout(), res, fmt.Sprintf("Đã được %s neo từ khối %d (đã xác minh); giao dịch này không thay đổi gì", a.Agency, a.Height), fmt.Sprintf("Already anchored by %s at height %d (verified); this tx changed nothing", a.Agency, a.Height))
			}
			return printTx(g, cmd.OutOrStdout(), res, fmt.Sprintf("Đã neo mã băm tài liệu cho %s ở khối %d (đã xác minh)", a.Agency, out.Height), fmt.Sprintf("Anchored %x for %s at height %d (tx %s, verified)", sum, a.Agency, out.Height, out.TxHash))
		},
	}
	cmd.Flags().StringVar(&from, "from", "", "agency key name")
	cmd.Flags().StringVar(&tag, "tag", "", "document kind, e.g. \"công văn\"")
	return cmd
}

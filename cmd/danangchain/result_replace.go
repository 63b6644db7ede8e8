package main

import (
	"encoding/hex"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/danangchain/danangchain/registry"
)

func newResultReplaceCmd(g *globals) *cobra.Command {
	var from, kind string
	var f docFlags
	cmd := &cobra.Command{
		Use:   "replace ID FILE --from KEY [--kind reissue|replace|amend]",
		Short: "Record a new document that reissues, replaces or amends a result / Cấp lại, cấp đổi, điều chỉnh",
		Long: `replace records FILE as a new result that supersedes result ID: --kind reissue
(cấp lại: lost or damaged), replace (cấp đổi, the default) or amend (điều chỉnh).
The two records are linked both ways; verifying the old file answers "replaced"
with the new id. Fields not given as flags are copied from the old record
(read with a verified proof), including the holder commitment, so the holder's
existing salt still works. Only the issuing agency may do this.`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := parseResultID(args[0])
			if err != nil {
				return err
			}
			k, err := registry.ParseSupersedeKind(kind)
			if err != nil {
				return err
			}
			sum, err := hashFile(args[1])
			if err != nil {
				return err
			}
			c, err := g.client()
			if err != nil {
				return err
			}
			ctx, cancel := cmdContext(cmd, 60*time.Second)
			defer cancel()
			old, err := c.VerifyResult(ctx, id)
			if err != nil {
				return err
			}
			doc := old.Record.ResultDoc
			doc.DocHash = sum
			f.params = g.params()
			holder, err := f.apply(cmd, &doc)
			if err != nil {
				return err
			}
			msg := &registry.MsgSupersedeResult{ID: id, Kind: k, Doc: doc}
			if err := msg.ValidateBasic(); err != nil {
				return err
			}
			out, err := submit(cmd, g, from, msg)
			if err != nil {
				return err
			}
			ids, err := issuedFrom(out)
			if err != nil || len(ids) != 1 {
				return fmt.Errorf("unexpected tx data %q: %v", out.Data, err)
			}
			res := issueOutput{ID: registry.FormatResultID(ids[0].ID), New: ids[0].New, Replaces: registry.FormatResultID(id),
				Kind: k.String(), SHA256: hex.EncodeToString(sum), Height: out.Height, TxHash: out.TxHash, holderOut: holder}
			return printTx(g, cmd.OutOrStdout(), res, fmt.Sprintf("Kết quả %s thay thế kết quả %s ở khối %d", res.ID, res.Replaces, out.Height), fmt.Sprintf("Result %s (%s) supersedes result %s at height %d (tx %s)",
				res.ID, res.Kind, res.Replaces, out.Height, out.TxHash))
		},
	}
	cmd.Flags().StringVar(&from, "from", "", "agency main key name")
	cmd.Flags().StringVar(&kind, "kind", "replace", "reissue (cấp lại), replace (cấp đổi) or amend (điều chỉnh)")
	f.register(cmd)
	return cmd
}

package main

import (
	"encoding/hex"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/danangchain/danangchain/registry"
)

func newProductTransferCmd(g *globals) *cobra.Command {
	var from, toKey, toHolder, toCommitment string
	var onBehalf bool
	cmd := &cobra.Command{
		Use:   "transfer PRODUCT (--to-key KEY | --to-holder ID | --to-commitment HEX) --from OWNER",
		Short: "Pass ownership of a craft product / Chuyển quyền sở hữu",
		Long: `transfer hands a craft item or batch to a buyer, signed by the current owner's
key. The buyer is a key (--to-key: 64 hex characters or a keyring name) or, for
a buyer without a key, a salted commitment: --to-holder computes
SHA-256(salt || NFC(ID)) with a fresh salt and prints the salt for the buyer's
receipt (the identifier never goes on chain); --to-commitment takes one made
elsewhere. When the owner cannot sign (a commitment, an unregistered key), the
registrar that enrolled the maker records the transfer with --on-behalf after
checking the owner. The history is kept: 'product trace' shows every owner.`,
		Example: `  danangchain product transfer 7 --to-holder 048099001234 --from artisan -o json`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var to registry.Owner
			var salt []byte
			switch {
			case toKey != "" && toHolder == "" && toCommitment == "":
				pub, err := productKeyArg(g, toKey)
				if err != nil {
					return err
				}
				to = registry.Owner{Kind: registry.OwnerKey, Value: pub}
			case toHolder != "" && toKey == "" && toCommitment == "":
				s, c, err := newCommitment(g.params(), registry.CommitOwner, toHolder)
				if err != nil {
					return err
				}
				salt, to = s, registry.Owner{Kind: registry.OwnerCommitment, Value: c}
			case toCommitment != "" && toKey == "" && toHolder == "":
				c, err := parseHolderCommitment(toCommitment)
				if err != nil {
					return err
				}
				to = registry.Owner{Kind: registry.OwnerCommitment, Value: c}
			default:
				return cliErrf(errUsage, "give one of --to-key, --to-holder, --to-commitment")
			}
			id, err := resolveProductID(cmd, g, args[0])
			if err != nil {
				return err
			}
			m := &registry.MsgTransferItem{Product: id, To: to, OnBehalf: onBehalf}
			if err := m.ValidateBasic(); err != nil {
				return err
			}
			out, err := submit(cmd, g, from, m)
			if err != nil {
				return err
			}
			seq, err := productIDFrom(out)
			if err != nil {
				return err
			}
			res := map[string]any{"product": registry.FormatProductID(id), "seq": seq, "to": to.String(), "on_behalf": onBehalf,
				"height": out.Height, "tx_hash": out.TxHash}
			summary := fmt.Sprintf("Product %d transferred to %s (transfer %d, height %d, tx %s)", id, to, seq, out.Height, out.TxHash)
			if salt != nil {
				res["holder_salt"] = hex.EncodeToString(salt)
				res["holder_commitment"] = hex.EncodeToString(to.Value)
				summary += "\nbuyer's salt (print it on the receipt): " + hex.EncodeToString(salt)
			}
			return printTx(g, cmd.OutOrStdout(), res, fmt.Sprintf("Đã chuyển quyền sở hữu sản phẩm %d ở khối %d", id, out.Height), summary)
		},
	}
	f := cmd.Flags()
	f.StringVar(&from, "from", "", "current owner's key name (or the maker's registrar with --on-behalf)")
	f.StringVar(&toKey, "to-key", "", "buyer's public key (hex) or keyring name")
	f.StringVar(&toHolder, "to-holder", "", "buyer's identifier (e.g. CCCD): only a salted commitment goes on chain")
	f.StringVar(&toCommitment, "to-commitment", "", "buyer's commitment (hex SHA-256(salt || NFC(id)))")
	f.BoolVar(&onBehalf, "on-behalf", false, "record the transfer for an owner who cannot sign (maker's registrar)")
	return cmd
}

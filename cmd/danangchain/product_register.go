package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/danangchain/danangchain/client/epcis"
	"github.com/danangchain/danangchain/registry"
)

func newProductRegisterCmd(g *globals) *cobra.Command {
	var from, name, class, description, identifier string
	var materials, photos, certificates []string
	var batch uint64
	cmd := &cobra.Command{
		Use:   "register --name TEXT --class CODE [--photo FILE|CID]... --from ARTISAN",
		Short: "Register a craft item or batch (artisan) / Đăng ký sản phẩm thủ công",
		Long: `register records a craft or OCOP product signed by an enrolled artisan key; the
workshop and village come from the enrolment. Photos and certificates are
payload CIDs (CIDv1, base32, sha2-256): give a CID of a published payload, or
a file, which is published here first (as 'payload add' would: every city node
then holds it and serves it, so the product page shows it).
--batch N registers a batch of N identical products. --identifier attaches a
GS1 Digital Link (or EPC URI, or trace code) so EPCIS events can name it.
Quality ratings (OCOP stars) are attested by a rating agency with
'product rate', never here. Prints the product id for the QR code (BASE/p/ID).`,
		Example: `  danangchain product register --name "Tượng Quan Âm đá cẩm thạch" --class da-my-nghe \
      --material "Đá cẩm thạch trắng" --photo tuong.jpg --from artisan -o json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			m := &registry.MsgRegisterItem{Kind: registry.ProductCraftItem, Quantity: 1, Class: classCode(class),
				Name: registry.NFC(strings.TrimSpace(name)), Description: registry.NFC(strings.TrimSpace(description))}
			if batch > 0 {
				m.Kind, m.Quantity = registry.ProductCraftBatch, batch
			}
			for _, s := range materials {
				m.Materials = append(m.Materials, registry.NFC(strings.TrimSpace(s)))
			}
			if identifier != "" {
				id, err := epcis.NormalizeIdentifier(identifier)
				if err != nil {
					return err
				}
				m.Identifier = id
			}
			var err error
			if m.Photos, err = cidArgs(photos); err != nil {
				return err
			}
			if m.Certificates, err = cidArgs(certificates); err != nil {
				return err
			}
			// Check everything else before uploading anything (the files'
			// CIDs stand in for the uploads' until then).
			if err := m.ValidateBasic(); err != nil {
				return err
			}
			if m.Photos, err = publishFiles(cmd, g, from, "photo", photos); err != nil {
				return err
			}
			if m.Certificates, err = publishFiles(cmd, g, from, "certificate", certificates); err != nil {
				return err
			}
			out, err := submit(cmd, g, from, m)
			if err != nil {
				return err
			}
			id, err := productIDFrom(out)
			if err != nil {
				return err
			}
			res := map[string]any{"id": registry.FormatProductID(id), "kind": m.Kind.String(), "class": m.Class, "photos": m.Photos,
				"certificates": m.Certificates, "url": productURL(g.verifyBase(), id), "height": out.Height, "tx_hash": out.TxHash}
			return printTx(g, cmd.OutOrStdout(), res, fmt.Sprintf("Đã đăng ký sản phẩm %d ở khối %d", id, out.Height), fmt.Sprintf("Registered product %d (%s) at height %d, tx %s\nQR: %s",
				id, m.Kind, out.Height, out.TxHash, res["url"]))
		},
	}
	f := cmd.Flags()
	f.StringVar(&from, "from", "", "artisan key name")
	f.StringVar(&name, "name", "", "product name (Vietnamese)")
	f.StringVar(&class, "class", "", "product class code, e.g. da-my-nghe")
	f.StringVar(&description, "description", "", "description (Vietnamese)")
	f.StringArrayVar(&materials, "material", nil, "material (repeat)")
	f.StringArrayVar(&photos, "photo", nil, "photo: a CID, or a file to publish (repeat)")
	f.StringArrayVar(&certificates, "certificate", nil, "certificate: a CID, or a file to publish (repeat)")
	f.Uint64Var(&batch, "batch", 0, "register a batch of N products")
	f.StringVar(&identifier, "identifier", "", "GS1 Digital Link, EPC URI or trace code of the item")
	_ = cmd.MarkFlagRequired("name")
	_ = cmd.MarkFlagRequired("class")
	return cmd
}

// productIDFrom decodes an 8-byte id from a tx's data.
func productIDFrom(out *txOutput) (uint64, error) {
	b := out.Raw
	if len(b) < 8 {
		return 0, fmt.Errorf("unexpected tx data %q", out.Data)
	}
	return registry.DecodeProductIndex(b[:8])
}

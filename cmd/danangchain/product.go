package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base32"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/danangchain/danangchain/client"
	"github.com/danangchain/danangchain/client/epcis"
	"github.com/danangchain/danangchain/client/keyring"
	"github.com/danangchain/danangchain/registry"
)

func newProductCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "product",
		Short: "Product provenance / Truy xuất nguồn gốc",
		Long: `Craft and OCOP products (artisans enrolled by a registrar register items and
batches, bind QR/NFC tags, hand ownership to buyers; rating agencies attest OCOP
stars) and food chains recorded as GS1 EPCIS 2.0 events (each business imports
its own EPCIS document; the Food Safety Management Board authorises businesses
per kind of step). 'product trace' shows the whole chain with verified proofs,
one step back and one step forward (Circular 02/2024/TT-BKHCN), and flags tags
scanned in implausible places or times. See docs/provenance.md.`,
	}
	cmd.AddCommand(newProductEnrolCmd(g), newProductAuthorizeCmd(g), newProductRegisterCmd(g), newProductBindTagCmd(g),
		newProductTransferCmd(g), newProductRateCmd(g), newProductImportCmd(g), newProductScanCmd(g), newProductNameLocationCmd(g), newProductTraceCmd(g))
	return cmd
}

// parseProductRef reads a product reference: a decimal product id, or an
// identifier (GS1 Digital Link URI, EPC URI, trace code), normalised.
func parseProductRef(s string) (client.TraceQuery, error) {
	s = strings.TrimSpace(s)
	if id, err := registry.ParseProductID(s); err == nil {
		return client.TraceQuery{ID: id}, nil
	}
	ident, err := epcis.NormalizeIdentifier(s)
	if err != nil {
		return client.TraceQuery{}, registry.Errorf(registry.ErrInvalid, "product %q: %v", s, err)
	}
	if err := registry.CheckIdentifier("product", ident); err != nil {
		return client.TraceQuery{}, err
	}
	return client.TraceQuery{Identifier: ident}, nil
}

// resolveProductID returns the id of a product reference, reading the
// identifier index with a verified proof when needed.
func resolveProductID(cmd *cobra.Command, g *globals, s string) (uint64, error) {
	q, err := parseProductRef(s)
	if err != nil || q.ID != 0 {
		return q.ID, err
	}
	p, err := getVerified(cmd, g, registry.IdentifierKey(q.Identifier))
	if err != nil {
		return 0, err
	}
	if p.Value == nil {
		return 0, fmt.Errorf("%w: no product with identifier %s (proven absent at height %d)", registry.ErrNotFound, q.Identifier, p.Height)
	}
	return registry.DecodeProductIndex(p.Value)
}

// productKeyArg reads a public key given as 64 hex characters or as the name of
// a key in the keyring.
func productKeyArg(g *globals, s string) ([]byte, error) {
	if b, err := hex.DecodeString(s); err == nil && len(b) == registry.PubKeySize {
		return b, nil
	}
	kr, err := g.keyring()
	if err != nil {
		return nil, err
	}
	info, err := kr.Show(s)
	if err != nil {
		return nil, fmt.Errorf("key %q: not 64 hex characters and not in the keyring: %w", s, err)
	}
	return info.PubKey, nil
}

var cidEncoding = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// rawCID is the CIDv1 (raw codec, sha2-256) of bytes in base32: what
// `ipfs add --cid-version 1 --raw-leaves` prints for a file of one block.
func rawCID(data []byte) string {
	h := sha256.Sum256(data)
	return "b" + cidEncoding.EncodeToString(append([]byte{0x01, 0x55, 0x12, 0x20}, h[:]...))
}

// cidArg accepts a CID, or a file whose raw CID is computed locally (the
// file itself is not uploaded: publish it to the payload store).
func cidArg(s string) (string, error) {
	s = strings.TrimSpace(s)
	if registry.CheckCID(s) == nil {
		return s, nil
	}
	b, err := os.ReadFile(s)
	if err != nil {
		return "", fmt.Errorf("%q is neither a CIDv1 (base32, sha2-256) nor a readable file: %w", s, err)
	}
	return rawCID(b), nil
}

func cidArgs(list []string) ([]string, error) {
	out := make([]string, 0, len(list))
	for _, s := range list {
		c, err := cidArg(s)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	out, _ = sortUniqueStrings(out)
	return out, nil
}

func sortUniqueStrings(in []string) ([]string, bool) {
	seen := map[string]bool{}
	var out []string
	dup := false
	for _, s := range in {
		if seen[s] {
			dup = true
			continue
		}
		seen[s] = true
		out = append(out, s)
	}
	sort.Strings(out)
	return out, dup
}

// productURL is what a product's QR holds: the verify page of the product.
func productURL(base string, id uint64) string {
	return strings.TrimRight(base, "/") + "/p/" + registry.FormatProductID(id)
}

// demoSteps are the kinds of steps the Food Safety Management Board
// authorises for each demo business.
var demoSteps = []struct {
	key   string
	steps []string
}{
	{"farm", []string{"commissioning", "shipping"}},
	{"slaughterhouse", []string{"receiving", "shipping", "slaughtering"}},
	{"processor", []string{"commissioning", "packing", "receiving", "shipping"}},
	{"retailer", []string{"receiving", "retail_selling", "unpacking"}},
}

func demoAgencyID(key string) string {
	for _, a := range demoAgencies {
		if a.key == key {
			return a.id
		}
	}
	return ""
}

// seedProducts seeds the provenance demo: the Food Safety Management Board
// authorises the four businesses of a pork chain, each imports its own
// EPCIS 2.0 document (farm -> slaughterhouse -> processor -> retailer,
// with the carcass cut into packs), the retailer binds a QR stamp to a
// pack; the cooperative enrols an artisan, who publishes a photo (a PNG
// payload, served by every node's IPFS gateway) and registers a Non Nước
// stone carving with it, binds its NFC tag and sells it once; the
// cooperative attests its OCOP stars. It names the products in manifest
// ("pork_item", "craft_item" and details under "products").
func seedProducts(ctx context.Context, g *globals, c *client.Client, kr *keyring.Keyring, out io.Writer, manifest map[string]any) error {
	signers := map[string]*keyring.Signer{}
	for _, k := range []string{"foodsafety", "farm", "slaughterhouse", "processor", "retailer", "craftcoop", "artisan"} {
		s, err := kr.Signer(k)
		if err != nil {
			return err
		}
		signers[k] = s
	}
	// A phase's txs are independent: they are broadcast together and share
	// blocks; the next phase starts when all are committed.
	type job struct {
		key string
		msg registry.Msg
		res **client.TxResult
	}
	phase := func(jobs ...job) error {
		errs := make(chan error, len(jobs))
		for _, j := range jobs {
			go func(j job) {
				res, err := c.Submit(ctx, signers[j.key], j.msg)
				if err != nil {
					errs <- fmt.Errorf("%s %s: %w", j.key, registry.MsgName(j.msg.Type()), err)
					return
				}
				if j.res != nil {
					*j.res = res
				}
				errs <- nil
			}(j)
		}
		var first error
		for range jobs {
			if err := <-errs; err != nil && first == nil {
				first = err
			}
		}
		return first
	}
	docs := map[string][]*registry.MsgRecordEvents{}
	imported := 0
	for _, f := range append(epcis.ExampleFiles, struct{ File, Key string }{epcis.ExampleCorrection, "processor"}) {
		b, err := epcis.Examples.ReadFile(f.File)
		if err != nil {
			return err
		}
		doc, err := epcis.Parse(b)
		if err != nil {
			return fmt.Errorf("%s: %w", f.File, err)
		}
		docs[f.File] = doc.Messages(0)
		imported += len(doc.Events)
	}
	artisan, err := kr.Show("artisan")
	if err != nil {
		return err
	}
	// The carving's photo: a real image, published as a payload by the
	// artisan's workshop (every validator holds it and serves it at
	// /ipfs/CID), while the first phase runs.
	photo := demoCarvingPNG()
	photoPath := filepath.Join(g.home, "demo-craft-photo.png")
	if err := os.WriteFile(photoPath, photo, 0o644); err != nil {
		return err
	}
	type published struct {
		res *client.PayloadResult
		err error
	}
	photoDone := make(chan published, 1)
	go func() {
		res, err := c.AddPayload(ctx, signers["artisan"], bytes.NewReader(photo), client.PayloadOptions{MediaType: "image/png"})
		photoDone <- published{res, err}
	}()

	fmt.Fprintln(out, "Seeding: the Food Safety Management Board authorises a pork chain; the cooperative enrols an artisan, who publishes a photo ...")
	var jobs []job
	for _, a := range demoSteps {
		jobs = append(jobs, job{key: "foodsafety", msg: &registry.MsgAuthorizeFood{Agency: demoAgencyID(a.key), BizSteps: a.steps,
			Status: registry.FoodAuthorised, Ref: "15/QĐ-BQLATTP (demo)"}})
	}
	// Each business names its places, so traces read "Lò mổ Hòa Nhơn", not a GLN.
	for _, p := range []struct{ key, gln, name string }{
		{"farm", "https://id.gs1.org/414/8935678000019", "Trang trại heo Hòa Vang, xã Hòa Phong"},
		{"slaughterhouse", "https://id.gs1.org/414/8935678000026", "Lò mổ Hòa Nhơn, xã Hòa Nhơn"},
		{"processor", "https://id.gs1.org/414/8935678000033", "Xưởng chế biến Liên Chiểu, KCN Hòa Khánh"},
		{"retailer", "https://id.gs1.org/414/8935678000040", "Cửa hàng thực phẩm sạch, chợ Hàn"},
	} {
		jobs = append(jobs, job{key: p.key, msg: &registry.MsgNameLocation{Location: p.gln, Name: p.name}})
	}
	jobs = append(jobs, job{key: "craftcoop", msg: &registry.MsgEnrolArtisan{PubKey: artisan.PubKey,
		Workshop: "Cơ sở điêu khắc đá mỹ nghệ Non Nước", Village: "Làng nghề đá mỹ nghệ Non Nước, phường Ngũ Hành Sơn",
		Status: registry.EnrolmentActive}})
	if err := phase(jobs...); err != nil {
		return err
	}
	pub := <-photoDone
	if pub.err != nil {
		return fmt.Errorf("artisan payload/add (photo): %w", pub.err)
	}
	photoCID := pub.res.CID

	fmt.Fprintln(out, "Seeding: farm → slaughterhouse → processor → retailer import their EPCIS 2.0 documents; a Non Nước stone carving ...")
	var reg *client.TxResult
	jobs = []job{{key: "artisan", res: &reg, msg: &registry.MsgRegisterItem{Kind: registry.ProductCraftItem, Quantity: 1,
		Class: "da-my-nghe", Name: "Tượng Quan Âm đá cẩm thạch trắng", Description: "Tạc tay nguyên khối, cao 60 cm, hoàn thiện năm 2025.",
		Materials: []string{"Đá cẩm thạch trắng Non Nước"}, Photos: []string{photoCID}}}}
	for _, f := range epcis.ExampleFiles {
		for _, m := range docs[f.File] {
			jobs = append(jobs, job{key: f.Key, msg: m})
		}
	}
	if err := phase(jobs...); err != nil {
		return err
	}
	craftID, err := registry.DecodeProductIndex(reg.Data)
	if err != nil {
		return err
	}
	const pack = "https://id.gs1.org/01/08935678000293/21/SN-0001"
	porkID, err := lookupProduct(ctx, c, pack)
	if err != nil {
		return err
	}

	fmt.Fprintln(out, "Seeding: a correction, QR and NFC tags, an OCOP rating, the carving sold once ...")
	salt, commitment, err := newCommitment(g.params(), registry.CommitOwner, "048099001234") // a demo buyer's CCCD: only the commitment goes on chain
	if err != nil {
		return err
	}
	var tr *client.TxResult
	jobs = []job{
		{key: "retailer", msg: &registry.MsgBindTag{Product: porkID, Kind: registry.TagQR, Tag: "DN-CH-2510-0001"}},
		{key: "artisan", msg: &registry.MsgBindTag{Product: craftID, Kind: registry.TagNFC, Tag: "04A23B4C5D6E7F"}},
		{key: "craftcoop", msg: &registry.MsgAttestProduct{Product: craftID, Scheme: registry.SchemeOCOP, Level: 4,
			Ref: "2451/QĐ-UBND (demo)", ValidUntil: uint64(time.Now().AddDate(3, 0, 0).Unix())}},
		{key: "artisan", res: &tr, msg: &registry.MsgTransferItem{Product: craftID,
			To: registry.Owner{Kind: registry.OwnerCommitment, Value: commitment}}},
	}
	for _, m := range docs[epcis.ExampleCorrection] {
		jobs = append(jobs, job{key: "processor", msg: m})
	}
	if err := phase(jobs...); err != nil {
		return err
	}
	manifest["pork_item"] = registry.FormatProductID(porkID)
	manifest["craft_item"] = registry.FormatProductID(craftID)
	manifest["products"] = map[string]any{
		"pork": map[string]any{"id": registry.FormatProductID(porkID), "identifier": pack, "tag": "DN-CH-2510-0001",
			"events_imported": imported, "businesses": []string{"farm", "slaughterhouse", "processor", "retailer"}},
		"craft": map[string]any{"id": registry.FormatProductID(craftID), "photo": photoPath, "photo_cid": photoCID,
			"nfc_tag": "04A23B4C5D6E7F", "transfer_height": tr.Height, "buyer_salt": hex.EncodeToString(salt),
			"buyer": "048099001234"},
	}
	fmt.Fprintf(out, "  pork pack = product %d, stone carving = product %d (try: danangchain product trace %d --home %s)\n",
		porkID, craftID, porkID, g.home)
	return nil
}

// lookupProduct reads the product id of an identifier from the seeding
// node (unverified: the demo trusts its own node).
func lookupProduct(ctx context.Context, c *client.Client, identifier string) (uint64, error) {
	res, err := c.RPC().ABCIQuery(ctx, registry.QueryPathStore, registry.IdentifierKey(identifier))
	if err != nil {
		return 0, err
	}
	if len(res.Response.Value) == 0 {
		return 0, fmt.Errorf("%w: no product %s", registry.ErrNotFound, identifier)
	}
	return registry.DecodeProductIndex(res.Response.Value)
}

// hexData decodes a write command's tx data.

package main

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
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
	"github.com/danangchain/danangchain/client/keyring"
	"github.com/danangchain/danangchain/node"
	"github.com/danangchain/danangchain/registry"
)

func newResultCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "result",
		Short: "Administrative results / Kết quả thủ tục hành chính",
		Long: `Issue, replace, suspend, reinstate and revoke administrative results
(kết quả thủ tục hành chính), log inspections, and show results with verified
proofs. A citizen verifies a document file with 'danangchain verify FILE'.
See docs/results.md.`,
	}
	cmd.AddCommand(newResultIssueCmd(g), newResultBulkCmd(g), newResultReplaceCmd(g),
		newResultStatusCmd(g, registry.OpRevoke), newResultStatusCmd(g, registry.OpSuspend),
		newResultStatusCmd(g, registry.OpReinstate), newResultShowCmd(g),
		newResultInspectCmd(g), newResultInspectionsCmd(g))
	return cmd
}

// docFlags are the flags describing a result document (issue, replace).
type docFlags struct {
	params                             registry.Params // the chain's (commitment cost); set before apply
	procedure, dossier, docType, title string
	validFrom, validUntil              string
	holder, holderCommitment, cid      string
}

func (f *docFlags) register(cmd *cobra.Command) {
	fs := cmd.Flags()
	fs.StringVar(&f.procedure, "procedure", "", "procedure code (mã TTHC), e.g. 1.001612.000.00.00.H17")
	fs.StringVar(&f.dossier, "dossier", "", "dossier code (mã hồ sơ)")
	fs.StringVar(&f.docType, "type", "", `document type, e.g. "Giấy chứng nhận"`)
	fs.StringVar(&f.title, "title", "", "document title (Vietnamese)")
	fs.StringVar(&f.validFrom, "valid-from", "", "valid from: a date YYYY-MM-DD (00:00 UTC+7) or RFC 3339 time")
	fs.StringVar(&f.validUntil, "valid-until", "", "valid through: a date YYYY-MM-DD (inclusive, UTC+7) or RFC 3339 time (exclusive)")
	fs.StringVar(&f.holder, "holder", "", "holder identifier (e.g. CCCD number): only a salted commitment goes on chain; the salt is printed")
	fs.StringVar(&f.holderCommitment, "holder-commitment", "", "precomputed holder commitment (hex SHA-256(salt || NFC(id)))")
	fs.StringVar(&f.cid, "cid", "", "CIDv1 (base32, sha2-256) of a public payload")
}

// holderOut is what a fresh holder commitment prints.
type holderOut struct {
	Salt       string `json:"holder_salt,omitempty"`
	Commitment string `json:"holder_commitment,omitempty"`
}

// apply fills doc from the flags that were given (cmd.Flags().Changed), so
// that replace can start from the old record.
func (f *docFlags) apply(cmd *cobra.Command, doc *registry.ResultDoc) (holderOut, error) {
	var h holderOut
	set := func(name string) bool { return cmd.Flags().Changed(name) }
	if set("procedure") {
		doc.Procedure = strings.TrimSpace(f.procedure)
	}
	if set("dossier") {
		doc.Dossier = strings.TrimSpace(f.dossier)
	}
	if set("type") {
		doc.DocType = registry.NFC(strings.TrimSpace(f.docType))
	}
	if set("title") {
		doc.Title = registry.NFC(strings.TrimSpace(f.title))
	}
	if set("cid") {
		doc.CID = strings.TrimSpace(f.cid)
	}
	var err error
	if set("valid-from") {
		if doc.ValidFrom, err = parseValidity(f.validFrom, false); err != nil {
			return h, err
		}
	}
	if set("valid-until") {
		if doc.ValidUntil, err = parseValidity(f.validUntil, true); err != nil {
			return h, err
		}
	}
	if set("holder") && set("holder-commitment") {
		return h, cliErrf(errUsage, "give --holder or --holder-commitment, not both")
	}
	if set("holder") {
		salt, commitment, err := newCommitment(f.params, registry.CommitHolder, f.holder)
		if err != nil {
			return h, err
		}
		doc.Holder = commitment
		h = holderOut{Salt: hex.EncodeToString(salt), Commitment: hex.EncodeToString(commitment)}
	}
	if set("holder-commitment") {
		if doc.Holder, err = parseHolderCommitment(f.holderCommitment); err != nil {
			return h, err
		}
	}
	return h, nil
}

// newCommitment draws a fresh salt and commits to a personal identifier
// (registry.Commit: Argon2id at the chain's cost, domain-separated by
// kind).
func newCommitment(p registry.Params, kind registry.CommitKind, id string) (salt, commitment []byte, err error) {
	id = strings.TrimSpace(id)
	if id == "" {
		return nil, nil, cliErrf(errUsage, "empty %s identifier", kind)
	}
	salt = make([]byte, registry.CommitSaltSize)
	if _, err := rand.Read(salt); err != nil {
		return nil, nil, err
	}
	return salt, registry.Commit(kind, salt, id, p), nil
}

// params are the chain's parameters from the home's genesis file (the
// defaults without one): commitments use its Argon2id cost.
func (g *globals) params() registry.Params {
	gen, err := node.LoadGenesis(g.home)
	if err != nil {
		return registry.DefaultParams()
	}
	var st registry.GenesisState
	if json.Unmarshal(gen.AppState, &st) != nil {
		return registry.DefaultParams()
	}
	return st.Params.WithDefaults()
}

// propertyKeying is the chain's property keying (chain id and genesis
// parameters). Unlike params it has no fallback: a key derived for the
// wrong chain finds nothing, which would read as "not blocked".
func (g *globals) propertyKeying() (registry.PropertyKeying, error) {
	gen, err := node.LoadGenesis(g.home)
	if err != nil {
		return registry.PropertyKeying{}, cliErrf(errFile, "property keys need this chain's genesis.json in %s: %v", g.home, err)
	}
	return genesisKeying(gen)
}

func parseHolderCommitment(s string) ([]byte, error) {
	b, err := hex.DecodeString(strings.TrimSpace(s))
	if err != nil || len(b) != registry.HashSize {
		return nil, cliErrf(errFormat, "holder commitment %q: want %d bytes in hex", s, registry.HashSize)
	}
	return b, nil
}

// parseValidity reads a date (YYYY-MM-DD, UTC+7) or an RFC 3339 time as
// unix seconds. A date used as an end ("valid through") becomes the start
// of the next day, since valid_until is exclusive. "" is 0 (no bound).
func parseValidity(s string, end bool) (uint64, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, nil
	}
	if t, err := time.ParseInLocation("2006-01-02", s, vnZone); err == nil {
		if end {
			t = t.AddDate(0, 0, 1)
		}
		return uint64(t.Unix()), nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return 0, cliErrf(errFormat, "date %q: want YYYY-MM-DD or an RFC 3339 time", s)
	}
	if t.Unix() <= 0 {
		return 0, cliErrf(errFormat, "date %q is before 1970", s)
	}
	return uint64(t.Unix()), nil
}

func parseResultID(s string) (uint64, error) {
	id, err := registry.ParseResultID(strings.TrimSpace(s))
	if err != nil {
		return 0, err
	}
	return id, nil
}

// issuedFrom decodes the ids in a write command's tx data (hex).
func issuedFrom(out *txOutput) ([]registry.IssuedResult, error) {
	return registry.DecodeIssued(out.Raw)
}

// cmdContext bounds a command's network work.
func cmdContext(cmd *cobra.Command, d time.Duration) (context.Context, context.CancelFunc) {
	return context.WithTimeout(cmd.Context(), d)
}

// seedResults issues the demo results from the ward key: one valid, one
// replaced (cấp đổi) and one revoked, with their files in the demo home,
// and names them in manifest["results"].
func seedResults(ctx context.Context, g *globals, c *client.Client, kr *keyring.Keyring, out io.Writer, manifest map[string]any) error {
	ward, err := kr.Signer("ward")
	if err != nil {
		return err
	}
	type demoFile struct{ name, text string }
	files := []demoFile{
		{"result-valid.txt", "UBND PHƯỜNG HẢI CHÂU\nGIẤY CHỨNG NHẬN ĐĂNG KÝ HỘ KINH DOANH\nSố: 32A8-0001 — demo\n"},
		{"result-replaced-old.txt", "UBND PHƯỜNG HẢI CHÂU\nGIẤY PHÉP XÂY DỰNG\nSố: 01/GPXD — bản cũ — demo\n"},
		{"result-revoked.txt", "UBND PHƯỜNG HẢI CHÂU\nGIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN\nSố: 15/XNHN — demo\n"},
		{"result-replaced-new.txt", "UBND PHƯỜNG HẢI CHÂU\nGIẤY PHÉP XÂY DỰNG\nSố: 01/GPXD — cấp đổi — demo\n"},
	}
	paths := map[string]string{}
	sums := map[string][]byte{}
	for _, f := range files {
		p := filepath.Join(g.home, f.name)
		if err := os.WriteFile(p, []byte(f.text), 0o644); err != nil {
			return err
		}
		s := sha256.Sum256([]byte(f.text))
		paths[f.name], sums[f.name] = p, s[:]
	}
	doc := func(file, procedure, docType, title, dossier string) registry.ResultDoc {
		return registry.ResultDoc{Procedure: procedure, DocType: docType, Title: title, DocHash: sums[file], Dossier: dossier}
	}
	salt, commitment, err := newCommitment(g.params(), registry.CommitHolder, "048099001234") // a demo CCCD number
	if err != nil {
		return err
	}
	valid := doc("result-valid.txt", "2.000720.000.00.00.H17", "Giấy chứng nhận", "Giấy chứng nhận đăng ký hộ kinh doanh", "000.26.17.H17-260102-0001")
	valid.Holder = commitment
	docs := []registry.ResultDoc{
		valid,
		doc("result-replaced-old.txt", "1.009994.000.00.00.H17", "Giấy phép", "Giấy phép xây dựng nhà ở riêng lẻ", "000.26.17.H17-260102-0002"),
		doc("result-revoked.txt", "1.001022.000.00.00.H17", "Giấy xác nhận", "Giấy xác nhận tình trạng hôn nhân", "000.26.17.H17-260102-0003"),
	}
	fmt.Fprintln(out, "Seeding: three administrative results from UBND phường Hải Châu ...")
	res, err := c.Submit(ctx, ward, registry.NewIssueResults(docs))
	if err != nil {
		return err
	}
	ids, err := registry.DecodeIssued(res.Data)
	if err != nil {
		return err
	}
	newDoc := docs[1]
	newDoc.DocHash = sums["result-replaced-new.txt"]
	newDoc.Procedure = "1.009995.000.00.00.H17"
	rep, err := c.Submit(ctx, ward, &registry.MsgSupersedeResult{ID: ids[1].ID, Kind: registry.OriginReplace, Doc: newDoc})
	if err != nil {
		return err
	}
	newID, err := registry.DecodeIssued(rep.Data)
	if err != nil {
		return err
	}
	rev, err := c.Submit(ctx, ward, &registry.MsgSetResultStatus{ID: ids[2].ID, Op: registry.OpRevoke, ReasonCode: 2,
		Reason: "Thu hồi do cấp sai đối tượng (demo)"})
	if err != nil {
		return err
	}
	entry := func(file string, id uint64) map[string]any {
		return map[string]any{"id": registry.FormatResultID(id), "file": paths[file], "sha256": hex.EncodeToString(sums[file])}
	}
	v := entry("result-valid.txt", ids[0].ID)
	v["height"], v["holder_salt"], v["holder"] = res.Height, hex.EncodeToString(salt), "048099001234"
	r := entry("result-replaced-old.txt", ids[1].ID)
	r["height"], r["replaced_by"], r["new_file"] = res.Height, registry.FormatResultID(newID[0].ID), paths["result-replaced-new.txt"]
	r["replacement_height"] = rep.Height
	x := entry("result-revoked.txt", ids[2].ID)
	x["height"], x["revoked_height"], x["reason"] = res.Height, rev.Height, "Thu hồi do cấp sai đối tượng (demo)"
	manifest["results"] = map[string]any{"valid": v, "replaced": r, "revoked": x}
	return nil
}

package main

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	cmttypes "github.com/cometbft/cometbft/types"
	"github.com/spf13/cobra"

	"github.com/danangchain/danangchain/client"
	"github.com/danangchain/danangchain/registry"
	"github.com/danangchain/danangchain/verification"
)

// verifyOffline checks a receipt with no network and reports the verdict
// "as of" the receipt's height and block time.
func verifyOffline(cmd *cobra.Command, g *globals, sum []byte, receiptFile, genesisFile string, maxAge time.Duration) error {
	if receiptFile == "" {
		return fmt.Errorf("--offline needs --receipt")
	}
	if genesisFile == "" {
		genesisFile = filepath.Join(g.home, "config", "genesis.json")
	}
	gen, err := cmttypes.GenesisDocFromFile(genesisFile)
	if err != nil {
		return fmt.Errorf("genesis: %w", err)
	}
	b, err := os.ReadFile(receiptFile)
	if err != nil {
		return err
	}
	vr, err := client.VerifyReceiptBytes(b, gen, nil)
	if err != nil {
		// A receipt that does not verify says nothing about the document:
		// nothing could be verified (exit 2, as for any failed proof).
		msg := verification.ErrorMessage(verification.SayBadReceipt, err)
		out := map[string]any{"status": "invalid_receipt", "valid": false, "error": err.Error(), "receipt_verified": false, "message": msg}
		if perr := g.print(cmd.OutOrStdout(), out, func(w io.Writer) {
			printPlainVerdict(w, msg, nil, func(w io.Writer) { fmt.Fprintf(w, "  the receipt does not verify: %v\n", err) })
		}); perr != nil {
			return perr
		}
		return &exitError{code: 2}
	}
	// A receipt proves one record: a file that is not that record's
	// document is "not this document", never "absence proven".
	if rec, derr := registry.DecodeResultRecord(vr.Value); derr == nil && sum != nil && !bytes.Equal(rec.DocHash, sum) {
		msg := verification.NewMessage(verification.SayMismatchReceipt, verification.Basis{Where: verification.FromReceipt,
			AsOf: vr.Time, Age: time.Since(vr.Time)})
		out := map[string]any{"status": "mismatch", "valid": false, "receipt_verified": true, "id": registry.FormatResultID(rec.ID),
			"sha256": hex.EncodeToString(sum), "receipt_sha256": hex.EncodeToString(rec.DocHash), "message": msg}
		if perr := g.print(cmd.OutOrStdout(), out, func(w io.Writer) {
			printPlainVerdict(w, msg, nil, func(w io.Writer) {
				fmt.Fprintf(w, "  the receipt is genuine but for result %s (document %x), not for this file (%x)\n",
					registry.FormatResultID(rec.ID), rec.DocHash, sum)
			})
		}); perr != nil {
			return perr
		}
		return &exitError{code: 1}
	}
	now := time.Now()
	v, err := client.EvaluateResultReceiptAt(vr, gen, sum, now)
	if err != nil {
		return err
	}
	age := now.Sub(vr.Time).Round(time.Second)
	tooOld := maxAge > 0 && age > maxAge
	status := verification.VerdictStatus(v.Status)
	switch {
	case tooOld:
		status = verification.SayReceiptOld
	case v.Valid():
		status = verification.SayReceiptValid
	}
	msg := verification.NewMessage(status, verification.Basis{Where: verification.FromReceipt, AsOf: vr.Time, Age: now.Sub(vr.Time)})
	view := v.View()
	out := struct {
		*client.VerdictView
		Offline         bool                  `json:"offline"`
		ReceiptVerified bool                  `json:"receipt_verified"`
		AsOfHeight      int64                 `json:"as_of_height"`
		AsOfTime        string                `json:"as_of_time"`
		AgeSeconds      int64                 `json:"receipt_age_seconds"`
		TooOld          bool                  `json:"receipt_too_old"`
		AppHash         string                `json:"app_hash"`
		Message         *verification.Message `json:"message"`
	}{view, true, true, vr.Height, vr.Time.In(client.ICT).Format("2006-01-02T15:04:05-07:00"), int64(age / time.Second), tooOld,
		hex.EncodeToString(vr.AppHash), msg}
	if err := g.print(cmd.OutOrStdout(), out, func(w io.Writer) {
		printPlainVerdict(w, msg, v, func(w io.Writer) {
			printVerdictText(w, v)
			fmt.Fprintf(w, "  offline receipt / biên nhận ngoại tuyến: signed by more than 2/3 of the validators; age / tuổi: %s\n", age)
			fmt.Fprintln(w, "  a receipt says nothing about later changes (revocation after its height): verify online for the present")
			if tooOld {
				fmt.Fprintf(w, "  older than --max-age %s: it cannot confirm the current state\n", maxAge)
			}
		})
	}); err != nil {
		return err
	}
	if tooOld && g.textOutput() {
		return &exitError{code: 2} // the text above says so
	}
	if tooOld {
		return &exitError{code: 2, msg: fmt.Sprintf("receipt is %s old, more than --max-age %s: it cannot confirm the current state / "+
			"biên nhận quá cũ, không xác nhận được tình trạng hiện tại", age, maxAge)}
	}
	if !v.Valid() {
		return &exitError{code: 1}
	}
	return nil
}

// verifyQR decodes a document's QR image and verifies the record it names.
func verifyQR(cmd *cobra.Command, g *globals, path string, file []byte) error {
	text, err := readQR(path)
	if err != nil {
		return err
	}
	idStr, shaHex, err := parseVerifyURL(text)
	if err != nil {
		return err
	}
	id, err := registry.ParseResultID(idStr)
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
		return reportNotCurrent(cmd, g, err)
	}
	if v.Record != nil && shaHex != "" && hex.EncodeToString(v.Record.DocHash) != shaHex {
		return mismatch(cmd, g, v, verification.SayMismatchQR, "the QR names document "+shaHex+", but result "+registry.FormatResultID(v.Record.ID)+" is for another: the QR may be forged",
			"mã QR không khớp với kết quả mà nó chỉ tới: mã QR có thể bị làm giả")
	}
	if v.Record != nil && file != nil && !bytes.Equal(v.Record.DocHash, file) {
		return mismatch(cmd, g, v, verification.SayMismatchFile, fmt.Sprintf("this file (%x) is not the document the QR names (%x)", file, v.Record.DocHash),
			"tệp này không phải tài liệu mà mã QR chỉ tới")
	}
	return reportVerdict(cmd, g, v)
}

// mismatch reports a document, QR and record that do not belong together
// (exit 1): the record is genuine, the paper or the QR is not it.
func mismatch(cmd *cobra.Command, g *globals, v *client.Verdict, status, en, vi string) error {
	view := v.View()
	msg := verification.NewMessage(status, onlineBasis(v))
	out := struct {
		*client.VerdictView
		Mismatch string                `json:"mismatch"`
		Message  *verification.Message `json:"message"`
	}{view, en, msg}
	out.Status, out.StatusVI, out.Valid = "mismatch", "Không khớp", false
	if err := g.print(cmd.OutOrStdout(), out, func(w io.Writer) {
		printPlainVerdict(w, msg, nil, func(w io.Writer) {
			fmt.Fprintf(w, "mismatch — Không khớp\n  %s\n  %s\n  (result %s is %s)\n", en, vi, view.ID, view.Status)
		})
	}); err != nil {
		return err
	}
	return &exitError{code: 1}
}

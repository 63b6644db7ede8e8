package main

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/danangchain/danangchain/registry"
)

// hashFile returns the SHA-256 of a file, streaming it.
func hashFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return nil, err
	}
	return h.Sum(nil), nil
}

func newQueryAnchorCmd(g *globals) *cobra.Command {
	var hashHex string
	cmd := &cobra.Command{
		Use:   "anchor [FILE]",
		Short: "Check whether a file (or --sha256) is anchored, with a verified proof",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var sum []byte
			var err error
			switch {
			case len(args) == 1:
				sum, err = hashFile(args[0])
			case hashHex != "":
				sum, err = parseHex("--sha256", hashHex, registry.HashSize)
			default:
				err = cliErrf(errUsage, "give FILE or --sha256")
			}
			if err != nil {
				return err
			}
			p, err := getVerified(cmd, g, registry.AnchorKey(sum))
			if err != nil {
				return err
			}
			out := map[string]any{"sha256": hex.EncodeToString(sum), "anchored": p.Value != nil, "proof": provenView(p)}
			var a *registry.Anchor
			if p.Value != nil {
				if a, err = registry.DecodeAnchor(p.Value); err != nil {
					return err
				}
				out["agency"] = a.Agency
				out["anchor_height"] = a.Height
				out["anchor_time"] = time.Unix(int64(a.Time), 0).In(vnZone).Format(time.RFC3339)
				out["signer"] = hex.EncodeToString(a.Signer)
			}
			// An anchor signed with a key declared compromised since a
			// height at or before it is not the agency's word.
			compromised := false
			if a != nil {
				kp, err := getVerified(cmd, g, registry.KeyRecordKey(a.Signer))
				if err != nil {
					return err
				}
				if kp.Value == nil {
					return fmt.Errorf("%w: the key that signed the anchor is proven absent", registry.ErrProofInvalid)
				}
				k, err := registry.DecodeKeyRecord(kp.Value)
				if err != nil {
					return err
				}
				out["signer_key_status"] = "active"
				if k.Revoked {
					out["signer_key_status"] = "revoked"
				}
				if k.SignedWhileCompromised(a.Height) {
					compromised = true
					out["signer_key_status"], out["signer_key_compromised_since"] = "compromised", k.CompromisedSince
				}
				out["valid"] = !compromised
			}
			err = g.print(cmd.OutOrStdout(), out, func(w io.Writer) {
				switch {
				case a == nil:
					fmt.Fprintf(w, "Chưa được neo (đã chứng minh không có ở khối %d) / NOT anchored (proven absent at height %d)\n", p.Height, p.Height)
				case compromised:
					fmt.Fprintf(w, "KHÔNG ĐƯỢC CÔNG NHẬN: neo bằng khóa %s đã bị báo lộ từ khối %d / NOT RECOGNISED: anchored with a key reported compromised since height %d\n",
						registry.KeyID(a.Signer), out["signer_key_compromised_since"], out["signer_key_compromised_since"])
				default:
					fmt.Fprintf(w, "Đã neo bởi %s ở khối %d, %s / Anchored by %s at height %d\nproof verified against header %d\n",
						a.Agency, a.Height, out["anchor_time"], a.Agency, a.Height, p.Header.Height)
				}
			})
			if err == nil && (a == nil || compromised) {
				return &exitError{code: 1}
			}
			return err
		},
	}
	cmd.Flags().StringVar(&hashHex, "sha256", "", "document SHA-256 (hex) instead of a file")
	return cmd
}

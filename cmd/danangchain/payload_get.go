package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/danangchain/danangchain/cas"
	"github.com/danangchain/danangchain/client"
)

func newPayloadGetCmd(g *globals) *cobra.Command {
	var out, gateway, key string
	cmd := &cobra.Command{
		Use:   "get CID --out FILE",
		Short: "Download and verify a payload / Tải và kiểm tra tệp",
		Long: `get downloads CID from a node's gateway as a CAR (?format=car), checks every
block against its CID and the whole DAG against CID, and only then writes
FILE (atomically). The gateway is trusted for nothing. --gateway defaults to
the API address of --home's node. --key decrypts an encrypted payload.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			root, err := cas.ParseCID(args[0])
			if err != nil {
				return cliErrf(errFormat, "%q is not a CID: %v", args[0], err)
			}
			if out == "" {
				return cliErrf(errUsage, "--out is required")
			}
			if err := checkFileArg(out); err != nil {
				return err
			}
			var k []byte
			if key != "" {
				if k, err = cas.ParseKey(key); err != nil {
					return err
				}
			}
			ctx, cancel := context.WithTimeout(cmd.Context(), 5*time.Minute)
			defer cancel()
			gw := apiURL(g, gateway)
			var buf bytes.Buffer
			n, err := client.FetchPayload(ctx, nil, gw, root, &buf, 0)
			if err != nil {
				return err
			}
			data := buf.Bytes()
			if k == nil && cas.LooksEncrypted(data) {
				// The bytes match their CID, but they are ciphertext: writing
				// them as the file would claim more than was done.
				return cliErrf(errUsage, "%s is an encrypted payload (its bytes match the CID): give --key to decrypt it; nothing written / "+
					"tệp đã mã hóa, cần --key", root)
			}
			if k != nil {
				var plain bytes.Buffer
				if _, err := cas.Decrypt(&plain, bytes.NewReader(data), k); err != nil {
					return err
				}
				data = plain.Bytes()
			}
			if err := writeFileAtomic(out, data); err != nil {
				return err
			}
			sum := sha256.Sum256(data)
			res := map[string]any{"cid": root.String(), "size": n, "out": out, "bytes_written": len(data), "verified": true,
				"decrypted": k != nil, "sha256": hex.EncodeToString(sum[:]), "gateway": gw}
			return g.print(cmd.OutOrStdout(), res, func(w io.Writer) {
				what := "bytes match the CID"
				if k != nil {
					what = "bytes match the CID, decrypted with --key"
				}
				fmt.Fprintf(w, "Verified %s (%d bytes; %s) from %s -> %s\n", root, n, what, gw, out)
			})
		},
	}
	cmd.Flags().StringVar(&out, "out", "", "file to write")
	cmd.Flags().StringVar(&gateway, "gateway", "", "gateway base URL (default: the API address of --home's node)")
	cmd.Flags().StringVar(&key, "key", "", "decryption key of an encrypted payload (64 hex digits)")
	return cmd
}

// writeFileAtomic writes a temp file next to path and renames it.
func writeFileAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".payload-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

package main

import (
	"context"
	"fmt"
	"io"
	"mime"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/danangchain/danangchain/cas"
	"github.com/danangchain/danangchain/client"
	"github.com/danangchain/danangchain/registry"
)

func newPayloadAddCmd(g *globals) *cobra.Command {
	var (
		from, mediaType string
		encrypt, quiet  bool
	)
	cmd := &cobra.Command{
		Use:   "add FILE",
		Short: "Store a file on every validator and publish it / Lưu và công bố tệp",
		Long: `add imports FILE with Kubo's parameters (` + cas.KuboFlags + `), sends its
blocks through consensus (transactions of at most 1.5 MiB) and publishes the
root CID for your agency. When it returns, every validator holds the file and
serves it at /ipfs/CID. Files above 64 MiB are refused before anything is sent.

--encrypt is for personal data: the file is encrypted here with a new random
key (XChaCha20-Poly1305); the chain and the nodes see only ciphertext. The key
is printed once: give it to the data subject (e.g. in the receipt or QR) and
destroy every copy to erase the data (crypto-erasure).`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkFileArg(args[0]); err != nil {
				return err
			}
			if encrypt && mediaType != "" {
				return cliErrf(errUsage, "--media-type cannot be used with --encrypt (what a personal document is stays off chain)")
			}
			f, err := os.Open(args[0])
			if err != nil {
				return err
			}
			defer f.Close()
			fi, err := f.Stat()
			if err != nil {
				return err
			}
			if !fi.Mode().IsRegular() {
				return cliErrf(errFormat, "%s is not a regular file", args[0])
			}
			if fi.Size() > registry.MaxPayloadSize || (encrypt && cas.CiphertextSize(fi.Size()) > registry.MaxPayloadSize) {
				return registry.Errorf(registry.ErrOversize, "%s is %d bytes: payloads travel through consensus and are limited to %d MiB", args[0], fi.Size(), registry.MaxPayloadSize>>20)
			}
			if mediaType == "" && !encrypt {
				mediaType = detectMediaType(f, args[0])
			}
			s, err := g.signer(from)
			if err != nil {
				return err
			}
			c, err := g.client()
			if err != nil {
				return err
			}
			ctx, cancel := context.WithTimeout(cmd.Context(), 10*time.Minute)
			defer cancel()
			errw := cmd.ErrOrStderr()
			lastPct := -1
			opts := client.PayloadOptions{MediaType: mediaType, Encrypt: encrypt, Progress: func(done, total uint64) {
				pct := int(done * 100 / max(total, 1))
				if !quiet && (pct/10 != lastPct/10 || done == total) {
					fmt.Fprintf(errw, "payload: %.1f / %.1f MiB uploaded (%d%%)\n", float64(done)/(1<<20), float64(total)/(1<<20), pct)
					lastPct = pct
				}
			}}
			res, err := c.AddPayload(ctx, s, f, opts)
			if err != nil {
				return err
			}
			out := map[string]any{"cid": res.CID, "size": res.Size, "file_size": fi.Size(), "blocks": res.Blocks,
				"upload_txs": res.UploadTxs, "height": res.Height, "tx_hash": fmt.Sprintf("%X", res.TxHash),
				"media_type": mediaType, "encrypted": encrypt, "new": res.Published, "kubo_flags": cas.KuboFlags}
			if encrypt {
				out["key"] = cas.FormatKey(res.Key)
			}
			return g.print(cmd.OutOrStdout(), out, func(w io.Writer) {
				fmt.Fprintf(w, "Published %s (%d bytes, %d blocks) at height %d\n", res.CID, res.Size, res.Blocks, res.Height)
				if encrypt {
					fmt.Fprintf(w, "Decryption key (shown once; destroying it erases the data): %s\n", cas.FormatKey(res.Key))
				}
				if encrypt {
					// The CID is of the ciphertext, which exists only here and
					// on chain: Kubo can check it on the downloaded bytes.
					// The CID is of the ciphertext (the plaintext never left
					// this machine): Kubo checks it on the gateway's bytes.
					fmt.Fprintf(w, "Check with Kubo (the CID is of the ciphertext): curl -s %s/ipfs/%s -o enc.bin && ipfs add %s -Q enc.bin\n",
						apiURL(g, ""), res.CID, cas.KuboFlags)
				} else {
					fmt.Fprintf(w, "Check with Kubo: ipfs add %s -Q %s\n", cas.KuboFlags, filepath.Base(args[0]))
				}
			})
		},
	}
	cmd.Flags().StringVar(&from, "from", "", "agency key name")
	cmd.Flags().StringVar(&mediaType, "media-type", "", "media type, e.g. image/jpeg (default: from the extension or content; none with --encrypt)")
	cmd.Flags().BoolVar(&encrypt, "encrypt", false, "encrypt on this machine with a new per-document key (personal data)")
	cmd.Flags().BoolVar(&quiet, "quiet", false, "no progress lines on stderr")
	return cmd
}

// detectMediaType guesses from the extension, else the first 512 bytes;
// "" when unsure or not a valid record value.
func detectMediaType(f *os.File, name string) string {
	t := mime.TypeByExtension(strings.ToLower(filepath.Ext(name)))
	if t == "" {
		head := make([]byte, 512)
		n, _ := f.Read(head)
		_, _ = f.Seek(0, io.SeekStart)
		t = http.DetectContentType(head[:n])
	}
	t, _, _ = strings.Cut(t, ";")
	t = strings.ToLower(strings.TrimSpace(t))
	if (&registry.MsgPublishPayload{CID: registry.FormatPayloadCID(registry.BlockCID(registry.CodecRaw, nil)), MediaType: t}).ValidateBasic() != nil {
		return ""
	}
	return t
}

package main

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/danangchain/danangchain/client"
	"github.com/danangchain/danangchain/registry"
)

// publishFiles turns --photo/--certificate arguments into CIDs: a CID is
// kept as given; a file is published to the payload store (signed by
// from, every validator then holds it and every node's gateway serves
// it), so the page can show what the record names. Returns sorted,
// unique CIDs.
func publishFiles(cmd *cobra.Command, g *globals, from, what string, args []string) ([]string, error) {
	out := make([]string, 0, len(args))
	var c *client.Client
	var s client.Signer
	for _, a := range args {
		a = strings.TrimSpace(a)
		if registry.CheckCID(a) == nil {
			out = append(out, a)
			continue
		}
		f, err := os.Open(a)
		if err != nil {
			return nil, cliErrf(errFile, "--%s %q is neither a CID (bafy…) nor a readable file: %v", what, a, err)
		}
		defer f.Close()
		if c == nil {
			if s, err = g.signer(from); err != nil {
				return nil, err
			}
			if c, err = g.client(); err != nil {
				return nil, err
			}
		}
		ctx, cancel := context.WithTimeout(cmd.Context(), 10*time.Minute)
		res, err := c.AddPayload(ctx, s, f, client.PayloadOptions{MediaType: detectMediaType(f, a)})
		cancel()
		if err != nil {
			return nil, fmt.Errorf("--%s %s: upload: %w", what, a, err)
		}
		fmt.Fprintf(cmd.ErrOrStderr(), "Đã tải lên / uploaded %s: %s (%d bytes)\n", a, res.CID, res.Size)
		out = append(out, res.CID)
	}
	out, _ = sortUniqueStrings(out)
	return out, nil
}

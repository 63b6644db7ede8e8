package main

import (
	"encoding/hex"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/danangchain/danangchain/client"
)

type provenJSON struct {
	Key           string `json:"key"`
	Value         string `json:"value,omitempty"`
	Exists        bool   `json:"exists"`
	Height        int64  `json:"height"`
	AppHash       string `json:"app_hash"`
	HeaderHeight  int64  `json:"header_height"`
	Proof         string `json:"proof"`
	ProofVerified bool   `json:"proof_verified"`
}

func provenView(p *client.Proven) provenJSON {
	return provenJSON{Key: hex.EncodeToString(p.Key), Value: hex.EncodeToString(p.Value), Exists: p.Value != nil,
		Height: p.Height, AppHash: p.Header.AppHash.String(), HeaderHeight: p.Header.Height,
		Proof: hex.EncodeToString(p.Proof), ProofVerified: true}
}

func newQueryRawCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "raw KEY_HEX",
		Short: "Read one raw state key (hex) with its verified proof",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			key, err := parseHex("KEY_HEX", args[0], 0)
			if err != nil {
				return err
			}
			p, err := getVerified(cmd, g, key)
			if err != nil {
				return err
			}
			v := provenView(p)
			return g.print(cmd.OutOrStdout(), v, func(w io.Writer) {
				fmt.Fprintf(w, "key    %s\nexists %v\nvalue  %s\nheight %d (app hash %s from verified header %d)\nproof verified: yes\n",
					v.Key, v.Exists, v.Value, v.Height, v.AppHash, v.HeaderHeight)
			})
		},
	}
}

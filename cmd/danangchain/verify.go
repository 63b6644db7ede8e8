package main

import (
	"github.com/spf13/cobra"
)

func newVerifyCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:    "verify",
		Short:  "Verify a document, receipt or QR / Xác minh",
		Hidden: true,
	}
}

package main

import (
	"github.com/spf13/cobra"
)

func newAgencyCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "agency",
		Short: "List and show registered agencies / Cơ quan, tổ chức",
	}
	cmd.AddCommand(newAgencyListCmd(g), newAgencyShowCmd(g))
	return cmd
}

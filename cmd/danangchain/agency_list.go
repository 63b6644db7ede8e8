package main

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/danangchain/danangchain/registry"
)

type agencyJSON struct {
	ID      string   `json:"id"`
	Name    string   `json:"name"`
	Roles   []string `json:"roles"`
	Status  string   `json:"status"`
	Created uint64   `json:"created_height"`
}

func agencyView(a *registry.Agency) agencyJSON {
	return agencyJSON{a.ID, a.Name, a.Roles, a.Status.String(), a.CreatedHeight}
}

func newAgencyListCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "List agencies",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			kvs, h, err := listPrefix(cmd, g, []byte{registry.PrefixAgency})
			if err != nil {
				return err
			}
			views := []agencyJSON{}
			for _, kv := range kvs {
				a, err := registry.DecodeAgency(kv.Value)
				if err != nil {
					return err
				}
				views = append(views, agencyView(a))
			}
			return g.print(cmd.OutOrStdout(), map[string]any{"height": h, "agencies": views, "entries_proven": true, "complete_proven": false, "note": listNote}, func(w io.Writer) {
				fmt.Fprintln(w, listNote)
				for _, v := range views {
					fmt.Fprintf(w, "%-32s %-10s %s %v\n", v.ID, v.Status, v.Name, v.Roles)
				}
			})
		},
	}
}

package main

import (
	"encoding/hex"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/danangchain/danangchain/client/keyring"
	"github.com/danangchain/danangchain/registry"
)

func newKeysCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "keys",
		Short: "Manage signing keys in <home>/keyring / Quản lý khóa ký",
	}
	cmd.AddCommand(newKeysAddCmd(g), newKeysListCmd(g), newKeysShowCmd(g), newKeysExportCmd(g), newKeysImportCmd(g), newKeysDeleteCmd(g))
	cmd.AddCommand(newKeysRegisterOfficialCmd(g), newKeysRevokeOfficialCmd(g))
	return cmd
}

type keyView struct {
	Name    string `json:"name"`
	PubKey  string `json:"pub_key"`
	KeyID   string `json:"key_id"`
	Backend string `json:"backend"`
}

func viewOf(i keyring.Info) keyView {
	return keyView{i.Name, hex.EncodeToString(i.PubKey), registry.KeyID(i.PubKey), string(i.Backend)}
}

func printKey(g *globals, w io.Writer, i keyring.Info) error {
	v := viewOf(i)
	return g.print(w, v, func(w io.Writer) {
		fmt.Fprintf(w, "%s\n  pub_key %s\n  key_id  %s\n", v.Name, v.PubKey, v.KeyID)
	})
}

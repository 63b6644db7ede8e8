package main

import (
	"encoding/hex"
	"fmt"
	"io"
	"os"

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

func newKeysAddCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "add NAME",
		Short: "Create a new ed25519 key",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			kr, err := g.keyring()
			if err != nil {
				return err
			}
			info, err := kr.Add(args[0])
			if err != nil {
				return err
			}
			return printKey(g, cmd.OutOrStdout(), *info)
		},
	}
}

func newKeysListCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "List keys",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			kr, err := g.keyring()
			if err != nil {
				return err
			}
			infos, err := kr.List()
			if err != nil {
				return err
			}
			views := make([]keyView, 0, len(infos))
			for _, i := range infos {
				views = append(views, viewOf(i))
			}
			return g.print(cmd.OutOrStdout(), map[string]any{"keys": views}, func(w io.Writer) {
				for _, v := range views {
					fmt.Fprintf(w, "%-16s %s\n", v.Name, v.PubKey)
				}
			})
		},
	}
}

func newKeysShowCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "show NAME",
		Short: "Show a key's public key",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			kr, err := g.keyring()
			if err != nil {
				return err
			}
			info, err := kr.Show(args[0])
			if err != nil {
				return err
			}
			return printKey(g, cmd.OutOrStdout(), *info)
		},
	}
}

func exportPassphrase() ([]byte, error) {
	if p, ok := os.LookupEnv("DANANGCHAIN_EXPORT_PASSPHRASE"); ok {
		return []byte(p), nil
	}
	return nil, fmt.Errorf("set DANANGCHAIN_EXPORT_PASSPHRASE to protect the exported key")
}

func newKeysExportCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "export NAME",
		Short: "Print a key encrypted with DANANGCHAIN_EXPORT_PASSPHRASE (armored)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			kr, err := g.keyring()
			if err != nil {
				return err
			}
			pass, err := exportPassphrase()
			if err != nil {
				return err
			}
			b, err := kr.Export(args[0], pass)
			if err != nil {
				return err
			}
			_, err = cmd.OutOrStdout().Write(append(b, '\n'))
			return err
		},
	}
}

func newKeysImportCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "import NAME FILE",
		Short: "Import a key exported with 'keys export'",
		Args:  cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			kr, err := g.keyring()
			if err != nil {
				return err
			}
			pass, err := exportPassphrase()
			if err != nil {
				return err
			}
			b, err := os.ReadFile(args[1])
			if err != nil {
				return err
			}
			info, err := kr.Import(args[0], b, pass)
			if err != nil {
				return err
			}
			return printKey(g, cmd.OutOrStdout(), *info)
		},
	}
}

func newKeysDeleteCmd(g *globals) *cobra.Command {
	var yes bool
	cmd := &cobra.Command{
		Use:   "delete NAME",
		Short: "Delete a key (requires --yes)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if !yes {
				return fmt.Errorf("deleting a key cannot be undone: pass --yes")
			}
			kr, err := g.keyring()
			if err != nil {
				return err
			}
			return kr.Delete(args[0])
		},
	}
	cmd.Flags().BoolVar(&yes, "yes", false, "confirm")
	return cmd
}

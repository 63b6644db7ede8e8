package main

import (
	"fmt"
	"io"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/danangchain/danangchain/node"
)

func newUnsafeResetAllCmd(g *globals) *cobra.Command {
	var (
		yes          bool
		backup       string
		keepAddrBook bool
		keepPayloads bool
		resetSigning bool
	)
	cmd := &cobra.Command{
		Use:   "unsafe-reset-all",
		Short: "Delete a stopped node's chain data, keeping keys and signing state / Xóa dữ liệu chuỗi của nút",
		Long: `unsafe-reset-all deletes the block store, CometBFT state, consensus WAL, evidence,
tx index, application state, snapshots and address book of a stopped node, so
that it syncs again from its peers. Configuration and keys stay.

Payload blocks (data/payloads) go too unless --keep-payloads. It refuses to
run without --yes. It first copies priv_validator_key.json,
priv_validator_state.json and node_key.json to --backup-dir (default
<home>/backup/reset-<time>), then KEEPS the signing state in place (unlike
CometBFT's command): a validator that syncs again must never sign a height it
already signed, the classic path to double-signing. --reset-signing-state
resets it too, which is only safe for a brand-new chain.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if !yes {
				return cliErrf(errUsage, "refusing to delete the chain data of %s without --yes", g.home)
			}
			if backup == "" {
				backup = filepath.Join(g.home, "backup", "reset-"+time.Now().UTC().Format("20060102T150405Z"))
			}
			removed, err := node.ResetData(g.home, node.ResetOptions{BackupDir: backup, KeepAddrBook: keepAddrBook,
				KeepPayloads: keepPayloads, ResetSigningState: resetSigning})
			if err != nil {
				return err
			}
			return g.print(cmd.OutOrStdout(), map[string]any{"removed": removed, "backup_dir": backup, "signing_state_reset": resetSigning},
				func(w io.Writer) {
					for _, r := range removed {
						fmt.Fprintf(w, "removed %s\n", r)
					}
					fmt.Fprintf(w, "Keys and signing state backed up to %s\n", backup)
					if resetSigning {
						fmt.Fprintln(w, "Signing state reset to height 0: only safe on a brand-new chain")
					} else {
						fmt.Fprintln(w, "Signing state kept: the validator will not sign again at heights it already signed")
					}
				})
		},
	}
	f := cmd.Flags()
	f.BoolVar(&yes, "yes", false, "really delete the data")
	f.StringVar(&backup, "backup-dir", "", "where to copy the keys and signing state first (default <home>/backup/reset-<time>)")
	f.BoolVar(&keepAddrBook, "keep-addr-book", false, "keep config/addrbook.json")
	f.BoolVar(&keepPayloads, "keep-payloads", false, "keep the payload block store (data/payloads), e.g. for a chain started from an exported genesis")
	f.BoolVar(&resetSigning, "reset-signing-state", false, "also reset priv_validator_state.json to height 0 (double-sign risk on a running chain)")
	return cmd
}

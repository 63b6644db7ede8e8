package node

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/cometbft/cometbft/privval"
)

// ResetOptions tune ResetData.
type ResetOptions struct {
	// BackupDir receives copies of the validator key, the signing state and
	// the node key before anything is removed (required).
	BackupDir string
	// KeepAddrBook keeps config/addrbook.json.
	KeepAddrBook bool
	// KeepPayloads keeps the payload block store (data/payloads):
	// content-addressed, its blocks stay valid for a chain started from an
	// exported genesis, and a node restored by state sync would otherwise
	// have to fetch them again (payload verify --repair-from).
	KeepPayloads bool
	// ResetSigningState also resets data/priv_validator_state.json to
	// height 0. Only for a validator joining a brand-new chain: on a
	// running chain it lets the validator sign a second, different vote
	// for a height it already voted on (double-signing).
	ResetSigningState bool
}

// ResetData deletes a stopped node's chain data: the block store, CometBFT
// state, consensus WAL, evidence, tx index, application state and its
// snapshots (everything in data/ but the signing state) and the address
// book. Keys and configuration stay. The signing state is first copied to
// o.BackupDir with the keys, then kept in place: a reset validator that
// syncs again does not sign at a height it has already signed.
func ResetData(home string, o ResetOptions) (removed []string, err error) {
	if o.BackupDir == "" {
		return nil, fmt.Errorf("reset: a backup directory is required")
	}
	conf, err := LoadCometConfig(home)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(o.BackupDir, 0o700); err != nil {
		return nil, err
	}
	for _, f := range []string{conf.PrivValidatorKeyFile(), conf.PrivValidatorStateFile(), conf.NodeKeyFile()} {
		if err := copyFile(f, filepath.Join(o.BackupDir, filepath.Base(f))); err != nil && !os.IsNotExist(err) {
			return nil, fmt.Errorf("backup %s: %w", f, err)
		}
	}
	entries, err := os.ReadDir(conf.DBDir())
	if err != nil && !os.IsNotExist(err) {
		return nil, err
	}
	keep := map[string]bool{filepath.Clean(conf.PrivValidatorStateFile()): true}
	if o.KeepPayloads {
		keep[filepath.Clean(PayloadDir(home))] = true
	}
	for _, e := range entries {
		p := filepath.Join(conf.DBDir(), e.Name())
		if keep[filepath.Clean(p)] {
			continue
		}
		if err := os.RemoveAll(p); err != nil {
			return removed, err
		}
		removed = append(removed, p)
	}
	if !o.KeepAddrBook {
		if err := os.Remove(conf.P2P.AddrBookFile()); err == nil {
			removed = append(removed, conf.P2P.AddrBookFile())
		}
	}
	if o.ResetSigningState {
		if _, err := os.Stat(conf.PrivValidatorKeyFile()); err == nil {
			privval.LoadFilePVEmptyState(conf.PrivValidatorKeyFile(), conf.PrivValidatorStateFile()).Reset()
		}
	}
	return removed, nil
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

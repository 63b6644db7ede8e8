package main

import (
	"encoding/hex"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/danangchain/danangchain/registry"
)

// recordKeyForID maps a record id to its state key. Record families
// register their id forms here.
func recordKeyForID(id string) ([]byte, error) {
	if n, err := registry.ParseResultID(id); err == nil {
		return registry.ResultKey(n), nil
	}
	return nil, cliErrf(errUsage, "unknown record id %q (give --key or --anchor)", id)
}

// recordDocHash returns the document SHA-256 (hex) of a record id, read
// with a verified proof. Record families register their id forms here.
func recordDocHash(cmd *cobra.Command, g *globals, id string) (string, error) {
	n, err := registry.ParseResultID(id)
	if err != nil {
		return "", cliErrf(errUsage, "record %q: give --sha256", id)
	}
	p, err := getVerified(cmd, g, registry.ResultKey(n))
	if err != nil {
		return "", err
	}
	if p.Value == nil {
		return "", fmt.Errorf("%w: result %s", registry.ErrNotFound, id)
	}
	rec, err := registry.DecodeResultRecord(p.Value)
	if err != nil {
		return "", err
	}
	return hex.EncodeToString(rec.DocHash), nil
}

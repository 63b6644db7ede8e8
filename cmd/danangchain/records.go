package main

import (
	"encoding/hex"
	"fmt"

	"github.com/spf13/cobra"
)

// recordKeyForID maps a record id to its state key. Record families
// register their id forms here.
func recordKeyForID(id string) ([]byte, error) {
	if b, err := hex.DecodeString(id); err == nil && len(b) > 0 {
		return b, nil
	}
	return nil, fmt.Errorf("unknown record id %q (give --key or --anchor)", id)
}

// recordDocHash returns the document SHA-256 (hex) of a record id, read
// with a verified proof. Record families register their id forms here.
func recordDocHash(cmd *cobra.Command, g *globals, id string) (string, error) {
	return "", fmt.Errorf("record %q: give --sha256", id)
}

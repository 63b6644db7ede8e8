package main

import (
	"encoding/hex"
	"strings"
)

// parseHex decodes a hex argument named what; size > 0 requires that many
// bytes. Its error names the argument and the expected form, never
// encoding/hex's message.
func parseHex(what, s string, size int) ([]byte, error) {
	b, err := hex.DecodeString(strings.TrimSpace(s))
	if err != nil || (size > 0 && len(b) != size) {
		if size > 0 {
			return nil, cliErrf(errFormat, "%s %q: want %d hexadecimal characters (0-9, a-f)", what, s, 2*size)
		}
		return nil, cliErrf(errFormat, "%s %q: want hexadecimal characters (0-9, a-f), an even number of them", what, s)
	}
	return b, nil
}

package main

import (
	"bytes"
	"io"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestPrintValue checks -o value=FIELD: one field of the JSON output, a
// string bare and anything else as JSON, so that a shell can capture it.
func TestPrintValue(t *testing.T) {
	type row struct {
		Home string
		RPC  string `json:"rpc"`
	}
	v := map[string]any{"id": "12", "height": uint64(1<<60 + 1), "new": true, "html": "<a&b>",
		"nodes": []row{{"testnet/node0", "127.0.0.1:26601"}, {"testnet/node1", "127.0.0.1:26611"}}}
	text := func(w io.Writer) { io.WriteString(w, "text\n") }
	for _, tc := range []struct{ output, want, err string }{
		{"value=id", "12\n", ""},
		{"value=height", "1152921504606846977\n", ""},
		{"value=new", "true\n", ""},
		{"value=html", "<a&b>\n", ""},
		{"value=nodes.1.rpc", "127.0.0.1:26611\n", ""},
		{"value=nodes.0", `{"Home":"testnet/node0","rpc":"127.0.0.1:26601"}` + "\n", ""},
		{"text", "text\n", ""},
		{"value=cid", "", `no field "cid" (it has: height, html, id, new, nodes)`},
		{"value=nodes.2", "", `"2" is not an index of a list of 2`},
		{"value=id.x", "", `"x": the value before it is not an object or a list`},
		{"yaml", "", "unknown output format"},
	} {
		var out bytes.Buffer
		err := (&globals{output: tc.output}).print(&out, v, text)
		if tc.err != "" {
			require.ErrorContains(t, err, tc.err, tc.output)
			continue
		}
		require.NoError(t, err, tc.output)
		require.Equal(t, tc.want, out.String(), tc.output)
	}
}

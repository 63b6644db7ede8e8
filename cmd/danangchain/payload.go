package main

import (
	"net"
	"strings"

	"github.com/spf13/cobra"

	"github.com/danangchain/danangchain/cas"
	"github.com/danangchain/danangchain/node"
)

func newPayloadCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "payload",
		Short: "Content-addressed payloads (IPFS) / Tệp công khai định danh theo nội dung",
		Long: `payload stores the public files behind records — product photos, certificates,
public decisions — as UnixFS DAGs with the CIDs Kubo computes
(ipfs add ` + cas.KuboFlags + `). The bytes travel through consensus, so
every validator holds every published payload; each node serves them on its
API address as an IPFS trustless gateway (GET /ipfs/{cid}, ?format=raw|car).
Personal data is encrypted on this machine first (--encrypt). See docs/payloads.md.`,
	}
	cmd.AddCommand(newPayloadAddCmd(g), newPayloadGetCmd(g), newPayloadReleaseCmd(g), newPayloadGCCmd(g), newPayloadVerifyCmd(g))
	return cmd
}

// apiURL is the node HTTP API (and IPFS gateway) address: flag when set
// (--api, --gateway), else http://<api_addr of <home>/config/app.toml>,
// with a wildcard listen host replaced by 127.0.0.1.
func apiURL(g *globals, flag string) string {
	if flag != "" {
		if !strings.Contains(flag, "://") {
			flag = "http://" + flag
		}
		return strings.TrimRight(flag, "/")
	}
	addr := node.DefaultAppConfig().APIAddr
	if c, err := node.LoadAppConfig(g.home); err == nil && c.APIAddr != "" {
		addr = c.APIAddr
	}
	if h, p, err := net.SplitHostPort(addr); err == nil && (h == "" || h == "0.0.0.0" || h == "::") {
		addr = net.JoinHostPort("127.0.0.1", p)
	}
	return "http://" + addr
}

// checkFileArg refuses file names with NUL or control characters.
func checkFileArg(name string) error {
	if name == "" || strings.ContainsFunc(name, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		return cliErrf(errFormat, "file name %q: empty or with control characters", name)
	}
	return nil
}

package main

import (
	"fmt"
	"io"
	"path/filepath"

	cmtcfg "github.com/cometbft/cometbft/config"
	"github.com/spf13/cobra"

	"github.com/danangchain/danangchain/node"
)

// applyDemoPorts writes the address flags the user gave explicitly into an
// existing demo home (config.toml, app.toml, client.toml), so that
// `demo --api-addr …` on a second run does what it says instead of
// silently keeping the old ports. It reports every change.
func applyDemoPorts(cmd *cobra.Command, g *globals, rpc, p2p, api, prom string, out io.Writer) error {
	changed := func(name string) bool { return cmd.Flags().Changed(name) }
	if !changed("rpc-addr") && !changed("p2p-addr") && !changed("api-addr") && !changed("prometheus-addr") {
		return nil
	}
	conf, err := node.LoadCometConfig(g.home)
	if err != nil {
		return err
	}
	acfg, err := node.LoadAppConfig(g.home)
	if err != nil {
		return err
	}
	var notes []string
	set := func(flag, value string, field *string, prefix string) {
		if changed(flag) && *field != prefix+value {
			notes = append(notes, fmt.Sprintf("--%s: %s → %s", flag, *field, prefix+value))
			*field = prefix + value
		}
	}
	set("rpc-addr", rpc, &conf.RPC.ListenAddress, "tcp://")
	set("p2p-addr", p2p, &conf.P2P.ListenAddress, "tcp://")
	set("prometheus-addr", prom, &conf.Instrumentation.PrometheusListenAddr, "")
	set("api-addr", api, &acfg.APIAddr, "")
	if len(notes) == 0 {
		return nil
	}
	cmtcfg.WriteConfigFile(filepath.Join(g.home, "config", "config.toml"), conf)
	if err := node.WriteAppConfig(g.home, acfg); err != nil {
		return err
	}
	cc := g.clientConfig()
	if changed("rpc-addr") {
		cc.Node = "http://" + rpc
	}
	if err := writeClientConfig(g.home, cc); err != nil {
		return err
	}
	for _, n := range notes {
		fmt.Fprintf(out, "Đổi địa chỉ trong %s / Address changed in %s: %s\n", g.home, g.home, n)
	}
	return nil
}

package main

import (
	"bytes"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/danangchain/danangchain/node"
)

// demo --api-addr/--rpc-addr on an existing home apply, and say so.
func TestDemoPortsOnExistingHome(t *testing.T) {
	home := filepath.Join(t.TempDir(), "demo")
	_, err := setupNetwork(demoChainID, []netNode{{home: home, moniker: "city-node-0",
		p2p: "127.0.0.1:26656", rpc: "127.0.0.1:26657", api: "127.0.0.1:1317", prom: "127.0.0.1:26660"}}, "")
	require.NoError(t, err)
	g := &globals{home: home}
	cmd := newDemoCmd(g)
	var out bytes.Buffer
	// No flag given: nothing changes, nothing printed.
	require.NoError(t, applyDemoPorts(cmd, g, "127.0.0.1:26657", "127.0.0.1:26656", "127.0.0.1:1317", "127.0.0.1:26660", &out))
	assert.Empty(t, out.String())

	require.NoError(t, cmd.Flags().Set("api-addr", "127.0.0.1:2317"))
	require.NoError(t, cmd.Flags().Set("rpc-addr", "127.0.0.1:27657"))
	require.NoError(t, applyDemoPorts(cmd, g, "127.0.0.1:27657", "127.0.0.1:26656", "127.0.0.1:2317", "127.0.0.1:26660", &out))
	assert.Contains(t, out.String(), "--api-addr: 127.0.0.1:1317 → 127.0.0.1:2317")
	assert.Contains(t, out.String(), "--rpc-addr: tcp://127.0.0.1:26657 → tcp://127.0.0.1:27657")
	conf, err := node.LoadCometConfig(home)
	require.NoError(t, err)
	assert.Equal(t, "tcp://127.0.0.1:27657", conf.RPC.ListenAddress)
	acfg, err := node.LoadAppConfig(home)
	require.NoError(t, err)
	assert.Equal(t, "127.0.0.1:2317", acfg.APIAddr)
	assert.Equal(t, "http://127.0.0.1:27657", g.clientConfig().Node)
}

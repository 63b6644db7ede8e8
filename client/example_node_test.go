package client_test

import (
	"context"
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/danangchain/danangchain/client"
	"github.com/danangchain/danangchain/client/keyring"
	"github.com/danangchain/danangchain/node"
	"github.com/danangchain/danangchain/registry"
)

// The examples run against a real in-process node (CometBFT + the
// DanangChain app over IAVL), started once for the package's tests.
var (
	exampleURL  string
	exampleHome string
)

const exampleChain = "danang-example"

func seed(b byte) []byte {
	s := make([]byte, 32)
	for i := range s {
		s[i] = b
	}
	return s
}

func TestMain(m *testing.M) {
	flag.Parse()
	// Fuzzing (-fuzz) runs no example; its worker processes run TestMain
	// too and would all start a node on the same ports.
	if f := flag.Lookup("test.fuzz"); f != nil && f.Value.String() != "" {
		os.Exit(m.Run())
	}
	if f := flag.Lookup("test.fuzzworker"); f != nil && f.Value.String() == "true" {
		os.Exit(m.Run())
	}
	home, err := os.MkdirTemp("", "danang-example-")
	if err != nil {
		panic(err)
	}
	n, err := startExampleNode(home)
	if err != nil {
		fmt.Fprintln(os.Stderr, "example node:", err)
		os.Exit(1)
	}
	code := m.Run()
	_ = n.Stop()
	os.RemoveAll(home)
	os.Exit(code)
}

func startExampleNode(home string) (*node.Node, error) {
	conf := node.DefaultCometConfig(home, "example-node")
	conf.P2P.ListenAddress = "tcp://127.0.0.1:31056"
	conf.RPC.ListenAddress = "tcp://127.0.0.1:31057"
	conf.Consensus.TimeoutCommit = 300 * time.Millisecond
	conf.Instrumentation.Prometheus = false
	acfg := node.DefaultAppConfig()
	acfg.APIAddr = "127.0.0.1:31017"
	acfg.LogLevel = "error"
	info, err := node.InitHome(home, conf, acfg)
	if err != nil {
		return nil, err
	}
	kr, err := keyring.New(filepath.Join(home, "keyring"), keyring.BackendTest, nil)
	if err != nil {
		return nil, err
	}
	st := registry.GenesisState{Params: registry.DefaultParams()}
	for i, name := range []string{"council1", "council2", "council3"} {
		k, err := kr.ImportSeed(name, seed(byte(1+i)))
		if err != nil {
			return nil, err
		}
		st.Council = append(st.Council, registry.GenesisMember{Name: "Hội đồng " + name, PubKey: hex.EncodeToString(k.PubKey)})
	}
	for i, a := range []struct {
		key, id, name string
		roles         []string
	}{
		{"ward", "ubnd-phuong-hai-chau", "UBND phường Hải Châu", []string{registry.RolePayloadPublisher, registry.RoleResultIssuer}},
		{"farm", "trang-trai-hoa-vang", "Trang trại heo Hòa Vang", []string{registry.RoleFoodBusiness}},
	} {
		k, err := kr.ImportSeed(a.key, seed(byte(10+i)))
		if err != nil {
			return nil, err
		}
		st.Agencies = append(st.Agencies, registry.GenesisAgency{ID: a.id, Name: a.name, Roles: a.roles, Keys: []string{hex.EncodeToString(k.PubKey)}})
	}
	gen, err := node.NewGenesis(exampleChain, []*node.HomeInfo{info}, 10, st)
	if err != nil {
		return nil, err
	}
	if err := node.WriteGenesis(home, gen); err != nil {
		return nil, err
	}
	n, err := node.New(home, node.Options{LogWriter: io.Discard, DisableCometMetrics: true})
	if err != nil {
		return nil, err
	}
	if err := n.Start(); err != nil {
		return nil, err
	}
	exampleURL, exampleHome = "http://127.0.0.1:31057", home
	c, err := client.New(exampleURL)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	for {
		if st, err := c.Status(ctx); err == nil && st.SyncInfo.LatestBlockHeight >= 2 {
			return n, nil
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// exampleSigner loads a key from the example node's keyring.
func exampleSigner(name string) *keyring.Signer {
	kr, err := keyring.New(filepath.Join(exampleHome, "keyring"), keyring.BackendTest, nil)
	if err != nil {
		panic(err)
	}
	s, err := kr.Signer(name)
	if err != nil {
		panic(err)
	}
	return s
}

package main

import (
	"encoding/hex"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	cmtcfg "github.com/cometbft/cometbft/config"

	"github.com/danangchain/danangchain/client/keyring"
	"github.com/danangchain/danangchain/node"
	"github.com/danangchain/danangchain/registry"
)

// demoCouncil are the governance keys of demo and test networks.
var demoCouncil = []struct{ key, name string }{
	{"council1", "Văn phòng UBND thành phố Đà Nẵng"},
	{"council2", "Sở Khoa học và Công nghệ thành phố Đà Nẵng"},
	{"council3", "Trung tâm Giám sát điều hành đô thị thông minh Đà Nẵng"},
}

// demoAgencies are the agencies of demo and test networks: keyring name,
// agency id, Vietnamese name, roles.
var demoAgencies = []struct {
	key, id, name string
	roles         []string
}{
	{"ward", "ubnd-phuong-hai-chau", "UBND phường Hải Châu", []string{registry.RolePayloadPublisher, registry.RoleResultIssuer, registry.RoleResultInspector}},
	{"justice", "so-tu-phap", "Sở Tư pháp thành phố Đà Nẵng", []string{registry.RoleNotaryAuthority, registry.RoleBlockingAuthority}},
	{"notary", "vpcc-song-han", "Văn phòng công chứng Sông Hàn", []string{registry.RoleNotaryOffice}},
	{"court", "toa-an-nd-khu-vuc-1", "Tòa án nhân dân khu vực 1 – Đà Nẵng", []string{registry.RoleBlockingAuthority}},
	{"foodsafety", "bql-an-toan-thuc-pham", "Ban Quản lý An toàn thực phẩm thành phố Đà Nẵng", []string{registry.RoleFoodAuthority}},
	{"farm", "trang-trai-heo-hoa-vang", "Trang trại chăn nuôi heo Hòa Vang", []string{registry.RoleFoodBusiness}},
	{"slaughterhouse", "co-so-giet-mo-hoa-nhon", "Cơ sở giết mổ gia súc Hòa Nhơn", []string{registry.RoleFoodBusiness}},
	{"processor", "cong-ty-thuc-pham-lien-chieu", "Công ty Chế biến thực phẩm Liên Chiểu", []string{registry.RoleFoodBusiness}},
	{"retailer", "cua-hang-thuc-pham-cho-han", "Cửa hàng thực phẩm sạch Chợ Hàn", []string{registry.RoleFoodBusiness}},
	{"craftcoop", "htx-da-my-nghe-non-nuoc", "Hợp tác xã Đá mỹ nghệ Non Nước", []string{registry.RoleCraftRegistrar, registry.RolePayloadPublisher, registry.RoleProductRater}},
	{"artisan", "co-so-dieu-khac-da-non-nuoc", "Cơ sở điêu khắc đá mỹ nghệ Non Nước", []string{registry.RoleCraftArtisan, registry.RolePayloadPublisher}},
}

// netNode is one node of a network being set up.
type netNode struct {
	home    string
	moniker string
	p2p     string // host:port
	rpc     string
	api     string
	prom    string
	// full marks a full node: it shares the genesis but is not a
	// validator, and it dials the validators without being dialled.
	full bool
	// snapshotInterval overrides app.toml's snapshot_interval (0 = default).
	snapshotInterval uint64
}

// setupNetwork initialises the homes, a shared demo keyring (test
// backend, copied into every home) and one genesis for all of them.
func setupNetwork(chainID string, nodes []netNode, listenHost string) ([]*node.HomeInfo, error) {
	var infos []*node.HomeInfo
	for _, n := range nodes {
		conf := node.DefaultCometConfig(n.home, n.moniker)
		conf.P2P.ListenAddress = "tcp://" + hostPort(listenHost, n.p2p)
		conf.RPC.ListenAddress = "tcp://" + hostPort(listenHost, n.rpc)
		conf.Instrumentation.PrometheusListenAddr = hostPort(listenHost, n.prom)
		if listenHost != "" {
			// Peers learn this address, not the wildcard we listen on.
			conf.P2P.ExternalAddress = n.p2p
		}
		acfg := node.DefaultAppConfig()
		acfg.APIAddr = hostPort(listenHost, n.api)
		if n.snapshotInterval > 0 {
			acfg.SnapshotInterval = n.snapshotInterval
		}
		// Every other node cross-checks this one's verified reads (API and CLI).
		for _, o := range nodes {
			if o.home != n.home {
				acfg.Witnesses = append(acfg.Witnesses, "http://"+o.rpc)
			}
		}
		info, err := node.InitHome(n.home, conf, acfg)
		if err != nil {
			return nil, fmt.Errorf("init %s: %w", n.home, err)
		}
		info.P2PAddr = n.p2p
		infos = append(infos, info)
	}
	// Persistent peers: every validator but yourself (full nodes dial the
	// validators; validators do not dial full nodes, which may be absent).
	var valInfos []*node.HomeInfo
	for i, n := range nodes {
		if !n.full {
			valInfos = append(valInfos, infos[i])
		}
	}
	if len(valInfos) == 0 {
		return nil, cliErrf(errUsage, "a network needs at least one validator")
	}
	for i, n := range nodes {
		var peers []string
		for j, o := range infos {
			if j != i && !nodes[j].full {
				peers = append(peers, o.NodeID+"@"+o.P2PAddr)
			}
		}
		if err := setPeers(n.home, strings.Join(peers, ",")); err != nil {
			return nil, err
		}
	}
	// Keys live in the first home; the others get copies.
	kr, err := keyring.New(filepath.Join(nodes[0].home, "keyring"), keyring.BackendTest, nil)
	if err != nil {
		return nil, err
	}
	pub := func(name string) (string, error) {
		info, err := kr.Show(name)
		if err != nil {
			info, err = kr.Add(name)
		}
		if err != nil {
			return "", err
		}
		return hex.EncodeToString(info.PubKey), nil
	}
	st := registry.GenesisState{Params: registry.DefaultParams()}
	for _, c := range demoCouncil {
		p, err := pub(c.key)
		if err != nil {
			return nil, err
		}
		st.Council = append(st.Council, registry.GenesisMember{Name: c.name, PubKey: p})
	}
	for _, a := range demoAgencies {
		p, err := pub(a.key)
		if err != nil {
			return nil, err
		}
		roles := append([]string(nil), a.roles...)
		sort.Strings(roles)
		st.Agencies = append(st.Agencies, registry.GenesisAgency{ID: a.id, Name: a.name, Roles: roles, Keys: []string{p}})
	}
	gen, err := node.NewGenesis(chainID, valInfos, 10, st)
	if err != nil {
		return nil, err
	}
	for i, n := range nodes {
		if err := node.WriteGenesis(n.home, gen); err != nil {
			return nil, err
		}
		if i > 0 {
			if err := copyDir(filepath.Join(nodes[0].home, "keyring"), filepath.Join(n.home, "keyring")); err != nil {
				return nil, err
			}
		}
		var witnesses []string
		for _, o := range nodes {
			if o.home != n.home {
				witnesses = append(witnesses, "http://"+o.rpc)
			}
		}
		if err := writeClientConfig(n.home, clientConfig{Node: "http://" + n.rpc, KeyringBackend: "test", ChainID: chainID,
			Witnesses: witnesses}); err != nil {
			return nil, err
		}
	}
	return infos, nil
}

func hostPort(host, addr string) string {
	if host == "" {
		return addr
	}
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		return addr
	}
	return net.JoinHostPort(host, port)
}

func addPort(addr string, delta int) string {
	h, p, err := net.SplitHostPort(addr)
	if err != nil {
		return addr
	}
	n, _ := strconv.Atoi(p)
	return net.JoinHostPort(h, strconv.Itoa(n+delta))
}

func setPeers(home, peers string) error {
	conf, err := node.LoadCometConfig(home)
	if err != nil {
		return err
	}
	conf.P2P.PersistentPeers = peers
	return writeCometConfig(home, conf)
}

func copyDir(src, dst string) error {
	if err := os.MkdirAll(dst, 0o700); err != nil {
		return err
	}
	entries, err := os.ReadDir(src)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		b, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dst, e.Name()), b, 0o600); err != nil {
			return err
		}
	}
	return nil
}

func writeCometConfig(home string, conf *cmtcfg.Config) error {
	cmtcfg.WriteConfigFile(filepath.Join(home, "config", "config.toml"), conf)
	return nil
}

package node

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"

	cmtcfg "github.com/cometbft/cometbft/config"
	"github.com/cometbft/cometbft/p2p"
	"github.com/cometbft/cometbft/privval"
	"github.com/cometbft/cometbft/types"

	"github.com/danangchain/danangchain/registry"
)

// MaxBlockBytes is the block size limit written into new genesis files
// (CometBFT's default of 21 MB is far above what the city needs).
const MaxBlockBytes = 8 << 20

// HomeInfo describes an initialised home.
type HomeInfo struct {
	Home    string
	Moniker string
	NodeID  string
	ValPub  []byte
	P2PAddr string // host:port
	RPCAddr string // host:port
}

// InitHome writes config.toml, app.toml, the node key and the validator
// key into home (existing keys are kept).
func InitHome(home string, conf *cmtcfg.Config, acfg AppConfig) (*HomeInfo, error) {
	conf.SetRoot(home)
	for _, d := range []string{filepath.Join(home, "config"), filepath.Join(home, "data")} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			return nil, err
		}
	}
	cmtcfg.WriteConfigFile(filepath.Join(home, "config", "config.toml"), conf)
	if err := WriteAppConfig(home, acfg); err != nil {
		return nil, err
	}
	nk, err := p2p.LoadOrGenNodeKey(conf.NodeKeyFile())
	if err != nil {
		return nil, err
	}
	pv := privval.LoadOrGenFilePV(conf.PrivValidatorKeyFile(), conf.PrivValidatorStateFile())
	pub, err := pv.GetPubKey()
	if err != nil {
		return nil, err
	}
	return &HomeInfo{Home: home, Moniker: conf.Moniker, NodeID: string(nk.ID()), ValPub: pub.Bytes(),
		P2PAddr: stripScheme(conf.P2P.ListenAddress), RPCAddr: stripScheme(conf.RPC.ListenAddress)}, nil
}

func stripScheme(a string) string {
	for _, p := range []string{"tcp://", "http://"} {
		if len(a) > len(p) && a[:len(p)] == p {
			return a[len(p):]
		}
	}
	return a
}

// NewGenesis builds a genesis document for the validators in homes with
// the given application state.
func NewGenesis(chainID string, homes []*HomeInfo, power int64, st registry.GenesisState) (*types.GenesisDoc, error) {
	gen := &types.GenesisDoc{
		GenesisTime:     time.Now().UTC().Truncate(time.Second),
		ChainID:         chainID,
		InitialHeight:   1,
		ConsensusParams: types.DefaultConsensusParams(),
	}
	gen.ConsensusParams.Block.MaxBytes = MaxBlockBytes
	gen.ConsensusParams.Evidence.MaxBytes = 1 << 20
	for _, h := range homes {
		pv := privval.LoadFilePVEmptyState(filepath.Join(h.Home, "config", "priv_validator_key.json"), "")
		gen.Validators = append(gen.Validators, types.GenesisValidator{
			Address: pv.Key.PubKey.Address(), PubKey: pv.Key.PubKey, Power: power, Name: h.Moniker})
		st.ValidatorNames = append(st.ValidatorNames, registry.GenesisMember{Name: h.Moniker, PubKey: fmt.Sprintf("%x", h.ValPub)})
	}
	b, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return nil, err
	}
	gen.AppState = b
	if err := gen.ValidateAndComplete(); err != nil {
		return nil, err
	}
	return gen, nil
}

// WriteGenesis writes genesis.json into home.
func WriteGenesis(home string, gen *types.GenesisDoc) error {
	return gen.SaveAs(filepath.Join(home, "config", "genesis.json"))
}

// LoadGenesis reads home's genesis.json.
func LoadGenesis(home string) (*types.GenesisDoc, error) {
	return types.GenesisDocFromFile(filepath.Join(home, "config", "genesis.json"))
}

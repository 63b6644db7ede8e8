package verification

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"strconv"

	"github.com/danangchain/danangchain/registry"
)

// TrustRoot is what a verifier pins: the chain id and the genesis
// validator set (in CometBFT's canonical order: voting power descending,
// then address ascending; VerifyReceipt sorts a copy anyway).
type TrustRoot struct {
	ChainID    string
	Validators []Validator
}

// ed25519KeyType is the amino name of an ed25519 key in genesis.json.
const ed25519KeyType = "tendermint/PubKeyEd25519"

// TrustRootFromGenesis reads a CometBFT genesis.json, or the part of it a
// trust root needs: chain_id, and validators[] with pub_key {type
// "tendermint/PubKeyEd25519", value base64} and power (a decimal string);
// an address, when given, must be the key's. Other fields are ignored.
// Undecodable JSON fails with registry.ErrMalformed, a root that cannot
// verify anything (no chain id, no validators, another key type, a
// non-positive power, a validator twice) with registry.ErrInvalid.
func TrustRootFromGenesis(genesisJSON []byte) (*TrustRoot, error) {
	var g struct {
		ChainID    string `json:"chain_id"`
		Validators []struct {
			Address string `json:"address"`
			PubKey  struct {
				Type  string `json:"type"`
				Value string `json:"value"`
			} `json:"pub_key"`
			Power string `json:"power"`
		} `json:"validators"`
	}
	if err := json.Unmarshal(genesisJSON, &g); err != nil {
		return nil, registry.Errorf(registry.ErrMalformed, "genesis: %v", err)
	}
	if g.ChainID == "" || len(g.ChainID) > MaxChainIDLen {
		return nil, registry.Errorf(registry.ErrInvalid, "genesis: chain_id must be 1 to %d bytes", MaxChainIDLen)
	}
	t := &TrustRoot{ChainID: g.ChainID}
	for i, v := range g.Validators {
		if v.PubKey.Type != ed25519KeyType {
			return nil, registry.Errorf(registry.ErrInvalid, "genesis: validator %d: key type %q, want %q", i, v.PubKey.Type, ed25519KeyType)
		}
		pk, err := base64.StdEncoding.DecodeString(v.PubKey.Value)
		if err != nil {
			return nil, registry.Errorf(registry.ErrMalformed, "genesis: validator %d: public key: %v", i, err)
		}
		power, err := strconv.ParseInt(v.Power, 10, 64)
		if err != nil {
			return nil, registry.Errorf(registry.ErrMalformed, "genesis: validator %d: power %q", i, v.Power)
		}
		val := Validator{PubKey: pk, Power: power}
		if v.Address != "" {
			addr, err := hex.DecodeString(v.Address)
			if err != nil || len(pk) != ed25519KeySize || !bytes.Equal(addr, val.Address()) {
				return nil, registry.Errorf(registry.ErrInvalid, "genesis: validator %d: address %s is not its key's", i, v.Address)
			}
		}
		t.Validators = append(t.Validators, val)
	}
	if err := checkValidators(t.Validators); err != nil {
		return nil, registry.Errorf(registry.ErrInvalid, "genesis: %v", err)
	}
	SortValidators(t.Validators)
	return t, nil
}

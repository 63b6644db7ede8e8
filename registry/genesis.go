package registry

import (
	"encoding/hex"
	"fmt"
	"strings"
)

// GenesisState is the app_state of genesis.json. It is read once, in
// InitChain, and written to state in its array order.
type GenesisState struct {
	Params   Params          `json:"params"`
	Council  []GenesisMember `json:"council"`
	Agencies []GenesisAgency `json:"agencies"`
	// Validators names the genesis validators (their keys and powers come
	// from CometBFT's genesis "validators").
	ValidatorNames []GenesisMember `json:"validator_names,omitempty"`
	// KV is the whole state of an exported genesis (see genesis_export.go);
	// when present it is written as is and the fields above stay empty.
	KV []GenesisKV `json:"kv,omitempty"`
}

// GenesisMember is a named public key (hex).
type GenesisMember struct {
	Name   string `json:"name"`
	PubKey string `json:"pub_key"`
}

// GenesisAgency is an agency at genesis.
type GenesisAgency struct {
	ID    string   `json:"id"`
	Name  string   `json:"name"`
	Roles []string `json:"roles"`
	Keys  []string `json:"keys"`
}

func parseHexKey(s string) ([]byte, error) {
	b, err := hex.DecodeString(strings.TrimSpace(s))
	if err != nil || len(b) != PubKeySize {
		return nil, Errorf(ErrInvalid, "bad public key %q (want %d bytes in hex)", s, PubKeySize)
	}
	return b, nil
}

// InitGenesis validates g and writes it to s. validators are the genesis
// validator set from CometBFT.
func InitGenesis(ctx Context, s Store, g *GenesisState, validators []ValidatorUpdate) error {
	if len(g.KV) > 0 {
		return importState(s, g, validators)
	}
	st := NewState(s)
	params := g.Params.WithDefaults()
	if err := params.Validate(); err != nil {
		return fmt.Errorf("genesis params: %w", err)
	}
	if len(g.Council) == 0 {
		return Errorf(ErrInvalid, "genesis needs at least one council member")
	}
	if err := st.SetParams(params); err != nil {
		return err
	}
	env := &Env{Ctx: ctx, State: st, Result: &Result{}}
	for _, m := range g.Council {
		pub, err := parseHexKey(m.PubKey)
		if err != nil {
			return err
		}
		a := &AddCouncil{PubKey: pub, Name: m.Name}
		if err := a.ValidateBasic(); err != nil {
			return fmt.Errorf("council member %q: %w", m.Name, err)
		}
		if err := a.Check(env); err != nil {
			return fmt.Errorf("council member %q: %w", m.Name, err)
		}
		if err := a.Apply(env); err != nil {
			return err
		}
	}
	for _, ga := range g.Agencies {
		a := &AddAgency{ID: ga.ID, Name: ga.Name, Roles: ga.Roles}
		for _, k := range ga.Keys {
			pub, err := parseHexKey(k)
			if err != nil {
				return fmt.Errorf("agency %s: %w", ga.ID, err)
			}
			a.Keys = append(a.Keys, pub)
		}
		if err := a.ValidateBasic(); err != nil {
			return fmt.Errorf("agency %s: %w", ga.ID, err)
		}
		if err := a.Check(env); err != nil {
			return fmt.Errorf("agency %s: %w", ga.ID, err)
		}
		if err := a.Apply(env); err != nil {
			return err
		}
	}
	names := map[string]string{}
	for _, m := range g.ValidatorNames {
		names[strings.ToLower(m.PubKey)] = m.Name
	}
	for _, v := range validators {
		val := &Validator{PubKey: v.PubKey, Power: v.Power, Name: names[hex.EncodeToString(v.PubKey)]}
		if err := CheckNFC(val.Name); err != nil {
			return fmt.Errorf("validator name: %w", err)
		}
		if err := st.put(ValidatorKey(v.PubKey), val.Encode); err != nil {
			return err
		}
	}
	return nil
}

func hexs(b []byte) string { return hex.EncodeToString(b) }

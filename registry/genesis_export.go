package registry

import (
	"bytes"
	"encoding/hex"
	"fmt"
)

// GenesisKV is one raw state entry of an exported genesis, in hex. An
// exported genesis (danangchain export) carries the whole state of one
// height as GenesisState.KV, in ascending key order; InitGenesis then
// writes it as is instead of building the state from council, agencies
// and params.
type GenesisKV struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// ExportState lists every entry of s in ascending key order.
func ExportState(s Store) ([]GenesisKV, error) {
	var out []GenesisKV
	err := s.Iterate(nil, nil, func(k, v []byte) (bool, error) {
		out = append(out, GenesisKV{Key: hex.EncodeToString(k), Value: hex.EncodeToString(v)})
		return false, nil
	})
	return out, err
}

// ExportedValidators returns the validators with power above zero recorded
// in an exported state, in key order: the validator set a chain started
// from that state must have.
func (g *GenesisState) ExportedValidators() ([]*Validator, error) {
	var out []*Validator
	for _, kv := range g.KV {
		k, err := hex.DecodeString(kv.Key)
		if err != nil || len(k) == 0 {
			return nil, Errorf(ErrInvalid, "kv key %q: not hex", kv.Key)
		}
		if k[0] != PrefixValidator {
			continue
		}
		v, err := hex.DecodeString(kv.Value)
		if err != nil {
			return nil, Errorf(ErrInvalid, "kv value of %q: not hex", kv.Key)
		}
		val, err := DecodeValidator(v)
		if err != nil {
			return nil, fmt.Errorf("validator %x: %w", k[1:], err)
		}
		if val.Power > 0 {
			out = append(out, val)
		}
	}
	return out, nil
}

// importState writes an exported state after checking that its keys are
// unique and ascending, its params valid and its validators (power above
// zero) exactly CometBFT's genesis validators.
func importState(s Store, g *GenesisState, validators []ValidatorUpdate) error {
	if len(g.Council) > 0 || len(g.Agencies) > 0 || len(g.ValidatorNames) > 0 {
		return Errorf(ErrInvalid, "an exported genesis carries its whole state in kv: council, agencies and validator_names must be empty")
	}
	var prev []byte
	for i, kv := range g.KV {
		k, err := hex.DecodeString(kv.Key)
		if err != nil || len(k) == 0 {
			return Errorf(ErrInvalid, "kv[%d]: key must be non-empty hex", i)
		}
		v, err := hex.DecodeString(kv.Value)
		if err != nil {
			return Errorf(ErrInvalid, "kv[%d]: value must be hex", i)
		}
		if prev != nil && bytes.Compare(prev, k) >= 0 {
			return Errorf(ErrInvalid, "kv[%d]: keys must be unique and ascending", i)
		}
		prev = k
		if err := s.Set(k, v); err != nil {
			return err
		}
	}
	p, err := NewState(s).Params()
	if err != nil {
		return fmt.Errorf("exported state: %w", err)
	}
	if err := p.Validate(); err != nil {
		return fmt.Errorf("exported state params: %w", err)
	}
	vals, err := g.ExportedValidators()
	if err != nil {
		return err
	}
	if len(vals) != len(validators) {
		return Errorf(ErrInvalid, "exported state has %d validators, genesis %d", len(vals), len(validators))
	}
	want := make(map[string]uint64, len(vals))
	for _, v := range vals {
		want[string(v.PubKey)] = v.Power
	}
	for _, v := range validators {
		if p, ok := want[string(v.PubKey)]; !ok || p != v.Power {
			return Errorf(ErrInvalid, "genesis validator %x (power %d) is not in the exported state with that power", v.PubKey, v.Power)
		}
	}
	return nil
}

package registry

import (
	"encoding/binary"
)

// State gives typed access to the records in a Store.
type State struct {
	s Store
}

// NewState wraps a Store.
func NewState(s Store) *State { return &State{s: s} }

// Store returns the underlying store.
func (st *State) Store() Store { return st.s }

func (st *State) put(key []byte, f func(*Encoder)) error { return st.s.Set(key, encode(f)) }

// Params reads the chain parameters.
func (st *State) Params() (Params, error) {
	b, err := st.s.Get(ParamsKey())
	if err != nil {
		return Params{}, err
	}
	if b == nil {
		return Params{}, Errorf(ErrInternal, "params missing")
	}
	return DecodeParams(b)
}

// SetParams writes the chain parameters.
func (st *State) SetParams(p Params) error { return st.put(ParamsKey(), p.Encode) }

// Agency reads an agency; ErrNotFound if absent.
func (st *State) Agency(id string) (*Agency, error) {
	b, err := st.s.Get(AgencyKey(id))
	if err != nil {
		return nil, err
	}
	if b == nil {
		return nil, Errorf(ErrNotFound, "agency %q", id)
	}
	return DecodeAgency(b)
}

// SetAgency writes an agency.
func (st *State) SetAgency(a *Agency) error { return st.put(AgencyKey(a.ID), a.Encode) }

// Agencies lists every agency in id order.
func (st *State) Agencies() ([]*Agency, error) {
	var out []*Agency
	p := []byte{PrefixAgency}
	err := st.s.Iterate(p, PrefixEnd(p), func(_, v []byte) (bool, error) {
		a, err := DecodeAgency(v)
		if err != nil {
			return true, err
		}
		out = append(out, a)
		return false, nil
	})
	return out, err
}

// KeyRecord reads a key record; ErrUnknownKey if absent.
func (st *State) KeyRecord(pub []byte) (*KeyRecord, error) {
	b, err := st.s.Get(KeyRecordKey(pub))
	if err != nil {
		return nil, err
	}
	if b == nil {
		return nil, Errorf(ErrUnknownKey, "key %s is not registered", KeyID(pub))
	}
	return DecodeKeyRecord(b)
}

// SetKeyRecord writes a key record.
func (st *State) SetKeyRecord(k *KeyRecord) error { return st.put(KeyRecordKey(k.PubKey), k.Encode) }

// Keys lists every key record, optionally only those owned by agency.
func (st *State) Keys(owner string) ([]*KeyRecord, error) {
	var out []*KeyRecord
	p := []byte{PrefixKey}
	err := st.s.Iterate(p, PrefixEnd(p), func(_, v []byte) (bool, error) {
		k, err := DecodeKeyRecord(v)
		if err != nil {
			return true, err
		}
		if owner == "" || k.Owner == owner {
			out = append(out, k)
		}
		return false, nil
	})
	return out, err
}

// Council lists the council members' public keys in key order.
func (st *State) Council() ([][]byte, error) {
	var out [][]byte
	p := []byte{PrefixCouncil}
	err := st.s.Iterate(p, PrefixEnd(p), func(k, _ []byte) (bool, error) {
		out = append(out, append([]byte(nil), k[1:]...))
		return false, nil
	})
	return out, err
}

// IsCouncil reports whether pub is a current council member.
func (st *State) IsCouncil(pub []byte) (bool, error) {
	b, err := st.s.Get(CouncilKey(pub))
	return b != nil, err
}

// Validator reads a validator, nil if absent.
func (st *State) Validator(pub []byte) (*Validator, error) {
	b, err := st.s.Get(ValidatorKey(pub))
	if err != nil || b == nil {
		return nil, err
	}
	return DecodeValidator(b)
}

// Validators lists the validators in key order.
func (st *State) Validators() ([]*Validator, error) {
	var out []*Validator
	p := []byte{PrefixValidator}
	err := st.s.Iterate(p, PrefixEnd(p), func(_, v []byte) (bool, error) {
		val, err := DecodeValidator(v)
		if err != nil {
			return true, err
		}
		out = append(out, val)
		return false, nil
	})
	return out, err
}

// Proposal reads a proposal; ErrNotFound if absent.
func (st *State) Proposal(id uint64) (*Proposal, error) {
	b, err := st.s.Get(ProposalKey(id))
	if err != nil {
		return nil, err
	}
	if b == nil {
		return nil, Errorf(ErrNotFound, "proposal %d", id)
	}
	return DecodeProposal(b)
}

// SetProposal writes a proposal.
func (st *State) SetProposal(p *Proposal) error { return st.put(ProposalKey(p.ID), p.Encode) }

// NextSeq increments and returns the named sequence (first value 1).
func (st *State) NextSeq(name string) (uint64, error) {
	k := SeqKey(name)
	b, err := st.s.Get(k)
	if err != nil {
		return 0, err
	}
	var n uint64
	if len(b) == 8 {
		n = binary.BigEndian.Uint64(b)
	}
	n++
	return n, st.s.Set(k, binary.BigEndian.AppendUint64(nil, n))
}

// Seq returns the current value of a sequence.
func (st *State) Seq(name string) (uint64, error) {
	b, err := st.s.Get(SeqKey(name))
	if err != nil || len(b) != 8 {
		return 0, err
	}
	return binary.BigEndian.Uint64(b), nil
}

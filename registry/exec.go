package registry

import (
	"bytes"
	"time"
)

// Context is what the block gives a transaction: nothing else may
// influence execution.
type Context struct {
	ChainID string
	Height  uint64
	Time    time.Time // block time (BFT time), never the wall clock
}

// Attr is one event attribute.
type Attr struct{ Key, Value string }

// Event is an ABCI event emitted by a message.
type Event struct {
	Type  string
	Attrs []Attr
}

// ValidatorUpdate changes a validator's power (0 removes it).
type ValidatorUpdate struct {
	PubKey []byte
	Power  uint64
}

// Result is what a successful transaction returns.
type Result struct {
	Data             []byte
	Log              string
	Events           []Event
	ValidatorUpdates []ValidatorUpdate
}

// Signer is the authenticated sender of a transaction.
type Signer struct {
	PubKey []byte
	Key    *KeyRecord
	Agency *Agency // nil for council keys
}

// RequireRole fails with ErrUnauthorized unless the signer's agency holds role.
func (s *Signer) RequireRole(role string) error {
	if s.Agency == nil || !s.Agency.HasRole(role) {
		return Errorf(ErrUnauthorized, "key %s (%s) lacks role %s", KeyID(s.PubKey), s.describe(), role)
	}
	return nil
}

func (s *Signer) describe() string {
	if s.Agency != nil {
		return "agency " + s.Agency.ID
	}
	return s.Key.Kind.String()
}

// Env is the environment a message executes in.
type Env struct {
	Ctx    Context
	State  *State
	Signer *Signer
	Result *Result
}

// Emit appends an event.
func (env *Env) Emit(typ string, kv ...string) {
	ev := Event{Type: typ}
	for i := 0; i+1 < len(kv); i += 2 {
		ev.Attrs = append(ev.Attrs, Attr{kv[i], kv[i+1]})
	}
	env.Result.Events = append(env.Result.Events, ev)
}

// BeginBlock runs once at the start of every block, before its txs: it
// forgets replay keys whose expiry height has passed.
func BeginBlock(ctx Context, s Store) error {
	start := []byte{PrefixReplay}
	end := replayKey(ctx.Height, nil, nil) // expiry < height
	var dead [][]byte
	err := s.Iterate(start, end, func(k, _ []byte) (bool, error) {
		dead = append(dead, bytes.Clone(k))
		return false, nil
	})
	if err != nil {
		return err
	}
	for _, k := range dead {
		if err := s.Delete(k); err != nil {
			return err
		}
	}
	return nil
}

// Authenticate resolves the signer of tx and checks replay protection.
// ValidateBasic must have passed.
func Authenticate(ctx Context, st *State, tx *Tx) (*Signer, error) {
	p, err := st.Params()
	if err != nil {
		return nil, err
	}
	if tx.ExpiresAt < ctx.Height {
		return nil, Errorf(ErrExpired, "tx expired at height %d, now %d", tx.ExpiresAt, ctx.Height)
	}
	if tx.ExpiresAt > ctx.Height+p.MaxTxTTL {
		return nil, Errorf(ErrExpired, "expires_at %d is more than %d blocks after %d", tx.ExpiresAt, p.MaxTxTTL, ctx.Height)
	}
	seen, err := st.s.Get(tx.ReplayKey())
	if err != nil {
		return nil, err
	}
	if seen != nil {
		return nil, Errorf(ErrReplay, "nonce %x of key %s already used", tx.Nonce, KeyID(tx.Signer))
	}
	return KeyStanding(st, tx.Signer)
}

// KeyStanding is the one check of a key's standing, used by every
// transaction (Authenticate) and by the node's signed APIs: the key is
// registered and not revoked; a council key is still on the council; an
// agency key's agency is active. It returns the signer with its key
// record and agency (nil for the council); scopes and roles are the
// caller's to check.
func KeyStanding(st *State, pub []byte) (*Signer, error) {
	kr, err := st.KeyRecord(pub)
	if err != nil {
		return nil, err
	}
	if kr.Revoked {
		return nil, Errorf(ErrRevokedKey, "key %s was revoked at height %d", KeyID(pub), kr.RevokedHeight)
	}
	s := &Signer{PubKey: pub, Key: kr}
	if kr.Kind == KeyCouncil {
		ok, err := st.IsCouncil(pub)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, Errorf(ErrRevokedKey, "key %s is no longer on the council", KeyID(pub))
		}
		return s, nil
	}
	a, err := st.Agency(kr.Owner)
	if err != nil {
		return nil, err
	}
	if a.Status != AgencyActive {
		return nil, Errorf(ErrSuspended, "agency %s is %s", a.ID, a.Status)
	}
	s.Agency = a
	return s, nil
}

// Deliver executes a transaction whose ValidateBasic passed. On error the
// caller must discard every write made to s.
func Deliver(ctx Context, s Store, tx *Tx) (*Result, error) {
	st := NewState(s)
	signer, err := Authenticate(ctx, st, tx)
	if err != nil {
		return nil, err
	}
	if err := signer.RequireScope(tx.Msg.Type()); err != nil {
		return nil, err
	}
	env := &Env{Ctx: ctx, State: st, Signer: signer, Result: &Result{}}
	if err := tx.Msg.Execute(env); err != nil {
		return nil, err
	}
	if err := s.Set(tx.ReplayKey(), []byte{1}); err != nil {
		return nil, err
	}
	env.Emit("danang_tx", "msg", MsgName(tx.Msg.Type()), "signer", KeyID(tx.Signer))
	return env.Result, nil
}

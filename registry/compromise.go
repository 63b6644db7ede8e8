package registry

import "strconv"

// SignedWhileCompromised reports whether a record k signed at height h
// was signed after k fell into someone else's hands (k nil: no).
func (k *KeyRecord) SignedWhileCompromised(h uint64) bool {
	return k != nil && k.CompromisedSince > 0 && h >= k.CompromisedSince
}

// markCompromised revokes kr (if it is not already) and records that it
// has been in someone else's hands since height since: everything it
// signed at or after since verifies as "signed by a compromised key" on
// every path — one state change, however many records it signed. An
// earlier height may replace a later one, never the reverse.
func markCompromised(env *Env, kr *KeyRecord, since uint64, reason string) error {
	now := uint64(env.Ctx.Height)
	switch {
	case since == 0 || since > now:
		return Errorf(ErrInvalid, "compromised since height %d: must be between %d and the current height %d", since, kr.AddedHeight, now)
	case since < kr.AddedHeight:
		return Errorf(ErrInvalid, "key %s was added at height %d: it cannot be compromised since %d", KeyID(kr.PubKey), kr.AddedHeight, since)
	case kr.CompromisedSince != 0 && kr.CompromisedSince <= since:
		return Errorf(ErrConflict, "key %s is already marked compromised since height %d", KeyID(kr.PubKey), kr.CompromisedSince)
	}
	kr.CompromisedSince = since
	if !kr.Revoked {
		kr.Revoked, kr.RevokedHeight, kr.RevokeReason = true, now, reason
	}
	env.Emit("key_compromised", "key", KeyID(kr.PubKey), "owner", kr.Owner, "since", strconv.FormatUint(since, 10))
	return env.State.SetKeyRecord(kr)
}

// KeyCompromised is the council's revocation of an agency main key found
// compromised since height Since (revoked already or not).
type KeyCompromised struct {
	PubKey []byte
	Since  uint64
	Reason string
}

func (a *KeyCompromised) ActionType() ActionType { return ActionTypeKeyCompromised }
func (a *KeyCompromised) Encode(e *Encoder) {
	e.Bytes(a.PubKey)
	e.Uint(a.Since)
	e.String(a.Reason)
}
func (a *KeyCompromised) ValidateBasic() error {
	if err := checkPubKey(a.PubKey); err != nil {
		return err
	}
	if a.Since == 0 {
		return Errorf(ErrInvalid, "compromised since: a positive height")
	}
	return checkName("reason", a.Reason, 500)
}
func (a *KeyCompromised) Check(env *Env) error {
	kr, err := env.State.KeyRecord(a.PubKey)
	if err != nil {
		if !IsDomain(err) {
			return err
		}
		return Errorf(ErrNotFound, "key %s is not registered", KeyID(a.PubKey))
	}
	if kr.Kind == KeyCouncil {
		return Errorf(ErrInvalid, "key %s is a council key; use RemoveCouncil", KeyID(a.PubKey))
	}
	if a.Since > uint64(env.Ctx.Height) || a.Since < kr.AddedHeight {
		return Errorf(ErrInvalid, "compromised since height %d: must be between %d (the key was added) and the current height %d", a.Since, kr.AddedHeight, env.Ctx.Height)
	}
	if kr.CompromisedSince != 0 && kr.CompromisedSince <= a.Since {
		return Errorf(ErrConflict, "key %s is already marked compromised since height %d", KeyID(a.PubKey), kr.CompromisedSince)
	}
	return nil
}
func (a *KeyCompromised) Apply(env *Env) error {
	kr, err := env.State.KeyRecord(a.PubKey)
	if err != nil {
		return err
	}
	return markCompromised(env, kr, a.Since, a.Reason)
}
func (a *KeyCompromised) Summary() string {
	return "key " + KeyID(a.PubKey) + " compromised since height " + strconv.FormatUint(a.Since, 10)
}

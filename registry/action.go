package registry

import (
	"bytes"
	"errors"
)

// ActionType identifies a governance action. Numbers are stable.
type ActionType uint64

// Governance actions the council can take.
const (
	ActionTypeAddAgency       ActionType = 1
	ActionTypeSetAgencyStatus ActionType = 2
	ActionTypeSetAgencyRoles  ActionType = 3
	ActionTypeAddAgencyKey    ActionType = 4
	ActionTypeRevokeKey       ActionType = 5
	ActionTypeSetValidator    ActionType = 6
	ActionTypeAddCouncil      ActionType = 7
	ActionTypeRemoveCouncil   ActionType = 8
	ActionTypeSetPayloadQuota ActionType = 9
	ActionTypeKeyCompromised  ActionType = 10
)

// Action is a change only a council quorum may make.
type Action interface {
	ActionType() ActionType
	Encode(e *Encoder)
	ValidateBasic() error
	// Check verifies the action against state without writing.
	Check(env *Env) error
	// Apply performs the action (Check has passed in the same state).
	Apply(env *Env) error
	// Summary is a one-line description for people.
	Summary() string
}

// EncodeAction writes the type then the body.
func EncodeAction(e *Encoder, a Action) {
	e.Uint(uint64(a.ActionType()))
	a.Encode(e)
}

// DecodeActionFrom reads an action written by EncodeAction.
func DecodeActionFrom(d *Decoder) Action {
	t := ActionType(d.Uint())
	if d.Err() != nil {
		return nil
	}
	switch t {
	case ActionTypeAddAgency:
		a := &AddAgency{ID: d.String(), Name: d.String(), Roles: d.Strings(64)}
		n := d.Count(16, 1)
		for i := 0; i < n; i++ {
			a.Keys = append(a.Keys, d.Bytes())
		}
		return a
	case ActionTypeSetAgencyStatus:
		return &SetAgencyStatus{ID: d.String(), Status: AgencyStatus(d.Uint())}
	case ActionTypeSetAgencyRoles:
		return &SetAgencyRoles{ID: d.String(), Roles: d.Strings(64)}
	case ActionTypeAddAgencyKey:
		return &AddAgencyKey{ID: d.String(), PubKey: d.Bytes()}
	case ActionTypeRevokeKey:
		return &RevokeKey{PubKey: d.Bytes(), Reason: d.String()}
	case ActionTypeSetValidator:
		return &SetValidator{PubKey: d.Bytes(), Power: d.Uint(), Name: d.String()}
	case ActionTypeAddCouncil:
		return &AddCouncil{PubKey: d.Bytes(), Name: d.String()}
	case ActionTypeRemoveCouncil:
		return &RemoveCouncil{PubKey: d.Bytes()}
	case ActionTypeSetPayloadQuota:
		return &SetPayloadQuota{ID: d.String(), Bytes: d.Uint()}
	case ActionTypeKeyCompromised:
		return &KeyCompromised{PubKey: d.Bytes(), Since: d.Uint(), Reason: d.String()}
	}
	if d.Err() == nil {
		d.err = Errorf(ErrUnknownMsg, "unknown governance action %d", t)
	}
	return nil
}

// agencyIDPattern is what validAgencyID accepts (no regexp: this package
// also runs in the browser, where every kilobyte is downloaded).
const agencyIDPattern = `^[a-z0-9][a-z0-9.-]{1,63}$`

func validAgencyID(id string) bool {
	if len(id) < 2 || len(id) > 64 {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		ok := (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (i > 0 && (c == '.' || c == '-'))
		if !ok {
			return false
		}
	}
	return true
}

// MaxValidatorPower bounds a validator's power.
const MaxValidatorPower = 1 << 40

func checkAgencyID(id string) error {
	if !validAgencyID(id) {
		return Errorf(ErrInvalid, "agency id %q must match %s", id, agencyIDPattern)
	}
	return nil
}

func checkName(field, s string, max int) error {
	if err := CheckNFC(s); err != nil {
		return err
	}
	if len(s) == 0 || len(s) > max {
		return Errorf(ErrInvalid, "%s must be 1..%d bytes", field, max)
	}
	return nil
}

func checkRoles(roles []string) error {
	if len(roles) == 0 {
		return Errorf(ErrInvalid, "at least one role is required")
	}
	sorted, unique := sortedUnique(roles)
	if !unique {
		return Errorf(ErrInvalid, "duplicate role")
	}
	for i, r := range roles {
		if !KnownRole(r) {
			return Errorf(ErrInvalid, "unknown role %q", r)
		}
		if sorted[i] != r {
			return Errorf(ErrInvalid, "roles must be sorted")
		}
	}
	return nil
}

func checkPubKey(pub []byte) error {
	if len(pub) != PubKeySize {
		return Errorf(ErrInvalid, "public key must be %d bytes", PubKeySize)
	}
	return nil
}

// keyUnused fails with ErrConflict if pub was ever registered (revoked keys
// are never re-used).
func keyUnused(st *State, pub []byte) error {
	_, err := st.KeyRecord(pub)
	if err == nil {
		return Errorf(ErrConflict, "key %s is already registered", KeyID(pub))
	}
	if errors.Is(err, ErrUnknownKey) {
		return nil
	}
	return err
}

// AddAgency registers a new agency with its roles and main keys.
type AddAgency struct {
	ID    string
	Name  string
	Roles []string
	Keys  [][]byte
}

func (a *AddAgency) ActionType() ActionType { return ActionTypeAddAgency }
func (a *AddAgency) Encode(e *Encoder) {
	e.String(a.ID)
	e.String(a.Name)
	e.Strings(a.Roles)
	encodeKeyList(e, a.Keys)
}
func (a *AddAgency) ValidateBasic() error {
	if err := checkAgencyID(a.ID); err != nil {
		return err
	}
	if err := checkName("name", a.Name, 200); err != nil {
		return err
	}
	if err := checkRoles(a.Roles); err != nil {
		return err
	}
	if len(a.Keys) == 0 || len(a.Keys) > 16 {
		return Errorf(ErrInvalid, "an agency needs 1..16 keys")
	}
	for i, k := range a.Keys {
		if err := checkPubKey(k); err != nil {
			return err
		}
		for _, o := range a.Keys[:i] {
			if bytes.Equal(o, k) {
				return Errorf(ErrInvalid, "duplicate key")
			}
		}
	}
	return nil
}
func (a *AddAgency) Check(env *Env) error {
	if _, err := env.State.Agency(a.ID); err == nil {
		return Errorf(ErrConflict, "agency %q already exists", a.ID)
	} else if !IsDomain(err) {
		return err
	}
	for _, k := range a.Keys {
		if err := keyUnused(env.State, k); err != nil {
			return err
		}
	}
	return nil
}
func (a *AddAgency) Apply(env *Env) error {
	h := env.Ctx.Height
	if err := env.State.SetAgency(&Agency{ID: a.ID, Name: a.Name, Roles: a.Roles, Status: AgencyActive, CreatedHeight: h}); err != nil {
		return err
	}
	for _, k := range a.Keys {
		if err := env.State.SetKeyRecord(&KeyRecord{PubKey: k, Kind: KeyAgency, Owner: a.ID, AddedHeight: h}); err != nil {
			return err
		}
	}
	env.Emit("agency_added", "agency", a.ID)
	return nil
}
func (a *AddAgency) Summary() string { return "add agency " + a.ID + " (" + a.Name + ")" }

// SetAgencyStatus suspends, reinstates or removes an agency.
type SetAgencyStatus struct {
	ID     string
	Status AgencyStatus
}

func (a *SetAgencyStatus) ActionType() ActionType { return ActionTypeSetAgencyStatus }
func (a *SetAgencyStatus) Encode(e *Encoder)      { e.String(a.ID); e.Uint(uint64(a.Status)) }
func (a *SetAgencyStatus) ValidateBasic() error {
	if err := checkAgencyID(a.ID); err != nil {
		return err
	}
	if a.Status < AgencyActive || a.Status > AgencyRemoved {
		return Errorf(ErrInvalid, "unknown status %d", a.Status)
	}
	return nil
}
func (a *SetAgencyStatus) Check(env *Env) error {
	ag, err := env.State.Agency(a.ID)
	if err != nil {
		return err
	}
	if ag.Status == AgencyRemoved {
		return Errorf(ErrConflict, "agency %s was removed; removal is final", a.ID)
	}
	return nil
}
func (a *SetAgencyStatus) Apply(env *Env) error {
	ag, err := env.State.Agency(a.ID)
	if err != nil {
		return err
	}
	ag.Status = a.Status
	env.Emit("agency_status", "agency", a.ID, "status", a.Status.String())
	return env.State.SetAgency(ag)
}
func (a *SetAgencyStatus) Summary() string { return "set agency " + a.ID + " " + a.Status.String() }

// SetAgencyRoles replaces an agency's role set.
type SetAgencyRoles struct {
	ID    string
	Roles []string
}

func (a *SetAgencyRoles) ActionType() ActionType { return ActionTypeSetAgencyRoles }
func (a *SetAgencyRoles) Encode(e *Encoder)      { e.String(a.ID); e.Strings(a.Roles) }
func (a *SetAgencyRoles) ValidateBasic() error {
	if err := checkAgencyID(a.ID); err != nil {
		return err
	}
	return checkRoles(a.Roles)
}
func (a *SetAgencyRoles) Check(env *Env) error {
	_, err := env.State.Agency(a.ID)
	return err
}
func (a *SetAgencyRoles) Apply(env *Env) error {
	ag, err := env.State.Agency(a.ID)
	if err != nil {
		return err
	}
	ag.Roles = a.Roles
	env.Emit("agency_roles", "agency", a.ID)
	return env.State.SetAgency(ag)
}
func (a *SetAgencyRoles) Summary() string { return "set roles of " + a.ID }

// AddAgencyKey adds a main key to an agency (key rotation = add + revoke).
type AddAgencyKey struct {
	ID     string
	PubKey []byte
}

func (a *AddAgencyKey) ActionType() ActionType { return ActionTypeAddAgencyKey }
func (a *AddAgencyKey) Encode(e *Encoder)      { e.String(a.ID); e.Bytes(a.PubKey) }
func (a *AddAgencyKey) ValidateBasic() error {
	if err := checkAgencyID(a.ID); err != nil {
		return err
	}
	return checkPubKey(a.PubKey)
}
func (a *AddAgencyKey) Check(env *Env) error {
	if _, err := env.State.Agency(a.ID); err != nil {
		return err
	}
	return keyUnused(env.State, a.PubKey)
}
func (a *AddAgencyKey) Apply(env *Env) error {
	env.Emit("key_added", "agency", a.ID, "key", KeyID(a.PubKey))
	return env.State.SetKeyRecord(&KeyRecord{PubKey: a.PubKey, Kind: KeyAgency, Owner: a.ID, AddedHeight: env.Ctx.Height})
}
func (a *AddAgencyKey) Summary() string { return "add key " + KeyID(a.PubKey) + " to " + a.ID }

// RevokeKey revokes any key. What it signed before stays valid.
type RevokeKey struct {
	PubKey []byte
	Reason string
}

func (a *RevokeKey) ActionType() ActionType { return ActionTypeRevokeKey }
func (a *RevokeKey) Encode(e *Encoder)      { e.Bytes(a.PubKey); e.String(a.Reason) }
func (a *RevokeKey) ValidateBasic() error {
	if err := checkPubKey(a.PubKey); err != nil {
		return err
	}
	return checkName("reason", a.Reason, 500)
}
func (a *RevokeKey) Check(env *Env) error {
	if err := revokeCheck(env.State, a.PubKey); err != nil {
		return err
	}
	// A revoked key that stayed on the council would still count towards
	// the quorum without being able to vote, and could deadlock the
	// council; RemoveCouncil removes the member and revokes the key.
	member, err := env.State.IsCouncil(a.PubKey)
	if err != nil {
		return err
	}
	if member {
		return Errorf(ErrInvalid, "key %s is a council key; use RemoveCouncil", KeyID(a.PubKey))
	}
	return nil
}
func (a *RevokeKey) Apply(env *Env) error { return revokeApply(env, a.PubKey, a.Reason) }
func (a *RevokeKey) Summary() string      { return "revoke key " + KeyID(a.PubKey) }

func revokeCheck(st *State, pub []byte) error {
	kr, err := st.KeyRecord(pub)
	if err != nil {
		if !IsDomain(err) {
			return err
		}
		return Errorf(ErrNotFound, "key %s is not registered", KeyID(pub))
	}
	if kr.Revoked {
		return Errorf(ErrConflict, "key %s is already revoked", KeyID(pub))
	}
	return nil
}

func revokeApply(env *Env, pub []byte, reason string) error {
	kr, err := env.State.KeyRecord(pub)
	if err != nil {
		return err
	}
	kr.Revoked = true
	kr.RevokedHeight = env.Ctx.Height
	kr.RevokeReason = reason
	env.Emit("key_revoked", "key", KeyID(pub), "owner", kr.Owner)
	return env.State.SetKeyRecord(kr)
}

// SetValidator adds, reweights or (power 0) removes a validator.
type SetValidator struct {
	PubKey []byte
	Power  uint64
	Name   string
}

func (a *SetValidator) ActionType() ActionType { return ActionTypeSetValidator }
func (a *SetValidator) Encode(e *Encoder)      { e.Bytes(a.PubKey); e.Uint(a.Power); e.String(a.Name) }
func (a *SetValidator) ValidateBasic() error {
	if err := checkPubKey(a.PubKey); err != nil {
		return err
	}
	if a.Power > MaxValidatorPower {
		return Errorf(ErrInvalid, "power above %d", uint64(MaxValidatorPower))
	}
	if a.Power > 0 {
		return checkName("name", a.Name, 200)
	}
	return CheckNFC(a.Name)
}
func (a *SetValidator) Check(env *Env) error {
	vals, err := env.State.Validators()
	if err != nil {
		return err
	}
	var total uint64
	found := false
	for _, v := range vals {
		if bytes.Equal(v.PubKey, a.PubKey) {
			found = true
			continue
		}
		total += v.Power
	}
	if a.Power == 0 && !found {
		return Errorf(ErrNotFound, "validator %s is not in the set", KeyID(a.PubKey))
	}
	if total+a.Power == 0 {
		return Errorf(ErrInvalid, "the validator set cannot become empty")
	}
	return nil
}
func (a *SetValidator) Apply(env *Env) error {
	env.Result.ValidatorUpdates = append(env.Result.ValidatorUpdates, ValidatorUpdate{PubKey: a.PubKey, Power: a.Power})
	env.Emit("validator_set", "validator", KeyID(a.PubKey), "power", uitoa(a.Power))
	if a.Power == 0 {
		return env.State.Store().Delete(ValidatorKey(a.PubKey))
	}
	v := &Validator{PubKey: a.PubKey, Power: a.Power, Name: a.Name}
	return env.State.put(ValidatorKey(a.PubKey), v.Encode)
}
func (a *SetValidator) Summary() string {
	return "set validator " + KeyID(a.PubKey) + " power " + uitoa(a.Power)
}

// AddCouncil adds a council member.
type AddCouncil struct {
	PubKey []byte
	Name   string
}

func (a *AddCouncil) ActionType() ActionType { return ActionTypeAddCouncil }
func (a *AddCouncil) Encode(e *Encoder)      { e.Bytes(a.PubKey); e.String(a.Name) }
func (a *AddCouncil) ValidateBasic() error {
	if err := checkPubKey(a.PubKey); err != nil {
		return err
	}
	return checkName("name", a.Name, 200)
}
func (a *AddCouncil) Check(env *Env) error { return keyUnused(env.State, a.PubKey) }
func (a *AddCouncil) Apply(env *Env) error {
	return addCouncil(env.State, a.PubKey, a.Name, env.Ctx.Height)
}
func (a *AddCouncil) Summary() string { return "add council member " + a.Name }

func addCouncil(st *State, pub []byte, name string, h uint64) error {
	if err := st.s.Set(CouncilKey(pub), []byte(name)); err != nil {
		return err
	}
	return st.SetKeyRecord(&KeyRecord{PubKey: pub, Kind: KeyCouncil, Label: name, AddedHeight: h})
}

// RemoveCouncil removes a council member (and revokes the key).
type RemoveCouncil struct {
	PubKey []byte
}

func (a *RemoveCouncil) ActionType() ActionType { return ActionTypeRemoveCouncil }
func (a *RemoveCouncil) Encode(e *Encoder)      { e.Bytes(a.PubKey) }
func (a *RemoveCouncil) ValidateBasic() error   { return checkPubKey(a.PubKey) }
func (a *RemoveCouncil) Check(env *Env) error {
	ok, err := env.State.IsCouncil(a.PubKey)
	if err != nil {
		return err
	}
	if !ok {
		return Errorf(ErrNotFound, "key %s is not on the council", KeyID(a.PubKey))
	}
	c, err := env.State.Council()
	if err != nil {
		return err
	}
	if len(c) <= 1 {
		return Errorf(ErrInvalid, "the council cannot become empty")
	}
	return nil
}
func (a *RemoveCouncil) Apply(env *Env) error {
	if err := env.State.Store().Delete(CouncilKey(a.PubKey)); err != nil {
		return err
	}
	return revokeApply(env, a.PubKey, "removed from the council")
}
func (a *RemoveCouncil) Summary() string { return "remove council member " + KeyID(a.PubKey) }

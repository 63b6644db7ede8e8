package registry

// MsgAddSubKey registers an official's sub-key under the signer's agency.
// Only an agency main key may add sub-keys. The label names a post, never
// a person (e.g. "Cán bộ kiểm tra 03").
type MsgAddSubKey struct {
	PubKey []byte
	Label  string
	// Scope: the message names the sub-key may sign (sorted, unique; see
	// CheckScope). Empty: the key can sign nothing until it is given one.
	Scope []string
}

func decodeAddSubKey(d *Decoder) Msg {
	m := &MsgAddSubKey{PubKey: d.Bytes(), Label: d.String()}
	if d.More() {
		if m.Scope = d.Strings(MaxScope); len(m.Scope) == 0 && d.Err() == nil {
			d.fail("an empty scope is written as none")
		}
	}
	return m
}

func (m *MsgAddSubKey) Type() MsgType { return MsgTypeAddSubKey }
func (m *MsgAddSubKey) Encode(e *Encoder) {
	e.Bytes(m.PubKey)
	e.String(m.Label)
	if len(m.Scope) > 0 {
		e.Strings(m.Scope)
	}
}
func (m *MsgAddSubKey) ValidateBasic() error {
	if err := checkPubKey(m.PubKey); err != nil {
		return err
	}
	if err := checkName("label", m.Label, 200); err != nil {
		return err
	}
	return CheckScope(m.Scope)
}
func (m *MsgAddSubKey) Execute(env *Env) error {
	if env.Signer.Key.Kind != KeyAgency {
		return Errorf(ErrUnauthorized, "only an agency main key may add sub-keys")
	}
	if err := keyUnused(env.State, m.PubKey); err != nil {
		return err
	}
	env.Emit("key_added", "agency", env.Signer.Agency.ID, "key", KeyID(m.PubKey), "kind", "official")
	return env.State.SetKeyRecord(&KeyRecord{PubKey: m.PubKey, Kind: KeyOfficial, Owner: env.Signer.Agency.ID,
		Label: m.Label, AddedHeight: env.Ctx.Height, Scope: m.Scope})
}

// MsgRevokeSubKey revokes one of the agency's official sub-keys.
type MsgRevokeSubKey struct {
	PubKey []byte
	Reason string
	// CompromisedSince > 0 revokes the key as compromised since that
	// height (also a key already revoked): what it signed from then on is
	// never valid again. Written only when set.
	CompromisedSince uint64
}

func decodeRevokeSubKey(d *Decoder) Msg {
	m := &MsgRevokeSubKey{PubKey: d.Bytes(), Reason: d.String()}
	if d.More() {
		if m.CompromisedSince = d.Uint(); m.CompromisedSince == 0 && d.Err() == nil {
			d.fail("compromised_since 0 is written as none")
		}
	}
	return m
}

func (m *MsgRevokeSubKey) Type() MsgType { return MsgTypeRevokeSubKey }
func (m *MsgRevokeSubKey) Encode(e *Encoder) {
	e.Bytes(m.PubKey)
	e.String(m.Reason)
	if m.CompromisedSince > 0 {
		e.Uint(m.CompromisedSince)
	}
}
func (m *MsgRevokeSubKey) ValidateBasic() error {
	if err := checkPubKey(m.PubKey); err != nil {
		return err
	}
	return checkName("reason", m.Reason, 500)
}
func (m *MsgRevokeSubKey) Execute(env *Env) error {
	if env.Signer.Key.Kind != KeyAgency {
		return Errorf(ErrUnauthorized, "only an agency main key may revoke sub-keys")
	}
	kr, err := env.State.KeyRecord(m.PubKey)
	if err != nil {
		if !IsDomain(err) {
			return err
		}
		return Errorf(ErrNotFound, "key %s is not registered", KeyID(m.PubKey))
	}
	if kr.Kind != KeyOfficial || kr.Owner != env.Signer.Agency.ID {
		return Errorf(ErrUnauthorized, "key %s is not a sub-key of %s", KeyID(m.PubKey), env.Signer.Agency.ID)
	}
	if m.CompromisedSince > 0 {
		return markCompromised(env, kr, m.CompromisedSince, m.Reason)
	}
	if err := revokeCheck(env.State, m.PubKey); err != nil {
		return err
	}
	return revokeApply(env, m.PubKey, m.Reason)
}

package registry

// TagBinding links a physical tag (a QR serial or an NFC UID) to exactly
// one product. The first activation wins and is never changed.
type TagBinding struct {
	Kind    TagKind
	Tag     string
	Product uint64
	Agency  string // the binding agency
	Signer  []byte
	Height  uint64
	Time    uint64
}

// Encode writes the canonical form.
func (t *TagBinding) Encode(e *Encoder) {
	e.Uint(uint64(t.Kind))
	e.String(t.Tag)
	e.Uint(t.Product)
	e.String(t.Agency)
	e.Bytes(t.Signer)
	e.Uint(t.Height)
	e.Uint(t.Time)
}

// DecodeTagBinding reads the canonical form.
func DecodeTagBinding(b []byte) (*TagBinding, error) {
	d := NewDecoder(b)
	t := &TagBinding{Kind: TagKind(d.Uint()), Tag: d.String(), Product: d.Uint(), Agency: d.String(), Signer: d.Bytes(),
		Height: d.Uint(), Time: d.Uint()}
	if err := d.Finish(); err != nil {
		return nil, err
	}
	return t, nil
}

// TagBinding reads a tag's binding; ErrNotFound if the tag is not bound.
func (st *State) TagBinding(kind TagKind, tag string) (*TagBinding, error) {
	b, err := st.s.Get(TagKey(kind, tag))
	if err != nil {
		return nil, err
	}
	if b == nil {
		return nil, Errorf(ErrNotFound, "%s tag %q is not bound to a product", kind, tag)
	}
	return DecodeTagBinding(b)
}

// MsgBindTag activates a physical tag for a product. A tag binds to
// exactly one product and a product has at most one tag: binding a bound
// tag again (to any product, including a second physical tag printed with
// the same serial) or a second tag to a tagged product is a conflict.
//
// Who may bind: for a craft product, a key of the maker's agency or the
// current owner's key; for a traced food object, a food.business agency.
type MsgBindTag struct {
	Product uint64
	Kind    TagKind
	Tag     string // canonical form (NormalizeTag)
}

func decodeBindTag(d *Decoder) Msg {
	return &MsgBindTag{Product: d.Uint(), Kind: TagKind(d.Uint()), Tag: d.String()}
}

func (m *MsgBindTag) Type() MsgType { return MsgTypeBindTag }

func (m *MsgBindTag) Encode(e *Encoder) {
	e.Uint(m.Product)
	e.Uint(uint64(m.Kind))
	e.String(m.Tag)
}

func (m *MsgBindTag) ValidateBasic() error {
	if m.Product == 0 {
		return Errorf(ErrInvalid, "product id is required")
	}
	return CheckTag(m.Kind, m.Tag)
}

func (m *MsgBindTag) Execute(env *Env) error {
	if env.Signer.Agency == nil {
		return Errorf(ErrUnauthorized, "only agency keys may bind tags")
	}
	p, err := env.State.Product(m.Product)
	if err != nil {
		return err
	}
	if err := mayBindTag(env, p); err != nil {
		return err
	}
	if old, err := env.State.TagBinding(m.Kind, m.Tag); err == nil {
		return Errorf(ErrConflict, "%s tag %s is already bound to product %d (height %d): a tag binds to one product only",
			m.Kind, m.Tag, old.Product, old.Height)
	} else if !IsDomain(err) {
		return err
	}
	if p.Tag != "" {
		return Errorf(ErrConflict, "product %d already carries %s tag %s", p.ID, p.TagKind, p.Tag)
	}
	t := &TagBinding{Kind: m.Kind, Tag: m.Tag, Product: p.ID, Agency: env.Signer.Agency.ID, Signer: env.Signer.PubKey,
		Height: env.Ctx.Height, Time: blockUnix(env)}
	if err := env.State.put(TagKey(m.Kind, m.Tag), t.Encode); err != nil {
		return err
	}
	p.TagKind, p.Tag = m.Kind, m.Tag
	if err := env.State.SetProduct(p); err != nil {
		return err
	}
	env.Emit("tag_bound", "product", FormatProductID(p.ID), "kind", m.Kind.String(), "tag", m.Tag)
	return nil
}

func mayBindTag(env *Env, p *Product) error {
	if c := p.Craft; c != nil {
		if env.Signer.Agency.ID == c.Agency || (c.Owner.Kind == OwnerKey && string(c.Owner.Value) == string(env.Signer.PubKey)) {
			return nil
		}
		return Errorf(ErrUnauthorized, "only the maker (%s) or the current owner may tag product %d", c.Agency, p.ID)
	}
	return env.Signer.RequireRole(RoleFoodBusiness)
}

package registry

import "strconv"

// Transfer is one entry of a craft product's ownership history.
type Transfer struct {
	Product  uint64
	Seq      uint64 // 1..Product.Transfers
	From     Owner
	To       Owner
	Signer   []byte
	Agency   string // the signer's agency
	OnBehalf bool   // recorded by the maker's registrar for an owner who cannot sign
	Height   uint64
	Time     uint64
}

// Encode writes the canonical form.
func (t *Transfer) Encode(e *Encoder) {
	e.Uint(t.Product)
	e.Uint(t.Seq)
	t.From.encode(e)
	t.To.encode(e)
	e.Bytes(t.Signer)
	e.String(t.Agency)
	e.Bool(t.OnBehalf)
	e.Uint(t.Height)
	e.Uint(t.Time)
}

// DecodeTransfer reads the canonical form.
func DecodeTransfer(b []byte) (*Transfer, error) {
	d := NewDecoder(b)
	t := &Transfer{Product: d.Uint(), Seq: d.Uint(), From: decodeOwner(d), To: decodeOwner(d), Signer: d.Bytes(),
		Agency: d.String(), OnBehalf: d.Bool(), Height: d.Uint(), Time: d.Uint()}
	if err := d.Finish(); err != nil {
		return nil, err
	}
	return t, nil
}

// MsgTransferItem passes ownership of a craft item or batch to a buyer: a
// key, or a salted commitment for a buyer without one. It must be signed
// by the current owner's key. When the current owner cannot sign (a
// commitment, or a key not registered on the chain), the registrar that
// enrolled the maker records the transfer on the owner's behalf
// (OnBehalf), after checking the owner offline; the history says so. The
// history is append-only; the tx Data is the transfer's number (8 BE).
type MsgTransferItem struct {
	Product  uint64
	To       Owner
	OnBehalf bool
}

func decodeTransferItem(d *Decoder) Msg {
	return &MsgTransferItem{Product: d.Uint(), To: decodeOwner(d), OnBehalf: d.Bool()}
}

func (m *MsgTransferItem) Type() MsgType { return MsgTypeTransferItem }

func (m *MsgTransferItem) Encode(e *Encoder) {
	e.Uint(m.Product)
	m.To.encode(e)
	e.Bool(m.OnBehalf)
}

func (m *MsgTransferItem) ValidateBasic() error {
	if m.Product == 0 {
		return Errorf(ErrInvalid, "product id is required")
	}
	return m.To.Validate()
}

func (m *MsgTransferItem) Execute(env *Env) error {
	p, err := env.State.Product(m.Product)
	if err != nil {
		return err
	}
	c := p.Craft
	if c == nil {
		return Errorf(ErrInvalid, "product %d is a %s: only craft products change owner on chain", p.ID, p.Kind)
	}
	owner := c.Owner
	if owner.Equal(m.To) {
		return Errorf(ErrInvalid, "product %d already belongs to %s", p.ID, owner)
	}
	if m.OnBehalf {
		if err := env.Signer.RequireRole(RoleCraftRegistrar); err != nil {
			return err
		}
		if env.Signer.Agency.ID != c.Registrar {
			return Errorf(ErrUnauthorized, "only %s, which enrolled the maker, may record a transfer of product %d on the owner's behalf",
				c.Registrar, p.ID)
		}
		if owner.Kind == OwnerKey {
			if _, err := env.State.KeyRecord(owner.Value); err == nil {
				return Errorf(ErrUnauthorized, "the owner of product %d has a registered key (%s) and must sign the transfer",
					p.ID, KeyID(owner.Value))
			} else if !IsDomain(err) {
				return err
			}
		}
	} else if owner.Kind != OwnerKey || string(owner.Value) != string(env.Signer.PubKey) {
		return Errorf(ErrUnauthorized, "a transfer of product %d must be signed by its current owner (%s), not key %s",
			p.ID, owner, KeyID(env.Signer.PubKey))
	}
	agency := ""
	if env.Signer.Agency != nil {
		agency = env.Signer.Agency.ID
	}
	p.Transfers++
	t := &Transfer{Product: p.ID, Seq: p.Transfers, From: owner, To: m.To, Signer: env.Signer.PubKey, Agency: agency,
		OnBehalf: m.OnBehalf, Height: env.Ctx.Height, Time: blockUnix(env)}
	if err := env.State.put(TransferKey(p.ID, t.Seq), t.Encode); err != nil {
		return err
	}
	c.Owner = m.To
	if err := env.State.SetProduct(p); err != nil {
		return err
	}
	env.Result.Data = EncodeProductIndex(t.Seq)
	env.Emit("product_transferred", "product", FormatProductID(p.ID), "seq", strconv.FormatUint(t.Seq, 10),
		"to", m.To.String())
	return nil
}

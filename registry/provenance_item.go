package registry

// MsgRegisterItem registers a craft item or batch, signed by an enrolled
// artisan key (active enrolment, agency holding craft.artisan). The maker's
// workshop and village come from the enrolment, never from the message;
// the maker's key is the first owner. Quality claims (OCOP stars) are not
// part of it: they are attestations by a rating agency (MsgAttestProduct).
// The tx Data is the new product id (8 bytes BE).
type MsgRegisterItem struct {
	Kind         ProductKind // ProductCraftItem or ProductCraftBatch
	Quantity     uint64      // 1 for an item; the batch size for a batch
	Identifier   string      // optional GS1 Digital Link URI or trace code of the item or batch
	Class        string      // product class code
	Name         string
	Description  string
	Materials    []string
	Photos       []string // payload CIDs, sorted, unique
	Certificates []string // payload CIDs, sorted, unique
}

func decodeRegisterItem(d *Decoder) Msg {
	return &MsgRegisterItem{Kind: ProductKind(d.Uint()), Quantity: d.Uint(), Identifier: d.String(), Class: d.String(),
		Name: d.String(), Description: d.String(), Materials: d.Strings(MaxMaterials), Photos: d.Strings(MaxPayloadCIDs),
		Certificates: d.Strings(MaxPayloadCIDs)}
}

func (m *MsgRegisterItem) Type() MsgType { return MsgTypeRegisterItem }

func (m *MsgRegisterItem) Encode(e *Encoder) {
	e.Uint(uint64(m.Kind))
	e.Uint(m.Quantity)
	e.String(m.Identifier)
	e.String(m.Class)
	e.String(m.Name)
	e.String(m.Description)
	e.Strings(m.Materials)
	e.Strings(m.Photos)
	e.Strings(m.Certificates)
}

func (m *MsgRegisterItem) ValidateBasic() error {
	switch {
	case m.Kind == ProductCraftItem && m.Quantity != 1:
		return Errorf(ErrInvalid, "an item has quantity 1")
	case m.Kind == ProductCraftBatch && (m.Quantity < 1 || m.Quantity > MaxBatchQuantity):
		return Errorf(ErrInvalid, "a batch has quantity 1..%d", MaxBatchQuantity)
	case m.Kind != ProductCraftItem && m.Kind != ProductCraftBatch:
		return Errorf(ErrInvalid, "kind %d must be craft item (1) or craft batch (2)", m.Kind)
	}
	if m.Identifier != "" {
		if err := CheckIdentifier("identifier", m.Identifier); err != nil {
			return err
		}
	}
	if m.Class == "" {
		return Errorf(ErrInvalid, "product class is required")
	}
	if err := checkCode("class", m.Class, MaxClassLen, false); err != nil {
		return err
	}
	if m.Name == "" {
		return Errorf(ErrInvalid, "product name is required")
	}
	if err := checkText("name", m.Name, MaxProductNameLen); err != nil {
		return err
	}
	if err := checkText("description", m.Description, MaxDescriptionLen); err != nil {
		return err
	}
	if len(m.Materials) > MaxMaterials {
		return Errorf(ErrInvalid, "at most %d materials", MaxMaterials)
	}
	for _, s := range m.Materials {
		if s == "" {
			return Errorf(ErrInvalid, "empty material")
		}
		if err := checkText("material", s, MaxMaterialLen); err != nil {
			return err
		}
	}
	if err := checkCIDs("photos", m.Photos); err != nil {
		return err
	}
	return checkCIDs("certificates", m.Certificates)
}

func (m *MsgRegisterItem) Execute(env *Env) error {
	if err := env.Signer.RequireRole(RoleCraftArtisan); err != nil {
		return err
	}
	en, err := env.State.Enrolment(env.Signer.PubKey)
	if err != nil {
		if IsDomain(err) {
			return Errorf(ErrUnauthorized, "key %s is not enrolled as an artisan by a craft registrar", KeyID(env.Signer.PubKey))
		}
		return err
	}
	if en.Status != EnrolmentActive {
		return Errorf(ErrUnauthorized, "the enrolment of artisan key %s was withdrawn at height %d", KeyID(env.Signer.PubKey), en.StatusHeight)
	}
	if en.Agency != env.Signer.Agency.ID {
		return Errorf(ErrUnauthorized, "artisan key %s was enrolled for %s, not %s", KeyID(env.Signer.PubKey), en.Agency, env.Signer.Agency.ID)
	}
	p := &Product{Kind: m.Kind, Identifier: m.Identifier, Craft: &CraftDetails{
		Class: m.Class, Name: m.Name, Description: m.Description, Materials: m.Materials, Photos: m.Photos,
		Certificates: m.Certificates, Quantity: m.Quantity, Maker: env.Signer.PubKey, Agency: en.Agency,
		Registrar: en.Registrar, Workshop: en.Workshop, Village: en.Village,
		Owner: Owner{Kind: OwnerKey, Value: env.Signer.PubKey}}}
	if err := newProduct(env, p); err != nil {
		return err
	}
	env.Result.Data = EncodeProductIndex(p.ID)
	env.Emit("product_registered", "id", FormatProductID(p.ID), "kind", p.Kind.String(), "agency", en.Agency,
		"maker", KeyID(env.Signer.PubKey))
	return nil
}

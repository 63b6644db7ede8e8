package registry

import "strconv"

// FoodAuthStatus is the state of a business's authorisation for a step.
type FoodAuthStatus uint64

// Authorisation statuses.
const (
	FoodAuthorised FoodAuthStatus = 1
	FoodWithdrawn  FoodAuthStatus = 2 // events recorded before stay valid
)

func (s FoodAuthStatus) String() string {
	switch s {
	case FoodAuthorised:
		return "authorised"
	case FoodWithdrawn:
		return "withdrawn"
	}
	return "unknown"
}

// MaxAuthSteps bounds the bizSteps of one authorisation message.
const MaxAuthSteps = 64

// FoodAuth is the food authority's (Ban Quản lý ATTP) authorisation of a
// food business to record one kind of step (a CBV bizStep).
type FoodAuth struct {
	Agency    string
	BizStep   string
	Status    FoodAuthStatus
	Authority string // the food.authority agency
	Ref       string // decision number
	Height    uint64 // last change
	Time      uint64
}

// Encode writes the canonical form.
func (a *FoodAuth) Encode(e *Encoder) {
	e.String(a.Agency)
	e.String(a.BizStep)
	e.Uint(uint64(a.Status))
	e.String(a.Authority)
	e.String(a.Ref)
	e.Uint(a.Height)
	e.Uint(a.Time)
}

// DecodeFoodAuth reads the canonical form.
func DecodeFoodAuth(b []byte) (*FoodAuth, error) {
	d := NewDecoder(b)
	a := &FoodAuth{Agency: d.String(), BizStep: d.String(), Status: FoodAuthStatus(d.Uint()), Authority: d.String(),
		Ref: d.String(), Height: d.Uint(), Time: d.Uint()}
	if err := d.Finish(); err != nil {
		return nil, err
	}
	return a, nil
}

// FoodAuth reads an authorisation; nil if there is none.
func (st *State) FoodAuth(agency, bizStep string) (*FoodAuth, error) {
	b, err := st.s.Get(FoodAuthKey(agency, bizStep))
	if err != nil || b == nil {
		return nil, err
	}
	return DecodeFoodAuth(b)
}

// requireFoodAuth fails with ErrUnauthorized unless the food authority
// authorised agency for bizStep.
func requireFoodAuth(st *State, agency, bizStep string) error {
	a, err := st.FoodAuth(agency, bizStep)
	if err != nil {
		return err
	}
	if a == nil || a.Status != FoodAuthorised {
		return Errorf(ErrUnauthorized, "business %s is not authorised by the Food Safety Management Board to record bizStep %q events",
			agency, bizStep)
	}
	return nil
}

// MsgAuthorizeFood authorises (or withdraws the authorisation of) a food
// business for kinds of steps. The signer's agency must hold
// food.authority; the business must hold food.business.
type MsgAuthorizeFood struct {
	Agency   string
	BizSteps []string // sorted, unique: bare CBV terms or URIs
	Status   FoodAuthStatus
	Ref      string // decision number, e.g. "45/QĐ-BQLATTP"
}

func decodeAuthorizeFood(d *Decoder) Msg {
	return &MsgAuthorizeFood{Agency: d.String(), BizSteps: d.Strings(MaxAuthSteps), Status: FoodAuthStatus(d.Uint()), Ref: d.String()}
}

func (m *MsgAuthorizeFood) Type() MsgType { return MsgTypeAuthorizeFood }

func (m *MsgAuthorizeFood) Encode(e *Encoder) {
	e.String(m.Agency)
	e.Strings(m.BizSteps)
	e.Uint(uint64(m.Status))
	e.String(m.Ref)
}

func (m *MsgAuthorizeFood) ValidateBasic() error {
	if m.Agency == "" || len(m.Agency) > 64 {
		return Errorf(ErrInvalid, "agency id must be 1..64 bytes")
	}
	if err := CheckNFC(m.Agency); err != nil {
		return err
	}
	if len(m.BizSteps) == 0 || len(m.BizSteps) > MaxAuthSteps {
		return Errorf(ErrInvalid, "an authorisation names 1..%d bizSteps", MaxAuthSteps)
	}
	for i, s := range m.BizSteps {
		if err := CheckVocab(VocabBizStep, s); err != nil {
			return err
		}
		if i > 0 && m.BizSteps[i-1] >= s {
			return Errorf(ErrInvalid, "bizSteps must be sorted and unique")
		}
	}
	if m.Status != FoodAuthorised && m.Status != FoodWithdrawn {
		return Errorf(ErrInvalid, "status %d must be authorised (1) or withdrawn (2)", m.Status)
	}
	return checkText("ref", m.Ref, MaxRefLen)
}

func (m *MsgAuthorizeFood) Execute(env *Env) error {
	if err := env.Signer.RequireRole(RoleFoodAuthority); err != nil {
		return err
	}
	biz, err := env.State.Agency(m.Agency)
	if err != nil {
		return err
	}
	if !biz.HasRole(RoleFoodBusiness) {
		return Errorf(ErrInvalid, "agency %s does not hold role %s", m.Agency, RoleFoodBusiness)
	}
	for _, step := range m.BizSteps {
		old, err := env.State.FoodAuth(m.Agency, step)
		if err != nil {
			return err
		}
		if old == nil && m.Status == FoodWithdrawn {
			return Errorf(ErrNotFound, "business %s has no authorisation for bizStep %q", m.Agency, step)
		}
		a := &FoodAuth{Agency: m.Agency, BizStep: step, Status: m.Status, Authority: env.Signer.Agency.ID, Ref: m.Ref,
			Height: env.Ctx.Height, Time: blockUnix(env)}
		if err := env.State.put(FoodAuthKey(m.Agency, step), a.Encode); err != nil {
			return err
		}
	}
	env.Emit("food_business_authorized", "agency", m.Agency, "status", m.Status.String(),
		"steps", strconv.Itoa(len(m.BizSteps)), "authority", env.Signer.Agency.ID)
	return nil
}

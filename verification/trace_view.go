package verification

import (
	"strings"
	"time"

	"github.com/danangchain/danangchain/registry"
)

// TraceView is the JSON shape of a trace (CLI -o json, API, web page).
// Times are RFC 3339 in UTC+7; ids are decimal strings; event ids are
// EPCIS Event Hash IDs.
type TraceView struct {
	Product       ProductView       `json:"product"`
	Steps         []StepView        `json:"steps"`
	Businesses    []BusinessView    `json:"businesses"`
	Related       []RelatedView     `json:"related,omitempty"`
	Ownership     []TransferView    `json:"ownership,omitempty"`
	Attestations  []AttestationView `json:"attestations,omitempty"`
	Scans         []ScanView        `json:"scans,omitempty"`
	CloneFlags    []CloneFlagView   `json:"clone_flags"`
	ProvenHeight  int64             `json:"proven_height"`
	CheckedAt     string            `json:"checked_at"`
	ProofVerified bool              `json:"proof_verified"`
	Truncated     bool              `json:"truncated,omitempty"`
}

// ProductView describes the traced product.
type ProductView struct {
	ID         string     `json:"id"`
	Kind       string     `json:"kind"`
	Identifier string     `json:"identifier,omitempty"`
	CreatedAt  string     `json:"created_at"`
	Height     uint64     `json:"height"`
	Tag        *TagView   `json:"tag,omitempty"`
	Craft      *CraftView `json:"craft,omitempty"`
	// Name names the product for people: a craft product's name, or its
	// identifier in words (the chain carries no name for EPCIS objects).
	Name Words `json:"name"`
	// IdentifierText is the identifier in words (GTIN, serial, lot…).
	IdentifierText *Words `json:"identifier_text,omitempty"`
}

// TagView is the tag bound to the product.
type TagView struct {
	Kind    string `json:"kind"`
	Tag     string `json:"tag"`
	Agency  string `json:"agency"`
	BoundAt string `json:"bound_at"`
	Height  uint64 `json:"height"`
}

// CraftView is what the artisan registered.
type CraftView struct {
	Name          string   `json:"name"`
	Class         string   `json:"class"`
	Description   string   `json:"description,omitempty"`
	Materials     []string `json:"materials,omitempty"`
	Photos        []string `json:"photos,omitempty"`
	Certificates  []string `json:"certificates,omitempty"`
	Quantity      uint64   `json:"quantity"`
	Maker         string   `json:"maker_key_id"`
	Workshop      string   `json:"workshop"`
	Village       string   `json:"village"`
	Agency        string   `json:"agency"`
	AgencyName    string   `json:"agency_name,omitempty"`
	Registrar     string   `json:"registrar"`
	RegistrarName string   `json:"registrar_name,omitempty"`
	Owner         string   `json:"owner"`
	OwnerName     Words    `json:"owner_name"` // the owner for people (see OwnerWords)
}

// StepView is one step of the chain of custody.
type StepView struct {
	N                int              `json:"n"`
	Direction        string           `json:"direction"`
	EventType        string           `json:"event_type"`
	HashID           string           `json:"hash_id"`
	Business         string           `json:"business"`
	BusinessID       string           `json:"business_id"`
	BizStep          string           `json:"biz_step"`
	BizStepVI        string           `json:"biz_step_vi"`
	BizStepEN        string           `json:"biz_step_en"`
	Disposition      string           `json:"disposition,omitempty"`
	Action           string           `json:"action,omitempty"`
	Time             string           `json:"time"`
	TimeZoneOffset   string           `json:"time_zone_offset"`
	RecordedAt       string           `json:"recorded_at"`
	Height           uint64           `json:"height"`
	ReadPoint        string           `json:"read_point,omitempty"`
	Location         string           `json:"location,omitempty"`
	Place            *Words           `json:"place,omitempty"` // Location in words
	EPCs             []string         `json:"epcs,omitempty"`
	Parent           string           `json:"parent,omitempty"`
	Children         []string         `json:"children,omitempty"`
	Inputs           []string         `json:"inputs,omitempty"`
	Outputs          []string         `json:"outputs,omitempty"`
	InputsText       []Words          `json:"inputs_text,omitempty"`  // Inputs in words
	OutputsText      []Words          `json:"outputs_text,omitempty"` // Outputs in words
	Quantities       []QuantityView   `json:"quantities,omitempty"`
	BizTransactions  []string         `json:"biz_transactions,omitempty"` // a TransactionEvent's documents
	Sources          []string         `json:"sources,omitempty"`
	Destinations     []string         `json:"destinations,omitempty"`
	ErrorDeclaration *DeclarationView `json:"error_declaration,omitempty"`
	Corrects         []string         `json:"corrects,omitempty"`
	ProofVerified    bool             `json:"proof_verified"`
	Problem          string           `json:"problem,omitempty"`
	// OutsideChain: recorded by a business outside the product's chain
	// (it neither made the product nor received it from the chain); shown
	// apart from the journey.
	OutsideChain bool `json:"outside_chain,omitempty"`
	// Compromised: signed by a key declared compromised.
	Compromised bool `json:"signed_by_compromised_key,omitempty"`
}

// QuantityView is a quantity element.
type QuantityView struct {
	Class  string `json:"epc_class"`
	Amount string `json:"quantity,omitempty"`
	UOM    string `json:"uom,omitempty"`
	Output bool   `json:"output,omitempty"`
}

// DeclarationView is an EPCIS error declaration of a step.
type DeclarationView struct {
	Reason      string   `json:"reason,omitempty"`
	ReasonText  *Words   `json:"reason_text,omitempty"` // Reason in words
	DeclaredAt  string   `json:"declared_at"`
	RecordedAt  string   `json:"recorded_at"`
	Height      uint64   `json:"height"`
	CorrectedBy []string `json:"corrective_event_ids,omitempty"`
}

// BusinessView is a business of the chain, in order of first step.
type BusinessView struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Status string `json:"status,omitempty"`
}

// RelatedView is a product the trace went through.
type RelatedView struct {
	ID         string `json:"id"`
	Identifier string `json:"identifier"`
	Kind       string `json:"kind"`
	Direction  string `json:"direction"`
	Container  bool   `json:"container,omitempty"`
}

// TransferView is one ownership transfer.
type TransferView struct {
	Seq      uint64 `json:"seq"`
	From     string `json:"from"`
	To       string `json:"to"`
	FromName Words  `json:"from_name"` // From for people (see OwnerWords)
	ToName   Words  `json:"to_name"`
	Agency   string `json:"agency,omitempty"`
	Signer   string `json:"signer_key_id"`
	OnBehalf bool   `json:"on_behalf,omitempty"`
	At       string `json:"at"`
	Height   uint64 `json:"height"`
}

// AttestationView is a quality attestation.
type AttestationView struct {
	Seq         uint64 `json:"seq"`
	Scheme      string `json:"scheme"`
	Level       uint64 `json:"level"`
	Ref         string `json:"ref"`
	Certificate string `json:"certificate,omitempty"`
	Agency      string `json:"agency"`
	AgencyName  string `json:"agency_name,omitempty"`
	ValidUntil  string `json:"valid_until,omitempty"`
	Valid       bool   `json:"valid"`
	At          string `json:"at"`
	Height      uint64 `json:"height"`
	Compromised bool   `json:"signed_by_compromised_key,omitempty"`
}

// ScanView is one tag scan.
type ScanView struct {
	Seq        uint64 `json:"seq"`
	Location   string `json:"location"`
	Place      Words  `json:"place"` // Location in words
	Agency     string `json:"agency"`
	AgencyName string `json:"agency_name,omitempty"`
	At         string `json:"at"`
	Height     uint64 `json:"height"`
	// Compromised: signed by a key declared compromised; clone detection
	// ignores it.
	Compromised bool `json:"signed_by_compromised_key,omitempty"`
}

// CloneFlagView is a clone-detection flag.
type CloneFlagView struct {
	Rule     string   `json:"rule"`
	Scans    []uint64 `json:"scans"`
	Sale     string   `json:"sale_event,omitempty"`
	Detail   string   `json:"detail"`
	DetailVI string   `json:"detail_vi"`
}

// bizStepLabels are the Vietnamese and English labels of common steps.
var bizStepLabels = map[string][2]string{
	"commissioning":           {"Khởi tạo, đưa vào theo dõi", "Commissioning"},
	"shipping":                {"Xuất hàng", "Shipping"},
	"receiving":               {"Nhận hàng", "Receiving"},
	"slaughtering":            {"Giết mổ", "Slaughtering"},
	"killing":                 {"Giết mổ", "Slaughtering"},
	"packing":                 {"Đóng gói", "Packing"},
	"unpacking":               {"Mở thùng", "Unpacking"},
	"retail_selling":          {"Bán lẻ", "Retail sale"},
	"transporting":            {"Vận chuyển", "Transporting"},
	"storing":                 {"Lưu kho", "Storing"},
	"inspecting":              {"Kiểm tra", "Inspecting"},
	"sampling":                {"Lấy mẫu", "Sampling"},
	"loading":                 {"Xếp hàng lên xe", "Loading"},
	"unloading":               {"Dỡ hàng", "Unloading"},
	"accepting":               {"Chấp nhận", "Accepting"},
	"arriving":                {"Đến nơi", "Arriving"},
	"departing":               {"Rời đi", "Departing"},
	"repackaging":             {"Đóng gói lại", "Repackaging"},
	"stocking":                {"Lên kệ", "Stocking"},
	"destroying":              {"Tiêu hủy", "Destroying"},
	"decommissioning":         {"Ngừng theo dõi", "Decommissioning"},
	"holding":                 {"Tạm giữ", "Holding"},
	"assembling":              {"Lắp ráp", "Assembling"},
	"creating_class_instance": {"Tạo lô, mẻ", "Creating a lot"},
}

// BizStepLabels returns the Vietnamese and English labels of a bizStep
// (the term itself when it has none).
func BizStepLabels(step string) (vi, en string) {
	if l, ok := bizStepLabels[step]; ok {
		return l[0], l[1]
	}
	return step, step
}

// FormatEventMillis shows an event time (unix ms) in UTC+7.
func FormatEventMillis(ms uint64) string {
	return time.UnixMilli(int64(ms)).In(ICT).Format("2006-01-02T15:04:05.000Z07:00")
}

// View returns the JSON shape of the trace.
func (t *Trace) View() *TraceView {
	p := t.Product
	v := &TraceView{Product: ProductView{ID: registry.FormatProductID(p.ID), Kind: p.Kind.String(), Identifier: p.Identifier,
		CreatedAt: FormatUnix(p.Time), Height: p.Height},
		Steps: []StepView{}, Businesses: []BusinessView{}, CloneFlags: []CloneFlagView{},
		ProvenHeight: t.Height, CheckedAt: t.Time.In(ICT).Format(time.RFC3339), ProofVerified: t.Verified(), Truncated: t.Truncated}
	if b := t.Tag; b != nil {
		v.Product.Tag = &TagView{Kind: b.Kind.String(), Tag: b.Tag, Agency: b.Agency, BoundAt: FormatUnix(b.Time), Height: b.Height}
	}
	if c := p.Craft; c != nil {
		cv := &CraftView{Name: c.Name, Class: c.Class, Description: c.Description, Materials: c.Materials, Photos: c.Photos,
			Certificates: c.Certificates, Quantity: c.Quantity, Maker: registry.KeyID(c.Maker), Workshop: c.Workshop,
			Village: c.Village, Agency: c.Agency, Registrar: c.Registrar, Owner: c.Owner.String(), OwnerName: t.OwnerWords(c.Owner)}
		if t.Maker != nil {
			cv.AgencyName = t.Maker.Name
		}
		if t.Registrar != nil {
			cv.RegistrarName = t.Registrar.Name
		}
		v.Product.Craft = cv
	}
	v.Product.Name = DescribeProduct(v.Product)
	if p.Craft == nil {
		// The chain carries no name for an object of EPCIS events: it is
		// named by who made it (the business whose step created it).
		if maker := t.producer(); maker != "" {
			v.Product.Name = Words{"Sản phẩm của " + maker, "Product of " + maker}
		}
	}
	if p.Identifier != "" {
		w := DescribeIdentifier(p.Identifier)
		v.Product.IdentifierText = &w
	}
	seen := map[string]bool{}
	for i, s := range t.Steps {
		sv := stepView(s)
		sv.N = i + 1
		if sv.Place != nil {
			w := t.PlaceWords(sv.Location)
			sv.Place = &w
		}
		v.Steps = append(v.Steps, sv)
		if s.Record != nil && !s.Outside && !seen[s.Record.Agency] {
			seen[s.Record.Agency] = true
			b := BusinessView{ID: s.Record.Agency}
			if s.Agency != nil {
				b.Name, b.Status = s.Agency.Name, s.Agency.Status.String()
			}
			v.Businesses = append(v.Businesses, b)
		}
	}
	for _, rp := range t.Products {
		if rp.Product.ID == p.ID {
			continue
		}
		v.Related = append(v.Related, RelatedView{ID: registry.FormatProductID(rp.Product.ID), Identifier: rp.Product.Identifier,
			Kind: rp.Product.Kind.String(), Direction: string(rp.Direction), Container: rp.Parent})
	}
	for _, tr := range t.Ownership {
		v.Ownership = append(v.Ownership, TransferView{Seq: tr.Seq, From: tr.From.String(), To: tr.To.String(),
			FromName: t.OwnerWords(tr.From), ToName: t.OwnerWords(tr.To), Agency: tr.Agency,
			Signer: registry.KeyID(tr.Signer), OnBehalf: tr.OnBehalf, At: FormatUnix(tr.Time), Height: tr.Height})
	}
	for _, a := range t.Attestations {
		av := AttestationView{Seq: a.Seq, Scheme: a.Scheme, Level: a.Level, Ref: a.Ref, Certificate: a.Certificate, Agency: a.Agency,
			ValidUntil: FormatUnix(a.ValidUntil), Valid: a.Valid, At: FormatUnix(a.Time), Height: a.Height, Compromised: a.Compromised}
		if a.Rater != nil {
			av.AgencyName = a.Rater.Name
		}
		v.Attestations = append(v.Attestations, av)
	}
	for _, s := range t.Scans {
		sv := ScanView{Seq: s.Seq, Location: s.Location, Place: t.PlaceWords(s.Location), Agency: s.Scan.Agency,
			At: FormatUnix(s.Time), Height: s.Height, Compromised: s.Compromised}
		if s.Agency != nil {
			sv.AgencyName = s.Agency.Name
		}
		v.Scans = append(v.Scans, sv)
	}
	for _, f := range t.Flags {
		fv := CloneFlagView{Rule: f.Rule, Scans: f.Scans, Detail: f.Detail, DetailVI: f.DetailVI}
		if f.Sale != nil {
			fv.Sale = registry.FormatHashID(f.Sale)
		}
		v.CloneFlags = append(v.CloneFlags, fv)
	}
	return v
}

func stepView(s *TraceStep) StepView {
	sv := StepView{Direction: string(s.Direction), HashID: registry.FormatHashID(s.Hash), ProofVerified: s.Verified, Problem: s.Problem,
		OutsideChain: s.Outside, Compromised: s.Compromised}
	r := s.Record
	if r == nil {
		return sv
	}
	ev := &r.Event
	sv.EventType, sv.BusinessID, sv.BizStep = ev.Type.String(), r.Agency, ev.BizStep
	sv.BizStepVI, sv.BizStepEN = BizStepLabels(ev.BizStep)
	if s.Agency != nil {
		sv.Business = s.Agency.Name
	}
	sv.Disposition, sv.Action = ev.Disposition, ev.Action.String()
	sv.Time, sv.TimeZoneOffset = FormatEventMillis(ev.Time), ev.TZOffset
	sv.RecordedAt, sv.Height = FormatUnix(r.Time), r.Height
	sv.ReadPoint, sv.Location = ev.ReadPoint, ev.Location()
	if sv.Location != "" {
		w := DescribePlace(sv.Location)
		sv.Place = &w
	}
	switch ev.Type {
	case registry.EventObject:
		sv.EPCs = ev.EPCs
	case registry.EventTransaction:
		sv.EPCs, sv.Parent = ev.EPCs, ev.Parent
		for _, bt := range ev.BizTransactions {
			sv.BizTransactions = append(sv.BizTransactions, bt.ID)
		}
	case registry.EventAggregation, registry.EventAssociation:
		sv.Parent, sv.Children = ev.Parent, ev.EPCs
	case registry.EventTransformation:
		sv.Inputs, sv.Outputs = ev.EPCs, ev.OutEPCs
		for _, x := range ev.EPCs {
			sv.InputsText = append(sv.InputsText, DescribeIdentifier(x))
		}
		for _, x := range ev.OutEPCs {
			sv.OutputsText = append(sv.OutputsText, DescribeIdentifier(x))
		}
	}
	for _, q := range ev.Quantities {
		sv.Quantities = append(sv.Quantities, QuantityView{Class: q.Class, Amount: q.Amount, UOM: q.UOM})
	}
	for _, q := range ev.OutQuantities {
		sv.Quantities = append(sv.Quantities, QuantityView{Class: q.Class, Amount: q.Amount, UOM: q.UOM, Output: true})
	}
	for _, x := range ev.Sources {
		sv.Sources = append(sv.Sources, x.ID)
	}
	for _, x := range ev.Destinations {
		sv.Destinations = append(sv.Destinations, x.ID)
	}
	if d := s.Declaration; d != nil {
		dv := &DeclarationView{Reason: d.Reason, DeclaredAt: FormatEventMillis(d.ErrorDeclaration.Time), RecordedAt: FormatUnix(d.Time),
			Height: d.Height}
		if d.Reason != "" {
			w := DeclarationReasonWords(d.Reason)
			dv.ReasonText = &w
		}
		for _, c := range d.Corrective {
			dv.CorrectedBy = append(dv.CorrectedBy, registry.FormatCorrective(c))
		}
		sv.ErrorDeclaration = dv
	}
	for _, c := range s.Corrects {
		sv.Corrects = append(sv.Corrects, registry.FormatHashID(c))
	}
	return sv
}

// OwnerWords names an owner for people: a key by its on-chain label (or
// its agency's name), a buyer without a key as private — never the key id
// or the commitment.
func (t *Trace) OwnerWords(o registry.Owner) Words {
	switch o.Kind {
	case registry.OwnerCommitment:
		return Words{"Người mua (đã ẩn danh)", "Buyer (private)"}
	case registry.OwnerKey:
		if n := t.Owners[o.String()]; n != "" {
			return Words{n, n}
		}
		return Words{"Người giữ khóa chưa đăng ký tên", "A key holder with no registered name"}
	}
	return Words{"Không rõ", "Unknown"}
}

// DeclarationReasonWords says a CBV error-declaration reason in words
// (did_not_occur, incorrect_data); other reasons are returned as they are.
func DeclarationReasonWords(reason string) Words {
	r := reason
	for _, p := range []string{"urn:epcglobal:cbv:er:", "https://ref.gs1.org/cbv/ER-", "cbv:ER-"} {
		r = strings.TrimPrefix(r, p)
	}
	switch r {
	case "did_not_occur":
		return Words{"sự việc không xảy ra", "it did not happen"}
	case "incorrect_data":
		return Words{"dữ liệu ghi sai", "the data was wrong"}
	}
	return Words{reason, reason}
}

// producer is the name of the business whose own step created the traced
// product: a transformation that output it, or an event that added
// (commissioned) it; "" when none did (or none is named).
func (t *Trace) producer() string {
	id := t.Product.Identifier
	for _, s := range t.Steps {
		r := s.Record
		if r == nil || s.Declaration != nil || !s.Verified || s.Agency == nil || s.Direction != DirSelf {
			continue
		}
		ev := &r.Event
		if (ev.Type == registry.EventTransformation && contains(ev.OutEPCs, id)) ||
			(ev.Type == registry.EventObject && ev.Action == registry.ActionAdd && contains(ev.EPCs, id)) {
			return s.Agency.Name
		}
	}
	return ""
}

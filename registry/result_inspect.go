package registry

import "strconv"

// InspectionOutcome is what an official found when checking a result.
type InspectionOutcome uint64

// Outcomes of an inspection.
const (
	OutcomeOK             InspectionOutcome = 1 // document matches the record, result valid
	OutcomeMismatch       InspectionOutcome = 2 // document shown differs from the record
	OutcomeInvalid        InspectionOutcome = 3 // record revoked, replaced, suspended or expired
	OutcomeHolderMismatch InspectionOutcome = 4 // the holder proof did not match
	OutcomeOther          InspectionOutcome = 5
)

var outcomeNames = []string{"", "ok", "mismatch", "invalid", "holder_mismatch", "other"}

func (o InspectionOutcome) String() string {
	if o >= 1 && o < InspectionOutcome(len(outcomeNames)) {
		return outcomeNames[o]
	}
	return "unknown"
}

// ParseInspectionOutcome parses an outcome name.
func ParseInspectionOutcome(s string) (InspectionOutcome, error) {
	for i := 1; i < len(outcomeNames); i++ {
		if outcomeNames[i] == s {
			return InspectionOutcome(i), nil
		}
	}
	return 0, Errorf(ErrInvalid, "outcome %q must be one of ok, mismatch, invalid, holder_mismatch, other", s)
}

// Inspection is one entry of the inspection log (lưu vết kiểm tra): who
// checked which result, when, and what they found. It never holds the
// holder's identity.
type Inspection struct {
	Seq      uint64 // position in the chain-wide log
	ResultID uint64
	Official []byte // the official's sub-key
	Agency   string // the official's agency
	Height   uint64
	Time     uint64 // unix seconds, block time
	Outcome  InspectionOutcome
}

// Encode writes the canonical form.
func (in *Inspection) Encode(e *Encoder) {
	e.Uint(in.Seq)
	e.Uint(in.ResultID)
	e.Bytes(in.Official)
	e.String(in.Agency)
	e.Uint(in.Height)
	e.Uint(in.Time)
	e.Uint(uint64(in.Outcome))
}

// DecodeInspection reads the canonical form.
func DecodeInspection(b []byte) (*Inspection, error) {
	d := NewDecoder(b)
	in := &Inspection{Seq: d.Uint(), ResultID: d.Uint(), Official: d.Bytes(), Agency: d.String(),
		Height: d.Uint(), Time: d.Uint(), Outcome: InspectionOutcome(d.Uint())}
	if err := d.Finish(); err != nil {
		return nil, err
	}
	return in, nil
}

// Keys returns the log key and the two index keys of the inspection.
func (in *Inspection) Keys() (log, byOfficial, byAgency []byte) {
	return InspectionKey(in.Height, in.Seq),
		appendHeightSeq(InspectionsByOfficialPrefix(in.Official), in.Height, in.Seq),
		appendHeightSeq(InspectionsByAgencyPrefix(in.Agency), in.Height, in.Seq)
}

// MsgInspectResult logs an inspection. Only an official's sub-key
// (KeyOfficial) whose agency holds result.inspector may log one; any
// agency's officials may inspect any result. The tx Data is uvarint(seq).
type MsgInspectResult struct {
	ID      uint64
	Outcome InspectionOutcome
}

func decodeInspectResult(d *Decoder) Msg {
	return &MsgInspectResult{ID: d.Uint(), Outcome: InspectionOutcome(d.Uint())}
}

func (m *MsgInspectResult) Type() MsgType     { return MsgTypeInspectResult }
func (m *MsgInspectResult) Encode(e *Encoder) { e.Uint(m.ID); e.Uint(uint64(m.Outcome)) }

func (m *MsgInspectResult) ValidateBasic() error {
	if m.ID == 0 {
		return Errorf(ErrInvalid, "result id is required")
	}
	if m.Outcome.String() == "unknown" {
		return Errorf(ErrInvalid, "unknown outcome %d", m.Outcome)
	}
	return nil
}

func (m *MsgInspectResult) Execute(env *Env) error {
	if env.Signer.Key.Kind != KeyOfficial {
		return Errorf(ErrUnauthorized, "inspections are logged with an official's sub-key, not a %s key", env.Signer.Key.Kind)
	}
	if err := env.Signer.RequireRole(RoleResultInspector); err != nil {
		return err
	}
	if _, err := env.State.ResultRecord(m.ID); err != nil {
		return err
	}
	seq, err := env.State.NextSeq(SeqInspection)
	if err != nil {
		return err
	}
	in := &Inspection{Seq: seq, ResultID: m.ID, Official: env.Signer.PubKey, Agency: env.Signer.Agency.ID,
		Height: env.Ctx.Height, Time: uint64(env.Ctx.Time.Unix()), Outcome: m.Outcome}
	v := encode(in.Encode)
	logKey, byOfficial, byAgency := in.Keys()
	for _, k := range [][]byte{logKey, byOfficial, byAgency} {
		if err := env.State.Store().Set(k, v); err != nil {
			return err
		}
	}
	env.Result.Data = encode(func(e *Encoder) { e.Uint(seq) })
	env.Emit("result_inspected", "id", FormatResultID(m.ID), "agency", in.Agency, "official", KeyID(in.Official),
		"outcome", m.Outcome.String(), "seq", strconv.FormatUint(seq, 10))
	return nil
}

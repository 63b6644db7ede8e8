package registry

import (
	"encoding/binary"
	"strconv"
)

// Payload quota state: 'L'|agency -> uvarint(bytes per period), a
// governance override of Params.PayloadQuotaBytes; 'l'|agency|period(8 BE)
// -> uvarint(bytes uploaded in that period).
const (
	PrefixPayloadQuota = 'L'
	PrefixPayloadUsage = 'l'
)

// PayloadQuotaKey is the state key of an agency's quota override.
func PayloadQuotaKey(agency string) []byte {
	return append([]byte{PrefixPayloadQuota}, agency...)
}

// PayloadUsageKey is the state key of an agency's usage in period.
func PayloadUsageKey(agency string, period uint64) []byte {
	k := append([]byte{PrefixPayloadUsage}, agency...)
	k = append(k, 0)
	return binary.BigEndian.AppendUint64(k, period)
}

// PayloadQuota is an agency's budget and what it has used this period.
type PayloadQuota struct {
	Bytes      uint64 `json:"bytes"`      // per period
	Used       uint64 `json:"used"`       // this period
	Period     uint64 `json:"period"`     // index: height / period length
	ResetsAt   uint64 `json:"resets_at"`  // first height of the next period
	Overridden bool   `json:"overridden"` // set by governance for this agency
}

// Remaining is what the agency may still upload this period.
func (q PayloadQuota) Remaining() uint64 {
	if q.Used >= q.Bytes {
		return 0
	}
	return q.Bytes - q.Used
}

// PayloadQuotaAt returns agency's quota at height.
func (st *State) PayloadQuotaAt(agency string, height uint64) (PayloadQuota, error) {
	p, err := st.Params()
	if err != nil {
		return PayloadQuota{}, err
	}
	q := PayloadQuota{Bytes: p.PayloadQuotaBytes, Period: height / p.PayloadQuotaPeriod}
	q.ResetsAt = (q.Period + 1) * p.PayloadQuotaPeriod
	b, err := st.s.Get(PayloadQuotaKey(agency))
	if err != nil {
		return q, err
	}
	if b != nil {
		d := NewDecoder(b)
		q.Bytes, q.Overridden = d.Uint(), true
		if err := d.Finish(); err != nil {
			return q, err
		}
	}
	b, err = st.s.Get(PayloadUsageKey(agency, q.Period))
	if err != nil {
		return q, err
	}
	if b != nil {
		d := NewDecoder(b)
		q.Used = d.Uint()
		if err := d.Finish(); err != nil {
			return q, err
		}
	}
	return q, nil
}

// chargePayload counts n uploaded bytes against the signer's agency, or
// fails with ErrOversize naming what remains and when it resets.
func chargePayload(env *Env, n uint64) error {
	id := env.Signer.Agency.ID
	q, err := env.State.PayloadQuotaAt(id, uint64(env.Ctx.Height))
	if err != nil {
		return err
	}
	if n > q.Remaining() {
		return Errorf(ErrOversize, "payload quota of %s: %d bytes uploaded of %d this period, %d remaining, this upload is %d; the quota resets at height %d (the council may raise it: gov propose set-payload-quota)",
			id, q.Used, q.Bytes, q.Remaining(), n, q.ResetsAt)
	}
	used := q.Used + n
	env.Emit("payload_quota", "agency", id, "used", strconv.FormatUint(used, 10), "quota", strconv.FormatUint(q.Bytes, 10))
	return env.State.put(PayloadUsageKey(id, q.Period), func(e *Encoder) { e.Uint(used) })
}

// SetPayloadQuota sets one agency's payload bytes per period (governance).
type SetPayloadQuota struct {
	ID    string
	Bytes uint64
}

func (a *SetPayloadQuota) ActionType() ActionType { return ActionTypeSetPayloadQuota }
func (a *SetPayloadQuota) Encode(e *Encoder)      { e.String(a.ID); e.Uint(a.Bytes) }
func (a *SetPayloadQuota) ValidateBasic() error {
	if err := checkAgencyID(a.ID); err != nil {
		return err
	}
	if a.Bytes > 1<<50 {
		return Errorf(ErrInvalid, "payload quota above 1 PiB")
	}
	return nil
}
func (a *SetPayloadQuota) Check(env *Env) error {
	_, err := env.State.Agency(a.ID)
	return err
}
func (a *SetPayloadQuota) Apply(env *Env) error {
	env.Emit("payload_quota_set", "agency", a.ID, "bytes", strconv.FormatUint(a.Bytes, 10))
	return env.State.put(PayloadQuotaKey(a.ID), func(e *Encoder) { e.Uint(a.Bytes) })
}
func (a *SetPayloadQuota) Summary() string {
	return "set payload quota of " + a.ID + " to " + strconv.FormatUint(a.Bytes, 10) + " bytes per period"
}

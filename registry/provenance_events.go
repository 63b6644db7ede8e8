package registry

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
)

// EventItem is one event of a MsgRecordEvents: a new event, or (with a
// Declaration) an EPCIS error declaration of an event already recorded —
// the declaration carries the same event fields, so it has the same hash.
type EventItem struct {
	Event       EPCISEvent
	Declaration *ErrorDeclaration
}

// MsgRecordEvents records EPCIS events (up to MaxEventsPerTx naming up to
// MaxIdentifiersPerTx identifiers, within MaxTxBytes) for the signer's food business, in order. Each new event
// needs the food authority's authorisation of the business for its
// bizStep; it is anchored under its CBV event hash and indexed under every
// object and class it names (products are created on first sight).
// Recording an event again is idempotent for the same business and a
// conflict for another. An error declaration may only come from the
// business that recorded the event, once; its corrective events must be
// recorded (earlier in the same tx or before). The tx Data lists
// (hash, new) per item (EncodeRecorded).
type MsgRecordEvents struct {
	Items []EventItem
}

func decodeRecordEvents(d *Decoder) Msg {
	n := d.Count(MaxEventsPerTx, 18)
	m := &MsgRecordEvents{Items: make([]EventItem, 0, n)}
	for i := 0; i < n; i++ {
		it := EventItem{Event: decodeEPCISEvent(d)}
		if d.Bool() {
			it.Declaration = decodeErrorDeclaration(d)
		}
		m.Items = append(m.Items, it)
	}
	return m
}

func (m *MsgRecordEvents) Type() MsgType { return MsgTypeRecordEvents }

func (m *MsgRecordEvents) Encode(e *Encoder) {
	e.Uint(uint64(len(m.Items)))
	for _, it := range m.Items {
		it.Event.Encode(e)
		e.Bool(it.Declaration != nil)
		if it.Declaration != nil {
			it.Declaration.encode(e)
		}
	}
}

func (m *MsgRecordEvents) ValidateBasic() error {
	if len(m.Items) == 0 || len(m.Items) > MaxEventsPerTx {
		return Errorf(ErrInvalid, "an events tx carries 1..%d events", MaxEventsPerTx)
	}
	ids := 0
	for i := range m.Items {
		it := &m.Items[i]
		if ids += it.Event.IdentifierCount(); ids > MaxIdentifiersPerTx {
			return Errorf(ErrInvalid, "an events tx names at most %d identifiers", MaxIdentifiersPerTx)
		}
		if err := it.Event.Validate(); err != nil {
			return fmt.Errorf("event %d: %w", i, err)
		}
		if it.Declaration != nil {
			if err := it.Declaration.Validate(); err != nil {
				return fmt.Errorf("event %d: %w", i, err)
			}
		}
	}
	return nil
}

// RecordedEvent is one entry of the Data of an events tx.
type RecordedEvent struct {
	Hash []byte
	New  bool // false: the business had already recorded this event
}

// EncodeRecorded writes the tx Data of food/events: list<(bytes hash,
// bool new)> in item order.
func EncodeRecorded(list []RecordedEvent) []byte {
	e := NewEncoder(1 + 34*len(list))
	e.Uint(uint64(len(list)))
	for _, r := range list {
		e.Bytes(r.Hash)
		e.Bool(r.New)
	}
	return e.Out()
}

// DecodeRecorded reads what EncodeRecorded wrote.
func DecodeRecorded(b []byte) ([]RecordedEvent, error) {
	d := NewDecoder(b)
	n := d.Count(MaxEventsPerTx, 2)
	out := make([]RecordedEvent, 0, n)
	for i := 0; i < n; i++ {
		r := RecordedEvent{Hash: d.Bytes(), New: d.Bool()}
		if d.Err() == nil && len(r.Hash) != HashSize {
			return nil, Errorf(ErrMalformed, "recorded event hash must be %d bytes", HashSize)
		}
		out = append(out, r)
	}
	if err := d.Finish(); err != nil {
		return nil, err
	}
	return out, nil
}

// EventRecord reads an anchored event; ErrNotFound if absent.
func (st *State) EventRecord(hash []byte) (*EventRecord, error) {
	b, err := st.s.Get(EventKey(hash))
	if err != nil {
		return nil, err
	}
	if b == nil {
		return nil, Errorf(ErrNotFound, "no EPCIS event %s", FormatHashID(hash))
	}
	return DecodeEventRecord(b)
}

func (m *MsgRecordEvents) Execute(env *Env) error {
	if err := env.Signer.RequireRole(RoleFoodBusiness); err != nil {
		return err
	}
	out := make([]RecordedEvent, 0, len(m.Items))
	fresh, declared := 0, 0
	for i := range m.Items {
		it := &m.Items[i]
		h := it.Event.Hash()
		var r RecordedEvent
		var err error
		if it.Declaration == nil {
			r, err = recordEvent(env, &it.Event, h)
		} else {
			r, err = declareError(env, h, it.Declaration)
			declared++
		}
		if err != nil {
			return fmt.Errorf("event %d (%s %s): %w", i, it.Event.Type, FormatHashID(h), err)
		}
		if r.New {
			fresh++
		}
		out = append(out, r)
	}
	env.Result.Data = EncodeRecorded(out)
	env.Emit("epcis_events", "agency", env.Signer.Agency.ID, "count", strconv.Itoa(len(out)),
		"new", strconv.Itoa(fresh), "declarations", strconv.Itoa(declared))
	return nil
}

func checkNotFuture(env *Env, field string, ms uint64) error {
	limit := uint64(env.Ctx.Time.Add(MaxEventClockSkew).UnixMilli())
	if ms > limit {
		return Errorf(ErrInvalid, "%s %s is more than %s after the block time", field, FormatEventTime(ms), MaxEventClockSkew)
	}
	return nil
}

func recordEvent(env *Env, ev *EPCISEvent, h []byte) (RecordedEvent, error) {
	agency := env.Signer.Agency.ID
	if err := requireFoodAuth(env.State, agency, ev.BizStep); err != nil {
		return RecordedEvent{}, err
	}
	if err := checkNotFuture(env, "eventTime", ev.Time); err != nil {
		return RecordedEvent{}, err
	}
	old, err := env.State.EventRecord(h)
	switch {
	case err == nil:
		if old.Agency != agency {
			return RecordedEvent{}, Errorf(ErrConflict, "the same event was recorded by %s at height %d", old.Agency, old.Height)
		}
		return RecordedEvent{Hash: h}, nil
	case !IsDomain(err):
		return RecordedEvent{}, err
	}
	seq, err := env.State.NextSeq(SeqEPCIS)
	if err != nil {
		return RecordedEvent{}, err
	}
	rec := &EventRecord{Hash: h, Seq: seq, Agency: agency, Signer: env.Signer.PubKey, Height: env.Ctx.Height,
		Time: blockUnix(env), Event: *ev}
	if err := env.State.put(EventKey(h), rec.Encode); err != nil {
		return RecordedEvent{}, err
	}
	for _, ref := range ev.Identifiers() {
		if err := indexEvent(env, ref, h); err != nil {
			return RecordedEvent{}, err
		}
	}
	return RecordedEvent{Hash: h, New: true}, nil
}

// indexEvent appends event h to the event list of the product ref names,
// creating the product on first sight.
func indexEvent(env *Env, ref ProductRef, h []byte) error {
	id, ok, err := env.State.ProductByIdentifier(ref.Identifier)
	if err != nil {
		return err
	}
	var p *Product
	if ok {
		if p, err = env.State.Product(id); err != nil {
			return err
		}
		p.Events++
		if err := env.State.SetProduct(p); err != nil {
			return err
		}
	} else {
		kind := ProductObject
		if ref.Class {
			kind = ProductClass
		}
		p = &Product{Kind: kind, Identifier: ref.Identifier, Events: 1}
		if err := newProduct(env, p); err != nil {
			return err
		}
	}
	if err := chargeRate(env, rateEvent, p.ID, EventRateLimit, EventRatePeriod, "events"); err != nil {
		return err
	}
	return env.State.Store().Set(EventIndexKey(p.ID, p.Events), bytes.Clone(h))
}

func declareError(env *Env, h []byte, x *ErrorDeclaration) (RecordedEvent, error) {
	agency := env.Signer.Agency.ID
	rec, err := env.State.EventRecord(h)
	if errors.Is(err, ErrNotFound) {
		return RecordedEvent{}, Errorf(ErrNotFound, "the event declared in error (%s) is not on chain: record the original event "+
			"first (import the document that holds it, or put it before the declaration in this document), then the declaration / "+
			"sự kiện bị tuyên bố sai chưa có trên chuỗi: hãy ghi sự kiện gốc trước", FormatHashID(h))
	}
	if err != nil {
		return RecordedEvent{}, err
	}
	if rec.Agency != agency {
		return RecordedEvent{}, Errorf(ErrUnauthorized, "only %s, which recorded the event, may declare it in error", rec.Agency)
	}
	if err := checkNotFuture(env, "declarationTime", x.Time); err != nil {
		return RecordedEvent{}, err
	}
	if b, err := env.State.Store().Get(DeclarationKey(h)); err != nil || b != nil {
		if err != nil {
			return RecordedEvent{}, err
		}
		return RecordedEvent{}, Errorf(ErrConflict, "the event was already declared in error")
	}
	for _, c := range x.Corrective {
		if len(c) != HashSize {
			continue // a URI of an event outside the chain (an eventID): kept as written, not checked
		}
		if bytes.Equal(c, h) {
			return RecordedEvent{}, Errorf(ErrInvalid, "an event cannot correct itself")
		}
		if _, err := env.State.EventRecord(c); err != nil {
			return RecordedEvent{}, fmt.Errorf("corrective event: %w", err)
		}
	}
	decl := &Declaration{Hash: h, ErrorDeclaration: *x, Agency: agency, Signer: env.Signer.PubKey,
		Height: env.Ctx.Height, Time: blockUnix(env)}
	if err := env.State.put(DeclarationKey(h), decl.Encode); err != nil {
		return RecordedEvent{}, err
	}
	return RecordedEvent{Hash: h, New: true}, nil
}

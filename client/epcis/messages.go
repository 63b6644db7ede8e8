package epcis

import "github.com/danangchain/danangchain/registry"

// Ordered returns the events in submission order: new events in document
// order, then error declarations (their corrective events must be on
// chain first).
func (d *Document) Ordered() []*Event {
	out := make([]*Event, 0, len(d.Events))
	for _, ev := range d.Events {
		if !ev.IsDeclaration() {
			out = append(out, ev)
		}
	}
	for _, ev := range d.Events {
		if ev.IsDeclaration() {
			out = append(out, ev)
		}
	}
	return out
}

// Messages groups Ordered() into food/events messages whose encoding
// stays under maxBytes (<= 0: registry.MaxTxBytes minus room for the
// envelope) with at most registry.MaxEventsPerTx events and
// registry.MaxIdentifiersPerTx identifiers each. Submit them in order.
func (d *Document) Messages(maxBytes int) []*registry.MsgRecordEvents {
	return Chunk(d.Ordered(), maxBytes)
}

// Chunk groups events into messages (see Messages).
func Chunk(events []*Event, maxBytes int) []*registry.MsgRecordEvents {
	if maxBytes <= 0 {
		maxBytes = registry.MaxTxBytes - 1024
	}
	var out []*registry.MsgRecordEvents
	cur := &registry.MsgRecordEvents{}
	size, ids := 8, 0
	for _, ev := range events {
		k := ev.Item.Event.IdentifierCount()
		e := registry.NewEncoder(256)
		ev.Item.Event.Encode(e)
		n := len(e.Out()) + 8
		if x := ev.Item.Declaration; x != nil {
			n += 16 + 34*len(x.Corrective) + len(x.Reason)
		}
		if len(cur.Items) > 0 && (size+n > maxBytes || len(cur.Items) == registry.MaxEventsPerTx || ids+k > registry.MaxIdentifiersPerTx) {
			out = append(out, cur)
			cur, size, ids = &registry.MsgRecordEvents{}, 8, 0
		}
		cur.Items = append(cur.Items, ev.Item)
		size += n
		ids += k
	}
	if len(cur.Items) > 0 {
		out = append(out, cur)
	}
	return out
}

package registry

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// v2Event is a version-2 TransactionEvent with sensor data, ilmd and
// extensions: every part the version-2 hash covers.
func v2Event(at time.Time) EPCISEvent {
	return EPCISEvent{Type: EventTransaction, HashVersion: EventHashV2, Time: ms(at), TZOffset: "+07:00",
		EPCs: []string{cut1ID, cut1ID}, Action: ActionAdd, BizStep: "shipping", ReadPoint: "geo:16.0544,108.2022",
		BizLocation: procGLN, PersistentSet: []string{"completeness_verified"},
		BizTransactions: []TypedID{{Type: "po", ID: "urn:vn:don-hang:PO-1"}, {ID: "urn:vn:hoa-don:HD-9"}},
		ReadPointExt:    []HashNode{{Name: "{https://ns.example.vn/}cua", Value: "3"}},
		Sensors: []HashNode{{Name: "sensorElement", Children: []HashNode{
			{Name: "sensorReport", Children: []HashNode{{Name: "value", Value: "4.5"}, {Name: "type", Value: "https://ref.gs1.org/voc/Temperature"},
				{Name: "uom", Value: "CEL"}, {Name: "{https://ns.example.vn/}xe", Value: "43C-123"}}},
			{Name: "sensorMetadata", Children: []HashNode{{Name: "deviceID", Value: "urn:vn:thiet-bi:T1"}}},
		}}},
		ILMD:       []HashNode{{Name: "{urn:epcglobal:cbv:mda}lotNumber", Value: "L1"}},
		Extensions: []HashNode{{Name: "{https://ns.example.vn/}ghiChu", Children: []HashNode{{Name: "b", Value: "2"}, {Name: "a", Value: "1"}}}},
	}
}

func TestEventHashV2PreHash(t *testing.T) {
	at := time.Date(2026, 1, 2, 3, 4, 5, 6e6, time.UTC)
	ev := v2Event(at)
	require.NoError(t, ev.Validate())
	assert.Equal(t, "eventType=TransactionEventeventTime=2026-01-02T03:04:05.006ZeventTimeZoneOffset=+07:00"+
		"epcListepc="+cut1ID+"epc="+cut1ID+"action=ADDbizStep=https://ref.gs1.org/cbv/BizStep-shipping"+
		"persistentDispositionset=https://ref.gs1.org/cbv/Disp-completeness_verified"+
		"readPointid=geo:16.0544,108.2022bizLocationid="+procGLN+
		// typed entries type first, sorted by the whole entry ("bizTransaction=" < "type=")
		"bizTransactionListbizTransaction=urn:vn:hoa-don:HD-9type=https://ref.gs1.org/cbv/BTT-pobizTransaction=urn:vn:don-hang:PO-1"+
		// sensor fields in the standard's property order, the element's extension in the trailing block
		"sensorElementsensorMetadatadeviceID=urn:vn:thiet-bi:T1sensorReporttype=https://ref.gs1.org/voc/Temperaturevalue=4.5uom=CEL"+
		"ilmd{urn:epcglobal:cbv:mda}lotNumber=L1"+
		"readPoint{https://ns.example.vn/}cua=3"+
		"sensorElementsensorReport{https://ns.example.vn/}xe=43C-123"+
		"{https://ns.example.vn/}ghiChua=1b=2", ev.PreHash())

	// The canonical encoding round-trips, version and all.
	b := encode(ev.Encode)
	d := NewDecoder(b)
	back := decodeEPCISEvent(d)
	require.NoError(t, d.Finish())
	assert.Equal(t, b, encode(back.Encode))
	assert.Equal(t, ev.Hash(), back.Hash())

	// Version 1 bytes are unchanged: a version-1 event encodes its type
	// alone, and cannot carry version-2 parts or types.
	v1 := gs1SingleEvent()
	assert.Equal(t, byte(EventObject), encode(v1.Encode)[0])
	for name, mut := range map[string]func(*EPCISEvent){
		"sensor data": func(e *EPCISEvent) { e.HashVersion = EventHashV1 },
		"a TransactionEvent": func(e *EPCISEvent) {
			e.HashVersion, e.Sensors, e.ILMD, e.Extensions, e.ReadPointExt, e.PersistentSet = EventHashV1, nil, nil, nil, nil, nil
		},
		"hash version 3":   func(e *EPCISEvent) { e.HashVersion = 3 },
		"a bare extension": func(e *EPCISEvent) { e.Extensions[0].Name = "ghiChu" },
		"an unknown sensor field": func(e *EPCISEvent) {
			e.Sensors[0].Children[0].Children[0].Name = "nhietDo"
		},
		"two metadata": func(e *EPCISEvent) {
			e.Sensors[0].Children = append(e.Sensors[0].Children, e.Sensors[0].Children[1])
		},
		"a control character":     func(e *EPCISEvent) { e.ILMD[0].Value = "L\x011" },
		"a bad geo URI":           func(e *EPCISEvent) { e.ReadPoint = "geo:91,108" },
		"no business transaction": func(e *EPCISEvent) { e.BizTransactions = nil },
	} {
		ev := v2Event(at)
		mut(&ev)
		assert.ErrorIs(t, ev.Validate(), ErrInvalid, name)
	}
}

// TestTransactionAndAssociationEvents: a business authorised for the
// bizStep records both new types; they are indexed under every identifier
// they name (the parent too), like the other types.
func TestTransactionAndAssociationEvents(t *testing.T) {
	c := newProvChain(t)
	at := genesisTime.Add(-time.Hour)
	tx := EPCISEvent{Type: EventTransaction, HashVersion: EventHashV2, Time: ms(at), TZOffset: "+07:00",
		EPCs: []string{cut1ID}, Action: ActionAdd, BizStep: "shipping", ReadPoint: procGLN,
		BizTransactions: []TypedID{{Type: "inv", ID: "urn:vn:hoa-don:HD-9"}}}
	assoc := EPCISEvent{Type: EventAssociation, HashVersion: EventHashV2, Time: ms(at) + 1, TZOffset: "+07:00",
		Parent: "https://id.gs1.org/8004/89300000SENSOR-1", EPCs: []string{caseID}, Action: ActionAdd, BizStep: "packing",
		ReadPoint: procGLN}
	c.mustDeliver(processorKey, events(tx, assoc))
	for _, id := range []string{cut1ID, caseID, "https://id.gs1.org/8004/89300000SENSOR-1"} {
		p := c.productOf(id)
		require.NotNil(t, p, id)
		assert.NotEmpty(t, c.eventsOf(p), id)
	}
	rec, err := c.state().EventRecord(tx.Hash())
	require.NoError(t, err)
	assert.Equal(t, uint64(EventHashV2), rec.Event.HashVersion)
	assert.Equal(t, rec.Hash, rec.Event.Hash())
	// Authorised per bizStep, as for every type: the farm may not pack.
	assoc2 := assoc
	assoc2.Time++
	_, err = c.deliver(farmKey, events(assoc2))
	assert.ErrorIs(t, err, ErrUnauthorized)
}

// TestErrorDeclarationURIs: a corrective event named by a URI the chain
// does not hold (an eventID) is kept as written; a declaration of an event
// not on chain says what to do.
func TestErrorDeclarationURIs(t *testing.T) {
	c := newProvChain(t)
	h := porkChain(c)
	rec, err := c.state().EventRecord(h["sell"])
	require.NoError(t, err)
	x := &ErrorDeclaration{Time: ms(genesisTime.Add(-time.Minute)), Reason: "incorrect_data",
		Corrective: [][]byte{[]byte("urn:uuid:404d95fc-9457-4a51-bd6a-0bba133845a8")}}
	require.NoError(t, x.Validate())
	c.mustDeliver(retailerKey, &MsgRecordEvents{Items: []EventItem{{Event: rec.Event, Declaration: x}}})
	d, err := DecodeDeclaration(mustGet(t, c, DeclarationKey(h["sell"])))
	require.NoError(t, err)
	assert.Equal(t, "urn:uuid:404d95fc-9457-4a51-bd6a-0bba133845a8", FormatCorrective(d.Corrective[0]))

	missing := objectEvent("retail_selling", "", ActionObserve, shopGLN, genesisTime.Add(-2*time.Hour), cut2ID)
	_, err = c.deliver(retailerKey, &MsgRecordEvents{Items: []EventItem{{Event: missing, Declaration: &ErrorDeclaration{
		Time: ms(genesisTime.Add(-time.Minute)), Reason: "did_not_occur"}}}})
	require.ErrorIs(t, err, ErrNotFound)
	assert.Contains(t, err.Error(), "record the original event first")
}

func mustGet(t *testing.T, c *chain, key []byte) []byte {
	t.Helper()
	b, err := c.state().Store().Get(key)
	require.NoError(t, err)
	require.NotNil(t, b)
	return b
}

package registry

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// gs1SingleEvent is the event of the GS1 reference implementation's test
// document epcisDocWithSingleEvent.jsonld, with its EPC URNs converted to
// GS1 Digital Link as CBV 2.0 requires.
func gs1SingleEvent() EPCISEvent {
	return EPCISEvent{Type: EventObject, Time: ms(time.Date(2022, 2, 17, 2, 33, 31, 116e6, time.UTC)), TZOffset: "-06:00",
		EPCs:   []string{"https://id.gs1.org/01/10614141073464/21/2017", "https://id.gs1.org/01/10614141073464/21/2018"},
		Action: ActionObserve, BizStep: "shipping", Disposition: "in_transit",
		ReadPoint:       "https://id.gs1.org/414/0614141073467/254/1234",
		BizTransactions: []TypedID{{Type: "po", ID: "http://transaction.acme.com/po/12345678"}}}
}

// TestProvenanceEventHashVector pins the pre-hash string and hash against
// the GS1 reference implementation's published vector.
func TestProvenanceEventHashVector(t *testing.T) {
	ev := gs1SingleEvent()
	require.NoError(t, ev.Validate())
	assert.Equal(t, "eventType=ObjectEventeventTime=2022-02-17T02:33:31.116ZeventTimeZoneOffset=-06:00"+
		"epcListepc=https://id.gs1.org/01/10614141073464/21/2017epc=https://id.gs1.org/01/10614141073464/21/2018"+
		"action=OBSERVEbizStep=https://ref.gs1.org/cbv/BizStep-shippingdisposition=https://ref.gs1.org/cbv/Disp-in_transit"+
		"readPointid=https://id.gs1.org/414/0614141073467/254/1234"+
		"bizTransactionListbizTransaction=http://transaction.acme.com/po/12345678type=https://ref.gs1.org/cbv/BTT-po", ev.PreHash())
	assert.Equal(t, "ni:///sha-256;3e0f2437f4cb5e8a1b832b769c0eed1bf3e1421f14061132e9800ded03f10182?ver=CBV2.0",
		FormatHashID(ev.Hash()))

	// The other event kinds, in the canonical property order.
	at := time.Date(2026, 1, 2, 3, 4, 5, 6e6, time.UTC)
	agg := aggregationEvent("packing", ActionAdd, procGLN, at, caseID, cut2ID, cut1ID)
	agg.Quantities = []Quantity{{Class: lotID, Amount: "2.5", UOM: "KGM"}}
	assert.Equal(t, "eventType=AggregationEventeventTime=2026-01-02T03:04:05.006ZeventTimeZoneOffset=+07:00"+
		"parentID="+caseID+"childEPCsepc="+cut1ID+"epc="+cut2ID+
		"childQuantityListquantityElementepcClass="+lotID+"quantity=2.5uom=KGM"+
		"action=ADDbizStep=https://ref.gs1.org/cbv/BizStep-packing"+
		"readPointid="+procGLN+"bizLocationid="+procGLN, agg.PreHash())
	tr := transformEvent("slaughtering", slGLN, at, []string{pigID}, []string{carcassID})
	tr.OutQuantities = []Quantity{{Class: lotID}}
	tr.Sources = []TypedID{{Type: "owning_party", ID: farmGLN}}
	tr.Destinations = []TypedID{{Type: "location", ID: slGLN}, {Type: "https://ns.example.vn/sdt/kho", ID: procGLN}}
	assert.Equal(t, "eventType=TransformationEventeventTime=2026-01-02T03:04:05.006ZeventTimeZoneOffset=+07:00"+
		"inputEPCListepc="+pigID+"outputEPCListepc="+carcassID+"outputQuantityListquantityElementepcClass="+lotID+
		"bizStep=https://ref.gs1.org/cbv/BizStep-slaughteringdisposition=https://ref.gs1.org/cbv/Disp-in_progress"+
		"readPointid="+slGLN+"bizLocationid="+slGLN+
		"sourceListsource="+farmGLN+"type=https://ref.gs1.org/cbv/SDT-owning_party"+
		"destinationListdestination="+slGLN+"type=https://ref.gs1.org/cbv/SDT-locationdestination="+procGLN+"type=https://ns.example.vn/sdt/kho",
		tr.PreHash())
	require.NoError(t, agg.Validate())
	require.NoError(t, tr.Validate())

	h, err := ParseHashID(FormatHashID(ev.Hash()))
	require.NoError(t, err)
	assert.Equal(t, ev.Hash(), h)
	h, err = ParseHashID(hex.EncodeToString(ev.Hash()))
	require.NoError(t, err)
	assert.Equal(t, ev.Hash(), h)
	for _, bad := range []string{"", "ni:///sha-256;abc?ver=CBV2.0", "ni:///sha-256;" + strings.Repeat("A", 64),
		"ni:///sha-256;" + strings.Repeat("a", 64) + "?ver=CBV9.9"} {
		_, err := ParseHashID(bad)
		requireErrIs(t, err, ErrInvalid)
	}
}

func TestProvenanceEventValidate(t *testing.T) {
	at := genesisTime
	cases := []struct {
		name   string
		base   func() EPCISEvent
		mutate func(ev *EPCISEvent)
		want   *Error
	}{
		{"object", func() EPCISEvent { return objectEvent("shipping", "in_transit", ActionObserve, farmGLN, at, pigID) }, func(*EPCISEvent) {}, nil},
		{"gs1 reference event", gs1SingleEvent, func(*EPCISEvent) {}, nil},
		{"object without epcs", gs1SingleEvent, func(ev *EPCISEvent) { ev.EPCs = nil }, ErrInvalid},
		{"object with quantities only", gs1SingleEvent, func(ev *EPCISEvent) {
			ev.EPCs, ev.Quantities = nil, []Quantity{{Class: lotID, Amount: "12", UOM: "KGM"}}
		}, nil},
		{"object without action", gs1SingleEvent, func(ev *EPCISEvent) { ev.Action = ActionNone }, ErrInvalid},
		{"object with a parent", gs1SingleEvent, func(ev *EPCISEvent) { ev.Parent = caseID }, ErrInvalid},
		{"object with outputs", gs1SingleEvent, func(ev *EPCISEvent) { ev.OutEPCs = []string{cut1ID} }, ErrInvalid},
		{"object with a transformation id", gs1SingleEvent, func(ev *EPCISEvent) { ev.TransformationID = "urn:uuid:1" }, ErrInvalid},
		{"unknown type", gs1SingleEvent, func(ev *EPCISEvent) { ev.Type = 9 }, ErrInvalid},
		{"no time", gs1SingleEvent, func(ev *EPCISEvent) { ev.Time = 0 }, ErrInvalid},
		{"time beyond 2248", gs1SingleEvent, func(ev *EPCISEvent) { ev.Time = 1 << 43 }, ErrInvalid},
		{"bad offset", gs1SingleEvent, func(ev *EPCISEvent) { ev.TZOffset = "+7:00" }, ErrInvalid},
		{"offset beyond 14h", gs1SingleEvent, func(ev *EPCISEvent) { ev.TZOffset = "+15:00" }, ErrInvalid},
		{"no offset", gs1SingleEvent, func(ev *EPCISEvent) { ev.TZOffset = "" }, ErrInvalid},
		{"unsorted epcs", gs1SingleEvent, func(ev *EPCISEvent) { ev.EPCs[0], ev.EPCs[1] = ev.EPCs[1], ev.EPCs[0] }, ErrInvalid},
		{"duplicate epcs", gs1SingleEvent, func(ev *EPCISEvent) { ev.EPCs[1] = ev.EPCs[0] }, ErrInvalid},
		{"epc urn not converted", gs1SingleEvent, func(ev *EPCISEvent) { ev.EPCs = []string{"urn:epc:id:sgtin:0614141.107346.2017"} }, ErrInvalid},
		{"digital link with a query", gs1SingleEvent, func(ev *EPCISEvent) { ev.EPCs = []string{cut1ID + "?linkType=all"} }, ErrInvalid},
		{"epc with a space", gs1SingleEvent, func(ev *EPCISEvent) { ev.EPCs = []string{"urn:vn:tcvn13274:HV 1"} }, ErrInvalid},
		{"epc not a uri", gs1SingleEvent, func(ev *EPCISEvent) { ev.EPCs = []string{"HV-HEO-1"} }, ErrInvalid},
		{"epc with Vietnamese", gs1SingleEvent, func(ev *EPCISEvent) { ev.EPCs = []string{"urn:vn:heo-đực"} }, ErrInvalid},
		{"epc too long", gs1SingleEvent, func(ev *EPCISEvent) { ev.EPCs = []string{"urn:x:" + strings.Repeat("a", MaxIdentifierLen)} }, ErrInvalid},
		{"trace code urn", gs1SingleEvent, func(ev *EPCISEvent) { ev.EPCs = []string{pigID} }, nil},
		{"no bizStep", gs1SingleEvent, func(ev *EPCISEvent) { ev.BizStep = "" }, ErrInvalid},
		{"unknown bizStep term", gs1SingleEvent, func(ev *EPCISEvent) { ev.BizStep = "cutting" }, ErrInvalid},
		{"bizStep as urn", gs1SingleEvent, func(ev *EPCISEvent) { ev.BizStep = "urn:epcglobal:cbv:bizstep:shipping" }, ErrInvalid},
		{"bizStep as web uri", gs1SingleEvent, func(ev *EPCISEvent) { ev.BizStep = "https://ref.gs1.org/cbv/BizStep-shipping" }, ErrInvalid},
		{"private bizStep uri", gs1SingleEvent, func(ev *EPCISEvent) { ev.BizStep = "https://ns.danang.gov.vn/bizstep/cat-pha" }, nil},
		{"unknown disposition", gs1SingleEvent, func(ev *EPCISEvent) { ev.Disposition = "sold" }, ErrInvalid},
		{"bad read point", gs1SingleEvent, func(ev *EPCISEvent) { ev.ReadPoint = "kho 1" }, ErrInvalid},
		{"bizTransaction type unknown", gs1SingleEvent, func(ev *EPCISEvent) { ev.BizTransactions[0].Type = "order" }, ErrInvalid},
		{"bizTransaction without type", gs1SingleEvent, func(ev *EPCISEvent) { ev.BizTransactions[0].Type = "" }, nil},
		{"source without type", gs1SingleEvent, func(ev *EPCISEvent) { ev.Sources = []TypedID{{ID: farmGLN}} }, ErrInvalid},
		{"unsorted destinations", gs1SingleEvent, func(ev *EPCISEvent) {
			ev.Destinations = []TypedID{{Type: "location", ID: slGLN}, {Type: "location", ID: farmGLN}}
		}, ErrInvalid},
		{"quantity with a sign", gs1SingleEvent, func(ev *EPCISEvent) { ev.Quantities = []Quantity{{Class: lotID, Amount: "+1"}} }, ErrInvalid},
		{"quantity with trailing zero", gs1SingleEvent, func(ev *EPCISEvent) { ev.Quantities = []Quantity{{Class: lotID, Amount: "1.50"}} }, ErrInvalid},
		{"quantity with exponent", gs1SingleEvent, func(ev *EPCISEvent) { ev.Quantities = []Quantity{{Class: lotID, Amount: "1e3"}} }, ErrInvalid},
		{"quantity with leading zero", gs1SingleEvent, func(ev *EPCISEvent) { ev.Quantities = []Quantity{{Class: lotID, Amount: "01"}} }, ErrInvalid},
		{"quantity zero point five", gs1SingleEvent, func(ev *EPCISEvent) { ev.Quantities = []Quantity{{Class: lotID, Amount: "0.5", UOM: "KGM"}} }, nil},
		{"uom without quantity", gs1SingleEvent, func(ev *EPCISEvent) { ev.Quantities = []Quantity{{Class: lotID, UOM: "KGM"}} }, ErrInvalid},
		{"lower-case uom", gs1SingleEvent, func(ev *EPCISEvent) { ev.Quantities = []Quantity{{Class: lotID, Amount: "1", UOM: "kgm"}} }, ErrInvalid},
		{"unsorted quantities", gs1SingleEvent, func(ev *EPCISEvent) {
			ev.Quantities = []Quantity{{Class: lotID, Amount: "2"}, {Class: lotID, Amount: "1"}}
		}, ErrInvalid},
		{"aggregation", func() EPCISEvent { return aggregationEvent("packing", ActionAdd, procGLN, at, caseID, cut1ID) }, func(*EPCISEvent) {}, nil},
		{"aggregation ADD without parent", func() EPCISEvent { return aggregationEvent("packing", ActionAdd, procGLN, at, "", cut1ID) }, func(*EPCISEvent) {}, ErrInvalid},
		{"aggregation ADD without children", func() EPCISEvent { return aggregationEvent("packing", ActionAdd, procGLN, at, caseID) }, func(*EPCISEvent) {}, ErrInvalid},
		{"aggregation DELETE of all children", func() EPCISEvent { return aggregationEvent("unpacking", ActionDelete, shopGLN, at, caseID) }, func(*EPCISEvent) {}, nil},
		{"aggregation without action", func() EPCISEvent { return aggregationEvent("packing", ActionNone, procGLN, at, caseID, cut1ID) }, func(*EPCISEvent) {}, ErrInvalid},
		{"transformation", func() EPCISEvent {
			return transformEvent("slaughtering", slGLN, at, []string{pigID}, []string{carcassID})
		}, func(*EPCISEvent) {}, nil},
		{"transformation without outputs", func() EPCISEvent { return transformEvent("slaughtering", slGLN, at, []string{pigID}, nil) }, func(*EPCISEvent) {}, ErrInvalid},
		{"transformation without outputs but with an id", func() EPCISEvent { return transformEvent("slaughtering", slGLN, at, []string{pigID}, nil) },
			func(ev *EPCISEvent) { ev.TransformationID = "urn:uuid:4f0c0b6e-1b7e-4d1e-9a55-1d2e3f405060" }, nil},
		{"transformation with an action", func() EPCISEvent {
			return transformEvent("slaughtering", slGLN, at, []string{pigID}, []string{carcassID})
		},
			func(ev *EPCISEvent) { ev.Action = ActionAdd }, ErrInvalid},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ev := tc.base()
			tc.mutate(&ev)
			err := ev.Validate()
			if tc.want == nil {
				require.NoError(t, err)
				return
			}
			requireErrIs(t, err, tc.want)
		})
	}

	t.Run("message limits", func(t *testing.T) {
		requireErrIs(t, (&MsgRecordEvents{}).ValidateBasic(), ErrInvalid)
		m := events(gs1SingleEvent())
		lo, hi := docHash("a"), docHash("b")
		if bytes.Compare(lo, hi) > 0 {
			lo, hi = hi, lo
		}
		m.Items[0].Declaration = &ErrorDeclaration{Time: 1, Reason: "did_not_occur", Corrective: [][]byte{hi, lo}}
		requireErrIs(t, m.ValidateBasic(), ErrInvalid) // unsorted corrective ids
		m.Items[0].Declaration.Corrective = [][]byte{{1, 2}}
		requireErrIs(t, m.ValidateBasic(), ErrInvalid)
		m.Items[0].Declaration = &ErrorDeclaration{Time: 1, Reason: "wrong"}
		requireErrIs(t, m.ValidateBasic(), ErrInvalid)
		m.Items[0].Declaration = &ErrorDeclaration{Time: 0}
		requireErrIs(t, m.ValidateBasic(), ErrInvalid)
		m.Items[0].Declaration = &ErrorDeclaration{Time: 1, Reason: "incorrect_data"}
		require.NoError(t, m.ValidateBasic())

		big := make([]string, MaxEventEPCs)
		for i := range big {
			big[i] = fmt.Sprintf("urn:vn:tcvn13274:HEO-%06d", i)
		}
		ev := objectEvent("commissioning", "active", ActionAdd, farmGLN, genesisTime, big...)
		var evs []EPCISEvent
		for i := 0; i < MaxIdentifiersPerTx/MaxEventEPCs; i++ {
			ev.Time++
			evs = append(evs, ev)
		}
		require.NoError(t, events(evs...).ValidateBasic())
		ev.Time++
		requireErrIs(t, events(append(evs, ev)...).ValidateBasic(), ErrInvalid)
		ev.EPCs = append(big, "urn:vn:tcvn13274:ZZZ")
		requireErrIs(t, ev.Validate(), ErrInvalid)
	})
}

// porkChain records the test pork chain: farm -> slaughterhouse ->
// processor -> retailer, with a transformation of the carcass into cuts.
func porkChain(c *chain) map[string][]byte {
	c.t.Helper()
	t0 := c.time.Add(-48 * time.Hour)
	h := map[string][]byte{}
	step := func(name string, k keyPair, ev EPCISEvent) {
		h[name] = c.recordEvents(k, ev)[0].Hash
	}
	step("commission", farmKey, objectEvent("commissioning", "active", ActionAdd, farmGLN, t0, pigID))
	step("ship-pig", farmKey, objectEvent("shipping", "in_transit", ActionObserve, farmGLN, t0.Add(time.Hour), pigID))
	step("receive-pig", slaughterKey, objectEvent("receiving", "in_progress", ActionObserve, slGLN, t0.Add(2*time.Hour), pigID))
	step("slaughter", slaughterKey, transformEvent("slaughtering", slGLN, t0.Add(3*time.Hour), []string{pigID}, []string{carcassID}))
	step("ship-carcass", slaughterKey, objectEvent("shipping", "in_transit", ActionObserve, slGLN, t0.Add(4*time.Hour), carcassID))
	step("receive-carcass", processorKey, objectEvent("receiving", "in_progress", ActionObserve, procGLN, t0.Add(5*time.Hour), carcassID))
	step("cut", processorKey, transformEvent("commissioning", procGLN, t0.Add(6*time.Hour), []string{carcassID}, []string{cut1ID, cut2ID}))
	step("pack", processorKey, aggregationEvent("packing", ActionAdd, procGLN, t0.Add(7*time.Hour), caseID, cut1ID, cut2ID))
	step("ship-case", processorKey, objectEvent("shipping", "in_transit", ActionObserve, procGLN, t0.Add(8*time.Hour), caseID))
	step("receive-case", retailerKey, objectEvent("receiving", "sellable_not_accessible", ActionObserve, shopGLN, t0.Add(9*time.Hour), caseID))
	step("unpack", retailerKey, aggregationEvent("unpacking", ActionDelete, shopGLN, t0.Add(10*time.Hour), caseID, cut1ID, cut2ID))
	step("sell", retailerKey, objectEvent("retail_selling", "retail_sold", ActionObserve, shopGLN, t0.Add(11*time.Hour), cut1ID))
	return h
}

func TestProvenanceRecordEvents(t *testing.T) {
	t.Run("the pork chain is anchored and indexed under every object", func(t *testing.T) {
		c := newProvChain(t)
		h := porkChain(c)
		rec, err := c.state().EventRecord(h["slaughter"])
		require.NoError(t, err)
		assert.Equal(t, slaughterID, rec.Agency)
		assert.Equal(t, slaughterKey.pub, rec.Signer)
		assert.Equal(t, c.height, rec.Height)
		assert.Equal(t, uint64(4), rec.Seq)
		assert.Equal(t, rec.Event.Hash(), rec.Hash, "the stored event hashes to its key")

		wantEvents := map[string][]string{
			pigID:     {"commission", "ship-pig", "receive-pig", "slaughter"},
			carcassID: {"slaughter", "ship-carcass", "receive-carcass", "cut"},
			cut1ID:    {"cut", "pack", "unpack", "sell"},
			cut2ID:    {"cut", "pack", "unpack"},
			caseID:    {"pack", "ship-case", "receive-case", "unpack"},
		}
		for id, names := range wantEvents {
			p := c.productOf(id)
			assert.Equal(t, ProductObject, p.Kind, id)
			assert.Equal(t, id, p.Identifier)
			var want [][]byte
			for _, n := range names {
				want = append(want, h[n])
			}
			assert.Equal(t, want, c.eventsOf(p), id)
		}
		// Product ids follow first sight: the pig is product 1.
		assert.Equal(t, uint64(1), c.productOf(pigID).ID)
		seq, _ := c.state().Seq(SeqEPCIS)
		assert.Equal(t, uint64(12), seq)
		require.NoError(t, c.state().Store().Iterate([]byte{PrefixEventIndex}, PrefixEnd([]byte{PrefixEventIndex}),
			func(k, v []byte) (bool, error) {
				_, err := c.state().EventRecord(v)
				return false, err
			}), "every index entry names an anchored event")
	})

	t.Run("quantity classes become class products", func(t *testing.T) {
		c := newProvChain(t)
		ev := objectEvent("commissioning", "active", ActionAdd, farmGLN, c.time, pigID)
		ev.Quantities = []Quantity{{Class: lotID, Amount: "120.5", UOM: "KGM"}}
		c.recordEvents(farmKey, ev)
		assert.Equal(t, ProductClass, c.productOf(lotID).Kind)
		assert.Equal(t, ProductObject, c.productOf(pigID).Kind)
		// Named as an instance in the same event, it is an instance.
		ev2 := objectEvent("commissioning", "active", ActionAdd, farmGLN, c.time, carcassID)
		ev2.Quantities = []Quantity{{Class: carcassID}}
		c.recordEvents(farmKey, ev2)
		assert.Equal(t, ProductObject, c.productOf(carcassID).Kind)
		assert.Equal(t, uint64(1), c.productOf(carcassID).Events, "indexed once per event")
	})

	t.Run("recording again is idempotent; another business conflicts", func(t *testing.T) {
		c := newProvChain(t)
		ev := objectEvent("commissioning", "active", ActionAdd, farmGLN, c.time, pigID)
		first := c.recordEvents(farmKey, ev)[0]
		assert.True(t, first.New)
		again := c.recordEvents(farmKey, ev, objectEvent("shipping", "in_transit", ActionObserve, farmGLN, c.time, pigID))
		assert.Equal(t, RecordedEvent{Hash: first.Hash}, again[0])
		assert.True(t, again[1].New)
		assert.Equal(t, uint64(2), c.productOf(pigID).Events, "no second index entry")
		_, err := c.deliver(producerRater, events(ev))
		requireErrIs(t, err, ErrConflict)
		assert.Contains(t, err.Error(), farmID)
	})

	t.Run("one bad event rejects the whole tx", func(t *testing.T) {
		c := newProvChain(t)
		good := objectEvent("commissioning", "active", ActionAdd, farmGLN, c.time, pigID)
		bad := objectEvent("retail_selling", "retail_sold", ActionObserve, farmGLN, c.time, pigID)
		_, err := c.deliver(farmKey, events(good, bad))
		requireErrIs(t, err, ErrUnauthorized)
		assert.Contains(t, err.Error(), "event 1 (ObjectEvent")
		_, ok, _ := c.state().ProductByIdentifier(pigID)
		assert.False(t, ok)
	})

	t.Run("event time at most an hour after the block time", func(t *testing.T) {
		c := newProvChain(t)
		_, err := c.deliver(farmKey, events(objectEvent("commissioning", "active", ActionAdd, farmGLN, c.time.Add(61*time.Minute), pigID)))
		requireErrIs(t, err, ErrInvalid)
		c.recordEvents(farmKey, objectEvent("commissioning", "active", ActionAdd, farmGLN, c.time.Add(59*time.Minute), pigID))
	})
}

func TestProvenanceEventAuthorisation(t *testing.T) {
	c := newProvChain(t)
	ev := func(step string) EPCISEvent { return objectEvent(step, "", ActionObserve, shopGLN, c.time, cut1ID) }
	cases := []struct {
		name string
		key  keyPair
		ev   EPCISEvent
		want *Error
		msg  string
	}{
		{"authorised step", retailerKey, ev("receiving"), nil, ""},
		{"step it is not authorised for", retailerKey, ev("slaughtering"), ErrUnauthorized, "not authorised by the Food Safety Management Board"},
		{"business never authorised", producerRater, ev("receiving"), ErrUnauthorized, producerID},
		{"agency without food.business", coopKey, ev("receiving"), ErrUnauthorized, RoleFoodBusiness},
		{"the food authority itself", foodKey, ev("receiving"), ErrUnauthorized, RoleFoodBusiness},
		{"council key", council1, ev("receiving"), ErrUnauthorized, ""},
		{"unregistered key", buyerKey, ev("receiving"), ErrUnknownKey, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := c.deliver(tc.key, events(tc.ev))
			if tc.want == nil {
				require.NoError(t, err)
				return
			}
			requireErrIs(t, err, tc.want)
			assert.Contains(t, err.Error(), tc.msg)
		})
	}

	t.Run("withdrawn authorisation stops new events, keeps old ones", func(t *testing.T) {
		old := c.recordEvents(retailerKey, ev("unpacking"))[0]
		c.mustDeliver(foodKey, &MsgAuthorizeFood{Agency: retailerID, BizSteps: []string{"unpacking"}, Status: FoodWithdrawn, Ref: "99/QĐ"})
		e2 := ev("unpacking")
		e2.Time++
		_, err := c.deliver(retailerKey, events(e2))
		requireErrIs(t, err, ErrUnauthorized)
		_, err = c.state().EventRecord(old.Hash)
		require.NoError(t, err)
	})
}

func TestProvenanceErrorDeclaration(t *testing.T) {
	c := newProvChain(t)
	wrong := objectEvent("receiving", "in_progress", ActionObserve, procGLN, c.time.Add(-time.Hour), carcassID)
	right := wrong
	right.Time -= 600_000 // it happened ten minutes earlier
	hWrong := c.recordEvents(processorKey, wrong)[0].Hash
	declare := func(x *ErrorDeclaration) *MsgRecordEvents {
		return &MsgRecordEvents{Items: []EventItem{{Event: wrong, Declaration: x}}}
	}
	decl := &ErrorDeclaration{Time: ms(c.time), Reason: "incorrect_data"}

	t.Run("only the recording business may declare", func(t *testing.T) {
		_, err := c.deliver(slaughterKey, declare(decl))
		requireErrIs(t, err, ErrUnauthorized)
		assert.Contains(t, err.Error(), processorID)
	})
	t.Run("an unknown event cannot be declared", func(t *testing.T) {
		_, err := c.deliver(processorKey, &MsgRecordEvents{Items: []EventItem{{Event: right, Declaration: decl}}})
		requireErrIs(t, err, ErrNotFound)
	})
	t.Run("corrective events must be recorded", func(t *testing.T) {
		x := *decl
		x.Corrective = [][]byte{right.Hash()}
		_, err := c.deliver(processorKey, declare(&x))
		requireErrIs(t, err, ErrNotFound)
		x.Corrective = [][]byte{hWrong}
		_, err = c.deliver(processorKey, declare(&x))
		requireErrIs(t, err, ErrInvalid)
	})
	t.Run("corrective event and declaration in one tx", func(t *testing.T) {
		x := *decl
		x.Corrective = [][]byte{right.Hash()}
		m := &MsgRecordEvents{Items: []EventItem{{Event: right}, {Event: wrong, Declaration: &x}}}
		res := c.mustDeliver(processorKey, m)
		out, err := DecodeRecorded(res.Data)
		require.NoError(t, err)
		assert.Equal(t, []RecordedEvent{{right.Hash(), true}, {hWrong, true}}, out, "the declaration has the original's hash")
		assert.True(t, hasEvent(res, "epcis_events", "declarations", "1"))

		b, err := c.store.Get(DeclarationKey(hWrong))
		require.NoError(t, err)
		d, err := DecodeDeclaration(b)
		require.NoError(t, err)
		assert.Equal(t, &Declaration{Hash: hWrong, ErrorDeclaration: x, Agency: processorID, Signer: processorKey.pub,
			Height: c.height, Time: uint64(c.time.Unix())}, d)
		rec, err := c.state().EventRecord(hWrong)
		require.NoError(t, err)
		assert.Equal(t, encode(wrong.Encode), encode(rec.Event.Encode), "the original is never rewritten")
		assert.Equal(t, uint64(2), c.productOf(carcassID).Events, "a declaration is not a new step")
	})
	t.Run("a second declaration conflicts", func(t *testing.T) {
		_, err := c.deliver(processorKey, declare(decl))
		requireErrIs(t, err, ErrConflict)
	})
}

func TestProvenanceIdentifierCheck(t *testing.T) {
	for _, s := range []string{cut1ID, pigID, "urn:uuid:6ba7b810-9dad-11d1-80b4-00c04fd430c8", "https://example.vn/kho/1",
		"urn:epc:id:gid:95100000.12345.400", "urn:epcglobal:cbv:bt:8935678000033:DN-251014-07"} {
		require.NoError(t, CheckIdentifier("id", s), s)
	}
	for _, s := range []string{"", "urn:epc:id:sscc:0614141.1234567890", "urn:epc:class:lgtin:4012345.012345.998877",
		"urn:epc:idpat:sgtin:4012345.012345.*", "ftp://x", "urn:epcglobal:cbv:bizstep:shipping", "https://id.gs1.org/01/1#x",
		"urn:x:\"q\"", fmt.Sprintf("urn:%s", strings.Repeat("x", 300))} {
		requireErrIs(t, CheckIdentifier("id", s), ErrInvalid)
	}
	for _, s := range []string{"0", "1", "12.5", "0.001", "1000000"} {
		require.NoError(t, CheckDecimal(s), s)
	}
	for _, s := range []string{"", ".5", "5.", "00", "1.0", "-1", "1e2", "1,5", strings.Repeat("9", 25)} {
		requireErrIs(t, CheckDecimal(s), ErrInvalid)
	}
	assert.True(t, bytes.Equal(IdentifierKey(cut1ID)[1:], Hash([]byte(cut1ID))))
}

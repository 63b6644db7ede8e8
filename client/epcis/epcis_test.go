package epcis

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/danangchain/danangchain/registry"
)

func example(t testing.TB, name string) []byte {
	t.Helper()
	b, err := Examples.ReadFile(name)
	require.NoError(t, err)
	return b
}

// TestLegacyHashVersion: the single-event document whose hash the chain
// pinned before version 2 (the reference implementation's value before its
// February 2023 change of typed-list order). New imports hash it as CBV 2.0
// does today; a record of version 1 keeps its old id, so events anchored
// before keep verifying.
func TestLegacyHashVersion(t *testing.T) {
	b, err := os.ReadFile("testdata/gs1-single-event.jsonld")
	require.NoError(t, err)
	doc, err := Parse(b)
	require.NoError(t, err)
	require.Len(t, doc.Events, 1)
	ev := doc.Events[0]
	const old = "ni:///sha-256;3e0f2437f4cb5e8a1b832b769c0eed1bf3e1421f14061132e9800ded03f10182?ver=CBV2.0"
	assert.Equal(t, uint64(registry.EventHashV2), ev.Item.Event.HashVersion)
	assert.NotEqual(t, old, ev.HashID(), "typed lists are type first now")
	assert.Contains(t, ev.Item.Event.PreHash(), "bizTransactionListtype=")
	legacy := ev.Item.Event
	legacy.HashVersion = registry.EventHashV1
	require.NoError(t, legacy.Validate())
	assert.Equal(t, old, registry.FormatHashID(legacy.Hash()), "a version-1 record keeps its id")
	assert.Empty(t, ev.Warnings)
	assert.Equal(t, []string{"https://id.gs1.org/01/10614141073464/21/2017", "https://id.gs1.org/01/10614141073464/21/2018"},
		ev.Item.Event.EPCs)
	assert.Equal(t, "https://id.gs1.org/414/0614141073467/254/1234", ev.Item.Event.ReadPoint)
	assert.Equal(t, "2.0", doc.SchemaVersion)
}

func TestNormalizeIdentifier(t *testing.T) {
	cases := []struct{ in, want, err string }{
		{"urn:epc:id:sgtin:0614141.107346.2017", "https://id.gs1.org/01/10614141073464/21/2017", ""},
		{"urn:epc:id:sgtin:8935678.000012.TT-251014-0001", "https://id.gs1.org/01/08935678000125/21/TT-251014-0001", ""},
		{"urn:epc:id:sscc:8935678.0000000001", "https://id.gs1.org/00/089356780000000019", ""},
		{"urn:epc:id:sgln:0614141.07346.1234", "https://id.gs1.org/414/0614141073467/254/1234", ""},
		{"urn:epc:id:sgln:8935678.00001.0", "https://id.gs1.org/414/8935678000019", ""},
		{"urn:epc:id:pgln:8935678.00002", "https://id.gs1.org/417/8935678000026", ""},
		{"urn:epc:class:lgtin:8935678.000036.L251014", "https://id.gs1.org/01/08935678000361/10/L251014", ""},
		{"urn:epc:idpat:sgtin:8935678.000036.*", "https://id.gs1.org/01/08935678000361", ""},
		{"urn:epc:id:grai:8935678.00001.KET-7", "https://id.gs1.org/8003/08935678000019KET-7", ""},
		{"urn:epc:id:giai:8935678.XE-43C1", "https://id.gs1.org/8004/8935678XE-43C1", ""},
		{"urn:epc:id:gid:95100000.12345.400", "urn:epc:id:gid:95100000.12345.400", ""},
		{"urn:epc:id:sgtin:0614141.10734.2017", "", "malformed"},
		{"urn:epc:id:sgtin:", "", "no value"},
		{"https://truyxuat.danang.gov.vn/01/8935678000293/21/SN-0002?linkType=gs1:pip", "https://id.gs1.org/01/08935678000293/21/SN-0002", ""},
		{"https://id.gs1.org/01/08935678000293/22/V2/10/L1/21/S9", "https://id.gs1.org/01/08935678000293/21/S9", ""},
		{"https://id.gs1.org/01/08935678000293/10/L1", "https://id.gs1.org/01/08935678000293/10/L1", ""},
		{"https://id.gs1.org/01/08935678000299/21/S9", "", "check digit"},
		{"https://shop.example.vn/p/414/8935678000040/254/quay-3", "https://id.gs1.org/414/8935678000040/254/quay-3", ""},
		{"http://transaction.acme.com/po/12345678", "http://transaction.acme.com/po/12345678", ""},
		{"https://example.vn/2025/01/15/x", "https://example.vn/2025/01/15/x", ""},
		{"  HV-2025-000123 ", "urn:vn:tcvn13274:HV-2025-000123", ""},
		{"HV 2025", "", "trace code"},
		{"", "", "empty"},
	}
	for _, tc := range cases {
		got, err := NormalizeIdentifier(tc.in)
		if tc.err != "" {
			require.Error(t, err, tc.in)
			assert.Contains(t, err.Error(), tc.err)
			continue
		}
		require.NoError(t, err, tc.in)
		assert.Equal(t, tc.want, got, tc.in)
	}
	for _, tc := range []struct {
		v       registry.Vocab
		in, out string
	}{
		{registry.VocabBizStep, "urn:epcglobal:cbv:bizstep:receiving", "receiving"},
		{registry.VocabBizStep, "https://ref.gs1.org/cbv/BizStep-retail_selling", "retail_selling"},
		{registry.VocabBizStep, "https://ns.gs1.org/voc/Bizstep-shipping", "shipping"},
		{registry.VocabBizStep, "cbv:BizStep-packing", "packing"},
		{registry.VocabDisposition, "urn:epcglobal:cbv:disp:in_transit", "in_transit"},
		{registry.VocabSourceDestType, "https://ref.gs1.org/cbv/SDT-owning_party", "owning_party"},
		{registry.VocabErrorReason, "urn:epcglobal:cbv:er:did_not_occur", "did_not_occur"},
		{registry.VocabBizStep, "https://ns.danang.gov.vn/bizstep/cat-pha", "https://ns.danang.gov.vn/bizstep/cat-pha"},
	} {
		assert.Equal(t, tc.out, NormalizeVocab(tc.v, tc.in), tc.in)
	}
}

func TestParseExamples(t *testing.T) {
	docs := map[string]*Document{}
	for _, f := range append([]string{ExampleCorrection}, func() (out []string) {
		for _, e := range ExampleFiles {
			out = append(out, e.File)
		}
		return out
	}()...) {
		doc, err := Parse(example(t, f))
		require.NoError(t, err, f)
		docs[f] = doc
		for _, ev := range doc.Events {
			require.NoError(t, ev.Item.Event.Validate(), f)
			assert.Equal(t, ev.Item.Event.Hash(), ev.Hash)
		}
	}
	farm := docs["examples/farm.jsonld"]
	require.Len(t, farm.Events, 2)
	assert.Empty(t, farm.Events[0].Warnings, "dnc:breed is a namespaced extension: recorded and hashed")
	require.Len(t, farm.Events[0].Item.Event.Extensions, 1)
	assert.Contains(t, farm.Events[0].Item.Event.PreHash(), "breed=")
	assert.Equal(t, "urn:vn:tcvn13274:HV-2025-000123", farm.Events[0].Item.Event.EPCs[0])
	assert.Equal(t, "https://id.gs1.org/414/8935678000019", farm.Events[0].Item.Event.BizLocation)
	assert.Equal(t, []registry.TypedID{{Type: "location", ID: "https://id.gs1.org/414/8935678000026"},
		{Type: "owning_party", ID: "https://id.gs1.org/417/8935678000026"}}, farm.Events[1].Item.Event.Destinations)

	proc := docs["examples/processor.jsonld"]
	cut := proc.Events[1].Item.Event
	assert.Equal(t, registry.EventTransformation, cut.Type)
	assert.Equal(t, []string{"https://id.gs1.org/01/08935678000293/21/SN-0001", "https://id.gs1.org/01/08935678000293/21/SN-0002",
		"https://id.gs1.org/01/08935678000293/21/SN-0003"}, cut.OutEPCs)
	assert.Equal(t, []registry.Quantity{{Class: "https://id.gs1.org/01/08935678000361/10/L251014", Amount: "24.5", UOM: "KGM"}}, cut.OutQuantities)
	assert.Equal(t, "commissioning", cut.BizStep)
	assert.Equal(t, "https://id.gs1.org/00/089356780000000019", proc.Events[2].Item.Event.Parent)

	// The slaughterhouse's output is the processor's input.
	sl := docs["examples/slaughterhouse.jsonld"]
	assert.Equal(t, sl.Events[1].Item.Event.OutEPCs, cut.EPCs)

	corr := docs[ExampleCorrection]
	require.Len(t, corr.Events, 2)
	decl := corr.Events[1]
	require.True(t, decl.IsDeclaration())
	assert.Equal(t, proc.Events[0].Hash, decl.Hash, "the declaration has the hash of the event it declares in error")
	assert.Equal(t, [][]byte{corr.Events[0].Hash}, decl.Item.Declaration.Corrective)
	assert.Equal(t, "incorrect_data", decl.Item.Declaration.Reason)
	ordered := corr.Ordered()
	assert.False(t, ordered[0].IsDeclaration())
	assert.True(t, ordered[1].IsDeclaration())
	msgs := corr.Messages(0)
	require.Len(t, msgs, 1)
	require.NoError(t, msgs[0].ValidateBasic())
}

func TestParseErrors(t *testing.T) {
	base := string(example(t, "examples/retailer.jsonld"))
	cases := []struct{ name, doc, want string }{
		{"XML, not EPCIS", "<epcis/>", "root element must be epcis:EPCISDocument"},
		{"EPCIS 1.2 XML", `<epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:1" schemaVersion="1.2"/>`, "EPCIS 1.x document"},
		{"XML with an entity", `<!DOCTYPE x [<!ENTITY a "b">]><epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:2" schemaVersion="&a;"/>`, "invalid character entity"},
		{"XML without events", `<epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:2" schemaVersion="2.0"><EPCISBody><EventList/></EPCISBody></epcis:EPCISDocument>`, "no events"},
		{"not JSON", "epcis", "not valid JSON"},
		{"wrong type", strings.Replace(base, `"type": "EPCISDocument"`, `"type": "EPCISMasterDataDocument"`, 1), "must be EPCISDocument"},
		{"EPCIS 1.2", strings.Replace(base, `"schemaVersion": "2.0"`, `"schemaVersion": "1.2"`, 1), "not EPCIS 2.x"},
		{"no events", `{"type":"EPCISDocument","schemaVersion":"2.0","epcisBody":{"eventList":[]}}`, "no events"},
		{"no body", `{"type":"EPCISDocument","schemaVersion":"2.0"}`, "no epcisBody"},
		{"transaction event without a business transaction", strings.Replace(base, `"type": "ObjectEvent"`, `"type": "TransactionEvent"`, 1), "at least one bizTransaction"},
		{"association event with an epcList", strings.Replace(base, `"type": "ObjectEvent"`, `"type": "AssociationEvent"`, 1), "epcList does not belong"},
		{"unknown event type", strings.Replace(base, `"type": "ObjectEvent"`, `"type": "SensorEvent"`, 1), "not an EPCIS 2.0 event type"},
		{"bad time", strings.Replace(base, `2025-10-14T16:00:00.000+07:00`, `14/10/2025 16:00`, 1), "eventTime"},
		{"unknown bizStep", strings.Replace(base, `"bizStep": "receiving"`, `"bizStep": "nhap-kho"`, 1), "not a CBV 2.0 term"},
		{"missing bizStep", strings.Replace(base, `"bizStep": "receiving",`, ``, 1), "bizStep is required"},
		{"bad action", strings.Replace(base, `"action": "DELETE"`, `"action": "REMOVE"`, 1), "action"},
		{"childEPCs in an object event", strings.Replace(base, `"epcList": ["https://id.gs1.org/00/089356780000000019"]`,
			`"childEPCs": ["https://id.gs1.org/00/089356780000000019"]`, 1), "childEPCs does not belong"},
		{"negative quantity", strings.Replace(string(example(t, "examples/processor.jsonld")), `24.50`, `-1`, 1), "quantity"},
		{"unresolved corrective id", strings.Replace(string(example(t, ExampleCorrection)),
			`"correctiveEventIDs": ["urn:uuid:5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f70031"]`, `"correctiveEventIDs": ["khong co"]`, 1),
			"nor a URI"},
		{"bad GTIN check digit", strings.Replace(base, `08935678000293/21/SN-0001"],`, `08935678000299/21/SN-0001"],`, 1), "check digit"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse([]byte(tc.doc))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
	t.Run("quantities in exponent and trailing-zero forms", func(t *testing.T) {
		doc := strings.Replace(string(example(t, "examples/processor.jsonld")), `24.50`, `2.4e1`, 1)
		_, err := Parse([]byte(doc))
		require.NoError(t, err)
		doc = strings.Replace(string(example(t, "examples/processor.jsonld")), `24.50`, `2.45e1`, 1)
		_, err = Parse([]byte(doc))
		require.Error(t, err)
	})
	t.Run("query document and a missing offset", func(t *testing.T) {
		doc := strings.Replace(base, `"epcisBody": {`, `"epcisBody": {"queryResults": {"resultsBody": {`, 1)
		doc = strings.TrimSuffix(strings.TrimSpace(doc), "}") + "}}}"
		doc = strings.Replace(doc, `"type": "EPCISDocument"`, `"type": "EPCISQueryDocument"`, 1)
		doc = strings.Replace(doc, `"eventTimeZoneOffset": "+07:00",`, ``, 1)
		d, err := Parse([]byte(doc))
		require.NoError(t, err)
		assert.Equal(t, "+07:00", d.Events[0].Item.Event.TZOffset)
		assert.NotEmpty(t, d.Events[0].Warnings)
	})
}

func TestChunk(t *testing.T) {
	var all []*Event
	for _, e := range ExampleFiles {
		doc, err := Parse(example(t, e.File))
		require.NoError(t, err)
		all = append(all, doc.Events...)
	}
	one := Chunk(all, 0)
	require.Len(t, one, 1)
	assert.Len(t, one[0].Items, len(all))
	small := Chunk(all, 900)
	require.Greater(t, len(small), 2)
	n := 0
	for _, m := range small {
		require.NoError(t, m.ValidateBasic())
		e := registry.NewEncoder(1024)
		m.Encode(e)
		if len(m.Items) > 1 {
			assert.LessOrEqual(t, len(e.Out()), 900)
		}
		n += len(m.Items)
	}
	assert.Equal(t, len(all), n)
}

func FuzzParse(f *testing.F) {
	entries, err := Examples.ReadDir("examples")
	if err != nil {
		f.Fatal(err)
	}
	for _, e := range entries {
		b, _ := Examples.ReadFile("examples/" + e.Name())
		f.Add(b)
		f.Add(b[:len(b)/2])
		f.Add(bytes.Replace(b, []byte("urn:epc:id:"), []byte("urn:epc:id:x"), -1))
	}
	ref, _ := os.ReadFile("testdata/gs1-single-event.jsonld")
	f.Add(ref)
	for _, dir := range []string{"testdata/cbv20/*.json*", "testdata/cbv20/*.xml", "testdata/gs1/*.jsonld", "testdata/gs1/*.xml"} {
		files, _ := filepath.Glob(dir)
		for _, name := range files {
			b, _ := os.ReadFile(name)
			f.Add(b)
		}
	}
	f.Add([]byte(`{"type":"EPCISDocument","schemaVersion":2.0,"epcisBody":{"event":{"type":"ObjectEvent"}}}`))
	f.Add([]byte(`{"type":"EPCISDocument","schemaVersion":"2.0","epcisBody":{"eventList":[{"type":"TransformationEvent","eventTime":"2025-01-01T00:00:00Z","bizStep":"x","inputQuantityList":[{"epcClass":"1","quantity":1e400}]}]}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		doc, err := Parse(b)
		if err != nil {
			return
		}
		for _, ev := range doc.Events {
			if err := ev.Item.Event.Validate(); err != nil {
				t.Fatalf("accepted an event the chain rejects: %v", err)
			}
			if !bytes.Equal(ev.Hash, ev.Item.Event.Hash()) {
				t.Fatal("hash mismatch")
			}
		}
		for _, m := range doc.Messages(0) {
			if err := m.ValidateBasic(); err != nil {
				t.Fatalf("message the chain rejects: %v", err)
			}
			e := registry.NewEncoder(256)
			m.Encode(e)
			back, err := registry.DecodeMsg(registry.MsgTypeRecordEvents, e.Out())
			if err != nil {
				t.Fatalf("message does not decode: %v", err)
			}
			e2 := registry.NewEncoder(256)
			back.Encode(e2)
			if !bytes.Equal(e.Out(), e2.Out()) {
				t.Fatal("message does not round-trip")
			}
		}
	})
}

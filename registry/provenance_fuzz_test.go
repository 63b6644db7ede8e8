package registry

import "testing"

// Fuzz targets for every decoder of the provenance family. The seeds are
// built in code, so a plain `go test -run Provenance` runs them; explore
// with e.g. `go test -run '^$' -fuzz FuzzProvenanceMsg ./registry/`.

func sampleProvenanceMsgs() []Msg {
	at := genesisTime
	agg := aggregationEvent("packing", ActionAdd, procGLN, at, caseID, cut1ID, cut2ID)
	agg.Quantities = []Quantity{{Class: lotID, Amount: "2.5", UOM: "KGM"}}
	tr := transformEvent("slaughtering", slGLN, at, []string{pigID}, []string{carcassID})
	tr.Sources = []TypedID{{Type: "owning_party", ID: farmGLN}}
	decl := &ErrorDeclaration{Time: ms(at), Reason: "incorrect_data", Corrective: [][]byte{tr.Hash()}}
	return []Msg{
		&MsgEnrolArtisan{PubKey: artisanKey.pub, Workshop: "Cơ sở Huỳnh Bá", Village: "Làng đá Non Nước", Status: EnrolmentActive},
		sampleItem(),
		&MsgBindTag{Product: 7, Kind: TagNFC, Tag: "04A23B4C5D6E7F"},
		&MsgTransferItem{Product: 7, To: Owner{Kind: OwnerCommitment, Value: docHash("buyer")}, OnBehalf: true},
		&MsgAttestProduct{Product: 7, Scheme: SchemeOCOP, Level: 4, Ref: "1234/QĐ-UBND", Certificate: sha256CID(0x55), ValidUntil: 1900000000},
		&MsgAuthorizeFood{Agency: farmID, BizSteps: []string{"commissioning", "shipping"}, Status: FoodAuthorised, Ref: "12/QĐ"},
		&MsgRecordEvents{Items: []EventItem{{Event: gs1SingleEvent()}, {Event: agg}, {Event: tr}, {Event: tr, Declaration: decl},
			{Event: v2Event(at)}, {Event: v2Event(at), Declaration: &ErrorDeclaration{Time: ms(at),
				Corrective: SortHashes([][]byte{[]byte("urn:uuid:404d95fc-9457-4a51-bd6a-0bba133845a8"), tr.Hash()})}}}},
		&MsgScanTag{Kind: TagQR, Tag: "NN-0001", Location: shopGLN},
		&MsgNameLocation{Location: slGLN, Name: "Lò mổ Hòa Nhơn, 12 Nguyễn Văn Tạo"},
	}
}

func FuzzProvenanceMsg(f *testing.F) {
	for _, m := range sampleProvenanceMsgs() {
		body := encode(m.Encode)
		f.Add(uint16(m.Type()), body)
		for _, b := range mutations(body) {
			f.Add(uint16(m.Type()), b)
		}
	}
	for _, b := range garbageSeeds() {
		f.Add(uint16(MsgTypeRecordEvents), b)
	}
	f.Fuzz(func(t *testing.T, typ uint16, body []byte) {
		if typ < 20 || typ > 39 {
			typ = 20 + typ%8
		}
		checkCanonical(t, body, func(b []byte) ([]byte, error) {
			m, err := DecodeMsg(MsgType(typ), b)
			if err != nil {
				return nil, err
			}
			if err := m.ValidateBasic(); err != nil && !IsDomain(err) {
				t.Fatalf("ValidateBasic error without a domain code: %v", err)
			}
			if r, ok := m.(*MsgRecordEvents); ok {
				for _, it := range r.Items {
					_ = it.Event.PreHash()
					_ = it.Event.Identifiers()
				}
			}
			return encode(m.Encode), nil
		})
	})
}

func FuzzProvenanceRecords(f *testing.F) {
	tr := transformEvent("slaughtering", slGLN, genesisTime, []string{pigID}, []string{carcassID})
	v2 := v2Event(genesisTime)
	craft := &Product{ID: 9, Kind: ProductCraftItem, Identifier: cut1ID, Height: 3, Time: 1756800000, Events: 2, Scans: 1,
		Attestations: 1, Transfers: 2, TagKind: TagQR, Tag: "NN-0001", Craft: &CraftDetails{Class: "da-my-nghe", Name: "Tượng",
			Description: "Mô tả", Materials: []string{"Đá"}, Photos: []string{sha256CID(0x55)}, Certificates: []string{},
			Quantity: 1, Maker: artisanKey.pub, Agency: artisanID, Registrar: coopID, Workshop: "Xưởng", Village: "Làng",
			Owner: keyOwner(buyerKey)}}
	records := map[byte][][]byte{
		'p': {encode(craft.Encode), encode((&Product{ID: 1, Kind: ProductObject, Identifier: pigID}).Encode)},
		'e': {encode((&EventRecord{Hash: tr.Hash(), Seq: 4, Agency: slaughterID, Signer: slaughterKey.pub, Height: 5, Time: 6, Event: tr}).Encode),
			encode((&EventRecord{Hash: v2.Hash(), Seq: 5, Agency: processorID, Signer: processorKey.pub, Height: 6, Time: 7, Event: v2}).Encode)},
		'd': {encode((&Declaration{Hash: tr.Hash(), ErrorDeclaration: ErrorDeclaration{Time: 1, Reason: "did_not_occur",
			Corrective: [][]byte{docHash("c")}}, Agency: slaughterID, Signer: slaughterKey.pub, Height: 7, Time: 8}).Encode)},
		'a': {encode((&Enrolment{PubKey: artisanKey.pub, Agency: artisanID, Workshop: "X", Village: "Y", Registrar: coopID,
			Status: EnrolmentActive, Height: 1, Time: 2, StatusHeight: 3}).Encode)},
		'f': {encode((&FoodAuth{Agency: farmID, BizStep: "shipping", Status: FoodAuthorised, Authority: foodID, Ref: "1", Height: 1, Time: 2}).Encode)},
		't': {encode((&TagBinding{Kind: TagQR, Tag: "NN-1", Product: 3, Agency: artisanID, Signer: artisanKey.pub, Height: 1, Time: 2}).Encode)},
		'x': {encode((&Transfer{Product: 3, Seq: 1, From: keyOwner(artisanKey), To: Owner{Kind: OwnerCommitment, Value: docHash("b")},
			Signer: artisanKey.pub, Agency: artisanID, Height: 4, Time: 5}).Encode)},
		'b': {encode((&Attestation{Product: 3, Seq: 1, Scheme: SchemeOCOP, Level: 4, Ref: "1", Agency: raterID, Signer: raterKey.pub}).Encode)},
		's': {encode((&Scan{Product: 3, Seq: 2, TagKind: TagQR, Tag: "NN-1", Location: shopGLN, Agency: retailerID, Signer: retailerKey.pub}).Encode)},
		'n': {encode((&LocationName{Location: "geo:16.0544,108.2022", Name: "Chợ Hàn", Agency: retailerID, Signer: retailerKey.pub, Height: 3, Time: 4}).Encode)},
		'g': {encode(ScanPlaces{{Location: shopGLN, Seq: 9}, {Location: farGLN, Seq: 2}}.Encode), encode(ScanPlaces{}.Encode)},
		'r': {EncodeRecorded([]RecordedEvent{{tr.Hash(), true}, {docHash("x"), false}}), EncodeRecorded(nil)},
		'i': {EncodeProductIndex(1), EncodeProductIndex(1 << 40)},
	}
	for kind, list := range records {
		for _, b := range list {
			f.Add(kind, b)
			for _, m := range mutations(b) {
				f.Add(kind, m)
			}
		}
	}
	f.Fuzz(func(t *testing.T, kind byte, in []byte) {
		checkCanonical(t, in, func(b []byte) ([]byte, error) {
			switch kind {
			case 'p':
				p, err := DecodeProduct(b)
				if err != nil {
					return nil, err
				}
				_ = p.Kind.String()
				return encode(p.Encode), nil
			case 'e':
				r, err := DecodeEventRecord(b)
				if err != nil {
					return nil, err
				}
				_ = r.Event.Validate()
				_ = r.Event.PreHash()
				return encode(r.Encode), nil
			case 'd':
				x, err := DecodeDeclaration(b)
				if err != nil {
					return nil, err
				}
				return encode(x.Encode), nil
			case 'a':
				x, err := DecodeEnrolment(b)
				if err != nil {
					return nil, err
				}
				return encode(x.Encode), nil
			case 'f':
				x, err := DecodeFoodAuth(b)
				if err != nil {
					return nil, err
				}
				return encode(x.Encode), nil
			case 't':
				x, err := DecodeTagBinding(b)
				if err != nil {
					return nil, err
				}
				return encode(x.Encode), nil
			case 'x':
				x, err := DecodeTransfer(b)
				if err != nil {
					return nil, err
				}
				_ = x.To.String()
				return encode(x.Encode), nil
			case 'b':
				x, err := DecodeAttestation(b)
				if err != nil {
					return nil, err
				}
				return encode(x.Encode), nil
			case 's':
				x, err := DecodeScan(b)
				if err != nil {
					return nil, err
				}
				return encode(x.Encode), nil
			case 'n':
				x, err := DecodeLocationName(b)
				if err != nil {
					return nil, err
				}
				return encode(x.Encode), nil
			case 'g':
				x, err := DecodeScanPlaces(b)
				if err != nil {
					return nil, err
				}
				return encode(x.Encode), nil
			case 'r':
				x, err := DecodeRecorded(b)
				if err != nil {
					return nil, err
				}
				return EncodeRecorded(x), nil
			default:
				id, err := DecodeProductIndex(b)
				if err != nil {
					return nil, err
				}
				return EncodeProductIndex(id), nil
			}
		})
	})
}

// TestProvenanceMsgTable checks the registration of every message kind:
// names, the type range and a valid round trip through the tx envelope.
func TestProvenanceMsgTable(t *testing.T) {
	names := map[MsgType]string{}
	for _, k := range provenanceMsgs() {
		if k.typ < 20 || k.typ > 39 {
			t.Fatalf("type %d outside 20-39", k.typ)
		}
		names[k.typ] = k.name
	}
	for _, m := range sampleProvenanceMsgs() {
		if err := m.ValidateBasic(); err != nil {
			t.Fatalf("%s: %v", MsgName(m.Type()), err)
		}
		if MsgName(m.Type()) != names[m.Type()] {
			t.Fatalf("type %d is not registered", m.Type())
		}
		tx := &Tx{ChainID: testChainID, Signer: farmKey.pub, Nonce: []byte("nonce-01"), ExpiresAt: 9, Msg: m}
		tx.SignWith(farmKey.priv)
		got, err := DecodeTx(tx.Encode())
		if err != nil {
			t.Fatalf("%s: %v", MsgName(m.Type()), err)
		}
		if string(got.Encode()) != string(tx.Encode()) {
			t.Fatalf("%s does not round-trip", MsgName(m.Type()))
		}
	}
	if len(names) != len(sampleProvenanceMsgs()) {
		t.Fatalf("%d kinds registered, %d sampled", len(names), len(sampleProvenanceMsgs()))
	}
}

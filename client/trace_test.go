package client

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"sort"
	"testing"
	"time"

	"github.com/cometbft/cometbft/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/danangchain/danangchain/client/epcis"
	"github.com/danangchain/danangchain/registry"
)

// provChain is a block-by-block driver over a MemStore for the trace
// tests: txs are signed, encoded, decoded, validated and delivered as the
// application does.
type provChain struct {
	t      *testing.T
	store  *registry.MemStore
	height uint64
	time   time.Time
	nonce  uint64
	keys   map[string][]byte // name -> private key
}

func provKey(name string) []byte {
	s := sha256.Sum256([]byte("danangchain/client-test/" + name))
	return registry.NewKeyFromSeed(s[:])
}

func newProvChain(t *testing.T) *provChain {
	c := &provChain{t: t, store: registry.NewMemStore(), height: 1, time: time.Date(2025, 10, 16, 1, 0, 0, 0, time.UTC),
		keys: map[string][]byte{}}
	agency := func(id, name, key string, roles ...string) registry.GenesisAgency {
		sort.Strings(roles)
		c.keys[key] = provKey(key)
		return registry.GenesisAgency{ID: id, Name: name, Roles: roles, Keys: []string{hex.EncodeToString(registry.PubKeyOf(c.keys[key]))}}
	}
	g := &registry.GenesisState{Params: registry.DefaultParams(),
		Council: []registry.GenesisMember{{Name: "Hội đồng", PubKey: hex.EncodeToString(registry.PubKeyOf(provKey("council")))}},
		Agencies: []registry.GenesisAgency{
			agency("bql-an-toan-thuc-pham", "Ban Quản lý An toàn thực phẩm thành phố Đà Nẵng", "foodsafety", registry.RoleFoodAuthority),
			agency("trang-trai-heo-hoa-vang", "Trang trại chăn nuôi heo Hòa Vang", "farm", registry.RoleFoodBusiness),
			agency("co-so-giet-mo-hoa-nhon", "Cơ sở giết mổ gia súc Hòa Nhơn", "slaughterhouse", registry.RoleFoodBusiness),
			agency("cong-ty-thuc-pham-lien-chieu", "Công ty Chế biến thực phẩm Liên Chiểu", "processor", registry.RoleFoodBusiness),
			agency("cua-hang-thuc-pham-cho-han", "Cửa hàng thực phẩm sạch Chợ Hàn", "retailer", registry.RoleFoodBusiness),
			agency("htx-da-my-nghe-non-nuoc", "Hợp tác xã Đá mỹ nghệ Non Nước", "craftcoop", registry.RoleCraftRegistrar, registry.RoleProductRater),
			agency("co-so-dieu-khac-da-non-nuoc", "Cơ sở điêu khắc đá mỹ nghệ Non Nước", "artisan", registry.RoleCraftArtisan),
			agency("cua-hang-ngoai-chuoi", "Cửa hàng ngoài chuỗi", "outsider", registry.RoleFoodBusiness),
		}}
	require.NoError(t, registry.InitGenesis(registry.Context{ChainID: "trace-test", Height: 1, Time: c.time}, c.store, g, nil))
	for _, a := range []struct {
		id    string
		steps []string
	}{
		{"trang-trai-heo-hoa-vang", []string{"commissioning", "shipping"}},
		{"co-so-giet-mo-hoa-nhon", []string{"receiving", "shipping", "slaughtering"}},
		{"cong-ty-thuc-pham-lien-chieu", []string{"commissioning", "packing", "receiving", "shipping"}},
		{"cua-hang-thuc-pham-cho-han", []string{"receiving", "retail_selling", "unpacking"}},
		{"cua-hang-ngoai-chuoi", []string{"receiving", "retail_selling"}},
	} {
		c.deliver("foodsafety", &registry.MsgAuthorizeFood{Agency: a.id, BizSteps: a.steps, Status: registry.FoodAuthorised, Ref: "1/QĐ"})
	}
	return c
}

func (c *provChain) pub(name string) []byte { return registry.PubKeyOf(c.keys[name]) }

func (c *provChain) next(d time.Duration) {
	c.height++
	c.time = c.time.Add(d)
	require.NoError(c.t, registry.BeginBlock(registry.Context{ChainID: "trace-test", Height: c.height, Time: c.time}, c.store))
}

func (c *provChain) deliver(key string, msg registry.Msg) *registry.Result {
	c.t.Helper()
	c.nonce++
	tx := &registry.Tx{ChainID: "trace-test", Signer: c.pub(key), Nonce: binary.BigEndian.AppendUint64(nil, c.nonce),
		ExpiresAt: c.height + 10, Msg: msg}
	tx.SignWith(c.keys[key])
	dec, err := registry.DecodeTx(tx.Encode())
	require.NoError(c.t, err)
	require.NoError(c.t, dec.ValidateBasic("trace-test"))
	res, err := registry.Deliver(registry.Context{ChainID: "trace-test", Height: c.height, Time: c.time}, c.store, dec)
	require.NoError(c.t, err)
	return res
}

func (c *provChain) importExample(key, file string) {
	c.t.Helper()
	b, err := epcis.Examples.ReadFile(file)
	require.NoError(c.t, err)
	doc, err := epcis.Parse(b)
	require.NoError(c.t, err)
	for _, m := range doc.Messages(0) {
		c.deliver(key, m)
	}
}

// proofs serves TraceProofs from the store at the current height, as a
// verifying client would (without the ICS23 proofs themselves).
func (c *provChain) trace(q TraceQuery) (*Trace, error) {
	p := &TraceProofs{Height: int64(c.height), Values: map[string]*Proven{}}
	for i := 0; i < 100; i++ {
		tr, err := EvaluateTrace(q, p)
		var miss *MissingProofsError
		if !errors.As(err, &miss) {
			return tr, err
		}
		for _, k := range miss.Keys {
			v, err := c.store.Get(k)
			require.NoError(c.t, err)
			p.Values[string(k)] = &Proven{Key: k, Value: v, Height: int64(c.height),
				Header: &types.SignedHeader{Header: &types.Header{Height: int64(c.height) + 1, Time: c.time}}}
		}
	}
	c.t.Fatal("trace did not converge")
	return nil, nil
}

func (c *provChain) productID(identifier string) uint64 {
	v, err := c.store.Get(registry.IdentifierKey(identifier))
	require.NoError(c.t, err)
	id, err := registry.DecodeProductIndex(v)
	require.NoError(c.t, err)
	return id
}

const (
	pack1   = "https://id.gs1.org/01/08935678000293/21/SN-0001"
	pack2   = "https://id.gs1.org/01/08935678000293/21/SN-0002"
	pig     = "urn:vn:tcvn13274:HV-2025-000123"
	carcass = "https://id.gs1.org/01/08935678000125/21/TT-251014-0001"
	sscc    = "https://id.gs1.org/00/089356780000000019"
	shopGLN = "https://id.gs1.org/414/8935678000040"
	farGLN  = "https://id.gs1.org/414/8935678000057"
)

func porkChain(t *testing.T) *provChain {
	c := newProvChain(t)
	for _, e := range epcis.ExampleFiles {
		c.next(5 * time.Second)
		c.importExample(e.Key, e.File)
	}
	c.next(5 * time.Second)
	return c
}

func TestTracePorkChain(t *testing.T) {
	c := porkChain(t)
	tr, err := c.trace(TraceQuery{Identifier: pack1})
	require.NoError(t, err)
	v := tr.View()
	assert.True(t, v.ProofVerified)
	assert.False(t, v.Truncated)
	assert.Equal(t, "object", v.Product.Kind)
	assert.Equal(t, pack1, v.Product.Identifier)

	var names []string
	for _, b := range v.Businesses {
		names = append(names, b.Name)
	}
	assert.Equal(t, []string{"Trang trại chăn nuôi heo Hòa Vang", "Cơ sở giết mổ gia súc Hòa Nhơn",
		"Công ty Chế biến thực phẩm Liên Chiểu", "Cửa hàng thực phẩm sạch Chợ Hàn"}, names, "four businesses, in order")

	type row struct{ biz, step, dir string }
	var got []row
	for i, s := range v.Steps {
		got = append(got, row{s.BusinessID, s.BizStep, s.Direction})
		assert.True(t, s.ProofVerified, "step %d", i)
		if i > 0 {
			assert.LessOrEqual(t, v.Steps[i-1].Time, s.Time, "steps in time order")
		}
	}
	for _, s := range v.Steps {
		assert.False(t, s.OutsideChain, "%s %s: every business made the product or received it from the chain", s.BusinessID, s.BizStep)
	}
	assert.Equal(t, []row{
		{"trang-trai-heo-hoa-vang", "commissioning", "back"},
		{"trang-trai-heo-hoa-vang", "shipping", "back"},
		{"co-so-giet-mo-hoa-nhon", "receiving", "back"},
		{"co-so-giet-mo-hoa-nhon", "slaughtering", "back"},
		{"co-so-giet-mo-hoa-nhon", "shipping", "back"},
		{"cong-ty-thuc-pham-lien-chieu", "receiving", "back"},
		{"cong-ty-thuc-pham-lien-chieu", "commissioning", "self"},
		{"cong-ty-thuc-pham-lien-chieu", "packing", "self"},
		{"cong-ty-thuc-pham-lien-chieu", "shipping", "self"},
		{"cua-hang-thuc-pham-cho-han", "receiving", "self"},
		{"cua-hang-thuc-pham-cho-han", "unpacking", "self"},
		{"cua-hang-thuc-pham-cho-han", "retail_selling", "self"},
	}, got)
	slaughter := v.Steps[3]
	assert.Equal(t, []string{pig}, slaughter.Inputs)
	assert.Equal(t, []string{carcass}, slaughter.Outputs)
	assert.Equal(t, "Giết mổ", slaughter.BizStepVI)
	assert.Equal(t, "2025-10-14T09:00:00.000+07:00", slaughter.Time)
	assert.Equal(t, "https://id.gs1.org/414/8935678000026", slaughter.Location)
	related := map[string]string{}
	for _, r := range v.Related {
		related[r.Identifier] = r.Direction
	}
	assert.Equal(t, map[string]string{sscc: "self", carcass: "back", pig: "back"}, related, "no sibling packs, no lot class")

	t.Run("by id, the same trace", func(t *testing.T) {
		tr2, err := c.trace(TraceQuery{ID: c.productID(pack1)})
		require.NoError(t, err)
		assert.Equal(t, v, tr2.View())
	})

	t.Run("forward from the pig: the whole chain down to every pack", func(t *testing.T) {
		tr, err := c.trace(TraceQuery{Identifier: pig})
		require.NoError(t, err)
		fwd := map[string]bool{}
		for _, p := range tr.Products {
			if p.Direction == DirForward {
				fwd[p.Product.Identifier] = true
			}
		}
		assert.True(t, fwd[carcass] && fwd[pack1] && fwd[pack2] && fwd["https://id.gs1.org/01/08935678000293/21/SN-0003"], "%v", fwd)
		assert.True(t, fwd["https://id.gs1.org/01/08935678000361/10/L251014"], "the lot too")
		assert.Len(t, tr.View().Businesses, 4)
	})

	t.Run("a correction appears as an error declaration linked to the original", func(t *testing.T) {
		c.next(5 * time.Second)
		c.importExample("processor", epcis.ExampleCorrection)
		c.next(5 * time.Second)
		tr, err := c.trace(TraceQuery{Identifier: pack1})
		require.NoError(t, err)
		v := tr.View()
		var original, corrective *StepView
		for i := range v.Steps {
			s := &v.Steps[i]
			if s.BizStep == "receiving" && s.BusinessID == "cong-ty-thuc-pham-lien-chieu" {
				if s.ErrorDeclaration != nil {
					original = s
				} else {
					corrective = s
				}
			}
		}
		require.NotNil(t, original)
		require.NotNil(t, corrective)
		assert.Equal(t, "incorrect_data", original.ErrorDeclaration.Reason)
		assert.Equal(t, []string{corrective.HashID}, original.ErrorDeclaration.CorrectedBy)
		assert.Equal(t, []string{original.HashID}, corrective.Corrects)
		assert.Equal(t, "2025-10-14T10:55:00.000+07:00", corrective.Time)
		assert.True(t, v.ProofVerified)
		assert.Len(t, v.Steps, 13)
	})
}

func TestTraceCloneDetection(t *testing.T) {
	c := porkChain(t)
	id := c.productID(pack1)
	c.deliver("retailer", &registry.MsgBindTag{Product: id, Kind: registry.TagQR, Tag: "DN-PORK-0001"})
	scan := func(key, loc string) {
		c.deliver(key, &registry.MsgScanTag{Kind: registry.TagQR, Tag: "DN-PORK-0001", Location: loc})
	}
	// The sale happened at the shop (already recorded). A scan at the shop
	// is fine; one elsewhere 10 minutes later is both "two places" and
	// "after the sale".
	c.next(time.Minute)
	scan("retailer", shopGLN)
	c.next(10 * time.Minute)
	scan("foodsafety", farGLN)
	c.next(2 * time.Hour)
	scan("foodsafety", farGLN)
	c.next(time.Second)
	tr, err := c.trace(TraceQuery{ID: id})
	require.NoError(t, err)
	v := tr.View()
	require.Len(t, v.Scans, 3)
	assert.Equal(t, "Ban Quản lý An toàn thực phẩm thành phố Đà Nẵng", v.Scans[1].AgencyName)
	var rules []string
	for _, f := range v.CloneFlags {
		rules = append(rules, f.Rule)
		assert.NotEmpty(t, f.DetailVI)
	}
	assert.Equal(t, []string{RuleTwoPlaces, RuleAfterSale, RuleAfterSale}, rules)
	assert.Equal(t, []uint64{1, 2}, v.CloneFlags[0].Scans)
	assert.Equal(t, []uint64{2}, v.CloneFlags[1].Scans)
	assert.Equal(t, []uint64{3}, v.CloneFlags[2].Scans)
	assert.Equal(t, "DN-PORK-0001", v.Product.Tag.Tag)

	t.Run("rules", func(t *testing.T) {
		at := func(seq, sec uint64, h uint64, loc string) *TraceScan {
			return &TraceScan{Scan: &registry.Scan{Seq: seq, Time: 1_760_000_000 + sec, Height: h, Location: loc}}
		}
		cases := []struct {
			name  string
			scans []*TraceScan
			want  []string
		}{
			{"one place, many scans", []*TraceScan{at(1, 0, 10, shopGLN), at(2, 60, 11, shopGLN), at(3, 120, 12, shopGLN)}, nil},
			{"two places 59 minutes apart", []*TraceScan{at(1, 0, 10, shopGLN), at(2, 59*60, 11, farGLN)}, []string{RuleTwoPlaces}},
			{"two places an hour apart", []*TraceScan{at(1, 0, 10, shopGLN), at(2, 3600, 11, farGLN)}, nil},
			{"out of order seqs", []*TraceScan{at(2, 30, 11, farGLN), at(1, 0, 10, shopGLN)}, []string{RuleTwoPlaces}},
			{"three places", []*TraceScan{at(1, 0, 10, shopGLN), at(2, 60, 11, farGLN), at(3, 120, 12, "urn:vn:x")},
				[]string{RuleTwoPlaces, RuleTwoPlaces, RuleTwoPlaces}},
		}
		for _, tc := range cases {
			tr := &Trace{Product: &registry.Product{ID: 99}, Scans: tc.scans}
			var got []string
			for _, f := range DetectClones(tr) {
				got = append(got, f.Rule)
			}
			assert.Equal(t, tc.want, got, tc.name)
		}
		// After a sale: only later blocks at other places, and not when the
		// sale was declared in error.
		sale := &TraceStep{Via: 99, Verified: true, Record: &registry.EventRecord{Hash: []byte{1}, Height: 11, Event: registry.EPCISEvent{
			Type: registry.EventObject, EPCs: []string{pack1}, BizStep: "retail_selling", BizLocation: shopGLN}}}
		tr := &Trace{Product: &registry.Product{ID: 99, Identifier: pack1}, Steps: []*TraceStep{sale},
			Scans: []*TraceScan{at(1, 0, 10, farGLN), at(2, 7200, 12, shopGLN), at(3, 12000, 13, farGLN)}}
		flags := DetectClones(tr)
		require.Len(t, flags, 1)
		assert.Equal(t, RuleAfterSale, flags[0].Rule)
		assert.Equal(t, []uint64{3}, flags[0].Scans)
		sale.Declaration = &registry.Declaration{}
		assert.Empty(t, DetectClones(tr))
	})
}

func TestTraceCraftItem(t *testing.T) {
	c := newProvChain(t)
	c.deliver("craftcoop", &registry.MsgEnrolArtisan{PubKey: c.pub("artisan"), Workshop: "Cơ sở điêu khắc đá mỹ nghệ Non Nước",
		Village: "Làng đá mỹ nghệ Non Nước", Status: registry.EnrolmentActive})
	photo := "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku"
	res := c.deliver("artisan", &registry.MsgRegisterItem{Kind: registry.ProductCraftItem, Quantity: 1, Class: "da-my-nghe",
		Name: "Tượng Phật Quan Âm đá cẩm thạch Non Nước", Materials: []string{"Đá cẩm thạch trắng"}, Photos: []string{photo}})
	id, err := registry.DecodeProductIndex(res.Data)
	require.NoError(t, err)
	c.deliver("artisan", &registry.MsgBindTag{Product: id, Kind: registry.TagNFC, Tag: "04A23B4C5D6E7F"})
	c.deliver("craftcoop", &registry.MsgAttestProduct{Product: id, Scheme: registry.SchemeOCOP, Level: 4, Ref: "2451/QĐ-UBND",
		ValidUntil: uint64(c.time.Add(24 * time.Hour).Unix())})
	c.next(time.Minute)
	c.deliver("artisan", &registry.MsgTransferItem{Product: id, To: registry.Owner{Kind: registry.OwnerKey, Value: c.pub("craftcoop")}})
	buyer := registry.Owner{Kind: registry.OwnerCommitment, Value: registry.HolderCommitment([]byte("salt-0123456789a"), "048099001234")}
	c.deliver("craftcoop", &registry.MsgTransferItem{Product: id, To: buyer})
	c.next(48 * time.Hour)

	tr, err := c.trace(TraceQuery{ID: id})
	require.NoError(t, err)
	v := tr.View()
	require.NotNil(t, v.Product.Craft)
	assert.Equal(t, "Làng đá mỹ nghệ Non Nước", v.Product.Craft.Village)
	assert.Equal(t, "Cơ sở điêu khắc đá mỹ nghệ Non Nước", v.Product.Craft.AgencyName)
	assert.Equal(t, "Hợp tác xã Đá mỹ nghệ Non Nước", v.Product.Craft.RegistrarName)
	assert.Equal(t, []string{photo}, v.Product.Craft.Photos)
	assert.Equal(t, buyer.String(), v.Product.Craft.Owner)
	require.Len(t, v.Ownership, 2)
	assert.Equal(t, "key:"+registry.KeyID(c.pub("artisan")), v.Ownership[0].From)
	assert.Equal(t, v.Ownership[0].To, v.Ownership[1].From, "an unbroken chain of owners")
	assert.Equal(t, buyer.String(), v.Ownership[1].To)
	require.Len(t, v.Attestations, 1)
	assert.False(t, v.Attestations[0].Valid, "expired at the trace's block time")
	assert.Equal(t, "nfc", v.Product.Tag.Kind)
	assert.Empty(t, v.Steps)
	assert.True(t, v.ProofVerified)
}

func TestTraceRejectsBadProofs(t *testing.T) {
	c := porkChain(t)
	id := c.productID(pack1)
	full := func() *TraceProofs {
		p := &TraceProofs{Height: int64(c.height), Values: map[string]*Proven{}}
		for {
			_, err := EvaluateTrace(TraceQuery{ID: id}, p)
			var miss *MissingProofsError
			if !errors.As(err, &miss) {
				require.NoError(t, err)
				return p
			}
			for _, k := range miss.Keys {
				v, _ := c.store.Get(k)
				p.Values[string(k)] = proven(k, v, int64(c.height))
			}
		}
	}
	t.Run("a record under another hash is not verified", func(t *testing.T) {
		p := full()
		h, _ := c.store.Get(registry.EventIndexKey(id, 1))
		other, _ := c.store.Get(registry.EventIndexKey(id, 2))
		p.Values[string(registry.EventKey(h))].Value = p.Values[string(registry.EventKey(other))].Value
		tr, err := EvaluateTrace(TraceQuery{ID: id}, p)
		require.NoError(t, err)
		assert.False(t, tr.Verified())
		assert.False(t, tr.View().ProofVerified)
	})
	t.Run("an event whose fields were altered does not hash to its key", func(t *testing.T) {
		p := full()
		h, _ := c.store.Get(registry.EventIndexKey(id, 1))
		rec, err := registry.DecodeEventRecord(p.Values[string(registry.EventKey(h))].Value)
		require.NoError(t, err)
		rec.Event.BizLocation = farGLN
		p.Values[string(registry.EventKey(h))].Value = enc(rec.Encode)
		tr, err := EvaluateTrace(TraceQuery{ID: id}, p)
		require.NoError(t, err)
		assert.False(t, tr.Verified())
	})
	t.Run("a proof for another key or height", func(t *testing.T) {
		p := full()
		p.Values[string(registry.ProductKey(id))].Key = registry.ProductKey(id + 1)
		_, err := EvaluateTrace(TraceQuery{ID: id}, p)
		require.ErrorIs(t, err, registry.ErrProofInvalid)
		p = full()
		p.Values[string(registry.ProductKey(id))].Height--
		_, err = EvaluateTrace(TraceQuery{ID: id}, p)
		require.ErrorIs(t, err, registry.ErrProofInvalid)
	})
	t.Run("an unknown product is proven absent", func(t *testing.T) {
		_, err := c.trace(TraceQuery{ID: 999})
		require.ErrorIs(t, err, registry.ErrNotFound)
		_, err = c.trace(TraceQuery{Identifier: "urn:vn:tcvn13274:KHONG-CO"})
		require.ErrorIs(t, err, registry.ErrNotFound)
	})
}

// Clone detection cannot be blinded by pre-filling a product's scans: a
// trace reads the newest MaxTraceListLen scans and says it is truncated.
func TestTraceNewestScansWin(t *testing.T) {
	c := porkChain(t)
	id := c.productID(pack1)
	c.deliver("retailer", &registry.MsgBindTag{Product: id, Kind: registry.TagQR, Tag: "DN-PORK-0002"})
	for i := 0; i < MaxTraceListLen; i++ {
		c.height += registry.ScanRatePeriod / registry.ScanRateLimit // within the per-business scan rate
		c.next(2 * time.Hour)
		c.deliver("retailer", &registry.MsgScanTag{Kind: registry.TagQR, Tag: "DN-PORK-0002", Location: shopGLN})
	}
	c.next(10 * time.Minute)
	c.deliver("foodsafety", &registry.MsgScanTag{Kind: registry.TagQR, Tag: "DN-PORK-0002", Location: farGLN})
	c.next(time.Second)
	tr, err := c.trace(TraceQuery{ID: id})
	require.NoError(t, err)
	assert.True(t, tr.Truncated)
	require.Len(t, tr.Scans, MaxTraceListLen)
	assert.Equal(t, uint64(MaxTraceListLen+1), tr.Scans[len(tr.Scans)-1].Seq, "the newest scan is read")
	assert.Equal(t, uint64(2), tr.Scans[0].Seq, "the oldest is dropped")
	var rules []string
	for _, f := range tr.View().CloneFlags {
		rules = append(rules, f.Rule)
	}
	assert.Contains(t, rules, RuleTwoPlaces, "the clone's scan is examined")
	assert.True(t, tr.View().Truncated)
}

// TestTracePlacesSurviveAFlood: a clone's scan far away, ten minutes after
// a scan at the shop, then a flood of more than MaxTraceListLen scans at
// the shop: the newest scans are all the flood's, but the product's recent
// scan places keep the far scan and its neighbours, so the clone is still
// flagged.
func TestTracePlacesSurviveAFlood(t *testing.T) {
	c := porkChain(t)
	id := c.productID(pack1)
	c.deliver("retailer", &registry.MsgBindTag{Product: id, Kind: registry.TagQR, Tag: "DN-PORK-0002"})
	c.next(time.Minute)
	c.deliver("retailer", &registry.MsgScanTag{Kind: registry.TagQR, Tag: "DN-PORK-0002", Location: shopGLN})
	c.next(10 * time.Minute)
	c.deliver("foodsafety", &registry.MsgScanTag{Kind: registry.TagQR, Tag: "DN-PORK-0002", Location: farGLN})
	for i := 0; i < MaxTraceListLen+5; i++ {
		c.height += registry.ScanRatePeriod / registry.ScanRateLimit // within the per-business scan rate
		c.next(2 * time.Hour)
		c.deliver("retailer", &registry.MsgScanTag{Kind: registry.TagQR, Tag: "DN-PORK-0002", Location: shopGLN})
	}
	c.next(time.Second)
	tr, err := c.trace(TraceQuery{ID: id})
	require.NoError(t, err)
	assert.True(t, tr.Truncated)
	var seqs []uint64
	for _, s := range tr.Scans {
		seqs = append(seqs, s.Seq)
	}
	assert.Contains(t, seqs, uint64(1), "the scan before the far one")
	assert.Contains(t, seqs, uint64(2), "the far scan")
	var flags []CloneFlag
	for _, f := range tr.Flags {
		if f.Rule == RuleTwoPlaces {
			flags = append(flags, f)
		}
	}
	require.NotEmpty(t, flags, "the clone's scan is examined")
	assert.Equal(t, []uint64{1, 2}, flags[0].Scans)
}

// TestTraceOutsideChain: a business authorised for retail selling that
// never received the pack records a sale of it, and then a receiving of it
// with no shipping pending. Its events are shown apart from the
// journey and its name is not among the chain's businesses.
func TestTraceOutsideChain(t *testing.T) {
	c := porkChain(t)
	// The chain's last hand-off (processor -> shop) was received already,
	// so a receiving by another business does not join it either.
	c.next(time.Hour)
	ms := uint64(c.time.UnixMilli())
	c.deliver("outsider", &registry.MsgRecordEvents{Items: []registry.EventItem{
		{Event: registry.EPCISEvent{Type: registry.EventObject, Time: ms, TZOffset: "+07:00", EPCs: []string{pack1},
			Action: registry.ActionObserve, BizStep: "retail_selling", BizLocation: farGLN}},
		{Event: registry.EPCISEvent{Type: registry.EventObject, Time: ms + 1, TZOffset: "+07:00", EPCs: []string{pack1},
			Action: registry.ActionObserve, BizStep: "receiving", BizLocation: farGLN}},
	}})
	c.next(time.Second)
	tr, err := c.trace(TraceQuery{Identifier: pack1})
	require.NoError(t, err)
	v := tr.View()
	var outside, inside []string
	for _, s := range v.Steps {
		if s.OutsideChain {
			outside = append(outside, s.BusinessID+" "+s.BizStep)
		} else {
			inside = append(inside, s.BusinessID+" "+s.BizStep)
		}
	}
	assert.Equal(t, []string{"cua-hang-ngoai-chuoi retail_selling", "cua-hang-ngoai-chuoi receiving"}, outside)
	assert.Len(t, inside, 12, "the journey is unchanged")
	for _, b := range v.Businesses {
		assert.NotEqual(t, "cua-hang-ngoai-chuoi", b.ID)
	}
	assert.True(t, v.ProofVerified, "the other events are proven; they are only set apart")
}

// TestTraceCompromisedKey: the retailer's key is declared compromised
// since a height; its steps, scans and ratings from that height on are
// marked, never verified, and its scans are not used to flag a clone.
func TestTraceCompromisedKey(t *testing.T) {
	c := porkChain(t)
	id := c.productID(pack1)
	c.deliver("retailer", &registry.MsgBindTag{Product: id, Kind: registry.TagQR, Tag: "DN-PORK-0003"})
	c.next(time.Minute)
	c.deliver("foodsafety", &registry.MsgScanTag{Kind: registry.TagQR, Tag: "DN-PORK-0003", Location: shopGLN})
	c.next(10 * time.Minute)
	c.deliver("retailer", &registry.MsgScanTag{Kind: registry.TagQR, Tag: "DN-PORK-0003", Location: farGLN})
	c.next(time.Second)

	tr, err := c.trace(TraceQuery{ID: id})
	require.NoError(t, err)
	require.True(t, tr.Verified())
	require.NotEmpty(t, tr.Flags, "before: the far scan flags a clone")

	// Mark the retailer's key compromised since the first block of the
	// chain (the council's action, tested end to end in networks).
	st := registry.NewState(c.store)
	k, err := st.KeyRecord(c.pub("retailer"))
	require.NoError(t, err)
	k.CompromisedSince, k.Revoked, k.RevokedHeight = 1, true, c.height
	require.NoError(t, st.SetKeyRecord(k))

	tr, err = c.trace(TraceQuery{ID: id})
	require.NoError(t, err)
	assert.False(t, tr.Verified(), "steps signed by the compromised key do not verify")
	v := tr.View()
	marked := 0
	for _, s := range v.Steps {
		if s.BusinessID == "cua-hang-thuc-pham-cho-han" {
			assert.True(t, s.Compromised)
			assert.False(t, s.ProofVerified)
			assert.Contains(t, s.Problem, "compromised")
			marked++
		} else {
			assert.False(t, s.Compromised)
		}
	}
	assert.Equal(t, 3, marked)
	for _, s := range v.Scans {
		assert.Equal(t, s.Agency == "cua-hang-thuc-pham-cho-han", s.Compromised, "scan %d", s.Seq)
	}
	assert.Empty(t, v.CloneFlags, "a stolen key's scan does not frame the product")
}

// TestTracePlaceNames: a place its business named shows by that name (and
// its GLN) in the steps and scans of a trace; other places by their GLN.
func TestTracePlaceNames(t *testing.T) {
	c := porkChain(t)
	const slHall = "https://id.gs1.org/414/8935678000026"
	c.deliver("slaughterhouse", &registry.MsgNameLocation{Location: slHall, Name: "Lò mổ Hòa Nhơn, 12 Nguyễn Văn Tạo"})
	c.next(time.Second)
	tr, err := c.trace(TraceQuery{Identifier: pack1})
	require.NoError(t, err)
	v := tr.View()
	named := 0
	for _, s := range v.Steps {
		if s.Location == slHall {
			require.NotNil(t, s.Place)
			assert.Equal(t, "Lò mổ Hòa Nhơn, 12 Nguyễn Văn Tạo · Địa điểm (mã GLN 8935678000026)", s.Place.Vi)
			assert.Equal(t, "Lò mổ Hòa Nhơn, 12 Nguyễn Văn Tạo · Place (GLN 8935678000026)", s.Place.En)
			named++
		} else if s.Place != nil {
			assert.NotContains(t, s.Place.Vi, "Lò mổ")
		}
	}
	assert.Positive(t, named)
}

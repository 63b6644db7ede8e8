package registry

import (
	"sort"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// Keys and agencies of the provenance tests.
var (
	coopKey       = testKey("htx-da-non-nuoc/main")   // craft.registrar + product.rater
	otherRegKey   = testKey("so-cong-thuong/main")    // craft.registrar
	artisanKey    = testKey("co-so-da-non-nuoc/main") // craft.artisan
	artisanKey2   = testKey("co-so-da-non-nuoc/nghe-nhan-02")
	kimBongKey    = testKey("co-so-go-kim-bong/main") // craft.artisan, enrolled by so-cong-thuong
	raterKey      = testKey("trung-tam-ocop/main")    // product.rater
	producerRater = testKey("htx-nong-san/main")      // product.rater + food.business
	foodKey       = testKey("bql-attp/main")          // food.authority
	farmKey       = testKey("trang-trai-hoa-vang/main")
	slaughterKey  = testKey("lo-mo-hoa-nhon/main")
	processorKey  = testKey("che-bien-lien-chieu/main")
	retailerKey   = testKey("cua-hang-cho-han/main")
	buyerKey      = testKey("khach-mua/ca-nhan") // never registered
)

const (
	coopID      = "htx-da-non-nuoc"
	otherRegID  = "so-cong-thuong"
	artisanID   = "co-so-da-non-nuoc"
	kimBongID   = "co-so-go-kim-bong"
	raterID     = "trung-tam-ocop"
	producerID  = "htx-nong-san"
	foodID      = "bql-attp"
	farmID      = "trang-trai-hoa-vang"
	slaughterID = "lo-mo-hoa-nhon"
	processorID = "che-bien-lien-chieu"
	retailerID  = "cua-hang-cho-han"
)

func provAgency(id, name string, keys []keyPair, roles ...string) GenesisAgency {
	sort.Strings(roles)
	a := GenesisAgency{ID: id, Name: name, Roles: roles}
	for _, k := range keys {
		a.Keys = append(a.Keys, k.hex())
	}
	return a
}

// provenanceGenesis extends the test genesis with the provenance agencies.
func provenanceGenesis() *GenesisState {
	g := testGenesis()
	g.Agencies = append(g.Agencies,
		provAgency(coopID, "Hợp tác xã Đá mỹ nghệ Non Nước", []keyPair{coopKey}, RoleCraftRegistrar, RoleProductRater),
		provAgency(otherRegID, "Sở Công Thương thành phố Đà Nẵng", []keyPair{otherRegKey}, RoleCraftRegistrar),
		provAgency(artisanID, "Cơ sở điêu khắc đá Non Nước", []keyPair{artisanKey, artisanKey2}, RoleCraftArtisan),
		provAgency(kimBongID, "Cơ sở mộc Kim Bồng", []keyPair{kimBongKey}, RoleCraftArtisan),
		provAgency(raterID, "Hội đồng đánh giá OCOP thành phố", []keyPair{raterKey}, RoleProductRater),
		provAgency(producerID, "Hợp tác xã nông sản Hòa Vang", []keyPair{producerRater}, RoleProductRater, RoleFoodBusiness),
		provAgency(foodID, "Ban Quản lý An toàn thực phẩm", []keyPair{foodKey}, RoleFoodAuthority),
		provAgency(farmID, "Trang trại heo Hòa Vang", []keyPair{farmKey}, RoleFoodBusiness),
		provAgency(slaughterID, "Cơ sở giết mổ Hòa Nhơn", []keyPair{slaughterKey}, RoleFoodBusiness),
		provAgency(processorID, "Công ty chế biến Liên Chiểu", []keyPair{processorKey}, RoleFoodBusiness),
		provAgency(retailerID, "Cửa hàng thực phẩm Chợ Hàn", []keyPair{retailerKey}, RoleFoodBusiness),
	)
	return g
}

// newProvChain starts a chain with the provenance agencies, the artisan
// keys enrolled (artisanKey and artisanKey2 by the cooperative, kimBongKey
// by the department) and the four food businesses authorised for their
// steps.
func newProvChain(t testing.TB) *chain {
	t.Helper()
	c := newChainWith(t, provenanceGenesis())
	c.mustDeliver(coopKey, &MsgEnrolArtisan{PubKey: artisanKey.pub, Workshop: "Cơ sở điêu khắc đá Non Nước",
		Village: "Làng đá mỹ nghệ Non Nước", Status: EnrolmentActive})
	c.mustDeliver(coopKey, &MsgEnrolArtisan{PubKey: artisanKey2.pub, Workshop: "Cơ sở điêu khắc đá Non Nước",
		Village: "Làng đá mỹ nghệ Non Nước", Status: EnrolmentActive})
	c.mustDeliver(otherRegKey, &MsgEnrolArtisan{PubKey: kimBongKey.pub, Workshop: "Xưởng mộc Kim Bồng",
		Village: "Làng mộc Kim Bồng", Status: EnrolmentActive})
	for _, a := range []struct {
		id    string
		steps []string
	}{
		{farmID, []string{"commissioning", "shipping"}},
		{slaughterID, []string{"receiving", "shipping", "slaughtering"}},
		{processorID, []string{"commissioning", "packing", "receiving", "shipping"}},
		{retailerID, []string{"receiving", "retail_selling", "unpacking"}},
		{producerID, []string{"commissioning"}},
	} {
		c.mustDeliver(foodKey, &MsgAuthorizeFood{Agency: a.id, BizSteps: a.steps, Status: FoodAuthorised, Ref: "12/QĐ-BQLATTP"})
	}
	c.nextBlock()
	return c
}

// Identifiers of the test pork chain.
const (
	pigID     = "urn:vn:tcvn13274:HV-HEO-000123"
	carcassID = "https://id.gs1.org/01/08930000000026/21/TT-000123"
	cut1ID    = "https://id.gs1.org/01/08930000000033/21/SUON-0001"
	cut2ID    = "https://id.gs1.org/01/08930000000033/21/SUON-0002"
	caseID    = "https://id.gs1.org/00/089300000000000017"
	lotID     = "https://id.gs1.org/01/08930000000040/10/LOT-2609"
	farmGLN   = "https://id.gs1.org/414/8930000000011"
	slGLN     = "https://id.gs1.org/414/8930000000028"
	procGLN   = "https://id.gs1.org/414/8930000000035"
	shopGLN   = "https://id.gs1.org/414/8930000000042"
	farGLN    = "https://id.gs1.org/414/8930000000059"
)

// ms is block-relative event time in unix milliseconds.
func ms(t time.Time) uint64 { return uint64(t.UnixMilli()) }

// objectEvent is an ObjectEvent at location loc, minutes before genesis time + 1h.
func objectEvent(step, disp string, action EventAction, loc string, at time.Time, epcs ...string) EPCISEvent {
	sort.Strings(epcs)
	return EPCISEvent{Type: EventObject, Time: ms(at), TZOffset: "+07:00", EPCs: epcs, Action: action,
		BizStep: step, Disposition: disp, ReadPoint: loc, BizLocation: loc}
}

func transformEvent(step, loc string, at time.Time, in, out []string) EPCISEvent {
	sort.Strings(in)
	sort.Strings(out)
	return EPCISEvent{Type: EventTransformation, Time: ms(at), TZOffset: "+07:00", EPCs: in, OutEPCs: out,
		BizStep: step, Disposition: "in_progress", ReadPoint: loc, BizLocation: loc}
}

func aggregationEvent(step string, action EventAction, loc string, at time.Time, parent string, children ...string) EPCISEvent {
	sort.Strings(children)
	return EPCISEvent{Type: EventAggregation, Time: ms(at), TZOffset: "+07:00", Parent: parent, EPCs: children,
		Action: action, BizStep: step, ReadPoint: loc, BizLocation: loc}
}

// events wraps events as new (non-declaration) items.
func events(evs ...EPCISEvent) *MsgRecordEvents {
	m := &MsgRecordEvents{}
	for _, ev := range evs {
		m.Items = append(m.Items, EventItem{Event: ev})
	}
	return m
}

// recordEvents delivers events signed by k and returns the tx data.
func (c *chain) recordEvents(k keyPair, evs ...EPCISEvent) []RecordedEvent {
	c.t.Helper()
	res := c.mustDeliver(k, events(evs...))
	out, err := DecodeRecorded(res.Data)
	require.NoError(c.t, err)
	require.Len(c.t, out, len(evs))
	return out
}

// productOf returns the product of an identifier.
func (c *chain) productOf(identifier string) *Product {
	c.t.Helper()
	id, ok, err := c.state().ProductByIdentifier(identifier)
	require.NoError(c.t, err)
	require.True(c.t, ok, "no product for %s", identifier)
	return c.product(id)
}

func (c *chain) product(id uint64) *Product {
	c.t.Helper()
	p, err := c.state().Product(id)
	require.NoError(c.t, err)
	return p
}

// eventsOf lists the event hashes indexed under a product, in order.
func (c *chain) eventsOf(p *Product) [][]byte {
	c.t.Helper()
	var out [][]byte
	for n := uint64(1); n <= p.Events; n++ {
		v, err := c.store.Get(EventIndexKey(p.ID, n))
		require.NoError(c.t, err)
		require.Len(c.t, v, HashSize)
		out = append(out, v)
	}
	return out
}

// sampleItem is a valid registration of a Non Nước stone carving.
func sampleItem() *MsgRegisterItem {
	return &MsgRegisterItem{Kind: ProductCraftItem, Quantity: 1, Class: "da-my-nghe",
		Name: "Tượng Quan Âm đá cẩm thạch", Description: "Tạc thủ công từ đá cẩm thạch trắng, cao 40 cm.",
		Materials: []string{"Đá cẩm thạch trắng"}, Photos: []string{sha256CID(0x55)}}
}

// register registers sampleItem (or m) as k and returns the product id.
func (c *chain) register(k keyPair, m *MsgRegisterItem) uint64 {
	c.t.Helper()
	if m == nil {
		m = sampleItem()
	}
	res := c.mustDeliver(k, m)
	id, err := DecodeProductIndex(res.Data)
	require.NoError(c.t, err)
	return id
}

func keyOwner(k keyPair) Owner { return Owner{Kind: OwnerKey, Value: k.pub} }

// try runs msg's stateless checks, then delivers it: the error of
// whichever fails (the driver requires ValidateBasic to pass).
func (c *chain) try(k keyPair, msg Msg) error {
	c.t.Helper()
	if err := msg.ValidateBasic(); err != nil {
		return err
	}
	_, err := c.deliver(k, msg)
	return err
}

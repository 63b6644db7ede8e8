package networks_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// examplesDir is client/epcis/examples: the pork chain documents.
func examplesDir() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(filepath.Dir(file)), "client", "epcis")
}

// traceOut is the part of `product trace -o json` the test reads.
type traceOut struct {
	Product struct {
		ID         string `json:"id"`
		Kind       string `json:"kind"`
		Identifier string `json:"identifier"`
		Tag        *struct {
			Kind, Tag string
		} `json:"tag"`
		Craft *struct {
			Name    string   `json:"name"`
			Village string   `json:"village"`
			Photos  []string `json:"photos"`
			Owner   string   `json:"owner"`
		} `json:"craft"`
	} `json:"product"`
	Steps []struct {
		HashID           string   `json:"hash_id"`
		BusinessID       string   `json:"business_id"`
		Business         string   `json:"business"`
		BizStep          string   `json:"biz_step"`
		Time             string   `json:"time"`
		Location         string   `json:"location"`
		Inputs           []string `json:"inputs"`
		Outputs          []string `json:"outputs"`
		ProofVerified    bool     `json:"proof_verified"`
		Corrects         []string `json:"corrects"`
		ErrorDeclaration *struct {
			Reason      string   `json:"reason"`
			CorrectedBy []string `json:"corrective_event_ids"`
		} `json:"error_declaration"`
	} `json:"steps"`
	Businesses []struct{ ID, Name string } `json:"businesses"`
	Ownership  []struct {
		Seq  int    `json:"seq"`
		From string `json:"from"`
		To   string `json:"to"`
	} `json:"ownership"`
	CloneFlags []struct {
		Rule  string   `json:"rule"`
		Scans []uint64 `json:"scans"`
	} `json:"clone_flags"`
	ProofVerified bool `json:"proof_verified"`
}

// TestProvenance runs the provenance journeys on a real node with the
// real CLI: a food business the Food Safety Management Board has not
// authorised is refused; four businesses import their own EPCIS 2.0
// documents (farm -> slaughterhouse -> processor -> retailer, carcass cut
// into packs) and the pack's trace lists their steps in order with
// verified proofs, on the CLI and on the HTTP API behind the QR page; a
// correction is an error declaration linked to the original; GS1's
// published example event imports with its published hash; a craft item
// is registered with a photo, tagged, transferred twice and its tag
// refused to another item; tag scans raise clone flags; and a
// 3,000-event document measures the import rate.
func TestProvenance(t *testing.T) {
	if testing.Short() {
		t.Skip("multi-process test")
	}
	net := newNetwork(t, 1, 28600)
	n := net.nodes[0]
	n.start(t)
	waitHeight(t, n.client(t), 2, 60*time.Second)
	H := []string{"--home", n.home, "-o", "json"}
	cli := func(args ...string) (map[string]any, error) {
		t.Helper()
		out, err := run(t, append(args, H...)...)
		if strings.TrimSpace(out) == "" {
			return nil, err
		}
		return jsonOut(t, out), err
	}
	trace := func(ref string) traceOut {
		t.Helper()
		out, err := run(t, append([]string{"product", "trace", ref}, H...)...)
		requireExit(t, err, 0)
		var tr traceOut
		require.NoError(t, json.Unmarshal([]byte(out), &tr), out)
		return tr
	}
	doc := func(name string) string { return filepath.Join(examplesDir(), "examples", name) }

	// Not yet authorised by the Food Safety Management Board: refused.
	_, err := cli("product", "import-epcis", doc("farm.jsonld"), "--from", "farm")
	requireExit(t, err, 2)
	assert.Contains(t, err.Error(), "not authorised by the Food Safety Management Board")
	assert.Contains(t, err.Error(), "trang-trai-heo-hoa-vang")

	for _, a := range []struct{ agency, steps string }{
		{"trang-trai-heo-hoa-vang", "commissioning,shipping"},
		{"co-so-giet-mo-hoa-nhon", "receiving,slaughtering,shipping"},
		{"cong-ty-thuc-pham-lien-chieu", "receiving,commissioning,packing,shipping"},
		{"cua-hang-thuc-pham-cho-han", "receiving,unpacking,retail_selling"},
	} {
		res, err := cli("product", "authorize-business", a.agency, "--step", a.steps, "--ref", "15/QĐ-BQLATTP", "--from", "foodsafety")
		requireExit(t, err, 0)
		assert.Equal(t, "authorised", res["status"])
	}
	// A business cannot authorise itself, nor record steps it is not authorised for.
	_, err = cli("product", "authorize-business", "cua-hang-thuc-pham-cho-han", "--step", "slaughtering", "--from", "retailer")
	requireExit(t, err, 2)
	_, err = cli("product", "import-epcis", doc("farm.jsonld"), "--from", "retailer")
	requireExit(t, err, 2)
	assert.Contains(t, err.Error(), `bizStep "commissioning"`)

	// Each business submits its own document with one call.
	hashes := map[string]bool{}
	for _, f := range []struct{ file, key string }{{"farm.jsonld", "farm"}, {"slaughterhouse.jsonld", "slaughterhouse"},
		{"processor.jsonld", "processor"}, {"retailer.jsonld", "retailer"}} {
		res, err := cli("product", "import-epcis", doc(f.file), "--from", f.key)
		requireExit(t, err, 0)
		evs := res["events"].([]any)
		assert.Equal(t, float64(len(evs)), res["new"], f.file)
		for _, e := range evs {
			hashes[e.(map[string]any)["hash_id"].(string)] = true
		}
		if f.file == "farm.jsonld" {
			assert.NotContains(t, fmt.Sprint(res["warnings"]), "dnc:breed", "a namespaced extension is recorded and hashed, not dropped")
		}
	}
	again, err := cli("product", "import-epcis", doc("retailer.jsonld"), "--from", "retailer")
	requireExit(t, err, 0)
	assert.Equal(t, float64(0), again["new"], "importing again changes nothing")

	// The pack's trace: four businesses' steps in order, every proof verified.
	const pack = "https://id.gs1.org/01/08935678000293/21/SN-0001"
	tr := trace(pack)
	require.True(t, tr.ProofVerified)
	var order []string
	for _, b := range tr.Businesses {
		order = append(order, b.ID)
	}
	assert.Equal(t, []string{"trang-trai-heo-hoa-vang", "co-so-giet-mo-hoa-nhon", "cong-ty-thuc-pham-lien-chieu",
		"cua-hang-thuc-pham-cho-han"}, order)
	require.Len(t, tr.Steps, 12)
	for i, s := range tr.Steps {
		assert.True(t, s.ProofVerified, "step %d", i)
		assert.True(t, hashes[s.HashID], "step %d is an imported event", i)
		if i > 0 {
			assert.LessOrEqual(t, tr.Steps[i-1].Time, s.Time)
		}
	}
	assert.Equal(t, "commissioning", tr.Steps[0].BizStep)
	assert.Equal(t, "Trang trại chăn nuôi heo Hòa Vang", tr.Steps[0].Business)
	assert.Equal(t, "slaughtering", tr.Steps[3].BizStep)
	assert.Equal(t, []string{"https://id.gs1.org/01/08935678000125/21/TT-251014-0001"}, tr.Steps[3].Outputs)
	assert.Equal(t, "retail_selling", tr.Steps[11].BizStep)
	packID := tr.Product.ID
	assert.Equal(t, tr, trace(packID), "by id or by identifier, the same trace")

	// The HTTP API behind the QR page (BASE/p/ID) serves the same trace.
	api := "http://127.0.0.1:28602"
	var apiTrace traceOut
	getJSON(t, api+"/v1/products/"+packID+"/trace", &apiTrace)
	assert.Equal(t, tr.Steps, apiTrace.Steps)
	assert.True(t, apiTrace.ProofVerified)
	resp, err := http.Get(api + "/p/" + packID)
	require.NoError(t, err)
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Contains(t, string(page), "/v1/receipt/", "the page fetches receipts and verifies the trace itself")
	var byIdent traceOut
	getJSON(t, api+"/v1/products/"+url.PathEscape(pack)+"/trace", &byIdent)
	assert.Equal(t, packID, byIdent.Product.ID)

	// Corrections: only the business that recorded an event may declare it
	// in error; the declaration is linked to the original and its correction.
	_, err = cli("product", "import-epcis", doc("processor-correction.jsonld"), "--from", "slaughterhouse")
	requireExit(t, err, 2)
	assert.Contains(t, err.Error(), "may declare it in error")
	res, err := cli("product", "import-epcis", doc("processor-correction.jsonld"), "--from", "processor")
	requireExit(t, err, 0)
	decl := res["events"].([]any)[1].(map[string]any)
	assert.Equal(t, true, decl["error_declaration"])
	assert.True(t, hashes[decl["hash_id"].(string)], "the declaration names the original event by its hash")
	tr = trace(packID)
	require.Len(t, tr.Steps, 13)
	var original, corrective int
	for i, s := range tr.Steps {
		if s.ErrorDeclaration != nil {
			original = i
		}
		if len(s.Corrects) > 0 {
			corrective = i
		}
	}
	require.NotNil(t, tr.Steps[original].ErrorDeclaration)
	assert.Equal(t, decl["hash_id"], tr.Steps[original].HashID)
	assert.Equal(t, "incorrect_data", tr.Steps[original].ErrorDeclaration.Reason)
	assert.Equal(t, []string{tr.Steps[corrective].HashID}, tr.Steps[original].ErrorDeclaration.CorrectedBy)
	assert.Equal(t, []string{tr.Steps[original].HashID}, tr.Steps[corrective].Corrects)

	// The reference implementation's time-stamp document (the CBV 2.0
	// event hash rounds eventTime half up to the millisecond) imports with
	// its published hash and appears in the trace of its EPC.
	ref := filepath.Join(examplesDir(), "testdata", "cbv20", "TimeStampRoundOff.jsonld")
	_, err = cli("product", "authorize-business", "trang-trai-heo-hoa-vang", "--step", "commissioning,shipping,transporting,receiving",
		"--ref", "16/QĐ-BQLATTP", "--from", "foodsafety")
	requireExit(t, err, 0)
	res, err = cli("product", "import-epcis", ref, "--from", "farm")
	requireExit(t, err, 0)
	gs1Hash := "ni:///sha-256;af7658e711574363633f20b3dadc7bc4c13c6f612cf96d95e03c421c0e58f3c6?ver=CBV2.0"
	assert.Equal(t, gs1Hash, res["events"].([]any)[0].(map[string]any)["hash_id"])
	gs1 := trace("https://id.gs1.de/00/040123451111111110") // a custom domain, read as id.gs1.org
	require.NotEmpty(t, gs1.Steps)
	found := false
	for _, s := range gs1.Steps {
		found = found || s.HashID == gs1Hash
	}
	assert.True(t, found, "the published hash is the step's id")
	assert.True(t, gs1.ProofVerified)

	// Craft: enrol, register with a photo, tag, transfer twice.
	_, err = cli("product", "register", "--name", "Tượng Quan Âm đá cẩm thạch", "--class", "da-my-nghe", "--from", "artisan")
	requireExit(t, err, 2)
	assert.Contains(t, err.Error(), "not enrolled")
	_, err = cli("product", "enrol-artisan", "artisan", "--workshop", "Cơ sở điêu khắc đá mỹ nghệ Non Nước",
		"--village", "Làng đá mỹ nghệ Non Nước", "--from", "craftcoop")
	requireExit(t, err, 0)
	photo := filepath.Join(t.TempDir(), "tuong.jpg")
	require.NoError(t, os.WriteFile(photo, []byte("\xff\xd8\xff ảnh tượng đá (test)"), 0o644))
	reg, err := cli("product", "register", "--name", "Tượng Quan Âm đá cẩm thạch", "--class", "da-my-nghe",
		"--material", "Đá cẩm thạch trắng", "--photo", photo, "--from", "artisan")
	requireExit(t, err, 0)
	item := reg["id"].(string)
	photoCID := reg["photos"].([]any)[0].(string)
	assert.True(t, strings.HasPrefix(photoCID, "bafkrei"), photoCID)
	assert.True(t, strings.HasSuffix(reg["url"].(string), "/p/"+item), reg["url"])
	// The photo was published, not only hashed: any node's gateway serves it.
	back := filepath.Join(t.TempDir(), "tuong-back.jpg")
	_, err = cli("payload", "get", photoCID, "--out", back)
	requireExit(t, err, 0)
	got, err := os.ReadFile(back)
	require.NoError(t, err)
	assert.Equal(t, "\xff\xd8\xff ảnh tượng đá (test)", string(got))
	_, err = cli("product", "bind-tag", item, "--nfc", "04:a2:3b:4c:5d:6e:7f", "--from", "artisan")
	requireExit(t, err, 0)
	_, err = cli("product", "rate", item, "--stars", "4", "--ref", "2451/QĐ-UBND", "--from", "artisan")
	requireExit(t, err, 2) // never self-declared
	_, err = cli("product", "rate", item, "--stars", "4", "--ref", "2451/QĐ-UBND", "--from", "craftcoop")
	requireExit(t, err, 0)
	_, err = cli("product", "transfer", item, "--to-key", "craftcoop", "--from", "artisan")
	requireExit(t, err, 0)
	_, err = cli("product", "transfer", item, "--to-key", "retailer", "--from", "artisan")
	requireExit(t, err, 2) // the artisan no longer owns it
	assert.Contains(t, err.Error(), "current owner")
	sold, err := cli("product", "transfer", item, "--to-holder", "048099001234", "--from", "craftcoop")
	requireExit(t, err, 0)
	assert.NotEmpty(t, sold["holder_salt"])
	// Binding the tag to another item is refused.
	other, err := cli("product", "register", "--name", "Tượng Di Lặc", "--class", "đá mỹ nghệ", "--from", "artisan")
	requireExit(t, err, 0)
	assert.Equal(t, "da-my-nghe", other["class"], "a class typed in Vietnamese becomes its code")
	_, err = cli("product", "bind-tag", other["id"].(string), "--nfc", "04A23B4C5D6E7F", "--from", "artisan")
	requireExit(t, err, 2)
	assert.Contains(t, err.Error(), "conflict")
	assert.Contains(t, err.Error(), "already bound to product "+item)

	craft := trace(item)
	require.True(t, craft.ProofVerified)
	require.NotNil(t, craft.Product.Craft)
	assert.Equal(t, "Làng đá mỹ nghệ Non Nước", craft.Product.Craft.Village)
	assert.Equal(t, []string{photoCID}, craft.Product.Craft.Photos)
	require.Len(t, craft.Ownership, 2)
	assert.Equal(t, craft.Ownership[0].To, craft.Ownership[1].From, "the history verifies as one chain of owners")
	assert.Equal(t, craft.Product.Craft.Owner, craft.Ownership[1].To)
	assert.True(t, strings.HasPrefix(craft.Ownership[1].To, "commitment:"))
	require.NotNil(t, craft.Product.Tag)
	assert.Equal(t, "04A23B4C5D6E7F", craft.Product.Tag.Tag)

	// Tag scans: the retailer's QR stamp on the pack, seen at the shop and,
	// minutes later, across town after the sale: flagged.
	_, err = cli("product", "bind-tag", packID, "--qr", "DN-CH-2510-0001", "--from", "retailer")
	requireExit(t, err, 0)
	_, err = cli("product", "scan", "--qr", "DN-CH-2510-0001", "--location", "urn:epc:id:sgln:8935678.00004.0", "--from", "retailer")
	requireExit(t, err, 0)
	_, err = cli("product", "scan", "--qr", "DN-CH-2510-0001", "--location", "urn:epc:id:sgln:8935678.00005.0", "--from", "foodsafety")
	requireExit(t, err, 0)
	_, err = cli("product", "scan", "--qr", "NO-SUCH-TAG", "--location", "urn:epc:id:sgln:8935678.00005.0", "--from", "foodsafety")
	requireExit(t, err, 2)
	tr = trace(packID)
	var rules []string
	for _, f := range tr.CloneFlags {
		rules = append(rules, f.Rule)
	}
	assert.Equal(t, []string{"two_places_at_once", "scanned_after_sale"}, rules)

	// Import rate: one 3,000-event document from the farm.
	big := bigEPCISDocument(3000)
	bigFile := filepath.Join(t.TempDir(), "farm-3000.jsonld")
	require.NoError(t, os.WriteFile(bigFile, big, 0o644))
	start := time.Now()
	res, err = cli("product", "import-epcis", bigFile, "--from", "farm")
	requireExit(t, err, 0)
	elapsed := time.Since(start)
	assert.Equal(t, float64(3000), res["new"])
	t.Logf("imported 3,000 EPCIS events in %d txs in %s: %.0f events/s end to end (CLI %.0f events/s)",
		int(res["txs"].(float64)), elapsed.Round(time.Millisecond), 3000/elapsed.Seconds(), res["events_per_second"])
}

func getJSON(t *testing.T, u string, v any) {
	t.Helper()
	resp, err := http.Get(u)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode, string(b))
	require.NoError(t, json.Unmarshal(b, v), string(b))
}

// bigEPCISDocument is n commissioning events of n pigs at the farm.
func bigEPCISDocument(n int) []byte {
	var b strings.Builder
	b.WriteString(`{"@context":["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],"type":"EPCISDocument",` +
		`"schemaVersion":"2.0","creationDate":"2025-10-20T08:00:00+07:00","epcisBody":{"eventList":[`)
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"type":"ObjectEvent","eventTime":"2025-10-20T07:%02d:%02d.%03d+07:00","eventTimeZoneOffset":"+07:00",`+
			`"epcList":["urn:vn:tcvn13274:HV-2025-1%05d"],"action":"ADD","bizStep":"commissioning","disposition":"active",`+
			`"readPoint":{"id":"urn:epc:id:sgln:8935678.00001.0"},"bizLocation":{"id":"urn:epc:id:sgln:8935678.00001.0"}}`,
			(i/1000)%60, (i/10)%60, i%1000, i)
	}
	b.WriteString(`]}}`)
	return []byte(b.String())
}

package verification

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/unicode/norm"

	"github.com/danangchain/danangchain/registry"
)

// TestWordingTable: every status people can read has a headline, an
// explanation and what to do next, in Vietnamese and in English, in NFC,
// and Statuses lists exactly the table.
func TestWordingTable(t *testing.T) {
	seen := map[string]bool{}
	for _, s := range Statuses() {
		require.False(t, seen[s], "status %s listed twice", s)
		seen[s] = true
		w, ok := wordings[s]
		require.True(t, ok, "status %s has no wording", s)
		for name, x := range map[string]Words{"headline": w.Headline, "explain": w.Explain, "next": w.Next} {
			assert.NotEmpty(t, strings.TrimSpace(x.Vi), "%s: %s in Vietnamese", s, name)
			assert.NotEmpty(t, strings.TrimSpace(x.En), "%s: %s in English", s, name)
			assert.NotEqual(t, x.Vi, x.En, "%s: %s is not translated", s, name)
			assert.True(t, norm.NFC.IsNormalString(x.Vi), "%s: %s is not NFC", s, name)
			if name != "headline" {
				assert.True(t, strings.HasSuffix(x.Vi, ".") && strings.HasSuffix(x.En, "."), "%s: %s is a sentence", s, name)
			}
			for _, jargon := range []string{"ICS23", "hash", "băm", "header", "commitment", "key id", "height"} {
				assert.NotContains(t, strings.ToLower(x.Vi+" "+x.En), strings.ToLower(jargon), "%s: %s uses jargon", s, name)
			}
		}
		assert.Equal(t, strings.ToUpper(w.Headline.Vi), w.Headline.Vi, "%s: headlines are capitals", s)
	}
	require.Len(t, wordings, len(seen), "a status of the table is missing from Statuses")
	assert.Equal(t, wordings[SayError], StatusWording("no such status"))
	// Every verdict the registry gives has its own wording.
	for _, v := range []registry.ResultVerdict{registry.VerdictValid, registry.VerdictRevoked, registry.VerdictReplaced,
		registry.VerdictSuspended, registry.VerdictExpired, registry.VerdictNotYetValid, registry.VerdictUnknown} {
		assert.Contains(t, wordings, VerdictStatus(v), "verdict %s", v)
		assert.NotEqual(t, SayError, VerdictStatus(v), "verdict %s", v)
	}
	assert.Len(t, WordingForPage().Statuses, len(wordings))
}

// TestCheckedSaysWhatAndWhen: a verdict says what was checked and as of
// when, and claims only what held.
func TestCheckedSaysWhatAndWhen(t *testing.T) {
	asOf := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC) // 10:04:05 in UTC+7
	c := Basis{Where: InBrowser, AsOf: asOf, Age: 3 * time.Second, Fresh: true, Issuer: true}.Checked()
	assert.Equal(t, "Đã kiểm tra ngay trên thiết bị này: chữ ký của hơn 2/3 số máy chủ của thành phố, bằng chứng dữ liệu trên chuỗi khối, "+
		"dữ liệu còn mới và cơ quan cấp cùng khóa ký của cơ quan còn hiệu lực. Tính đến 10:04:05 ngày 02/01/2026 (giờ Việt Nam), cách đây 3 giây.", c.Vi)
	assert.Equal(t, "Checked on this device: the signatures of more than 2/3 of the city's servers, the proof of the data on the chain, "+
		"that the data is current and that the issuing agency and its signing key stand. As of 10:04:05 on 2 Jan 2026 (Vietnam time), 3 seconds ago.", c.En)

	stale := Basis{Where: InBrowser, AsOf: asOf, Age: 5 * time.Minute}.Checked()
	assert.NotContains(t, stale.Vi, "còn mới", "stale data is not called current")
	assert.NotContains(t, stale.En, "current")
	assert.Contains(t, stale.Vi, "cách đây 5 phút")
	assert.Contains(t, stale.En, "5 minutes ago")

	cli := Basis{Where: OnThisComputer, AsOf: asOf, Fresh: true, Witnesses: 2}.Checked()
	assert.Contains(t, cli.Vi, "Đã đối chiếu với 2 máy chủ khác.")
	assert.Contains(t, cli.En, "Cross-checked with 2 other server(s).")
	alone := Basis{Where: OnThisComputer, AsOf: asOf, Fresh: true}.Checked()
	assert.Contains(t, alone.En, "no witness configured")

	rc := Basis{Where: FromReceipt, AsOf: asOf, Age: 26 * time.Hour}.Checked()
	assert.Contains(t, rc.Vi, "Tính đến lúc lập biên nhận: 10:04:05 ngày 02/01/2026")
	assert.Contains(t, rc.En, "As of when the receipt was made: 10:04:05 on 2 Jan 2026 (Vietnam time), 26 hours ago.")

	for d, want := range map[time.Duration][2]string{
		time.Second: {"1 giây", "1 second"}, 90 * time.Second: {"90 giây", "90 seconds"}, 3 * time.Minute: {"3 phút", "3 minutes"},
		5 * time.Hour: {"5 giờ", "5 hours"}, 72 * time.Hour: {"3 ngày", "3 days"}, -time.Second: {"0 giây", "0 seconds"},
	} {
		assert.Equal(t, want[0], AgeVI(d), d)
		assert.Equal(t, want[1], AgeEN(d), d)
	}
}

// TestErrorMessage: an error reads in plain words with its stable code,
// never as the raw error.
func TestErrorMessage(t *testing.T) {
	err := fmt.Errorf("%w: header is 300s old", registry.ErrNotCurrent)
	m := ErrorMessage(SayError, err)
	assert.Equal(t, SayNotCurrent, m.Status)
	assert.Equal(t, "not_current", m.Code)
	require.NotNil(t, m.Reason)
	assert.NotEmpty(t, m.Reason.Vi)
	assert.Equal(t, wordings[SayNotCurrent].Explain, m.Explain)
	assert.Equal(t, nothingChecked, m.Checked)
	assert.NotContains(t, m.Explain.En+m.Reason.En, "300s")

	m = ErrorMessage(SayBadReceipt, fmt.Errorf("%w: signatures", registry.ErrProofInvalid))
	assert.Equal(t, SayBadReceipt, m.Status)
	assert.Equal(t, "proof_invalid", m.Code)

	m = ErrorMessage(SayNetwork, errors.New("connection refused"))
	assert.Equal(t, "internal", m.Code)
	assert.Nil(t, m.Reason)
	assert.Equal(t, wordings[SayNetwork].Headline, m.Headline)
}

// TestPageStatus: each state of the verify page reads as its own status.
func TestPageStatus(t *testing.T) {
	for _, c := range []struct {
		out     PageResponse
		receipt bool
		want    string
	}{
		{PageResponse{State: "valid"}, false, SayValid},
		{PageResponse{State: "valid"}, true, SayReceiptValid},
		{PageResponse{State: "invalid", Verdict: &VerdictView{Status: "revoked"}}, false, SayRevoked},
		{PageResponse{State: "invalid", Verdict: &VerdictView{Status: "replaced"}}, false, SayReplaced},
		{PageResponse{State: "invalid", Verdict: &VerdictView{Status: "unknown"}}, false, SayUnknown},
		{PageResponse{State: "invalid", Code: "not_found"}, false, SayNotFound},
		{PageResponse{State: "mismatch", Checks: map[string]PageCheck{"file": {OK: false}}}, false, SayMismatchFile},
		{PageResponse{State: "mismatch", Checks: map[string]PageCheck{"hash": {OK: false}}}, false, SayMismatchQR},
		{PageResponse{State: "unconfirmed", Reason: "stale"}, false, SayNotCurrent},
		{PageResponse{State: "unconfirmed", Reason: "stale"}, true, SayReceiptOld},
		{PageResponse{State: "unconfirmed", Reason: "issuer"}, false, SayIssuer},
		{PageResponse{State: "error"}, false, SayError},
	} {
		assert.Equal(t, c.want, c.out.status(c.receipt), "%+v receipt=%v", c.out, c.receipt)
	}
}

// TestDescribe: identifiers and places read in words, not as URIs.
func TestDescribe(t *testing.T) {
	for in, want := range map[string]Words{
		"https://id.gs1.org/01/08935678000293/21/SN-0001": {"Mã sản phẩm GTIN 08935678000293, số sê-ri SN-0001", "GTIN 08935678000293, serial SN-0001"},
		"https://id.gs1.org/01/08935678000036/10/L251014": {"Mã sản phẩm GTIN 08935678000036, lô L251014", "GTIN 08935678000036, lot L251014"},
		"https://id.gs1.org/00/089356780000000019":        {"Kiện hàng mã SSCC 089356780000000019", "Shipping unit SSCC 089356780000000019"},
		"urn:vn:tcvn13274:HV-2025-000123":                 {"Mã truy xuất HV-2025-000123", "Trace code HV-2025-000123"},
		"https://id.gs1.org/414/8935678000033":            {"Địa điểm (mã GLN 8935678000033)", "Place (GLN 8935678000033)"},
		"urn:other:thing":                                 {"urn:other:thing", "urn:other:thing"},
	} {
		assert.Equal(t, want, DescribeIdentifier(in), in)
	}
	for in, want := range map[string]Words{
		"https://id.gs1.org/414/8935678000040":        {"Địa điểm (mã GLN 8935678000040)", "Place (GLN 8935678000040)"},
		"https://id.gs1.org/414/8935678000040/254/B2": {"Địa điểm (mã GLN 8935678000040, vị trí B2)", "Place (GLN 8935678000040, location B2)"},
		// The SGLN URN of the same place (the check digit computed).
		"urn:epc:id:sgln:8935678.00004.0": {"Địa điểm (mã GLN 8935678000040)", "Place (GLN 8935678000040)"},
		"urn:epc:id:sgln:8935678.00003.0": {"Địa điểm (mã GLN 8935678000033)", "Place (GLN 8935678000033)"},
		"Chợ Hàn":                         {"Chợ Hàn", "Chợ Hàn"},
	} {
		assert.Equal(t, want, DescribePlace(in), in)
	}
	assert.Equal(t, Words{"Tượng đá", "Tượng đá"}, DescribeProduct(ProductView{ID: "7", Identifier: "urn:vn:tcvn13274:X",
		Craft: &CraftView{Name: "Tượng đá"}}))
	assert.Equal(t, Words{"Sản phẩm số 9", "Product no. 9"}, DescribeProduct(ProductView{ID: "9"}))
	// A buyer without a key is private; a key reads as its label.
	tr := &Trace{Owners: map[string]string{registry.Owner{Kind: registry.OwnerKey, Value: make([]byte, 32)}.String(): "Cơ sở A"}}
	assert.Equal(t, Words{"Người mua (đã ẩn danh)", "Buyer (private)"}, tr.OwnerWords(registry.Owner{Kind: registry.OwnerCommitment, Value: make([]byte, 32)}))
	assert.Equal(t, Words{"Cơ sở A", "Cơ sở A"}, tr.OwnerWords(registry.Owner{Kind: registry.OwnerKey, Value: make([]byte, 32)}))
	assert.Equal(t, Words{"dữ liệu ghi sai", "the data was wrong"}, DeclarationReasonWords("incorrect_data"))
}

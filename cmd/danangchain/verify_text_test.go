package main

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/danangchain/danangchain/client"
	"github.com/danangchain/danangchain/registry"
	"github.com/danangchain/danangchain/verification"
)

// TestVerifyTextIsPlainFirst: verify's text output says the verdict in
// plain words first — the wording of verification/wording.go, Vietnamese
// then English, the facts a person compares, what to do next, what was
// checked and as of when — and only then the technical details (hashes,
// key ids, heights).
func TestVerifyTextIsPlainFirst(t *testing.T) {
	doc := bytes.Repeat([]byte{0xab}, 32)
	signer := bytes.Repeat([]byte{0x11}, 32)
	issued := time.Date(2026, 1, 2, 3, 0, 0, 0, time.UTC)
	asOf := time.Now().Add(-2 * time.Second)
	rec := &registry.ResultRecord{ID: 7, Agency: "ubnd-phuong-hai-chau", Time: uint64(issued.Unix()), Height: 3, Signer: signer,
		Status: registry.ResultRevoked, Reason: "Cấp sai đối tượng", ReasonCode: 2}
	rec.DocHash, rec.Procedure, rec.Dossier, rec.Title = doc, "1.001612.000.00.00.H17", "HS-01", "Giấy phép kinh doanh"
	rec.ValidUntil = uint64(time.Date(2031, 1, 1, 0, 0, 0, 0, verification.ICT).Unix())
	agency := &registry.Agency{ID: "ubnd-phuong-hai-chau", Name: "UBND phường Hải Châu", Status: registry.AgencyActive,
		Roles: []string{registry.RoleResultIssuer}}
	for _, tc := range []struct {
		name     string
		status   registry.ResultVerdict
		key      *registry.KeyRecord
		headline string
		lines    []string
	}{
		{"revoked", registry.VerdictRevoked, &registry.KeyRecord{PubKey: signer, Label: "Cán bộ một cửa 01"}, "ĐÃ BỊ THU HỒI / REVOKED",
			[]string{"Cơ quan cấp đã thu hồi giấy tờ này", "The issuing agency has revoked this document",
				"Cơ quan cấp / Issued by:", "UBND phường Hải Châu", "Người ký / Signed by:", "Cán bộ một cửa 01",
				"Hiệu lực đến hết ngày / Valid through:", "31/12/2030", "Lý do / Reason:", "Cấp sai đối tượng",
				"Nên làm gì: Không chấp nhận", "What to do: Do not accept it",
				"Đã kiểm tra trên máy tính này:", "Đã đối chiếu với 2 máy chủ khác.", "Tính đến ", "(giờ Việt Nam), cách đây 2 giây.",
				"Checked on this computer:", "Cross-checked with 2 other server(s).", "2 seconds ago."}},
		{"valid, issuer suspended", registry.VerdictValid, nil, "CẦN XÁC NHẬN THÊM / NEEDS CONFIRMATION",
			[]string{"cơ quan cấp hoặc khóa ký của cơ quan hiện không còn hiệu lực"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := *rec
			ag := *agency
			if tc.status == registry.VerdictValid {
				r.Status, r.Reason, r.ReasonCode = registry.ResultActive, "", 0
				ag.Status = registry.AgencySuspended
			}
			v := &client.Verdict{Verdict: verification.Verdict{Status: tc.status, DocHash: doc, Record: &r, Agency: &ag,
				SignerKey: tc.key, Height: 40, Time: asOf, CheckedAt: time.Now(), Witnesses: 2}}
			var b bytes.Buffer
			msg := verification.NewMessage(onlineStatus(v), onlineBasis(v))
			printPlainVerdict(&b, msg, v, func(w io.Writer) { printVerdictText(w, v) })
			out := b.String()
			require.True(t, strings.HasPrefix(out, tc.headline+"\n"), out)
			plain, technical, ok := strings.Cut(out, "\nChi tiết kỹ thuật / Technical details:\n")
			require.True(t, ok, out)
			for _, l := range tc.lines {
				assert.Contains(t, plain, l)
			}
			// Raw values only in the technical details.
			assert.NotContains(t, plain, hex.EncodeToString(doc))
			assert.NotContains(t, plain, registry.KeyID(signer))
			assert.NotContains(t, plain, "height")
			assert.Contains(t, technical, hex.EncodeToString(doc))
			assert.Contains(t, technical, fmt.Sprintf("height %d", v.Height+1))
		})
	}
}

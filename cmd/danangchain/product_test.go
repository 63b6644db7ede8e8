package main

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/danangchain/danangchain/client"
	"github.com/danangchain/danangchain/registry"
)

func TestProductRefs(t *testing.T) {
	cases := []struct {
		in   string
		want client.TraceQuery
		err  bool
	}{
		{"12", client.TraceQuery{ID: 12}, false},
		{" 12 ", client.TraceQuery{ID: 12}, false},
		{"012", client.TraceQuery{Identifier: "urn:vn:tcvn13274:012"}, false},
		{"https://id.gs1.org/01/08935678000293/21/SN-0001", client.TraceQuery{Identifier: "https://id.gs1.org/01/08935678000293/21/SN-0001"}, false},
		{"urn:epc:id:sgtin:8935678.000029.SN-0001", client.TraceQuery{Identifier: "https://id.gs1.org/01/08935678000293/21/SN-0001"}, false},
		{"HV-2025-000123", client.TraceQuery{Identifier: "urn:vn:tcvn13274:HV-2025-000123"}, false},
		{"heo đực", client.TraceQuery{}, true},
		{"", client.TraceQuery{}, true},
	}
	for _, tc := range cases {
		got, err := parseProductRef(tc.in)
		if tc.err {
			require.Error(t, err, tc.in)
			continue
		}
		require.NoError(t, err, tc.in)
		assert.Equal(t, tc.want, got, tc.in)
	}
}

func TestProductQRAndCID(t *testing.T) {
	u := productURL("https://truyxuat.danang.gov.vn/", 12)
	assert.Equal(t, "https://truyxuat.danang.gov.vn/p/12", u)
	path := filepath.Join(t.TempDir(), "tem.png")
	require.NoError(t, writeProductQR(path, u))
	got, err := readQR(path)
	require.NoError(t, err)
	assert.Equal(t, u, got)

	c := rawCID([]byte("ảnh"))
	require.NoError(t, registry.CheckCID(c))
	same, err := cidArg(c)
	require.NoError(t, err)
	assert.Equal(t, c, same)
	_, err = cidArg(filepath.Join(t.TempDir(), "missing.jpg"))
	require.Error(t, err)
}

func TestClassCode(t *testing.T) {
	for in, want := range map[string]string{
		"đá mỹ nghệ":        "da-my-nghe",
		"Đá Mỹ Nghệ":        "da-my-nghe",
		"da-my-nghe":        "da-my-nghe",
		"  gốm  sứ  ":       "gom-su",
		"mộc (gỗ) Kim Bồng": "moc-go-kim-bong",
		"OCOP_4.sao":        "ocop_4.sao",
	} {
		assert.Equal(t, want, classCode(in), in)
		assert.NoError(t, (&registry.MsgRegisterItem{Kind: registry.ProductCraftItem, Quantity: 1, Class: classCode(in), Name: "x"}).ValidateBasic(), in)
	}
}

package registry

import (
	"encoding/binary"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestProvenanceScan(t *testing.T) {
	c := newProvChain(t)
	item := c.register(artisanKey, nil)
	c.mustDeliver(artisanKey, &MsgBindTag{Product: item, Kind: TagQR, Tag: "NN-0001"})
	scan := func(k keyPair, tag, loc string) (*Result, error) {
		m := &MsgScanTag{Kind: TagQR, Tag: tag, Location: loc}
		if err := m.ValidateBasic(); err != nil {
			return nil, err
		}
		return c.deliver(k, m)
	}
	cases := []struct {
		name string
		key  keyPair
		tag  string
		loc  string
		want *Error
	}{
		{"a bad location", retailerKey, "NN-0001", "Chợ Hàn", ErrInvalid},
		{"a bad tag", retailerKey, "NN 0001", shopGLN, ErrInvalid},
		{"an unbound tag", retailerKey, "NN-9999", shopGLN, ErrNotFound},
		{"an agency that neither sells nor inspects", haiChau, "NN-0001", shopGLN, ErrUnauthorized},
		{"a council key", council1, "NN-0001", shopGLN, ErrUnauthorized},
		{"a retailer scans it", retailerKey, "NN-0001", shopGLN, nil},
		{"an inspector scans it elsewhere", foodKey, "NN-0001", farGLN, nil},
		{"the cooperative's shop", coopKey, "NN-0001", "urn:vn:dia-diem:non-nuoc-shop-1", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res, err := scan(tc.key, tc.tag, tc.loc)
			if tc.want != nil {
				requireErrIs(t, err, tc.want)
				return
			}
			require.NoError(t, err)
			require.Len(t, res.Data, 16)
			assert.Equal(t, item, binary.BigEndian.Uint64(res.Data[:8]))
		})
	}
	p := c.product(item)
	require.Equal(t, uint64(3), p.Scans)
	b, err := c.store.Get(ScanKey(item, 2))
	require.NoError(t, err)
	s, err := DecodeScan(b)
	require.NoError(t, err)
	assert.Equal(t, &Scan{Product: item, Seq: 2, TagKind: TagQR, Tag: "NN-0001", Location: farGLN, Agency: foodID, Signer: foodKey.pub,
		Height: c.height, Time: uint64(c.time.Unix())}, s)
}

// TestScanPlaces: the product keeps the latest scan at each of the
// MaxScanPlaces places scanned most recently, newest first.
func TestScanPlaces(t *testing.T) {
	c := newProvChain(t)
	item := c.register(artisanKey, nil)
	c.mustDeliver(artisanKey, &MsgBindTag{Product: item, Kind: TagQR, Tag: "NN-0001"})
	places := func() ScanPlaces {
		b, err := c.state().s.Get(ScanPlacesKey(item))
		require.NoError(t, err)
		ps, err := DecodeScanPlaces(b)
		require.NoError(t, err)
		return ps
	}
	c.mustDeliver(retailerKey, &MsgScanTag{Kind: TagQR, Tag: "NN-0001", Location: shopGLN})
	c.mustDeliver(foodKey, &MsgScanTag{Kind: TagQR, Tag: "NN-0001", Location: farGLN})
	c.mustDeliver(retailerKey, &MsgScanTag{Kind: TagQR, Tag: "NN-0001", Location: shopGLN})
	assert.Equal(t, ScanPlaces{{shopGLN, 3}, {farGLN, 2}}, places(), "one entry per place, its latest scan, newest first")
	for i := 0; i < MaxScanPlaces+2; i++ {
		c.nextBlock()
		c.mustDeliver(foodKey, &MsgScanTag{Kind: TagQR, Tag: "NN-0001", Location: "urn:vn:dia-diem:kiem-tra-" + string(rune('a'+i))})
	}
	ps := places()
	require.Len(t, ps, MaxScanPlaces)
	assert.Equal(t, uint64(3+MaxScanPlaces+2), ps[0].Seq)
	for _, p := range ps {
		assert.NotEqual(t, farGLN, p.Location, "the place scanned longest ago goes first")
	}
	// Decoding refuses what Deliver never writes.
	for _, bad := range []ScanPlaces{{{shopGLN, 2}, {farGLN, 3}}, {{shopGLN, 3}, {shopGLN, 2}}} {
		_, err := DecodeScanPlaces(encode(bad.Encode))
		assert.ErrorIs(t, err, ErrInvalid)
	}
}

// TestNameLocation: a business names its places; another business cannot
// rename them; bad input changes nothing.
func TestNameLocation(t *testing.T) {
	c := newProvChain(t)
	name := func(k keyPair, loc, n string) error {
		m := &MsgNameLocation{Location: loc, Name: n}
		if err := m.ValidateBasic(); err != nil {
			return err
		}
		_, err := c.deliver(k, m)
		return err
	}
	cases := []struct {
		name string
		key  keyPair
		loc  string
		text string
		want *Error
	}{
		{"the slaughterhouse names its hall", slaughterKey, slGLN, "Lò mổ Hòa Nhơn", nil},
		{"a geo: place", retailerKey, "geo:16.0678,108.2208", "Quầy thịt, chợ Hàn", nil},
		{"it renames its own place", slaughterKey, slGLN, "Lò mổ Hòa Nhơn, 12 Nguyễn Văn Tạo", nil},
		{"the same name again is not a change", slaughterKey, slGLN, "Lò mổ Hòa Nhơn, 12 Nguyễn Văn Tạo", ErrConflict},
		{"another business cannot rename it", retailerKey, slGLN, "Kho của tôi", ErrConflict},
		{"no role", haiChau, shopGLN, "UBND", ErrUnauthorized},
		{"not a place", retailerKey, "Chợ Hàn", "Chợ Hàn", ErrInvalid},
		{"empty name", retailerKey, shopGLN, "", ErrInvalid},
		{"padded name", retailerKey, shopGLN, " Chợ Hàn", ErrInvalid},
		{"too long", retailerKey, shopGLN, strings.Repeat("ạ", 100), ErrInvalid},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := name(tc.key, tc.loc, tc.text)
			if tc.want == nil {
				require.NoError(t, err)
				return
			}
			assert.ErrorIs(t, err, tc.want)
		})
	}
	b, err := c.state().Store().Get(LocationKey(slGLN))
	require.NoError(t, err)
	l, err := DecodeLocationName(b)
	require.NoError(t, err)
	assert.Equal(t, "Lò mổ Hòa Nhơn, 12 Nguyễn Văn Tạo", l.Name)
	assert.Equal(t, slaughterID, l.Agency)
}

package registry

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// One business cannot bury a product's scans: at most ScanRateLimit per
// ScanRatePeriod, counted per business and per product.
func TestScanRateLimit(t *testing.T) {
	c := newProvChain(t)
	c.advanceTo(ScanRatePeriod) // the start of a period
	item := c.register(artisanKey, nil)
	c.mustDeliver(artisanKey, &MsgBindTag{Product: item, Kind: TagQR, Tag: "NN-0002"})
	scan := func(k keyPair) error {
		_, err := c.deliver(k, &MsgScanTag{Kind: TagQR, Tag: "NN-0002", Location: shopGLN})
		return err
	}
	for i := 0; i < ScanRateLimit; i++ {
		require.NoError(t, scan(retailerKey), "scan %d", i+1)
	}
	err := scan(retailerKey)
	requireErrIs(t, err, ErrOversize)
	assert.Contains(t, err.Error(), "at most 60 per 3600 blocks")
	assert.Equal(t, uint64(ScanRateLimit), c.product(item).Scans, "the refused scan wrote nothing")
	require.NoError(t, scan(foodKey), "another business has its own count")
	c.advanceTo(2 * ScanRatePeriod)
	require.NoError(t, scan(retailerKey), "a new period starts afresh")
}

// One business cannot append events to a product without end either.
func TestEventRateLimit(t *testing.T) {
	c := newProvChain(t)
	c.advanceTo(EventRatePeriod)
	at := c.time.Add(-time.Hour)
	var evs []EPCISEvent
	for i := 0; i < EventRateLimit; i++ {
		evs = append(evs, objectEvent("shipping", "in_transit", ActionObserve, farmGLN, at.Add(time.Duration(i)*time.Second), pigID))
	}
	for i := 0; i < len(evs); i += 50 {
		c.recordEvents(farmKey, evs[i:i+50]...)
	}
	_, err := c.deliver(farmKey, events(objectEvent("shipping", "in_transit", ActionObserve, farmGLN, at.Add(-time.Minute), pigID)))
	requireErrIs(t, err, ErrOversize)
	assert.Contains(t, err.Error(), "events of product")
	assert.Equal(t, uint64(EventRateLimit), c.productOf(pigID).Events)
}

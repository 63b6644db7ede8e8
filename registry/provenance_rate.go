package registry

import (
	"encoding/binary"
	"strconv"
)

// Per-business rate limits on what anyone with a role can append to any
// product: scans of its tag and EPCIS events naming it. They bound how
// fast one business can bury a product's history (the trace reads the
// newest entries, see verification) and how much of every validator's
// disk one product can take.
//
// State: 'R'|kind|product(8 BE)|agency|0|period(8 BE) -> uvarint(count).
const PrefixRate = 'R'

// The limits: per business, per product, per period of blocks.
const (
	ScanRateLimit   = 60   // scans of one product's tag
	ScanRatePeriod  = 3600 // blocks (an hour of 1 s blocks)
	EventRateLimit  = 200  // events naming one product
	EventRatePeriod = 86400
)

const (
	rateScan  = 's'
	rateEvent = 'e'
)

// RateKey is the state key of one business's count for one product.
func RateKey(kind byte, product uint64, agency string, period uint64) []byte {
	k := []byte{PrefixRate, kind}
	k = binary.BigEndian.AppendUint64(k, product)
	k = append(k, agency...)
	k = append(k, 0)
	return binary.BigEndian.AppendUint64(k, period)
}

// chargeRate counts one more entry of kind by the signer's agency on
// product, or fails with ErrOversize when the period's limit is reached.
func chargeRate(env *Env, kind byte, product, limit, period uint64, what string) error {
	agency := env.Signer.Agency.ID
	h := uint64(env.Ctx.Height)
	k := RateKey(kind, product, agency, h/period)
	b, err := env.State.Store().Get(k)
	if err != nil {
		return err
	}
	var n uint64
	if b != nil {
		d := NewDecoder(b)
		n = d.Uint()
		if err := d.Finish(); err != nil {
			return err
		}
	}
	if n >= limit {
		return Errorf(ErrOversize, "%s of product %d by %s: at most %d per %d blocks; the next period starts at height %d",
			what, product, agency, limit, period, (h/period+1)*period)
	}
	n++
	env.Emit("rate", "kind", what, "product", strconv.FormatUint(product, 10), "agency", agency, "count", strconv.FormatUint(n, 10))
	return env.State.put(k, func(e *Encoder) { e.Uint(n) })
}

package verification

import (
	"fmt"
	"sort"
	"time"

	"github.com/danangchain/danangchain/registry"
)

// CloneWindow is the shortest plausible time between scans of one tag at
// two different locations: closer than this, one of them is a copy.
const CloneWindow = time.Hour

// Clone detection rules.
const (
	// RuleTwoPlaces: the tag was scanned at two different locations less
	// than CloneWindow apart (block times).
	RuleTwoPlaces = "two_places_at_once"
	// RuleAfterSale: the tag was scanned, in a later block than the retail
	// sale of the product (bizStep retail_selling or disposition
	// retail_sold, not declared in error), at a location other than the
	// sale's.
	RuleAfterSale = "scanned_after_sale"
)

// CloneFlag is a suspicious pattern of scans: the physical tag may have
// been copied. Flags are evidence for an inspector, not a verdict.
type CloneFlag struct {
	Rule     string
	Scans    []uint64 // the scan numbers involved
	Sale     []byte   // RuleAfterSale: the hash of the sale event
	Detail   string
	DetailVI string
}

// DetectClones applies the clone rules to the scans of the traced
// product. It is pure and deterministic: it uses only block times,
// heights and location identifiers from verified records, never the
// verifier's clock.
func DetectClones(tr *Trace) []CloneFlag {
	scans := make([]*registry.Scan, 0, len(tr.Scans))
	for _, s := range tr.Scans {
		if !s.Compromised { // a stolen key must not frame a product
			scans = append(scans, s.Scan)
		}
	}
	sort.Slice(scans, func(i, j int) bool {
		if scans[i].Time != scans[j].Time {
			return scans[i].Time < scans[j].Time
		}
		return scans[i].Seq < scans[j].Seq
	})
	var flags []CloneFlag
	window := uint64(CloneWindow / time.Second)
	for i, a := range scans {
		for _, b := range scans[i+1:] {
			if b.Time-a.Time >= window {
				break
			}
			if a.Location != b.Location {
				mins := (b.Time - a.Time) / 60
				flags = append(flags, CloneFlag{Rule: RuleTwoPlaces, Scans: []uint64{a.Seq, b.Seq},
					Detail: fmt.Sprintf("scans %d and %d are %d min apart at two places (%s, %s)", a.Seq, b.Seq, mins,
						DescribePlace(a.Location).En, DescribePlace(b.Location).En),
					DetailVI: fmt.Sprintf("Lần quét %d và %d cách nhau %d phút ở hai nơi khác nhau (%s, %s)",
						a.Seq, b.Seq, mins, DescribePlace(a.Location).Vi, DescribePlace(b.Location).Vi)})
			}
		}
	}
	if sale := firstSale(tr); sale != nil {
		loc := sale.Event.Location()
		for _, s := range scans {
			if s.Height > sale.Height && s.Location != loc {
				flags = append(flags, CloneFlag{Rule: RuleAfterSale, Scans: []uint64{s.Seq}, Sale: sale.Hash,
					Detail: fmt.Sprintf("scan %d at %s comes after the product was sold at %s (%s)", s.Seq,
						DescribePlace(s.Location).En, DescribePlace(loc).En, TimeEN(time.Unix(int64(sale.Time), 0))),
					DetailVI: fmt.Sprintf("Lần quét %d tại %s diễn ra sau khi sản phẩm đã được bán tại %s (%s)", s.Seq,
						DescribePlace(s.Location).Vi, DescribePlace(loc).Vi, TimeVI(time.Unix(int64(sale.Time), 0)))})
			}
		}
	}
	return flags
}

// firstSale returns the earliest recorded retail sale of the traced
// product itself (not declared in error).
func firstSale(tr *Trace) *registry.EventRecord {
	var best *registry.EventRecord
	for _, s := range tr.Steps {
		r := s.Record
		if r == nil || s.Declaration != nil || s.Via != tr.Product.ID || s.Outside || !s.Verified {
			continue
		}
		ev := &r.Event
		if ev.BizStep != "retail_selling" && ev.Disposition != "retail_sold" {
			continue
		}
		if !contains(ev.EPCs, tr.Product.Identifier) && !contains(ev.OutEPCs, tr.Product.Identifier) {
			continue
		}
		if best == nil || r.Height < best.Height || (r.Height == best.Height && r.Seq < best.Seq) {
			best = r
		}
	}
	return best
}

// Package epcis reads GS1 EPCIS 2.0 documents (JSON / JSON-LD) for
// DanangChain, client side: the chain itself never parses JSON.
//
// Parse turns a document into registry.EPCISEvent values in the chain's
// canonical form — identifiers as GS1 Digital Link URIs on
// https://id.gs1.org (EPC URNs converted, custom domains and query strings
// removed) or trace code URNs for products without a GTIN, CBV vocabulary
// in bare form, times in unix milliseconds, lists sorted — and computes
// each event's CBV 2.0 event hash (registry.EPCISEvent.Hash). Messages
// groups the events into food/events transactions, new events before the
// error declarations that may name them as corrective events.
//
// A business's system submits its own steps with one call:
//
//	doc, err := epcis.Parse(b)
//	for _, m := range doc.Messages(0) {
//		res, err := c.Submit(ctx, signer, m)
//		...
//	}
//
// Callers MUST treat Warnings as information lost: fields the chain does
// not record are not part of its event hash, so an event that carries
// them hashes differently on chain than in a full EPCIS repository.
package epcis

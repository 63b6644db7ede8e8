package client

import (
	"context"
	"fmt"
	"time"

	"github.com/danangchain/danangchain/registry"
	"github.com/danangchain/danangchain/verification"
)

// ICT is Indochina Time (UTC+7), in which verification answers show times.
var ICT = verification.ICT

// ResultProofs are the verified state values a verdict is built from.
// Every non-nil entry MUST come from Client.Get or an equivalent check (an
// ICS23 proof against the app hash of a header verified from genesis):
// EvaluateResult checks that they fit together, not the proofs themselves.
type ResultProofs struct {
	Index       *Proven // h|sha256: the id, or proven absence (nil when looking up by id)
	Record      *Proven // r|id
	Agency      *Proven // a|agency of the record
	Replacement *Proven // r|replaced_by, optional
	SignerKey   *Proven // k|signer of the record, optional (its status)
}

// Verdict is a proven answer about a document or a result id: the pure
// verdict (verification.Verdict, the same code the browser runs) and the
// proofs it was built from.
type Verdict struct {
	verification.Verdict
	Proofs ResultProofs
}

// EvaluateResult is EvaluateResultAt at this computer's clock.
func EvaluateResult(docHash []byte, p ResultProofs) (*Verdict, error) {
	return EvaluateResultAt(docHash, p, time.Now())
}

// EvaluateResultAt turns verified state values into a verdict with
// verification.EvaluateResult (pure: the same function serves the CLI,
// the API, receipts and the browser). The record's status (revoked,
// replaced, suspended) is as of the verified header; its validity period
// (expired, not yet valid) is judged at now, the verifier's own clock — a
// receipt from last year of a licence that expired since says expired.
func EvaluateResultAt(docHash []byte, p ResultProofs, now time.Time) (*Verdict, error) {
	var in verification.ResultValues
	for _, c := range []struct {
		from *Proven
		to   **verification.Value
	}{{p.Index, &in.Index}, {p.Record, &in.Record}, {p.Agency, &in.Agency}, {p.Replacement, &in.Replacement}, {p.SignerKey, &in.SignerKey}} {
		if c.from == nil {
			continue
		}
		if c.from.Header == nil {
			return nil, fmt.Errorf("%w: proof of %X without a header", registry.ErrProofInvalid, c.from.Key)
		}
		*c.to = &verification.Value{Key: c.from.Key, Value: c.from.Value, Height: c.from.Height, Time: c.from.Header.Time}
	}
	v, err := verification.EvaluateResult(docHash, in, now)
	if err != nil {
		return nil, err
	}
	return &Verdict{Verdict: *v, Proofs: p}, nil
}

// VerifyDocument answers "is this document a valid result?" from verified
// reads only: the doc-hash index (or its proven absence), the record, the
// issuing agency and, for a superseded result, the record that replaces it.
func (c *Client) VerifyDocument(ctx context.Context, sha256 []byte) (*Verdict, error) {
	if len(sha256) != registry.HashSize {
		return nil, fmt.Errorf("%w: document hash must be %d bytes", registry.ErrInvalid, registry.HashSize)
	}
	get, cur, err := c.pinned(ctx)
	if err != nil {
		return nil, err
	}
	idx, err := get(ctx, registry.ResultHashKey(sha256))
	if err != nil {
		return nil, err
	}
	p := ResultProofs{Index: idx}
	if idx.Value != nil {
		id, err := registry.DecodeResultIndex(idx.Value)
		if err != nil {
			return nil, err
		}
		if err := resultProofs(ctx, get, id, &p); err != nil {
			return nil, err
		}
	}
	return c.judge(sha256, p, cur)
}

// judge evaluates proofs read under the current header cur at this
// computer's clock and notes the witnesses that cross-checked it.
func (c *Client) judge(docHash []byte, p ResultProofs, cur *Verifier) (*Verdict, error) {
	v, err := EvaluateResultAt(docHash, p, time.Now())
	if err != nil {
		return nil, err
	}
	v.Witnesses = cur.Witnessed()
	return v, nil
}

// VerifyResult is VerifyDocument for a result id. A result that does not
// exist is ErrNotFound (its absence is proven).
func (c *Client) VerifyResult(ctx context.Context, id uint64) (*Verdict, error) {
	get, cur, err := c.pinned(ctx)
	if err != nil {
		return nil, err
	}
	var p ResultProofs
	if err := resultProofs(ctx, get, id, &p); err != nil {
		return nil, err
	}
	return c.judge(nil, p, cur)
}

func resultProofs(ctx context.Context, get getter, id uint64, p *ResultProofs) error {
	rec, err := get(ctx, registry.ResultKey(id))
	if err != nil {
		return err
	}
	if rec.Value == nil {
		return fmt.Errorf("%w: result %d (proven absent at height %d)", registry.ErrNotFound, id, rec.Height)
	}
	r, err := registry.DecodeResultRecord(rec.Value)
	if err != nil {
		return err
	}
	p.Record = rec
	if p.Agency, err = get(ctx, registry.AgencyKey(r.Agency)); err != nil {
		return err
	}
	if r.ReplacedBy != 0 {
		if p.Replacement, err = get(ctx, registry.ResultKey(r.ReplacedBy)); err != nil {
			return err
		}
	}
	// The signing key's status (active, or revoked at height H).
	if len(r.Signer) > 0 {
		if k, err := get(ctx, registry.KeyRecordKey(r.Signer)); err != nil {
			return err
		} else if k.Value != nil {
			p.SignerKey = k
		}
	}
	return nil
}

// VerdictView is the JSON shape of a verdict (see verification.VerdictView).
type VerdictView = verification.VerdictView

// ReplacementView summarises the record that supersedes a result.
type ReplacementView = verification.ReplacementView

// StatusVI is the Vietnamese label of a verdict.
func StatusVI(s registry.ResultVerdict) string { return verification.StatusVI(s) }

// FormatUnix shows unix seconds in UTC+7 (RFC 3339); 0 is "".
func FormatUnix(s uint64) string { return verification.FormatUnix(s) }

// ChunkResults splits docs into groups whose issue tx stays under maxBytes
// (and MaxResultsPerTx results), keeping their order. maxBytes <= 0 means
// registry.MaxTxBytes minus room for the envelope.
func ChunkResults(docs []registry.ResultDoc, maxBytes int) [][]registry.ResultDoc {
	if maxBytes <= 0 {
		maxBytes = registry.MaxTxBytes - 1024
	}
	var out [][]registry.ResultDoc
	var cur []registry.ResultDoc
	size := 16
	seen := map[registry.ResultTemplate]bool{}
	for _, d := range docs {
		t := registry.ResultTemplate{Procedure: d.Procedure, DocType: d.DocType, Title: d.Title}
		add := itemSize(d)
		if !seen[t] {
			add += len(d.Procedure) + len(d.DocType) + len(d.Title) + 9
		}
		if len(cur) > 0 && (size+add > maxBytes || len(cur) == registry.MaxResultsPerTx) {
			out = append(out, cur)
			cur, size, seen = nil, 16, map[registry.ResultTemplate]bool{}
			add = itemSize(d) + len(d.Procedure) + len(d.DocType) + len(d.Title) + 9
		}
		seen[t] = true
		cur = append(cur, d)
		size += add
	}
	if len(cur) > 0 {
		out = append(out, cur)
	}
	return out
}

// itemSize bounds the encoded size of one item (varints at their longest).
func itemSize(d registry.ResultDoc) int {
	return 3 + (3 + len(d.DocHash)) + (3 + len(d.Dossier)) + (3 + len(d.Holder)) + 10 + 10 + (3 + len(d.CID))
}

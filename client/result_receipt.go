package client

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"

	"github.com/cometbft/cometbft/types"

	"github.com/danangchain/danangchain/registry"
)

// EvaluateResultReceipt turns a verified offline receipt of a result
// record (key r|id) into a verdict, judged at the receipt's block time.
// docHash, when given, must be the record's document hash. The receipt
// proves the record only; the issuing agency's name is taken from the
// trusted genesis when the agency is a genesis agency (otherwise only its
// id is known offline).
func EvaluateResultReceipt(vr *VerifiedReceipt, gen *types.GenesisDoc, docHash []byte) (*Verdict, error) {
	return EvaluateResultReceiptAt(vr, gen, docHash, time.Now())
}

// EvaluateResultReceiptAt is EvaluateResultReceipt judged at now: the
// record's status is as of the receipt's header, its validity period is
// judged at now (the verifier's clock), so an old receipt of a licence that
// has expired since says expired. A receipt says nothing about what
// happened after its height (a later revocation): callers that need the
// present bound the receipt's age (Verdict.Time) or verify online.
func EvaluateResultReceiptAt(vr *VerifiedReceipt, gen *types.GenesisDoc, docHash []byte, now time.Time) (*Verdict, error) {
	if vr.Value == nil || len(vr.Key) != 9 || vr.Key[0] != registry.PrefixResult {
		return nil, fmt.Errorf("%w: the receipt does not prove a result record", registry.ErrProofInvalid)
	}
	rec, err := registry.DecodeResultRecord(vr.Value)
	if err != nil {
		return nil, err
	}
	if !bytes.Equal(vr.Key, registry.ResultKey(rec.ID)) {
		return nil, fmt.Errorf("%w: record and key disagree", registry.ErrProofInvalid)
	}
	v := &Verdict{Record: rec, Height: vr.Height, Time: vr.Time, CheckedAt: now, DocHash: docHash}
	if docHash != nil && !bytes.Equal(docHash, rec.DocHash) {
		// The receipt is genuine but for another document.
		v.Status = registry.VerdictUnknown
		v.Record = nil
		return v, nil
	}
	v.Agency = genesisAgency(gen, rec.Agency)
	v.Status = rec.VerdictAt(uint64(max(now.Unix(), 0)))
	return v, nil
}

// genesisAgency finds an agency in the trusted genesis app state.
func genesisAgency(gen *types.GenesisDoc, id string) *registry.Agency {
	var st registry.GenesisState
	if json.Unmarshal(gen.AppState, &st) == nil {
		for _, a := range st.Agencies {
			if a.ID == id {
				return &registry.Agency{ID: a.ID, Name: a.Name, Roles: a.Roles, Status: registry.AgencyActive}
			}
		}
	}
	return &registry.Agency{ID: id, Name: id}
}

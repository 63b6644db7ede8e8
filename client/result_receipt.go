package client

import (
	"encoding/json"
	"time"

	"github.com/cometbft/cometbft/types"

	"github.com/danangchain/danangchain/registry"
	"github.com/danangchain/danangchain/verification"
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
	pv, err := verification.EvaluateRecordOnly(&verification.Value{Key: vr.Key, Value: vr.Value, Height: vr.Height, Time: vr.Time}, docHash, now)
	if err != nil {
		return nil, err
	}
	v := &Verdict{Verdict: *pv}
	if v.Record != nil {
		v.Agency = genesisAgency(gen, v.Record.Agency)
	}
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

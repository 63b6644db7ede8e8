package app

import (
	"testing"

	abci "github.com/cometbft/cometbft/abci/types"

	"github.com/danangchain/danangchain/registry"
)

// FuzzCheckTx feeds arbitrary bytes to CheckTx on an initialised app: it
// must never panic nor return a Go error, every rejection carries a
// registered code, and what CheckTx accepts ProcessProposal accepts.
func FuzzCheckTx(f *testing.F) {
	c := newChain(f, nil)
	c.block()

	valid := c.tx(agencyKey, anchor("fuzz-valid"))
	forged := c.txObj(agencyKey, anchor("fuzz-forged"))
	forged.Signature[0] ^= 1
	f.Add(valid)
	f.Add(forged.Encode())
	f.Add(c.tx(stranger, anchor("fuzz-stranger")))
	f.Add(c.tx(council1, &registry.MsgPropose{Action: &registry.AddAgency{ID: "so-moi", Name: "Sở mới",
		Roles: []string{registry.RoleResultIssuer}, Keys: [][]byte{stranger.pub}}, Description: "thêm"}))
	f.Add(c.tx(council2, &registry.MsgVote{ProposalID: 1, Approve: false}))
	f.Add(c.tx(agencyKey, &registry.MsgAddSubKey{PubKey: newVal.pub, Label: "Cán bộ 01"}))
	f.Add(encodeRawTx(c.txObj(agencyKey, anchor("fuzz-type")), 1<<20, []byte{1, 2, 3}))
	f.Add(signedTx(1, "other-chain", agencyKey, 50, anchor("x")).Encode())
	f.Add(valid[:len(valid)/2])
	f.Add([]byte{})
	f.Add([]byte{0x01})
	f.Add([]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01})

	valid2 := make(map[uint32]bool)
	for _, e := range registry.Errors() {
		valid2[e.Code] = true
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		resp, err := c.app.CheckTx(bg, &abci.RequestCheckTx{Tx: b, Type: abci.CheckTxType_New})
		if err != nil {
			t.Fatalf("CheckTx returned an error: %v", err)
		}
		if resp == nil {
			t.Fatal("CheckTx returned nil")
		}
		if resp.Code == abci.CodeTypeOK {
			pp, err := c.app.ProcessProposal(bg, &abci.RequestProcessProposal{Txs: [][]byte{b}, Height: 2})
			if err != nil || pp.Status != abci.ResponseProcessProposal_ACCEPT {
				t.Fatalf("CheckTx accepted a tx ProcessProposal rejects: %v %v", pp, err)
			}
			return
		}
		if resp.Codespace != registry.Codespace || !valid2[resp.Code] || resp.Code == registry.ErrInternal.Code {
			t.Fatalf("bad rejection %s/%d: %s", resp.Codespace, resp.Code, resp.Log)
		}
	})
}

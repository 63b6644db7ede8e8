package networks_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cometbft/cometbft/crypto/tmhash"
	cmtjson "github.com/cometbft/cometbft/libs/json"
	"github.com/cometbft/cometbft/privval"
	cmtproto "github.com/cometbft/cometbft/proto/tendermint/types"
	ctypes "github.com/cometbft/cometbft/rpc/core/types"
	"github.com/cometbft/cometbft/types"
	"github.com/stretchr/testify/require"
)

// forgingRPC is an RPC proxy in front of an honest node that serves, as
// the chain's newest block, a header forged by two of the four genesis
// validators: it follows the real latest header, names a validator set of
// the two forgers alone and a forged app hash, and carries their two
// signatures (50 % of the genesis voting power).
type forgingRPC struct {
	target string
	url    string
	forged *types.SignedHeader
	vals   *types.ValidatorSet
}

func (f *forgingRPC) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	var req struct {
		ID     json.RawMessage            `json:"id"`
		Method string                     `json:"method"`
		Params map[string]json.RawMessage `json:"params"`
	}
	if json.Unmarshal(body, &req) == nil {
		h := strings.Trim(string(req.Params["height"]), `"`)
		forgedHeight := fmt.Sprint(f.forged.Height)
		latest := h == "" || h == "null" || h == forgedHeight
		var result any
		switch {
		case req.Method == "commit" && latest:
			result = &ctypes.ResultCommit{SignedHeader: *f.forged, CanonicalCommit: true}
		case req.Method == "validators" && latest:
			result = &ctypes.ResultValidators{BlockHeight: f.forged.Height, Validators: f.vals.Validators,
				Count: f.vals.Size(), Total: f.vals.Size()}
		}
		if result != nil {
			raw, err := cmtjson.Marshal(result)
			if err == nil {
				w.Header().Set("Content-Type", "application/json")
				fmt.Fprintf(w, `{"jsonrpc":"2.0","id":%s,"result":%s}`, req.ID, raw)
				return
			}
		}
	}
	res, err := http.Post(f.target+r.URL.RequestURI(), "application/json", bytes.NewReader(body))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if req.Method == "status" {
		b = heightField.ReplaceAll(b, []byte(fmt.Sprintf(`"latest_block_height":"%d"`, f.forged.Height)))
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(res.StatusCode)
	_, _ = w.Write(b)
}

// TestMinorityForgeryRefusedByCLI: two of four genesis validators (50 % of
// the power) sign a header after the real latest one, with a validator set
// of their own and the app hash of a forged tree. The CLI refuses it both
// when it starts from genesis (the walk finds that no set handed over to
// theirs) and when its light store already follows the honest chain
// (skipping verification needs more than 2/3 of the trusted set); through
// the honest node the same command verifies.
func TestMinorityForgeryRefusedByCLI(t *testing.T) {
	if testing.Short() {
		t.Skip("multi-process test")
	}
	nw := newNetwork(t, 4, 29300)
	for _, n := range nw.nodes {
		n.start(t)
	}
	c0 := nw.nodes[0].client(t)
	waitHeight(t, c0, 4, 90*time.Second)
	home := nw.nodes[0].home
	doc := filepath.Join(t.TempDir(), "giay-phep.txt")
	require.NoError(t, os.WriteFile(doc, []byte("Giấy phép — chữ ký giả mạo không được chấp nhận"), 0o644))
	_, err := run(t, "result", "issue", doc, "--procedure", "1.001612.000.00.00.H17", "--from", "ward", "--home", home, "-o", "json")
	require.NoError(t, err)
	lightDir := t.TempDir()
	verify := func(node string, extra ...string) (string, error) {
		return run(t, append([]string{"verify", doc, "--home", home, "--node", node, "-o", "json"}, extra...)...)
	}
	// Honest: valid; this run also fills a light store that follows the chain.
	_, err = verify(nw.nodes[0].rpc, "--light-dir", lightDir)
	requireExit(t, err, 0)

	// Forge header L+1 with keys 0 and 1.
	ctx := context.Background()
	st, err := c0.Status(ctx)
	require.NoError(t, err)
	L := st.SyncInfo.LatestBlockHeight
	commitL, err := c0.RPC().Commit(ctx, &L)
	require.NoError(t, err)
	var pvs []*privval.FilePV
	var own []*types.Validator
	for _, n := range nw.nodes[:2] {
		pv := privval.LoadFilePVEmptyState(filepath.Join(n.home, "config", "priv_validator_key.json"), filepath.Join(t.TempDir(), "s.json"))
		pvs = append(pvs, pv)
		own = append(own, types.NewValidator(pv.Key.PubKey, 10))
	}
	vals := types.NewValidatorSet(own)
	real := commitL.SignedHeader.Header
	hash := tmhash.Sum([]byte("forged"))
	hdr := &types.Header{Version: real.Version, ChainID: real.ChainID, Height: L + 1, Time: time.Now().UTC(),
		LastBlockID: commitL.SignedHeader.Commit.BlockID, LastCommitHash: hash, DataHash: hash,
		ValidatorsHash: vals.Hash(), NextValidatorsHash: vals.Hash(), ConsensusHash: real.ConsensusHash,
		AppHash: hash, LastResultsHash: hash, EvidenceHash: hash, ProposerAddress: vals.Validators[0].Address}
	bid := types.BlockID{Hash: hdr.Hash(), PartSetHeader: types.PartSetHeader{Total: 1, Hash: hash}}
	commit := &types.Commit{Height: hdr.Height, BlockID: bid, Signatures: make([]types.CommitSig, vals.Size())}
	for i, v := range vals.Validators {
		for _, pv := range pvs {
			if !bytes.Equal(pv.Key.Address, v.Address) {
				continue
			}
			vote := &types.Vote{Type: cmtproto.PrecommitType, Height: hdr.Height, BlockID: bid, Timestamp: hdr.Time,
				ValidatorAddress: v.Address, ValidatorIndex: int32(i)}
			sig, err := pv.Key.PrivKey.Sign(types.VoteSignBytes(hdr.ChainID, vote.ToProto()))
			require.NoError(t, err)
			vote.Signature = sig
			commit.Signatures[i] = vote.CommitSig()
		}
	}
	forged := &types.SignedHeader{Header: hdr, Commit: commit}
	require.NoError(t, forged.ValidateBasic(hdr.ChainID))

	proxy := &forgingRPC{target: nw.nodes[0].rpc, forged: forged, vals: vals}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	proxy.url = "http://" + ln.Addr().String()
	srv := &http.Server{Handler: proxy}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })

	// From genesis, and from the light store: refused (exit 2), never valid.
	_, err = verify(proxy.url, "--witness", proxy.url)
	requireExit(t, err, 2)
	require.Contains(t, err.Error(), "proof_invalid")
	_, err = verify(proxy.url, "--witness", proxy.url, "--light-dir", lightDir)
	requireExit(t, err, 2)
	require.Contains(t, err.Error(), "proof_invalid")
	// The honest node, same store: valid.
	_, err = verify(nw.nodes[1].rpc, "--light-dir", lightDir)
	requireExit(t, err, 0)
}

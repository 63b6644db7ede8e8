package app

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"testing"
	"time"

	abci "github.com/cometbft/cometbft/abci/types"
	"github.com/stretchr/testify/require"

	"github.com/danangchain/danangchain/registry"
)

const testChainID = "test-chain"

var (
	bg          = context.Background()
	genesisTime = time.Date(2025, 9, 2, 8, 0, 0, 0, time.UTC)
)

// key is a test ed25519 key derived from a fixed, name-dependent seed.
type key struct {
	priv, pub []byte
}

func newKey(name string) key {
	s := sha256.Sum256([]byte("danangchain/app-test/" + name))
	priv := registry.NewKeyFromSeed(s[:])
	return key{priv: priv, pub: registry.PubKeyOf(priv)}
}

func (k key) hex() string { return hex.EncodeToString(k.pub) }

var (
	council1   = newKey("council-1")
	council2   = newKey("council-2")
	council3   = newKey("council-3")
	agencyKey  = newKey("agency/main")
	agencyKey2 = newKey("agency/second")
	stranger   = newKey("stranger")
	val1       = newKey("validator-1")
	val2       = newKey("validator-2")
	newVal     = newKey("validator-new")
)

const testAgency = "ubnd-hai-chau"

func testGenesis() registry.GenesisState {
	return registry.GenesisState{
		Params: registry.DefaultParams(),
		Council: []registry.GenesisMember{
			{Name: "Chủ tịch", PubKey: council1.hex()},
			{Name: "Phó Chủ tịch", PubKey: council2.hex()},
			{Name: "Giám đốc Sở", PubKey: council3.hex()},
		},
		Agencies: []registry.GenesisAgency{{
			ID: testAgency, Name: "UBND quận Hải Châu",
			Roles: []string{registry.RolePayloadPublisher, registry.RoleResultIssuer},
			Keys:  []string{agencyKey.hex(), agencyKey2.hex()},
		}},
	}
}

// openApp opens an app on dir, closed at the end of the test.
func openApp(t testing.TB, dir string, mod func(*Options)) *App {
	t.Helper()
	opts := DefaultOptions(dir, testChainID)
	opts.CacheSize = 10_000
	if mod != nil {
		mod(&opts)
	}
	a, err := New(opts)
	require.NoError(t, err)
	t.Cleanup(func() { _ = a.Close() })
	return a
}

// initChain runs InitChain with the test genesis and two validators.
func initChain(t testing.TB, a *App) []byte {
	t.Helper()
	g := testGenesis()
	state, err := json.Marshal(g)
	require.NoError(t, err)
	resp, err := a.InitChain(bg, &abci.RequestInitChain{
		Time: genesisTime, ChainId: testChainID, InitialHeight: 1, AppStateBytes: state,
		Validators: []abci.ValidatorUpdate{
			abci.UpdateValidator(val1.pub, 10, "ed25519"),
			abci.UpdateValidator(val2.pub, 10, "ed25519"),
		},
	})
	require.NoError(t, err)
	require.NotEmpty(t, resp.AppHash)
	return resp.AppHash
}

// chain drives one App block by block.
type chain struct {
	t      testing.TB
	app    *App
	height int64            // last committed height
	hashes map[int64][]byte // app hash returned by FinalizeBlock, by height
	nonce  uint64
}

// newChain opens an app on a fresh temp dir and runs InitChain.
func newChain(t testing.TB, mod func(*Options)) *chain {
	t.Helper()
	a := openApp(t, t.TempDir(), mod)
	initChain(t, a)
	return &chain{t: t, app: a, hashes: map[int64][]byte{}}
}

func blockTime(h int64) time.Time { return genesisTime.Add(time.Duration(h) * time.Second) }

// signedTx builds a tx signed by k with a counter nonce (16 bytes), valid
// until expires.
func signedTx(nonce uint64, chainID string, k key, expires uint64, msg registry.Msg) *registry.Tx {
	n := make([]byte, 16)
	copy(n, "app-test")
	binary.BigEndian.PutUint64(n[8:], nonce)
	tx := &registry.Tx{ChainID: chainID, Signer: k.pub, Nonce: n, ExpiresAt: expires, Msg: msg}
	tx.SignWith(k.priv)
	return tx
}

// tx returns the wire bytes of a fresh tx signed by k, valid for 100 blocks.
func (c *chain) tx(k key, msg registry.Msg) []byte {
	return c.txObj(k, msg).Encode()
}

func (c *chain) txObj(k key, msg registry.Msg) *registry.Tx {
	c.nonce++
	return signedTx(c.nonce, testChainID, k, uint64(c.height)+100, msg)
}

// anchor returns a MsgAnchor for a hash derived from s.
func anchor(s string) *registry.MsgAnchor {
	h := sha256.Sum256([]byte(s))
	return &registry.MsgAnchor{Hash: h[:], Tag: "công văn"}
}

// finalize runs FinalizeBlock at the next height without committing.
func (c *chain) finalize(txs ...[]byte) *abci.ResponseFinalizeBlock {
	c.t.Helper()
	h := c.height + 1
	resp, err := c.app.FinalizeBlock(bg, &abci.RequestFinalizeBlock{Txs: txs, Height: h, Time: blockTime(h)})
	require.NoError(c.t, err)
	require.Len(c.t, resp.TxResults, len(txs))
	require.Len(c.t, resp.AppHash, 32)
	return resp
}

// commit commits the block finalized at the next height and checks that
// Info reports it.
func (c *chain) commit(resp *abci.ResponseFinalizeBlock) {
	c.t.Helper()
	_, err := c.app.Commit(bg, &abci.RequestCommit{})
	require.NoError(c.t, err)
	c.height++
	c.hashes[c.height] = resp.AppHash
	info, err := c.app.Info(bg, &abci.RequestInfo{})
	require.NoError(c.t, err)
	require.Equal(c.t, c.height, info.LastBlockHeight)
	require.Equal(c.t, resp.AppHash, info.LastBlockAppHash, "FinalizeBlock app hash == committed app hash")
}

// block finalizes and commits one block.
func (c *chain) block(txs ...[]byte) *abci.ResponseFinalizeBlock {
	c.t.Helper()
	resp := c.finalize(txs...)
	c.commit(resp)
	return resp
}

// mustBlock commits a block and requires every tx to succeed.
func (c *chain) mustBlock(txs ...[]byte) *abci.ResponseFinalizeBlock {
	c.t.Helper()
	resp := c.block(txs...)
	for i, r := range resp.TxResults {
		require.Equal(c.t, abci.CodeTypeOK, r.Code, "tx %d: %s", i, r.Log)
	}
	return resp
}

// govern passes action through a proposal by council1 and votes by
// council2 and council3, all in one block, and returns the proposal id.
func (c *chain) govern(action registry.Action) uint64 {
	c.t.Helper()
	resp := c.mustBlock(c.tx(council1, &registry.MsgPropose{Action: action, Description: "test"}))
	id := binary.BigEndian.Uint64(resp.TxResults[0].Data)
	c.mustBlock(
		c.tx(council2, &registry.MsgVote{ProposalID: id, Approve: true}),
		c.tx(council3, &registry.MsgVote{ProposalID: id, Approve: true}),
	)
	return id
}

func (c *chain) checkTx(b []byte) *abci.ResponseCheckTx {
	c.t.Helper()
	resp, err := c.app.CheckTx(bg, &abci.RequestCheckTx{Tx: b, Type: abci.CheckTxType_New})
	require.NoError(c.t, err)
	return resp
}

func (c *chain) query(path string, data []byte, height int64, prove bool) *abci.ResponseQuery {
	c.t.Helper()
	resp, err := c.app.Query(bg, &abci.RequestQuery{Path: path, Data: data, Height: height, Prove: prove})
	require.NoError(c.t, err)
	return resp
}

package registry

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// testChainID is the chain id of every test chain.
const testChainID = "danang-test-1"

// keyPair is a test signing key derived from a fixed seed.
type keyPair struct {
	name string
	seed []byte
	priv []byte
	pub  []byte
}

// testKey derives a key from a fixed, name-dependent seed.
func testKey(name string) keyPair {
	s := sha256.Sum256([]byte("danangchain/test-key/" + name))
	priv := NewKeyFromSeed(s[:])
	return keyPair{name: name, seed: s[:], priv: priv, pub: PubKeyOf(priv)}
}

func (k keyPair) hex() string { return hex.EncodeToString(k.pub) }

// Fixed keys used across the tests.
var (
	council1  = testKey("council-1")
	council2  = testKey("council-2")
	council3  = testKey("council-3")
	tuPhapKey = testKey("so-tu-phap/main")
	haiChau   = testKey("ubnd-hai-chau/main")
	haiChau2  = testKey("ubnd-hai-chau/main-2")
	val1      = testKey("validator-1")
	val2      = testKey("validator-2")
	val3      = testKey("validator-3")
	stranger  = testKey("stranger")
	official1 = testKey("official-1")
	official2 = testKey("official-2")
)

var genesisTime = time.Date(2025, 9, 2, 8, 0, 0, 0, time.UTC)

// testGenesis has three council members and two agencies (roles sorted).
func testGenesis() *GenesisState {
	return &GenesisState{
		Params: DefaultParams(),
		Council: []GenesisMember{
			{Name: "Chủ tịch UBND thành phố", PubKey: council1.hex()},
			{Name: "Phó Chủ tịch UBND thành phố", PubKey: council2.hex()},
			{Name: "Giám đốc Sở Khoa học và Công nghệ", PubKey: council3.hex()},
		},
		Agencies: []GenesisAgency{
			{ID: "so-tu-phap", Name: "Sở Tư pháp thành phố Đà Nẵng",
				Roles: []string{RoleNotaryAuthority, RolePayloadPublisher}, Keys: []string{tuPhapKey.hex()}},
			{ID: "ubnd-hai-chau", Name: "UBND quận Hải Châu",
				Roles: []string{RolePayloadPublisher, RoleResultIssuer}, Keys: []string{haiChau.hex(), haiChau2.hex()}},
		},
		ValidatorNames: []GenesisMember{
			{Name: "Nút Trung tâm dữ liệu", PubKey: val1.hex()},
			{Name: "Nút Sở Thông tin", PubKey: val2.hex()},
		},
	}
}

func testValidators() []ValidatorUpdate {
	return []ValidatorUpdate{{PubKey: val1.pub, Power: 10}, {PubKey: val2.pub, Power: 10}}
}

// cloneStore copies every key of s into a new MemStore.
func cloneStore(t testing.TB, s *MemStore) *MemStore {
	t.Helper()
	out := NewMemStore()
	require.NoError(t, s.Iterate(nil, nil, func(k, v []byte) (bool, error) {
		return false, out.Set(k, v)
	}))
	return out
}

// kv is one store entry.
type kv struct{ K, V string }

// dumpStore lists every entry of s in key order.
func dumpStore(t testing.TB, s Store) []kv {
	t.Helper()
	var out []kv
	require.NoError(t, s.Iterate(nil, nil, func(k, v []byte) (bool, error) {
		out = append(out, kv{hex.EncodeToString(k), hex.EncodeToString(v)})
		return false, nil
	}))
	return out
}

// chain is a minimal block-by-block driver over a MemStore that behaves
// like the ABCI application: every tx runs on a copy of the state which is
// kept only if the tx succeeds.
type chain struct {
	t      testing.TB
	store  *MemStore
	height uint64
	time   time.Time
	nonce  uint64
}

func newChain(t testing.TB) *chain { return newChainWith(t, testGenesis()) }

func newChainWith(t testing.TB, g *GenesisState) *chain {
	t.Helper()
	c := &chain{t: t, store: NewMemStore(), height: 1, time: genesisTime}
	require.NoError(t, InitGenesis(c.ctx(), c.store, g, testValidators()))
	return c
}

func (c *chain) ctx() Context { return Context{ChainID: testChainID, Height: c.height, Time: c.time} }

func (c *chain) state() *State { return NewState(c.store) }

// nextBlock advances one block and runs BeginBlock.
func (c *chain) nextBlock() { c.advanceTo(c.height + 1) }

// advanceTo jumps to height h (> current) and runs BeginBlock there.
func (c *chain) advanceTo(h uint64) {
	c.t.Helper()
	require.Greater(c.t, h, c.height)
	c.time = c.time.Add(time.Duration(h-c.height) * time.Second)
	c.height = h
	require.NoError(c.t, BeginBlock(c.ctx(), c.store))
}

// newTx builds a tx with a fresh nonce, valid for 100 blocks, signed by k.
func (c *chain) newTx(k keyPair, msg Msg) *Tx {
	c.nonce++
	tx := &Tx{
		ChainID:   testChainID,
		Signer:    k.pub,
		Nonce:     binary.BigEndian.AppendUint64(nil, c.nonce),
		ExpiresAt: c.height + 100,
		Msg:       msg,
	}
	tx.SignWith(k.priv)
	return tx
}

// deliverTx runs tx through the wire format, ValidateBasic and Deliver on a
// copy of the state; the copy replaces the state only on success. On error
// the committed state is checked to be untouched.
func (c *chain) deliverTx(tx *Tx) (*Result, error) {
	c.t.Helper()
	decoded, err := DecodeTx(tx.Encode())
	require.NoError(c.t, err)
	require.NoError(c.t, decoded.ValidateBasic(testChainID))
	before := dumpStore(c.t, c.store)
	work := cloneStore(c.t, c.store)
	res, err := Deliver(c.ctx(), work, decoded)
	if err != nil {
		require.Nil(c.t, res)
		require.Equal(c.t, before, dumpStore(c.t, c.store))
		return nil, err
	}
	c.store = work
	return res, nil
}

// deliver signs msg with k and delivers it.
func (c *chain) deliver(k keyPair, msg Msg) (*Result, error) {
	c.t.Helper()
	return c.deliverTx(c.newTx(k, msg))
}

// mustDeliver delivers and requires success.
func (c *chain) mustDeliver(k keyPair, msg Msg) *Result {
	c.t.Helper()
	res, err := c.deliver(k, msg)
	require.NoError(c.t, err)
	return res
}

// propose opens a proposal as k and returns its id.
func (c *chain) propose(k keyPair, a Action) uint64 {
	c.t.Helper()
	res := c.mustDeliver(k, &MsgPropose{Action: a, Description: "Đề xuất: " + a.Summary()})
	require.Len(c.t, res.Data, 8)
	return binary.BigEndian.Uint64(res.Data)
}

// pass proposes a with council1 and approves it with council2 and council3,
// returning the result of the deciding vote.
func (c *chain) pass(a Action) *Result {
	c.t.Helper()
	id := c.propose(council1, a)
	c.mustDeliver(council2, &MsgVote{ProposalID: id, Approve: true})
	res := c.mustDeliver(council3, &MsgVote{ProposalID: id, Approve: true})
	require.Equal(c.t, ProposalExecuted, c.proposal(id).Status, "proposal %d", id)
	return res
}

func (c *chain) proposal(id uint64) *Proposal {
	c.t.Helper()
	p, err := c.state().Proposal(id)
	require.NoError(c.t, err)
	return p
}

func (c *chain) has(key []byte) bool {
	c.t.Helper()
	v, err := c.store.Get(key)
	require.NoError(c.t, err)
	return v != nil
}

// docHash is the SHA-256 of a test document.
func docHash(name string) []byte { return Hash([]byte("tài liệu " + name)) }

// hasEvent reports whether res has an event of type typ with attribute k=v.
func hasEvent(res *Result, typ, k, v string) bool {
	for _, ev := range res.Events {
		if ev.Type != typ {
			continue
		}
		for _, a := range ev.Attrs {
			if a.Key == k && a.Value == v {
				return true
			}
		}
	}
	return false
}

func containsKey(list [][]byte, k []byte) bool {
	for _, x := range list {
		if bytes.Equal(x, k) {
			return true
		}
	}
	return false
}

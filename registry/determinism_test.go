package registry

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// scriptBlock is one block of pre-signed transactions.
type scriptBlock struct {
	height uint64
	txs    [][]byte
}

// determinismScript is a fixed sequence of blocks mixing successful and
// failing transactions of every kind.
func determinismScript() []scriptBlock {
	var nonce uint64
	tx := func(height uint64, k keyPair, m Msg) []byte {
		nonce++
		t := &Tx{ChainID: testChainID, Signer: k.pub, Nonce: binary.BigEndian.AppendUint64(nil, nonce),
			ExpiresAt: height + 20, Msg: m}
		t.SignWith(k.priv)
		return t.Encode()
	}
	yteAnchor := tx(3, yteKey, anchor("sổ 2"))
	rotated := testKey("so-tu-phap/rotated")
	return []scriptBlock{
		{2, [][]byte{
			tx(2, council1, &MsgPropose{Action: addYTe(), Description: "Bổ sung Sở Y tế"}), // proposal 1
			tx(2, haiChau, &MsgAddSubKey{PubKey: official1.pub, Label: "Cán bộ một cửa 01", Scope: []string{"anchor"}}),
			tx(2, official1, anchor("sổ 1")),
			tx(2, stranger, anchor("sổ 1")), // unknown key
			tx(2, council1, &MsgPropose{Action: &SetValidator{PubKey: val3.pub, Power: 5, Name: "Nút 3"}}), // proposal 2
			tx(2, official1, &MsgAddSubKey{PubKey: official2.pub, Label: "Cán bộ 02"}),                     // unauthorized
		}},
		{3, [][]byte{
			tx(3, council2, vote(1, true)),
			tx(3, council3, vote(1, true)), // executes proposal 1
			tx(3, council2, vote(2, true)),
			tx(3, council3, vote(2, true)), // executes proposal 2: validator update
			tx(3, council3, vote(2, true)), // closed
			yteAnchor,
			tx(3, tuPhapKey, anchor("sổ 2")), // another agency: conflict, the first anchor stands
		}},
		{4, [][]byte{
			tx(4, council1, &MsgPropose{Action: &RevokeKey{PubKey: tuPhapKey.pub, Reason: "Lộ khóa"}}), // proposal 3
			tx(4, council2, vote(3, false)), // rejected
			tx(4, tuPhapKey, anchor("sổ 3")),
			tx(4, haiChau, &MsgRevokeSubKey{PubKey: official1.pub, Reason: "Chuyển công tác"}),
			tx(4, official1, anchor("sổ 4")), // revoked
			yteAnchor,                        // replay
			tx(4, council1, &MsgPropose{Action: &AddAgencyKey{ID: "so-tu-phap", PubKey: rotated.pub}}),    // proposal 4
			tx(4, council1, &MsgPropose{Action: &AddAgencyKey{ID: "ubnd-hai-chau", PubKey: rotated.pub}}), // proposal 5
		}},
		{30, [][]byte{ // BeginBlock prunes the replay keys of blocks 2-9
			tx(30, council2, vote(4, true)),
			tx(30, council3, vote(4, true)), // adds the key to so-tu-phap
			tx(30, council2, vote(5, true)),
			tx(30, council3, vote(5, true)), // fails: the key is taken now
			tx(30, rotated, anchor("sổ 6")),
			tx(30, council1, &MsgPropose{Action: &SetAgencyStatus{ID: "ubnd-hai-chau", Status: AgencySuspended}}), // 6
			tx(30, council2, vote(6, true)),
			tx(30, council3, vote(6, true)),
			tx(30, haiChau, anchor("sổ 5")), // suspended
		}},
	}
}

// applyScript runs the blocks on a fresh MemStore the way the ABCI
// application does and returns the final store and a log of outcomes.
func applyScript(t *testing.T, blocks []scriptBlock, loc *time.Location) (*MemStore, []string) {
	t.Helper()
	s := NewMemStore()
	base := genesisTime.In(loc)
	require.NoError(t, InitGenesis(Context{ChainID: testChainID, Height: 1, Time: base}, s, testGenesis(), testValidators()))
	var log []string
	for _, b := range blocks {
		ctx := Context{ChainID: testChainID, Height: b.height, Time: base.Add(time.Duration(b.height) * time.Second)}
		require.NoError(t, BeginBlock(ctx, s))
		for _, raw := range b.txs {
			tx, err := DecodeTx(raw)
			require.NoError(t, err)
			require.NoError(t, tx.ValidateBasic(testChainID))
			work := cloneStore(t, s)
			res, err := Deliver(ctx, work, tx)
			if err != nil {
				_, code := ABCICode(err)
				log = append(log, fmt.Sprintf("h%d %s err=%d %s", b.height, tx, code, err))
				continue
			}
			s = work
			log = append(log, fmt.Sprintf("h%d %s ok data=%x events=%v updates=%v",
				b.height, tx, res.Data, res.Events, res.ValidatorUpdates))
		}
	}
	return s, log
}

func stateDigest(t *testing.T, s *MemStore) string {
	h := sha256.New()
	for _, e := range dumpStore(t, s) {
		fmt.Fprintf(h, "%s=%s\n", e.K, e.V)
	}
	return hex.EncodeToString(h.Sum(nil))
}

func TestDeterminism(t *testing.T) {
	blocks := determinismScript()
	s1, log1 := applyScript(t, blocks, time.UTC)
	// Same instants in another time zone: only block time as unix seconds
	// may reach state.
	s2, log2 := applyScript(t, blocks, time.FixedZone("ICT", 7*3600))

	require.Equal(t, dumpStore(t, s1), dumpStore(t, s2))
	require.Equal(t, log1, log2)
	require.Equal(t, stateDigest(t, s1), stateDigest(t, s2))

	// The script exercises both paths, with the expected outcomes.
	joined := strings.Join(log1, "\n")
	var ok, failed int
	for _, l := range log1 {
		if strings.Contains(l, " ok ") {
			ok++
		} else {
			failed++
		}
	}
	assert.Equal(t, 23, ok, joined)
	assert.Equal(t, 7, failed, joined)
	for _, code := range []uint32{ErrUnknownKey.Code, ErrUnauthorized.Code, ErrProposalClosed.Code,
		ErrRevokedKey.Code, ErrReplay.Code, ErrSuspended.Code, ErrConflict.Code} {
		assert.Contains(t, joined, fmt.Sprintf(" err=%d ", code))
	}

	st := NewState(s1)
	p5, err := st.Proposal(5)
	require.NoError(t, err)
	assert.Equal(t, ProposalFailed, p5.Status)
	assert.Contains(t, p5.FailReason, "already registered")
	vals, err := st.Validators()
	require.NoError(t, err)
	require.Len(t, vals, 3)
	n := 0
	require.NoError(t, s1.Iterate([]byte{PrefixReplay}, PrefixEnd([]byte{PrefixReplay}), func(k, _ []byte) (bool, error) {
		require.GreaterOrEqual(t, binary.BigEndian.Uint64(k[1:9]), uint64(30))
		n++
		return false, nil
	}))
	assert.Equal(t, 8, n, "only the replay keys of block 30's successful txs remain")
}

func TestBeginBlockOnEmptyStore(t *testing.T) {
	s := NewMemStore()
	require.NoError(t, BeginBlock(Context{Height: 0}, s))
	require.NoError(t, BeginBlock(Context{Height: ^uint64(0)}, s))
	assert.Zero(t, s.Len())
}

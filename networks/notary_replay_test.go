package networks_test

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/danangchain/danangchain/client/keyring"
	"github.com/danangchain/danangchain/node"
	"github.com/danangchain/danangchain/registry"
)

// TestNotaryLookupBoundToOneNode: a signed notary lookup names the node it
// is addressed to, so the same signed bytes replayed to any other node are
// refused there (and never billed twice), while the node it names answers.
func TestNotaryLookupBoundToOneNode(t *testing.T) {
	if testing.Short() {
		t.Skip("multi-process test")
	}
	net := newNetwork(t, 1, 29500)
	n := net.nodes[0]
	n.start(t)
	waitHeight(t, n.client(t), 2, 60*time.Second)
	acfg, err := node.LoadAppConfig(n.home)
	require.NoError(t, err)
	api := "http://" + acfg.APIAddr

	var who struct {
		ChainID string `json:"chain_id"`
		NodeID  string `json:"node_id"`
	}
	getJSON(t, api+"/notary/v1/node", &who)
	require.Len(t, who.NodeID, 40)

	kr, err := keyring.New(filepath.Join(n.home, "keyring"), keyring.BackendTest, nil)
	require.NoError(t, err)
	s, err := kr.Signer("notary")
	require.NoError(t, err)
	prop, err := registry.ParseProperty("parcel:20194/12/345", registry.PropertyKeying{})
	require.NoError(t, err)
	post := func(nodeID string, nonce byte) (int, map[string]any) {
		r := &registry.APIRequest{ChainID: who.ChainID, Node: nodeID, Action: registry.APIActionLookup, Subject: prop.Key,
			Time: uint64(time.Now().Unix()), Nonce: bytes.Repeat([]byte{nonce}, 16), PubKey: s.PubKey()}
		sig, err := s.Sign(r.SignBytes())
		require.NoError(t, err)
		body, _ := json.Marshal(map[string]any{"chain_id": r.ChainID, "node": r.Node, "action": r.Action,
			"property_key": hex.EncodeToString(r.Subject), "time": r.Time, "nonce": hex.EncodeToString(r.Nonce),
			"pub_key": hex.EncodeToString(r.PubKey), "signature": hex.EncodeToString(sig)})
		resp, err := http.Post(api+"/notary/v1/lookup", "application/json", bytes.NewReader(body))
		require.NoError(t, err)
		defer resp.Body.Close()
		var out map[string]any
		_ = json.NewDecoder(resp.Body).Decode(&out)
		return resp.StatusCode, out
	}
	// Signed for another node (as a replay from another node would be).
	code, out := post("fedcba9876543210fedcba9876543210fedcba98", 1)
	assert.Equal(t, http.StatusBadRequest, code, out)
	assert.EqualValues(t, registry.ErrInvalid.Code, out["code"])
	assert.Contains(t, out["detail"], "valid at one node only")
	// Addressed to this node: answered.
	code, out = post(who.NodeID, 2)
	assert.Equal(t, http.StatusOK, code, out)
}

package registry

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// testNode and otherNode are CometBFT node IDs.
const testNode, otherNode = "0123456789abcdef0123456789abcdef01234567", "fedcba9876543210fedcba9876543210fedcba98"

func sampleLookup(t testing.TB) *APIRequest {
	r := &APIRequest{ChainID: testChainID, Node: testNode, Action: APIActionLookup, Subject: prop(t, parcelA), Time: 1767225600,
		Nonce: bytes.Repeat([]byte{7}, 16), PubKey: notaryKey.pub}
	r.SignWith(notaryKey.priv)
	return r
}

func TestNotaryAPIRequest(t *testing.T) {
	require.NoError(t, sampleLookup(t).Validate(testChainID, testNode))
	billing := &APIRequest{ChainID: testChainID, Node: testNode, Action: APIActionBilling, Subject: []byte("2026-01"), Time: 1,
		Nonce: bytes.Repeat([]byte{1}, 32), PubKey: tuPhapKey.pub}
	billing.SignWith(tuPhapKey.priv)
	require.NoError(t, billing.Validate(testChainID, testNode))
	// A request signed for one node is refused by every other node.
	err := sampleLookup(t).Validate(testChainID, otherNode)
	assert.ErrorIs(t, err, ErrInvalid)
	assert.Contains(t, err.Error(), "valid at one node only")

	cases := []struct {
		name string
		mut  func(r *APIRequest)
		want error
	}{
		{"other chain", func(r *APIRequest) { r.ChainID = "other" }, ErrWrongChain},
		{"property changed", func(r *APIRequest) { r.Subject = prop(t, parcelB) }, ErrBadSignature},
		{"time changed", func(r *APIRequest) { r.Time++ }, ErrBadSignature},
		{"nonce changed", func(r *APIRequest) { r.Nonce[0] ^= 1 }, ErrBadSignature},
		{"signature flipped", func(r *APIRequest) { r.Signature[10] ^= 1 }, ErrBadSignature},
		{"other signer", func(r *APIRequest) { r.PubKey = courtKey.pub }, ErrBadSignature},
		{"action changed", func(r *APIRequest) { r.Action = APIActionBilling }, ErrInvalid},
		{"unknown action", func(r *APIRequest) { r.Action = "export" }, ErrInvalid},
		{"short nonce", func(r *APIRequest) { r.Nonce = r.Nonce[:8] }, ErrInvalid},
		{"subject not a key", func(r *APIRequest) { r.Subject = []byte("parcel:20194:12:345") }, ErrInvalid},
		{"bad public key", func(r *APIRequest) { r.PubKey = r.PubKey[:31] }, ErrInvalid},
		{"no signature", func(r *APIRequest) { r.Signature = nil }, ErrBadSignature},
		{"readdressed", func(r *APIRequest) { r.Node = otherNode }, ErrInvalid},
		{"no node", func(r *APIRequest) { r.Node = "" }, ErrInvalid},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := sampleLookup(t)
			tc.mut(r)
			assert.ErrorIs(t, r.Validate(testChainID, testNode), tc.want)
		})
	}
	// The sign bytes are domain-separated from transactions.
	assert.True(t, bytes.HasPrefix(sampleLookup(t).SignBytes(), []byte("danangchain/notary-api/v2\n")))
	for _, m := range []string{"2026-01", "1999-12"} {
		assert.True(t, ValidMonth(m), m)
	}
	for _, m := range []string{"2026-1", "2026-13", "2026-00", "26-01", "2026-01-01", ""} {
		assert.False(t, ValidMonth(m), m)
	}
}

// lookupChain builds n linked log entries.
func lookupChain(t testing.TB, n int) []*LookupLogEntry {
	var out []*LookupLogEntry
	prev := make([]byte, HashSize)
	for i := 0; i < n; i++ {
		r := sampleLookup(t)
		r.Nonce = bytes.Repeat([]byte{byte(i + 1)}, 16)
		r.Time += uint64(i)
		r.SignWith(notaryKey.priv)
		e := &LookupLogEntry{Seq: uint64(i + 1), Time: r.Time, Org: officeID, PubKey: r.PubKey, PropertyKey: r.Subject,
			Nonce: r.Nonce, Signature: r.Signature, Height: uint64(10 + i), Prev: prev, Node: r.Node}
		prev = e.Hash()
		out = append(out, e)
	}
	return out
}

func TestNotaryLookupLogChain(t *testing.T) {
	entries := lookupChain(t, 4)
	var prev *LookupLogEntry
	for _, e := range entries {
		require.NoError(t, e.VerifyLink(testChainID, prev))
		got, err := DecodeLookupLogEntry(encode(e.Encode))
		require.NoError(t, err)
		assert.Equal(t, e, got)
		prev = e
	}
	cases := []struct {
		name string
		mut  func(es []*LookupLogEntry) (e, prev *LookupLogEntry)
	}{
		{"dropped entry", func(es []*LookupLogEntry) (*LookupLogEntry, *LookupLogEntry) { return es[2], es[0] }},
		{"reordered", func(es []*LookupLogEntry) (*LookupLogEntry, *LookupLogEntry) { return es[1], es[2] }},
		{"org rewritten before", func(es []*LookupLogEntry) (*LookupLogEntry, *LookupLogEntry) {
			es[0].Org = haiVanID
			return es[1], es[0]
		}},
		{"property rewritten", func(es []*LookupLogEntry) (*LookupLogEntry, *LookupLogEntry) {
			es[1].PropertyKey = prop(t, parcelB)
			return es[1], es[0]
		}},
		{"invented lookup", func(es []*LookupLogEntry) (*LookupLogEntry, *LookupLogEntry) {
			es[1].Signature = bytes.Repeat([]byte{1}, SignatureSize)
			return es[1], es[0]
		}},
		{"short prev", func(es []*LookupLogEntry) (*LookupLogEntry, *LookupLogEntry) {
			es[1].Prev = es[1].Prev[:8]
			return es[1], es[0]
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e, p := tc.mut(lookupChain(t, 4))
			assert.ErrorIs(t, e.VerifyLink(testChainID, p), ErrProofInvalid)
		})
	}
}

func TestNotaryBillingDigest(t *testing.T) {
	head := lookupChain(t, 3)[2].Hash()
	zero := make([]byte, HashSize)
	d := BillingDigest(testChainID, "2026-01", 1, 3, zero, head, []string{haiVanID, officeID}, []uint64{1, 2})
	require.Len(t, d, HashSize)
	assert.Equal(t, d, BillingDigest(testChainID, "2026-01", 1, 3, zero, head, []string{haiVanID, officeID}, []uint64{1, 2}))
	for name, other := range map[string][]byte{
		"month":  BillingDigest(testChainID, "2026-02", 1, 3, zero, head, []string{haiVanID, officeID}, []uint64{1, 2}),
		"count":  BillingDigest(testChainID, "2026-01", 1, 3, zero, head, []string{haiVanID, officeID}, []uint64{1, 3}),
		"head":   BillingDigest(testChainID, "2026-01", 1, 3, zero, zero, []string{haiVanID, officeID}, []uint64{1, 2}),
		"range":  BillingDigest(testChainID, "2026-01", 2, 3, zero, head, []string{haiVanID, officeID}, []uint64{1, 2}),
		"chain":  BillingDigest("other", "2026-01", 1, 3, zero, head, []string{haiVanID, officeID}, []uint64{1, 2}),
		"orgs":   BillingDigest(testChainID, "2026-01", 1, 3, zero, head, []string{officeID, haiVanID}, []uint64{1, 2}),
		"fewer":  BillingDigest(testChainID, "2026-01", 1, 3, zero, head, []string{officeID}, []uint64{3}),
		"prefix": BillingDigest(testChainID, "2026-01", 1, 3, zero, head, nil, nil),
	} {
		assert.NotEqual(t, d, other, name)
	}
}

package client

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/danangchain/danangchain/cas"
	"github.com/danangchain/danangchain/registry"
)

func payloadBytes(n int) []byte {
	out := make([]byte, 0, n+32)
	for i := uint64(0); len(out) < n; i++ {
		s := sha256.Sum256(binary.BigEndian.AppendUint64([]byte("client-payload"), i))
		out = append(out, s[:]...)
	}
	return out[:n]
}

func TestPackPayloadBlocks(t *testing.T) {
	d, err := cas.Import(bytes.NewReader(payloadBytes(13*cas.ChunkSize+5)), 0)
	require.NoError(t, err)
	blocks := cas.PayloadBlocks(d.Blocks)
	msgs := PackPayloadBlocks(blocks, registry.MaxPayloadTxData)
	require.Len(t, msgs, 3) // 6 + 6 + (2 leaves + root)
	var n int
	for _, m := range msgs {
		require.NoError(t, m.ValidateBasic())
		tx := &registry.Tx{ChainID: "c", Signer: make([]byte, 32), Nonce: make([]byte, 16), ExpiresAt: 1, Msg: m,
			Signature: make([]byte, 64)}
		assert.LessOrEqual(t, len(tx.Encode()), registry.MaxTxBytes)
		n += len(m.Blocks)
	}
	assert.Equal(t, len(blocks), n)
	// Order is kept: children before parents.
	assert.Equal(t, blocks[len(blocks)-1].CID(), msgs[2].Blocks[len(msgs[2].Blocks)-1].CID())
}

func TestFetchPayloadVerifies(t *testing.T) {
	ctx := context.Background()
	st, err := cas.Open(filepath.Join(t.TempDir(), "p"), cas.Options{NoSync: true})
	require.NoError(t, err)
	defer st.Close()
	data := payloadBytes(2*cas.ChunkSize + 77)
	root, _, err := st.Add(ctx, bytes.NewReader(data))
	require.NoError(t, err)
	gw, err := st.Gateway(cas.GatewayOptions{})
	require.NoError(t, err)
	srv := httptest.NewServer(gw)
	defer srv.Close()

	var out bytes.Buffer
	n, err := FetchPayload(ctx, nil, srv.URL, root, &out, 0)
	require.NoError(t, err)
	assert.Equal(t, uint64(len(data)), n)
	assert.Equal(t, data, out.Bytes())

	unknown := cas.BlockCID(cas.CodecRaw, []byte("không có"))
	_, err = FetchPayload(ctx, nil, srv.URL, unknown, &out, 0)
	require.ErrorIs(t, err, registry.ErrNotFound)

	// A gateway that answers with another payload is caught.
	other, _, err := st.Add(ctx, bytes.NewReader([]byte("tệp khác")))
	require.NoError(t, err)
	liar := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.URL.Path = cas.GatewayPath + other.String()
		gw.ServeHTTP(w, r)
	}))
	defer liar.Close()
	_, err = FetchPayload(ctx, nil, liar.URL, root, &out, 0)
	require.ErrorIs(t, err, registry.ErrProofInvalid)

	// A CAR cut short (the DAG incomplete) is caught.
	short := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		gw.ServeHTTP(rec, r)
		b := rec.Body.Bytes()
		w.WriteHeader(200)
		_, _ = w.Write(b[:len(b)-cas.ChunkSize/2])
	}))
	defer short.Close()
	_, err = FetchPayload(ctx, nil, short.URL, root, &out, 0)
	require.Error(t, err)
}

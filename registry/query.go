package registry

// The query wire contract between a node and its clients: the ABCI query
// paths, the proof op type, and the range request and response encodings.
// The application (app) answers it; the client and the CLI speak it. One
// definition, here, so that neither side imports the other.

// Query paths.
const (
	// QueryPathStore reads one raw state key (Data) at Height (0 = latest);
	// with Prove it returns an ICS23 membership or non-membership proof.
	QueryPathStore = "/store"
	// QueryPathRange lists raw keys: Data = EncodeRangeRequest(start, end,
	// limit); the answer is EncodeKVs.
	QueryPathRange = "/range"
)

// ProofOpType is the ProofOp type of the chain's proofs: one ICS23
// commitment proof of the IAVL tree, whose root is the app hash.
const ProofOpType = "ics23:iavl"

// MaxRangeLimit caps the entries of one range query.
const MaxRangeLimit = 1000

// AppProtocolVersion is the application's protocol version (ABCI Info).
const AppProtocolVersion = 1

// KV is a state key and its value.
type KV struct{ Key, Value []byte }

// EncodeRangeRequest encodes a QueryPathRange request.
func EncodeRangeRequest(start, end []byte, limit uint64) []byte {
	e := NewEncoder(64)
	e.Bytes(start)
	e.Bytes(end)
	e.Uint(limit)
	return e.Out()
}

// DecodeRangeRequest decodes a QueryPathRange request.
func DecodeRangeRequest(b []byte) (start, end []byte, limit uint64, err error) {
	d := NewDecoder(b)
	start, end, limit = d.Bytes(), d.Bytes(), d.Uint()
	return start, end, limit, d.Finish()
}

// EncodeKVs encodes a QueryPathRange response.
func EncodeKVs(kvs []KV) []byte {
	e := NewEncoder(256)
	e.Uint(uint64(len(kvs)))
	for _, kv := range kvs {
		e.Bytes(kv.Key)
		e.Bytes(kv.Value)
	}
	return e.Out()
}

// DecodeKVs decodes a QueryPathRange response.
func DecodeKVs(b []byte) ([]KV, error) {
	d := NewDecoder(b)
	n := d.Count(MaxRangeLimit, 2)
	out := make([]KV, 0, n)
	for i := 0; i < n; i++ {
		out = append(out, KV{Key: d.Bytes(), Value: d.Bytes()})
	}
	return out, d.Finish()
}

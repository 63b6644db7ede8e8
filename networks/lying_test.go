package networks_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// lyingRPC is an HTTP proxy in front of a node's RPC that rewrites its
// answers: it under-reports the latest height in /status and /abci_info
// (it forges nothing), and in "lagging" mode also serves the header and
// validators of that old height as the latest — a node that hides newer
// blocks, or an honest one that is behind.
type lyingRPC struct {
	target  string
	height  atomic.Int64 // the height it claims is the latest
	lagging atomic.Bool
	srv     *http.Server
	url     string
}

var heightField = regexp.MustCompile(`"(latest_block_height|last_block_height)":"\d+"`)

func newLyingRPC(t *testing.T, target string) *lyingRPC {
	l := &lyingRPC{target: target}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	l.url = "http://" + ln.Addr().String()
	l.srv = &http.Server{Handler: l}
	go func() { _ = l.srv.Serve(ln) }()
	t.Cleanup(func() { _ = l.srv.Close() })
	return l
}

func (l *lyingRPC) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	if l.lagging.Load() && len(body) > 0 {
		var req map[string]any
		if json.Unmarshal(body, &req) == nil {
			if m, _ := req["method"].(string); m == "commit" || m == "validators" || m == "block" {
				params, _ := req["params"].(map[string]any)
				if params == nil {
					params = map[string]any{}
				}
				if h, ok := params["height"]; !ok || h == nil {
					params["height"] = fmt.Sprint(l.height.Load())
					req["params"] = params
					body, _ = json.Marshal(req)
				}
			}
		}
	}
	out, err := http.NewRequest(r.Method, l.target+r.URL.RequestURI(), bytes.NewReader(body))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	out.Header = r.Header.Clone()
	res, err := http.DefaultClient.Do(out)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	b = heightField.ReplaceAllFunc(b, func(m []byte) []byte {
		name := strings.SplitN(string(m), ":", 2)[0]
		return []byte(fmt.Sprintf(`%s:"%d"`, name, l.height.Load()))
	})
	writeProxied(w, res, b)
}

// writeProxied answers with the upstream response's status and headers and
// the (possibly rewritten) body b; lengths and encodings are the proxy's own.
func writeProxied(w http.ResponseWriter, res *http.Response, b []byte) {
	for k, v := range res.Header {
		if k != "Content-Length" && k != "Content-Encoding" {
			w.Header()[k] = v
		}
	}
	w.WriteHeader(res.StatusCode)
	_, _ = w.Write(b)
}

// TestLyingNodeCannotHideRevocation: a result is issued and revoked; a
// proxy then claims the chain stopped before the revocation. Through it,
// verify never exits 0: it ignores the node's height (revoked), and when
// the node also serves the old header as its newest, the answer is "could
// not confirm the current state" (exit 2) — by the verifier's own clock,
// or at once when a witness is ahead.
func TestLyingNodeCannotHideRevocation(t *testing.T) {
	if testing.Short() {
		t.Skip("multi-process test")
	}
	n, cli := oneNode(t, 29100)
	doc := filepath.Join(t.TempDir(), "giay-phep.txt")
	require.NoError(t, os.WriteFile(doc, []byte("Giấy phép xây dựng số 12/GPXD — thu hồi\n"), 0o644))
	iss, err := cli("result", "issue", doc, "--procedure", "1.009972.000.00.00.H17", "--from", "ward")
	requireExit(t, err, 0)
	id := iss["id"].(string)
	issuedAt := int64(iss["height"].(float64))
	rev, err := cli("result", "revoke", id, "--reason", "Cấp sai quy hoạch", "--reason-code", "3", "--from", "ward")
	requireExit(t, err, 0)
	require.Equal(t, "revoked", rev["status"])

	// Anchoring a hash twice: the second says "Already anchored", not "Anchored".
	a1, err := cli("anchor", doc, "--from", "ward")
	requireExit(t, err, 0)
	require.Equal(t, true, a1["new"])
	a2, err := cli("anchor", doc, "--from", "ward")
	requireExit(t, err, 0)
	require.Equal(t, false, a2["new"])
	require.Equal(t, a1["anchor_height"], a2["anchor_height"])
	text, err := run(t, "anchor", doc, "--from", "ward", "--home", n.home)
	require.NoError(t, err)
	require.Contains(t, text, "Already anchored by ubnd-phuong-hai-chau")
	// status reads in Vietnam time, like everything else.
	st, err := run(t, "status", "--home", n.home)
	require.NoError(t, err)
	require.Contains(t, st, "giờ Việt Nam")
	// Lists: every entry proven, completeness stated as not proven.
	list, err := cli("agency", "list")
	requireExit(t, err, 0)
	require.Equal(t, true, list["entries_proven"])
	require.Equal(t, false, list["complete_proven"])
	require.Contains(t, fmt.Sprint(list["agencies"]), "ubnd-phuong-hai-chau")
	// Another agency cannot take the hash over, and is told who holds it.
	_, err = cli("anchor", doc, "--from", "justice")
	requireExit(t, err, 2)
	require.Contains(t, err.Error(), "13 conflict rejected (chain)")
	require.Contains(t, err.Error(), "already anchored by ubnd-phuong-hai-chau")

	// Through the honest node: revoked, exit 1.
	v, err := cli("verify", doc)
	requireExit(t, err, 1)
	assert.Equal(t, "revoked", v["status"])

	// The proxy claims the latest height is the issue height (before the
	// revocation). The verifier does not take its word: revoked.
	liar := newLyingRPC(t, n.rpc)
	liar.height.Store(issuedAt + 1)
	v, err = cli("verify", doc, "--node", liar.url)
	requireExit(t, err, 1)
	assert.Equal(t, "revoked", v["status"])
	v, err = cli("result", "show", id, "--node", liar.url)
	requireExit(t, err, 0)
	assert.Equal(t, "revoked", v["status"])

	// Lagging: it also serves header issuedAt+1 as its newest. Once that
	// header is older than --max-header-age on our clock: exit 2.
	liar.lagging.Store(true)
	time.Sleep(3 * time.Second)
	_, err = cli("verify", doc, "--node", liar.url, "--max-header-age", "2s")
	requireExit(t, err, 2)
	assert.Contains(t, err.Error(), "not_current")
	// With the honest node as a witness it is refused at once, whatever
	// the age allowed.
	_, err = cli("verify", doc, "--node", liar.url, "--witness", n.rpc, "--max-header-age", "1h")
	requireExit(t, err, 2)
	assert.Contains(t, err.Error(), "witness")

	// The same node, honest again, with the witness: revoked.
	v, err = cli("verify", doc, "--witness", liar.url)
	requireExit(t, err, 1)
	assert.Equal(t, "revoked", v["status"])
	assert.EqualValues(t, 1, v["witnesses"])
}

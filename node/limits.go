package node

import (
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// apiLimits keeps one client, or a flood of them, from taking the API
// (and the node behind it) down: a cap on requests in flight, a token
// bucket per client address on the endpoints that read the chain, and a
// body size limit. Health probes pass untouched, so an operator can see
// a node under load (/metrics has its own listener).
type apiLimits struct {
	sem      chan struct{}
	perSec   int64
	burst    int64
	maxBody  int64
	now      func() time.Time
	mu       sync.Mutex
	clients  map[string]*bucket
	lastTidy time.Time
}

// bucket is a token bucket in integer nanoseconds: tokens are scaled by
// 1e9 so no floating point is needed.
type bucket struct {
	tokens int64 // × 1e9
	at     time.Time
}

const maxClients = 50_000

func newAPILimits(c AppConfig) *apiLimits {
	l := &apiLimits{perSec: int64(c.APIRatePerSecond), burst: int64(c.APIRateBurst), maxBody: c.APIMaxBodyBytes,
		now: time.Now, clients: map[string]*bucket{}}
	if c.APIMaxConcurrent > 0 {
		l.sem = make(chan struct{}, c.APIMaxConcurrent)
	}
	if l.burst < l.perSec {
		l.burst = l.perSec
	}
	return l
}

// exempt: probes are cheap and must answer under load.
func exempt(path string) bool {
	return path == "/healthz" || path == "/readyz"
}

// metered: the endpoints that read the chain with proofs or serve payloads.
func metered(path string) bool {
	return strings.HasPrefix(path, "/v1/") || strings.HasPrefix(path, "/ipfs/") || strings.HasPrefix(path, "/notary/") ||
		strings.HasPrefix(path, "/epcis/")
}

func (l *apiLimits) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if exempt(r.URL.Path) {
			next.ServeHTTP(w, r)
			return
		}
		if l.perSec > 0 && metered(r.URL.Path) {
			if wait, ok := l.take(clientOf(r)); !ok {
				limited(w, http.StatusTooManyRequests, wait, "too many requests from this address / quá nhiều yêu cầu từ địa chỉ này")
				return
			}
		}
		if l.sem != nil {
			select {
			case l.sem <- struct{}{}:
				defer func() { <-l.sem }()
			default:
				limited(w, http.StatusServiceUnavailable, time.Second, "the node is busy / nút đang quá tải")
				return
			}
		}
		if l.maxBody > 0 && r.Body != nil {
			r.Body = http.MaxBytesReader(w, r.Body, l.maxBody)
		}
		next.ServeHTTP(w, r)
	})
}

// take spends one token of client's bucket; when empty it says how long
// until the next token.
func (l *apiLimits) take(client string) (time.Duration, bool) {
	const unit = int64(time.Second)
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.clients) >= maxClients && now.Sub(l.lastTidy) > time.Second {
		// Full buckets carry no state worth keeping.
		for k, b := range l.clients {
			if now.Sub(b.at) > time.Duration(l.burst/max(l.perSec, 1)+1)*time.Second {
				delete(l.clients, k)
			}
		}
		l.lastTidy = now
	}
	b, ok := l.clients[client]
	if !ok {
		if len(l.clients) >= maxClients {
			return time.Second, false
		}
		b = &bucket{tokens: l.burst * unit, at: now}
		l.clients[client] = b
	}
	elapsed := now.Sub(b.at).Nanoseconds()
	b.at = now
	b.tokens = min(l.burst*unit, b.tokens+elapsed*l.perSec)
	if b.tokens < unit {
		return time.Duration((unit - b.tokens) / l.perSec), false
	}
	b.tokens -= unit
	return 0, true
}

func clientOf(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

func limited(w http.ResponseWriter, status int, retry time.Duration, title string) {
	secs := int64(retry/time.Second) + 1
	w.Header().Set("Retry-After", strconv.FormatInt(secs, 10))
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(status)
	fmt.Fprintf(w, `{"type":"about:blank","title":%q,"status":%d,"detail":"retry after %d s / thử lại sau %d giây"}`+"\n", title, status, secs, secs)
}

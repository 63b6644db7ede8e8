package node

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAPIRateLimitPerClient(t *testing.T) {
	c := DefaultAppConfig()
	c.APIRatePerSecond, c.APIRateBurst = 2, 3
	l := newAPILimits(c)
	now := time.Unix(1_700_000_000, 0)
	l.now = func() time.Time { return now }
	h := l.wrap(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusOK) }))
	get := func(path, from string) *httptest.ResponseRecorder {
		r := httptest.NewRequest(http.MethodGet, path, nil)
		r.RemoteAddr = from + ":5555"
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w
	}
	for i := 0; i < 3; i++ {
		assert.Equal(t, http.StatusOK, get("/v1/verify", "10.0.0.1").Code, "burst %d", i)
	}
	w := get("/v1/verify", "10.0.0.1")
	assert.Equal(t, http.StatusTooManyRequests, w.Code)
	assert.Equal(t, "application/problem+json", w.Header().Get("Content-Type"))
	assert.NotEmpty(t, w.Header().Get("Retry-After"))
	assert.Equal(t, http.StatusOK, get("/v1/verify", "10.0.0.2").Code, "another client has its own bucket")
	assert.Equal(t, http.StatusOK, get("/healthz", "10.0.0.1").Code, "probes are never limited")
	assert.Equal(t, http.StatusOK, get("/verify", "10.0.0.1").Code, "the page itself is not metered")
	now = now.Add(500 * time.Millisecond) // one token back at 2/s
	assert.Equal(t, http.StatusOK, get("/ipfs/bafy", "10.0.0.1").Code)
	assert.Equal(t, http.StatusTooManyRequests, get("/notary/v1/lookup", "10.0.0.1").Code)
}

func TestAPIConcurrencyCap(t *testing.T) {
	c := DefaultAppConfig()
	c.APIMaxConcurrent, c.APIRatePerSecond = 1, 0
	l := newAPILimits(c)
	release := make(chan struct{})
	started := make(chan struct{})
	h := l.wrap(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		close(started)
		<-release
	}))
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/v1/verify", nil))
	}()
	<-started
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/v1/verify", nil))
	assert.Equal(t, http.StatusServiceUnavailable, w.Code)
	w = httptest.NewRecorder()
	h2 := l.wrap(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusOK) }))
	h2.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/readyz", nil))
	assert.Equal(t, http.StatusOK, w.Code, "probes pass while the API is full")
	close(release)
	wg.Wait()
}

func TestAPIBodyLimit(t *testing.T) {
	c := DefaultAppConfig()
	c.APIMaxBodyBytes = 10
	h := newAPILimits(c).wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		buf := make([]byte, 100)
		_, err := r.Body.Read(buf)
		for err == nil {
			_, err = r.Body.Read(buf)
		}
		if strings.Contains(err.Error(), "too large") {
			w.WriteHeader(http.StatusRequestEntityTooLarge)
		}
	}))
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest(http.MethodPost, "/notary/v1/lookup", strings.NewReader(strings.Repeat("x", 50))))
	require.Equal(t, http.StatusRequestEntityTooLarge, w.Code)
}

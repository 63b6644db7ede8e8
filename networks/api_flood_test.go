package networks_test

import (
	"context"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/danangchain/danangchain/node"
)

// TestAPIFlood floods a node's HTTP API from loopback with the default
// limits on (a per-client token bucket, a cap on requests in flight) and
// checks that the node keeps committing blocks and answering its probes,
// and that the flood is told to slow down (429/503) rather than queued.
// Bounded: 64 clients for 4 s, against 127.0.0.1 only.
func TestAPIFlood(t *testing.T) {
	if testing.Short() {
		t.Skip("multi-process test")
	}
	net := newNetwork(t, 1, 29400)
	n := net.nodes[0]
	acfg, err := node.LoadAppConfig(n.home)
	require.NoError(t, err)
	acfg.APIRatePerSecond = node.DefaultAppConfig().APIRatePerSecond
	require.NoError(t, node.WriteAppConfig(n.home, acfg))
	n.start(t)
	c := n.client(t)
	waitHeight(t, c, 2, 60*time.Second)
	api := "http://" + acfg.APIAddr

	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Second)
	defer cancel()
	var ok, limited, other atomic.Int64
	hc := &http.Client{Timeout: 10 * time.Second}
	var wg sync.WaitGroup
	for i := 0; i < 64; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				resp, err := hc.Get(api + "/v1/verify?sha256=" + "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff")
				if err != nil {
					other.Add(1)
					continue
				}
				resp.Body.Close()
				switch resp.StatusCode {
				case http.StatusTooManyRequests, http.StatusServiceUnavailable:
					limited.Add(1)
				case http.StatusOK:
					ok.Add(1)
				default:
					other.Add(1)
				}
			}
		}()
	}
	start, err := c.RPC().Status(context.Background())
	require.NoError(t, err)
	var probeMax time.Duration
	for ctx.Err() == nil {
		t0 := time.Now()
		resp, err := hc.Get(api + "/healthz")
		require.NoError(t, err)
		resp.Body.Close()
		assert.Equal(t, http.StatusOK, resp.StatusCode)
		probeMax = max(probeMax, time.Since(t0))
		time.Sleep(200 * time.Millisecond)
	}
	wg.Wait()
	end, err := c.RPC().Status(context.Background())
	require.NoError(t, err)
	grew := end.SyncInfo.LatestBlockHeight - start.SyncInfo.LatestBlockHeight
	t.Logf("flood: %d answered, %d told to slow down (429/503), %d other; blocks committed during it: %d; slowest /healthz %v",
		ok.Load(), limited.Load(), other.Load(), grew, probeMax)
	assert.Positive(t, limited.Load(), "the flood is limited")
	assert.Positive(t, ok.Load(), "within its budget the client is served")
	assert.GreaterOrEqual(t, grew, int64(2), "the node keeps committing blocks")
	assert.Less(t, probeMax, 2*time.Second, "probes answer under the flood")
}

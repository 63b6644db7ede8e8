package bench

import (
	"context"
	"io"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestBenchStateSmall runs the state-scale benchmark at a small size: every
// block commits, every lookup's two proofs verify against the app hash,
// and the report is complete.
func TestBenchStateSmall(t *testing.T) {
	res, err := RunState(context.Background(), StateConfig{Dir: t.TempDir(), Records: 20_000, BlockRecords: 5_000,
		Small: 5_000, Rounds: 2, Queries: 100, SingleTxs: 50, CacheSize: 10_000}, io.Discard)
	require.NoError(t, err)
	require.Equal(t, 20_000, res.Records)
	require.False(t, res.StoppedEarly)
	require.NotEmpty(t, res.Curve)
	require.Equal(t, 20_000, res.Curve[len(res.Curve)-1].AtRecords)
	require.Len(t, res.Probes, 2)
	for _, p := range res.Probes {
		require.Len(t, p.SmallRates, 2)
		require.Positive(t, p.Ratio)
	}
	require.Equal(t, 100, res.QueryLarge.N)
	require.Greater(t, res.QueryLarge.Records, 20_000) // probes added to it
	require.Positive(t, res.BytesPerRecord)
	require.Greater(t, res.LogicalPerRecord, 100.0)
}

func TestBenchStateStopsAtTimeLimit(t *testing.T) {
	res, err := RunState(context.Background(), StateConfig{Dir: t.TempDir(), Records: 10_000_000, BlockRecords: 5_000,
		Small: 5_000, Rounds: 1, Queries: 10, SingleTxs: 10, CacheSize: 10_000, MaxFill: time.Nanosecond}, io.Discard)
	require.NoError(t, err)
	require.True(t, res.StoppedEarly)
	require.Less(t, res.Records, 10_000_000)
	require.Equal(t, 10_000_000, res.Target)
}

package app

import (
	"strconv"

	"github.com/prometheus/client_golang/prometheus"
)

// Metrics are the application's Prometheus metrics (danang_*).
type Metrics struct {
	Height          prometheus.Gauge
	TxsAccepted     *prometheus.CounterVec
	TxsRejected     *prometheus.CounterVec
	BlockTxs        prometheus.Histogram
	FinalizeSeconds prometheus.Histogram
	CommitSeconds   prometheus.Histogram
	PruneSeconds    prometheus.Histogram
	Snapshots       prometheus.Counter
}

// NewMetrics creates the metrics and registers them with reg.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		Height: prometheus.NewGauge(prometheus.GaugeOpts{Name: "danang_app_height", Help: "Last committed height of the application state."}),
		TxsAccepted: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "danang_txs_accepted_total",
			Help: "Transactions executed successfully in FinalizeBlock, by message."}, []string{"msg"}),
		TxsRejected: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "danang_txs_rejected_total",
			Help: "Transactions rejected, by stage (check, deliver) and error code."}, []string{"stage", "code"}),
		BlockTxs: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "danang_block_txs",
			Help: "Transactions per block.", Buckets: prometheus.ExponentialBuckets(1, 4, 9)}),
		FinalizeSeconds: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "danang_finalize_block_seconds",
			Help: "Time spent executing a block.", Buckets: prometheus.ExponentialBuckets(0.0005, 2, 14)}),
		CommitSeconds: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "danang_commit_seconds",
			Help: "Time spent persisting state (IAVL SaveVersion with fsync).", Buckets: prometheus.ExponentialBuckets(0.0005, 2, 14)}),
		PruneSeconds: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "danang_prune_seconds",
			Help: "Time spent deleting state versions older than state_keep_versions.", Buckets: prometheus.ExponentialBuckets(0.0005, 2, 14)}),
		Snapshots: prometheus.NewCounter(prometheus.CounterOpts{Name: "danang_snapshots_total", Help: "State-sync snapshots taken."}),
	}
	reg.MustRegister(m.Height, m.TxsAccepted, m.TxsRejected, m.BlockTxs, m.FinalizeSeconds, m.CommitSeconds, m.PruneSeconds, m.Snapshots)
	return m
}

func (m *Metrics) accepted(msg string) {
	if m != nil {
		m.TxsAccepted.WithLabelValues(msg).Inc()
	}
}

func (m *Metrics) rejected(stage string, code uint32) {
	if m != nil {
		m.TxsRejected.WithLabelValues(stage, strconv.FormatUint(uint64(code), 10)).Inc()
	}
}

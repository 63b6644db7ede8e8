package app

import (
	"strconv"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/danangchain/danangchain/registry"
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
	// PayloadUsed and PayloadQuota: each agency's payload bytes uploaded
	// this quota period and its budget, as of its last upload.
	PayloadUsed  *prometheus.GaugeVec
	PayloadQuota *prometheus.GaugeVec
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
		PayloadUsed: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "danang_payload_quota_used_bytes",
			Help: "Payload bytes an agency uploaded in the current quota period (as of its last upload)."}, []string{"agency"}),
		PayloadQuota: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "danang_payload_quota_bytes",
			Help: "An agency's payload budget per quota period."}, []string{"agency"}),
	}
	reg.MustRegister(m.Height, m.TxsAccepted, m.TxsRejected, m.BlockTxs, m.FinalizeSeconds, m.CommitSeconds, m.PruneSeconds, m.Snapshots,
		m.PayloadUsed, m.PayloadQuota)
	return m
}

func (m *Metrics) accepted(msg string) {
	if m != nil {
		m.TxsAccepted.WithLabelValues(msg).Inc()
	}
}

// observe reads the metrics a committed tx's events carry.
func (m *Metrics) observe(events []registry.Event) {
	if m == nil {
		return
	}
	for _, e := range events {
		if e.Type != "payload_quota" {
			continue
		}
		var agency string
		var used, quota float64
		for _, a := range e.Attrs {
			switch a.Key {
			case "agency":
				agency = a.Value
			case "used":
				used, _ = strconv.ParseFloat(a.Value, 64)
			case "quota":
				quota, _ = strconv.ParseFloat(a.Value, 64)
			}
		}
		m.PayloadUsed.WithLabelValues(agency).Set(used)
		m.PayloadQuota.WithLabelValues(agency).Set(quota)
	}
}

func (m *Metrics) rejected(stage string, code uint32) {
	if m != nil {
		m.TxsRejected.WithLabelValues(stage, strconv.FormatUint(uint64(code), 10)).Inc()
	}
}

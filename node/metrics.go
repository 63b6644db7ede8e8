package node

import (
	"strings"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
)

// prefixGatherer keeps only the metric families whose name starts with
// prefix. /metrics merges CometBFT's metrics (registered globally under
// its namespace) with the node's own registry, which already has the Go
// and process collectors: taking those twice makes the whole answer fail.
func prefixGatherer(g prometheus.Gatherer, prefix string) prometheus.Gatherer {
	return prometheus.GathererFunc(func() ([]*dto.MetricFamily, error) {
		mfs, err := g.Gather()
		out := mfs[:0]
		for _, mf := range mfs {
			if strings.HasPrefix(mf.GetName(), prefix) {
				out = append(out, mf)
			}
		}
		return out, err
	})
}

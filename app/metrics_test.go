package app

import (
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/stretchr/testify/assert"

	"github.com/danangchain/danangchain/registry"
)

func TestPayloadQuotaMetrics(t *testing.T) {
	m := NewMetrics(prometheus.NewRegistry())
	m.observe([]registry.Event{{Type: "anchor"}, {Type: "payload_quota", Attrs: []registry.Attr{
		{Key: "agency", Value: "ubnd-hai-chau"}, {Key: "used", Value: "1500"}, {Key: "quota", Value: "268435456"}}}})
	assert.Equal(t, 1500.0, testutil.ToFloat64(m.PayloadUsed.WithLabelValues("ubnd-hai-chau")))
	assert.Equal(t, 268435456.0, testutil.ToFloat64(m.PayloadQuota.WithLabelValues("ubnd-hai-chau")))
	var nilMetrics *Metrics
	nilMetrics.observe(nil)
}

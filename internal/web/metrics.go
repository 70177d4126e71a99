package web

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/grunnlag/grunnlag/internal/store"
)

// metrics are the server's Prometheus metrics, in a registry of its own
// (never the package-global default one).
type metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	syncs    *prometheus.CounterVec
	// invalidations counts the cache drops the database's change counter
	// caused, whichever process wrote (see watchChanges).
	invalidations prometheus.Counter
	handler       http.Handler
}

func newMetrics(s *Server) *metrics {
	m := &metrics{reg: prometheus.NewRegistry()}
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "grunnlag_http_requests_total",
		Help: "HTTP requests answered, by route pattern, method and status code.",
	}, []string{"route", "method", "code"})
	m.latency = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "grunnlag_http_request_duration_seconds",
		Help:    "Time to answer an HTTP request, by route pattern.",
		Buckets: []float64{.0005, .001, .0025, .005, .01, .02, .05, .1, .25, .5, 1, 2.5, 5},
	}, []string{"route"})
	m.syncs = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "grunnlag_sync_results_total",
		Help: "Tables synced by this server, by outcome (added, unchanged, failed).",
	}, []string{"outcome"})
	m.invalidations = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "grunnlag_cache_invalidations_total",
		Help: "Times the in-memory cache was dropped because the database's change counter moved (a snapshot, sync attempt or pack stored by any process).",
	})
	for _, o := range []store.Outcome{store.Added, store.Unchanged, store.Failed} {
		m.syncs.WithLabelValues(string(o)) // show zero before the first sync
	}
	build := prometheus.NewGauge(prometheus.GaugeOpts{
		Name:        "grunnlag_build_info",
		Help:        "Always 1; the version label says which grunnlag runs.",
		ConstLabels: prometheus.Labels{"version": s.cfg.Version},
	})
	build.Set(1)
	cacheBytes := prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "grunnlag_cache_bytes",
		Help: "Estimated bytes of the values and answers kept in memory (at most Limits.CacheBytes).",
	}, func() float64 { _, b := s.cache.usage(); return float64(b) })
	heavyNow := prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "grunnlag_heavy_requests",
		Help: "Heavy requests (downloads, PDF, large views) being worked on (at most Limits.MaxHeavy).",
	}, func() float64 { return float64(len(s.heavy.slots)) })
	m.reg.MustRegister(m.requests, m.latency, m.syncs, m.invalidations, build, cacheBytes, heavyNow, newDataAge(s),
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	m.handler = promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
	return m
}

func (m *metrics) observeRequest(route, method string, code int, d time.Duration) {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodDelete, http.MethodPatch, http.MethodOptions:
	default:
		method = "other" // any string can be a method; keep the label set small
	}
	m.requests.WithLabelValues(route, method, strconv.Itoa(code)).Inc()
	m.latency.WithLabelValues(route).Observe(d.Seconds())
}

func (m *metrics) syncResult(o store.Outcome) { m.syncs.WithLabelValues(string(o)).Inc() }

// dataAge reports, per stored table, how long ago its newest snapshot was
// fetched: the figure an alert on stale statistics needs.
type dataAge struct {
	s    *Server
	desc *prometheus.Desc
}

func newDataAge(s *Server) *dataAge {
	return &dataAge{s: s, desc: prometheus.NewDesc("grunnlag_table_data_age_seconds",
		"Seconds since the newest stored snapshot of the table was fetched or imported.", []string{"table"}, nil)}
}

func (d *dataAge) Describe(ch chan<- *prometheus.Desc) { ch <- d.desc }

func (d *dataAge) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(d.s.ctx, 5*time.Second)
	defer cancel()
	ts, err := d.s.cache.tableList(ctx)
	if err != nil {
		d.s.log.Warn("metrics: table list", "err", err)
		return
	}
	now := d.s.now()
	for _, t := range ts {
		ch <- prometheus.MustNewConstMetric(d.desc, prometheus.GaugeValue,
			now.Sub(t.Latest.FetchedAt).Seconds(), t.Latest.TableID)
	}
}

// metricsPage serves the metrics in Prometheus' text format.
func (s *Server) metricsPage(w http.ResponseWriter, r *http.Request) error {
	s.metrics.handler.ServeHTTP(w, r)
	return nil
}

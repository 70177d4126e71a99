package main

import (
	"fmt"
	"io"
	"slices"
	"sync"
	"text/tabwriter"
	"time"
)

// The kinds of requests measured, in the order they are printed.
const (
	kindSave         = "save a principle (POST, JSON)"
	kindForm         = "answer form (GET)"
	kindProfileOpen  = "profile, round open (county leads)"
	kindSubmit       = "submit (POST)"
	kindProfile      = "profile, round closed"
	kindAnalysis     = "analysts' aggregates page"
	kindAggregateAPI = "aggregates API (size classes)"
	// The same, one client alone: the pages' own time, without queueing
	// behind the other clients.
	kindProfileAlone      = "profile, round closed, one client"
	kindAnalysisAlone     = "analysts' aggregates page, one client"
	kindAggregateAPIAlone = "aggregates API (size classes), one client"
)

var kinds = []string{kindSave, kindForm, kindProfileOpen, kindSubmit, kindProfile, kindAnalysis, kindAggregateAPI,
	kindProfileAlone, kindAnalysisAlone, kindAggregateAPIAlone}

// series is what was measured of one kind of request.
type series struct {
	latencies []time.Duration // of the answers that counted; sorted by recorder.sort
	errors    int
	conflicts int // saves refused as version conflicts (-shared only)
	first     string
	window    time.Duration // the time it was measured over, for the rate
}

// recorder collects the measurements of all clients.
type recorder struct {
	mu     sync.Mutex
	series map[string]*series
	// fifths are the saves' latencies in each fifth of the deadline: does
	// a save slow down as the answers and their history grow?
	fifths [5][]time.Duration
}

func newRecorder() *recorder { return &recorder{series: map[string]*series{}} }

// addFifth records a save's latency in the fifth of the deadline it
// started in (f from 0 to 1).
func (r *recorder) addFifth(f float64, d time.Duration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	i := max(0, min(4, int(f*5)))
	r.fifths[i] = append(r.fifths[i], d)
}

func (r *recorder) get(kind string) *series {
	s := r.series[kind]
	if s == nil {
		s = &series{}
		r.series[kind] = s
	}
	return s
}

// add records a request that took d and ended in err (nil: it counted).
func (r *recorder) add(kind string, d time.Duration, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	s := r.get(kind)
	switch {
	case err == errConflict:
		s.conflicts++
	case err != nil:
		s.errors++
		if s.first == "" {
			s.first = err.Error()
		}
	default:
		s.latencies = append(s.latencies, d)
	}
}

// setWindow sets the time kind was measured over.
func (r *recorder) setWindow(kind string, d time.Duration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.get(kind).window = d
}

// sort sorts every series' latencies, once all are measured.
func (r *recorder) sort() {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, s := range r.series {
		slices.Sort(s.latencies)
	}
	for _, l := range r.fifths {
		slices.Sort(l)
	}
}

// pct returns the p-th percentile (nearest rank) of sorted latencies.
func pct(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(float64(len(sorted))*p/100+0.5) - 1
	i = max(0, min(i, len(sorted)-1))
	return sorted[i]
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1fms", float64(d)/float64(time.Millisecond)) }

// table prints one line per kind measured.
func (r *recorder) table(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "requests\terrors\tconflicts\treq/s\tp50\tp90\tp99\tmax\t request")
	for _, k := range kinds {
		s := r.series[k]
		if s == nil {
			continue
		}
		rate := "-"
		if s.window > 0 {
			rate = fmt.Sprintf("%.1f", float64(len(s.latencies))/s.window.Seconds())
		}
		fmt.Fprintf(tw, "%d\t%d\t%d\t%s\t%s\t%s\t%s\t%s\t %s\n", len(s.latencies), s.errors, s.conflicts, rate,
			ms(pct(s.latencies, 50)), ms(pct(s.latencies, 90)), ms(pct(s.latencies, 99)), ms(pct(s.latencies, 100)), k)
	}
	return tw.Flush()
}

// fifthsLine prints the saves' p50 and p99 in each fifth of the deadline.
func (r *recorder) fifthsLine(w io.Writer, deadline time.Duration) {
	fmt.Fprintf(w, "saves by fifth of the deadline (p50/p99):")
	for i, l := range r.fifths {
		from, to := deadline*time.Duration(i)/5, deadline*time.Duration(i+1)/5
		fmt.Fprintf(w, "  %s–%s %s/%s", from.Round(time.Second), to.Round(time.Second), ms(pct(l, 50)), ms(pct(l, 99)))
	}
	fmt.Fprintln(w)
}

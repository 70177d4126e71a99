package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"
)

// target is the most a page that compares a municipality with its peers
// may take at p99 with the full round stored (issue 13).
const target = 100 * time.Millisecond

// result is one store's run.
type result struct {
	store         string
	deadline      time.Duration
	clients       int
	think         time.Duration
	setup         time.Duration
	orgs, people  int
	measures      int
	principles    int
	rec           *recorder
	check         verdict
	firstProfile  time.Duration
	serverLogTail string
	// load is the machine's load average before and after (Linux), for
	// judging how much other work shared the CPUs.
	loadBefore, loadAfter string
}

// loadAverage returns the machine's load averages over 1, 5 and 15
// minutes, or "" where /proc/loadavg is not.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if f := strings.Fields(string(b)); err == nil && len(f) >= 3 {
		return strings.Join(f[:3], " ")
	}
	return ""
}

// runStore sets up a fresh store of kind, plays the deadline day on it,
// and returns what was measured.
func runStore(ctx context.Context, cfg config, kind string, progress io.Writer) (*result, error) {
	r := &result{store: map[string]string{"sqlite": "SQLite", "postgres": "PostgreSQL"}[kind], rec: newRecorder(), deadline: cfg.duration,
		clients: cfg.clients, think: cfg.think,
		loadBefore: loadAverage()}
	defer func() { r.loadAfter = loadAverage() }()
	s := &site{}
	defer s.close()
	t0 := time.Now()
	fmt.Fprintf(progress, "%s: setting up (pack, organisations, round, people)…\n", r.store)
	if err := openStore(ctx, cfg, kind, s); err != nil {
		return nil, err
	}
	if err := setUp(ctx, cfg, s); err != nil {
		return nil, err
	}
	c := newClient(s.base, cfg.clients+1, cfg.timeout)
	defer c.close()
	saved, err := prepare(ctx, cfg, s, c)
	if err != nil {
		return nil, fmt.Errorf("before the deadline: %w", err)
	}
	r.setup = time.Since(t0)
	r.orgs, r.people = len(s.municipalities), len(s.municipalities)*cfg.people
	r.measures = len(s.round.Measures)
	for _, cat := range s.round.Categories {
		r.principles += len(cat.Principles)
	}

	fmt.Fprintf(progress, "%s: the deadline, %s after %s warm-up…\n", r.store, cfg.duration, cfg.warmup)
	saved = append(saved, deadline(cfg, s, c, r.rec)...)
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	fmt.Fprintf(progress, "%s: checking %d saves against the store…\n", r.store, len(saved))
	r.check = verify(ctx, s, saved)

	fmt.Fprintf(progress, "%s: the leads submit, the round closes, %s reading profiles and aggregates…\n", r.store, cfg.closed)
	submitAll(cfg, s, c, r.rec)
	if r.firstProfile, err = closeRound(ctx, s, c, r.rec); err != nil {
		return nil, fmt.Errorf("close the round: %w", err)
	}
	readClosed(cfg, s, c, r.rec, cfg.clients, cfg.closed, false)
	fmt.Fprintf(progress, "%s: one client alone, %s…\n", r.store, cfg.alone)
	readClosed(cfg, s, c, r.rec, 1, cfg.alone, true)
	r.rec.sort()
	if !r.ok() {
		r.serverLogTail = s.logTail(20)
	}
	return r, ctx.Err()
}

// ok reports whether nothing failed.
func (r *result) ok() bool {
	for _, s := range r.rec.series {
		if s.errors > 0 {
			return false
		}
	}
	return len(r.check.problems) == 0
}

func (r *result) print(w io.Writer) {
	fmt.Fprintf(w, "== %s: %d municipalities, %d people answering, %d principles of %d measures; set up in %s\n",
		r.store, r.orgs, r.people, r.principles, r.measures, r.setup.Round(time.Second))
	if r.loadBefore != "" {
		fmt.Fprintf(w, "load average (1, 5, 15 min) before: %s, after: %s\n", r.loadBefore, r.loadAfter)
	}
	r.rec.table(w)
	r.rec.fifthsLine(w, r.deadline)
	fmt.Fprintf(w, "first profile after the round closed (computes the aggregates): %s\n", ms(r.firstProfile))
	c := r.check
	if len(c.problems) == 0 {
		fmt.Fprintf(w, "stored exactly once: %d saves of %d principles in %d organisations checked; %d answers stored, each once with its last value; %d changes in the history, one per changed value\n",
			c.saves, c.principles, c.orgs, c.answers, c.changes)
	} else {
		fmt.Fprintf(w, "CHECK FAILED: %d problems in %d saves; the first:\n", len(c.problems), c.saves)
		for _, p := range c.problems[:min(10, len(c.problems))] {
			fmt.Fprintln(w, "  "+p)
		}
	}
	// With the round closed, the clients flat out wait for each other: by
	// Little's law a request takes clients/throughput on average, however
	// little the page costs. One client alone shows the pages' own time.
	var served float64
	for _, k := range []string{kindProfile, kindAnalysis, kindAggregateAPI} {
		if s := r.rec.series[k]; s != nil && s.window > 0 {
			served += float64(len(s.latencies)) / s.window.Seconds()
		}
	}
	if alone := r.rec.series[kindProfileAlone]; served > 0 && r.think == 0 && alone != nil {
		fmt.Fprintf(w, "round closed, %d clients flat out: %.0f req/s in all, so a request takes %d/%.0f = %s on average (Little's law): the page's own time (a profile alone: p50 %s) and the wait for the other clients\n",
			r.clients, served, r.clients, served, ms(time.Duration(float64(r.clients)/served*float64(time.Second))), ms(pct(alone.latencies, 50)))
	}
	for _, pair := range [][2]string{{kindProfile, kindProfileAlone}, {kindAnalysis, kindAnalysisAlone}, {kindAggregateAPI, kindAggregateAPIAlone}} {
		loaded, alone := r.rec.series[pair[0]], r.rec.series[pair[1]]
		if loaded == nil || alone == nil || len(loaded.latencies) == 0 || len(alone.latencies) == 0 {
			continue
		}
		verdict := func(s *series) string {
			p99 := pct(s.latencies, 99)
			if p99 < target {
				return ms(p99) + " (met)"
			}
			return ms(p99) + " (MISSED)"
		}
		fmt.Fprintf(w, "target p99 < %s, %s, full round stored: one client alone %s; %d clients %s\n",
			ms(target), pair[0], verdict(alone), r.clients, verdict(loaded))
	}
	for _, k := range kinds {
		if s := r.rec.series[k]; s != nil && s.errors > 0 {
			fmt.Fprintf(w, "%s: %d errors, the first: %s\n", k, s.errors, s.first)
		}
	}
	if r.serverLogTail != "" {
		fmt.Fprintf(w, "the server's log ends:\n%s\n", r.serverLogTail)
	}
}

// printRatios prints b's medians and p99s against a's, per kind.
func printRatios(w io.Writer, a, b *result) {
	fmt.Fprintf(w, "%s / %s, same run:\n", b.store, a.store)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "p50\tp99\treq/s\t request")
	for _, k := range kinds {
		sa, sb := a.rec.series[k], b.rec.series[k]
		if sa == nil || sb == nil || len(sa.latencies) == 0 || len(sb.latencies) == 0 {
			continue
		}
		rate := "-"
		if sa.window > 0 && sb.window > 0 {
			rate = fmt.Sprintf("%.2f", (float64(len(sb.latencies))/sb.window.Seconds())/(float64(len(sa.latencies))/sa.window.Seconds()))
		}
		fmt.Fprintf(tw, "%.2f\t%.2f\t%s\t %s\n", float64(pct(sb.latencies, 50))/float64(pct(sa.latencies, 50)),
			float64(pct(sb.latencies, 99))/float64(pct(sa.latencies, 99)), rate, k)
	}
	tw.Flush()
}

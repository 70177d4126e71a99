// Command load is grunnlag's HTTP load benchmark: N concurrent clients
// request a list of URLs in turn for a while, each client waiting for its
// answer before sending the next request (a closed loop, like people and
// programs using the site). It prints, per URL and in total, the number of
// requests, errors, requests per second and the latency percentiles.
//
//	go run ./bench/load -c 64 -d 10s http://127.0.0.1:8080/ http://127.0.0.1:8080/api/v1/tables
//
// A URL written with a leading "+" is asked with the -bearer token (a
// signed-in user's pages, computed for every request). A request counts
// as an error when it fails or answers anything but 2xx. The first -warmup
// of the run is not measured.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"
	"text/tabwriter"
	"time"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "load:", err)
		os.Exit(1)
	}
}

// stats holds what one client measured for one URL.
type stats struct {
	latencies []time.Duration
	errors    int
}

func run(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("load", flag.ContinueOnError)
	clients := fs.Int("c", 64, "concurrent clients")
	duration := fs.Duration("d", 10*time.Second, "how long to measure")
	warmup := fs.Duration("warmup", 2*time.Second, "how long to run before measuring")
	timeout := fs.Duration("timeout", 10*time.Second, "timeout per request")
	bearer := fs.String("bearer", "", "API token for the URLs written with a leading +")
	if err := fs.Parse(args); err != nil {
		return err
	}
	var urls []target
	for _, a := range fs.Args() {
		t := target{url: a}
		if strings.HasPrefix(a, "+") {
			if *bearer == "" {
				return fmt.Errorf("%s: a + URL needs -bearer", a)
			}
			t = target{url: a[1:], bearer: *bearer}
		}
		urls = append(urls, t)
	}
	if len(urls) == 0 || *clients < 1 || *duration <= 0 {
		return errors.New("usage: load [-c N] [-d DURATION] [-warmup DURATION] [-bearer TOKEN] [+]URL...")
	}
	tr := &http.Transport{MaxIdleConns: *clients * 2, MaxIdleConnsPerHost: *clients * 2, DisableCompression: true}
	client := &http.Client{Transport: tr, Timeout: *timeout}
	defer tr.CloseIdleConnections()

	// Check every URL once, so a typo fails at once instead of as errors.
	for _, u := range urls {
		if err := fetch(context.Background(), client, u); err != nil {
			return fmt.Errorf("%s: %w", u.url, err)
		}
	}

	start := time.Now()
	measureFrom := start.Add(*warmup)
	end := measureFrom.Add(*duration)
	ctx, cancel := context.WithDeadline(context.Background(), end)
	defer cancel()
	results := make([][]stats, *clients) // [client][url]
	var wg sync.WaitGroup
	for c := range *clients {
		results[c] = make([]stats, len(urls))
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := c; ; i++ {
				k := i % len(urls)
				t0 := time.Now()
				err := fetch(ctx, client, urls[k])
				t1 := time.Now()
				if ctx.Err() != nil {
					return
				}
				if t0.Before(measureFrom) {
					continue
				}
				if err != nil {
					results[c][k].errors++
					continue
				}
				results[c][k].latencies = append(results[c][k].latencies, t1.Sub(t0))
			}
		}()
	}
	wg.Wait()

	fmt.Fprintf(out, "%d clients, %s measured after %s warm-up\n", *clients, *duration, *warmup)
	tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "requests\terrors\treq/s\tp50\tp90\tp99\tmax\tURL\t")
	var all stats
	for k, u := range urls {
		var s stats
		for c := range results {
			s.latencies = append(s.latencies, results[c][k].latencies...)
			s.errors += results[c][k].errors
		}
		all.latencies = append(all.latencies, s.latencies...)
		all.errors += s.errors
		label := u.url
		if u.bearer != "" {
			label += " (signed in)"
		}
		line(tw, s, *duration, label)
	}
	if len(urls) > 1 {
		line(tw, all, *duration, "total")
	}
	return tw.Flush()
}

func line(w io.Writer, s stats, d time.Duration, label string) {
	slices.Sort(s.latencies)
	fmt.Fprintf(w, "%d\t%d\t%.0f\t%s\t%s\t%s\t%s\t%s\t\n", len(s.latencies), s.errors,
		float64(len(s.latencies))/d.Seconds(),
		ms(pct(s.latencies, 50)), ms(pct(s.latencies, 90)), ms(pct(s.latencies, 99)), ms(pct(s.latencies, 100)), label)
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

func ms(d time.Duration) string { return fmt.Sprintf("%.2fms", float64(d)/float64(time.Millisecond)) }

// target is a URL to ask, with the token to ask it with ("" for none).
type target struct{ url, bearer string }

// fetch requests u and reads the whole answer.
func fetch(ctx context.Context, client *http.Client, u target) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.url, nil)
	if err != nil {
		return err
	}
	if u.bearer != "" {
		req.Header.Set("Authorization", "Bearer "+u.bearer)
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		return err
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Errorf("status %d", resp.StatusCode)
	}
	return nil
}

package web

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestHeavyRequestsCapped: while every heavy slot is taken, a download,
// the data endpoint and a large view are refused at once with 503, a
// bokmål message and Retry-After; light answers are still served, and
// the heavy ones are once a slot is free.
func TestHeavyRequestsCapped(t *testing.T) {
	e := newEnv(t, func(c *Config) {
		c.Limits.MaxHeavy = 2
		c.Limits.RetryAfter = 7 * time.Second
		c.Limits.HeavyViewCells = 10 // 13615's default view (20 rows of 5) is large here
	})
	var releases []func()
	for range 2 { // two heavy requests at work, holding their slots as they do
		ctx, release := e.srv.heavy.withHold(t.Context())
		if err := heavy(ctx); err != nil {
			t.Fatal(err)
		}
		releases = append(releases, release)
	}
	heavyPaths := []string{"/tabeller/13615/csv", "/tabeller/13615/xlsx", "/tabeller/13615/json-stat",
		"/api/v1/tables/13615/data", "/api/v1/tables/13615/view", "/tabeller/13615"}
	for _, path := range heavyPaths {
		resp, body := e.get(t, path)
		if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") != "7" {
			t.Errorf("GET %s while busy = %d, Retry-After %q; want 503 and 7", path, resp.StatusCode, resp.Header.Get("Retry-After"))
		}
		if !strings.Contains(body, "Tjeneren arbeider med mange store forespørsler") {
			t.Errorf("GET %s while busy does not say why:\n%.300s", path, body)
		}
		if strings.HasPrefix(path, "/api/") {
			var p problem
			if err := json.Unmarshal([]byte(body), &p); err != nil || p.Status != 503 {
				t.Errorf("GET %s while busy = %s, want a 503 problem", path, body)
			}
		}
	}
	for _, path := range []string{"/", "/tabeller", "/api/v1/tables", "/api/v1/tables/13615/view?v.Tid=2024&v.Produkter=03", "/dokumenter"} {
		if resp, _ := e.get(t, path); resp.StatusCode != 200 {
			t.Errorf("GET %s (light) while busy = %d, want 200", path, resp.StatusCode)
		}
	}
	if _, m := e.get(t, "/metrics"); !strings.Contains(m, "grunnlag_heavy_requests 2") || !strings.Contains(m, "grunnlag_cache_bytes ") {
		t.Errorf("metrics do not show the 2 heavy requests and the cache's bytes")
	}
	releases[0]()
	for _, path := range heavyPaths {
		if resp, _ := e.get(t, path); resp.StatusCode != 200 {
			t.Errorf("GET %s with a free slot = %d, want 200", path, resp.StatusCode)
		}
	}
	releases[1]()
	if got := len(e.srv.heavy.slots); got != 0 {
		t.Errorf("%d heavy slots still taken after every request ended", got)
	}
}

// TestSlowClients: clients that send their request too slowly are cut
// off after the server's timeouts, while others are served.
func TestSlowClients(t *testing.T) {
	e := newEnv(t, func(c *Config) {
		c.Limits.ReadHeaderTimeout = 300 * time.Millisecond
		c.Limits.ReadTimeout = 500 * time.Millisecond
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- e.srv.Serve(ctx, ln) }()
	defer func() {
		cancel()
		<-done
	}()
	addr := ln.Addr().String()

	slow := []string{
		"GET / HTTP/1.1\r\nHost: localhost\r\n", // the headers never end
		"GET /tabeller HTTP/1.1\r\nHo",          // nor here
		"POST /synk HTTP/1.1\r\nHost: localhost\r\nSec-Fetch-Site: same-origin\r\n" + // the body never comes
			"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100000\r\n\r\nx=1",
	}
	var conns []net.Conn
	for range 10 {
		for _, s := range slow {
			c, err := net.Dial("tcp", addr)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			if _, err := io.WriteString(c, s); err != nil {
				t.Fatal(err)
			}
			conns = append(conns, c)
		}
	}
	// Others are served meanwhile.
	resp, err := (&http.Client{Timeout: 10 * time.Second}).Get("http://" + addr + "/api/v1/tables")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("GET /api/v1/tables beside 30 slow clients = %v, %v", resp, err)
	}
	resp.Body.Close()
	// Every slow connection is closed by the server. The limit here is a
	// generous bound for a loaded machine, not a speed goal: without the
	// timeouts these connections stay open for ever.
	for i, c := range conns {
		c.SetReadDeadline(time.Now().Add(20 * time.Second))
		_, err := io.Copy(io.Discard, c)
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			t.Errorf("slow connection %d (%q…) was still open after 20 s", i, slow[i%len(slow)][:16])
		}
	}
}

package pxweb

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/grunnlag/grunnlag/internal/fault"
	"github.com/grunnlag/grunnlag/internal/jsonstat"
	"github.com/grunnlag/grunnlag/internal/pxweb/pxwebtest"
)

// Issue 14, finding 5: a credential in the base URL ended up as the source
// of every snapshot.
func TestNewClientChecksTheBaseURL(t *testing.T) {
	tests := []struct {
		name, url string
		wantErr   string // "" for accepted
	}{
		{"SSB", "https://data.ssb.no/api/pxwebapi/v2", ""},
		{"trailing slash, upper-case scheme", "HTTP://127.0.0.1:8080/api/", ""},
		{"user and password", "http://user:hemmelig@data.example/api", "base URL http://user:xxxxx@data.example/api holds user information; refused so that it is never stored as a source"},
		{"user only", "https://token@data.example/api", "base URL https://token@data.example/api holds user information; refused so that it is never stored as a source"},
		{"no scheme", "data.ssb.no/api/pxwebapi/v2", `base URL data.ssb.no/api/pxwebapi/v2: scheme "", want http or https`},
		{"other scheme", "ftp://data.example/api", `base URL ftp://data.example/api: scheme "ftp", want http or https`},
		{"no host", "http:///api", "base URL http:///api has no host"},
		{"port only", "http://:8080/api", "base URL http://:8080/api has no host"},
		{"query", "https://data.example/api?lang=en", "base URL https://data.example/api?lang=en has a query"},
		{"fragment", "https://data.example/api#x", "base URL https://data.example/api#x has a fragment"},
		{"unparsable, with a password", "http://u:hemmelig@data.example/%zz", "base URL is not a valid URL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := NewClient(tt.url, Options{})
			if tt.wantErr == "" {
				if err != nil || c == nil {
					t.Fatalf("NewClient(%q) = %v, want a client", tt.url, err)
				}
				return
			}
			if err == nil {
				t.Fatalf("NewClient(%q) succeeded, want %s", tt.url, tt.wantErr)
			}
			if got := err.Error(); got != tt.wantErr {
				t.Errorf("NewClient(%q) = %s\n                   want %s", tt.url, got, tt.wantErr)
			}
			if !fault.Is(err, fault.Invalid) || strings.Contains(fault.UserMessage(err)+err.Error(), "hemmelig") {
				t.Errorf("NewClient(%q): kind %v, user message %q; want invalid, password not repeated", tt.url, fault.KindOf(err), fault.UserMessage(err))
			}
		})
	}
}

// Issue 14, finding 3: redirects to other hosts were followed.
func TestRedirectToAnotherHostIsRefused(t *testing.T) {
	var elsewhere atomic.Int32
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		elsewhere.Add(1)
		w.Write([]byte(`{}`))
	}))
	defer other.Close()

	s := pxwebtest.New()
	defer s.Close()
	s.AddTable(fixtureTable(t, "pxweb/ssb-v2/03024/data-POST.json"))
	s.Inject(pxwebtest.Fault{Kind: pxwebtest.Redirect, Path: "/tables/*", Location: other.URL + "/tables/03024"})
	c := newTestClient(s, newClock(), nil)
	_, err := c.Table(context.Background(), "03024")
	var e *Error
	if !errors.As(err, &e) || !fault.Is(err, fault.Invalid) || e.Attempts != 1 {
		t.Fatalf("Table after a redirect elsewhere = %v (kind %v), want invalid after 1 attempt", err, fault.KindOf(err))
	}
	if want := "redirected to " + other.URL + "/tables/03024, another host; not followed"; !strings.Contains(err.Error(), want) {
		t.Errorf("error = %v, want it to say %q", err, want)
	}
	if n := elsewhere.Load(); n != 0 {
		t.Errorf("the other host got %d requests, want 0", n)
	}

	// Within the same host a redirect is still followed.
	s.ClearFaults()
	s.Inject(pxwebtest.Fault{Kind: pxwebtest.Redirect, Path: "/tables/old", Location: s.URL() + "/tables/03024", Times: 1})
	if tb, err := c.Table(context.Background(), "old"); err != nil || tb.ID != "03024" {
		t.Errorf("Table after a same-host redirect = %+v, %v; want table 03024", tb, err)
	}
}

// metadataBody returns a JSON-stat 2.0 metadata response, constructed for
// the test, with the given number of categories per dimension.
func metadataBody(sizes ...int) []byte {
	var b strings.Builder
	b.WriteString(`{"version":"2.0","class":"dataset","label":"konstruert","id":[`)
	for i := range sizes {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `"d%d"`, i)
	}
	b.WriteString(`],"size":[`)
	for i, n := range sizes {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, "%d", n)
	}
	b.WriteString(`],"dimension":{`)
	for i, n := range sizes {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `"d%d":{"category":{"index":[`, i)
		for j := range n {
			if j > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, `"%d"`, j)
		}
		b.WriteString(`]}}`)
	}
	b.WriteString(`},"value":[]}`)
	return []byte(b.String())
}

// Issue 14, finding 3: metadata of 4 x 50 000 categories made the splitter
// plan about 10^13 parts; maxDataCells 1 with 2 x 4 000 categories planned
// 16 M requests. Each must fail before any data request, naming the table
// and the limit.
func TestHostileTablesFailBeforePlanning(t *testing.T) {
	tests := []struct {
		name     string
		meta     []byte
		maxCells int // the server's published cell limit
		opts     func(*Options)
		want     string
	}{
		{"4 x 50 000 categories", metadataBody(50_000, 50_000, 50_000, 50_000), 800_000, nil,
			"table 99999: decode GET %[1]s/tables/99999/metadata: size: 6250000000000000000 cells, over the limit of 50000000 (MaxCells)"},
		{"maxDataCells 1 with 2 x 4 000 categories", metadataBody(4000, 4000), 1, nil,
			"table 99999: 16000000 requests of at most 1 cells each, over the limit of 1000 (MaxParts)"},
		{"a table over a lower cell limit", metadataBody(100, 100), 800_000,
			func(o *Options) { o.DecodeLimits = jsonstat.Limits{MaxCells: 5000} },
			"table 99999: decode GET %[1]s/tables/99999/metadata: size: 10000 cells, over the limit of 5000 (MaxCells)"},
		{"a lower parts limit", metadataBody(10, 10), 10,
			func(o *Options) { o.MaxParts = 5 },
			"table 99999: 10 requests of at most 10 cells each, over the limit of 5 (MaxParts)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := pxwebtest.New(pxwebtest.WithMaxCells(tt.maxCells))
			defer s.Close()
			s.Inject(pxwebtest.Fault{Kind: pxwebtest.Body, Path: "/tables/99999/metadata", Body: tt.meta})
			c := newTestClient(s, newClock(), tt.opts)
			ctx := context.Background()
			meta, _, err := c.Metadata(ctx, "99999")
			if err == nil {
				_, err = c.Data(ctx, "99999", meta, nil)
			}
			if err == nil {
				t.Fatal("Metadata and Data succeeded, want an error")
			}
			if want := strings.ReplaceAll(tt.want, "%[1]s", s.URL()); err.Error() != want {
				t.Errorf("error = %v\n   want %s", err, want)
			}
			if !fault.Is(err, fault.TooLarge) || !strings.Contains(fault.UserMessage(err), "Tabell 99999 er større enn grensene") {
				t.Errorf("kind %v, user message %q; want too large, naming the table", fault.KindOf(err), fault.UserMessage(err))
			}
			if n := s.Count(pxwebtest.Data); n != 0 {
				t.Errorf("%d data requests, want none", n)
			}
		})
	}
}

func TestPlannedPartsMatchTheSplit(t *testing.T) {
	meta, err := jsonstat.Decode(metadataBody(7, 13, 5, 30))
	if err != nil {
		t.Fatal(err)
	}
	full := fullSelection(meta)
	for _, limit := range []int{1, 2, 29, 30, 31, 64, 149, 150, 151, 1000, 13649, 13650, 1 << 20} {
		if got, want := full.parts(limit, []string{"d3"}), len(full.split(limit, []string{"d3"})); got != want {
			t.Errorf("parts(%d) = %d, split makes %d", limit, got, want)
		}
	}
}

// Issue 14, finding 3: Retry-After (capped at 2 min) x 5 tries held one
// table for about 8 minutes. The waits of one table now share a budget.
func TestRetryBudget(t *testing.T) {
	sum := func(ds []time.Duration) (total time.Duration) {
		for _, d := range ds {
			total += d
		}
		return total
	}
	t.Run("one call stops when the next wait exceeds the budget", func(t *testing.T) {
		s := pxwebtest.New()
		defer s.Close()
		s.Inject(pxwebtest.Fault{Kind: pxwebtest.StatusFault, Path: "/tables/*", Status: 429, RetryAfter: "3600"})
		clock := newClock()
		c := newTestClient(s, clock, nil) // defaults: Retry-After capped at 1 min, budget 1 min
		_, err := c.Table(context.Background(), "03024")
		want := fmt.Sprintf("GET %s/tables/03024: 429 Too Many Requests after 2 attempts: gave up: waiting 1m0s more would exceed the retry budget of 1m0s", s.URL())
		if err == nil || err.Error() != want || !fault.Is(err, fault.Unavailable) {
			t.Fatalf("Table = %v (kind %v)\n   want %s", err, fault.KindOf(err), want)
		}
		if got := clock.Waits(); len(got) != 1 || got[0] != time.Minute {
			t.Errorf("waits = %v, want one of 1m", got)
		}
	})
	t.Run("the parts of a table share one budget", func(t *testing.T) {
		s := pxwebtest.New(pxwebtest.WithMaxCells(12))
		defer s.Close()
		s.AddTable(pxwebtest.ConstructedTable("99901", 4, 2, 3)) // 72 cells: 6 parts
		// Every data request fails once, asking for 25 s.
		s.Inject(pxwebtest.Fault{Kind: pxwebtest.StatusFault, Path: "/tables/99901/data", Status: 503, RetryAfter: "25", Times: 100})
		clock := newClock()
		c := newTestClient(s, clock, nil)
		ctx := context.Background()
		meta, _, err := c.Metadata(ctx, "99901")
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.Data(ctx, "99901", meta, nil)
		if err == nil || !strings.Contains(err.Error(), "would exceed the retry budget of 1m0s") {
			t.Fatalf("Data = %v, want the budget used up", err)
		}
		if total := sum(clock.Waits()); total > time.Minute {
			t.Errorf("waited %v in all, over the budget of 1m", total)
		}
	})
	t.Run("WithRetryBudget spans calls", func(t *testing.T) {
		s := pxwebtest.New()
		defer s.Close()
		s.AddTable(fixtureTable(t, "pxweb/ssb-v2/03024/data-POST.json"))
		fail := pxwebtest.Fault{Kind: pxwebtest.StatusFault, Path: "/tables/*", Status: 503, RetryAfter: "40", Times: 1}
		s.Inject(fail)
		clock := newClock()
		c := newTestClient(s, clock, nil)
		ctx := WithRetryBudget(context.Background())
		if _, err := c.Table(ctx, "03024"); err != nil {
			t.Fatalf("first call = %v, want success after one wait of 40s", err)
		}
		s.Inject(fail)
		if _, err := c.Table(ctx, "03024"); err == nil || !strings.Contains(err.Error(), "retry budget") {
			t.Errorf("second call = %v, want the shared budget (20s left) too small for 40s", err)
		}
	})
}

// Issue 11: an unreachable host was tried with the whole retry ladder
// (15-20 s) before sync could say so.
func TestUnreachableHostFailsAtOnce(t *testing.T) {
	refused := func() string {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := ln.Addr().String()
		ln.Close() // nothing listens there now
		return "http://" + addr + "/api"
	}()
	noSuchHost := &http.Client{Transport: &http.Transport{
		// A resolver's answer for a name that does not exist, without
		// asking a real one (this machine has no network).
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			host, _, _ := net.SplitHostPort(addr)
			return nil, &net.OpError{Op: "dial", Net: network, Err: &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}}
		},
	}}
	tests := []struct {
		name string
		base string
		hc   *http.Client
		want string
	}{
		{"connection refused", refused, nil, "connection refused"},
		{"no such host", "https://data.ssb.invalid/api", noSuchHost, "no such host"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock := newClock()
			c, err := NewClient(tt.base, Options{HTTPClient: tt.hc, Now: clock.Now, Sleep: clock.Sleep})
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.Table(context.Background(), "03024")
			var e *Error
			if !errors.As(err, &e) || e.Attempts != 1 || !Unreachable(err) || !fault.Is(err, fault.Unavailable) {
				t.Fatalf("Table = %v, want unreachable and unavailable after 1 attempt", err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %v, want it to say %q", err, tt.want)
			}
			if w := clock.Waits(); len(w) != 0 {
				t.Errorf("waited %v before giving up, want no waits", w)
			}
		})
	}
}

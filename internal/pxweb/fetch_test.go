package pxweb

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/grunnlag/grunnlag/internal/fault"
	"github.com/grunnlag/grunnlag/internal/pxweb/pxwebtest"
)

func TestFaults(t *testing.T) {
	tableCall := func(ctx context.Context, c *Client) error {
		_, err := c.Table(ctx, "03024")
		return err
	}
	tests := []struct {
		name  string
		fault *pxwebtest.Fault
		opts  func(*Options)
		call  func(context.Context, *Client) error
		// wantMsg is the exact error text, %[1]s standing for the base URL;
		// empty means success.
		wantMsg      string
		wantKind     fault.Kind
		wantAttempts int // requests the server saw
	}{
		{
			name: "429 with Retry-After, always",
			fault: &pxwebtest.Fault{Kind: pxwebtest.StatusFault, Path: "/tables/*", Status: 429,
				Title: "Too Many Requests", Detail: "30 request per minute", RetryAfter: "3"},
			wantMsg:      `GET %[1]s/tables/03024: 429 Too Many Requests after 5 attempts: "30 request per minute"`,
			wantKind:     fault.Unavailable,
			wantAttempts: 5,
		},
		{
			name:         "429 without Retry-After, always",
			fault:        &pxwebtest.Fault{Kind: pxwebtest.StatusFault, Status: 429, Detail: "30 request per minute"},
			wantMsg:      `GET %[1]s/tables/03024: 429 Too Many Requests after 5 attempts: "30 request per minute"`,
			wantKind:     fault.Unavailable,
			wantAttempts: 5,
		},
		{
			name:         "500 always",
			fault:        &pxwebtest.Fault{Kind: pxwebtest.StatusFault, Status: 500},
			wantMsg:      `GET %[1]s/tables/03024: 500 Internal Server Error after 5 attempts`,
			wantKind:     fault.Unavailable,
			wantAttempts: 5,
		},
		{
			name:         "503 twice, then success",
			fault:        &pxwebtest.Fault{Kind: pxwebtest.StatusFault, Status: 503, Times: 2},
			wantAttempts: 3,
		},
		{
			name:         "non-JSON 502 body falls back to the status text",
			fault:        &pxwebtest.Fault{Kind: pxwebtest.NonJSONError, Status: 502},
			wantMsg:      `GET %[1]s/tables/03024: 502 Bad Gateway after 5 attempts`,
			wantKind:     fault.Unavailable,
			wantAttempts: 5,
		},
		{
			name:  "slow past the attempt timeout",
			fault: &pxwebtest.Fault{Kind: pxwebtest.Slow, Delay: 10 * time.Second},
			// The attempts run on real time: 2 x 50ms.
			opts: func(o *Options) {
				o.RequestTimeout = 50 * time.Millisecond
				o.MaxAttempts = 2
			},
			wantMsg:      `GET %[1]s/tables/03024: gave up after 2 attempts: no complete response within 50ms`,
			wantKind:     fault.Unavailable,
			wantAttempts: 2,
		},
		{
			name:         "truncated body, always",
			fault:        &pxwebtest.Fault{Kind: pxwebtest.TruncatedBody},
			wantMsg:      `GET %[1]s/tables/03024: gave up after 5 attempts: unexpected EOF`,
			wantKind:     fault.Unavailable,
			wantAttempts: 5,
		},
		{
			name:         "truncated body once, then success",
			fault:        &pxwebtest.Fault{Kind: pxwebtest.TruncatedBody, Times: 1},
			wantAttempts: 2,
		},
		{
			name:         "invalid JSON is not retried",
			fault:        &pxwebtest.Fault{Kind: pxwebtest.InvalidJSON},
			wantMsg:      `decode %[1]s/tables/03024: unexpected end of JSON input`,
			wantKind:     fault.Invalid,
			wantAttempts: 1,
		},
		{
			name:         "400 is not retried",
			fault:        &pxwebtest.Fault{Kind: pxwebtest.StatusFault, Status: 400, Title: "Non-existent value", Detail: "no value 2030U01"},
			wantMsg:      `GET %[1]s/tables/03024: 400 Bad Request: Non-existent value: "no value 2030U01"`,
			wantKind:     fault.Invalid,
			wantAttempts: 1,
		},
		{
			name:         "403 not about cells is not retried",
			fault:        &pxwebtest.Fault{Kind: pxwebtest.StatusFault, Status: 403, Detail: "Access denied"},
			wantMsg:      `GET %[1]s/tables/03024: 403 Forbidden: "Access denied"`,
			wantKind:     fault.Invalid,
			wantAttempts: 1,
		},
		{
			name: "404 is not retried",
			call: func(ctx context.Context, c *Client) error {
				_, err := c.Table(ctx, "99999")
				return err
			},
			wantMsg:      `GET %[1]s/tables/99999: 404 Not Found: Non-existent table`,
			wantKind:     fault.NotFound,
			wantAttempts: 1,
		},
		{
			name:         "body over the cap",
			opts:         func(o *Options) { o.MaxBodyBytes = 100 },
			wantMsg:      `GET %[1]s/tables/03024: response body larger than 100 bytes`,
			wantKind:     fault.TooLarge,
			wantAttempts: 1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := pxwebtest.New()
			defer s.Close()
			s.AddTable(fixtureTable(t, "pxweb/ssb-v2/03024/data-POST.json"))
			if tt.fault != nil {
				f := *tt.fault
				f.Path = "/tables/*" // leave /config alone
				s.Inject(f)
			}
			c := newTestClient(s, newClock(), tt.opts)
			call := tt.call
			if call == nil {
				call = tableCall
			}
			err := call(context.Background(), c)
			if tt.wantMsg == "" {
				if err != nil {
					t.Fatalf("call = %v, want success", err)
				}
			} else {
				if want := fmt.Sprintf(tt.wantMsg, s.URL()); err == nil || err.Error() != want {
					t.Errorf("error = %v\nwant    %s", err, want)
				}
				if got := fault.KindOf(err); got != tt.wantKind {
					t.Errorf("fault.KindOf(err) = %v, want %v", got, tt.wantKind)
				}
			}
			if got := s.Count(pxwebtest.TableDoc); got != tt.wantAttempts {
				t.Errorf("server saw %d requests, want %d", got, tt.wantAttempts)
			}
			var e *Error
			if tt.wantMsg != "" && errors.As(err, &e) && tt.wantKind != fault.Invalid && e.Attempts != tt.wantAttempts {
				t.Errorf("Error.Attempts = %d, want %d", e.Attempts, tt.wantAttempts)
			}
		})
	}
}

func TestRetryWaits(t *testing.T) {
	date := newClock().Now().Add(8 * time.Second).Format(http.TimeFormat)
	tests := []struct {
		name       string
		retryAfter string
		check      func(i int, d time.Duration) bool
		want       string
	}{
		{"Retry-After seconds", "3", func(_ int, d time.Duration) bool { return d == 3*time.Second }, "exactly 3s"},
		// The date is fixed, so once the clock has passed it the backoff
		// takes over.
		{"Retry-After HTTP date", date, func(i int, d time.Duration) bool {
			return (i == 0 && d == 8*time.Second) || (i > 0 && d <= min(100*time.Millisecond<<i, time.Second))
		}, "8s, then backoff"},
		{"Retry-After capped", "3600", func(_ int, d time.Duration) bool { return d == 10*time.Second }, "the 10s cap"},
		{"backoff with full jitter", "", func(i int, d time.Duration) bool {
			return d >= 0 && d <= min(100*time.Millisecond<<i, time.Second)
		}, "within [0, min(100ms*2^i, 1s)]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := pxwebtest.New()
			defer s.Close()
			s.AddTable(fixtureTable(t, "pxweb/ssb-v2/03024/data-POST.json"))
			s.Inject(pxwebtest.Fault{Kind: pxwebtest.StatusFault, Path: "/tables/*", Status: 429, RetryAfter: tt.retryAfter})
			clock := newClock()
			c := newTestClient(s, clock, func(o *Options) { o.RetryAfterMax = 10 * time.Second })
			if _, err := c.Table(context.Background(), "03024"); err == nil {
				t.Fatal("Table succeeded against a server that always answers 429")
			}
			waits := clock.Waits()
			if len(waits) != 4 {
				t.Fatalf("waits = %v, want 4 (between 5 attempts)", waits)
			}
			for i, d := range waits {
				if !tt.check(i, d) {
					t.Errorf("wait %d = %v, want %s", i, d, tt.want)
				}
			}
		})
	}
}

func TestContextEndStopsRetrying(t *testing.T) {
	// The caller's context ends during the first backoff: by a cancel
	// (Ctrl-C), which is nobody's fault, or by its deadline, which reads as
	// a service too slow for it.
	tests := []struct {
		name     string
		deadline bool
		wantErr  error
		wantKind fault.Kind
	}{
		{"cancel", false, context.Canceled, fault.Internal},
		{"deadline", true, context.DeadlineExceeded, fault.Unavailable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := pxwebtest.New()
			defer s.Close()
			s.Inject(pxwebtest.Fault{Kind: pxwebtest.StatusFault, Path: "/tables/*", Status: 503})
			ctx, cancel := context.WithCancel(context.Background())
			if tt.deadline {
				ctx, cancel = context.WithTimeout(context.Background(), 20*time.Millisecond)
			}
			defer cancel()
			c := newTestClient(s, newClock(), func(o *Options) {
				o.Sleep = func(ctx context.Context, d time.Duration) error {
					if !tt.deadline {
						cancel()
					}
					<-ctx.Done()
					return ctx.Err()
				}
			})
			_, err := c.Table(ctx, "03024")
			if !errors.Is(err, tt.wantErr) {
				t.Errorf("Table = %v, want %v", err, tt.wantErr)
			}
			if got := fault.KindOf(err); got != tt.wantKind {
				t.Errorf("fault.KindOf(err) = %v, want %v", got, tt.wantKind)
			}
			if got := s.Count(pxwebtest.TableDoc); got != 1 {
				t.Errorf("server saw %d requests, want 1", got)
			}
		})
	}
}

func TestHeaders(t *testing.T) {
	s := pxwebtest.New()
	defer s.Close()
	s.AddTable(fixtureTable(t, "pxweb/ssb-v2/03024/data-POST.json"))
	c := newTestClient(s, newClock(), func(o *Options) { o.Version = "1.2.3" })
	if _, err := c.Table(context.Background(), "03024"); err != nil {
		t.Fatal(err)
	}
	for _, r := range s.Requests() {
		if got, want := r.Header.Get("User-Agent"), "grunnlag/1.2.3 (+https://github.com/grunnlag/grunnlag)"; got != want {
			t.Errorf("%s %s: User-Agent = %q, want %q", r.Method, r.Path, got, want)
		}
		if got := r.Header.Get("Accept"); got != "application/json" {
			t.Errorf("%s %s: Accept = %q, want application/json", r.Method, r.Path, got)
		}
		if got := r.Query.Get("lang"); r.Endpoint == pxwebtest.TableDoc && got != "no" {
			t.Errorf("%s %s: lang = %q, want no", r.Method, r.Path, got)
		}
	}
}

func TestErrorString(t *testing.T) {
	tests := []struct {
		name string
		e    Error
		want string
	}{
		{"status only", Error{Op: "GET", URL: "u", Status: 404}, "GET u: 404 Not Found"},
		{"title same as status text", Error{Op: "GET", URL: "u", Status: 429, Title: "Too many requests", Attempts: 5},
			"GET u: 429 Too Many Requests after 5 attempts"},
		{"title and detail", Error{Op: "POST", URL: "u", Status: 400, Title: "Too many cells selected", Detail: "Too many cells selected"},
			"POST u: 400 Bad Request: Too many cells selected"},
		{"transport", Error{Op: "GET", URL: "u", Attempts: 3, Err: errors.New("connection refused")},
			"GET u: gave up after 3 attempts: connection refused"},
		{"cause on one attempt", Error{Op: "GET", URL: "u", Attempts: 1, Err: errors.New("boom")}, "GET u: boom"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.e.Error(); got != tt.want {
				t.Errorf("Error() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestTooManyCellsAnswer(t *testing.T) {
	tests := []struct {
		e    Error
		want bool
	}{
		{Error{Status: 400, Title: "Too many cells selected"}, true},
		{Error{Status: 403, Detail: "The number of cells exceeds the limit"}, true},
		{Error{Status: 403}, true},
		{Error{Status: 403, Title: "Forbidden", Detail: "Access denied"}, false},
		{Error{Status: 400, Title: "Non-existent value"}, false},
		{Error{Status: 429, Title: "Too many cells selected"}, false},
	}
	for _, tt := range tests {
		if got := tt.e.tooManyCells(); got != tt.want {
			t.Errorf("(%d %q %q).tooManyCells() = %v, want %v", tt.e.Status, tt.e.Title, tt.e.Detail, got, tt.want)
		}
	}
}

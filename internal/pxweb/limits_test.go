package pxweb

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/grunnlag/grunnlag/internal/fault"
	"github.com/grunnlag/grunnlag/internal/pxweb/pxwebtest"
)

func TestLimiterKeepsWithinWindow(t *testing.T) {
	// The server allows 3 calls per 10 s by the same clock as the client's
	// and says so in /config; 10 calls in a row must never meet a 429.
	clock := newClock()
	s := pxwebtest.New(pxwebtest.WithRateLimit(3, 10*time.Second, false), pxwebtest.WithClock(clock.Now))
	defer s.Close()
	s.AddTable(fixtureTable(t, "pxweb/ssb-v2/03024/data-POST.json"))
	c := newTestClient(s, clock, nil)
	for i := range 10 {
		if _, err := c.Table(context.Background(), "03024"); err != nil {
			t.Fatalf("call %d: %v", i, err)
		}
	}
	var times []time.Time
	for _, r := range s.Requests() {
		if r.Endpoint == pxwebtest.TableDoc {
			times = append(times, r.Time)
		}
	}
	if len(times) != 10 {
		t.Fatalf("server saw %d table requests, want 10 (no retries)", len(times))
	}
	for i := 3; i < len(times); i++ {
		if d := times[i].Sub(times[i-3]); d < 10*time.Second {
			t.Errorf("calls %d and %d are %v apart, want at least 10s", i-3, i, d)
		}
	}
	if got := s.Count(pxwebtest.Config); got != 1 {
		t.Errorf("/config read %d times, want once", got)
	}
}

func TestLimiterHonoursContext(t *testing.T) {
	// Real clock: one call per hour; the second call must end with its
	// context instead of waiting the hour.
	s := pxwebtest.New()
	defer s.Close()
	s.AddTable(fixtureTable(t, "pxweb/ssb-v2/03024/data-POST.json"))
	c, err := NewClient(s.URL(), Options{Limits: &Limits{MaxCalls: 1, Window: time.Hour}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Table(context.Background(), "03024"); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	_, err = c.Table(ctx, "03024")
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("second call = %v, want context.DeadlineExceeded", err)
	}
	if got := fault.KindOf(err); got != fault.Unavailable {
		t.Errorf("fault.KindOf(second call) = %v, want unavailable", got)
	}
	if got := s.Count(pxwebtest.TableDoc); got != 1 {
		t.Errorf("server saw %d table requests, want 1", got)
	}
}

func TestLimitsFromConfig(t *testing.T) {
	tests := []struct {
		name  string
		opts  []pxwebtest.Option
		fault *pxwebtest.Fault
		want  Limits
	}{
		{"stated", []pxwebtest.Option{pxwebtest.WithMaxCells(150_000), pxwebtest.WithRateLimit(30, 10*time.Second, false)},
			nil, Limits{MaxCells: 150_000, MaxCalls: 30, Window: 10 * time.Second}},
		{"0/0 falls back to the defaults", []pxwebtest.Option{pxwebtest.WithPublishedLimits(0, 0, 0)},
			nil, DefaultLimits()},
		{"calls without a window fall back", []pxwebtest.Option{pxwebtest.WithPublishedLimits(1000, 30, 0)},
			nil, Limits{MaxCells: 1000, MaxCalls: 30, Window: time.Minute}},
		{"404 falls back", nil,
			&pxwebtest.Fault{Kind: pxwebtest.StatusFault, Path: "/config", Status: 404}, DefaultLimits()},
		{"non-JSON falls back", nil,
			&pxwebtest.Fault{Kind: pxwebtest.InvalidJSON, Path: "/config"}, DefaultLimits()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := pxwebtest.New(tt.opts...)
			defer s.Close()
			if tt.fault != nil {
				s.Inject(*tt.fault)
			}
			c := newTestClient(s, newClock(), nil)
			got, err := c.Limits(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("Limits() = %+v, want %+v", got, tt.want)
			}
			if _, err := c.Limits(context.Background()); err != nil {
				t.Fatal(err)
			}
			if n := s.Count(pxwebtest.Config); n != 1 {
				t.Errorf("/config asked %d times, want once", n)
			}
		})
	}
}

func TestLimitsOverride(t *testing.T) {
	s := pxwebtest.New(pxwebtest.WithMaxCells(10))
	defer s.Close()
	c := newTestClient(s, newClock(), func(o *Options) { o.Limits = &Limits{MaxCells: 5} })
	got, err := c.Limits(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if want := (Limits{MaxCells: 5, MaxCalls: 30, Window: time.Minute}); got != want {
		t.Errorf("Limits() = %+v, want %+v", got, want)
	}
	if n := s.Count(pxwebtest.Config); n != 0 {
		t.Errorf("/config asked %d times, want never", n)
	}
}

package pxweb

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/grunnlag/grunnlag/internal/jsonstat"
	"github.com/grunnlag/grunnlag/internal/pxweb/pxwebtest"
)

// fakeClock is a clock whose Sleep returns at once after moving time on, so
// that backoffs and rate-limit waits cost no real time and can be observed.
type fakeClock struct {
	mu    sync.Mutex
	now   time.Time
	waits []time.Duration
}

func newClock() *fakeClock {
	return &fakeClock{now: time.Date(2025, 10, 29, 7, 0, 0, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.waits = append(c.waits, d)
	if d > 0 {
		c.now = c.now.Add(d)
	}
	return nil
}

func (c *fakeClock) Waits() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Duration(nil), c.waits...)
}

// newTestClient returns a client for s on clock whose options mod may change.
func newTestClient(s *pxwebtest.Server, clock *fakeClock, mod func(*Options)) *Client {
	o := Options{
		Version:        "test",
		RequestTimeout: 5 * time.Second,
		BackoffBase:    100 * time.Millisecond,
		BackoffMax:     time.Second,
		Now:            clock.Now,
		Sleep:          clock.Sleep,
	}
	if mod != nil {
		mod(&o)
	}
	c, err := NewClient(s.URL(), o)
	if err != nil {
		panic("NewClient(" + s.URL() + "): " + err.Error())
	}
	return c
}

// fixtureTable loads a recorded data response as a whole table.
func fixtureTable(t *testing.T, name string) pxwebtest.Table {
	t.Helper()
	tb, err := pxwebtest.FixtureTable(name)
	if err != nil {
		t.Fatalf("FixtureTable(%q): %v", name, err)
	}
	return tb
}

// fetchAll reads a table's metadata and data.
func fetchAll(t *testing.T, c *Client, id string) *Data {
	t.Helper()
	ctx := context.Background()
	meta, _, err := c.Metadata(ctx, id)
	if err != nil {
		t.Fatalf("Metadata(%s): %v", id, err)
	}
	d, err := c.Data(ctx, id, meta, nil)
	if err != nil {
		t.Fatalf("Data(%s): %v", id, err)
	}
	return d
}

// cell returns the value and status at the given codes, one per dimension
// in the dataset's order.
func cell(t *testing.T, ds *jsonstat.Dataset, codes ...string) (float64, bool, string) {
	t.Helper()
	pos := make([]int, len(codes))
	for i, code := range codes {
		pos[i] = ds.Dimensions[i].Position(code)
		if pos[i] < 0 {
			t.Fatalf("dimension %s has no code %q", ds.Dimensions[i].ID, code)
		}
	}
	idx := ds.Index(pos...)
	v, ok := ds.Value(idx)
	return v, ok, ds.CellStatus(idx)
}

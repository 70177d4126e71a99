package web

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/grunnlag/grunnlag/internal/analysis/analysistest"
)

// TestCachePanicReleasesKey: a load that panics must not leave its key
// loading forever; the next get loads again.
func TestCachePanicReleasesKey(t *testing.T) {
	c := newCache(nil, func() time.Time { return testNow }, Limits{})
	func() {
		defer func() {
			if recover() == nil {
				t.Fatal("get did not pass the panic on")
			}
		}()
		c.get(t.Context(), "k", func(context.Context) (any, error) { panic("boom in a load") })
	}()
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	v, err := c.get(ctx, "k", func(context.Context) (any, error) { return "loaded again", nil })
	if err != nil || v != "loaded again" {
		t.Errorf("get after a panicking load = %v, %v; want a new load", v, err)
	}
}

// TestCacheKeepsNoErrors: a failed load is not kept.
func TestCacheKeepsNoErrors(t *testing.T) {
	c := newCache(nil, func() time.Time { return testNow }, Limits{})
	if _, err := c.get(t.Context(), "k", func(context.Context) (any, error) { return nil, errors.New("constructed failure") }); err == nil {
		t.Fatal("get = nil error, want the load's")
	}
	v, err := c.get(t.Context(), "k", func(context.Context) (any, error) { return 1, nil })
	if err != nil || v != 1 {
		t.Errorf("get after a failed load = %v, %v; want 1", v, err)
	}
}

// TestSnapshotFromAnotherProcess: a snapshot another process stores (here
// saved straight into the store) shows in kept answers once the table
// list is re-read, without waiting for the minute to change.
func TestSnapshotFromAnotherProcess(t *testing.T) {
	var mu sync.Mutex
	now := testNow // 08:30:00, so +tableListTTL stays in the same minute
	e := newEnv(t, func(c *Config) {
		c.Now = func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	})
	has := func() bool {
		var ts []tableStatus
		getJSON(t, e, "/api/v1/tables", &ts)
		for _, x := range ts {
			if x.ID == "99901" {
				return true
			}
		}
		return false
	}
	if has() {
		t.Fatal("table 99901 listed before it was stored")
	}
	// Constructed test data, stored as `grunnlag import` in another process would.
	snap := analysistest.Snapshot(analysistest.Spec{Table: "99901", Title: "fra en annen prosess",
		Dims: []analysistest.Dim{{ID: "Tid", Label: "år", Cats: []string{"2024", "2025"}}}})
	if _, err := e.st.SaveSnapshot(t.Context(), snap); err != nil {
		t.Fatal(err)
	}
	if has() {
		t.Fatal("the kept answer was not used within tableListTTL")
	}
	mu.Lock()
	now = now.Add(tableListTTL + time.Second)
	mu.Unlock()
	if now.Unix()/60 != testNow.Unix()/60 {
		t.Fatal("the test's clock left the minute; the kept answer would expire by itself")
	}
	if !has() {
		t.Errorf("GET /api/v1/tables %s after another process stored 99901 does not list it", tableListTTL+time.Second)
	}
}

// TestCacheBoundedByBytes: values are kept within the byte budget, the
// least recently used going first, and a value larger than the whole
// budget is handed to its caller but not kept.
func TestCacheBoundedByBytes(t *testing.T) {
	const budget = 1 << 20
	c := newCache(nil, func() time.Time { return testNow }, Limits{CacheBytes: budget})
	value := func(n int) func(context.Context) (any, error) {
		return func(context.Context) (any, error) { return make([]byte, n), nil }
	}
	for i := range 20 {
		if _, err := c.get(t.Context(), fmt.Sprintf("k%d", i), value(300<<10)); err != nil {
			t.Fatal(err)
		}
		if i == 10 { // k1 is used again, so it outlives its neighbours
			c.get(t.Context(), "k1", value(1))
		}
		if _, bytes := c.usage(); bytes > budget {
			t.Fatalf("after %d values the cache holds %d bytes, more than its budget of %d", i+1, bytes, budget)
		}
	}
	n, _ := c.usage()
	if n != 3 {
		t.Errorf("kept values = %d, want the 3 of 300 kB that fit 1 MB", n)
	}
	kept := func(key string) bool {
		c.mu.Lock()
		defer c.mu.Unlock()
		e, ok := c.entries[key]
		return ok && e.elem != nil
	}
	if !kept("k19") || !kept("k18") || kept("k0") {
		t.Errorf("kept: k19 %v, k18 %v, k0 %v; want the newest kept and the oldest gone", kept("k19"), kept("k18"), kept("k0"))
	}
	v, err := c.get(t.Context(), "huge", value(2<<20))
	if err != nil || len(v.([]byte)) != 2<<20 {
		t.Fatalf("get of a value larger than the budget = %d bytes, %v; want it handed over", len(v.([]byte)), err)
	}
	if kept("huge") {
		t.Errorf("a value larger than the whole budget was kept")
	}
	if !kept("k19") {
		t.Errorf("a value too large to keep pushed out the others")
	}
}

// TestCacheBoundedByEntries: many small values stay within the entry limit.
func TestCacheBoundedByEntries(t *testing.T) {
	c := newCache(nil, func() time.Time { return testNow }, Limits{CacheEntries: 50})
	for i := range 500 {
		c.get(t.Context(), fmt.Sprintf("k%d", i), func(context.Context) (any, error) { return []byte("x"), nil })
	}
	if n, _ := c.usage(); n > 50 {
		t.Errorf("kept values = %d, want at most 50", n)
	}
}

// TestCacheLoadKeepsDeadline: a load runs with the deadline of the
// request that started it (every store call has one), but is not
// cancelled when that request goes away.
func TestCacheLoadKeepsDeadline(t *testing.T) {
	c := newCache(nil, func() time.Time { return testNow }, Limits{})
	ctx, cancel := context.WithTimeout(t.Context(), time.Hour)
	want, _ := ctx.Deadline()
	cancel() // the asker is gone before the load runs
	v, err := c.get(ctx, "k", func(lctx context.Context) (any, error) {
		got, ok := lctx.Deadline()
		if !ok || !got.Equal(want) {
			return nil, fmt.Errorf("load deadline = %v, %v; want %v", got, ok, want)
		}
		return "loaded", lctx.Err()
	})
	if err != nil || v != "loaded" {
		t.Errorf("get = %v, %v; want the load to run to the end", v, err)
	}
}

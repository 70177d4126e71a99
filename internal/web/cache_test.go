package web

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/grunnlag/grunnlag/internal/analysis/analysistest"
)

// TestCachePanicReleasesKey: a load that panics must not leave its key
// loading forever; the next get loads again.
func TestCachePanicReleasesKey(t *testing.T) {
	c := newCache(nil, func() time.Time { return testNow })
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
	c := newCache(nil, func() time.Time { return testNow })
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

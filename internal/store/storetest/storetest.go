// Package storetest is the test suite every store.Store implementation
// passes, in the manner of testing/fstest: the SQLite and the PostgreSQL
// store call Run from their own tests, so both behave the same, RunCopy to
// test store.Copy between them, and RunTwoHandles with two stores open on
// one database. Bench measures saving a large table.
//
// The suite builds its data by hand; every dataset here is constructed for
// the tests and shows no real figures.
package storetest

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/grunnlag/grunnlag/internal/fault"
	"github.com/grunnlag/grunnlag/internal/store"
)

// Run runs the suite. open must return a new, empty store each time it is
// called; the suite closes it when the subtest ends.
//
// Times are compared to the microsecond, the finest precision every store
// keeps.
func Run(t *testing.T, open func(t *testing.T) store.Archive) {
	tests := []struct {
		name string
		run  func(t *testing.T, s store.Archive)
	}{
		{"SchemaVersion", testSchemaVersion},
		{"Empty", testEmpty},
		{"ManyCells", testManyCells},
		{"BlanketStatus", testBlanketStatus},
		{"RoundTrip", testRoundTrip},
		{"NewestFirst", testNewestFirst},
		{"Unchanged", testUnchanged},
		{"ChangedBack", testChangedBack},
		{"SHA256", testSHA256},
		{"NotFound", testNotFound},
		{"Invalid", testInvalid},
		{"Tables", testTables},
		{"SyncAttempts", testSyncAttempts},
		{"Cancelled", testCancelled},
		{"ConcurrentReaders", testConcurrentReaders},
		{"ConcurrentWriters", testConcurrentWriters},
		{"ConcurrentMixed", testConcurrentMixed},
		{"SnapshotAsOf", testSnapshotAsOf},
		{"LatestDimensions", testLatestDimensions},
		{"Catalog", testCatalog},
		{"CatalogRefused", testCatalogRefused},
		{"CatalogConcurrent", testCatalogConcurrent},
		{"CatalogReindexed", testCatalogReindexed},
		{"Search", testSearch},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.run(t, opened(t, open)) })
	}
}

// opened returns a store from open that is closed when the test ends.
func opened(t *testing.T, open func(t *testing.T) store.Archive) store.Archive {
	t.Helper()
	s := open(t)
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("Close() = %v, want nil", err)
		}
	})
	return s
}

// cutPoints returns where to cut off work that asks for a context's Done
// total times: after 1, 2, 4, ... calls (the start of the work), then after
// every twentieth of total.
func cutPoints(total int) []int {
	var cuts []int
	for n := 1; n < total/20; n *= 2 {
		cuts = append(cuts, n)
	}
	for k := 1; k < 20; k++ {
		cuts = append(cuts, total*k/20)
	}
	return cuts
}

// save stores s and fails the test unless the store reports want for added.
func save(t *testing.T, st store.Archive, s *store.Snapshot, want bool) {
	t.Helper()
	added, err := st.SaveSnapshot(context.Background(), s)
	if err != nil {
		t.Fatalf("SaveSnapshot(%s) = %v, want nil error", s.TableID, err)
	}
	if added != want {
		t.Fatalf("SaveSnapshot(%s) added = %v, want %v", s.TableID, added, want)
	}
	if s.ID == 0 {
		t.Fatalf("SaveSnapshot(%s) left ID 0", s.TableID)
	}
}

// wantKind fails the test unless err has kind k.
func wantKind(t *testing.T, call string, err error, k fault.Kind) {
	t.Helper()
	if err == nil {
		t.Errorf("%s = nil error, want kind %v", call, k)
		return
	}
	if got := fault.KindOf(err); got != k {
		t.Errorf("%s = %v (kind %v), want kind %v", call, err, got, k)
	}
}

// state is what a reader can see of one table; the suite checks that a
// failed or concurrent save leaves it unchanged or changes it whole.
type state struct {
	Versions []store.SnapshotInfo
	Latest   *store.Snapshot
}

func tableState(t *testing.T, st store.Archive, tableID string) state {
	t.Helper()
	ctx := context.Background()
	var s state
	var err error
	if s.Versions, err = st.Snapshots(ctx, tableID); err != nil {
		t.Fatalf("Snapshots(%q) = %v", tableID, err)
	}
	if s.Latest, err = st.LatestSnapshot(ctx, tableID); err != nil && !fault.Is(err, fault.NotFound) {
		t.Fatalf("LatestSnapshot(%q) = %v", tableID, err)
	}
	return s
}

func sameState(t *testing.T, what string, want, got state) {
	t.Helper()
	if diff := cmp.Diff(want.Versions, got.Versions); diff != "" {
		t.Errorf("%s: versions changed (-want +got):\n%s", what, diff)
	}
	if diff := diffSnapshot(want.Latest, got.Latest); diff != "" {
		t.Errorf("%s: latest snapshot changed (-want +got):\n%s", what, diff)
	}
}

// isContextErr reports whether err says the context ended.
func isContextErr(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}

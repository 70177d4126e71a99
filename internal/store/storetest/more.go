package storetest

import (
	"context"
	"fmt"
	"math"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/grunnlag/grunnlag/internal/store"
)

// testEmpty asks a new store for every list: each is empty, not an error
// and not nil, so callers need no special case.
func testEmpty(t *testing.T, st store.Archive) {
	ctx := context.Background()
	lists := []struct {
		call string
		run  func() (int, bool, error) // length, nil, error
	}{
		{"Tables()", func() (int, bool, error) { l, err := st.Tables(ctx); return len(l), l == nil, err }},
		{`Snapshots("12041")`, func() (int, bool, error) { l, err := st.Snapshots(ctx, "12041"); return len(l), l == nil, err }},
		{`SyncAttempts("12041", 0)`, func() (int, bool, error) {
			l, err := st.SyncAttempts(ctx, "12041", 0)
			return len(l), l == nil, err
		}},
		{`SyncAttempts("12041", 5)`, func() (int, bool, error) {
			l, err := st.SyncAttempts(ctx, "12041", 5)
			return len(l), l == nil, err
		}},
		{"AllSyncAttempts()", func() (int, bool, error) { l, err := st.AllSyncAttempts(ctx); return len(l), l == nil, err }},
		{`CatalogEntries("")`, func() (int, bool, error) { l, err := st.CatalogEntries(ctx, ""); return len(l), l == nil, err }},
		{`SearchCatalog("patch", 10)`, func() (int, bool, error) {
			l, err := st.SearchCatalog(ctx, "patch", 10)
			return len(l), l == nil, err
		}},
	}
	for _, tt := range lists {
		n, isNil, err := tt.run()
		if err != nil || n != 0 || isNil {
			t.Errorf("%s on an empty store = %d items (nil %v), %v; want an empty list, nil", tt.call, n, isNil, err)
		}
	}
	// A table with a snapshot but no attempts, and one with attempts but no
	// snapshot, give empty lists too.
	save(t, st, version("12041", 1), true)
	if l, err := st.SyncAttempts(ctx, "12041", 0); err != nil || l == nil || len(l) != 0 {
		t.Errorf("SyncAttempts(12041) with a snapshot and no attempts = %v, %v; want an empty list", l, err)
	}
	a := store.SyncAttempt{TableID: "05810", StartedAt: fetchedAt(1), FinishedAt: fetchedAt(2), Outcome: store.Failed, Error: "constructed failure"}
	if err := st.RecordSync(ctx, a); err != nil {
		t.Fatalf("RecordSync() = %v", err)
	}
	if l, err := st.Snapshots(ctx, "05810"); err != nil || l == nil || len(l) != 0 {
		t.Errorf("Snapshots(05810) with attempts and no snapshot = %v, %v; want an empty list", l, err)
	}
}

// testManyCells round-trips a snapshot large enough that the bulk writes
// and reads of the dialects (multi-row INSERTs in batches, COPY, binary
// reads) cross their batch sizes, with thousands of categories, texts and
// statuses on missing and present cells.
func testManyCells(t *testing.T, st store.Archive) {
	ctx := context.Background()
	s := grid("13615", []int{3, 7, 1201, 3}, "many") // 75 663 cells, 1 214 categories
	s.Data.Text = map[int]string{0: "første", 1000: "midt i", s.Cells() - 1: "siste"}
	save(t, st, s, true)
	got, err := st.Snapshot(ctx, s.ID)
	if err != nil {
		t.Fatalf("Snapshot(%d) = %v", s.ID, err)
	}
	want := stored(s)
	if diff := diffSnapshot(want, got); diff != "" {
		t.Errorf("Snapshot(%d) of %d cells mismatch (-want +got):\n%s", s.ID, s.Cells(), diff)
	}
}

// testCatalogReindexed replaces the pack with another and searches: the
// search index holds the new entries only, so words of the old pack's
// dropped entries find nothing and the new ones are found.
func testCatalogReindexed(t *testing.T, st store.Archive) {
	replaceCatalog(t, st, constructedCatalog(), true)
	if hits := search(t, st, "beredskapsøvelse"); len(hits) != 1 {
		t.Fatalf(`SearchCatalog("beredskapsøvelse") = %v, want the one activity`, hits)
	}
	replaceCatalog(t, st, otherCatalog(), true)
	tests := []struct {
		query string
		want  []string
	}{
		{"beredskapsøvelse", nil},                    // only in a dropped entry
		{"sikkerhetspatcher", nil},                   // only in the changed entry's old text
		{"oppdateringer", []string{"patch-rutiner"}}, // in its new text
		{"hendelseshåndtering", []string{"kompetanse"}},
	}
	for _, tt := range tests {
		if got := search(t, st, tt.query); strings.Join(got, ",") != strings.Join(tt.want, ",") {
			t.Errorf("after replacing the pack, SearchCatalog(%q) = %v, want %v", tt.query, got, tt.want)
		}
	}
}

// search returns the ids of the hits of query.
func search(t *testing.T, st store.Archive, query string) []string {
	t.Helper()
	hits, err := st.SearchCatalog(context.Background(), query, 0)
	if err != nil {
		t.Fatalf("SearchCatalog(%q) = %v", query, err)
	}
	var ids []string
	for _, h := range hits {
		ids = append(ids, h.Entry.ID)
	}
	return ids
}

// testConcurrentMixed runs every kind of write at once, as a server that
// syncs while an analyst loads a pack would: snapshots of several tables,
// sync attempts and catalog loads. Each must succeed (writers wait for each
// other, none fails with a busy or lock error) and all must be stored.
func testConcurrentMixed(t *testing.T, st store.Archive) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	const rounds = 8
	var wg sync.WaitGroup
	errs := make(chan error, 4*rounds)
	for r := range rounds {
		wg.Add(3)
		go func() {
			defer wg.Done()
			s := large(fmt.Sprintf("T%02d", r), 2_000, "mixed")
			if _, err := st.SaveSnapshot(ctx, s); err != nil {
				errs <- fmt.Errorf("SaveSnapshot(T%02d) = %w", r, err)
			}
		}()
		go func() {
			defer wg.Done()
			a := store.SyncAttempt{TableID: fmt.Sprintf("T%02d", r), StartedAt: fetchedAt(r), FinishedAt: fetchedAt(r + 1),
				Outcome: store.Failed, Error: "constructed failure"}
			if err := st.RecordSync(ctx, a); err != nil {
				errs <- fmt.Errorf("RecordSync(T%02d) = %w", r, err)
			}
		}()
		go func() {
			defer wg.Done()
			load := constructedCatalog()
			if r%2 == 1 {
				load = otherCatalog()
			}
			if _, err := st.ReplaceCatalog(ctx, load); err != nil {
				errs <- fmt.Errorf("ReplaceCatalog() = %w", err)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	tables, err := st.Tables(ctx)
	if err != nil || len(tables) != rounds {
		t.Errorf("Tables() after concurrent writes = %d, %v, want %d", len(tables), err, rounds)
	}
	attempts, err := st.AllSyncAttempts(ctx)
	if err != nil || len(attempts) != rounds {
		t.Errorf("AllSyncAttempts() after concurrent writes = %d, %v, want %d", len(attempts), err, rounds)
	}
	info, err := st.CatalogInfo(ctx)
	if err != nil {
		t.Fatalf("CatalogInfo() = %v", err)
	}
	if a, b := constructedCatalog(), otherCatalog(); info.Digest != a.Digest && info.Digest != b.Digest {
		t.Errorf("CatalogInfo().Digest = %s, want one of the loads'", info.Digest)
	}
	entries, err := st.CatalogEntries(ctx, "")
	if err != nil {
		t.Fatalf("CatalogEntries() = %v", err)
	}
	want := len(constructedCatalog().Entries)
	if info.Digest == otherCatalog().Digest {
		want = len(otherCatalog().Entries)
	}
	if len(entries) != want || info.Entries != want {
		t.Errorf("after concurrent loads: %d entries (info says %d), want %d: the entries of the load the info names", len(entries), info.Entries, want)
	}
}

// RunCoordination checks leases and the change counter through two stores
// open on one database, as two servers would.
func RunCoordination(t *testing.T, a, b interface {
	store.Coordination
	store.Archive
}) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	now := fetchedAt(1)
	if ok, err := a.TryLease(ctx, "sync", "server-a", time.Minute, now); err != nil || !ok {
		t.Fatalf("TryLease(a) = %v, %v, want it", ok, err)
	}
	if ok, err := b.TryLease(ctx, "sync", "server-b", time.Minute, now); err != nil || ok {
		t.Errorf("TryLease(b) while a holds it = %v, %v, want not", ok, err)
	}
	if ok, _ := a.TryLease(ctx, "sync", "server-a", time.Minute, now.Add(30*time.Second)); !ok {
		t.Errorf("TryLease(a) again, to extend = false, want true")
	}
	if ok, _ := b.TryLease(ctx, "sync", "server-b", time.Minute, now.Add(2*time.Minute)); !ok {
		t.Errorf("TryLease(b) after a's lease expired = false, want true")
	}
	if err := b.ReleaseLease(ctx, "sync", "server-b"); err != nil {
		t.Fatal(err)
	}
	if ok, _ := a.TryLease(ctx, "sync", "server-a", time.Minute, now.Add(2*time.Minute)); !ok {
		t.Errorf("TryLease(a) after b released it = false, want true")
	}

	// A write through a is seen through b within two seconds.
	changes := b.Changes(ctx)
	first := <-changes
	save(t, a, version("12041", 1), true)
	select {
	case n := <-changes:
		if n <= first {
			t.Errorf("change counter after a save = %d, want above %d", n, first)
		}
	case <-time.After(2 * time.Second):
		t.Errorf("a save through one store was not seen through the other within 2 s")
	}
	// An unchanged save changes nothing pages show.
	save(t, a, version("12041", 1), false)
	select {
	case n := <-changes:
		t.Errorf("an unchanged save raised the counter to %d", n)
	case <-time.After(3 * pollInterval):
	}
}

// pollInterval is a little more than how often SQLite's counter is read.
const pollInterval = 600 * time.Millisecond

// testBlanketStatus stores a sparse snapshot whose every cell has one
// status, given once: it is kept once (no row per cell) and read back the
// same.
func testBlanketStatus(t *testing.T, st store.Archive) {
	ctx := context.Background()
	s := grid("13615", []int{2, 3, 1000, 2}, "blanket")
	n := s.Cells()
	for i := range s.Data.Values {
		if i%500 != 0 {
			s.Data.Values[i] = math.NaN()
		}
	}
	s.Data.Status = map[int]string{7: "r"}
	s.Data.StatusAll = ".."
	save(t, st, s, true)
	got, err := st.Snapshot(ctx, s.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Data.StatusAll != ".." || got.Data.CellStatus(7) != "r" || got.Data.CellStatus(8) != ".." || got.Cells() != n {
		t.Errorf("blanket status read back: all %q, cell 7 %q, cell 8 %q, %d cells", got.Data.StatusAll, got.Data.CellStatus(7), got.Data.CellStatus(8), got.Cells())
	}
	if len(got.Data.Status) != 1 {
		t.Errorf("the blanket status came back as %d per-cell entries, want the one cell's own", len(got.Data.Status))
	}
}

package storetest

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/grunnlag/grunnlag/internal/fault"
	"github.com/grunnlag/grunnlag/internal/store"
)

// RunCopy tests store.Copy from stores that open returns to stores that
// openTo returns (each call a new, empty store; the test closes them): a
// copy holds everything the source holds, running it again adds nothing, a
// copy cut off midway completes when run again, and a destination that has
// other versions of a table is refused.
func RunCopy(t *testing.T, open, openTo func(t *testing.T) store.Archive) {
	ctx := context.Background()

	t.Run("Whole", func(t *testing.T) {
		from, to := opened(t, open), opened(t, openTo)
		want := fillForCopy(t, from)
		var calls [][2]int
		got, err := store.Copy(ctx, from, to, func(done, total int) { calls = append(calls, [2]int{done, total}) })
		if err != nil {
			t.Fatalf("Copy() = %v", err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("Copy() stats mismatch (-want +got):\n%s", diff)
		}
		total := want.Snapshots
		if len(calls) != total+1 || calls[0] != [2]int{0, total} || calls[total] != [2]int{total, total} {
			t.Errorf("Copy() progress calls = %v, want 0 to %d of %d", calls, total, total)
		}
		sameStores(t, from, to)

		again, err := store.Copy(ctx, from, to, nil)
		if err != nil {
			t.Fatalf("Copy() again = %v", err)
		}
		wantAgain := store.CopyStats{Tables: want.Tables, Skipped: want.Snapshots}
		if diff := cmp.Diff(wantAgain, again); diff != "" {
			t.Errorf("Copy() again stats mismatch (-want +got):\n%s", diff)
		}
		sameStores(t, from, to)
	})

	t.Run("Resumed", func(t *testing.T) {
		from, to := opened(t, open), opened(t, openTo)
		want := fillForCopy(t, from)
		cut, cancel := context.WithCancel(ctx)
		defer cancel()
		_, err := store.Copy(cut, from, to, func(done, total int) {
			if done == 3 {
				cancel()
			}
		})
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("Copy(cancelled after 3 snapshots) = %v, want context.Canceled", err)
		}
		got, err := store.Copy(ctx, from, to, nil)
		if err != nil {
			t.Fatalf("Copy() after a cut-off copy = %v", err)
		}
		if got.Snapshots+got.Skipped != want.Snapshots || got.Skipped < 3 {
			t.Errorf("Copy() after a cut-off copy = %+v, want %d snapshots, at least 3 skipped", got, want.Snapshots)
		}
		sameStores(t, from, to)
	})

	t.Run("Conflict", func(t *testing.T) {
		from, to := opened(t, open), opened(t, openTo)
		fillForCopy(t, from)
		save(t, to, version("12041", 9), true)
		_, err := store.Copy(ctx, from, to, nil)
		wantKind(t, "Copy(destination with other versions)", err, fault.Conflict)
		tables, terr := to.Tables(ctx)
		if terr != nil || len(tables) != 1 || tables[0].Snapshots != 1 {
			t.Errorf("after a refused copy: Tables() = %v, %v, want the one table with its one snapshot", tables, terr)
		}
	})
}

// fillForCopy stores constructed data of every kind in st and returns what
// copying it into an empty store does.
func fillForCopy(t *testing.T, st store.Archive) store.CopyStats {
	t.Helper()
	ctx := context.Background()
	// Table 12041 changes back and forth (A, B, A); 09654 has every
	// feature; 05810 has no raw bodies; rt-large is large.
	noRaw := version("05810", 1)
	noRaw.Raw = nil
	snaps := []*store.Snapshot{
		version("12041", 1), fullSnapshot("09654"), version("12041", 2), noRaw,
		large("rt-large", 20_000, "copy"), version("12041", 1),
	}
	cells := 0
	for _, s := range snaps {
		save(t, st, s, true)
		cells += s.Cells()
	}
	at := func(minutes int) time.Time { return fetchedAt(minutes) }
	attempts := []store.SyncAttempt{
		{TableID: "12041", StartedAt: at(1), FinishedAt: at(2), Outcome: store.Added, SnapshotID: snaps[0].ID},
		{TableID: "12041", StartedAt: at(3), FinishedAt: at(3).Add(time.Millisecond), Outcome: store.Unchanged, SnapshotID: snaps[0].ID},
		{TableID: "13615", StartedAt: at(4), FinishedAt: at(5), Outcome: store.Failed, Error: "pxweb: 404 – fant ikke tabellen"},
		{TableID: "12041", StartedAt: at(6), FinishedAt: at(7), Outcome: store.Added, SnapshotID: snaps[5].ID},
		// The same attempt twice: a copy keeps both.
		{TableID: "13615", StartedAt: at(8), FinishedAt: at(9), Outcome: store.Failed, Error: "timeout"},
		{TableID: "13615", StartedAt: at(8), FinishedAt: at(9), Outcome: store.Failed, Error: "timeout"},
	}
	for _, a := range attempts {
		if err := st.RecordSync(ctx, a); err != nil {
			t.Fatalf("RecordSync() = %v", err)
		}
	}
	load := constructedCatalog()
	replaceCatalog(t, st, load, true)
	return store.CopyStats{
		Tables: 4, Snapshots: len(snaps), Cells: cells,
		SyncAttempts: len(attempts), CatalogEntries: len(load.Entries),
	}
}

// sameStores compares everything two stores hold, through the Store
// methods. Snapshot ids may differ; they are matched by position in each
// table's list of versions.
func sameStores(t *testing.T, a, b store.Archive) {
	t.Helper()
	ctx := context.Background()
	ta, err := a.Tables(ctx)
	if err != nil {
		t.Fatalf("Tables() of the source = %v", err)
	}
	tb, err := b.Tables(ctx)
	if err != nil {
		t.Fatalf("Tables() of the copy = %v", err)
	}
	noIDs := func(list []store.TableSummary) []store.TableSummary {
		out := slices.Clone(list)
		for i := range out {
			out[i].Latest.ID = 0
		}
		return out
	}
	if diff := cmp.Diff(noIDs(ta), noIDs(tb)); diff != "" {
		t.Errorf("Tables() of the copy mismatch (-source +copy):\n%s", diff)
	}

	ids := map[int64]int64{} // source id → copy id
	for _, tbl := range ta {
		va, err := a.Snapshots(ctx, tbl.Latest.TableID)
		if err != nil {
			t.Fatalf("Snapshots(%s) of the source = %v", tbl.Latest.TableID, err)
		}
		vb, err := b.Snapshots(ctx, tbl.Latest.TableID)
		if err != nil {
			t.Errorf("Snapshots(%s) of the copy = %v", tbl.Latest.TableID, err)
			continue
		}
		if len(va) != len(vb) {
			t.Errorf("table %s: %d versions in the copy, want %d", tbl.Latest.TableID, len(vb), len(va))
			continue
		}
		for i := range va {
			ids[va[i].ID] = vb[i].ID
			sa, err := a.Snapshot(ctx, va[i].ID)
			if err != nil {
				t.Fatalf("Snapshot(%d) of the source = %v", va[i].ID, err)
			}
			sb, err := b.Snapshot(ctx, vb[i].ID)
			if err != nil {
				t.Fatalf("Snapshot(%d) of the copy = %v", vb[i].ID, err)
			}
			sb.ID = sa.ID
			if diff := diffSnapshot(sa, sb); diff != "" {
				t.Errorf("table %s version %d: copy mismatch (-source +copy):\n%s", tbl.Latest.TableID, len(va)-i, diff)
			}
			ra, err := a.SnapshotRaw(ctx, va[i].ID)
			if err != nil {
				t.Fatalf("SnapshotRaw(%d) of the source = %v", va[i].ID, err)
			}
			rb, err := b.SnapshotRaw(ctx, vb[i].ID)
			if err != nil || !sameRaw(ra, rb) {
				t.Errorf("table %s version %d: raw bodies of the copy = %v bytes, %v, want %v", tbl.Latest.TableID, len(va)-i, lens(rb), err, lens(ra))
			}
		}
	}

	aa, err := a.AllSyncAttempts(ctx)
	if err != nil {
		t.Fatalf("AllSyncAttempts() of the source = %v", err)
	}
	ab, err := b.AllSyncAttempts(ctx)
	if err != nil {
		t.Fatalf("AllSyncAttempts() of the copy = %v", err)
	}
	for i := range aa {
		if aa[i].SnapshotID != 0 {
			aa[i].SnapshotID = ids[aa[i].SnapshotID]
		}
	}
	if diff := cmp.Diff(aa, ab); diff != "" {
		t.Errorf("AllSyncAttempts() of the copy mismatch (-source, ids mapped +copy):\n%s", diff)
	}

	ca, cb := viewCatalog(t, a), viewCatalog(t, b)
	sameCatalog(t, "the copy's knowledge pack", ca, cb)
}

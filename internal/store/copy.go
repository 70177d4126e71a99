package store

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/grunnlag/grunnlag/internal/fault"
)

// CopyStats counts what Copy did.
type CopyStats struct {
	Tables         int // tables of the source
	Snapshots      int // snapshots stored in the destination
	Skipped        int // snapshots the destination had already
	Cells          int // cells of the snapshots stored
	SyncAttempts   int // attempts recorded in the destination
	CatalogEntries int // entries of the knowledge pack stored; 0 when the destination had it
}

// Copy copies everything from one store to another through the Store
// methods alone, so it moves a deployment between any two backends (SQLite
// to PostgreSQL, say): every snapshot of every table, oldest first, with its
// raw bodies, data and provenance; every sync attempt, its snapshot id
// changed to the snapshot's id in the destination; and the knowledge pack.
//
// Copy can be run again, after a failure or to catch up: what the
// destination has already (snapshots by SHA-256 and fetch time, attempts by
// value, the pack by digest) is not copied twice. A destination whose
// snapshots of a table are not the first snapshots of that table in the
// source is refused (fault.Conflict) before anything is written: copying
// older versions after newer ones would make them the newest. Times are
// compared to the microsecond, the precision every store keeps.
//
// progress, when not nil, is called with the number of snapshots done and
// the total, first with 0.
func Copy(ctx context.Context, from, to Archive, progress func(done, total int)) (CopyStats, error) {
	var st CopyStats
	if progress == nil {
		progress = func(int, int) {}
	}
	tables, err := from.Tables(ctx)
	if err != nil {
		return st, fmt.Errorf("copy: %w", err)
	}
	st.Tables = len(tables)
	plans := make([]copyPlan, 0, len(tables))
	total := 0
	for _, tbl := range tables {
		p, err := planTable(ctx, from, to, tbl.Latest.TableID)
		if err != nil {
			return st, fmt.Errorf("copy table %s: %w", tbl.Latest.TableID, err)
		}
		plans = append(plans, p)
		total += len(p.source)
	}

	// ids maps a snapshot id of the source to its id in the destination.
	ids := map[int64]int64{}
	done := 0
	progress(done, total)
	for _, p := range plans {
		for i, in := range p.source {
			if i < len(p.present) {
				ids[in.ID] = p.present[i].ID
				st.Skipped++
			} else {
				id, added, err := copySnapshot(ctx, from, to, in.ID)
				if err != nil {
					return st, fmt.Errorf("copy table %s: %w", p.tableID, err)
				}
				ids[in.ID] = id
				if added {
					st.Snapshots++
					st.Cells += in.Cells
				} else {
					st.Skipped++
				}
			}
			done++
			progress(done, total)
		}
	}

	if st.SyncAttempts, err = copyAttempts(ctx, from, to, ids); err != nil {
		return st, fmt.Errorf("copy sync attempts: %w", err)
	}
	if st.CatalogEntries, err = copyCatalog(ctx, from, to); err != nil {
		return st, fmt.Errorf("copy knowledge pack: %w", err)
	}
	return st, nil
}

// copyPlan is what Copy does with one table: the source's versions, oldest
// first, of which the destination has the first len(present).
type copyPlan struct {
	tableID string
	source  []SnapshotInfo
	present []SnapshotInfo
}

func planTable(ctx context.Context, from, to Archive, tableID string) (copyPlan, error) {
	p := copyPlan{tableID: tableID}
	var err error
	if p.source, err = from.Snapshots(ctx, tableID); err != nil {
		return p, err
	}
	if p.present, err = to.Snapshots(ctx, tableID); err != nil {
		return p, err
	}
	slices.Reverse(p.source)
	slices.Reverse(p.present)
	for i, d := range p.present {
		if i >= len(p.source) || !sameVersion(p.source[i], d) {
			return p, fault.Errorf(fault.Conflict,
				"the destination's snapshot %d (sha256 %.12s…, fetched %s) is not the source's version %d; copy into an empty store",
				d.ID, d.SHA256, d.FetchedAt.UTC().Format(time.RFC3339Nano), i+1)
		}
	}
	return p, nil
}

// sameVersion reports whether two stored snapshots are the same version of
// a table: the same bodies, fetched at the same time.
func sameVersion(a, b SnapshotInfo) bool {
	return a.SHA256 == b.SHA256 && micro(a.FetchedAt).Equal(micro(b.FetchedAt))
}

func micro(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// copySnapshot copies one snapshot with its raw bodies and returns its id
// in the destination.
func copySnapshot(ctx context.Context, from, to Archive, id int64) (int64, bool, error) {
	s, err := from.Snapshot(ctx, id)
	if err != nil {
		return 0, false, err
	}
	if s.Raw, err = from.SnapshotRaw(ctx, id); err != nil {
		return 0, false, err
	}
	s.ID = 0
	added, err := to.SaveSnapshot(ctx, s)
	if err != nil {
		return 0, false, fmt.Errorf("snapshot %d: %w", id, err)
	}
	return s.ID, added, nil
}

// attemptKey identifies a sync attempt by value, times to the microsecond.
type attemptKey struct {
	tableID           string
	started, finished time.Time
	outcome           Outcome
	snapshotID        int64
	err               string
}

func keyOf(a SyncAttempt) attemptKey {
	return attemptKey{a.TableID, micro(a.StartedAt), micro(a.FinishedAt), a.Outcome, a.SnapshotID, a.Error}
}

// copyAttempts records the source's attempts the destination lacks, in the
// source's order, with snapshot ids mapped by ids.
func copyAttempts(ctx context.Context, from, to Archive, ids map[int64]int64) (int, error) {
	src, err := from.AllSyncAttempts(ctx)
	if err != nil {
		return 0, err
	}
	dst, err := to.AllSyncAttempts(ctx)
	if err != nil {
		return 0, err
	}
	have := map[attemptKey]int{}
	for _, a := range dst {
		have[keyOf(a)]++
	}
	n := 0
	for _, a := range src {
		if a.SnapshotID != 0 {
			a.SnapshotID = ids[a.SnapshotID] // 0 if the snapshot is gone
		}
		k := keyOf(a)
		if have[k] > 0 {
			have[k]--
			continue
		}
		if err := to.RecordSync(ctx, a); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// copyCatalog stores the source's knowledge pack in the destination and
// returns the number of entries stored: 0 when the source has none or the
// destination has it already.
func copyCatalog(ctx context.Context, from, to Store) (int, error) {
	info, err := from.CatalogInfo(ctx)
	if fault.Is(err, fault.NotFound) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	entries, err := from.CatalogEntries(ctx, "")
	if err != nil {
		return 0, err
	}
	replaced, err := to.ReplaceCatalog(ctx, CatalogLoad{
		Digest: info.Digest, Packs: info.Packs, LoadedAt: info.LoadedAt, Entries: entries,
	})
	if err != nil || !replaced {
		return 0, err
	}
	return len(entries), nil
}

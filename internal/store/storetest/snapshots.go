package storetest

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/grunnlag/grunnlag/internal/fault"
	"github.com/grunnlag/grunnlag/internal/jsonstat"
	"github.com/grunnlag/grunnlag/internal/store"
)

func testSchemaVersion(t *testing.T, st store.Archive) {
	v, err := st.SchemaVersion(context.Background())
	if err != nil || v < 1 {
		t.Errorf("SchemaVersion() = %d, %v, want at least 1, nil", v, err)
	}
}

func testRoundTrip(t *testing.T, st store.Archive) {
	ctx := context.Background()
	tests := []struct {
		name string
		snap func() *store.Snapshot
	}{
		{"all features", func() *store.Snapshot { return fullSnapshot("rt-full") }},
		{"metadata only", func() *store.Snapshot {
			s := version("rt-meta", 1)
			s.Data.Values = nil
			return s
		}},
		{"no dimensions", func() *store.Snapshot {
			s := version("rt-scalar", 1)
			s.Data.Dimensions = nil
			s.Data.Values = []float64{42.5}
			s.Data.Status = map[int]string{0: "p"}
			return s
		}},
		{"all cells missing", func() *store.Snapshot {
			s := version("rt-missing", 1)
			s.Data.Values = []float64{math.NaN(), math.NaN()}
			return s
		}},
		{"text without values", func() *store.Snapshot {
			s := version("rt-text", 1)
			s.Data.Values = nil
			s.Data.Text = map[int]string{1: "bare tekst"}
			return s
		}},
		{"dimension without categories", func() *store.Snapshot {
			s := version("rt-empty", 1)
			s.Data.Dimensions[1].Categories = nil
			s.Data.Values = []float64{}
			return s
		}},
		{"no raw bodies", func() *store.Snapshot {
			s := version("rt-noraw", 1)
			s.Raw = nil
			return s
		}},
		{"large", func() *store.Snapshot { return large("rt-large", 20_000, "rt") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := tt.snap()
			raw := s.Raw
			save(t, st, s, true)
			want := stored(s)

			got, err := st.LatestSnapshot(ctx, s.TableID)
			if err != nil {
				t.Fatalf("LatestSnapshot(%q) = %v", s.TableID, err)
			}
			if diff := diffSnapshot(want, got); diff != "" {
				t.Errorf("LatestSnapshot(%q) mismatch (-want +got):\n%s", s.TableID, diff)
			}
			if loc := got.FetchedAt.Location(); loc != time.UTC {
				t.Errorf("LatestSnapshot(%q).FetchedAt in %v, want UTC", s.TableID, loc)
			}

			got, err = st.Snapshot(ctx, s.ID)
			if err != nil {
				t.Fatalf("Snapshot(%d) = %v", s.ID, err)
			}
			if diff := diffSnapshot(want, got); diff != "" {
				t.Errorf("Snapshot(%d) mismatch (-want +got):\n%s", s.ID, diff)
			}

			gotRaw, err := st.SnapshotRaw(ctx, s.ID)
			if err != nil {
				t.Fatalf("SnapshotRaw(%d) = %v", s.ID, err)
			}
			if !sameRaw(raw, gotRaw) {
				t.Errorf("SnapshotRaw(%d) = %d bodies of %v bytes, want %d of %v", s.ID, len(gotRaw), lens(gotRaw), len(raw), lens(raw))
			}

			versions, err := st.Snapshots(ctx, s.TableID)
			if err != nil {
				t.Fatalf("Snapshots(%q) = %v", s.TableID, err)
			}
			if diff := cmp.Diff([]store.SnapshotInfo{info(s)}, versions); diff != "" {
				t.Errorf("Snapshots(%q) mismatch (-want +got):\n%s", s.TableID, diff)
			}
		})
	}
}

func testNewestFirst(t *testing.T, st store.Archive) {
	ctx := context.Background()
	var saved []*store.Snapshot
	for v := 1; v <= 3; v++ {
		s := version("12041", v)
		save(t, st, s, true)
		if len(saved) > 0 && s.ID <= saved[len(saved)-1].ID {
			t.Errorf("SaveSnapshot(v%d) ID = %d, want above %d", v, s.ID, saved[len(saved)-1].ID)
		}
		saved = append(saved, s)
	}
	want := []store.SnapshotInfo{info(saved[2]), info(saved[1]), info(saved[0])}
	got, err := st.Snapshots(ctx, "12041")
	if err != nil {
		t.Fatalf("Snapshots(12041) = %v", err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Snapshots(12041) mismatch (-want +got):\n%s", diff)
	}
	latest, err := st.LatestSnapshot(ctx, "12041")
	if err != nil {
		t.Fatalf("LatestSnapshot(12041) = %v", err)
	}
	if diff := diffSnapshot(stored(saved[2]), latest); diff != "" {
		t.Errorf("LatestSnapshot(12041) mismatch (-want +got):\n%s", diff)
	}
	// Older versions stay readable.
	old, err := st.Snapshot(ctx, saved[0].ID)
	if err != nil {
		t.Fatalf("Snapshot(%d) = %v", saved[0].ID, err)
	}
	if diff := diffSnapshot(stored(saved[0]), old); diff != "" {
		t.Errorf("Snapshot(%d) mismatch (-want +got):\n%s", saved[0].ID, diff)
	}
}

// testLatestDimensions reads the newest version of a table without its
// cells: its dimensions and categories as stored, no values.
func testLatestDimensions(t *testing.T, st store.Archive) {
	ctx := context.Background()
	if _, err := st.LatestDimensions(ctx, "12041"); !fault.Is(err, fault.NotFound) {
		t.Errorf("LatestDimensions(no table) = %v, want fault.NotFound", err)
	}
	save(t, st, version("12041", 1), true)
	newest := version("12041", 2)
	newest.Data.Dimensions[1].Label = "år (endret)"
	save(t, st, newest, true)
	got, err := st.LatestDimensions(ctx, "12041")
	if err != nil {
		t.Fatalf("LatestDimensions(12041) = %v", err)
	}
	if got.ID != newest.ID || got.Data.Values != nil || got.Data.Text != nil || got.Data.Status != nil {
		t.Errorf("LatestDimensions(12041) = snapshot %d with %d values, want %d without cells", got.ID, len(got.Data.Values), newest.ID)
	}
	if diff := cmp.Diff(newest.Data.Dimensions, got.Data.Dimensions, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("LatestDimensions(12041) dimensions mismatch (-want +got):\n%s", diff)
	}
}

// testUnchanged saves the same content twice: the second save stores
// nothing and reports the first snapshot.
func testUnchanged(t *testing.T, st store.Archive) {
	first := version("12041", 1)
	save(t, st, first, true)

	again := version("12041", 1)
	again.FetchedAt = fetchedAt(60) // fetched later, same bodies
	save(t, st, again, false)
	if again.ID != first.ID {
		t.Errorf("SaveSnapshot(same content) ID = %d, want %d", again.ID, first.ID)
	}
	sameState(t, "after saving the same content", state{
		Versions: []store.SnapshotInfo{info(first)},
		Latest:   stored(first),
	}, tableState(t, st, "12041"))
}

// testChangedBack saves A, B, A: only the newest snapshot counts, so the
// second A is a new version; a third A is not.
func testChangedBack(t *testing.T, st store.Archive) {
	a1, b, a2 := version("12041", 1), version("12041", 2), version("12041", 1)
	save(t, st, a1, true)
	save(t, st, b, true)
	save(t, st, a2, true)
	if a2.ID == a1.ID || a2.ID <= b.ID {
		t.Errorf("SaveSnapshot(A after B) ID = %d, want a new id above %d", a2.ID, b.ID)
	}
	a3 := version("12041", 1)
	save(t, st, a3, false)
	if a3.ID != a2.ID {
		t.Errorf("SaveSnapshot(A after A) ID = %d, want %d", a3.ID, a2.ID)
	}
	sameState(t, "after A, B, A, A", state{
		Versions: []store.SnapshotInfo{info(a2), info(b), info(a1)},
		Latest:   stored(a2),
	}, tableState(t, st, "12041"))
}

// testSHA256 checks that the store computes an empty SHA256 from the raw
// bodies, so that deduplication works for callers that leave it out.
func testSHA256(t *testing.T, st store.Archive) {
	s := version("12041", 1)
	want := s.SHA256
	s.SHA256 = ""
	save(t, st, s, true)
	if s.SHA256 != want {
		t.Errorf("SaveSnapshot(SHA256 empty) set SHA256 = %q, want %q", s.SHA256, want)
	}
	again := version("12041", 1)
	again.SHA256 = ""
	save(t, st, again, false)
}

func testNotFound(t *testing.T, st store.Archive) {
	ctx := context.Background()
	s := version("12041", 1)
	save(t, st, s, true)
	missing := s.ID + 1000
	tests := []struct {
		call string
		run  func() error
	}{
		{`LatestSnapshot("99999")`, func() error { _, err := st.LatestSnapshot(ctx, "99999"); return err }},
		{`LatestSnapshot("")`, func() error { _, err := st.LatestSnapshot(ctx, ""); return err }},
		{fmt.Sprintf("Snapshot(%d)", missing), func() error { _, err := st.Snapshot(ctx, missing); return err }},
		{"Snapshot(0)", func() error { _, err := st.Snapshot(ctx, 0); return err }},
		{fmt.Sprintf("SnapshotRaw(%d)", missing), func() error { _, err := st.SnapshotRaw(ctx, missing); return err }},
	}
	for _, tt := range tests {
		t.Run(tt.call, func(t *testing.T) {
			wantKind(t, tt.call, tt.run(), fault.NotFound)
		})
	}
}

// testInvalid offers snapshots the store must refuse; each leaves the
// table as it was.
func testInvalid(t *testing.T, st store.Archive) {
	ctx := context.Background()
	save(t, st, version("12041", 1), true)
	before := tableState(t, st, "12041")

	tests := []struct {
		name   string
		change func(s *store.Snapshot)
	}{
		{"no table id", func(s *store.Snapshot) { s.TableID = "" }},
		{"no data", func(s *store.Snapshot) { s.Data = nil }},
		{"more values than cells", func(s *store.Snapshot) { s.Data.Values = append(s.Data.Values, 1) }},
		{"fewer values than cells", func(s *store.Snapshot) { s.Data.Values = s.Data.Values[:1] }},
		{"values for a dimension without categories", func(s *store.Snapshot) { s.Data.Dimensions[1].Categories = nil }},
		{"text outside the cells", func(s *store.Snapshot) { s.Data.Text = map[int]string{2: "x"} }},
		{"status outside the cells", func(s *store.Snapshot) { s.Data.Status = map[int]string{-1: "."} }},
		{"sha256 not of the raw bodies", func(s *store.Snapshot) { s.SHA256 = sum([][]byte{[]byte("other")}) }},
		{"neither raw bodies nor sha256", func(s *store.Snapshot) { s.Raw, s.SHA256 = nil, "" }},
		{"NUL in a label", func(s *store.Snapshot) { s.Data.Dimensions[0].Categories[1].Label = "Ber\x00gen" }},
		{"title not UTF-8", func(s *store.Snapshot) { s.Title = "Tabell \xff" }},
		{"NUL in a cell's text", func(s *store.Snapshot) { s.Data.Text = map[int]string{0: "\x00"} }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := version("12041", 2)
			tt.change(s)
			added, err := st.SaveSnapshot(ctx, s)
			wantKind(t, "SaveSnapshot()", err, fault.Invalid)
			if added || s.ID != 0 {
				t.Errorf("SaveSnapshot() = added %v, ID %d, want false, 0", added, s.ID)
			}
			sameState(t, "after a refused save", before, tableState(t, st, "12041"))
		})
	}
	tables, err := st.Tables(ctx)
	if err != nil || len(tables) != 1 {
		t.Errorf("Tables() = %d tables, %v, want 1, nil", len(tables), err)
	}
}

func testTables(t *testing.T, st store.Archive) {
	ctx := context.Background()
	got, err := st.Tables(ctx)
	if err != nil || len(got) != 0 {
		t.Fatalf("Tables() on an empty store = %v, %v, want none, nil", got, err)
	}
	a1, b, a2, c := version("12041", 1), version("05810", 1), version("12041", 2), fullSnapshot("09654")
	for _, s := range []*store.Snapshot{a1, b, a2, c} {
		save(t, st, s, true)
	}
	want := []store.TableSummary{
		{Latest: info(b), Snapshots: 1},
		{Latest: info(c), Snapshots: 1},
		{Latest: info(a2), Snapshots: 2},
	}
	got, err = st.Tables(ctx)
	if err != nil {
		t.Fatalf("Tables() = %v", err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Tables() mismatch (-want +got):\n%s", diff)
	}
}

// diffSnapshot returns the differences between two snapshots, or "". It
// checks the cells first without cmp, which is slow on many cells.
func diffSnapshot(want, got *store.Snapshot) string {
	if want == nil || got == nil || want.Data == nil || got.Data == nil || !sameData(want.Data, got.Data) {
		return cmp.Diff(want, got, cmpopts.EquateNaNs())
	}
	w, g := *want, *got
	w.Data, g.Data = nil, nil
	return cmp.Diff(w, g)
}

// sameRaw reports whether two lists of bodies are equal; nil and empty are.
func sameRaw(a, b [][]byte) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !bytes.Equal(a[i], b[i]) {
			return false
		}
	}
	return true
}

func lens(raw [][]byte) []int {
	n := make([]int, len(raw))
	for i, b := range raw {
		n[i] = len(b)
	}
	return n
}

// sameData reports whether two datasets are equal, NaN equal to NaN. It is
// faster than cmp on many cells, for checks repeated in a loop.
func sameData(a, b *jsonstat.Dataset) bool {
	if len(a.Values) != len(b.Values) || (a.Values == nil) != (b.Values == nil) {
		return false
	}
	for i, v := range a.Values {
		w := b.Values[i]
		if v != w && !(math.IsNaN(v) && math.IsNaN(w)) {
			return false
		}
	}
	ha, hb := *a, *b
	ha.Values, hb.Values = nil, nil
	return cmp.Equal(ha, hb)
}

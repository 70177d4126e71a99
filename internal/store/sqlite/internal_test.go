package sqlite

import (
	"context"
	"fmt"
	"math"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/grunnlag/grunnlag/internal/jsonstat"
	"github.com/grunnlag/grunnlag/internal/store"
	"github.com/grunnlag/grunnlag/internal/store/internal/backend"
)

// constructedSnapshot returns a snapshot made up for these tests, of
// regions × 10 cells; tag makes its raw body distinct.
func constructedSnapshot(tableID string, regions int, tag string) *store.Snapshot {
	d := &jsonstat.Dataset{Dimensions: []jsonstat.Dimension{
		{ID: "Region", Categories: make([]jsonstat.Category, regions)},
		{ID: "Tid", Categories: make([]jsonstat.Category, 10)},
	}}
	for _, dim := range d.Dimensions {
		for i := range dim.Categories {
			dim.Categories[i] = jsonstat.Category{Code: strconv.Itoa(i), Label: "K" + strconv.Itoa(i)}
		}
	}
	d.Values = make([]float64, d.Len())
	d.Status = map[int]string{}
	for i := range d.Values {
		d.Values[i] = float64(i) / 10
		if i%37 == 0 {
			d.Values[i] = math.NaN()
			d.Status[i] = ".."
		}
	}
	return &store.Snapshot{TableID: tableID, Raw: [][]byte{[]byte(tag)}, Data: d}
}

func openTemp(t testing.TB) *DB {
	t.Helper()
	db, err := Open(context.Background(), filepath.Join(t.TempDir(), "grunnlag.db"))
	if err != nil {
		t.Fatalf("Open() = %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// TestReadDuringWrite holds a write transaction open, with a newer snapshot
// written but not committed, and reads: the read neither waits nor sees the
// uncommitted snapshot.
func TestReadDuringWrite(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	old := constructedSnapshot("12041", 10, "old")
	if _, err := db.SaveSnapshot(ctx, old); err != nil {
		t.Fatalf("SaveSnapshot() = %v", err)
	}

	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	next := constructedSnapshot("12041", 10, "next")
	if err := next.Validate(); err != nil {
		t.Fatal(err)
	}
	rows, err := backend.Encode(next)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := insertSnapshot(ctx, tx, &rows.Snapshot); err != nil {
		t.Fatalf("insertSnapshot() = %v", err)
	}

	// A deadline only so that a store that blocks fails instead of hanging.
	readCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	got, err := db.LatestSnapshot(readCtx, "12041")
	if err != nil {
		t.Fatalf("LatestSnapshot() during a write transaction = %v", err)
	}
	if got.ID != old.ID {
		t.Errorf("LatestSnapshot() during a write transaction = snapshot %d, want the committed %d", got.ID, old.ID)
	}
}

func TestTimeRoundTrip(t *testing.T) {
	tests := []time.Time{
		{},
		time.Date(2025, 10, 29, 7, 0, 0, 1, time.UTC),
		time.Date(2025, 10, 29, 8, 0, 0, 999999999, time.FixedZone("CET", 3600)),
		time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC),
	}
	for _, in := range tests {
		v, err := textTime(in).Value()
		if err != nil {
			t.Fatalf("textTime(%v).Value() = %v", in, err)
		}
		var got time.Time
		err = scanTime(&got).Scan(v)
		if err != nil || !got.Equal(in) || got.Location() != time.UTC {
			t.Errorf("Scan(textTime(%v).Value()) = %v, %v, want the same instant in UTC", in, got, err)
		}
	}
	// Text order is time order: the width is fixed.
	a, _ := textTime(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)).Value()
	b, _ := textTime(time.Date(2025, 1, 1, 0, 0, 0, 5, time.UTC)).Value()
	if a.(string) >= b.(string) {
		t.Errorf("textTime values %q and %q: text order is not time order", a, b)
	}
	var got time.Time
	if err := scanTime(&got).Scan("2025-01-01 00:00:00"); err == nil {
		t.Errorf("Scan(%q) = nil error, want one", "2025-01-01 00:00:00")
	}
}

// BenchmarkInsertCells compares how many cells go into one INSERT: one
// prepared statement run per cell, or one statement of many rows.
func BenchmarkInsertCells(b *testing.B) {
	const cells = 500_000
	for _, rows := range []int{1, 50, 200, 500, 1000, 2000} {
		b.Run(fmt.Sprintf("rows=%d", rows), func(b *testing.B) {
			db := openTemp(b)
			db.cellRows = rows
			ctx := context.Background()
			base := constructedSnapshot("bench", cells/10, "")
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				s := *base
				s.Raw = [][]byte{[]byte(strconv.Itoa(i))}
				if _, err := db.SaveSnapshot(ctx, &s); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(cells)*float64(b.N)/b.Elapsed().Seconds(), "cells/s")
		})
	}
}

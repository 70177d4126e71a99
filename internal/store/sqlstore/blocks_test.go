package sqlstore

import (
	"context"
	"maps"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/grunnlag/grunnlag/internal/jsonstat"
	"github.com/grunnlag/grunnlag/internal/store"
	"github.com/grunnlag/grunnlag/internal/store/sqlstore/pgtest"
)

// bothEngines runs test on a new SQLite file and, when one is available, on
// a new PostgreSQL database.
func bothEngines(t *testing.T, test func(t *testing.T, db *DB)) {
	t.Run("SQLite", func(t *testing.T) { test(t, openTemp(t)) })
	t.Run("PostgreSQL", func(t *testing.T) {
		db, err := Open(context.Background(), pgtest.FreshDSN(t), Options{})
		if err != nil {
			t.Fatalf("Open() = %v", err)
		}
		t.Cleanup(func() { db.Close() })
		test(t, db)
	})
}

// gridSnapshot returns a snapshot constructed for these tests of rows ×
// cols cells: value i/4, every seventh missing, every eleventh with a
// status and every thirteenth with a text.
func gridSnapshot(tableID string, rows, cols int) *store.Snapshot {
	d := &jsonstat.Dataset{Dimensions: []jsonstat.Dimension{
		{ID: "Region", Categories: make([]jsonstat.Category, rows)},
		{ID: "Tid", Categories: make([]jsonstat.Category, cols)},
	}}
	for _, dim := range d.Dimensions {
		for i := range dim.Categories {
			dim.Categories[i] = jsonstat.Category{Code: strconv.Itoa(i)}
		}
	}
	d.Values = make([]float64, rows*cols)
	d.Status, d.Text = map[int]string{}, map[int]string{}
	for i := range d.Values {
		d.Values[i] = float64(i) / 4
		if i%7 == 0 {
			d.Values[i] = math.NaN()
		}
		if i%11 == 0 {
			d.Status[i] = "r"
		}
		if i%13 == 0 {
			d.Text[i] = "t" + strconv.Itoa(i)
		}
	}
	return &store.Snapshot{TableID: tableID, Raw: [][]byte{[]byte(tableID)}, Data: d}
}

// sameCells reports the cells where read differs from saved: their
// values (NaN equal to NaN), texts and statuses. (cmp.Diff takes seconds
// on a few hundred thousand cells.)
func sameCells(t *testing.T, saved, read *jsonstat.Dataset) {
	t.Helper()
	if len(read.Values) != len(saved.Values) {
		t.Fatalf("%d values read, %d saved", len(read.Values), len(saved.Values))
	}
	for i, v := range saved.Values {
		if r := read.Values[i]; r != v && !(math.IsNaN(r) && math.IsNaN(v)) {
			t.Fatalf("cell %d: read %v, saved %v", i, r, v)
		}
	}
	if !maps.Equal(read.Text, saved.Text) || !maps.Equal(read.Status, saved.Status) {
		t.Errorf("texts or statuses differ: read %d texts and %d statuses, saved %d and %d",
			len(read.Text), len(read.Status), len(saved.Text), len(saved.Status))
	}
}

// TestBlocks stores snapshots whose sizes fall on either side of a block's
// edge and reads each back whole.
func TestBlocks(t *testing.T) {
	bothEngines(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		for i, size := range [][2]int{
			{1, 1},
			{3, 21845}, // blockCells - 1
			{256, 256}, // blockCells
			{25, 5243}, // 2 blocks and 3 cells
		} {
			n := size[0] * size[1]
			want := gridSnapshot(strconv.Itoa(99900+i), size[0], size[1])
			if _, err := db.SaveSnapshot(ctx, want); err != nil {
				t.Fatalf("%d cells: SaveSnapshot() = %v", n, err)
			}
			got, err := db.LatestSnapshot(ctx, want.TableID)
			if err != nil {
				t.Fatalf("%d cells: Snapshot() = %v", n, err)
			}
			sameCells(t, want.Data, got.Data)
		}
	})
}

// TestCellsAsRows rewrites a snapshot the way stores before cell blocks
// kept it, a row per cell, and reads it back: snapshots stored then read as
// before, and Verify finds them sound.
func TestCellsAsRows(t *testing.T) {
	bothEngines(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		want := gridSnapshot("12041", 10, 100)
		if _, err := db.SaveSnapshot(ctx, want); err != nil {
			t.Fatalf("SaveSnapshot() = %v", err)
		}
		err := db.writeTx(ctx, func(tx *Tx) error {
			for _, q := range []string{
				`DELETE FROM cell_values`,
				`DELETE FROM cells`,
				`UPDATE snapshots SET cell_format = 0`,
			} {
				if _, err := tx.exec(ctx, q); err != nil {
					return err
				}
			}
			return db.d.insertCells(ctx, tx, 1, newCells(want.Data))
		})
		if err != nil {
			t.Fatalf("rewrite as rows: %v", err)
		}
		got, err := db.LatestSnapshot(ctx, want.TableID)
		if err != nil {
			t.Fatalf("Snapshot() = %v", err)
		}
		sameCells(t, want.Data, got.Data)
		checks, err := db.Verify(ctx)
		if err != nil {
			t.Fatalf("Verify() = %v", err)
		}
		for _, c := range checks {
			if c.Problem != "" {
				t.Errorf("Verify(): %s: %s", c.What, c.Problem)
			}
		}
	})
}

// TestBlockMissing removes a block of a stored snapshot: reading it fails
// with an error that names the snapshot, and Verify reports it.
func TestBlockMissing(t *testing.T) {
	bothEngines(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		if _, err := db.SaveSnapshot(ctx, gridSnapshot("12041", 5, blockCells/5+5)); err != nil {
			t.Fatalf("SaveSnapshot() = %v", err)
		}
		err := db.writeTx(ctx, func(tx *Tx) error {
			_, err := tx.exec(ctx, `DELETE FROM cell_values WHERE block = 1`)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.LatestSnapshot(ctx, "12041"); err == nil || !strings.Contains(err.Error(), "snapshot 1") {
			t.Errorf("Snapshot() = %v, want an error about snapshot 1's blocks", err)
		}
		checks, err := db.Verify(ctx)
		if err != nil {
			t.Fatalf("Verify() = %v", err)
		}
		found := false
		for _, c := range checks {
			if c.What == "cells" && strings.Contains(c.Problem, "snapshot 1") {
				found = true
			}
		}
		if !found {
			t.Errorf("Verify() = %+v, want a problem with snapshot 1's cells", checks)
		}
	})
}

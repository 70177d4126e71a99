package sqlstore

import (
	"context"
	"fmt"
	"math"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/grunnlag/grunnlag/internal/jsonstat"
	"github.com/grunnlag/grunnlag/internal/store"
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
	db, err := Open(context.Background(), filepath.Join(t.TempDir(), "grunnlag.db"), Options{})
	if err != nil {
		t.Fatalf("Open() = %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// TestReadDuringWrite holds a SQLite write transaction open, with a newer
// snapshot written but not committed, and reads: the read neither waits
// nor sees the uncommitted snapshot.
func TestReadDuringWrite(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	old := constructedSnapshot("12041", 10, "old")
	if _, err := db.SaveSnapshot(ctx, old); err != nil {
		t.Fatalf("SaveSnapshot() = %v", err)
	}
	next := constructedSnapshot("12041", 10, "next")
	if err := next.Validate(); err != nil {
		t.Fatal(err)
	}
	rows, err := encode(next)
	if err != nil {
		t.Fatal(err)
	}
	written := make(chan struct{})
	release := make(chan struct{})
	done := make(chan error)
	go func() {
		done <- db.writeTx(ctx, func(tx *Tx) error {
			if _, err := db.insertSnapshot(ctx, tx, rows); err != nil {
				return err
			}
			close(written)
			<-release
			return fmt.Errorf("constructed failure: roll back")
		})
	}()
	<-written

	// A deadline only so that a store that blocks fails instead of hanging.
	readCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	got, err := db.LatestSnapshot(readCtx, "12041")
	close(release)
	if err != nil {
		t.Fatalf("LatestSnapshot() during a write transaction = %v", err)
	}
	if got.ID != old.ID {
		t.Errorf("LatestSnapshot() during a write transaction = snapshot %d, want the committed %d", got.ID, old.ID)
	}
	if err := <-done; err == nil || !strings.Contains(err.Error(), "constructed failure") {
		t.Errorf("writeTx() = %v, want the constructed failure", err)
	}
	if got, err := db.LatestSnapshot(ctx, "12041"); err != nil || got.ID != old.ID {
		t.Errorf("LatestSnapshot() after the rollback = %v, %v, want snapshot %d", got, err, old.ID)
	}
}

// TestTxPanic panics inside a write transaction: it is rolled back, the
// panic goes on, and the store still works.
func TestTxPanic(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	func() {
		defer func() {
			if r := recover(); r != "constructed panic" {
				t.Errorf("recover() = %v, want the constructed panic", r)
			}
		}()
		db.writeTx(ctx, func(tx *Tx) error {
			if _, err := db.insertSnapshot(ctx, tx, mustEncode(t, constructedSnapshot("12041", 2, "p"))); err != nil {
				t.Fatal(err)
			}
			panic("constructed panic")
		})
	}()
	if list, err := db.Snapshots(ctx, "12041"); err != nil || len(list) != 0 {
		t.Errorf("Snapshots() after a panic in the transaction = %v, %v, want none", list, err)
	}
	if _, err := db.SaveSnapshot(ctx, constructedSnapshot("12041", 2, "after")); err != nil {
		t.Errorf("SaveSnapshot() after a panic = %v", err)
	}
}

func mustEncode(t *testing.T, s *store.Snapshot) *snapshotRows {
	t.Helper()
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	rows, err := encode(s)
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func TestTimeRoundTrip(t *testing.T) {
	tests := []time.Time{
		{},
		time.Date(2025, 10, 29, 7, 0, 0, 1, time.UTC),
		time.Date(2025, 10, 29, 8, 0, 0, 999999999, time.FixedZone("CET", 3600)),
		time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC),
	}
	d := &sqliteDialect{}
	for _, in := range tests {
		var got time.Time
		err := scanTime(&got).Scan(d.timeArg(in))
		if err != nil || !got.Equal(in) || got.Location() != time.UTC {
			t.Errorf("Scan(timeArg(%v)) = %v, %v, want the same instant in UTC", in, got, err)
		}
		got = time.Time{}
		if err := scanTime(&got).Scan(in); err != nil || !got.Equal(in) || got.Location() != time.UTC {
			t.Errorf("Scan(%v) = %v, %v, want the same instant in UTC", in, got, err)
		}
	}
	// Text order is time order: the width is fixed.
	a := d.timeArg(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)).(string)
	b := d.timeArg(time.Date(2025, 1, 1, 0, 0, 0, 5, time.UTC)).(string)
	if a >= b {
		t.Errorf("timeArg values %q and %q: text order is not time order", a, b)
	}
	var got time.Time
	if err := scanTime(&got).Scan("2025-01-01 00:00:00"); err == nil {
		t.Errorf("Scan(%q) = nil error, want one", "2025-01-01 00:00:00")
	}
	if err := scanTime(&got).Scan(int64(5)); err == nil {
		t.Errorf("Scan(int64) = nil error, want one")
	}
}

func TestRebind(t *testing.T) {
	d := &postgresDialect{}
	tests := []struct{ in, want string }{
		{"SELECT 1", "SELECT 1"},
		{"SELECT a FROM t WHERE b = ? AND c = ?", "SELECT a FROM t WHERE b = $1 AND c = $2"},
		{"INSERT INTO cells VALUES (?1,?,?,?,?),(?1,?,?,?,?)", "INSERT INTO cells VALUES ($1,$1,$2,$3,$4),($1,$5,$6,$7,$8)"},
		{"? = '' OR kind = ?", "$1 = '' OR kind = $2"},
	}
	for _, tt := range tests {
		for range 2 { // the second time from the cache
			if got := d.rebind(tt.in); got != tt.want {
				t.Errorf("rebind(%q) = %q, want %q", tt.in, got, tt.want)
			}
		}
	}
	if got := (&sqliteDialect{}).rebind(tests[1].in); got != tests[1].in {
		t.Errorf("SQLite rebind(%q) = %q, want it unchanged", tests[1].in, got)
	}
}

func TestTSVector(t *testing.T) {
	long := strings.Repeat("x", maxLexeme+1)
	tests := []struct {
		name, words, want string
	}{
		{"empty", "", ""},
		{"positions, sorted lexemes", "øvelse og øvelser og bærum", "'bærum':5 'og':2,4 'øvelse':1 'øvelser':3"},
		{"quotes and backslashes escaped", `it's a\b`, `'a\\b':2 'it''s':1`},
		{"too long a word left out", "kort " + long, "'kort':1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tsvector(tt.words); got != tt.want {
				t.Errorf("tsvector(%.30q) = %q, want %q", tt.words, got, tt.want)
			}
		})
	}
	// Positions stop at PostgreSQL's limits.
	many := strings.TrimSpace(strings.Repeat("ord ", maxPositions+10))
	if got := strings.Count(tsvector(many), ","); got != maxPositions-1 {
		t.Errorf("tsvector(%d times the same word) has %d positions, want %d", maxPositions+10, got+1, maxPositions)
	}
	far := strings.TrimSpace(strings.Repeat("a ", maxPosition+5)) + " slutt"
	if got := tsvector(far); !strings.HasSuffix(got, "'slutt':16383") {
		t.Errorf("tsvector(word at position %d) = …%s, want position %d", maxPosition+6, got[len(got)-20:], maxPosition)
	}
}

func TestEscapeLike(t *testing.T) {
	if got, want := escapeLike(`50%_a\b`), `50\%\_a\\b`; got != want {
		t.Errorf("escapeLike(%q) = %q, want %q", `50%_a\b`, got, want)
	}
}

// TestNameKey pins the lock keys: processes of different grunnlag
// versions that share a database must lock a table under the same key, so
// a change of the hash would let two of them store the same content twice.
func TestNameKey(t *testing.T) {
	for id, want := range map[string]int32{"12041": -1203335283, "12038": 827197901, "": 0} {
		if got := nameKey(id); got != want {
			t.Errorf("nameKey(%q) = %d, want %d", id, got, want)
		}
	}
}

// BenchmarkInsertCells compares how many rows of cells go into one SQLite
// INSERT: one prepared statement run per row, or one statement of many
// rows. Every cell of its table has a status, so every cell gets a row
// (values alone go in blocks).
func BenchmarkInsertCells(b *testing.B) {
	const cells = 500_000
	for _, rows := range []int{1, 50, 200, 500, 1000, 2000} {
		b.Run(fmt.Sprintf("rows=%d", rows), func(b *testing.B) {
			db := openTemp(b)
			db.d.(*sqliteDialect).cellRows = rows
			ctx := context.Background()
			base := constructedSnapshot("bench", cells/10, "")
			for i := range base.Data.Values {
				base.Data.Status[i] = "p"
			}
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

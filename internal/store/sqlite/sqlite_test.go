package sqlite_test

import (
	"context"
	"database/sql"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/grunnlag/grunnlag/internal/fault"
	"github.com/grunnlag/grunnlag/internal/jsonstat"
	"github.com/grunnlag/grunnlag/internal/store"
	"github.com/grunnlag/grunnlag/internal/store/sqlite"
	"github.com/grunnlag/grunnlag/internal/store/storetest"
)

// knownVersion is the number of migrations in migrations/.
const knownVersion = 3

func openFile(t testing.TB, path string) *sqlite.DB {
	t.Helper()
	db, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatalf("Open(%s) = %v", path, err)
	}
	return db
}

func TestStore(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store {
		return openFile(t, filepath.Join(t.TempDir(), "grunnlag.db"))
	})
}

func TestCopy(t *testing.T) {
	open := func(t *testing.T) store.Store {
		return openFile(t, filepath.Join(t.TempDir(), "grunnlag.db"))
	}
	storetest.RunCopy(t, open, open)
}

func BenchmarkSaveSnapshot5M(b *testing.B) {
	storetest.Bench(b, func(b *testing.B) store.Store {
		return openFile(b, filepath.Join(b.TempDir(), "grunnlag.db"))
	}, 5_000_000)
}

// constructed returns a small snapshot made up for these tests.
func constructed(tableID string, v float64) *store.Snapshot {
	return &store.Snapshot{
		TableID:   tableID,
		Title:     "Konstruert tabell",
		FetchedAt: time.Date(2025, 10, 29, 7, 0, 0, 123456789, time.UTC),
		Raw:       [][]byte{[]byte(`{"constructed":` + strings.Repeat("1", int(v)) + `}`)},
		Data: &jsonstat.Dataset{
			Label: "Konstruert",
			Dimensions: []jsonstat.Dimension{{ID: "Region", Label: "region", Categories: []jsonstat.Category{
				{Code: "0301", Label: "Oslo"}, {Code: "4601", Label: "Bergen"},
			}}},
			Values: []float64{v, math.NaN()},
			Status: map[int]string{1: ".."},
		},
	}
}

func TestSchemaVersion(t *testing.T) {
	db := openFile(t, filepath.Join(t.TempDir(), "grunnlag.db"))
	defer db.Close()
	got, err := db.SchemaVersion(context.Background())
	if err != nil || got != knownVersion {
		t.Errorf("SchemaVersion() = %d, %v, want %d, nil", got, err, knownVersion)
	}
}

// TestReopen closes and opens the file again: the data is still there,
// nanoseconds included, and no migration runs twice.
func TestReopen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "grunnlag.db")
	db := openFile(t, path)
	s := constructed("12041", 3)
	if _, err := db.SaveSnapshot(ctx, s); err != nil {
		t.Fatalf("SaveSnapshot() = %v", err)
	}
	if err := db.Close(); err != nil {
		t.Fatalf("Close() = %v", err)
	}

	db = openFile(t, path)
	defer db.Close()
	got, err := db.LatestSnapshot(ctx, "12041")
	if err != nil {
		t.Fatalf("LatestSnapshot() after reopening = %v", err)
	}
	want := *s
	want.Raw = nil
	if diff := cmp.Diff(&want, got, cmpopts.EquateNaNs()); diff != "" {
		t.Errorf("LatestSnapshot() after reopening mismatch (-want +got):\n%s", diff)
	}
	if v, err := db.SchemaVersion(ctx); err != nil || v != knownVersion {
		t.Errorf("SchemaVersion() after reopening = %d, %v, want %d, nil", v, err, knownVersion)
	}
}

// TestNewerSchema opens a file that a newer grunnlag has migrated.
func TestNewerSchema(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "grunnlag.db")
	openFile(t, path).Close()

	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`INSERT INTO schema_migrations (version, name, applied_at) VALUES
		(6, '0006_future.sql', '2030-01-01T00:00:00.000000000Z'),
		(7, '0007_future.sql', '2030-01-01T00:00:00.000000000Z')`); err != nil {
		t.Fatal(err)
	}
	raw.Close()

	db, err := sqlite.Open(ctx, path)
	if err == nil {
		db.Close()
		t.Fatal("Open(newer schema) = nil error, want refusal")
	}
	if k := fault.KindOf(err); k != fault.Invalid {
		t.Errorf("Open(newer schema) error kind = %v, want %v", k, fault.Invalid)
	}
	want := "database schema version 7 is newer than this grunnlag (knows 3); upgrade grunnlag"
	if !strings.Contains(err.Error(), want) {
		t.Errorf("Open(newer schema) = %q, want it to say %q", err, want)
	}
}

func TestOpenRefuses(t *testing.T) {
	notDB := filepath.Join(t.TempDir(), "notes.txt")
	if err := os.WriteFile(notDB, []byte(strings.Repeat("ikke en database\n", 100)), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		path string
		kind fault.Kind
	}{
		{"empty path", "", fault.Invalid},
		{"in memory", ":memory:", fault.Invalid},
		{"not a database", notDB, fault.Invalid},
		{"missing folder", filepath.Join(t.TempDir(), "no", "such", "folder", "grunnlag.db"), fault.Internal},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db, err := sqlite.Open(context.Background(), tt.path)
			if err == nil {
				db.Close()
				t.Fatalf("Open(%q) = nil error, want one", tt.path)
			}
			if k := fault.KindOf(err); k != tt.kind {
				t.Errorf("Open(%q) = %v (kind %v), want kind %v", tt.path, err, k, tt.kind)
			}
		})
	}
	if b, err := os.ReadFile(notDB); err != nil || string(b) != strings.Repeat("ikke en database\n", 100) {
		t.Errorf("Open(%q) changed the file", notDB)
	}
}

// TestOddPath opens a file whose name has characters that mean something
// in a URI; the file must get exactly that name.
func TestOddPath(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "grunn lag?x=1#æ%20.db")
	db := openFile(t, path)
	defer db.Close()
	if _, err := db.SaveSnapshot(context.Background(), constructed("12041", 1)); err != nil {
		t.Fatalf("SaveSnapshot() = %v", err)
	}
	if _, err := os.Stat(path); err != nil {
		t.Errorf("database file: %v", err)
	}
}

// TestTwoHandles opens the file twice, as two processes would: BEGIN
// IMMEDIATE and the busy timeout make the second writer wait and find the
// first's snapshot.
func TestTwoHandles(t *testing.T) {
	path := filepath.Join(t.TempDir(), "grunnlag.db")
	a, b := openFile(t, path), openFile(t, path)
	defer a.Close()
	defer b.Close()
	storetest.RunTwoHandles(t, a, b)
}

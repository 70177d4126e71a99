package sqlstore_test

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"fmt"
	"math"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/jackc/pgx/v5"

	"github.com/grunnlag/grunnlag/internal/fault"
	"github.com/grunnlag/grunnlag/internal/jsonstat"
	"github.com/grunnlag/grunnlag/internal/store"
	"github.com/grunnlag/grunnlag/internal/store/sqlstore"
	"github.com/grunnlag/grunnlag/internal/store/sqlstore/pgtest"
	"github.com/grunnlag/grunnlag/internal/store/storetest"
)

// knownVersion is the number of migrations of each dialect.
const knownVersion = 9

// engine is one database the tests run on: newDSN gives the DSN of a new,
// empty database (a file in a temporary folder, or a PostgreSQL database
// dropped when the test ends).
type engine struct {
	name   string
	newDSN func(t testing.TB) string
}

func engines() []engine {
	return []engine{
		{"SQLite", func(t testing.TB) string { return filepath.Join(t.TempDir(), "grunnlag.db") }},
		{"PostgreSQL", func(t testing.TB) string { return pgtest.FreshDSN(t) }},
	}
}

// forEach runs test once per engine, as a subtest named after it.
func forEach(t *testing.T, test func(t *testing.T, e engine)) {
	for _, e := range engines() {
		t.Run(e.name, func(t *testing.T) { test(t, e) })
	}
}

func open(t testing.TB, dsn string, opts sqlstore.Options) *sqlstore.DB {
	t.Helper()
	db, err := sqlstore.Open(context.Background(), dsn, opts)
	if err != nil {
		t.Fatalf("Open(%q, %+v) = %v", dsn, opts, err)
	}
	return db
}

// opener returns a storetest open function for e.
func opener(e engine) func(t *testing.T) store.Archive {
	return func(t *testing.T) store.Archive { return open(t, e.newDSN(t), sqlstore.Options{}) }
}

func TestStore(t *testing.T) {
	forEach(t, func(t *testing.T, e engine) { storetest.Run(t, opener(e)) })
}

// TestCopy copies between every pair of engines, as a deployment that
// moves does.
func TestCopy(t *testing.T) {
	for _, from := range engines() {
		for _, to := range engines() {
			t.Run(from.name+"To"+to.name, func(t *testing.T) { storetest.RunCopy(t, opener(from), opener(to)) })
		}
	}
}

// TestTwoHandles opens one database twice, as two processes would: the
// write lock (BEGIN IMMEDIATE and the busy timeout; the table's advisory
// lock) makes one writer store the content and the other find it.
func TestTwoHandles(t *testing.T) {
	forEach(t, func(t *testing.T, e engine) {
		dsn := e.newDSN(t)
		a, b := open(t, dsn, sqlstore.Options{}), open(t, dsn, sqlstore.Options{})
		defer a.Close()
		defer b.Close()
		storetest.RunTwoHandles(t, a, b)
	})
}

func BenchmarkSaveSnapshot5M(b *testing.B) {
	for _, e := range engines() {
		b.Run(e.name, func(b *testing.B) {
			storetest.Bench(b, func(b *testing.B) store.Archive { return open(b, e.newDSN(b), sqlstore.Options{}) }, 5_000_000)
		})
	}
}

func TestSchemaVersion(t *testing.T) {
	forEach(t, func(t *testing.T, e engine) {
		db := open(t, e.newDSN(t), sqlstore.Options{})
		defer db.Close()
		got, err := db.SchemaVersion(context.Background())
		if err != nil || got != knownVersion {
			t.Errorf("SchemaVersion() = %d, %v, want %d, nil", got, err, knownVersion)
		}
	})
}

// constructed returns a small snapshot made up for these tests.
func constructed(tableID string, v float64) *store.Snapshot {
	return &store.Snapshot{
		TableID:   tableID,
		Title:     "Konstruert tabell",
		FetchedAt: time.Date(2025, 10, 29, 7, 0, 0, 123456000, time.UTC),
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

// TestReopen closes and opens the database again: the data is still
// there, and no migration runs twice.
func TestReopen(t *testing.T) {
	forEach(t, func(t *testing.T, e engine) {
		ctx := context.Background()
		dsn := e.newDSN(t)
		db := open(t, dsn, sqlstore.Options{})
		s := constructed("12041", 3)
		if _, err := db.SaveSnapshot(ctx, s); err != nil {
			t.Fatalf("SaveSnapshot() = %v", err)
		}
		if err := db.Close(); err != nil {
			t.Fatalf("Close() = %v", err)
		}
		db = open(t, dsn, sqlstore.Options{})
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
	})
}

// rawExec runs statements on the database dsn names without the store.
func rawExec(t *testing.T, e engine, dsn string, stmts ...string) {
	t.Helper()
	driver := "sqlite"
	if e.name == "PostgreSQL" {
		driver = "pgx"
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, s := range stmts {
		if _, err := db.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

// TestNewerSchema opens a database that a newer grunnlag has migrated,
// for writing and for reading: both are refused, and say why.
func TestNewerSchema(t *testing.T) {
	forEach(t, func(t *testing.T, e engine) {
		dsn := e.newDSN(t)
		open(t, dsn, sqlstore.Options{}).Close()
		rawExec(t, e, dsn, `INSERT INTO schema_migrations (version, name, applied_at) VALUES
			(`+strconv.Itoa(knownVersion+1)+`, 'future_a.sql', '2030-01-01T00:00:00.000000000Z'),
			(`+strconv.Itoa(knownVersion+2)+`, 'future_b.sql', '2030-01-01T00:00:00.000000000Z')`)
		for _, opts := range []sqlstore.Options{{}, {ReadOnly: true}} {
			db, err := sqlstore.Open(context.Background(), dsn, opts)
			if err == nil {
				db.Close()
				t.Fatalf("Open(newer schema, %+v) = nil error, want refusal", opts)
			}
			if k := fault.KindOf(err); k != fault.Invalid {
				t.Errorf("Open(newer schema, %+v) error kind = %v, want %v", opts, k, fault.Invalid)
			}
			want := fmt.Sprintf("database schema version %d is newer than this grunnlag (knows %d); upgrade grunnlag", knownVersion+2, knownVersion)
			if !strings.Contains(err.Error(), want) {
				t.Errorf("Open(newer schema, %+v) = %q, want it to say %q", opts, err, want)
			}
			if msg := fault.UserMessage(err); !strings.Contains(msg, "nyere versjon av grunnlag") {
				t.Errorf("Open(newer schema) user message = %q, want it to say a newer grunnlag wrote it", msg)
			}
		}
	})
}

// TestMigrationRace opens a new database from several goroutines at once,
// as processes starting together would: every Open succeeds and each
// migration is applied once.
func TestMigrationRace(t *testing.T) {
	forEach(t, func(t *testing.T, e engine) {
		ctx := context.Background()
		dsn := e.newDSN(t)
		const opens = 4
		var wg sync.WaitGroup
		errs := make([]error, opens)
		start := make(chan struct{})
		for i := range opens {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				db, err := sqlstore.Open(ctx, dsn, sqlstore.Options{})
				if err == nil {
					db.Close()
				}
				errs[i] = err
			}()
		}
		close(start)
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Errorf("Open() %d of %d at once = %v", i+1, opens, err)
			}
		}
		db := open(t, dsn, sqlstore.Options{ReadOnly: true})
		defer db.Close()
		if v, err := db.SchemaVersion(ctx); err != nil || v != knownVersion {
			t.Errorf("SchemaVersion() after %d opens at once = %d, %v, want %d", opens, v, err, knownVersion)
		}
	})
}

func TestEngineOf(t *testing.T) {
	tests := []struct {
		dsn  string
		want sqlstore.Engine
	}{
		{"grunnlag.db", sqlstore.SQLite},
		{"/var/lib/grunnlag/grunnlag.db", sqlstore.SQLite},
		{"data/host=x.db", sqlstore.SQLite},
		{"postgres://grunnlag@db/grunnlag", sqlstore.Postgres},
		{"postgresql://db/grunnlag?sslmode=disable", sqlstore.Postgres},
		{"host=db dbname=grunnlag password=hemmelig", sqlstore.Postgres},
		{" dbname = grunnlag", sqlstore.Postgres},
		{"user=grunnlag", sqlstore.Postgres},
	}
	for _, tt := range tests {
		if got := sqlstore.EngineOf(tt.dsn); got != tt.want {
			t.Errorf("EngineOf(%q) = %v, want %v", tt.dsn, got, tt.want)
		}
	}
}

// TestKeywordDSN opens a libpq keyword DSN: it goes to PostgreSQL, and no
// file named after it (its password included) is created.
func TestKeywordDSN(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	dsn := "host=127.0.0.1 port=1 dbname=grunnlag password=hemmelig connect_timeout=2"
	db, err := sqlstore.Open(context.Background(), dsn, sqlstore.Options{})
	if err == nil {
		db.Close()
		t.Fatalf("Open(%q) = nil error, want PostgreSQL's refusal", dsn)
	}
	if k := fault.KindOf(err); k != fault.Unavailable {
		t.Errorf("Open(%q) = %v (kind %v), want kind %v", dsn, err, k, fault.Unavailable)
	}
	if strings.Contains(err.Error(), "hemmelig") {
		t.Errorf("Open(%q) = %q: the error shows the password", dsn, err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("Open(%q) created %v in the working folder", dsn, entries[0].Name())
	}
}

func TestOpenRefusesSQLite(t *testing.T) {
	notDB := filepath.Join(t.TempDir(), "notes.txt")
	content := strings.Repeat("ikke en database\n", 100)
	if err := os.WriteFile(notDB, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		path string
		kind fault.Kind
		user string // part of the bokmål message
	}{
		{"empty path", "", fault.Invalid, ""},
		{"in memory", ":memory:", fault.Invalid, ""},
		{"not a database", notDB, fault.Invalid, "ikke en grunnlag-database"},
		{"missing folder", filepath.Join(t.TempDir(), "no", "such", "folder", "grunnlag.db"), fault.Invalid, "mappen finnes ikke"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db, err := sqlstore.Open(context.Background(), tt.path, sqlstore.Options{})
			if err == nil {
				db.Close()
				t.Fatalf("Open(%q) = nil error, want one", tt.path)
			}
			if k := fault.KindOf(err); k != tt.kind {
				t.Errorf("Open(%q) = %v (kind %v), want kind %v", tt.path, err, k, tt.kind)
			}
			if msg := fault.UserMessage(err); !strings.Contains(msg, tt.user) {
				t.Errorf("Open(%q) user message = %q, want it to say %q", tt.path, msg, tt.user)
			}
		})
	}
	if b, err := os.ReadFile(notDB); err != nil || string(b) != content {
		t.Errorf("Open(%q) changed the file", notDB)
	}
}

func TestOpenRefusesPostgres(t *testing.T) {
	admin := pgtest.AdminDSN(t)
	// A port nothing listens on: port 1 on loopback is refused at once.
	u, err := url.Parse(pgtest.WithDatabase(t, admin, "grunnlag_test"))
	if err != nil {
		t.Fatal(err)
	}
	u.Host = "127.0.0.1:1"
	wrongPassword := ""
	if pu, err := url.Parse(admin); err == nil && pu.User != nil {
		pu.User = url.UserPassword(pu.User.Username()+"_ingen", "feil")
		wrongPassword = pu.String()
	}
	tests := []struct {
		name string
		dsn  string
		kind fault.Kind
		user string
	}{
		{"not a dsn", "postgres://x:y@[::1", fault.Invalid, "kan ikke leses"},
		{"unknown setting", "host=localhost sslmode=sometimes", fault.Invalid, "kan ikke leses"},
		{"nothing listening", u.String() + "&connect_timeout=5", fault.Unavailable, "svarer ikke"},
		{"no such database", pgtest.WithDatabase(t, admin, pgtest.Name("grunnlag_t_missing_")), fault.Invalid, "finnes ikke"},
		{"unknown user", wrongPassword, fault.Invalid, "avviste innloggingen"},
	}
	for _, tt := range tests {
		if tt.dsn == "" {
			continue
		}
		t.Run(tt.name, func(t *testing.T) {
			db, err := sqlstore.Open(context.Background(), tt.dsn, sqlstore.Options{})
			if err == nil {
				db.Close()
				t.Fatalf("Open(%q) = nil error, want one", tt.dsn)
			}
			if k := fault.KindOf(err); k != tt.kind {
				t.Errorf("Open(%q) = %v (kind %v), want kind %v", tt.dsn, err, k, tt.kind)
			}
			if msg := fault.UserMessage(err); !strings.Contains(msg, tt.user) {
				t.Errorf("Open(%q) user message = %q, want it to say %q", tt.dsn, msg, tt.user)
			}
		})
	}
}

// TestOddPath opens a file whose name has characters that mean something
// in a URI; the file must get exactly that name.
func TestOddPath(t *testing.T) {
	path := filepath.Join(t.TempDir(), "grunn lag?x=1#æ%20.db")
	db := open(t, path, sqlstore.Options{})
	defer db.Close()
	if _, err := db.SaveSnapshot(context.Background(), constructed("12041", 1)); err != nil {
		t.Fatalf("SaveSnapshot() = %v", err)
	}
	if _, err := os.Stat(path); err != nil {
		t.Errorf("database file: %v", err)
	}
	ro := open(t, path, sqlstore.Options{ReadOnly: true})
	defer ro.Close()
	if _, err := ro.LatestSnapshot(context.Background(), "12041"); err != nil {
		t.Errorf("LatestSnapshot() read-only = %v", err)
	}
}

// fileState is what must not change when a read-only store reads a file.
type fileState struct {
	sum   [32]byte
	mtime time.Time
	size  int64
}

func stateOf(t *testing.T, path string) fileState {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fileState{sha256.Sum256(b), fi.ModTime(), fi.Size()}
}

// TestReadOnly opens a database read-only: every read works, every write
// is refused without changing anything, and a SQLite file keeps its bytes
// and its modification time.
func TestReadOnly(t *testing.T) {
	forEach(t, func(t *testing.T, e engine) {
		ctx := context.Background()
		dsn := e.newDSN(t)
		w := open(t, dsn, sqlstore.Options{})
		s := constructed("12041", 2)
		if _, err := w.SaveSnapshot(ctx, s); err != nil {
			t.Fatal(err)
		}
		load := store.CatalogLoad{Digest: "d1", Packs: []string{"konstruert"}, LoadedAt: time.Now(),
			Entries: []store.CatalogEntry{{Kind: "finding", ID: "f1", Summary: "konstruert", Text: "sikkerhetspatcher mangler", Pack: "konstruert", File: "f.yaml", Line: 1}}}
		if _, err := w.ReplaceCatalog(ctx, load); err != nil {
			t.Fatal(err)
		}
		w.Close()
		var before fileState
		if e.name == "SQLite" {
			before = stateOf(t, dsn)
			time.Sleep(10 * time.Millisecond) // so that a write would show in the mtime
		}

		db := open(t, dsn, sqlstore.Options{ReadOnly: true})
		if _, err := db.LatestSnapshot(ctx, "12041"); err != nil {
			t.Errorf("LatestSnapshot() = %v", err)
		}
		if hits, err := db.SearchCatalog(ctx, "patch", 0); err != nil || len(hits) != 1 {
			t.Errorf("SearchCatalog() = %v, %v, want one hit", hits, err)
		}
		if _, err := db.Tables(ctx); err != nil {
			t.Errorf("Tables() = %v", err)
		}
		writes := map[string]error{}
		_, writes["SaveSnapshot"] = db.SaveSnapshot(ctx, constructed("12041", 5))
		_, writes["ReplaceCatalog"] = db.ReplaceCatalog(ctx, store.CatalogLoad{Digest: "d2"})
		writes["RecordSync"] = db.RecordSync(ctx, store.SyncAttempt{TableID: "12041", StartedAt: time.Now(), FinishedAt: time.Now(), Outcome: store.Unchanged})
		for call, err := range writes {
			if k := fault.KindOf(err); err == nil || k != fault.Invalid {
				t.Errorf("%s() on a read-only store = %v (kind %v), want kind %v", call, err, k, fault.Invalid)
			}
		}
		if err := db.Close(); err != nil {
			t.Errorf("Close() = %v", err)
		}
		if e.name == "SQLite" {
			if after := stateOf(t, dsn); after != before {
				t.Errorf("the file changed while open read-only: %+v, then %+v", before, after)
			}
		}
	})
}

// TestReadOnlyOlderSchema opens read-only a database that needs
// migrating: refused with a message that says to run grunnlag migrate.
func TestReadOnlyOlderSchema(t *testing.T) {
	forEach(t, func(t *testing.T, e engine) {
		dsn := e.newDSN(t)
		open(t, dsn, sqlstore.Options{}).Close()
		rawExec(t, e, dsn, `DELETE FROM schema_migrations WHERE version = `+strconv.Itoa(knownVersion))
		db, err := sqlstore.Open(context.Background(), dsn, sqlstore.Options{ReadOnly: true})
		if err == nil {
			db.Close()
			t.Fatal("Open(older schema, read-only) = nil error, want a refusal")
		}
		if msg := fault.UserMessage(err); !strings.Contains(msg, "grunnlag migrate") {
			t.Errorf("Open(older schema, read-only) user message = %q, want it to name grunnlag migrate", msg)
		}
	})
}

func TestReadOnlyMissingFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "grunnlag.db")
	db, err := sqlstore.Open(context.Background(), path, sqlstore.Options{ReadOnly: true})
	if err == nil {
		db.Close()
		t.Fatal("Open(missing file, read-only) = nil error, want NotFound")
	}
	if k := fault.KindOf(err); k != fault.NotFound {
		t.Errorf("Open(missing file, read-only) = %v (kind %v), want kind %v", err, k, fault.NotFound)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("Open(missing file, read-only) created the file")
	}
}

// TestReadOnlyRole reads a PostgreSQL database as a role that may only
// SELECT, as a reporting account would: reads work, and a write fails as
// refused, not as an internal error.
func TestReadOnlyRole(t *testing.T) {
	admin := pgtest.AdminDSN(t)
	if !strings.HasPrefix(admin, "postgres://") && !strings.HasPrefix(admin, "postgresql://") {
		t.Skip("GRUNNLAG_TEST_POSTGRES is not a URL; the test needs to set the user")
	}
	ctx := context.Background()
	role := pgtest.Name("grunnlag_t_reader_")
	pgtest.Exec(t, admin, "CREATE ROLE "+role+" LOGIN")
	t.Cleanup(func() { pgtest.Exec(t, admin, "DROP ROLE IF EXISTS "+role) })
	dsn := pgtest.FreshDSN(t) // dropped before the role: cleanups run last first
	w := open(t, dsn, sqlstore.Options{})
	if _, err := w.SaveSnapshot(ctx, constructed("12041", 2)); err != nil {
		t.Fatal(err)
	}
	w.Close()
	pgtest.Exec(t, dsn, "GRANT SELECT ON ALL TABLES IN SCHEMA public TO "+role)
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	u.User = url.User(role)

	db := open(t, u.String(), sqlstore.Options{ReadOnly: true})
	defer db.Close()
	if got, err := db.LatestSnapshot(ctx, "12041"); err != nil || got.Cells() != 2 {
		t.Errorf("LatestSnapshot() as a read-only role = %v, %v", got, err)
	}
	// The same role opening for writing is refused with a clear kind: it
	// may not create schema_migrations' lock or write.
	if db, err := sqlstore.Open(ctx, u.String(), sqlstore.Options{}); err == nil {
		_, err = db.SaveSnapshot(ctx, constructed("12041", 7))
		db.Close()
		if k := fault.KindOf(err); k != fault.Forbidden {
			t.Errorf("SaveSnapshot() as a read-only role = %v (kind %v), want kind %v", err, k, fault.Forbidden)
		}
	} else if k := fault.KindOf(err); k != fault.Forbidden {
		t.Errorf("Open() for writing as a read-only role = %v (kind %v), want kind %v", err, k, fault.Forbidden)
	}
}

// TestStoreWithoutTrigram runs the suite where pg_trgm cannot be created:
// the store still opens, and substring search gives the same results
// without the trigram index.
func TestStoreWithoutTrigram(t *testing.T) {
	ctx := context.Background()
	dsn := restrictedDSN(t)
	open(t, dsn, sqlstore.Options{}).Close()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var trgm bool
	if err := conn.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm')`).Scan(&trgm); err != nil {
		t.Fatal(err)
	}
	if trgm {
		t.Fatal("pg_trgm was created by a role that may not create extensions; the test proves nothing")
	}
	storetest.Run(t, func(t *testing.T) store.Archive { return open(t, restrictedDSN(t), sqlstore.Options{}) })
}

// restrictedDSN creates an empty database for one test, and a role that
// may use it but not create extensions in it, as on a managed server that
// does not offer pg_trgm; it returns a DSN that logs in as that role. Both
// are dropped when the test ends.
func restrictedDSN(t testing.TB) string {
	t.Helper()
	admin := pgtest.AdminDSN(t)
	if !strings.HasPrefix(admin, "postgres://") && !strings.HasPrefix(admin, "postgresql://") {
		t.Skip("GRUNNLAG_TEST_POSTGRES is not a URL; the test needs to set the user")
	}
	role := pgtest.Name("grunnlag_t_role_")
	pgtest.Exec(t, admin, "CREATE ROLE "+role+" LOGIN")
	t.Cleanup(func() { pgtest.Exec(t, admin, "DROP ROLE IF EXISTS "+role) })
	dsn := pgtest.FreshDSN(t) // dropped before the role: cleanups run last first
	pgtest.Exec(t, dsn, "GRANT USAGE, CREATE ON SCHEMA public TO "+role)
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	u.User = url.User(role)
	return u.String()
}

// TestMemory opens an in-memory store: it works like a file and is gone
// at Close.
func TestMemory(t *testing.T) {
	ctx := context.Background()
	db, err := sqlstore.OpenMemory(ctx)
	if err != nil {
		t.Fatalf("OpenMemory() = %v", err)
	}
	defer db.Close()
	s := constructed("12041", 4)
	if _, err := db.SaveSnapshot(ctx, s); err != nil {
		t.Fatalf("SaveSnapshot() = %v", err)
	}
	if got, err := db.LatestSnapshot(ctx, "12041"); err != nil || got.ID != s.ID {
		t.Errorf("LatestSnapshot() = %v, %v, want snapshot %d", got, err, s.ID)
	}
}

// TestUpgradeFromVersion3 opens a database as grunnlag left it at schema
// version 3 (before the stores became one), with a stored pack: it is
// migrated, and the pack, its search and the snapshots read as before.
func TestUpgradeFromVersion3(t *testing.T) {
	forEach(t, func(t *testing.T, e engine) {
		ctx := context.Background()
		dsn := e.newDSN(t)
		dir := "migrations/sqlite"
		packs := `'["konstruert","regionalt (konstruert)"]'`
		vec := ""
		schemaTable := `CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL) STRICT`
		if e.name == "PostgreSQL" {
			schemaTable = `CREATE TABLE schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`
			dir = "migrations/postgres"
			packs = `ARRAY['konstruert','regionalt (konstruert)']`
			vec = `, vec`
		}
		files, err := filepath.Glob(filepath.Join(dir, "000[123]_*.sql"))
		if err != nil || len(files) != 3 {
			t.Fatalf("migrations 1 to 3 in %s: %v, %v", dir, files, err)
		}
		var stmts []string
		for i, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			stmts = append(stmts, string(b))
			if i == 0 {
				stmts = append(stmts, schemaTable)
			}
			stmts = append(stmts, `INSERT INTO schema_migrations VALUES (`+strconv.Itoa(i+1)+`, '`+filepath.Base(f)+`', '2025-01-01T00:00:00.000000000Z')`)
		}
		entryVec := "" // PostgreSQL: the tsvector 'sikkerhetspatcher':1 as an SQL string
		if vec != "" {
			entryVec = `, '''sikkerhetspatcher'':1'`
		}
		stmts = append(stmts,
			`INSERT INTO catalog_load (id, digest, packs, loaded_at) VALUES (1, 'd3', `+packs+`, '2025-01-01T00:00:00.000000000Z')`,
			`INSERT INTO catalog_entries (pos, kind, id, summary, text, pack, file, line, data, words`+vec+`)
				VALUES (1, 'finding', 'f1', 'konstruert', 'Sikkerhetspatcher', 'konstruert', 'f.yaml', 1, NULL, 'sikkerhetspatcher'`+entryVec+`)`)
		if e.name == "SQLite" {
			stmts = append(stmts, `INSERT INTO catalog_words (rowid, words) VALUES (1, 'sikkerhetspatcher')`,
				`INSERT INTO catalog_trigram (rowid, words) VALUES (1, 'sikkerhetspatcher')`)
		}
		rawExec(t, e, dsn, stmts...)

		db := open(t, dsn, sqlstore.Options{})
		defer db.Close()
		if v, err := db.SchemaVersion(ctx); err != nil || v != knownVersion {
			t.Errorf("SchemaVersion() after upgrading = %d, %v, want %d", v, err, knownVersion)
		}
		info, err := db.CatalogInfo(ctx)
		if err != nil {
			t.Fatalf("CatalogInfo() after upgrading = %v", err)
		}
		if diff := cmp.Diff([]string{"konstruert", "regionalt (konstruert)"}, info.Packs); diff != "" || info.Digest != "d3" {
			t.Errorf("CatalogInfo() after upgrading: digest %q, packs mismatch (-want +got):\n%s", info.Digest, diff)
		}
		if hits, err := db.SearchCatalog(ctx, "patch", 0); err != nil || len(hits) != 1 {
			t.Errorf("SearchCatalog(patch) after upgrading = %v, %v, want the one entry", hits, err)
		}
		load := store.CatalogLoad{Digest: "d4", Packs: []string{"ny"}, LoadedAt: time.Now(), Entries: []store.CatalogEntry{
			{Kind: "need", ID: "n1", Summary: "konstruert", Text: "Øvelser", Pack: "ny", File: "n.yaml", Line: 1}}}
		if _, err := db.ReplaceCatalog(ctx, load); err != nil {
			t.Fatalf("ReplaceCatalog() after upgrading = %v", err)
		}
		if hits, err := db.SearchCatalog(ctx, "øvelser", 0); err != nil || len(hits) != 1 {
			t.Errorf("SearchCatalog(øvelser) after replacing = %v, %v, want the new entry", hits, err)
		}
	})
}

func TestAccounts(t *testing.T) {
	forEach(t, func(t *testing.T, e engine) {
		storetest.RunAccounts(t, func(t *testing.T) storetest.Store { return open(t, e.newDSN(t), sqlstore.Options{}) })
	})
}

// TestAuditTampered changes, removes and inserts audit entries behind the
// store's back, as someone with the database's password could: the chain
// shows each.
func TestAuditTampered(t *testing.T) {
	forEach(t, func(t *testing.T, e engine) {
		ctx := context.Background()
		tests := []struct {
			name, sql, want string
		}{
			{"changed", `UPDATE audit_log SET detail = 'ingenting' WHERE seq = 2`, "audit entry 2 (role.grant): its content does not match its hash"},
			{"removed", `DELETE FROM audit_log WHERE seq = 2`, "audit entry 3: expected number 2"},
			{"removed and renumbered", `DELETE FROM audit_log WHERE seq = 2; UPDATE audit_log SET seq = 2 WHERE seq = 3`, "audit entry 2: its link to entry 1 does not match"},
			{"last removed", `DELETE FROM audit_log WHERE seq = 3`, ""}, // a cut tail is found by comparing the count with a copy kept elsewhere
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				dsn := e.newDSN(t)
				db := open(t, dsn, sqlstore.Options{})
				defer db.Close()
				for i, a := range []string{"login", "role.grant", "login"} {
					if _, err := db.AppendAudit(ctx, store.AuditEntry{At: time.Date(2026, 1, 1, 0, 0, i, 0, time.UTC), Actor: "cli", Action: a, Detail: "x"}); err != nil {
						t.Fatal(err)
					}
				}
				for _, s := range strings.Split(tt.sql, "; ") {
					rawExec(t, e, dsn, s)
				}
				all, err := db.AuditLog(ctx, store.AuditFilter{})
				if err != nil {
					t.Fatal(err)
				}
				err = store.VerifyAudit(all)
				if tt.want == "" {
					if err != nil {
						t.Errorf("VerifyAudit() = %v, want nil", err)
					}
					return
				}
				if err == nil || !strings.Contains(err.Error(), tt.want) {
					t.Errorf("VerifyAudit() = %v, want %q", err, tt.want)
				}
			})
		}
	})
}

func TestSurvey(t *testing.T) {
	forEach(t, func(t *testing.T, e engine) {
		storetest.RunSurvey(t, func(t *testing.T) storetest.Store { return open(t, e.newDSN(t), sqlstore.Options{}) })
	})
}

func TestCoordination(t *testing.T) {
	forEach(t, func(t *testing.T, e engine) {
		dsn := e.newDSN(t)
		a, b := open(t, dsn, sqlstore.Options{}), open(t, dsn, sqlstore.Options{})
		defer a.Close()
		defer b.Close()
		storetest.RunCoordination(t, a, b)
	})
}

package postgres_test

import (
	"context"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/grunnlag/grunnlag/internal/fault"
	"github.com/grunnlag/grunnlag/internal/store"
	"github.com/grunnlag/grunnlag/internal/store/postgres"
	"github.com/grunnlag/grunnlag/internal/store/postgres/pgtest"
	"github.com/grunnlag/grunnlag/internal/store/sqlite"
	"github.com/grunnlag/grunnlag/internal/store/storetest"
)

// knownVersion is the number of migrations in migrations/.
const knownVersion = 3

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

func openFresh(t testing.TB) *postgres.DB {
	t.Helper()
	db, err := postgres.Open(context.Background(), pgtest.FreshDSN(t))
	if err != nil {
		t.Fatalf("Open() = %v", err)
	}
	return db
}

func TestStore(t *testing.T) {
	pgtest.AdminDSN(t)
	storetest.Run(t, func(t *testing.T) store.Store { return openFresh(t) })
}

// TestCopy copies from SQLite to PostgreSQL, as a deployment that moves
// does, and back.
func TestCopy(t *testing.T) {
	pgtest.AdminDSN(t)
	openSQLite := func(t *testing.T) store.Store {
		db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "grunnlag.db"))
		if err != nil {
			t.Fatalf("sqlite.Open() = %v", err)
		}
		return db
	}
	openPostgres := func(t *testing.T) store.Store { return openFresh(t) }
	t.Run("SQLiteToPostgres", func(t *testing.T) { storetest.RunCopy(t, openSQLite, openPostgres) })
	t.Run("PostgresToSQLite", func(t *testing.T) { storetest.RunCopy(t, openPostgres, openSQLite) })
}

// TestStoreWithoutTrigram runs the suite where pg_trgm cannot be created:
// the store still opens, and substring search gives the same results
// without the trigram index.
func TestStoreWithoutTrigram(t *testing.T) {
	ctx := context.Background()
	dsn := restrictedDSN(t)
	db, err := postgres.Open(ctx, dsn)
	if err != nil {
		t.Fatalf("Open(as a role that may not create extensions) = %v", err)
	}
	db.Close()
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

	storetest.Run(t, func(t *testing.T) store.Store {
		db, err := postgres.Open(ctx, restrictedDSN(t))
		if err != nil {
			t.Fatalf("Open() = %v", err)
		}
		return db
	})
}

func BenchmarkSaveSnapshot5M(b *testing.B) {
	storetest.Bench(b, func(b *testing.B) store.Store { return openFresh(b) }, 5_000_000)
}

func TestSchemaVersion(t *testing.T) {
	db := openFresh(t)
	defer db.Close()
	got, err := db.SchemaVersion(context.Background())
	if err != nil || got != knownVersion {
		t.Errorf("SchemaVersion() = %d, %v, want %d, nil", got, err, knownVersion)
	}
}

// TestMigrationRace opens a new database from several goroutines at once,
// as processes starting together would: every Open succeeds and each
// migration is applied once.
func TestMigrationRace(t *testing.T) {
	ctx := context.Background()
	dsn := pgtest.FreshDSN(t)
	const opens = 4
	var wg sync.WaitGroup
	errs := make([]error, opens)
	start := make(chan struct{})
	for i := range opens {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			db, err := postgres.Open(ctx, dsn)
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
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var rows, highest int
	if err := conn.QueryRow(ctx, `SELECT COUNT(*), MAX(version) FROM schema_migrations`).Scan(&rows, &highest); err != nil {
		t.Fatal(err)
	}
	if rows != knownVersion || highest != knownVersion {
		t.Errorf("schema_migrations after %d opens at once: %d rows up to version %d, want %d up to %d",
			opens, rows, highest, knownVersion, knownVersion)
	}
}

// TestNewerSchema opens a database that a newer grunnlag has migrated.
func TestNewerSchema(t *testing.T) {
	ctx := context.Background()
	dsn := pgtest.FreshDSN(t)
	db, err := postgres.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, `INSERT INTO schema_migrations (version, name) VALUES
		(6, '0006_future.sql'), (7, '0007_future.sql')`); err != nil {
		t.Fatal(err)
	}

	db, err = postgres.Open(ctx, dsn)
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
	admin := pgtest.AdminDSN(t)
	// A port nothing listens on: the server's own port on another address
	// would need root; port 1 on loopback is refused at once.
	u, err := url.Parse(pgtest.WithDatabase(t, admin, "grunnlag_test"))
	if err != nil {
		t.Fatal(err)
	}
	u.Host = "127.0.0.1:1"
	tests := []struct {
		name string
		dsn  string
		kind fault.Kind
	}{
		{"not a dsn", "postgres://x:y@[::1", fault.Invalid},
		{"unknown setting", "host=localhost sslmode=sometimes", fault.Invalid},
		{"nothing listening", u.String() + "&connect_timeout=5", fault.Unavailable},
		{"no such database", pgtest.WithDatabase(t, admin, pgtest.Name("grunnlag_t_missing_")), fault.Invalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db, err := postgres.Open(context.Background(), tt.dsn)
			if err == nil {
				db.Close()
				t.Fatalf("Open(%q) = nil error, want one", tt.dsn)
			}
			if k := fault.KindOf(err); k != tt.kind {
				t.Errorf("Open(%q) = %v (kind %v), want kind %v", tt.dsn, err, k, tt.kind)
			}
		})
	}
}

// TestTwoHandles opens the database twice, as two processes would: the
// table's advisory lock makes one writer store the content and the other
// find it.
func TestTwoHandles(t *testing.T) {
	dsn := pgtest.FreshDSN(t)
	var dbs [2]*postgres.DB
	for i := range dbs {
		db, err := postgres.Open(context.Background(), dsn)
		if err != nil {
			t.Fatalf("Open() = %v", err)
		}
		defer db.Close()
		dbs[i] = db
	}
	storetest.RunTwoHandles(t, dbs[0], dbs[1])
}

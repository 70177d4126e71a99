package postgres_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/grunnlag/grunnlag/internal/fault"
	"github.com/grunnlag/grunnlag/internal/jsonstat"
	"github.com/grunnlag/grunnlag/internal/store"
	"github.com/grunnlag/grunnlag/internal/store/postgres"
	"github.com/grunnlag/grunnlag/internal/store/postgres/pgtest"
	"github.com/grunnlag/grunnlag/internal/store/sqlite"
	"github.com/grunnlag/grunnlag/internal/store/storetest"
)

// knownVersion is the number of migrations in migrations/.
const knownVersion = 3

func adminDSN(t testing.TB) string { return pgtest.AdminDSN(t) }

func freshDSN(t testing.TB) string { return pgtest.FreshDSN(t) }

func withDatabase(t testing.TB, dsn, name string) string { return pgtest.WithDatabase(t, dsn, name) }

func randomHex(t testing.TB) string {
	t.Helper()
	b := make([]byte, 8)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}

// restrictedDSN creates an empty database for one test, and a role that
// may use it but not create extensions in it, as on a managed server that
// does not offer pg_trgm; it returns a DSN that logs in as that role. Both
// are dropped when the test ends.
func restrictedDSN(t testing.TB) string {
	t.Helper()
	admin := adminDSN(t)
	if !strings.HasPrefix(admin, "postgres://") && !strings.HasPrefix(admin, "postgresql://") {
		t.Skip("GRUNNLAG_TEST_POSTGRES is not a URL; the test needs to set the user")
	}
	ctx := context.Background()
	role := "grunnlag_t_role_" + randomHex(t)
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		t.Fatalf("connect to GRUNNLAG_TEST_POSTGRES: %v", err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE ROLE "+role+" LOGIN"); err != nil {
		t.Fatalf("CREATE ROLE: %v", err)
	}
	t.Cleanup(func() {
		conn, err := pgx.Connect(ctx, admin)
		if err != nil {
			t.Errorf("connect to drop role %s: %v", role, err)
			return
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, "DROP ROLE IF EXISTS "+role); err != nil {
			t.Errorf("DROP ROLE %s: %v", role, err)
		}
	})
	dsn := freshDSN(t) // dropped before the role: cleanups run last first
	db, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close(ctx)
	if _, err := db.Exec(ctx, "GRANT USAGE, CREATE ON SCHEMA public TO "+role); err != nil {
		t.Fatalf("GRANT: %v", err)
	}
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	u.User = url.User(role)
	return u.String()
}

func openFresh(t testing.TB) *postgres.DB {
	t.Helper()
	db, err := postgres.Open(context.Background(), freshDSN(t))
	if err != nil {
		t.Fatalf("Open() = %v", err)
	}
	return db
}

func TestStore(t *testing.T) {
	adminDSN(t)
	storetest.Run(t, func(t *testing.T) store.Store { return openFresh(t) })
}

// TestCopy copies from SQLite to PostgreSQL, as a deployment that moves
// does, and back.
func TestCopy(t *testing.T) {
	adminDSN(t)
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
	dsn := freshDSN(t)
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
	dsn := freshDSN(t)
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
	admin := adminDSN(t)
	// A port nothing listens on: the server's own port on another address
	// would need root; port 1 on loopback is refused at once.
	u, err := url.Parse(withDatabase(t, admin, "grunnlag_test"))
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
		{"no such database", withDatabase(t, admin, "grunnlag_t_missing_"+randomHex(t)), fault.Invalid},
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

// TestTwoHandles opens the database twice, as two processes would, and
// saves the same content through both at once, round after round: the
// table's advisory lock makes one store it and the other find it.
func TestTwoHandles(t *testing.T) {
	ctx := context.Background()
	dsn := freshDSN(t)
	var dbs [2]*postgres.DB
	for i := range dbs {
		db, err := postgres.Open(ctx, dsn)
		if err != nil {
			t.Fatalf("Open() = %v", err)
		}
		defer db.Close()
		dbs[i] = db
	}
	const rounds = 5
	for r := range rounds {
		var (
			wg    sync.WaitGroup
			added [2]bool
			ids   [2]int64
			errs  [2]error
		)
		start := make(chan struct{})
		for i, db := range dbs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				s := constructed(r)
				<-start
				added[i], errs[i] = db.SaveSnapshot(ctx, s)
				ids[i] = s.ID
			}()
		}
		close(start)
		wg.Wait()
		if errs[0] != nil || errs[1] != nil {
			t.Fatalf("round %d: SaveSnapshot() = %v, %v", r, errs[0], errs[1])
		}
		if added[0] == added[1] || ids[0] != ids[1] {
			t.Errorf("round %d: added %v, ids %v, want one added and the same id", r, added, ids)
		}
	}
	list, err := dbs[1].Snapshots(ctx, "12041")
	if err != nil || len(list) != rounds {
		t.Errorf("Snapshots() = %d, %v, want %d, nil", len(list), err, rounds)
	}
}

// constructed returns a small snapshot made up for these tests; v sets its
// content.
func constructed(v int) *store.Snapshot {
	return &store.Snapshot{
		TableID: "12041",
		Title:   "Konstruert tabell",
		Raw:     [][]byte{[]byte(`{"constructed":` + strconv.Itoa(v) + `}`)},
		Data: &jsonstat.Dataset{
			Dimensions: []jsonstat.Dimension{{ID: "Region", Label: "region", Categories: []jsonstat.Category{
				{Code: "0301", Label: "Oslo"}, {Code: "4601", Label: "Bergen"},
			}}},
			Values: []float64{float64(v), 1},
		},
	}
}

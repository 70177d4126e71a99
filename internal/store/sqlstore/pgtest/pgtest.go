// Package pgtest gives tests a fresh PostgreSQL database of their own on the
// server that GRUNNLAG_TEST_POSTGRES names (scripts/pg-start starts one).
// Without it a test is skipped, unless GRUNNLAG_REQUIRE_POSTGRES=1 (set by
// .ci/run) turns the skip into a failure, so CI can never skip silently.
package pgtest

import (
	"context"
	"crypto/rand"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
)

// AdminDSN returns GRUNNLAG_TEST_POSTGRES: a database on a server where the
// tests may create and drop databases and roles. It skips (or fails, see
// the package comment) when the variable is unset.
func AdminDSN(t testing.TB) string {
	t.Helper()
	dsn := os.Getenv("GRUNNLAG_TEST_POSTGRES")
	if dsn == "" {
		if os.Getenv("GRUNNLAG_REQUIRE_POSTGRES") == "1" {
			t.Fatal("PostgreSQL not available: GRUNNLAG_TEST_POSTGRES is not set, and GRUNNLAG_REQUIRE_POSTGRES=1")
		}
		t.Skip("PostgreSQL not available, skipping: set GRUNNLAG_TEST_POSTGRES (eval \"$(scripts/pg-start)\")")
	}
	return dsn
}

// FreshDSN creates an empty database for one test and returns its DSN; the
// database is dropped when the test ends. A database per test lets tests,
// and test packages, run at the same time.
func FreshDSN(t testing.TB) string {
	t.Helper()
	admin := AdminDSN(t)
	name := Name("grunnlag_t_")
	Exec(t, admin, "CREATE DATABASE "+name)
	t.Cleanup(func() { Exec(t, admin, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)") })
	return WithDatabase(t, admin, name)
}

// Name returns prefix followed by random letters and digits: a name for a
// database or role of one test that no other test uses, and that needs no
// quoting in SQL.
func Name(prefix string) string {
	return prefix + strings.ToLower(rand.Text())
}

// Exec connects to dsn, runs the statement and disconnects; a failure
// fails the test.
func Exec(t testing.TB, dsn, sql string) {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatalf("connect for %q: %v", sql, err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, sql); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

// WithDatabase returns dsn with its database replaced by name.
func WithDatabase(t testing.TB, dsn, name string) string {
	t.Helper()
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		u, err := url.Parse(dsn)
		if err != nil {
			t.Fatalf("GRUNNLAG_TEST_POSTGRES: %v", err)
		}
		u.Path = "/" + name
		return u.String()
	}
	return dsn + " dbname=" + name // key=value settings: the last one counts
}

// Package pgtest gives tests a fresh PostgreSQL database of their own on the
// server that GRUNNLAG_TEST_POSTGRES names (scripts/pg-start starts one).
// Without it a test is skipped, unless GRUNNLAG_REQUIRE_POSTGRES=1 (set by
// .ci/run) turns the skip into a failure, so CI can never skip silently.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
)

// AdminDSN returns GRUNNLAG_TEST_POSTGRES: a database on a server where the
// tests may create and drop databases. It skips (or fails, see the package
// comment) when the variable is unset.
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
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		t.Fatalf("connect to GRUNNLAG_TEST_POSTGRES: %v", err)
	}
	defer conn.Close(ctx)
	name := "grunnlag_t_" + randomHex(t)
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatalf("CREATE DATABASE %s: %v", name, err)
	}
	t.Cleanup(func() {
		conn, err := pgx.Connect(ctx, admin)
		if err != nil {
			t.Errorf("connect to drop %s: %v", name, err)
			return
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Errorf("DROP DATABASE %s: %v", name, err)
		}
	})
	return WithDatabase(t, admin, name)
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

func randomHex(t testing.TB) string {
	t.Helper()
	b := make([]byte, 8)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}

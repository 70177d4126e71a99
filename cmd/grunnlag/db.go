package main

import (
	"context"
	"strings"

	"github.com/grunnlag/grunnlag/internal/store"
	"github.com/grunnlag/grunnlag/internal/store/postgres"
	"github.com/grunnlag/grunnlag/internal/store/sqlite"
)

// openStore opens the run's database (see openDSN).
func (a *app) openStore(ctx context.Context) (store.Store, error) {
	return openDSN(ctx, a.dsn())
}

// openDSN opens a database: PostgreSQL for a postgres:// or postgresql://
// DSN, else a SQLite file, created if new. Either way the schema is brought
// up to date; a database from a newer grunnlag is refused.
func openDSN(ctx context.Context, dsn string) (store.Store, error) {
	if isPostgres(dsn) {
		return postgres.Open(ctx, dsn)
	}
	return sqlite.Open(ctx, dsn)
}

func isPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

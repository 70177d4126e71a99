package main

import (
	"context"
	"strings"

	"github.com/grunnlag/grunnlag/internal/fault"
	"github.com/grunnlag/grunnlag/internal/store"
	"github.com/grunnlag/grunnlag/internal/store/sqlite"
)

// openStore opens the run's database: PostgreSQL for a postgres:// or
// postgresql:// DSN, else a SQLite file, created with its schema if new.
func (a *app) openStore(ctx context.Context) (store.Store, error) {
	dsn := a.dsn()
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		return nil, fault.WithUser(fault.Invalid, "PostgreSQL-støtte er ikke med i denne versjonen ennå.", fault.Errorf(fault.Invalid, "postgres DSN given, but this build has no PostgreSQL store"))
	}
	return sqlite.Open(ctx, dsn)
}

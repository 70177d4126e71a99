package main

import (
	"context"
	"fmt"

	"github.com/grunnlag/grunnlag/internal/fault"
	"github.com/grunnlag/grunnlag/internal/store/sqlstore"
)

// openStore opens the run's database for writing (see sqlstore.Open): a
// SQLite file, created if new, or PostgreSQL; the schema is brought up to
// date; a database from a newer grunnlag is refused.
func (a *app) openStore(ctx context.Context) (*sqlstore.DB, error) {
	return sqlstore.Open(ctx, a.dsn(), sqlstore.Options{})
}

// openReader opens the run's database read-only, for a command that only
// reads: nothing is created, migrated or written, so the database stays
// byte for byte as it was. When the SQLite file does not exist yet, the
// command reads an empty store in memory, and says so once.
func (a *app) openReader(ctx context.Context) (*sqlstore.DB, error) {
	dsn := a.dsn()
	st, err := sqlstore.Open(ctx, dsn, sqlstore.Options{ReadOnly: true})
	if fault.Is(err, fault.NotFound) && sqlstore.EngineOf(dsn) == sqlstore.SQLite {
		fmt.Fprintf(a.env.stderr, "grunnlag: databasen %s finnes ikke ennå, så ingen tabeller er lagret; den lages av «grunnlag sync», «import» eller «serve».\n", dsn)
		return sqlstore.OpenMemory(ctx)
	}
	return st, err
}

// openDSN opens a database for writing, as copy does with both of its.
func openDSN(ctx context.Context, dsn string) (*sqlstore.DB, error) {
	return sqlstore.Open(ctx, dsn, sqlstore.Options{})
}

// Package postgres implements store.Store on a PostgreSQL server, through
// pgx and its connection pool. It is the store of a deployment that serves
// many users from several processes; the SQLite store is the zero set-up
// default. Both pass the suite in store/storetest.
//
// Several processes may share one database: migrations run under an
// advisory lock, and writers of the same table serialise on an advisory
// lock of that table, so the same content is stored once.
package postgres

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"net"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/grunnlag/grunnlag/internal/fault"
	"github.com/grunnlag/grunnlag/internal/store"
	"github.com/grunnlag/grunnlag/internal/store/internal/backend"
)

// DB is a store.Store on a PostgreSQL database.
type DB struct {
	pool *pgxpool.Pool
}

var _ store.Store = (*DB)(nil)

// Open connects to the database dsn names (a postgres:// URL or key=value
// settings, as libpq takes them) and applies the migrations it lacks. A
// malformed dsn, or a database whose schema is newer than this program
// knows, is fault.Invalid; a server that cannot be reached is
// fault.Unavailable.
func Open(ctx context.Context, dsn string) (*DB, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		// The error names the dsn with its password masked.
		return nil, fault.E(fault.Invalid, fmt.Errorf("postgres dsn: %w", err))
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fault.E(fault.Invalid, fmt.Errorf("postgres: %w", err))
	}
	where := fmt.Sprintf("postgres %s:%d/%s", cfg.ConnConfig.Host, cfg.ConnConfig.Port, cfg.ConnConfig.Database)
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("open %s: %w", where, classify(backend.ContextErr(ctx, err)))
	}
	if err := migrate(ctx, pool); err != nil {
		pool.Close()
		return nil, fmt.Errorf("open %s: %w", where, classify(backend.ContextErr(ctx, err)))
	}
	return &DB{pool: pool}, nil
}

// Close closes every connection of the pool. It waits for connections in
// use to be released.
func (db *DB) Close() error {
	db.pool.Close()
	return nil
}

// SchemaVersion returns the number of the newest migration applied.
func (db *DB) SchemaVersion(ctx context.Context) (int, error) {
	v, err := schemaVersion(ctx, db.pool)
	if err != nil {
		return 0, fmt.Errorf("schema version: %w", classify(backend.ContextErr(ctx, err)))
	}
	return v, nil
}

// Advisory locks take two int4 keys: the first says what is locked, the
// second which one. The values spell "grn" and are otherwise arbitrary;
// they only have to differ from the keys of other programs sharing the
// database.
const (
	lockMigrate int32 = 0x67726e00 // second key 0
	lockTable   int32 = 0x67726e01 // second key: tableKey(table id)
	lockCatalog int32 = 0x67726e02 // second key 0
)

// tableKey maps a table id to the second key of its lock. Two tables that
// share a key only wait for each other.
func tableKey(tableID string) int32 {
	h := fnv.New32a()
	h.Write([]byte(tableID))
	return int32(h.Sum32())
}

// classify gives a PostgreSQL error its fault kind: a broken constraint or
// bad data is Invalid, a server that is down, overloaded or shutting down
// Unavailable, a full disk or an oversized value TooLarge. Errors that
// already have a kind, and context errors, pass unchanged.
func classify(err error) error {
	if err == nil {
		return nil
	}
	var fe *fault.Error
	if errors.As(err, &fe) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch class := pe.Code[:2]; {
		case pe.Code == "22001", pe.Code == "53100", class == "54":
			// value too long, disk full, program limit exceeded
			return fault.E(fault.TooLarge, err)
		case class == "22", class == "23", class == "28", class == "3D":
			// data exception, integrity constraint violation, wrong user or
			// password, no such database
			return fault.E(fault.Invalid, err)
		case class == "08", class == "53", class == "57",
			pe.Code == "40001", pe.Code == "40P01", pe.Code == "55P03":
			// connection exception, insufficient resources, operator
			// intervention (shutdown), serialization failure, deadlock,
			// lock not available
			return fault.E(fault.Unavailable, err)
		}
		return err
	}
	var ce *pgconn.ConnectError
	var ne net.Error
	if errors.As(err, &ce) || errors.As(err, &ne) {
		return fault.E(fault.Unavailable, err)
	}
	return err
}

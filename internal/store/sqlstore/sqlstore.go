// Package sqlstore is grunnlag's store: one implementation of store.Store
// on database/sql, for a SQLite file (the zero set-up default, through the
// pure Go driver modernc.org/sqlite) and for a PostgreSQL server (a
// deployment that serves many users from several processes, through pgx's
// database/sql driver).
//
// Every query is written once, with ? placeholders that the PostgreSQL
// dialect rewrites to $1, $2, .... A small dialect holds only what truly
// differs: how a write transaction takes its lock (SQLite's BEGIN IMMEDIATE,
// PostgreSQL's advisory locks), how cells are written and read in bulk
// (multi-row INSERTs; COPY and binary reads on PostgreSQL's raw
// connection), the full-text search SQL, how times are kept, error
// classification and the migrations folder.
//
// A store opened read-only never writes: no migration runs, SQLite opens
// the file read-only, and PostgreSQL sessions default to read-only
// transactions, so a read command works on a read-only file or with a role
// that may only SELECT.
package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/grunnlag/grunnlag/internal/fault"
	"github.com/grunnlag/grunnlag/internal/store"
)

// DB is a store.Store on a SQLite file or a PostgreSQL database.
type DB struct {
	d     dialect
	write *sql.DB // nil when opened read-only
	read  *sql.DB // the same pool as write on PostgreSQL
	where string  // the database, for messages: a file path or host/database
	// The pools' prepared statements (SQLite only; see stmtCache).
	readStmts, writeStmts *stmtCache
}

var (
	_ store.Store    = (*DB)(nil)
	_ store.Archive  = (*DB)(nil)
	_ store.Accounts = (*DB)(nil)
)

// Options change how Open opens a database.
type Options struct {
	// ReadOnly opens the database for reading only: nothing is created or
	// migrated, and every write fails. A database whose schema is older
	// than this program's is refused with a message to run
	// `grunnlag migrate`.
	ReadOnly bool
}

// Engine is the database a DSN names.
type Engine int

// The engines.
const (
	SQLite Engine = iota
	Postgres
)

func (e Engine) String() string {
	if e == Postgres {
		return "PostgreSQL"
	}
	return "SQLite"
}

// EngineOf tells which database dsn names: PostgreSQL for a postgres:// or
// postgresql:// URL and for libpq's keyword/value settings ("host=db
// dbname=grunnlag"), SQLite for anything else, which is a file path. A
// keyword DSN is never taken for a file name: that would create a file
// named after its settings, password included.
func EngineOf(dsn string) Engine {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") || isKeywordDSN(dsn) {
		return Postgres
	}
	return SQLite
}

// isKeywordDSN reports whether dsn looks like libpq keyword/value settings:
// its first word is a known keyword followed by '='.
func isKeywordDSN(dsn string) bool {
	key, _, ok := strings.Cut(strings.TrimSpace(dsn), "=")
	if !ok {
		return false
	}
	switch strings.TrimSpace(key) {
	case "host", "hostaddr", "port", "dbname", "user", "password", "passfile", "sslmode",
		"connect_timeout", "application_name", "options", "service", "target_session_attrs":
		return true
	}
	return false
}

// Open opens the database dsn names (see EngineOf) and, unless opts says
// read-only, creates it if it is a new SQLite file and applies the
// migrations it lacks. A database whose schema is newer than this program
// knows is refused with fault.Invalid.
func Open(ctx context.Context, dsn string, opts Options) (*DB, error) {
	var (
		db  *DB
		err error
	)
	if EngineOf(dsn) == Postgres {
		db, err = openPostgres(ctx, dsn, opts)
	} else {
		db, err = openSQLite(ctx, dsn, opts)
	}
	if err != nil {
		return nil, err
	}
	if err := db.prepare(ctx, opts); err != nil {
		db.Close()
		return nil, fmt.Errorf("open %s: %w", db.where, err)
	}
	return db, nil
}

// OpenMemory opens a new, empty SQLite database that lives in memory until
// Close: the store a read command uses when there is no database file yet,
// or to search a knowledge pack that differs from the stored one.
func OpenMemory(ctx context.Context) (*DB, error) {
	db, err := openSQLiteMemory(ctx)
	if err != nil {
		return nil, err
	}
	if err := db.prepare(ctx, Options{}); err != nil {
		db.Close()
		return nil, fmt.Errorf("open in-memory database: %w", err)
	}
	return db, nil
}

// prepare migrates a writable database, or checks a read-only one's
// schema.
func (db *DB) prepare(ctx context.Context, opts Options) error {
	if !opts.ReadOnly {
		return db.d.classify(contextErr(ctx, db.migrate(ctx)))
	}
	var tables, have int
	if err := db.read.QueryRowContext(ctx, db.d.rebind(db.d.tableExists()), "schema_migrations").Scan(&tables); err != nil {
		return db.d.classify(contextErr(ctx, err))
	}
	if tables > 0 {
		var err error
		if have, err = schemaVersion(ctx, db.read); err != nil {
			return db.d.classify(contextErr(ctx, err))
		}
	}
	known, err := db.knownVersion()
	if err != nil {
		return err
	}
	return checkReadable(have, known)
}

// Close closes the database. It waits for running queries to finish.
func (db *DB) Close() error {
	var errs []error
	if db.read != nil {
		errs = append(errs, db.read.Close())
	}
	if db.write != nil && db.write != db.read {
		errs = append(errs, db.write.Close())
	}
	db.readStmts.close()
	if db.writeStmts != db.readStmts {
		db.writeStmts.close()
	}
	return errors.Join(errs...)
}

// Engine returns the database the store is on.
func (db *DB) Engine() Engine { return db.d.engine() }

// SchemaVersion returns the number of the newest migration applied.
func (db *DB) SchemaVersion(ctx context.Context) (int, error) {
	v, err := schemaVersion(ctx, db.read)
	if err != nil {
		return 0, fmt.Errorf("schema version: %w", db.d.classify(contextErr(ctx, err)))
	}
	return v, nil
}

// errReadOnly is the error of a write to a store opened read-only.
func (db *DB) errReadOnly(what string) error {
	return fault.Errorf(fault.Invalid, "%s: the database %s is open read-only", what, db.where)
}

// fileExists reports whether path names an existing file; what a read-only
// open of a SQLite file needs to know first.
func fileExists(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && !fi.IsDir()
}

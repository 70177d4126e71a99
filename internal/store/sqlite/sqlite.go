// Package sqlite implements store.Store on one SQLite file, through the pure
// Go driver modernc.org/sqlite. It is grunnlag's default store: zero set-up,
// one file to copy or back up.
//
// The file runs in WAL mode, so readers never wait for a writer. Writes go
// through a pool of one connection that begins its transactions IMMEDIATE:
// writers in this process queue in the pool instead of failing with
// SQLITE_BUSY, and a writer in another process waits up to the busy timeout.
package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"runtime"
	"strconv"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/grunnlag/grunnlag/internal/fault"
	"github.com/grunnlag/grunnlag/internal/store"
	"github.com/grunnlag/grunnlag/internal/store/internal/backend"
)

// DB is a store.Store on one SQLite file.
type DB struct {
	write *sql.DB // one connection; every transaction BEGIN IMMEDIATE
	read  *sql.DB // several connections, query_only

	cellRows int // cells per INSERT; 0 means defaultRowsPerInsert (tests vary it)
}

var _ store.Store = (*DB)(nil)

// busyTimeout is how long a write waits for another process that holds the
// file's write lock before it fails: a large table can take that long to
// save.
const busyTimeout = 30 * time.Second

// Open opens the SQLite database at path, creating the file if needed, and
// applies the migrations it lacks. A database whose schema is newer than
// this program knows is refused with an error of kind fault.Invalid.
func Open(ctx context.Context, path string) (*DB, error) {
	if path == "" || path == ":memory:" {
		// Two pools on :memory: would be two separate databases.
		return nil, fault.Errorf(fault.Invalid, "sqlite store needs a file path, got %q", path)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fault.E(fault.Invalid, fmt.Errorf("sqlite path %q: %w", path, err))
	}

	db := &DB{}
	db.write, err = sql.Open("sqlite", dsn(abs, true))
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", abs, err)
	}
	db.write.SetMaxOpenConns(1)
	db.write.SetMaxIdleConns(1)
	db.write.SetConnMaxIdleTime(0)
	db.write.SetConnMaxLifetime(0)

	if err := migrate(ctx, db.write); err != nil {
		db.write.Close()
		return nil, fmt.Errorf("open %s: %w", abs, classify(err))
	}

	db.read, err = sql.Open("sqlite", dsn(abs, false))
	if err != nil {
		db.write.Close()
		return nil, fmt.Errorf("open %s: %w", abs, err)
	}
	readers := max(runtime.NumCPU(), 2)
	db.read.SetMaxOpenConns(readers)
	db.read.SetMaxIdleConns(readers)
	if err := db.read.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open %s: %w", abs, classify(err))
	}
	return db, nil
}

// dsn returns the data source name of the write or the read pool. The path
// goes in a file: URI so that '?' or '#' in a file name stays in the name.
func dsn(path string, write bool) string {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout("+strconv.FormatInt(busyTimeout.Milliseconds(), 10)+")")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "synchronous(NORMAL)")
	if write {
		// journal_mode is a property of the file; the writer sets it once.
		q.Add("_pragma", "journal_mode(WAL)")
		// Keeps the WAL file from staying large after a big save.
		q.Add("_pragma", "journal_size_limit(67108864)")
		q.Add("_pragma", "cache_size(-65536)") // 64 MiB for bulk inserts
		q.Set("_txlock", "immediate")
	} else {
		q.Add("_pragma", "query_only(1)")
		q.Add("_pragma", "cache_size(-16384)")
	}
	u := url.URL{Scheme: "file", Path: filepath.ToSlash(path), RawQuery: q.Encode()}
	return u.String()
}

// Close closes the database. It waits for running queries to finish.
func (db *DB) Close() error {
	var errs []error
	if db.read != nil {
		errs = append(errs, db.read.Close())
	}
	if db.write != nil {
		errs = append(errs, db.write.Close())
	}
	return errors.Join(errs...)
}

// SchemaVersion returns the number of the newest migration applied.
func (db *DB) SchemaVersion(ctx context.Context) (int, error) {
	v, err := schemaVersion(ctx, db.read)
	if err != nil {
		return 0, fmt.Errorf("schema version: %w", classify(backend.ContextErr(ctx, err)))
	}
	return v, nil
}

// classify gives an SQLite error its fault kind: a lock held too long by
// another process is Unavailable, a broken constraint or a file that is no
// SQLite database Invalid, a full disk or an oversized value TooLarge.
// Errors that already have a kind, and context errors, pass unchanged.
func classify(err error) error {
	if err == nil {
		return nil
	}
	var fe *fault.Error
	if errors.As(err, &fe) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return err
	}
	switch se.Code() & 0xff {
	case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
		return fault.E(fault.Unavailable, err)
	case sqlite3.SQLITE_CONSTRAINT, sqlite3.SQLITE_NOTADB:
		return fault.E(fault.Invalid, err)
	case sqlite3.SQLITE_FULL, sqlite3.SQLITE_TOOBIG:
		return fault.E(fault.TooLarge, err)
	}
	return err
}

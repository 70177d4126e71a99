package sqlstore

import (
	"context"
	"database/sql"
	"io/fs"
	"time"

	"github.com/grunnlag/grunnlag/internal/store"
)

// dialect is what differs between SQLite and PostgreSQL. Everything else
// is written once, in this package's other files.
type dialect interface {
	engine() Engine

	// rebind rewrites a query written with ? placeholders for the driver.
	rebind(query string) string

	// migrations returns the folder of the dialect's numbered migrations.
	migrations() fs.FS

	// schemaTable creates schema_migrations when it does not exist, and
	// tableExists is a query of one argument, a table name, that counts
	// the tables of that name (0 or 1).
	schemaTable() string
	tableExists() string

	// lockMigrations serialises migrations between processes for the
	// duration of the transaction (SQLite: the write lock held since
	// BEGIN IMMEDIATE already does).
	lockMigrations(ctx context.Context, tx *Tx) error

	// lock takes the write lock of a resource (a table's snapshots, the
	// catalog) until the transaction ends, so that writers of the same
	// resource in other processes take turns. SQLite's transactions hold
	// the lock of the whole file from BEGIN IMMEDIATE on.
	lock(ctx context.Context, tx *Tx, key lockKey) error

	// timeArg returns t as the dialect binds a time (SQLite: fixed-width
	// UTC text; PostgreSQL: timestamptz).
	timeArg(t time.Time) any

	// insertCategories and insertCells write a snapshot's categories and
	// cells in bulk.
	insertCategories(ctx context.Context, tx *Tx, id int64, rows []categoryRow) error
	insertCells(ctx context.Context, tx *Tx, id int64, cells *cellWalk) error

	// readCells fills in the values, texts and statuses of s's data, whose
	// dimensions are read.
	readCells(ctx context.Context, tx *Tx, s *store.Snapshot) error

	// clearSearchIndex empties the catalog's full-text index, and
	// indexEntry adds the entry at pos (stored in catalog_entries) with its
	// words (store.SearchWords).
	clearSearchIndex(ctx context.Context, tx *Tx) error
	indexEntry(ctx context.Context, tx *Tx, pos int, words string) error

	// search runs the two tiers of a catalog search (see searchTiers).
	search(ctx context.Context, tx *Tx, s *searchTiers) error

	// readTxOptions are the options of a read transaction: it sees one
	// state of the database.
	readTxOptions() *sql.TxOptions

	// notify tells other servers, when tx commits, that the change counter
	// rose; listen returns a channel that receives when another server
	// tells so (nil: the counter is only polled).
	notify(ctx context.Context, tx *Tx) error
	listen(ctx context.Context, pool *sql.DB) <-chan struct{}

	// integrity checks the database's own consistency and returns its
	// problems.
	integrity(ctx context.Context, q *sql.DB) ([]string, error)

	// classify gives a driver error its fault kind. Errors that already
	// have a kind, and context errors, pass unchanged.
	classify(err error) error
}

// lockKey names what a write locks: a kind and, for a table, its id.
type lockKey struct {
	kind int32
	name string
}

// The kinds of write locks.
const (
	lockTable   int32 = 0x67726e01 // name: the table id
	lockCatalog int32 = 0x67726e02 // name: empty
	lockAudit   int32 = 0x67726e03 // name: empty
	lockRate    int32 = 0x67726e04 // name: the counter's key
	lockAnswers int32 = 0x67726e05 // name: round/organisation
	lockLease   int32 = 0x67726e06 // name: the lease's
)

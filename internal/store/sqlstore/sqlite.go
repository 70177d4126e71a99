package sqlstore

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/grunnlag/grunnlag/internal/fault"
	"github.com/grunnlag/grunnlag/internal/store"
)

// The SQLite file runs in WAL mode, so readers never wait for a writer.
// Writes go through a pool of one connection that begins its transactions
// IMMEDIATE: writers in this process queue in the pool instead of failing
// with SQLITE_BUSY, and a writer in another process waits up to the busy
// timeout. Readers use a pool of their own whose connections are
// query_only.

//go:embed migrations/sqlite/*.sql
var sqliteMigrations embed.FS

// busyTimeout is how long a write waits for another process that holds the
// file's write lock before it fails: a large table can take that long to
// save.
const busyTimeout = 30 * time.Second

// sqliteDialect is SQLite's side of the store.
type sqliteDialect struct {
	cellRows int // cells per INSERT; 0 means defaultRowsPerInsert (tests vary it)
}

func openSQLite(ctx context.Context, path string, opts Options) (*DB, error) {
	if path == "" || path == ":memory:" {
		// Two pools on :memory: would be two separate databases.
		return nil, fault.Errorf(fault.Invalid, "sqlite store needs a file path, got %q", path)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fault.E(fault.Invalid, fmt.Errorf("sqlite path %q: %w", path, err))
	}
	d := &sqliteDialect{}
	db := &DB{d: d, where: abs}
	if opts.ReadOnly {
		if !fileExists(abs) {
			return nil, fault.Errorf(fault.NotFound, "database %s does not exist", abs)
		}
	} else {
		if db.write, err = sql.Open("sqlite", sqliteDSN(abs, modeWrite)); err != nil {
			return nil, fmt.Errorf("open %s: %w", abs, err)
		}
		db.write.SetMaxOpenConns(1)
		db.write.SetMaxIdleConns(1)
		db.write.SetConnMaxIdleTime(0)
		db.write.SetConnMaxLifetime(0)
		// The first connection sets WAL mode; an error here is the file's
		// (not a database, a folder that does not exist).
		if err := db.write.PingContext(ctx); err != nil {
			db.Close()
			return nil, fmt.Errorf("open %s: %w", abs, d.classify(contextErr(ctx, err)))
		}
	}
	mode := modeRead
	if opts.ReadOnly {
		mode = modeReadOnly
	}
	if db.read, err = sql.Open("sqlite", sqliteDSN(abs, mode)); err != nil {
		db.Close()
		return nil, fmt.Errorf("open %s: %w", abs, err)
	}
	readers := max(runtime.NumCPU(), 2)
	db.read.SetMaxOpenConns(readers)
	db.read.SetMaxIdleConns(readers)
	if err := db.read.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open %s: %w", abs, d.classify(contextErr(ctx, err)))
	}
	db.readStmts = newStmtCache(db.read)
	if db.write != nil {
		db.writeStmts = newStmtCache(db.write)
	}
	return db, nil
}

// openSQLiteMemory opens a database in memory, shared by one connection
// that both reads and writes (two pools would be two databases).
func openSQLiteMemory(ctx context.Context) (*DB, error) {
	d := &sqliteDialect{}
	pool, err := sql.Open("sqlite", sqliteDSN(":memory:", modeMemory))
	if err != nil {
		return nil, err
	}
	pool.SetMaxOpenConns(1)
	pool.SetMaxIdleConns(1)
	pool.SetConnMaxIdleTime(0)
	pool.SetConnMaxLifetime(0)
	if err := pool.PingContext(ctx); err != nil {
		pool.Close()
		return nil, d.classify(err)
	}
	stmts := newStmtCache(pool)
	return &DB{d: d, write: pool, read: pool, where: "i minnet", readStmts: stmts, writeStmts: stmts}, nil
}

// sqliteMode says what a pool of connections to the file does.
type sqliteMode int

const (
	modeWrite    sqliteMode = iota // the one writing connection
	modeRead                       // readers beside a writer: query_only
	modeReadOnly                   // readers of a file opened read-only
	modeMemory                     // the one connection of an in-memory database
)

// sqliteDSN returns the data source name of a pool. The path goes in a
// file: URI so that '?' or '#' in a file name stays in the name.
func sqliteDSN(path string, mode sqliteMode) string {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout("+strconv.FormatInt(busyTimeout.Milliseconds(), 10)+")")
	q.Add("_pragma", "foreign_keys(1)")
	switch mode {
	case modeWrite:
		q.Add("_pragma", "synchronous(NORMAL)")
		// journal_mode is a property of the file; the writer sets it once.
		q.Add("_pragma", "journal_mode(WAL)")
		// Keeps the WAL file from staying large after a big save.
		q.Add("_pragma", "journal_size_limit(67108864)")
		q.Add("_pragma", "cache_size(-65536)") // 64 MiB for bulk inserts
		q.Set("_txlock", "immediate")
	case modeRead:
		q.Add("_pragma", "query_only(1)")
		q.Add("_pragma", "cache_size(-16384)")
	case modeReadOnly:
		// mode=ro: SQLite never writes the file, and neither may we.
		q.Set("mode", "ro")
		q.Add("_pragma", "query_only(1)")
		q.Add("_pragma", "cache_size(-16384)")
	case modeMemory:
		q.Set("_txlock", "immediate")
	}
	u := url.URL{Scheme: "file", Path: filepath.ToSlash(path), RawQuery: q.Encode()}
	if mode == modeMemory {
		u = url.URL{Scheme: "file", Opaque: ":memory:", RawQuery: q.Encode()}
	}
	return u.String()
}

func (*sqliteDialect) engine() Engine { return SQLite }

// rebind leaves ? placeholders as they are: SQLite takes them.
func (*sqliteDialect) rebind(query string) string { return query }

func (*sqliteDialect) migrations() fs.FS {
	sub, _ := fs.Sub(sqliteMigrations, "migrations/sqlite")
	return sub
}

func (*sqliteDialect) schemaTable() string {
	return `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    INTEGER PRIMARY KEY,
		name       TEXT NOT NULL,
		applied_at TEXT NOT NULL
	) STRICT`
}

func (*sqliteDialect) tableExists() string {
	return `SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?`
}

// lockMigrations has nothing to do: a write transaction holds the file's
// write lock from BEGIN IMMEDIATE on.
func (*sqliteDialect) lockMigrations(context.Context, *Tx) error { return nil }

// lock has nothing to do: see lockMigrations.
func (*sqliteDialect) lock(context.Context, *Tx, lockKey) error { return nil }

// sqliteTimeLayout stores times in UTC with nanoseconds and a fixed width,
// so that text order is time order.
const sqliteTimeLayout = "2006-01-02T15:04:05.000000000Z"

func (*sqliteDialect) timeArg(t time.Time) any { return t.UTC().Format(sqliteTimeLayout) }

// readTxOptions: the read pool's connections are query_only, and a
// deferred transaction in WAL mode reads one state of the file.
func (*sqliteDialect) readTxOptions() *sql.TxOptions { return nil }

func (*sqliteDialect) insertCategories(ctx context.Context, tx *Tx, id int64, rows []categoryRow) error {
	stmt, err := tx.prepare(ctx, `INSERT INTO categories (snapshot_id, `+categoryColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	defer stmt.Close()
	for _, r := range rows {
		if _, err := stmt.ExecContext(ctx, append([]any{id}, r.Values()...)...); err != nil {
			return fmt.Errorf("insert category %d/%d %s: %w", r.DimPos, r.Pos, r.Code, err)
		}
	}
	return nil
}

// defaultRowsPerInsert is how many cells one INSERT statement carries. Few
// large statements save twice as fast as one prepared statement run per
// cell: each run with a cancellable context costs the driver a goroutine,
// and database/sql adds its own work per call. Between 50 and 1000 rows the
// rate hardly changes. See BenchmarkInsertCells.
const defaultRowsPerInsert = 500

// insertCells stores the cells of d that get a row (see cellWalk), many
// cells to a statement.
func (sd *sqliteDialect) insertCells(ctx context.Context, tx *Tx, id int64, it *cellWalk) error {
	rowsPer := sd.cellRows
	if rowsPer <= 0 {
		rowsPer = defaultRowsPerInsert
	}
	full, err := tx.prepare(ctx, cellInsertSQL(rowsPer))
	if err != nil {
		return fmt.Errorf("prepare cell insert: %w", err)
	}
	defer full.Close()

	// ?1 is the snapshot id, shared by every row of a statement.
	args := make([]any, 1, 1+4*rowsPer)
	args[0] = id
	for {
		args = args[:1]
		for len(args) < cap(args) && it.Next() {
			c := it.Cell()
			args = append(args, c.Index, c.Value, c.Text, c.Status)
		}
		rows := (len(args) - 1) / 4
		if rows == 0 {
			return nil
		}
		if rows == rowsPer {
			_, err = full.ExecContext(ctx, args...)
		} else {
			_, err = tx.exec(ctx, cellInsertSQL(rows), args...)
		}
		if err != nil {
			return fmt.Errorf("insert cells from %d: %w", args[1], err)
		}
		if rows < rowsPer {
			return nil
		}
	}
}

// cellInsertSQL returns an INSERT of rows cells.
func cellInsertSQL(rows int) string {
	var b strings.Builder
	b.Grow(64 + rows*14)
	b.WriteString("INSERT INTO cells (snapshot_id, " + cellColumns + ") VALUES ")
	for i := range rows {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString("(?1,?,?,?,?)")
	}
	return b.String()
}

func (*sqliteDialect) readCells(ctx context.Context, tx *Tx, s *store.Snapshot) error {
	rows, err := tx.query(ctx, `SELECT `+cellColumns+` FROM cells WHERE snapshot_id = ? ORDER BY idx`, s.ID)
	if err != nil {
		return fmt.Errorf("cells: %w", err)
	}
	defer rows.Close()
	var r cellRow
	fields := r.Fields() // once: the loop may run millions of times
	for rows.Next() {
		if err := rows.Scan(fields...); err != nil {
			return fmt.Errorf("cells: %w", err)
		}
		if err := r.AddTo(s); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("cells: %w", err)
	}
	return nil
}

// The catalog's search index is two contentless FTS5 tables over
// catalog_entries.words (migrations/sqlite/0003_catalog.sql).

func (*sqliteDialect) clearSearchIndex(ctx context.Context, tx *Tx) error {
	for _, q := range []string{
		`INSERT INTO catalog_words (catalog_words) VALUES ('delete-all')`,
		`INSERT INTO catalog_trigram (catalog_trigram) VALUES ('delete-all')`,
	} {
		if _, err := tx.exec(ctx, q); err != nil {
			return err
		}
	}
	return nil
}

func (*sqliteDialect) indexEntry(ctx context.Context, tx *Tx, pos int, words string) error {
	if _, err := tx.exec(ctx, `INSERT INTO catalog_words (rowid, words) VALUES (?, ?)`, pos, words); err != nil {
		return err
	}
	_, err := tx.exec(ctx, `INSERT INTO catalog_trigram (rowid, words) VALUES (?, ?)`, pos, words)
	return err
}

// search runs the first tier ranked by bm25 over catalog_words and the
// second through catalog_trigram.
func (*sqliteDialect) search(ctx context.Context, tx *Tx, s *searchTiers) error {
	wordQuery := ftsQuery(s.Terms, "*")
	q := `SELECT e.kind, e.id, e.summary, e.text, e.pack, e.file, e.line, '', -bm25(catalog_words)
		FROM catalog_words JOIN catalog_entries e ON e.pos = catalog_words.rowid
		WHERE catalog_words MATCH ?
		ORDER BY bm25(catalog_words), e.pos`
	args := []any{wordQuery}
	if s.Limit > 0 {
		q += ` LIMIT ?`
		args = append(args, s.Limit)
	}
	if err := scanHits(ctx, tx, s.AddWord, q, args...); err != nil || !s.Inside() {
		return err
	}

	q = `SELECT e.kind, e.id, e.summary, e.text, e.pack, e.file, e.line, e.words, 0
		FROM catalog_trigram JOIN catalog_entries e ON e.pos = catalog_trigram.rowid
		WHERE catalog_trigram MATCH ?
		AND e.pos NOT IN (SELECT rowid FROM catalog_words WHERE catalog_words MATCH ?)`
	args = []any{ftsQuery(s.Long, ""), wordQuery}
	if len(s.Short) > 0 {
		q += ` AND e.pos IN (SELECT rowid FROM catalog_words WHERE catalog_words MATCH ?)`
		args = append(args, ftsQuery(s.Short, "*"))
	}
	return scanHits(ctx, tx, s.AddInside, q+` ORDER BY e.pos`, args...)
}

// ftsQuery returns an FTS5 query that matches every term, each quoted and
// followed by suffix ("*" for a prefix match).
func ftsQuery(terms []string, suffix string) string {
	q := make([]string, len(terms))
	for i, t := range terms {
		q[i] = ftsQuote(t) + suffix
	}
	return strings.Join(q, " AND ")
}

// ftsQuote makes a term an FTS5 string, so that nothing in it is query
// syntax. Terms hold only letters, digits and marks (store.SearchTerms);
// quoting is the second line of defence.
func ftsQuote(term string) string {
	return `"` + strings.ReplaceAll(term, `"`, `""`) + `"`
}

// classify gives an SQLite error its fault kind: a lock held too long by
// another process is Unavailable; a broken constraint, a file that is no
// SQLite database, or one that cannot be opened Invalid (the user gave the
// path); a full disk or an oversized value TooLarge.
func (*sqliteDialect) classify(err error) error {
	if err == nil || passes(err) {
		return err
	}
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return err
	}
	switch se.Code() & 0xff {
	case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
		return fault.WithUser(fault.Unavailable,
			"Databasen er låst av en annen prosess som skriver til den. Vent til den er ferdig, og prøv igjen.", err)
	case sqlite3.SQLITE_NOTADB:
		return fault.WithUser(fault.Invalid,
			"Filen er ikke en grunnlag-database (SQLite). Sjekk --db; filen er ikke endret.", err)
	case sqlite3.SQLITE_CANTOPEN:
		return fault.WithUser(fault.Invalid,
			"Databasefilen kan ikke åpnes: mappen finnes ikke eller kan ikke skrives til. Sjekk --db.", err)
	case sqlite3.SQLITE_READONLY:
		return fault.WithUser(fault.Invalid,
			"Databasefilen kan bare leses. Kommandoen må skrive til den; sjekk filens rettigheter eller --db.", err)
	case sqlite3.SQLITE_CONSTRAINT:
		return fault.E(fault.Invalid, err)
	case sqlite3.SQLITE_FULL, sqlite3.SQLITE_TOOBIG:
		return fault.E(fault.TooLarge, err)
	}
	return err
}

// passes reports whether classify leaves err as it is: it has a kind
// already, or the context ended.
func passes(err error) bool {
	var fe *fault.Error
	return errors.As(err, &fe) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}

// scanHits runs a query of a search tier and calls add for each row.
func scanHits(ctx context.Context, tx *Tx, add func(*hitRow), query string, args ...any) error {
	rows, err := tx.query(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var r hitRow
		if err := rows.Scan(r.Fields()...); err != nil {
			return err
		}
		add(&r)
	}
	return rows.Err()
}

// integrity runs SQLite's integrity_check: "ok", or one row a problem.
func (*sqliteDialect) integrity(ctx context.Context, q *sql.DB) ([]string, error) {
	rows, err := q.QueryContext(ctx, `PRAGMA integrity_check`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var problems []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		if s != "ok" {
			problems = append(problems, s)
		}
	}
	return problems, rows.Err()
}

// notify has no one to tell: other processes on the file poll the counter.
func (*sqliteDialect) notify(context.Context, *Tx) error { return nil }

// listen: SQLite cannot notify; the counter is polled.
func (*sqliteDialect) listen(context.Context, *sql.DB) <-chan struct{} { return nil }

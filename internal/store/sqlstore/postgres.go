package sqlstore

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"hash/fnv"
	"io/fs"
	"math"
	"net"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/grunnlag/grunnlag/internal/fault"
	"github.com/grunnlag/grunnlag/internal/store"
)

// Several processes may share one PostgreSQL database: migrations run
// under an advisory lock, and writers of the same table serialise on an
// advisory lock of that table, so the same content is stored once.

//go:embed migrations/postgres/*.sql
var postgresMigrations embed.FS

// postgresDialect is PostgreSQL's side of the store.
type postgresDialect struct {
	queries sync.Map // query with ? → query with $n
}

// maxPostgresConns is the size of the connection pool of one process.
const maxPostgresConns = 16

func openPostgres(ctx context.Context, dsn string, opts Options) (*DB, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		// The error names the dsn with its password masked.
		return nil, fault.WithUser(fault.Invalid,
			"PostgreSQL-adressen i --db kan ikke leses. Bruk formen postgres://bruker@vert/database.",
			fmt.Errorf("postgres dsn: %w", err))
	}
	if opts.ReadOnly {
		// Every transaction of the session is read-only unless it says
		// otherwise, and the store's never do.
		cfg.RuntimeParams["default_transaction_read_only"] = "on"
	}
	d := &postgresDialect{}
	where := fmt.Sprintf("postgres %s:%d/%s", cfg.Host, cfg.Port, cfg.Database)
	pool := stdlib.OpenDB(*cfg)
	pool.SetMaxOpenConns(maxPostgresConns)
	pool.SetMaxIdleConns(maxPostgresConns)
	pool.SetConnMaxIdleTime(5 * time.Minute)
	if err := pool.PingContext(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("open %s: %w", where, d.classify(contextErr(ctx, err)))
	}
	db := &DB{d: d, read: pool, where: where}
	if !opts.ReadOnly {
		db.write = pool
	}
	return db, nil
}

func (*postgresDialect) engine() Engine { return Postgres }

// rebind rewrites ? placeholders to $1, $2, ...; the store's queries have
// no ? inside a string literal. ?1 (SQLite's numbered form) becomes $1.
// Results are kept: the store runs a few dozen distinct queries.
func (pd *postgresDialect) rebind(query string) string {
	if q, ok := pd.queries.Load(query); ok {
		return q.(string)
	}
	var b strings.Builder
	b.Grow(len(query) + 16)
	n := 0
	for i := 0; i < len(query); i++ {
		c := query[i]
		if c != '?' {
			b.WriteByte(c)
			continue
		}
		j := i + 1
		for j < len(query) && query[j] >= '0' && query[j] <= '9' {
			j++
		}
		b.WriteByte('$')
		if j > i+1 {
			b.WriteString(query[i+1 : j])
			i = j - 1
		} else {
			n++
			b.WriteString(strconv.Itoa(n))
		}
	}
	q := b.String()
	pd.queries.Store(query, q)
	return q
}

func (*postgresDialect) migrations() fs.FS {
	sub, _ := fs.Sub(postgresMigrations, "migrations/postgres")
	return sub
}

func (*postgresDialect) schemaTable() string {
	return `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    integer PRIMARY KEY,
		name       text        NOT NULL,
		applied_at timestamptz NOT NULL DEFAULT now()
	)`
}

func (*postgresDialect) tableExists() string {
	return `SELECT COUNT(*) FROM pg_catalog.pg_tables WHERE schemaname = current_schema() AND tablename = ?`
}

// Advisory locks take two int4 keys: the first says what is locked, the
// second which one. The values spell "grn" and are otherwise arbitrary;
// they only have to differ from the keys of other programs sharing the
// database.
const lockMigrate int32 = 0x67726e00 // second key 0

func (*postgresDialect) lockMigrations(ctx context.Context, tx *Tx) error {
	if _, err := tx.exec(ctx, `SELECT pg_advisory_xact_lock(?, 0)`, lockMigrate); err != nil {
		return fmt.Errorf("lock for migration: %w", err)
	}
	return nil
}

// lock takes the transaction-scoped advisory lock of key: writers of the
// same table queue until the holder commits or rolls back.
func (*postgresDialect) lock(ctx context.Context, tx *Tx, key lockKey) error {
	if _, err := tx.exec(ctx, `SELECT pg_advisory_xact_lock(?, ?)`, key.kind, nameKey(key.name)); err != nil {
		return fmt.Errorf("lock: %w", err)
	}
	return nil
}

// nameKey maps a name (a table id) to the second key of its lock. Two
// names that share a key only wait for each other.
func nameKey(name string) int32 {
	if name == "" {
		return 0
	}
	h := fnv.New32a()
	h.Write([]byte(name))
	return int32(h.Sum32())
}

func (*postgresDialect) timeArg(t time.Time) any { return t.UTC() }

func (*postgresDialect) readTxOptions() *sql.TxOptions {
	return &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true}
}

// raw runs fn with the pgx connection under tx.
func raw(tx *Tx, fn func(c *pgx.Conn) error) error {
	return tx.conn.Raw(func(dc any) error { return fn(dc.(*stdlib.Conn).Conn()) })
}

// insertCategories loads the categories, which may be thousands, with COPY.
func (*postgresDialect) insertCategories(ctx context.Context, tx *Tx, id int64, rows []categoryRow) error {
	if len(rows) == 0 {
		return nil
	}
	cats := make([][]any, len(rows))
	for i, r := range rows {
		cats[i] = append([]any{id}, r.Values()...)
	}
	return raw(tx, func(c *pgx.Conn) error {
		_, err := c.CopyFrom(ctx, pgx.Identifier{"categories"}, copyColumns(categoryColumns), pgx.CopyFromRows(cats))
		if err != nil {
			return fmt.Errorf("copy categories: %w", err)
		}
		return nil
	})
}

// insertCells loads the cells that get a row (see cellWalk) with COPY.
func (*postgresDialect) insertCells(ctx context.Context, tx *Tx, id int64, cells *cellWalk) error {
	if cells.n > math.MaxInt32 {
		return fmt.Errorf("%d cells: more than the store keeps", cells.n)
	}
	src := &cellSource{cells: cells, row: []any{id, nil, nil, nil, nil}}
	return raw(tx, func(c *pgx.Conn) error {
		if _, err := c.CopyFrom(ctx, pgx.Identifier{"cells"}, copyColumns(cellColumns), src); err != nil {
			return fmt.Errorf("copy cells: %w", err)
		}
		return nil
	})
}

// copyColumns returns snapshot_id and the columns of a column list, as
// CopyFrom takes them.
func copyColumns(list string) []string {
	cols := []string{"snapshot_id"}
	for c := range strings.SplitSeq(list, ",") {
		cols = append(cols, strings.TrimSpace(c))
	}
	return cols
}

// cellSource is a pgx.CopyFromSource over a cellWalk. Values reuses one
// row, whose first value is the snapshot id.
type cellSource struct {
	cells *cellWalk
	row   []any
}

func (src *cellSource) Next() bool {
	if !src.cells.Next() {
		return false
	}
	c := src.cells.Cell()
	src.row[1], src.row[2], src.row[3], src.row[4] = int32(c.Index), c.Value, c.Text, c.Status
	return true
}

func (src *cellSource) Values() ([]any, error) { return src.row, nil }
func (src *cellSource) Err() error             { return nil }

// readCells reads the cells through pgx itself: it scans its own nullable
// types in binary form without database/sql's conversions, much faster
// over millions of cells.
func (*postgresDialect) readCells(ctx context.Context, tx *Tx, s *store.Snapshot) error {
	return raw(tx, func(c *pgx.Conn) error {
		rows, err := c.Query(ctx, `SELECT `+cellColumns+` FROM cells WHERE snapshot_id = $1 ORDER BY idx`, s.ID)
		if err != nil {
			return fmt.Errorf("cells: %w", err)
		}
		defer rows.Close()
		// pgtype's nullable types have the fields of cellRow's sql.Null
		// types.
		var r cellRow
		fields := []any{&r.Index, (*pgtype.Float8)(&r.Value), (*pgtype.Text)(&r.Text), (*pgtype.Text)(&r.Status)}
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
	})
}

// The catalog's search index is the column vec of catalog_entries, a
// tsvector built here (migrations/postgres/0003_catalog.sql).

// clearSearchIndex has nothing to do: the index lives in the entries'
// rows, which are deleted.
func (*postgresDialect) clearSearchIndex(context.Context, *Tx) error { return nil }

func (*postgresDialect) indexEntry(ctx context.Context, tx *Tx, pos int, words string) error {
	_, err := tx.exec(ctx, `UPDATE catalog_entries SET vec = CAST(? AS text)::tsvector WHERE pos = ?`, tsvector(words), pos)
	return err
}

// tsvector limits: a lexeme of at most 2046 bytes, positions 1 to 16383,
// and at most 256 positions a lexeme.
const (
	maxLexeme    = 2046
	maxPosition  = 16383
	maxPositions = 256
)

// tsvector returns the text form of a tsvector of words (a
// store.SearchWords text): each word once, quoted, with the positions where
// it occurs. Built here rather than by to_tsvector, so that no parser or
// dictionary splits, folds or drops words differently from SQLite. A word
// longer than PostgreSQL takes is left out of the vector (a substring
// search still finds it).
func tsvector(words string) string {
	positions := map[string][]int{}
	for i, w := range strings.Fields(words) {
		if len(w) > maxLexeme {
			continue
		}
		p := positions[w]
		if len(p) < maxPositions {
			positions[w] = append(p, min(i+1, maxPosition))
		}
	}
	lexemes := make([]string, 0, len(positions))
	for w := range positions {
		lexemes = append(lexemes, w)
	}
	sort.Strings(lexemes)
	var b strings.Builder
	for i, w := range lexemes {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(quoteLexeme(w))
		b.WriteByte(':')
		for j, p := range positions[w] {
			if j > 0 {
				b.WriteByte(',')
			}
			b.WriteString(strconv.Itoa(p))
		}
	}
	return b.String()
}

// quoteLexeme quotes a word for a tsvector or tsquery literal. Words hold
// only letters, digits and marks (store.SearchWords); quoting is the second
// line of defence.
func quoteLexeme(w string) string {
	w = strings.ReplaceAll(w, `\`, `\\`)
	return "'" + strings.ReplaceAll(w, "'", "''") + "'"
}

// search runs the first tier ranked by ts_rank, whose normalization 1
// (divided by one plus the logarithm of the length) favours short texts as
// bm25 does; the second tier finds each long term with one LIKE, so that
// the trigram index serves it.
func (*postgresDialect) search(ctx context.Context, tx *Tx, s *searchTiers) error {
	wordQuery := prefixQuery(s.Terms)
	q := `SELECT kind, id, summary, text, pack, file, line, ''::text, ts_rank(vec, q, 1)::float8
		FROM catalog_entries, CAST(CAST(? AS text) AS tsquery) AS q
		WHERE vec @@ q
		ORDER BY ts_rank(vec, q, 1) DESC, pos`
	args := []any{wordQuery}
	if s.Limit > 0 {
		q += ` LIMIT ?`
		args = append(args, s.Limit)
	}
	if err := scanHits(ctx, tx, s.AddWord, q, args...); err != nil || !s.Inside() {
		return err
	}

	q = `SELECT kind, id, summary, text, pack, file, line, words, 0::float8
		FROM catalog_entries WHERE NOT vec @@ CAST(CAST(? AS text) AS tsquery)`
	args = []any{wordQuery}
	for _, t := range s.Long {
		args = append(args, "%"+escapeLike(t)+"%")
		q += ` AND words LIKE ?`
	}
	if len(s.Short) > 0 {
		args = append(args, prefixQuery(s.Short))
		q += ` AND vec @@ CAST(CAST(? AS text) AS tsquery)`
	}
	return scanHits(ctx, tx, s.AddInside, q+` ORDER BY pos`, args...)
}

// prefixQuery returns a tsquery that matches every term at a word's
// beginning.
func prefixQuery(terms []string) string {
	q := make([]string, len(terms))
	for i, t := range terms {
		q[i] = quoteLexeme(t) + ":*"
	}
	return strings.Join(q, " & ")
}

// escapeLike escapes the characters LIKE treats specially (with its default
// escape character, the backslash).
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// classify gives a PostgreSQL error its fault kind: a broken constraint or
// bad data is Invalid, a server that is down, overloaded or shutting down
// Unavailable, a full disk or an oversized value TooLarge; a refused login
// and a missing database say so in bokmål.
func (*postgresDialect) classify(err error) error {
	if err == nil || passes(err) {
		return err
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch class := pe.Code[:2]; {
		case pe.Code == "22001", pe.Code == "53100", class == "54":
			// value too long, disk full, program limit exceeded
			return fault.E(fault.TooLarge, err)
		case class == "28":
			return fault.WithUser(fault.Invalid,
				"PostgreSQL avviste innloggingen: feil brukernavn eller passord i --db.", err)
		case pe.Code == "3D000":
			return fault.WithUser(fault.Invalid,
				"Databasen i --db finnes ikke på PostgreSQL-serveren. Opprett den (createdb) eller rett navnet.", err)
		case pe.Code == "25006":
			return fault.WithUser(fault.Invalid,
				"Databasen er åpnet bare for lesing; kommandoen må skrive.", err)
		case pe.Code == "42501":
			return fault.WithUser(fault.Forbidden,
				"PostgreSQL-brukeren i --db har ikke rett til å gjøre dette i databasen.", err)
		case class == "22", class == "23", class == "3D":
			// data exception, integrity constraint violation
			return fault.E(fault.Invalid, err)
		case pe.Code == "55P03":
			return fault.WithUser(fault.Unavailable,
				"Databasen er låst av en annen prosess som skriver til den. Vent til den er ferdig, og prøv igjen.", err)
		case class == "08", class == "53", class == "57", pe.Code == "40001", pe.Code == "40P01":
			// connection exception, insufficient resources, operator
			// intervention (shutdown), serialization failure, deadlock
			return fault.E(fault.Unavailable, err)
		}
		return err
	}
	var ce *pgconn.ConnectError
	var ne net.Error
	if errors.As(err, &ce) || errors.As(err, &ne) {
		return fault.WithUser(fault.Unavailable,
			"PostgreSQL-serveren i --db svarer ikke. Sjekk at den kjører og at adressen er riktig.", err)
	}
	return err
}

// integrity looks for what PostgreSQL itself can tell is broken: indexes
// left invalid (by a failed concurrent build, say).
func (*postgresDialect) integrity(ctx context.Context, q *sql.DB) ([]string, error) {
	rows, err := q.QueryContext(ctx, `SELECT indexrelid::regclass::text FROM pg_index i
		JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE n.nspname = current_schema() AND NOT (i.indisvalid AND i.indisready)`)
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
		problems = append(problems, "index "+s+" is invalid")
	}
	return problems, rows.Err()
}

// changesChannel is the NOTIFY channel of the change counter.
const changesChannel = "grunnlag_changes"

// notify queues a notification; PostgreSQL delivers it when tx commits.
func (*postgresDialect) notify(ctx context.Context, tx *Tx) error {
	_, err := tx.exec(ctx, `SELECT pg_notify(?, '')`, changesChannel)
	return err
}

// listen keeps a connection of its own listening on the channel, and
// opens it again after a failure (the counter is polled meanwhile).
func (*postgresDialect) listen(ctx context.Context, pool *sql.DB) <-chan struct{} {
	wake := make(chan struct{}, 1)
	go func() {
		for ctx.Err() == nil {
			conn, err := pool.Conn(ctx)
			if err == nil {
				err = conn.Raw(func(dc any) error {
					c := dc.(*stdlib.Conn).Conn()
					if _, err := c.Exec(ctx, "LISTEN "+changesChannel); err != nil {
						return err
					}
					for {
						if _, err := c.WaitForNotification(ctx); err != nil {
							return err
						}
						select {
						case wake <- struct{}{}:
						default:
						}
					}
				})
				// The connection was listening: it must not go back to the
				// pool with the LISTEN on it.
				conn.Raw(func(dc any) error { return errors.New("discard") })
				conn.Close()
			}
			select {
			case <-ctx.Done():
			case <-time.After(time.Second):
			}
		}
	}()
	return wake
}

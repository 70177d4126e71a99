package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/grunnlag/grunnlag/internal/fault"
)

// Tx is a transaction of the store: its queries are written with ?
// placeholders, which it rebinds for the dialect. conn is the connection
// the transaction runs on, for what the dialect does through the driver's
// own connection (COPY on PostgreSQL).
type Tx struct {
	tx    *sql.Tx // nil under readOne: statements go to pool
	pool  *sql.DB
	conn  *sql.Conn
	d     dialect
	stmts *stmtCache // nil: every query unprepared (PostgreSQL)
}

// querier is what runs a statement: a transaction, or under readOne the
// pool.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// on returns what runs query: its prepared statement within the
// transaction (or on the pool) when one is ready, else the transaction
// (or the pool) with the query as text, rebound for the dialect.
func (tx *Tx) on(ctx context.Context, query string) (querier, string) {
	q := tx.d.rebind(query)
	st := tx.stmts.get(q)
	switch {
	case st != nil && tx.tx != nil:
		return stmtQuerier{tx.tx.StmtContext(ctx, st)}, ""
	case st != nil:
		return stmtQuerier{st}, ""
	case tx.tx != nil:
		return tx.tx, q
	}
	return tx.pool, q
}

// stmtQuerier runs its prepared statement, whatever query it is given
// (on gives it "").
type stmtQuerier struct{ st *sql.Stmt }

func (s stmtQuerier) ExecContext(ctx context.Context, _ string, args ...any) (sql.Result, error) {
	return s.st.ExecContext(ctx, args...)
}

func (s stmtQuerier) QueryContext(ctx context.Context, _ string, args ...any) (*sql.Rows, error) {
	return s.st.QueryContext(ctx, args...)
}

func (s stmtQuerier) QueryRowContext(ctx context.Context, _ string, args ...any) *sql.Row {
	return s.st.QueryRowContext(ctx, args...)
}

func (tx *Tx) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	q, text := tx.on(ctx, query)
	return q.ExecContext(ctx, text, args...)
}

func (tx *Tx) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	q, text := tx.on(ctx, query)
	return q.QueryContext(ctx, text, args...)
}

func (tx *Tx) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	q, text := tx.on(ctx, query)
	return q.QueryRowContext(ctx, text, args...)
}

func (tx *Tx) prepare(ctx context.Context, query string) (*sql.Stmt, error) {
	return tx.tx.PrepareContext(ctx, tx.d.rebind(query))
}

// writeTx runs fn in a write transaction: it begins (taking SQLite's write
// lock), runs fn, and commits; it rolls back when fn returns an error or
// panics. The error returned is classified (fault kinds) and, when ctx
// ended, is the context's error.
//
// Commit is not cut off by ctx once it is sent: database/sql marks the
// transaction done before it asks the driver to commit, so a cancellation
// at that moment cannot leave the caller not knowing whether the data is
// stored.
func (db *DB) writeTx(ctx context.Context, fn func(tx *Tx) error) error {
	if db.write == nil {
		return db.errReadOnly("write")
	}
	return db.d.classify(contextErr(ctx, db.runTx(ctx, db.write, db.writeStmts, nil, fn)))
}

// readTx runs fn in a read transaction, which sees one state of the
// database, and classifies its error as writeTx does.
func (db *DB) readTx(ctx context.Context, fn func(tx *Tx) error) error {
	return db.d.classify(contextErr(ctx, db.runTx(ctx, db.read, db.readStmts, db.d.readTxOptions(), fn)))
}

// readOne runs fn, which asks the database one statement, outside a
// transaction: a single statement sees one state of the database by
// itself, and on PostgreSQL a transaction would add two round trips
// (BEGIN and COMMIT) to the one. For reads that every request makes.
// fn must not use tx.prepare or tx.conn.
func (db *DB) readOne(ctx context.Context, fn func(tx *Tx) error) error {
	return db.d.classify(contextErr(ctx, fn(&Tx{pool: db.read, d: db.d, stmts: db.readStmts})))
}

func (db *DB) runTx(ctx context.Context, pool *sql.DB, stmts *stmtCache, opts *sql.TxOptions, fn func(tx *Tx) error) (err error) {
	conn, err := pool.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	sqlTx, err := conn.BeginTx(ctx, opts)
	if err != nil {
		return err
	}
	done := false
	defer func() {
		if !done {
			// fn panicked or failed: undo, and let the panic go on.
			sqlTx.Rollback()
		}
	}()
	if err := fn(&Tx{tx: sqlTx, pool: pool, conn: conn, d: db.d, stmts: stmts}); err != nil {
		return err
	}
	done = true
	if err := sqlTx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// contextErr returns err, or the context's error when ctx ended: a
// statement cut off by cancellation fails with a driver error (SQLite's
// SQLITE_INTERRUPT, one of several from pgx), and callers should see
// context.Canceled. An error that has a fault kind already, or is the
// context's error, passes unchanged.
func contextErr(ctx context.Context, err error) error {
	if err == nil || ctx.Err() == nil || errors.Is(err, ctx.Err()) {
		return err
	}
	var fe *fault.Error
	if errors.As(err, &fe) {
		return err
	}
	return fmt.Errorf("%w (%v)", ctx.Err(), err)
}

// Package backend holds what the SQL stores (store/sqlite, store/postgres)
// share apart from their SQL: the rows a snapshot is kept as, encoded
// before a write and decoded after a read; the cells worth a row; the
// frame of a save and of a catalog search; and the numbered migrations.
// Each store keeps its SQL, its driver's types, its locking and its
// transactions, so what is here behaves the same whatever the database.
//
// Nullable text columns are sql.NullString on both sides: database/sql and
// pgx both bind and scan it, and SQLite's STRICT TEXT columns refuse the
// BLOB a []byte would be bound as.
package backend

import (
	"context"
	"errors"
	"fmt"

	"github.com/grunnlag/grunnlag/internal/fault"
)

// ContextErr returns err, or the context's error when ctx ended: a
// statement cut off by cancellation fails with a driver error (SQLite's
// SQLITE_INTERRUPT, one of several from pgx), and callers should see
// context.Canceled. An error that has a fault kind already, or is the
// context's error, passes unchanged.
func ContextErr(ctx context.Context, err error) error {
	if err == nil || ctx.Err() == nil || errors.Is(err, ctx.Err()) {
		return err
	}
	var fe *fault.Error
	if errors.As(err, &fe) {
		return err
	}
	return fmt.Errorf("%w (%v)", ctx.Err(), err)
}

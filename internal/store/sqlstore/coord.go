package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/grunnlag/grunnlag/internal/store"
)

var _ store.Coordination = (*DB)(nil)

// TryLease takes a lease when it is free, expired or the holder's.
func (db *DB) TryLease(ctx context.Context, name, holder string, ttl time.Duration, now time.Time) (bool, error) {
	got := false
	err := db.writeTx(ctx, func(tx *Tx) error {
		if err := db.d.lock(ctx, tx, lockKey{lockLease, name}); err != nil {
			return err
		}
		var have string
		var until time.Time
		err := tx.queryRow(ctx, `SELECT holder, expires_at FROM leases WHERE name = ?`, name).Scan(&have, scanTime(&until))
		switch {
		case errors.Is(err, sql.ErrNoRows):
			_, err = tx.exec(ctx, `INSERT INTO leases (name, holder, expires_at) VALUES (?, ?, ?)`, name, holder, db.timeArg(now.Add(ttl)))
			got = err == nil
			return err
		case err != nil:
			return err
		case have != holder && until.After(now):
			return nil // another's, in force
		}
		_, err = tx.exec(ctx, `UPDATE leases SET holder = ?, expires_at = ? WHERE name = ?`, holder, db.timeArg(now.Add(ttl)), name)
		got = err == nil
		return err
	})
	if err != nil {
		return false, fmt.Errorf("lease %s: %w", name, err)
	}
	return got, nil
}

// ReleaseLease gives a lease back.
func (db *DB) ReleaseLease(ctx context.Context, name, holder string) error {
	err := db.writeTx(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `DELETE FROM leases WHERE name = ? AND holder = ?`, name, holder)
		return err
	})
	if err != nil {
		return fmt.Errorf("release lease %s: %w", name, err)
	}
	return nil
}

// changed raises the change counter inside a write transaction, as its
// last statement (on PostgreSQL the row is locked until the commit that
// follows), and tells listeners when the transaction commits.
func (db *DB) changed(ctx context.Context, tx *Tx) error {
	if _, err := tx.exec(ctx, `UPDATE changes SET serial = serial + 1 WHERE id = 1`); err != nil {
		return fmt.Errorf("change counter: %w", err)
	}
	return db.d.notify(ctx, tx)
}

// changeSerial reads the change counter.
func (db *DB) changeSerial(ctx context.Context) (int64, error) {
	var n int64
	err := db.read.QueryRowContext(ctx, `SELECT serial FROM changes WHERE id = 1`).Scan(&n)
	return n, err
}

// pollEvery is how often the change counter is read when no notification
// says it changed.
const pollEvery = 500 * time.Millisecond

// Changes sends the change counter whenever it changes.
func (db *DB) Changes(ctx context.Context) <-chan int64 {
	out := make(chan int64, 1)
	wake := db.d.listen(ctx, db.read)
	go func() {
		defer close(out)
		last := int64(-1)
		t := time.NewTicker(pollEvery)
		defer t.Stop()
		for {
			if n, err := db.changeSerial(ctx); err == nil && n != last {
				last = n
				select {
				case out <- n:
				default: // the reader has an older value waiting; it will read again
					select {
					case <-out:
					default:
					}
					out <- n
				}
			}
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			case <-wake:
			}
		}
	}()
	return out
}

package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/grunnlag/grunnlag/internal/store"
)

const auditColumns = `seq, at, actor_id, actor, ip, action, object, org_code, detail, prev_hash, hash`

func auditFields(e *store.AuditEntry) []any {
	return []any{&e.Seq, scanTime(&e.At), (*nullInt64)(&e.ActorID), &e.Actor, &e.IP, &e.Action, &e.Object,
		&e.OrgCode, &e.Detail, &e.PrevHash, &e.Hash}
}

// AppendAudit adds an entry to the log. Appends take turns on the log's
// write lock, so each reads the hash of the one before it.
func (db *DB) AppendAudit(ctx context.Context, e store.AuditEntry) (store.AuditEntry, error) {
	if err := e.Validate(); err != nil {
		return e, err
	}
	e.At = store.AuditTime(e.At)
	err := db.writeTx(ctx, func(tx *Tx) error {
		if err := db.d.lock(ctx, tx, lockKey{kind: lockAudit}); err != nil {
			return err
		}
		var last int64
		prev := store.GenesisHash
		err := tx.queryRow(ctx, `SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1`).Scan(&last, &prev)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		e.Seq, e.PrevHash = last+1, prev
		e.Hash = e.ChainHash()
		_, err = tx.exec(ctx, `INSERT INTO audit_log (`+auditColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			e.Seq, db.timeArg(e.At), nullID(e.ActorID), e.Actor, e.IP, e.Action, e.Object, e.OrgCode, e.Detail, e.PrevHash, e.Hash)
		return err
	})
	if err != nil {
		return e, fmt.Errorf("audit %s: %w", e.Action, err)
	}
	return e, nil
}

// AuditLog returns the entries the filter selects, oldest first.
func (db *DB) AuditLog(ctx context.Context, f store.AuditFilter) ([]store.AuditEntry, error) {
	q := `SELECT ` + auditColumns + ` FROM audit_log WHERE 1 = 1`
	var args []any
	if !f.Since.IsZero() {
		q += ` AND at >= ?`
		args = append(args, db.timeArg(f.Since))
	}
	if f.Action != "" {
		q += ` AND (action = ? OR action LIKE ? ESCAPE '\')`
		args = append(args, f.Action, escapeLike(f.Action)+".%")
	}
	if f.ActorID != 0 {
		q += ` AND actor_id = ?`
		args = append(args, f.ActorID)
	}
	if f.OrgCode != "" {
		q += ` AND org_code = ?`
		args = append(args, f.OrgCode)
	}
	if f.Limit > 0 {
		// The newest Limit entries, then oldest first.
		q = `SELECT ` + auditColumns + ` FROM (` + q + ` ORDER BY seq DESC LIMIT ?) newest`
		args = append(args, f.Limit)
	}
	q += ` ORDER BY seq`
	list := []store.AuditEntry{}
	err := db.readTx(ctx, func(tx *Tx) error {
		return scanRows(ctx, tx, auditFields, func(e *store.AuditEntry) error {
			list = append(list, *e)
			return nil
		}, q, args...)
	})
	if err != nil {
		return nil, fmt.Errorf("audit log: %w", err)
	}
	return list, nil
}

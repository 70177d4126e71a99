package sqlstore

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"

	"github.com/grunnlag/grunnlag/internal/store"
)

// Check is one finding of Verify: what was checked and what is wrong, in
// English for operators ("" when all is well).
type Check struct {
	What    string
	Checked int    // how many things were looked at
	Problem string // "" when none
}

// Verify checks a whole database and returns what it looked at and every
// problem: the database's own integrity (SQLite's integrity_check; on
// PostgreSQL, that every table can be read), each snapshot's cells against
// its size, each snapshot's raw bodies against its SHA-256, and the audit
// log's hash chain. It only reads.
func (db *DB) Verify(ctx context.Context) ([]Check, error) {
	var out []Check
	add := func(what string, checked int, problems []string) {
		if len(problems) == 0 {
			out = append(out, Check{What: what, Checked: checked})
		}
		for _, p := range problems {
			out = append(out, Check{What: what, Checked: checked, Problem: p})
		}
	}

	problems, err := db.d.integrity(ctx, db.read)
	if err != nil {
		return nil, err
	}
	add("integrity", 1, problems)

	var snaps []store.SnapshotInfo
	err = db.readTx(ctx, func(tx *Tx) error {
		return scanRows(ctx, tx, infoFields, func(in *store.SnapshotInfo) error {
			snaps = append(snaps, *in)
			return nil
		}, `SELECT `+infoColumns+` FROM snapshots s ORDER BY s.id`)
	})
	if err != nil {
		return nil, err
	}
	var cellProblems, rawProblems []string
	for _, in := range snaps {
		var rows, outside, format, blocks int
		var hasValues bool
		var bytes int64
		err := db.readTx(ctx, func(tx *Tx) error {
			err := tx.queryRow(ctx, `SELECT COUNT(*), COUNT(CASE WHEN idx < 0 OR idx >= ? THEN 1 END) FROM cells WHERE snapshot_id = ?`,
				in.Cells, in.ID).Scan(&rows, &outside)
			if err != nil {
				return err
			}
			return tx.queryRow(ctx, `SELECT s.cell_format, s.has_values, COUNT(v.block), COALESCE(SUM(length(v.data)), 0)
				FROM snapshots s LEFT JOIN cell_values v ON v.snapshot_id = s.id
				WHERE s.id = ? GROUP BY s.cell_format, s.has_values`, in.ID).Scan(&format, &hasValues, &blocks, &bytes)
		})
		if err != nil {
			return nil, err
		}
		switch {
		case outside > 0:
			cellProblems = append(cellProblems, fmt.Sprintf("snapshot %d (table %s): %d cells outside its %d", in.ID, in.TableID, outside, in.Cells))
		case rows > in.Cells:
			cellProblems = append(cellProblems, fmt.Sprintf("snapshot %d (table %s): %d cell rows for %d cells", in.ID, in.TableID, rows, in.Cells))
		case format == cellsInBlocks && hasValues && bytes != 8*int64(in.Cells):
			cellProblems = append(cellProblems, fmt.Sprintf("snapshot %d (table %s): %d blocks hold the values of %d cells, not %d", in.ID, in.TableID, blocks, bytes/8, in.Cells))
		case format == cellsAsRows && blocks > 0:
			cellProblems = append(cellProblems, fmt.Sprintf("snapshot %d (table %s): %d blocks of values for a snapshot kept as rows", in.ID, in.TableID, blocks))
		}
		raw, err := db.SnapshotRaw(ctx, in.ID)
		if err != nil {
			rawProblems = append(rawProblems, fmt.Sprintf("snapshot %d (table %s): raw bodies: %v", in.ID, in.TableID, err))
			continue
		}
		if len(raw) == 0 {
			continue // stored without bodies (a copy that had none)
		}
		h := sha256.New()
		for _, b := range raw {
			h.Write(b)
		}
		if sum := hex.EncodeToString(h.Sum(nil)); sum != in.SHA256 {
			rawProblems = append(rawProblems, fmt.Sprintf("snapshot %d (table %s): the raw bodies hash to %.12s…, the snapshot says %.12s…", in.ID, in.TableID, sum, in.SHA256))
		}
	}
	add("cells", len(snaps), cellProblems)
	add("raw bodies", len(snaps), rawProblems)

	entries, err := db.AuditLog(ctx, store.AuditFilter{})
	if err != nil {
		return nil, err
	}
	var auditProblems []string
	if err := store.VerifyAudit(entries); err != nil {
		auditProblems = append(auditProblems, err.Error())
	}
	add("audit log", len(entries), auditProblems)
	return out, nil
}

package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/grunnlag/grunnlag/internal/fault"
	"github.com/grunnlag/grunnlag/internal/jsonstat"
	"github.com/grunnlag/grunnlag/internal/store"
)

// snapshotColumns are the columns scanSnapshot reads, in order.
const snapshotColumns = `s.id, s.table_id, s.title, s.lang, s.updated, s.fetched_at, s.source, s.sha256, s.cells,
	s.has_values, s.data_label, s.data_source, s.data_updated, s.data_href, s.data_note, s.data_role,
	s.data_extension, s.data_link`

// LatestSnapshot returns the newest snapshot of a table with its data.
func (db *DB) LatestSnapshot(ctx context.Context, tableID string) (*store.Snapshot, error) {
	s, err := db.loadSnapshot(ctx,
		`SELECT `+snapshotColumns+` FROM snapshots s WHERE s.table_id = ? ORDER BY s.id DESC LIMIT 1`,
		tableID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fault.Errorf(fault.NotFound, "table %s has no snapshot", tableID)
	}
	if err != nil {
		return nil, fmt.Errorf("latest snapshot of table %s: %w", tableID, classify(ctxErr(ctx, err)))
	}
	return s, nil
}

// SnapshotAsOf returns the snapshot of a table with the latest fetch time at
// or before t (of those, the newest saved), with its data.
func (db *DB) SnapshotAsOf(ctx context.Context, tableID string, t time.Time) (*store.Snapshot, error) {
	s, err := db.loadSnapshot(ctx, `SELECT `+snapshotColumns+` FROM snapshots s
		WHERE s.table_id = ? AND s.fetched_at <= ? ORDER BY s.fetched_at DESC, s.id DESC LIMIT 1`,
		tableID, formatTime(t))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fault.Errorf(fault.NotFound, "table %s has no snapshot fetched at or before %s", tableID, t.UTC().Format(time.RFC3339))
	}
	if err != nil {
		return nil, fmt.Errorf("snapshot of table %s as of %s: %w", tableID, t.UTC().Format(time.RFC3339), classify(ctxErr(ctx, err)))
	}
	return s, nil
}

// Snapshot returns one snapshot with its data.
func (db *DB) Snapshot(ctx context.Context, id int64) (*store.Snapshot, error) {
	s, err := db.loadSnapshot(ctx, `SELECT `+snapshotColumns+` FROM snapshots s WHERE s.id = ?`, id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fault.Errorf(fault.NotFound, "snapshot %d does not exist", id)
	}
	if err != nil {
		return nil, fmt.Errorf("snapshot %d: %w", id, classify(ctxErr(ctx, err)))
	}
	return s, nil
}

// loadSnapshot reads the snapshot the query selects, with its dimensions,
// categories and cells, in one read transaction.
func (db *DB) loadSnapshot(ctx context.Context, query string, args ...any) (*store.Snapshot, error) {
	tx, err := db.read.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()

	s, err := scanSnapshot(tx.QueryRowContext(ctx, query, args...))
	if err != nil {
		return nil, err
	}
	if err := loadDimensions(ctx, tx, s); err != nil {
		return nil, err
	}
	if err := loadCells(ctx, tx, s); err != nil {
		return nil, err
	}
	return s, nil
}

// scanner is what *sql.Row and *sql.Rows share.
type scanner interface{ Scan(dest ...any) error }

// scanSnapshot reads snapshotColumns into a Snapshot whose Data has the
// dataset-level fields and, when the dataset has values, Values sized to
// its cells and all NaN.
func scanSnapshot(row scanner) (*store.Snapshot, error) {
	var (
		s                     store.Snapshot
		d                     jsonstat.Dataset
		fetchedAt             string
		cells                 int
		hasValues             bool
		note, role, ext, link sql.NullString
	)
	err := row.Scan(&s.ID, &s.TableID, &s.Title, &s.Lang, &s.Updated, &fetchedAt, &s.Source, &s.SHA256, &cells,
		&hasValues, &d.Label, &d.Source, &d.Updated, &d.Href, &note, &role, &ext, &link)
	if err != nil {
		return nil, err
	}
	if s.FetchedAt, err = parseTime(fetchedAt); err != nil {
		return nil, err
	}
	if err := decodeJSON(note, &d.Note); err != nil {
		return nil, fmt.Errorf("snapshot %d note: %w", s.ID, err)
	}
	if d.Role, err = decodeRole(role); err != nil {
		return nil, fmt.Errorf("snapshot %d role: %w", s.ID, err)
	}
	d.Extension, d.Link = rawMessage(ext), rawMessage(link)
	if hasValues {
		d.Values = make([]float64, cells)
		nan := math.NaN()
		for i := range d.Values {
			d.Values[i] = nan
		}
	}
	s.Data = &d
	return &s, nil
}

func loadDimensions(ctx context.Context, tx *sql.Tx, s *store.Snapshot) error {
	rows, err := tx.QueryContext(ctx, `SELECT pos, dim_id, label, note, child, extension, link, href
		FROM dimensions WHERE snapshot_id = ? ORDER BY pos`, s.ID)
	if err != nil {
		return fmt.Errorf("dimensions: %w", err)
	}
	defer rows.Close()
	d := s.Data
	for rows.Next() {
		var (
			pos                          int
			dim                          jsonstat.Dimension
			note, child, extension, link sql.NullString
		)
		if err := rows.Scan(&pos, &dim.ID, &dim.Label, &note, &child, &extension, &link, &dim.Href); err != nil {
			return fmt.Errorf("dimensions: %w", err)
		}
		if pos != len(d.Dimensions) {
			return fmt.Errorf("snapshot %d: dimension at position %d, want %d", s.ID, pos, len(d.Dimensions))
		}
		if err := decodeJSON(note, &dim.Note); err != nil {
			return fmt.Errorf("dimension %s note: %w", dim.ID, err)
		}
		if err := decodeJSON(child, &dim.Child); err != nil {
			return fmt.Errorf("dimension %s child: %w", dim.ID, err)
		}
		dim.Extension, dim.Link = rawMessage(extension), rawMessage(link)
		d.Dimensions = append(d.Dimensions, dim)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("dimensions: %w", err)
	}

	rows, err = tx.QueryContext(ctx, `SELECT dim_pos, pos, code, label, note, unit
		FROM categories WHERE snapshot_id = ? ORDER BY dim_pos, pos`, s.ID)
	if err != nil {
		return fmt.Errorf("categories: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			dimPos, pos int
			c           jsonstat.Category
			note, unit  sql.NullString
		)
		if err := rows.Scan(&dimPos, &pos, &c.Code, &c.Label, &note, &unit); err != nil {
			return fmt.Errorf("categories: %w", err)
		}
		if dimPos < 0 || dimPos >= len(d.Dimensions) || pos != len(d.Dimensions[dimPos].Categories) {
			return fmt.Errorf("snapshot %d: category at %d/%d out of order", s.ID, dimPos, pos)
		}
		if err := decodeJSON(note, &c.Note); err != nil {
			return fmt.Errorf("category %s note: %w", c.Code, err)
		}
		var err error
		if c.Unit, err = decodeUnit(unit); err != nil {
			return fmt.Errorf("category %s unit: %w", c.Code, err)
		}
		d.Dimensions[dimPos].Categories = append(d.Dimensions[dimPos].Categories, c)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("categories: %w", err)
	}
	if n := d.Len(); d.Values != nil && n != len(d.Values) {
		return fmt.Errorf("snapshot %d: %d cells stored, dimensions give %d", s.ID, len(d.Values), n)
	}
	return nil
}

// loadCells fills in values, texts and statuses. Values stays NaN where no
// row exists or the row's value is NULL.
func loadCells(ctx context.Context, tx *sql.Tx, s *store.Snapshot) error {
	rows, err := tx.QueryContext(ctx, `SELECT idx, value, text, status
		FROM cells WHERE snapshot_id = ? ORDER BY idx`, s.ID)
	if err != nil {
		return fmt.Errorf("cells: %w", err)
	}
	defer rows.Close()
	d := s.Data
	n := d.Len()
	var (
		idx          int
		value        sql.NullFloat64
		text, status sql.NullString
	)
	for rows.Next() {
		if err := rows.Scan(&idx, &value, &text, &status); err != nil {
			return fmt.Errorf("cells: %w", err)
		}
		if idx < 0 || idx >= n {
			return fmt.Errorf("snapshot %d: cell %d outside 0..%d", s.ID, idx, n-1)
		}
		if value.Valid && d.Values != nil {
			d.Values[idx] = value.Float64
		}
		if text.Valid {
			if d.Text == nil {
				d.Text = make(map[int]string)
			}
			d.Text[idx] = text.String
		}
		if status.Valid {
			if d.Status == nil {
				d.Status = make(map[int]string)
			}
			d.Status[idx] = status.String
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("cells: %w", err)
	}
	return nil
}

// SnapshotRaw returns the raw bodies of a snapshot, decompressed, in order.
// A snapshot stored without bodies gives an empty list.
func (db *DB) SnapshotRaw(ctx context.Context, id int64) ([][]byte, error) {
	raw, err := db.snapshotRaw(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("raw bodies of snapshot %d: %w", id, classify(ctxErr(ctx, err)))
	}
	return raw, nil
}

func (db *DB) snapshotRaw(ctx context.Context, id int64) ([][]byte, error) {
	tx, err := db.read.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()

	var exists bool
	if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM snapshots WHERE id = ?)`, id).Scan(&exists); err != nil {
		return nil, err
	}
	if !exists {
		return nil, fault.Errorf(fault.NotFound, "snapshot %d does not exist", id)
	}
	rows, err := tx.QueryContext(ctx, `SELECT seq, size, body FROM snapshot_raw WHERE snapshot_id = ? ORDER BY seq`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	raw := [][]byte{}
	for rows.Next() {
		var (
			seq  int
			size int64
			body []byte
		)
		if err := rows.Scan(&seq, &size, &body); err != nil {
			return nil, err
		}
		b, err := decompress(body, size)
		if err != nil {
			return nil, fmt.Errorf("body %d: %w", seq, err)
		}
		if int64(len(b)) != size {
			return nil, fmt.Errorf("body %d: %d bytes, stored size %d", seq, len(b), size)
		}
		raw = append(raw, b)
	}
	return raw, rows.Err()
}

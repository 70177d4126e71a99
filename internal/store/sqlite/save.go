package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/grunnlag/grunnlag/internal/store"
)

// SaveSnapshot stores s and its cells in one transaction and sets s.ID. When
// the table's newest snapshot already has s.SHA256, nothing is stored and
// added is false. An empty s.SHA256 is computed from s.Raw; one that does not
// match s.Raw is refused, as are data whose sizes disagree (fault.Invalid).
func (db *DB) SaveSnapshot(ctx context.Context, s *store.Snapshot) (added bool, err error) {
	if err := s.Validate(); err != nil {
		return false, err
	}
	// Unchanged content, the common case of a sync, costs one read. The
	// answer holds: it is what a save at the moment of the read gives.
	id, sha, err := newest(ctx, db.read, s.TableID)
	if err != nil {
		return false, fmt.Errorf("save table %s: %w", s.TableID, classify(ctxErr(ctx, err)))
	}
	if id != 0 && sha == s.SHA256 {
		s.ID = id
		return false, nil
	}

	// Everything that needs no lock is done before the write transaction
	// begins, so other writers wait as little as possible.
	row, err := encodeSnapshot(s)
	if err != nil {
		return false, fmt.Errorf("table %s: %w", s.TableID, err)
	}

	id, added, err = db.save(ctx, s, row)
	if err != nil {
		return false, fmt.Errorf("save table %s: %w", s.TableID, classify(ctxErr(ctx, err)))
	}
	s.ID = id
	return added, nil
}

func (db *DB) save(ctx context.Context, s *store.Snapshot, row *encodedSnapshot) (id int64, added bool, err error) {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return 0, false, err
	}
	defer tx.Rollback()

	// The transaction holds the write lock from BEGIN IMMEDIATE on, so no
	// other writer can store the same content between this look and the
	// insert below.
	newestID, newestSHA, err := newest(ctx, tx, s.TableID)
	if err != nil {
		return 0, false, err
	}
	if newestID != 0 && newestSHA == s.SHA256 {
		return newestID, false, tx.Commit()
	}

	id, err = insertSnapshot(ctx, tx, s, row)
	if err != nil {
		return 0, false, err
	}
	if err := insertRaw(ctx, tx, id, row.raw); err != nil {
		return 0, false, err
	}
	if err := insertDimensions(ctx, tx, id, row.dims); err != nil {
		return 0, false, err
	}
	if err := insertCells(ctx, tx, id, s.Data, db.rowsPerInsert()); err != nil {
		return 0, false, err
	}
	if err := tx.Commit(); err != nil {
		return 0, false, fmt.Errorf("commit: %w", err)
	}
	return id, true, nil
}

// newest returns the id and SHA-256 of the newest snapshot of a table, or
// 0 and "" when it has none.
func newest(ctx context.Context, q querier, tableID string) (id int64, sha string, err error) {
	err = q.QueryRowContext(ctx,
		`SELECT id, sha256 FROM snapshots WHERE table_id = ? ORDER BY id DESC LIMIT 1`,
		tableID).Scan(&id, &sha)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, "", nil
	}
	if err != nil {
		return 0, "", fmt.Errorf("newest snapshot: %w", err)
	}
	return id, sha, nil
}

// encodedSnapshot holds the column values of a snapshot that are computed
// before the transaction: JSON columns and compressed bodies.
type encodedSnapshot struct {
	fetchedAt string
	note      sql.NullString
	role      sql.NullString
	raw       []encodedRaw
	dims      []encodedDimension
}

type encodedRaw struct {
	size int
	body []byte
}

type encodedDimension struct {
	id, label, href string
	note, child     sql.NullString
	extension, link sql.NullString
	cats            []encodedCategory
}

type encodedCategory struct {
	code, label string
	note, unit  sql.NullString
}

func encodeSnapshot(s *store.Snapshot) (*encodedSnapshot, error) {
	d := s.Data
	e := &encodedSnapshot{fetchedAt: formatTime(s.FetchedAt)}
	var err error
	if e.note, err = nullJSON(d.Note, len(d.Note) == 0); err != nil {
		return nil, fmt.Errorf("dataset note: %w", err)
	}
	if e.role, err = encodeRole(d.Role); err != nil {
		return nil, fmt.Errorf("dataset role: %w", err)
	}
	for i, b := range s.Raw {
		z, err := compress(b)
		if err != nil {
			return nil, fmt.Errorf("compress raw body %d: %w", i, err)
		}
		e.raw = append(e.raw, encodedRaw{size: len(b), body: z})
	}
	e.dims = make([]encodedDimension, len(d.Dimensions))
	for i := range d.Dimensions {
		dim := &d.Dimensions[i]
		ed := &e.dims[i]
		ed.id, ed.label, ed.href = dim.ID, dim.Label, dim.Href
		ed.extension, ed.link = rawText(dim.Extension), rawText(dim.Link)
		if ed.note, err = nullJSON(dim.Note, len(dim.Note) == 0); err != nil {
			return nil, fmt.Errorf("dimension %s note: %w", dim.ID, err)
		}
		if ed.child, err = nullJSON(dim.Child, len(dim.Child) == 0); err != nil {
			return nil, fmt.Errorf("dimension %s child: %w", dim.ID, err)
		}
		ed.cats = make([]encodedCategory, len(dim.Categories))
		for j := range dim.Categories {
			c := &dim.Categories[j]
			ec := &ed.cats[j]
			ec.code, ec.label = c.Code, c.Label
			if ec.note, err = nullJSON(c.Note, len(c.Note) == 0); err != nil {
				return nil, fmt.Errorf("dimension %s category %s note: %w", dim.ID, c.Code, err)
			}
			if ec.unit, err = encodeUnit(c.Unit); err != nil {
				return nil, fmt.Errorf("dimension %s category %s unit: %w", dim.ID, c.Code, err)
			}
		}
	}
	return e, nil
}

func insertSnapshot(ctx context.Context, tx *sql.Tx, s *store.Snapshot, e *encodedSnapshot) (int64, error) {
	d := s.Data
	res, err := tx.ExecContext(ctx, `INSERT INTO snapshots (
			table_id, title, lang, updated, fetched_at, source, sha256, cells, has_values,
			data_label, data_source, data_updated, data_href, data_note, data_role, data_extension, data_link
		) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		s.TableID, s.Title, s.Lang, s.Updated, e.fetchedAt, s.Source, s.SHA256, d.Len(), d.Values != nil,
		d.Label, d.Source, d.Updated, d.Href, e.note, e.role, rawText(d.Extension), rawText(d.Link))
	if err != nil {
		return 0, fmt.Errorf("insert snapshot: %w", err)
	}
	return res.LastInsertId()
}

func insertRaw(ctx context.Context, tx *sql.Tx, id int64, raw []encodedRaw) error {
	for seq, r := range raw {
		if _, err := tx.ExecContext(ctx,
			`INSERT INTO snapshot_raw (snapshot_id, seq, size, body) VALUES (?, ?, ?, ?)`,
			id, seq, r.size, r.body); err != nil {
			return fmt.Errorf("insert raw body %d: %w", seq, err)
		}
	}
	return nil
}

func insertDimensions(ctx context.Context, tx *sql.Tx, id int64, dims []encodedDimension) error {
	dimStmt, err := tx.PrepareContext(ctx, `INSERT INTO dimensions
		(snapshot_id, pos, dim_id, label, note, child, extension, link, href)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	defer dimStmt.Close()
	catStmt, err := tx.PrepareContext(ctx, `INSERT INTO categories
		(snapshot_id, dim_pos, pos, code, label, note, unit)
		VALUES (?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	defer catStmt.Close()

	for i, d := range dims {
		if _, err := dimStmt.ExecContext(ctx, id, i, d.id, d.label, d.note, d.child, d.extension, d.link, d.href); err != nil {
			return fmt.Errorf("insert dimension %s: %w", d.id, err)
		}
		for j, c := range d.cats {
			if _, err := catStmt.ExecContext(ctx, id, i, j, c.code, c.label, c.note, c.unit); err != nil {
				return fmt.Errorf("insert dimension %s category %s: %w", d.id, c.code, err)
			}
		}
	}
	return nil
}

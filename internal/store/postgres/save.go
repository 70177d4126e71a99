package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

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
	// Unchanged content, the common case of a sync, costs one read.
	id, sha, err := newest(ctx, db.pool, s.TableID)
	if err != nil {
		return false, fmt.Errorf("save table %s: %w", s.TableID, classify(ctxErr(ctx, err)))
	}
	if id != 0 && sha == s.SHA256 {
		s.ID = id
		return false, nil
	}

	// Encoding and compressing need no lock; done before the transaction,
	// other writers of the table wait less.
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
	tx, err := db.pool.Begin(ctx)
	if err != nil {
		return 0, false, err
	}
	defer tx.Rollback(context.WithoutCancel(ctx))

	// Writers of the same table queue here until the holder commits or
	// rolls back; then the newest snapshot is looked at again, so the same
	// content is stored once.
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1, $2)`, lockTable, tableKey(s.TableID)); err != nil {
		return 0, false, fmt.Errorf("lock table: %w", err)
	}
	newestID, newestSHA, err := newest(ctx, tx, s.TableID)
	if err != nil {
		return 0, false, err
	}
	if newestID != 0 && newestSHA == s.SHA256 {
		return newestID, false, tx.Commit(context.WithoutCancel(ctx))
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
	if err := copyCells(ctx, tx, id, s); err != nil {
		return 0, false, err
	}
	// Once COMMIT is sent its answer is awaited whatever happens to ctx:
	// a commit cut off would leave the caller not knowing whether the
	// snapshot was stored.
	if err := tx.Commit(context.WithoutCancel(ctx)); err != nil {
		return 0, false, fmt.Errorf("commit: %w", err)
	}
	return id, true, nil
}

// newest returns the id and SHA-256 of the newest snapshot of a table, or
// 0 and "" when it has none.
func newest(ctx context.Context, q querier, tableID string) (id int64, sha string, err error) {
	err = q.QueryRow(ctx,
		`SELECT id, sha256 FROM snapshots WHERE table_id = $1 ORDER BY id DESC LIMIT 1`,
		tableID).Scan(&id, &sha)
	if errors.Is(err, pgx.ErrNoRows) {
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
	note, role []byte
	raw        []encodedRaw
	dims       []encodedDimension
}

type encodedRaw struct {
	size int
	body []byte
}

type encodedDimension struct {
	id, label, href string
	note, child     []byte
	extension, link *string
	cats            []encodedCategory
}

type encodedCategory struct {
	code, label string
	note, unit  []byte
}

func encodeSnapshot(s *store.Snapshot) (*encodedSnapshot, error) {
	d := s.Data
	e := &encodedSnapshot{}
	var err error
	if e.note, err = jsonOrNull(d.Note, len(d.Note) == 0); err != nil {
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
		ed.extension, ed.link = verbatim(dim.Extension), verbatim(dim.Link)
		if ed.note, err = jsonOrNull(dim.Note, len(dim.Note) == 0); err != nil {
			return nil, fmt.Errorf("dimension %s note: %w", dim.ID, err)
		}
		if ed.child, err = jsonOrNull(dim.Child, len(dim.Child) == 0); err != nil {
			return nil, fmt.Errorf("dimension %s child: %w", dim.ID, err)
		}
		ed.cats = make([]encodedCategory, len(dim.Categories))
		for j := range dim.Categories {
			c := &dim.Categories[j]
			ec := &ed.cats[j]
			ec.code, ec.label = c.Code, c.Label
			if ec.note, err = jsonOrNull(c.Note, len(c.Note) == 0); err != nil {
				return nil, fmt.Errorf("dimension %s category %s note: %w", dim.ID, c.Code, err)
			}
			if ec.unit, err = encodeUnit(c.Unit); err != nil {
				return nil, fmt.Errorf("dimension %s category %s unit: %w", dim.ID, c.Code, err)
			}
		}
	}
	return e, nil
}

func insertSnapshot(ctx context.Context, tx pgx.Tx, s *store.Snapshot, e *encodedSnapshot) (int64, error) {
	d := s.Data
	var id int64
	err := tx.QueryRow(ctx, `INSERT INTO snapshots (
			table_id, title, lang, updated, fetched_at, source, sha256, cells, has_values,
			data_label, data_source, data_updated, data_href, data_note, data_role, data_extension, data_link
		) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
		RETURNING id`,
		s.TableID, s.Title, s.Lang, s.Updated, s.FetchedAt, s.Source, s.SHA256, d.Len(), d.Values != nil,
		d.Label, d.Source, d.Updated, d.Href, e.note, e.role, verbatim(d.Extension), verbatim(d.Link),
	).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("insert snapshot: %w", err)
	}
	return id, nil
}

func insertRaw(ctx context.Context, tx pgx.Tx, id int64, raw []encodedRaw) error {
	for seq, r := range raw {
		if _, err := tx.Exec(ctx,
			`INSERT INTO snapshot_raw (snapshot_id, seq, size, body) VALUES ($1, $2, $3, $4)`,
			id, seq, r.size, r.body); err != nil {
			return fmt.Errorf("insert raw body %d: %w", seq, err)
		}
	}
	return nil
}

// insertDimensions writes the dimensions with one statement each and the
// categories, which may be thousands, with COPY.
func insertDimensions(ctx context.Context, tx pgx.Tx, id int64, dims []encodedDimension) error {
	var cats [][]any
	for i, d := range dims {
		if _, err := tx.Exec(ctx, `INSERT INTO dimensions
			(snapshot_id, pos, dim_id, label, note, child, extension, link, href)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
			id, i, d.id, d.label, d.note, d.child, d.extension, d.link, d.href); err != nil {
			return fmt.Errorf("insert dimension %s: %w", d.id, err)
		}
		for j, c := range d.cats {
			cats = append(cats, []any{id, i, j, c.code, c.label, c.note, c.unit})
		}
	}
	if len(cats) == 0 {
		return nil
	}
	_, err := tx.CopyFrom(ctx, pgx.Identifier{"categories"},
		[]string{"snapshot_id", "dim_pos", "pos", "code", "label", "note", "unit"}, pgx.CopyFromRows(cats))
	if err != nil {
		return fmt.Errorf("copy categories: %w", err)
	}
	return nil
}

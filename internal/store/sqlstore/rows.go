package sqlstore

import (
	"database/sql"
	"fmt"
	"math"
	"time"

	"github.com/grunnlag/grunnlag/internal/jsonstat"
	"github.com/grunnlag/grunnlag/internal/store"
)

// The column lists below are in the order of the Values and Fields of
// their row type; keeping both here means no store can read a column
// into the wrong field.

// snapshotColumns are the columns of snapshots after id, in the order of
// snapshotRow.Values. snapshotRow.Fields reads "id, " + snapshotColumns.
const snapshotColumns = `table_id, title, lang, updated, fetched_at, source, sha256, cells, has_values,
	data_label, data_source, data_updated, data_href, data_note, data_role, data_extension, data_link, status_all, cell_format`

// snapshotRow is a row of snapshots: a snapshot's provenance and the
// dataset-level fields of its data. Note and Role are JSON; Extension and
// Link the source's JSON, verbatim.
type snapshotRow struct {
	ID                                   int64
	TableID, Title, Lang, Updated        string
	FetchedAt                            time.Time
	Source, SHA256                       string
	Cells                                int64 // product of the dimension sizes
	HasValues                            bool  // false for a metadata-only dataset
	Label, DataSource, DataUpdated, Href string
	Note, Role, Extension, Link          sql.NullString
	StatusAll                            string // the status of every cell without one of its own
	CellFormat                           int    // cellsAsRows or cellsInBlocks
}

// Values returns the values of snapshotColumns, with at as fetched_at:
// r.FetchedAt in the form the store keeps times.
func (r *snapshotRow) Values(at any) []any {
	return []any{r.TableID, r.Title, r.Lang, r.Updated, at, r.Source, r.SHA256, r.Cells, r.HasValues,
		r.Label, r.DataSource, r.DataUpdated, r.Href, r.Note, r.Role, r.Extension, r.Link, r.StatusAll, r.CellFormat}
}

// Fields returns the scan destinations of "id, " + snapshotColumns, with
// at for fetched_at: &r.FetchedAt, or what the store scans its times with.
func (r *snapshotRow) Fields(at any) []any {
	return []any{&r.ID, &r.TableID, &r.Title, &r.Lang, &r.Updated, at, &r.Source, &r.SHA256, &r.Cells, &r.HasValues,
		&r.Label, &r.DataSource, &r.DataUpdated, &r.Href, &r.Note, &r.Role, &r.Extension, &r.Link, &r.StatusAll, &r.CellFormat}
}

// Snapshot returns the snapshot the row describes, FetchedAt in UTC. Its
// data has the dataset-level fields and, when the dataset has values,
// Values sized to its cells and all NaN: AddTo of dimensionRow,
// categoryRow and cellRow fill in the rest.
func (r *snapshotRow) Snapshot() (*store.Snapshot, error) {
	d := &jsonstat.Dataset{
		Label: r.Label, Source: r.DataSource, Updated: r.DataUpdated, Href: r.Href,
		Extension: rawMessage(r.Extension), Link: rawMessage(r.Link), StatusAll: r.StatusAll,
	}
	if err := decodeJSON(r.Note, &d.Note); err != nil {
		return nil, fmt.Errorf("snapshot %d note: %w", r.ID, err)
	}
	var err error
	if d.Role, err = decodeRole(r.Role); err != nil {
		return nil, fmt.Errorf("snapshot %d role: %w", r.ID, err)
	}
	if r.HasValues {
		if r.Cells < 0 {
			return nil, fmt.Errorf("snapshot %d: %d cells", r.ID, r.Cells)
		}
		d.Values = make([]float64, r.Cells)
		nan := math.NaN()
		for i := range d.Values {
			d.Values[i] = nan
		}
	}
	return &store.Snapshot{
		ID: r.ID, TableID: r.TableID, Title: r.Title, Lang: r.Lang, Updated: r.Updated,
		FetchedAt: r.FetchedAt.UTC(), Source: r.Source, SHA256: r.SHA256, Data: d,
	}, nil
}

// rawColumns are the columns of snapshot_raw after snapshot_id.
const rawColumns = `seq, size, body`

// rawRow is a row of snapshot_raw: one body as received, gzip-compressed.
type rawRow struct {
	Seq  int
	Size int64 // uncompressed length in bytes
	Body []byte
}

// Values returns the values of rawColumns.
func (r *rawRow) Values() []any { return []any{r.Seq, r.Size, r.Body} }

// Fields returns the scan destinations of rawColumns.
func (r *rawRow) Fields() []any { return []any{&r.Seq, &r.Size, &r.Body} }

// Decode returns the body decompressed, checked against its stored size.
func (r *rawRow) Decode() ([]byte, error) {
	b, err := decompress(r.Body, r.Size)
	if err != nil {
		return nil, fmt.Errorf("body %d: %w", r.Seq, err)
	}
	if int64(len(b)) != r.Size {
		return nil, fmt.Errorf("body %d: %d bytes, stored size %d", r.Seq, len(b), r.Size)
	}
	return b, nil
}

// dimensionColumns are the columns of dimensions after snapshot_id.
const dimensionColumns = `pos, dim_id, label, note, child, extension, link, href`

// dimensionRow is a row of dimensions. Note and Child are JSON; Extension
// and Link the source's JSON, verbatim.
type dimensionRow struct {
	Pos                          int // position in the dataset's "id"
	ID, Label                    string
	Note, Child, Extension, Link sql.NullString
	Href                         string
}

// Values returns the values of dimensionColumns.
func (r *dimensionRow) Values() []any {
	return []any{r.Pos, r.ID, r.Label, r.Note, r.Child, r.Extension, r.Link, r.Href}
}

// Fields returns the scan destinations of dimensionColumns.
func (r *dimensionRow) Fields() []any {
	return []any{&r.Pos, &r.ID, &r.Label, &r.Note, &r.Child, &r.Extension, &r.Link, &r.Href}
}

// AddTo appends the dimension to s's data. Rows must come in order of
// position.
func (r *dimensionRow) AddTo(s *store.Snapshot) error {
	d := s.Data
	if r.Pos != len(d.Dimensions) {
		return fmt.Errorf("snapshot %d: dimension at position %d, want %d", s.ID, r.Pos, len(d.Dimensions))
	}
	dim := jsonstat.Dimension{ID: r.ID, Label: r.Label, Href: r.Href,
		Extension: rawMessage(r.Extension), Link: rawMessage(r.Link)}
	if err := decodeJSON(r.Note, &dim.Note); err != nil {
		return fmt.Errorf("dimension %s note: %w", dim.ID, err)
	}
	if err := decodeJSON(r.Child, &dim.Child); err != nil {
		return fmt.Errorf("dimension %s child: %w", dim.ID, err)
	}
	d.Dimensions = append(d.Dimensions, dim)
	return nil
}

// categoryColumns are the columns of categories after snapshot_id.
const categoryColumns = `dim_pos, pos, code, label, note, unit`

// categoryRow is a row of categories. Note and Unit are JSON.
type categoryRow struct {
	DimPos, Pos int // the dimension's position, the category's index in it
	Code, Label string
	Note, Unit  sql.NullString
}

// Values returns the values of categoryColumns.
func (r *categoryRow) Values() []any {
	return []any{r.DimPos, r.Pos, r.Code, r.Label, r.Note, r.Unit}
}

// Fields returns the scan destinations of categoryColumns.
func (r *categoryRow) Fields() []any {
	return []any{&r.DimPos, &r.Pos, &r.Code, &r.Label, &r.Note, &r.Unit}
}

// AddTo appends the category to its dimension in s's data. Rows must come
// after every dimension, in order of dimension and position.
func (r *categoryRow) AddTo(s *store.Snapshot) error {
	d := s.Data
	if r.DimPos < 0 || r.DimPos >= len(d.Dimensions) || r.Pos != len(d.Dimensions[r.DimPos].Categories) {
		return fmt.Errorf("snapshot %d: category at %d/%d out of order", s.ID, r.DimPos, r.Pos)
	}
	c := jsonstat.Category{Code: r.Code, Label: r.Label}
	if err := decodeJSON(r.Note, &c.Note); err != nil {
		return fmt.Errorf("category %s note: %w", c.Code, err)
	}
	var err error
	if c.Unit, err = decodeUnit(r.Unit); err != nil {
		return fmt.Errorf("category %s unit: %w", c.Code, err)
	}
	dim := &d.Dimensions[r.DimPos]
	dim.Categories = append(dim.Categories, c)
	return nil
}

// checkShape returns an error when the dimensions read for s do not give
// the number of cells its snapshots row says. Call it after the last
// category.
func checkShape(s *store.Snapshot) error {
	d := s.Data
	if n := d.Len(); d.Values != nil && n != len(d.Values) {
		return fmt.Errorf("snapshot %d: %d cells stored, dimensions give %d", s.ID, len(d.Values), n)
	}
	return nil
}

// cellColumns are the columns of cells after snapshot_id.
const cellColumns = `idx, value, text, status`

// cellRow is a row of cells as a store reads it. (Cells writes them.)
type cellRow struct {
	Index        int64 // flat row-major index
	Value        sql.NullFloat64
	Text, Status sql.NullString
}

// Fields returns the scan destinations of cellColumns. (A driver that
// scans faster into its own nullable types may convert to those: they have
// the same fields.)
func (r *cellRow) Fields() []any { return []any{&r.Index, &r.Value, &r.Text, &r.Status} }

// AddTo puts the cell into s's data. A NULL value stays NaN.
func (r *cellRow) AddTo(s *store.Snapshot) error {
	d := s.Data
	if n := int64(d.Len()); r.Index < 0 || r.Index >= n {
		return fmt.Errorf("snapshot %d: cell %d outside 0..%d", s.ID, r.Index, n-1)
	}
	idx := int(r.Index)
	if r.Value.Valid && d.Values != nil {
		d.Values[idx] = r.Value.Float64
	}
	if r.Text.Valid {
		if d.Text == nil {
			d.Text = make(map[int]string)
		}
		d.Text[idx] = r.Text.String
	}
	if r.Status.Valid {
		if d.Status == nil {
			d.Status = make(map[int]string)
		}
		d.Status[idx] = r.Status.String
	}
	return nil
}

// snapshotRows is a snapshot as the rows a store writes, all but the cells (see
// Cells). Snapshot.ID is not set.
type snapshotRows struct {
	Snapshot   snapshotRow
	Raw        []rawRow
	Dimensions []dimensionRow
	Categories []categoryRow
}

// Encode returns the rows of s, which has passed s.Validate: JSON encoded
// and raw bodies compressed, work that needs no lock.
func encode(s *store.Snapshot) (*snapshotRows, error) {
	d := s.Data
	r := &snapshotRows{Snapshot: snapshotRow{
		TableID: s.TableID, Title: s.Title, Lang: s.Lang, Updated: s.Updated, FetchedAt: s.FetchedAt,
		Source: s.Source, SHA256: s.SHA256, Cells: int64(d.Len()), HasValues: d.Values != nil,
		Label: d.Label, DataSource: d.Source, DataUpdated: d.Updated, Href: d.Href,
		Extension: verbatim(d.Extension), Link: verbatim(d.Link), StatusAll: d.StatusAll,
		CellFormat: cellsInBlocks,
	}}
	var err error
	if r.Snapshot.Note, err = jsonText(d.Note, len(d.Note) == 0); err != nil {
		return nil, fmt.Errorf("dataset note: %w", err)
	}
	if r.Snapshot.Role, err = encodeRole(d.Role); err != nil {
		return nil, fmt.Errorf("dataset role: %w", err)
	}
	for i, b := range s.Raw {
		z, err := compress(b)
		if err != nil {
			return nil, fmt.Errorf("compress raw body %d: %w", i, err)
		}
		r.Raw = append(r.Raw, rawRow{Seq: i, Size: int64(len(b)), Body: z})
	}
	r.Dimensions = make([]dimensionRow, len(d.Dimensions))
	for i := range d.Dimensions {
		dim := &d.Dimensions[i]
		dr := &r.Dimensions[i]
		*dr = dimensionRow{Pos: i, ID: dim.ID, Label: dim.Label, Href: dim.Href,
			Extension: verbatim(dim.Extension), Link: verbatim(dim.Link)}
		if dr.Note, err = jsonText(dim.Note, len(dim.Note) == 0); err != nil {
			return nil, fmt.Errorf("dimension %s note: %w", dim.ID, err)
		}
		if dr.Child, err = jsonText(dim.Child, len(dim.Child) == 0); err != nil {
			return nil, fmt.Errorf("dimension %s child: %w", dim.ID, err)
		}
		for j := range dim.Categories {
			c := &dim.Categories[j]
			cr := categoryRow{DimPos: i, Pos: j, Code: c.Code, Label: c.Label}
			if cr.Note, err = jsonText(c.Note, len(c.Note) == 0); err != nil {
				return nil, fmt.Errorf("dimension %s category %s note: %w", dim.ID, c.Code, err)
			}
			if cr.Unit, err = encodeUnit(c.Unit); err != nil {
				return nil, fmt.Errorf("dimension %s category %s unit: %w", dim.ID, c.Code, err)
			}
			r.Categories = append(r.Categories, cr)
		}
	}
	return r, nil
}

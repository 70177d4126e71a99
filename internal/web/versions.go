package web

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/grunnlag/grunnlag/internal/chart"
	"github.com/grunnlag/grunnlag/internal/fault"
	"github.com/grunnlag/grunnlag/internal/pivot"
	"github.com/grunnlag/grunnlag/internal/store"
	"github.com/grunnlag/grunnlag/internal/tablediff"
)

// Every sync or import that finds new figures stores a new version of a
// table; none is ever deleted. The versions page lists them with where
// each came from, and compares any two cell by cell.

// maxDiffRows is how many cells of each kind (added, removed, changed)
// the page lists; the API gives up to maxAPIDiffRows.
const (
	maxDiffRows    = 200
	maxAPIDiffRows = 10000
)

// apiVersion is a stored version as the API gives it.
type apiVersion struct {
	ID        int64     `json:"id"`
	TableID   string    `json:"table_id"`
	Title     string    `json:"title"`
	Lang      string    `json:"lang,omitempty"`
	Updated   string    `json:"updated,omitempty"` // the source's own "updated"
	FetchedAt time.Time `json:"fetched_at"`
	Source    string    `json:"source"` // the request URLs, or the imported file's name
	Origin    string    `json:"origin"` // bokmål: where the version came from
	SHA256    string    `json:"sha256"`
	Cells     int       `json:"cells"`
}

func toAPIVersion(v store.SnapshotInfo) apiVersion {
	return apiVersion{ID: v.ID, TableID: v.TableID, Title: v.Title, Lang: v.Lang, Updated: v.Updated,
		FetchedAt: v.FetchedAt, Source: sourceName(v.Source), Origin: origin(v.Source), SHA256: v.SHA256, Cells: v.Cells}
}

// sourceName is a snapshot's source without the folders of an imported
// file: those are the importing machine's, not the data's.
func sourceName(src string) string {
	if isWebSource(src) {
		return src
	}
	return path.Base(strings.ReplaceAll(src, `\`, "/"))
}

func isWebSource(src string) bool {
	return strings.HasPrefix(src, "https://") || strings.HasPrefix(src, "http://")
}

// origin says in bokmål where a snapshot came from: "hentet fra
// data.ssb.no" or "importert fra filen «13615.json»".
func origin(src string) string {
	if src == "" {
		return "ukjent opphav"
	}
	if isWebSource(src) {
		first, _, _ := strings.Cut(src, " ")
		if u, err := url.Parse(first); err == nil && u.Host != "" {
			return "hentet fra " + u.Host
		}
	}
	return "importert fra filen «" + sourceName(src) + "»"
}

// langName names a snapshot's label language in bokmål.
func langName(lang string) string {
	switch lang {
	case "no", "nb":
		return "norsk"
	case "en":
		return "engelsk"
	case "":
		return "ikke oppgitt"
	}
	return lang
}

// versionsFor returns the versions of a table, newest first, with a
// bokmål message when there are none.
func (s *Server) versionsFor(ctx context.Context, id string) ([]store.SnapshotInfo, error) {
	vs, err := s.cache.versions(ctx, id)
	if err != nil && !fault.Is(err, fault.NotFound) {
		return nil, err
	}
	if len(vs) == 0 {
		return nil, fault.WithUser(fault.NotFound,
			fmt.Sprintf("Tabell %s har ingen lagrede versjoner. Hent den med «grunnlag sync %s», eller se tabellisten.", id, id),
			fmt.Errorf("table %s: no snapshots", id))
	}
	return vs, nil
}

// pickPair reads the two versions to compare from the query (names from
// and to, as the page's form or the API sends them): by default the one
// before the newest and the newest.
func pickPair(vs []store.SnapshotInfo, q url.Values, fromKey, toKey string) (from, to store.SnapshotInfo, asked bool, err error) {
	find := func(key string, def store.SnapshotInfo) (store.SnapshotInfo, error) {
		raw := q.Get(key)
		if raw == "" {
			return def, nil
		}
		asked = true
		id, perr := strconv.ParseInt(raw, 10, 64)
		for _, v := range vs {
			if perr == nil && v.ID == id {
				return v, nil
			}
		}
		return store.SnapshotInfo{}, fault.WithUser(fault.Invalid,
			fmt.Sprintf("Tabell %s har ingen versjon «%s». Velg blant versjonene i listen.", vs[0].TableID, raw),
			fmt.Errorf("table %s: no version %q", vs[0].TableID, raw))
	}
	if len(vs) < 2 {
		return vs[0], vs[0], q.Get(fromKey) != "" || q.Get(toKey) != "", nil
	}
	if from, err = find(fromKey, vs[1]); err != nil {
		return
	}
	to, err = find(toKey, vs[0])
	return
}

// diff compares two versions, cached.
func (s *Server) diff(ctx context.Context, from, to store.SnapshotInfo) (tablediff.Diff, error) {
	v, err := s.cache.get(ctx, fmt.Sprintf("diff:%d:%d", from.ID, to.ID), func(ctx context.Context) (any, error) {
		a, err := s.cfg.Store.Snapshot(ctx, from.ID)
		if err != nil {
			return nil, err
		}
		b, err := s.cfg.Store.Snapshot(ctx, to.ID)
		if err != nil {
			return nil, err
		}
		if a.Data == nil || b.Data == nil {
			return nil, fault.WithUser(fault.Invalid, "En av versjonene har ingen tall å sammenligne.",
				fmt.Errorf("table %s: snapshot %d or %d has no data", from.TableID, from.ID, to.ID))
		}
		return tablediff.Compare(a.Data, b.Data), nil
	})
	if err != nil {
		return tablediff.Diff{}, err
	}
	return v.(tablediff.Diff), nil
}

// versionsPage lists a table's versions and compares two of them.
func (s *Server) versionsPage(w http.ResponseWriter, r *http.Request) error {
	id, err := s.tableID(r)
	if err != nil {
		return err
	}
	vs, err := s.versionsFor(r.Context(), id)
	if err != nil {
		return err
	}
	p := &versionsPage{TableID: id, TableTitle: vs[0].Title}
	p.setBase(fmt.Sprintf("Versjoner av tabell %s", id), "tabeller")
	for i, v := range vs {
		p.Versions = append(p.Versions, versionRow{ID: v.ID, Number: len(vs) - i, Updated: v.Updated, FetchedAt: v.FetchedAt,
			Origin: origin(v.Source), Lang: langName(v.Lang), Cells: v.Cells, SHA256: v.SHA256})
	}
	number := map[int64]int{}
	for _, v := range p.Versions {
		number[v.ID] = v.Number
	}
	from, to, asked, err := pickPair(vs, r.URL.Query(), "fra", "til")
	if err != nil {
		p.Error = fault.UserMessage(err)
		return s.render(w, http.StatusBadRequest, p)
	}
	p.From, p.To = from.ID, to.ID
	if !asked || len(vs) < 2 {
		return s.render(w, http.StatusOK, p)
	}
	d, err := s.diff(r.Context(), from, to)
	if err != nil {
		return err
	}
	cv := &comparisonView{FromNumber: number[from.ID], ToNumber: number[to.ID], Same: d.Same, DimsDiffer: d.DimsDiffer,
		NAdded: len(d.Added), NRemoved: len(d.Removed), NChanged: len(d.Changed)}
	var dims []string
	for _, dim := range d.Dims {
		dims = append(dims, dim.Label)
	}
	cv.Tables = []diffTable{
		{ID: "endret", Title: "Endrede celler, største endring først", Dims: dims, Rows: diffRows(d.Changed, maxDiffRows), N: len(d.Changed), Change: true},
		{ID: "lagt-til", Title: "Celler lagt til", Dims: dims, Rows: diffRows(d.Added, maxDiffRows), N: len(d.Added)},
		{ID: "fjernet", Title: "Celler fjernet", Dims: dims, Rows: diffRows(d.Removed, maxDiffRows), N: len(d.Removed)},
	}
	p.Compare = cv
	return s.render(w, http.StatusOK, p)
}

func diffRows(cs []tablediff.Cell, limit int) []diffRow {
	var out []diffRow
	for i, c := range cs {
		if i == limit {
			break
		}
		out = append(out, diffRow{Labels: c.Labels, Old: diffValue(c.Old), New: diffValue(c.New), Change: signed(c.Delta())})
	}
	return out
}

// diffValue writes one side of a changed cell as the explorer would.
func diffValue(v tablediff.Value) string {
	if !v.OK && v.Status == "" {
		return "–"
	}
	return pivot.Format(pivot.Cell{Value: v.V, OK: v.OK, Status: v.Status, Decimals: -1})
}

// signed writes a change with its sign: "+5", "−20,5"; "" when there is no
// number on both sides.
func signed(d float64) string {
	if math.IsNaN(d) {
		return ""
	}
	s := chart.Number(d, decimalsOf(d))
	if d > 0 {
		s = "+" + s
	}
	return s
}

// decimalsOf returns the decimals a difference needs (at most three), so
// 0.1 + 0.2 shows as 0,3.
func decimalsOf(v float64) int {
	for d := 0; d < 3; d++ {
		p := math.Pow(10, float64(d))
		if math.Abs(v*p-math.Round(v*p)) < 1e-6 {
			return d
		}
	}
	return 3
}

// apiVersions lists a table's versions.
func (s *Server) apiVersions(w http.ResponseWriter, r *http.Request) error {
	id, err := s.tableID(r)
	if err != nil {
		return err
	}
	vs, err := s.versionsFor(r.Context(), id)
	if err != nil {
		return err
	}
	out := []apiVersion{}
	for _, v := range vs {
		out = append(out, toAPIVersion(v))
	}
	return writeJSON(w, http.StatusOK, out)
}

// apiComparison is what changed between two versions.
type apiComparison struct {
	TableID    string        `json:"table_id"`
	From       apiVersion    `json:"from"`
	To         apiVersion    `json:"to"`
	Dimensions []apiDimRef   `json:"dimensions"`
	Counts     apiDiffCounts `json:"counts"`
	Changed    []apiDiffCell `json:"changed"` // the largest absolute change first
	Added      []apiDiffCell `json:"added"`
	Removed    []apiDiffCell `json:"removed"`
	Truncated  bool          `json:"truncated"` // a list holds only its first maxAPIDiffRows cells
	DimsDiffer bool          `json:"dimensions_differ"`
	Limit      int           `json:"limit"`
}

type apiDimRef struct {
	ID    string `json:"id"`
	Label string `json:"label"`
}

type apiDiffCounts struct {
	Added   int `json:"added"`
	Removed int `json:"removed"`
	Changed int `json:"changed"`
	Same    int `json:"same"`
}

type apiDiffCell struct {
	Codes  []string      `json:"codes"` // in the order of dimensions
	Labels []string      `json:"labels"`
	Old    *apiDiffValue `json:"old"` // null for an added cell
	New    *apiDiffValue `json:"new"` // null for a removed cell
	Change *float64      `json:"change"`
}

type apiDiffValue struct {
	Value  *float64 `json:"value"` // null when the cell has no number
	Status string   `json:"status,omitempty"`
}

func apiDiffCells(cs []tablediff.Cell, old, new bool) ([]apiDiffCell, bool) {
	out := []apiDiffCell{}
	for i, c := range cs {
		if i == maxAPIDiffRows {
			return out, true
		}
		ac := apiDiffCell{Codes: c.Codes, Labels: c.Labels}
		side := func(v tablediff.Value) *apiDiffValue {
			dv := &apiDiffValue{Status: v.Status}
			if v.OK {
				x := v.V
				dv.Value = &x
			}
			return dv
		}
		if old {
			ac.Old = side(c.Old)
		}
		if new {
			ac.New = side(c.New)
		}
		if d := c.Delta(); !math.IsNaN(d) {
			ac.Change = &d
		}
		out = append(out, ac)
	}
	return out, false
}

// apiCompare compares two versions of a table: from and to are version
// ids; by default the one before the newest and the newest.
func (s *Server) apiCompare(w http.ResponseWriter, r *http.Request) error {
	id, err := s.tableID(r)
	if err != nil {
		return err
	}
	vs, err := s.versionsFor(r.Context(), id)
	if err != nil {
		return err
	}
	if len(vs) < 2 {
		return fault.WithUser(fault.Invalid, fmt.Sprintf("Tabell %s har bare én lagret versjon; det er ingenting å sammenligne.", id),
			fmt.Errorf("table %s: one snapshot", id))
	}
	from, to, _, err := pickPair(vs, r.URL.Query(), "from", "to")
	if err != nil {
		return err
	}
	d, err := s.diff(r.Context(), from, to)
	if err != nil {
		return err
	}
	out := apiComparison{TableID: id, From: toAPIVersion(from), To: toAPIVersion(to), DimsDiffer: d.DimsDiffer, Limit: maxAPIDiffRows,
		Counts: apiDiffCounts{Added: len(d.Added), Removed: len(d.Removed), Changed: len(d.Changed), Same: d.Same}}
	for _, dim := range d.Dims {
		out.Dimensions = append(out.Dimensions, apiDimRef{ID: dim.ID, Label: dim.Label})
	}
	var t1, t2, t3 bool
	out.Changed, t1 = apiDiffCells(d.Changed, true, true)
	out.Added, t2 = apiDiffCells(d.Added, false, true)
	out.Removed, t3 = apiDiffCells(d.Removed, true, false)
	out.Truncated = t1 || t2 || t3
	return writeJSON(w, http.StatusOK, out)
}

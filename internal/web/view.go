package web

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/grunnlag/grunnlag/internal/fault"
	"github.com/grunnlag/grunnlag/internal/ingest"
	"github.com/grunnlag/grunnlag/internal/jsonstat"
	"github.com/grunnlag/grunnlag/internal/pivot"
	"github.com/grunnlag/grunnlag/internal/store"
)

// A view of a table is chosen with query parameters that the explorer's
// form, its download links and the API share:
//
//	d.DIM=row|col|fixed   where dimension DIM goes; a dimension without one
//	                      keeps its place in the default view
//	v.DIM=CODE            a category of DIM to keep (repeat for several);
//	                      none means all of them
//
// Rows and columns take their dimensions in the dataset's order. A fixed
// dimension shows one category: the one kept, or its first.
const (
	placeRow   = "row"
	placeCol   = "col"
	placeFixed = "fixed"
)

// maxPageRows is the most rows the explorer page shows; the downloads and
// the API have all of them.
const maxPageRows = 500

// viewChoice is a parsed view request.
type viewChoice struct {
	Place map[string]string   // dimension id → row, col or fixed
	Keep  map[string][]string // dimension id → kept codes, in dataset order; absent: all
	Spec  pivot.Spec
	// Problems are what was wrong with the request, in bokmål; the view is
	// still built, with the wrong parts left out.
	Problems []string
}

// parseView reads a view request against the dataset. It never fails: what
// it cannot use is reported in Problems and replaced by the default.
func parseView(d *jsonstat.Dataset, q url.Values) viewChoice {
	def := pivot.Default(d)
	vc := viewChoice{Place: map[string]string{}, Keep: map[string][]string{}}
	for _, id := range def.Rows {
		vc.Place[id] = placeRow
	}
	for _, id := range def.Cols {
		vc.Place[id] = placeCol
	}
	for i := range d.Dimensions {
		dim := &d.Dimensions[i]
		if _, ok := vc.Place[dim.ID]; !ok {
			vc.Place[dim.ID] = placeFixed
		}
		switch p := q.Get("d." + dim.ID); p {
		case "":
		case placeRow, placeCol, placeFixed:
			vc.Place[dim.ID] = p
		default:
			vc.Problems = append(vc.Problems, fmt.Sprintf("Ukjent plassering «%s» for «%s».", p, dim.Label))
		}
		var kept []string // the valid codes asked for, in dataset order
		if codes, ok := q["v."+dim.ID]; ok {
			want := map[string]bool{}
			for _, c := range codes {
				if dim.Position(c) < 0 {
					vc.Problems = append(vc.Problems, fmt.Sprintf("«%s» har ingen verdi med kode «%s».", dim.Label, c))
					continue
				}
				want[c] = true
			}
			for _, cat := range dim.Categories {
				if want[cat.Code] {
					kept = append(kept, cat.Code)
				}
			}
			if len(kept) > 0 && len(kept) < len(dim.Categories) {
				vc.Keep[dim.ID] = kept
			}
		}
		if vc.Place[dim.ID] == placeFixed && len(dim.Categories) > 1 {
			switch {
			case len(kept) == 0:
				vc.Keep[dim.ID] = []string{dim.Categories[0].Code}
			case len(kept) == 1:
				vc.Keep[dim.ID] = kept
			default:
				vc.Problems = append(vc.Problems, fmt.Sprintf(
					"«%s» står fast og kan bare vise én verdi; viser «%s». Legg den i rader eller kolonner for å se flere.",
					dim.Label, dim.Categories[dim.Position(kept[0])].Label))
				vc.Keep[dim.ID] = kept[:1]
			}
		}
	}
	for k := range q {
		if id, ok := strings.CutPrefix(k, "d."); ok && d.Dimension(id) == nil {
			vc.Problems = append(vc.Problems, fmt.Sprintf("Tabellen har ingen dimensjon «%s».", id))
		} else if id, ok := strings.CutPrefix(k, "v."); ok && d.Dimension(id) == nil {
			vc.Problems = append(vc.Problems, fmt.Sprintf("Tabellen har ingen dimensjon «%s».", id))
		}
	}
	slices.Sort(vc.Problems)
	vc.Problems = slices.Compact(vc.Problems)
	for i := range d.Dimensions {
		id := d.Dimensions[i].ID
		switch vc.Place[id] {
		case placeRow:
			vc.Spec.Rows = append(vc.Spec.Rows, id)
		case placeCol:
			vc.Spec.Cols = append(vc.Spec.Cols, id)
		}
	}
	vc.Spec.Keep = vc.Keep
	return vc
}

// query returns the canonical query string of the view: every placement,
// and the kept values of every restricted dimension, in dataset order.
func (vc viewChoice) query(d *jsonstat.Dataset) string {
	var b strings.Builder
	add := func(k, v string) {
		if b.Len() > 0 {
			b.WriteByte('&')
		}
		b.WriteString(url.QueryEscape(k))
		b.WriteByte('=')
		b.WriteString(url.QueryEscape(v))
	}
	for i := range d.Dimensions {
		add("d."+d.Dimensions[i].ID, vc.Place[d.Dimensions[i].ID])
	}
	for i := range d.Dimensions {
		for _, c := range vc.Keep[d.Dimensions[i].ID] {
			add("v."+d.Dimensions[i].ID, c)
		}
	}
	return b.String()
}

// maxCount is where counts of cells, which are products of category
// counts, stop growing, so many large dimensions cannot overflow them.
const maxCount = 1 << 50

func mulCount(a, b int) int {
	if a == 0 || b == 0 {
		return 0
	}
	if a > maxCount/b {
		return maxCount
	}
	return a * b
}

// shape returns the number of rows and columns of the view, without
// building it.
func (vc viewChoice) shape(d *jsonstat.Dataset) (rows, cols int) {
	rows, cols = 1, 1
	for i := range d.Dimensions {
		dim := &d.Dimensions[i]
		n := len(dim.Categories)
		if kept, ok := vc.Keep[dim.ID]; ok {
			n = len(kept)
		}
		switch vc.Place[dim.ID] {
		case placeRow:
			rows = mulCount(rows, n)
		case placeCol:
			cols = mulCount(cols, n)
		}
	}
	return rows, cols
}

// cells returns the number of cells of the view, without building it.
func (vc viewChoice) cells(d *jsonstat.Dataset) int {
	return mulCount(vc.shape(d))
}

// builtView is a table view with what was wrong with its request.
type builtView struct {
	View     *tableView
	Choice   viewChoice
	Query    string
	Snapshot *store.Snapshot
}

// view builds (or finds in the cache) the view of a table that q asks for,
// for a part of a page (the dashboard's charts): it is never refused as
// heavy. See requestView.
func (s *Server) view(ctx context.Context, tableID string, q url.Values) (*builtView, error) {
	return s.buildView(ctx, tableID, q, false)
}

// requestView is view for a request whose answer is the view (the
// explorer, the API, the downloads): a view larger than
// Limits.HeavyViewCells is heavy and takes a slot of the heavy gate.
func (s *Server) requestView(ctx context.Context, tableID string, q url.Values) (*builtView, error) {
	return s.buildView(ctx, tableID, q, true)
}

// buildView builds the view; heavy says whether a large one takes a slot
// of the heavy gate. A view with more cells than Limits.MaxViewCells is
// refused before anything is built: the error wraps a *viewTooLarge, and
// the builtView is returned with it, without View, so the explorer can
// still show the form to narrow the view.
func (s *Server) buildView(ctx context.Context, tableID string, q url.Values, heavyOK bool) (*builtView, error) {
	bv, err := s.choose(ctx, tableID, q)
	if err != nil {
		return nil, err
	}
	snap, vc := bv.Snapshot, bv.Choice
	lim := s.cfg.Limits
	cells := vc.cells(snap.Data)
	if cells > lim.MaxViewCells {
		return bv, errViewTooLarge(tableID, cells, lim.MaxViewCells)
	}
	if heavyOK && cells > lim.HeavyViewCells {
		if err := heavy(ctx); err != nil {
			return nil, err
		}
	}
	v, err := s.cache.get(ctx, fmt.Sprintf("view:%d:%s", snap.ID, bv.Query), func(context.Context) (any, error) {
		t, err := pivot.Build(snap.Data, vc.Spec)
		if err != nil {
			return nil, fault.E(fault.Invalid, fmt.Errorf("table %s: view %s: %w", tableID, bv.Query, err))
		}
		tv := bareView(snap)
		tv.Spec, tv.Pivot = vc.Spec, t
		tv.Truncated, tv.ShownRows = len(t.Cells) > maxPageRows, min(len(t.Cells), maxPageRows)
		return tv, nil
	})
	if err != nil {
		return nil, err
	}
	bv.View = v.(*tableView)
	return bv, nil
}

// choose reads the view q asks for against the newest snapshot of the
// table, without building it.
func (s *Server) choose(ctx context.Context, tableID string, q url.Values) (*builtView, error) {
	snap, err := s.snapshot(ctx, tableID)
	if err != nil {
		return nil, err
	}
	vc := parseView(snap.Data, q)
	if len(vc.Problems) > 0 {
		// Parameters that name nothing in the table would each make a new
		// answer to keep.
		dontKeep(ctx)
	}
	return &builtView{Choice: vc, Query: vc.query(snap.Data), Snapshot: snap}, nil
}

// bareView describes a snapshot as a view does, without the table.
func bareView(snap *store.Snapshot) *tableView {
	return &tableView{
		TableID: snap.TableID, Title: snap.Title, Updated: snap.Updated, Fetched: snap.FetchedAt,
		Source: ingest.ShownSource(snap.Source), Publisher: publisher(snap.Data), TimeDim: timeDim(snap.Data), MetricDim: metricDim(snap.Data),
	}
}

// snapshot returns the newest snapshot of a table, with a bokmål message
// when the table is not stored.
func (s *Server) snapshot(ctx context.Context, tableID string) (*store.Snapshot, error) {
	snap, err := s.cache.latest(ctx, tableID)
	if fault.Is(err, fault.NotFound) {
		return nil, fault.WithUser(fault.NotFound,
			fmt.Sprintf("Tabell %s er ikke hentet ennå. Se tabellisten for hvilke tabeller som er lagret.", tableID), err)
	}
	if err != nil {
		return nil, err
	}
	if snap.Data == nil || !snap.Data.HasValues() {
		return nil, fault.WithUser(fault.NotFound, fmt.Sprintf("Tabell %s har ingen data.", tableID),
			fmt.Errorf("table %s: snapshot %d has no values", tableID, snap.ID))
	}
	return snap, nil
}

// metricDim returns the id of the dataset's statistic dimension: the
// metric role, else SSB's "ContentsCode"; "" when there is none.
func metricDim(d *jsonstat.Dataset) string {
	if len(d.Role.Metric) > 0 && d.Dimension(d.Role.Metric[0]) != nil {
		return d.Role.Metric[0]
	}
	if d.Dimension("ContentsCode") != nil {
		return "ContentsCode"
	}
	return ""
}

// publisher names who published a dataset (see tableView.Publisher).
func publisher(d *jsonstat.Dataset) string {
	if p := strings.TrimSpace(d.Source); p != "" {
		return p
	}
	return "SSB"
}

// timeDim returns the id of the dataset's time dimension: the time role,
// else SSB's "Tid"; "" when there is none.
func timeDim(d *jsonstat.Dataset) string {
	if len(d.Role.Time) > 0 && d.Dimension(d.Role.Time[0]) != nil {
		return d.Role.Time[0]
	}
	if d.Dimension("Tid") != nil {
		return "Tid"
	}
	return ""
}

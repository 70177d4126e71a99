package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sort"

	"github.com/grunnlag/grunnlag/internal/fault"
	"github.com/grunnlag/grunnlag/internal/ingest"
	"github.com/grunnlag/grunnlag/internal/store"
)

// tableStatuses lists every table the pack registers, then every other
// stored table (imported ones), with what is stored and the last attempt.
func (s *Server) tableStatuses(ctx context.Context) ([]tableStatus, error) {
	stored, err := s.cache.tableList(ctx)
	if err != nil {
		return nil, err
	}
	byID := map[string]store.TableSummary{}
	for _, t := range stored {
		byID[t.Latest.TableID] = t
	}
	var out []tableStatus
	seen := map[string]bool{}
	for _, t := range s.cfg.Pack.Tables {
		ts := tableStatus{ID: t.ID, Title: t.Title, Registered: true, Why: t.Why}
		if sum, ok := byID[t.ID]; ok {
			fillStored(&ts, sum)
		}
		out = append(out, ts)
		seen[t.ID] = true
	}
	var others []tableStatus
	for _, sum := range stored {
		if seen[sum.Latest.TableID] {
			continue
		}
		ts := tableStatus{ID: sum.Latest.TableID}
		fillStored(&ts, sum)
		others = append(others, ts)
	}
	sort.Slice(others, func(i, j int) bool { return others[i].ID < others[j].ID })
	out = append(out, others...)
	// The last attempt comes from the store, whichever process made it
	// (this server, `grunnlag sync`, an import), worded as the command line
	// words it, so the two never disagree.
	latest := map[string]*store.SnapshotInfo{}
	for i := range stored {
		latest[stored[i].Latest.TableID] = &stored[i].Latest
	}
	for i := range out {
		as, err := s.cache.attempts(ctx, out[i].ID)
		if err != nil && !fault.Is(err, fault.NotFound) {
			return nil, err
		}
		if len(as) > 0 {
			out[i].LastAttempt = viewAttempt(as[0], latest[out[i].ID])
			if as[0].Outcome == store.Failed {
				out[i].Problem = out[i].LastAttempt.Reason
			}
		}
	}
	return out, nil
}

func fillStored(ts *tableStatus, sum store.TableSummary) {
	l := sum.Latest
	ts.Stored = true
	if l.Title != "" {
		ts.Title = l.Title
	}
	ts.Updated, ts.FetchedAt, ts.Source, ts.SHA256 = l.Updated, l.FetchedAt, ingest.ShownSource(l.Source), l.SHA256
	ts.Cells, ts.Snapshots = l.Cells, sum.Snapshots
}

func viewAttempt(a store.SyncAttempt, latest *store.SnapshotInfo) *attemptView {
	reason, detail := ingest.Reason(a.Error)
	return &attemptView{StartedAt: a.StartedAt, FinishedAt: a.FinishedAt, Outcome: string(a.Outcome),
		Text: ingest.AttemptText(a, latest), Reason: reason, Error: detail}
}

// freshnessOf sums up how old the stored statistics are.
func (s *Server) freshnessOf(ts []tableStatus) freshness {
	var f freshness
	for _, t := range ts {
		if t.Registered {
			f.Registered++
			if !t.Stored {
				f.Missing = append(f.Missing, t.ID)
			}
		}
		if t.Stored {
			f.Tables++
			if f.Oldest.IsZero() || t.FetchedAt.Before(f.Oldest) {
				f.Oldest = t.FetchedAt
			}
			if t.FetchedAt.After(f.Newest) {
				f.Newest = t.FetchedAt
			}
		}
		if a := t.LastAttempt; a != nil && a.Outcome == string(store.Failed) {
			f.LastFailed = true
			if a.FinishedAt.After(f.FailedAt) {
				f.FailedAt = a.FinishedAt
			}
		}
	}
	switch {
	case f.Tables == 0:
		f.Message = "Ingen statistikk er hentet ennå."
		if f.LastFailed {
			f.Message += " Siste forsøk på å hente fra SSB mislyktes; kunnskapsgrunnlaget (dokumenter, funn, dialog og behov) virker likevel."
		}
	case f.LastFailed:
		f.Message = fmt.Sprintf("Siste forsøk på å hente fra SSB mislyktes (%s). Sidene viser lagrede data; de eldste ble hentet %s.",
			norDateTime(f.FailedAt, s.loc), ago(s.now(), f.Oldest))
	case len(f.Missing) > 0:
		f.Message = fmt.Sprintf("%s av %d registrerte tabeller er ikke hentet ennå.", plural(len(f.Missing), "tabell", "tabeller"), f.Registered)
	}
	return f
}

// tableList is the status page of every table, with the sync button.
func (s *Server) tableList(w http.ResponseWriter, r *http.Request) error {
	ts, err := s.tableStatuses(r.Context())
	if err != nil {
		return err
	}
	p := &tableListPage{Tables: ts, Fresh: s.freshnessOf(ts), Sync: s.sync.snapshot(),
		CanSync: s.authorize(r, analysts) == nil, HasSync: s.cfg.Sync != nil}
	p.setBase("Tabeller og status", "tabeller")
	return s.render(w, http.StatusOK, p)
}

// explorer is the table explorer: the view the query asks for, as a
// table and a chart, with the form to change it and the downloads.
func (s *Server) explorer(w http.ResponseWriter, r *http.Request) error {
	id, err := s.tableID(r)
	if err != nil {
		return err
	}
	bv, err := s.requestView(r.Context(), id, r.URL.Query())
	tooLarge := (*viewTooLarge)(nil)
	if errors.As(err, &tooLarge) {
		// The form stays, to narrow the view; the table, chart and
		// downloads are left out.
		bv.View = bareView(bv.Snapshot)
	} else if err != nil {
		return err
	}
	v := bv.View
	p := &explorerPage{View: v, Errors: bv.Choice.Problems, Query: bv.Query}
	if tooLarge != nil {
		p.Errors = append(p.Errors, tooLarge.pageMessage())
	}
	p.setBase(fmt.Sprintf("Tabell %s", id), "tabeller")
	ts, err := s.tableStatuses(r.Context())
	if err != nil {
		return err
	}
	for _, t := range ts {
		if t.ID == id {
			p.Table = t
		}
	}
	if doc, ok := s.cfg.Pack.DocumentForTable(id); ok {
		p.DocID = doc.ID
	}
	p.Versions = p.Table.Snapshots
	d := bv.Snapshot.Data
	for i := range d.Dimensions {
		dim := &d.Dimensions[i]
		dc := dimControl{ID: dim.ID, Label: dim.Label, Place: bv.Choice.Place[dim.ID]}
		kept := bv.Choice.Keep[dim.ID]
		for _, c := range dim.Categories {
			checked := len(kept) == 0
			for _, k := range kept {
				if k == c.Code {
					checked = true
				}
			}
			if checked {
				dc.Kept++
			}
			dc.Categories = append(dc.Categories, catControl{Code: c.Code, Label: c.Label, Checked: checked})
		}
		p.Dims = append(p.Dims, dc)
	}
	if tooLarge != nil {
		return s.render(w, http.StatusOK, p)
	}
	t := v.Pivot
	for _, d := range t.Rows.Dims {
		p.RowDims = append(p.RowDims, d.Label)
	}
	if len(t.Cols.Dims) == 0 {
		p.Head = [][]string{{"Verdi"}}
	}
	for k := range t.Cols.Dims {
		line := make([]string, len(t.Cols.Labels))
		for c, l := range t.Cols.Labels {
			line[c] = l[k]
		}
		p.Head = append(p.Head, line)
	}
	marked := markedCells(bv.Snapshot.Data, t, v.ShownRows, marks(r.URL.Query(), bv.Snapshot.Data))
	for i := 0; i < v.ShownRows; i++ {
		row := bodyRow{Labels: t.Rows.Labels[i], Cells: t.Cells[i]}
		if marked != nil {
			row.Marked = marked[i]
		}
		p.Body = append(p.Body, row)
	}
	lim := defaultLimits
	if p.ChartAll = r.URL.Query().Get("diagram") == "alle"; p.ChartAll {
		lim = allLimits
	}
	ch := viewChart("diagram", v, lim, false)
	p.Chart, p.ChartNote, p.ChartCut = ch.SVG, ch.Note, ch.Cut()
	base := "/tabeller/" + id
	p.Downloads = []download{
		{Label: "CSV", URL: base + "/csv?" + bv.Query, Note: "semikolon, desimalkomma, UTF-8 – åpnes rett i norsk Excel"},
		{Label: "Excel (XLSX)", URL: base + "/xlsx?" + bv.Query, Note: "med kildeopplysninger i eget ark"},
		{Label: "JSON-stat 2.0", URL: base + "/json-stat?" + bv.Query, Note: "utvalget som datasett, for programmer"},
	}
	return s.render(w, http.StatusOK, p)
}

package web

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"

	"github.com/grunnlag/grunnlag/internal/catalog"
	"github.com/grunnlag/grunnlag/internal/fault"
	"github.com/grunnlag/grunnlag/internal/jsonstat"
	"github.com/grunnlag/grunnlag/internal/pivot"
	"github.com/grunnlag/grunnlag/internal/store"
)

// writeJSON writes v as an indented JSON response. It encodes into a
// buffer first, so an encoding error becomes an error response.
func writeJSON(w http.ResponseWriter, status int, v any) error {
	body, err := encodeJSON(v)
	if err != nil {
		return err
	}
	writeJSONBytes(w, status, body)
	return nil
}

// encodeJSON encodes v as the API answers: indented, with a final newline.
func encodeJSON(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, fault.E(fault.Internal, fmt.Errorf("encode json: %w", err))
	}
	return buf.Bytes(), nil
}

// writeJSONBytes writes an answer encodeJSON made.
func writeJSONBytes(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	if w.Header().Get("Cache-Control") == "" {
		w.Header().Set("Cache-Control", "no-cache")
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	w.Write(body)
}

// serveBytes writes a whole answer; a file name makes it a download.
func serveBytes(w http.ResponseWriter, ctype, name string, body []byte) error {
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	if name != "" {
		w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s"`, name))
	}
	w.Write(body)
	return nil
}

func (s *Server) apiTables(w http.ResponseWriter, r *http.Request) error {
	ts, err := s.tableStatuses(r.Context())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, ts)
}

// apiTableDetail is a table's status, its dimensions and its versions.
type apiTableDetail struct {
	tableStatus
	Dimensions []apiDimension `json:"dimensions"`
	Versions   []apiVersion   `json:"versions"` // newest first
	ViewURL    string         `json:"view_url"` // the explorer page
}

type apiDimension struct {
	ID         string        `json:"id"`
	Label      string        `json:"label"`
	Role       string        `json:"role,omitempty"` // time, geo or metric
	Categories []apiCategory `json:"categories"`
}

type apiCategory struct {
	Code  string `json:"code"`
	Label string `json:"label"`
}

func (s *Server) tableID(r *http.Request) (string, error) {
	id := r.PathValue("id")
	if !store.ValidTableID(id) {
		return "", fault.WithUser(fault.NotFound, "Det finnes ingen tabell med denne ID-en.", fmt.Errorf("invalid table id %q", id))
	}
	return id, nil
}

func (s *Server) apiTable(w http.ResponseWriter, r *http.Request) error {
	id, err := s.tableID(r)
	if err != nil {
		return err
	}
	snap, err := s.snapshot(r.Context(), id)
	if err != nil {
		return err
	}
	ts, err := s.tableStatuses(r.Context())
	if err != nil {
		return err
	}
	out := apiTableDetail{ViewURL: "/tabeller/" + id}
	for _, t := range ts {
		if t.ID == id {
			out.tableStatus = t
		}
	}
	d := snap.Data
	for i := range d.Dimensions {
		dim := &d.Dimensions[i]
		ad := apiDimension{ID: dim.ID, Label: dim.Label, Role: roleOf(d, dim.ID)}
		for _, c := range dim.Categories {
			ad.Categories = append(ad.Categories, apiCategory{Code: c.Code, Label: c.Label})
		}
		out.Dimensions = append(out.Dimensions, ad)
	}
	vs, err := s.cache.versions(r.Context(), id)
	if err != nil {
		return err
	}
	for _, v := range vs {
		out.Versions = append(out.Versions, toAPIVersion(v))
	}
	return writeJSON(w, http.StatusOK, out)
}

func roleOf(d *jsonstat.Dataset, id string) string {
	for role, ids := range map[string][]string{"time": d.Role.Time, "geo": d.Role.Geo, "metric": d.Role.Metric} {
		for _, x := range ids {
			if x == id {
				return role
			}
		}
	}
	return ""
}

// apiTableData returns the newest snapshot as JSON-stat 2.0, restricted to
// the kept values (v.DIM parameters) when the request names any. It has
// at most Limits.MaxViewCells cells, like a view.
func (s *Server) apiTableData(w http.ResponseWriter, r *http.Request) error {
	id, err := s.tableID(r)
	if err != nil {
		return err
	}
	bv, err := s.choose(r.Context(), id, r.URL.Query())
	if err != nil {
		return err
	}
	if len(bv.Choice.Problems) > 0 {
		return fault.WithUser(fault.Invalid, bv.Choice.Problems[0], fmt.Errorf("table %s: view problems: %v", id, bv.Choice.Problems))
	}
	// The data endpoint keeps every value of a dimension the request does
	// not restrict, wherever the view would place it.
	keep := map[string][]string{}
	for k, v := range bv.Choice.Keep {
		if _, asked := r.URL.Query()["v."+k]; asked {
			keep[k] = v
		}
	}
	cells := 1
	for _, dim := range bv.Snapshot.Data.Dimensions {
		n := len(dim.Categories)
		if kept, ok := keep[dim.ID]; ok {
			n = len(kept)
		}
		cells = mulCount(cells, n)
	}
	if limit := s.cfg.Limits.MaxViewCells; cells > limit {
		return errViewTooLarge(id, cells, limit)
	}
	body, err := s.cache.get(r.Context(), fmt.Sprintf("data:%d:%v", bv.Snapshot.ID, keep), func(context.Context) (any, error) {
		var buf bytes.Buffer
		if err := jsonstat.Encode(&buf, subset(bv.Snapshot.Data, keep)); err != nil {
			return nil, err
		}
		return buf.Bytes(), nil
	})
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	w.Write(body.([]byte))
	return nil
}

// apiView is a built view as the API gives it: the pivot table with
// formatted and raw cells.
type apiView struct {
	Table   string      `json:"table"`
	Title   string      `json:"title"`
	Updated string      `json:"updated"`
	Query   string      `json:"query"`    // the canonical view parameters
	ViewURL string      `json:"view_url"` // the explorer page of the view
	Fixed   []apiFixed  `json:"fixed"`
	Rows    apiAxis     `json:"rows"`
	Cols    apiAxis     `json:"columns"`
	Cells   [][]apiCell `json:"cells"` // [row][column]
	Notes   []string    `json:"notes,omitempty"`
}

type apiFixed struct {
	Dimension string      `json:"dimension"`
	Category  apiCategory `json:"category"`
}

type apiAxis struct {
	Dimensions []string   `json:"dimensions"`
	Codes      [][]string `json:"codes"`
	Labels     [][]string `json:"labels"`
}

type apiCell struct {
	Value  *float64 `json:"value"` // null when missing
	Status string   `json:"status,omitempty"`
	Text   string   `json:"text"` // as the page shows it, Norwegian format
}

func axisOf(a pivot.Axis) apiAxis {
	out := apiAxis{Dimensions: []string{}, Codes: a.Codes, Labels: a.Labels}
	for _, d := range a.Dims {
		out.Dimensions = append(out.Dimensions, d.ID)
	}
	return out
}

func (s *Server) apiTableView(w http.ResponseWriter, r *http.Request) error {
	id, err := s.tableID(r)
	if err != nil {
		return err
	}
	bv, err := s.requestView(r.Context(), id, r.URL.Query())
	if err != nil {
		return err
	}
	t := bv.View.Pivot
	out := apiView{Table: id, Title: bv.View.Title, Updated: bv.View.Updated, Query: bv.Query,
		ViewURL: "/tabeller/" + id + "?" + bv.Query, Rows: axisOf(t.Rows), Cols: axisOf(t.Cols), Notes: bv.Choice.Problems}
	for _, f := range t.Fixed {
		out.Fixed = append(out.Fixed, apiFixed{Dimension: f.Dim.ID, Category: apiCategory{Code: f.Category.Code, Label: f.Category.Label}})
	}
	out.Cells = make([][]apiCell, len(t.Cells))
	for i, row := range t.Cells {
		out.Cells[i] = make([]apiCell, len(row))
		for j, c := range row {
			ac := apiCell{Status: c.Status, Text: pivot.Format(c)}
			if c.OK {
				v := c.Value
				ac.Value = &v
			}
			out.Cells[i][j] = ac
		}
	}
	return writeJSON(w, http.StatusOK, out)
}

// Catalogue endpoints: the pack's entries as the pack's JSON gives them.

func (s *Server) apiThemes(w http.ResponseWriter, r *http.Request) error {
	return writeJSON(w, http.StatusOK, s.cfg.Pack.Themes)
}

// apiThemeDetail is a theme with the ids of its evidence and, when the
// analysis has run, its triangulation.
type apiThemeDetail struct {
	*catalog.Theme
	Findings  []string `json:"findings"`
	Needs     []string `json:"needs"`
	Documents []string `json:"documents"`
	Verdict   string   `json:"verdict,omitempty"`  // the analysis' verdict
	Strength  string   `json:"strength,omitempty"` // and its strength
	Summary   string   `json:"summary,omitempty"`  // the triangulation in words, bokmål
}

func (s *Server) apiTheme(w http.ResponseWriter, r *http.Request) error {
	pk := s.cfg.Pack
	t, ok := pk.Theme(r.PathValue("id"))
	if !ok {
		return notFoundEntry("tema", r.PathValue("id"))
	}
	out := apiThemeDetail{Theme: t, Findings: []string{}, Needs: []string{}, Documents: []string{}}
	for _, f := range pk.FindingsByTheme(t.ID) {
		out.Findings = append(out.Findings, f.ID)
	}
	for _, n := range pk.NeedsByTheme(t.ID) {
		out.Needs = append(out.Needs, n.ID)
	}
	for _, d := range pk.DocumentsByTheme(t.ID) {
		out.Documents = append(out.Documents, d.ID)
	}
	if res, err := s.analysis(r.Context()); err == nil {
		for _, tr := range res.Themes {
			if tr.Theme.ID == t.ID {
				out.Verdict, out.Strength, out.Summary = string(tr.Verdict), string(tr.Strength), tr.Text()
			}
		}
	}
	return writeJSON(w, http.StatusOK, out)
}

func (s *Server) apiDocuments(w http.ResponseWriter, r *http.Request) error {
	return writeJSON(w, http.StatusOK, s.cfg.Pack.Documents)
}

// apiDocumentDetail is a document with its findings.
type apiDocumentDetail struct {
	*catalog.Document
	Findings []*catalog.Finding `json:"findings"`
}

func (s *Server) apiDocument(w http.ResponseWriter, r *http.Request) error {
	d, ok := s.cfg.Pack.Document(r.PathValue("id"))
	if !ok {
		return notFoundEntry("dokument", r.PathValue("id"))
	}
	fs := s.cfg.Pack.FindingsOfDocument(d.ID)
	if fs == nil {
		fs = []*catalog.Finding{}
	}
	return writeJSON(w, http.StatusOK, apiDocumentDetail{Document: d, Findings: fs})
}

func (s *Server) apiFindings(w http.ResponseWriter, r *http.Request) error {
	return writeJSON(w, http.StatusOK, s.cfg.Pack.Findings)
}

func (s *Server) apiFinding(w http.ResponseWriter, r *http.Request) error {
	f, ok := s.cfg.Pack.Finding(r.PathValue("id"))
	if !ok {
		return notFoundEntry("funn", r.PathValue("id"))
	}
	return writeJSON(w, http.StatusOK, f)
}

func (s *Server) apiActivities(w http.ResponseWriter, r *http.Request) error {
	return writeJSON(w, http.StatusOK, s.cfg.Pack.Activities)
}

func (s *Server) apiActivity(w http.ResponseWriter, r *http.Request) error {
	a, ok := s.cfg.Pack.Activity(r.PathValue("id"))
	if !ok {
		return notFoundEntry("aktivitet", r.PathValue("id"))
	}
	return writeJSON(w, http.StatusOK, a)
}

func (s *Server) apiNeeds(w http.ResponseWriter, r *http.Request) error {
	return writeJSON(w, http.StatusOK, s.cfg.Pack.Needs)
}

func (s *Server) apiNeed(w http.ResponseWriter, r *http.Request) error {
	n, ok := s.cfg.Pack.Need(r.PathValue("id"))
	if !ok {
		return notFoundEntry("behov", r.PathValue("id"))
	}
	return writeJSON(w, http.StatusOK, n)
}

// apiNSMBody is NSM's principles with their measures.
type apiNSMBody struct {
	Categories []*catalog.Category  `json:"categories"`
	Principles []*catalog.Principle `json:"principles"`
	Measures   []*catalog.Measure   `json:"measures"`
}

func (s *Server) apiNSM(w http.ResponseWriter, r *http.Request) error {
	pk := s.cfg.Pack
	return writeJSON(w, http.StatusOK, apiNSMBody{Categories: pk.Categories, Principles: pk.Principles, Measures: pk.Measures})
}

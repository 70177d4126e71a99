package pxwebtest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

func itoa(n int) string { return strconv.Itoa(n) }

// writeJSON answers 200 with v as JSON.
func writeJSON(w http.ResponseWriter, v any) {
	data, err := json.Marshal(v)
	if err != nil {
		writeProblem(w, http.StatusInternalServerError, "Internal error", err.Error())
		return
	}
	writeBody(w, http.StatusOK, "application/json; charset=utf-8", data)
}

func writeBody(w http.ResponseWriter, status int, contentType string, data []byte) {
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Length", itoa(len(data)))
	w.WriteHeader(status)
	w.Write(data)
}

// writeProblem answers with an RFC 7807 problem as PxWebApi writes it: type
// "Parameter error", a fixed title, the status, and a detail.
func writeProblem(w http.ResponseWriter, status int, title, detail string) {
	p := struct {
		Type   string `json:"type"`
		Title  string `json:"title"`
		Status int    `json:"status"`
		Detail string `json:"detail,omitempty"`
	}{"Parameter error", title, status, detail}
	data, _ := json.Marshal(p)
	writeBody(w, status, "application/problem+json; charset=utf-8", data)
}

func methodOnly(w http.ResponseWriter, r *http.Request, methods ...string) bool {
	if contains(methods, r.Method) {
		return true
	}
	w.Header().Set("Allow", strings.Join(methods, ", "))
	writeProblem(w, http.StatusMethodNotAllowed, "Method not allowed", r.Method)
	return false
}

func (s *Server) serveConfig(w http.ResponseWriter, r *http.Request, lang string) {
	if !methodOnly(w, r, "GET") {
		return
	}
	cells, calls, window := s.maxCells, s.maxCalls, s.window
	if s.published != nil {
		cells, calls, window = s.published.maxCells, s.published.calls, s.published.window
	}
	type language struct {
		ID    string `json:"id"`
		Label string `json:"label"`
	}
	var langs []language
	for _, l := range s.languages {
		langs = append(langs, language{l, l})
	}
	writeJSON(w, map[string]any{
		"apiVersion":            "2.0.0",
		"appVersion":            "pxwebtest",
		"languages":             langs,
		"defaultLanguage":       s.languages[0],
		"maxDataCells":          cells,
		"maxCallsPerTimeWindow": calls,
		"timeWindow":            int(window / time.Second),
		"license":               "constructed test server",
		"sourceReferences":      []any{},
		"defaultDataFormat":     "json-stat2",
		"dataFormats":           []string{"json-stat2"},
		"features":              []any{},
	})
}

// link is a hypermedia link.
type link struct {
	Rel      string `json:"rel"`
	HrefLang string `json:"hreflang"`
	Href     string `json:"href"`
}

// catalogueEntry is a table in /tables and /tables/{id}, in the reference
// server's key order.
type catalogueEntry struct {
	Language      string       `json:"language,omitempty"`
	ID            string       `json:"id"`
	Label         string       `json:"label"`
	Description   string       `json:"description"`
	SortCode      string       `json:"sortCode"`
	Updated       string       `json:"updated"`
	FirstPeriod   string       `json:"firstPeriod"`
	LastPeriod    string       `json:"lastPeriod"`
	Category      string       `json:"category"`
	VariableNames []string     `json:"variableNames"`
	Discontinued  *bool        `json:"discontinued,omitempty"`
	Source        string       `json:"source"`
	SubjectCode   string       `json:"subjectCode"`
	TimeUnit      string       `json:"timeUnit"`
	Paths         [][]PathItem `json:"paths"`
	Links         []link       `json:"links"`
}

func (s *Server) entry(t *Table, lang string) catalogueEntry {
	base := s.URL() + "/tables/" + url.PathEscape(t.ID)
	e := catalogueEntry{
		ID: t.ID, Label: t.Label, Description: t.Description, SortCode: t.SortCode,
		Updated: t.Updated, FirstPeriod: t.FirstPeriod, LastPeriod: t.LastPeriod,
		Category: t.Category, Discontinued: t.Discontinued, Source: t.Source,
		SubjectCode: t.SubjectCode, TimeUnit: t.TimeUnit, Paths: t.Paths,
		VariableNames: []string{},
		Links: []link{
			{"self", lang, base + "?lang=" + lang},
			{"metadata", lang, base + "/metadata?lang=" + lang},
			{"data", lang, base + "/data?lang=" + lang + "&outputFormat=json-stat2"},
		},
	}
	if e.Paths == nil {
		e.Paths = [][]PathItem{}
	}
	for _, d := range t.Dimensions {
		e.VariableNames = append(e.VariableNames, d.Label)
	}
	return e
}

func (s *Server) serveTable(w http.ResponseWriter, r *http.Request, id, lang string) {
	if !methodOnly(w, r, "GET") {
		return
	}
	t := s.table(id)
	if t == nil {
		writeProblem(w, http.StatusNotFound, "Non-existent table", "")
		return
	}
	e := s.entry(t, lang)
	e.Language = lang
	writeJSON(w, e)
}

// serveTables lists tables a page at a time, shaped like the reference
// server's answer (see the recorded scb-v2/tables-page1.json).
func (s *Server) serveTables(w http.ResponseWriter, r *http.Request, lang string) {
	if !methodOnly(w, r, "GET") {
		return
	}
	q := r.URL.Query()
	query := strings.ToLower(queryValue(q, "query"))
	pastDays, err := optionalInt(queryValue(q, "pastDays"), 0)
	if err != nil || pastDays < 0 {
		writeProblem(w, http.StatusBadRequest, "Parameter error", "pastDays must be a positive integer")
		return
	}
	includeDiscontinued := strings.EqualFold(queryValue(q, "includeDiscontinued"), "true")
	size, err1 := optionalInt(queryValue(q, "pageSize"), s.pageSize)
	number, err2 := optionalInt(queryValue(q, "pageNumber"), 1)
	if err1 != nil || err2 != nil || size < 1 || number < 1 {
		writeProblem(w, http.StatusBadRequest, "Parameter error", "bad pageSize or pageNumber")
		return
	}
	var hits []catalogueEntry
	for _, t := range s.tableList() {
		if query != "" && !strings.Contains(strings.ToLower(t.ID+" "+t.Label), query) {
			continue
		}
		if !includeDiscontinued && t.Discontinued != nil && *t.Discontinued {
			continue
		}
		if pastDays > 0 {
			u, err := time.Parse(time.RFC3339, t.Updated)
			if err != nil || s.now().Sub(u) > time.Duration(pastDays)*24*time.Hour {
				continue
			}
		}
		hits = append(hits, s.entry(&t, lang))
	}
	pages := (len(hits) + size - 1) / size
	if number > max(pages, 1) {
		writeProblem(w, http.StatusNotFound, "Non-existent page", "Non-existent page")
		return
	}
	from := min((number-1)*size, len(hits))
	to := min(from+size, len(hits))
	pageURL := func(n int) string {
		return fmt.Sprintf("%s/tables/?lang=%s&pagesize=%d&pageNumber=%d", s.URL(), lang, size, n)
	}
	var pageLinks []link
	if number > 1 {
		pageLinks = append(pageLinks, link{"previous", lang, pageURL(number - 1)})
	}
	if number < pages {
		pageLinks = append(pageLinks, link{"next", lang, pageURL(number + 1)}, link{"last", lang, pageURL(pages)})
	}
	if pageLinks == nil {
		pageLinks = []link{}
	}
	page := hits[from:to]
	if page == nil {
		page = []catalogueEntry{}
	}
	writeJSON(w, map[string]any{
		"language": lang,
		"tables":   page,
		"page": map[string]any{
			"pageNumber": number, "pageSize": size, "totalElements": len(hits),
			"totalPages": pages, "links": pageLinks,
		},
		"links": []link{{"self", lang, pageURL(number)}},
	})
}

func optionalInt(v string, def int) (int, error) {
	if v == "" {
		return def, nil
	}
	return strconv.Atoi(v)
}

func (s *Server) serveMetadata(w http.ResponseWriter, r *http.Request, id string) {
	if !methodOnly(w, r, "GET") {
		return
	}
	t := s.table(id)
	if t == nil || len(t.Dimensions) == 0 {
		writeProblem(w, http.StatusNotFound, "Non-existent table", "")
		return
	}
	if !s.outputFormatOK(w, r) {
		return
	}
	data, err := encodeDataset(t, allPositions(t), false)
	if err != nil {
		writeProblem(w, http.StatusInternalServerError, "Internal error", err.Error())
		return
	}
	writeBody(w, http.StatusOK, "application/json; charset=utf-8", data)
}

func (s *Server) outputFormatOK(w http.ResponseWriter, r *http.Request) bool {
	f := queryValue(r.URL.Query(), "outputFormat")
	if f == "" || f == "json-stat2" {
		return true
	}
	writeProblem(w, http.StatusBadRequest, "Unsupported output format", "Unsupported output format")
	return false
}

// postSelection is the body of POST /tables/{id}/data.
type postSelection struct {
	Selection []struct {
		VariableCode string   `json:"variableCode"`
		ValueCodes   []string `json:"valueCodes"`
		Codelist     string   `json:"codelist"`
	} `json:"selection"`
}

func (s *Server) serveData(w http.ResponseWriter, r *http.Request, id string, body []byte) {
	if !methodOnly(w, r, "GET", "POST") {
		return
	}
	t := s.table(id)
	if t == nil || len(t.Dimensions) == 0 {
		writeProblem(w, http.StatusNotFound, "Non-existent table", "")
		return
	}
	if !s.outputFormatOK(w, r) {
		return
	}
	// Selection expressions per variable, as asked.
	asked := map[string][]string{}
	if r.Method == "POST" {
		var ps postSelection
		if err := json.Unmarshal(body, &ps); err != nil {
			writeProblem(w, http.StatusBadRequest, "Illegal selection expression", "body is not a selection: "+err.Error())
			return
		}
		for _, v := range ps.Selection {
			if v.Codelist != "" {
				writeProblem(w, http.StatusBadRequest, "Non-existent codelist", v.Codelist)
				return
			}
			asked[v.VariableCode] = append(asked[v.VariableCode], v.ValueCodes...)
		}
	} else {
		for k, vals := range r.URL.Query() {
			lk := strings.ToLower(k)
			if !strings.HasSuffix(lk, "]") {
				continue
			}
			switch {
			case strings.HasPrefix(lk, "valuecodes["):
				name := k[len("valuecodes[") : len(k)-1]
				for _, v := range vals {
					asked[name] = append(asked[name], splitList(v)...)
				}
			case strings.HasPrefix(lk, "codelist["):
				writeProblem(w, http.StatusBadRequest, "Non-existent codelist", strings.Join(vals, ","))
				return
			}
		}
	}
	pos := allPositions(t)
	for name, exprs := range asked {
		i := dimensionIndex(t, name)
		if i < 0 {
			writeProblem(w, http.StatusBadRequest, "Non-existent variable", name)
			return
		}
		p, err := resolve(&t.Dimensions[i], t.isTime(t.Dimensions[i].ID), exprs)
		if err != nil {
			se := err.(*selectionError)
			writeProblem(w, http.StatusBadRequest, se.title, se.detail)
			return
		}
		pos[i] = p
	}
	cells := 1
	for _, p := range pos {
		cells *= len(p)
	}
	if s.maxCells > 0 && cells > s.maxCells {
		writeProblem(w, s.tooManyStatus, "Too many cells selected",
			fmt.Sprintf("Too many cells selected: %d, the limit is %d", cells, s.maxCells))
		return
	}
	data, err := encodeDataset(t, pos, true)
	if err != nil {
		writeProblem(w, http.StatusInternalServerError, "Internal error", err.Error())
		return
	}
	writeBody(w, http.StatusOK, "application/json; charset=utf-8", data)
}

// dimensionIndex finds a variable by code, exactly or ignoring case.
func dimensionIndex(t *Table, name string) int {
	for i, d := range t.Dimensions {
		if d.ID == name {
			return i
		}
	}
	for i, d := range t.Dimensions {
		if strings.EqualFold(d.ID, name) {
			return i
		}
	}
	return -1
}

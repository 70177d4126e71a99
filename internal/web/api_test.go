package web

import (
	"encoding/json"
	"net/http"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/grunnlag/grunnlag/internal/analysis"
	"github.com/grunnlag/grunnlag/internal/jsonstat"
)

func getJSON(t *testing.T, e *env, path string, v any) *http.Response {
	t.Helper()
	resp, body := e.get(t, path)
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") && !strings.HasPrefix(ct, "application/problem+json") {
		t.Fatalf("GET %s Content-Type = %q", path, ct)
	}
	if err := json.Unmarshal([]byte(body), v); err != nil {
		t.Fatalf("GET %s: not JSON: %v\n%s", path, err, body)
	}
	return resp
}

func TestAPITables(t *testing.T) {
	e := newEnv(t)
	var ts []tableStatus
	getJSON(t, e, "/api/v1/tables", &ts)
	var ids []string
	for _, x := range ts {
		ids = append(ids, x.ID)
	}
	want := []string{"12041", "12038", "12019", "12036", "12617", "12618", "14559", "03024", "09654", "13615", "TAB6471"}
	if diff := cmp.Diff(want, ids); diff != "" {
		t.Errorf("table ids (-want +got):\n%s", diff)
	}
	for _, x := range ts {
		if x.ID == "14559" && (x.Stored || !x.Registered) {
			t.Errorf("14559 = %+v, want registered and not stored", x)
		}
		if x.ID == "13615" && (!x.Stored || x.Registered || x.Cells != 100 || x.Updated != "2025-04-11T06:00:00Z" || x.LastAttempt == nil) {
			t.Errorf("13615 = %+v", x)
		}
	}

	var d apiTableDetail
	getJSON(t, e, "/api/v1/tables/13615", &d)
	if len(d.Dimensions) != 4 || d.Dimensions[3].ID != "Tid" || d.Dimensions[3].Role != "time" || len(d.Versions) != 1 {
		t.Errorf("table detail = %+v", d)
	}
}

func TestAPITableData(t *testing.T) {
	e := newEnv(t)
	for _, tt := range []struct {
		query string
		size  []int
	}{
		{"", []int{10, 2, 1, 5}},
		{"?v.Produkter=01&v.Tid=2024", []int{1, 2, 1, 1}},
	} {
		resp, body := e.get(t, "/api/v1/tables/13615/data"+tt.query)
		if resp.StatusCode != 200 {
			t.Fatalf("GET data%s = %d", tt.query, resp.StatusCode)
		}
		d, err := jsonstat.Decode([]byte(body))
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(tt.size, d.Size()); diff != "" {
			t.Errorf("data%s size (-want +got):\n%s", tt.query, diff)
		}
	}
	var p problem
	if resp := getJSON(t, e, "/api/v1/tables/13615/data?v.Produkter=zz", &p); resp.StatusCode != 400 {
		t.Errorf("unknown code = %d, want 400", resp.StatusCode)
	}
}

func TestAPITableView(t *testing.T) {
	e := newEnv(t)
	var v apiView
	getJSON(t, e, "/api/v1/tables/13615/view?"+view13615, &v)
	if diff := cmp.Diff([]string{"Produkter", "NACE"}, v.Rows.Dimensions); diff != "" {
		t.Errorf("row dims (-want +got):\n%s", diff)
	}
	if len(v.Cells) != 4 || *v.Cells[0][4].Value != 381 || v.Cells[2][0].Value != nil || v.Cells[2][0].Status != "." || v.Cells[1][0].Text != "4 752" {
		t.Errorf("cells = %+v", v.Cells)
	}
	if !strings.HasPrefix(v.ViewURL, "/tabeller/13615?") {
		t.Errorf("view_url = %q", v.ViewURL)
	}
}

func TestAPIIndicators(t *testing.T) {
	e := newEnv(t)
	var got []analysis.Summary
	getJSON(t, e, "/api/v1/indicators", &got)
	if len(got) != len(e.srv.cfg.Pack.Indicators) {
		t.Fatalf("%d indicators, want %d", len(got), len(e.srv.cfg.Pack.Indicators))
	}
	found := false
	for _, s := range got {
		if s.ID == "sikkerhetspatcher-mangler" {
			found = true
			if s.Status != analysis.OK || s.Count == nil || s.Count.Phrase != "mer enn 50" || s.Appendix == nil || s.Appendix.Count == nil ||
				s.Appendix.Count.Phrase != "mer enn 60" || s.Source == nil || s.Source.Table != "12618" {
				t.Errorf("sikkerhetspatcher-mangler = %+v", s)
			}
		}
	}
	if !found {
		t.Error("no indicator sikkerhetspatcher-mangler")
	}
}

func TestAPICatalogue(t *testing.T) {
	e := newEnv(t)
	pk := e.srv.cfg.Pack
	lists := []struct {
		path string
		n    int
	}{
		{"/api/v1/themes", len(pk.Themes)},
		{"/api/v1/documents", len(pk.Documents)},
		{"/api/v1/findings", len(pk.Findings)},
		{"/api/v1/dialogue", len(pk.Activities)},
		{"/api/v1/needs", len(pk.Needs)},
	}
	for _, l := range lists {
		var got []map[string]any
		getJSON(t, e, l.path, &got)
		if len(got) != l.n || got[0]["id"] == "" {
			t.Errorf("GET %s: %d entries, want %d", l.path, len(got), l.n)
		}
	}
	var th apiThemeDetail
	getJSON(t, e, "/api/v1/themes/lopende-sikring", &th)
	if th.Theme == nil || th.ID != "lopende-sikring" || len(th.Findings) == 0 || th.Verdict == "" {
		t.Errorf("theme = %+v", th)
	}
	var doc map[string]any
	getJSON(t, e, "/api/v1/documents/"+pk.Documents[0].ID, &doc)
	if doc["id"] != pk.Documents[0].ID || doc["findings"] == nil {
		t.Errorf("document = %v", doc)
	}
	var sr searchResult
	getJSON(t, e, "/api/v1/search?q=patch", &sr)
	if len(sr.Hits) == 0 || sr.Hits[0].URL == "" || sr.Hits[0].KindLabel == "" {
		t.Errorf("search patch = %+v", sr)
	}
	var nsm apiNSMBody
	getJSON(t, e, "/api/v1/nsm", &nsm)
	if len(nsm.Categories) != 4 || len(nsm.Principles) != 21 {
		t.Errorf("nsm: %d categories, %d principles; want 4 and 21", len(nsm.Categories), len(nsm.Principles))
	}
}

// TestOpenAPIMatchesRoutes checks the OpenAPI document against routes.go:
// every API route is documented, and every documented operation answers
// (not 404 or 405).
func TestOpenAPIMatchesRoutes(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.Sync = noopSync })
	var doc openAPIDoc
	getJSON(t, e, "/api/v1/openapi.json", &doc)
	if doc.OpenAPI != "3.1.0" || len(doc.Servers) != 1 || doc.Servers[0].URL != "/api/v1" {
		t.Fatalf("document header = %q %v", doc.OpenAPI, doc.Servers)
	}
	documented := map[string]bool{}
	for p, item := range doc.Paths {
		for m := range item {
			documented[strings.ToUpper(m)+" /api/v1"+p] = true
		}
	}
	registered := map[string]bool{}
	for _, rt := range e.srv.routes {
		if rt.api() {
			registered[rt.pattern] = true
			if !documented[rt.pattern] {
				t.Errorf("route %s is not in the OpenAPI document", rt.pattern)
			}
		}
	}
	// Values for the path parameters, from the test store and the pack.
	params := map[string]string{
		"/tables/{id}":    "13615",
		"/rounds/{id}":    "2027",
		"/themes/{id}":    e.srv.cfg.Pack.Themes[0].ID,
		"/documents/{id}": e.srv.cfg.Pack.Documents[0].ID,
		"/findings/{id}":  e.srv.cfg.Pack.Findings[0].ID,
		"/dialogue/{id}":  e.srv.cfg.Pack.Activities[0].ID,
		"/needs/{id}":     e.srv.cfg.Pack.Needs[0].ID,
	}
	var keys []string
	for k := range documented {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if !registered[k] {
			t.Errorf("documented %s is not a route", k)
		}
		method, path, _ := strings.Cut(k, " ")
		for prefix, v := range params {
			if strings.HasPrefix(path, "/api/v1"+prefix) {
				path = strings.Replace(path, "{id}", v, 1)
			}
		}
		if strings.Contains(path, "{") {
			t.Errorf("no value for the parameter of %s", k)
			continue
		}
		if strings.HasSuffix(path, "/search") {
			path += "?q=patch"
		}
		resp, body := e.do(t, method, path, http.Header{"Sec-Fetch-Site": {"same-origin"}}, nil)
		if resp.StatusCode == 404 || resp.StatusCode == 405 {
			t.Errorf("documented %s answers %d: %s", k, resp.StatusCode, body)
		}
		if method == "POST" {
			e.srv.WaitSync(t.Context())
		}
	}
	for _, op := range []string{"GET /api/v1/tables/{id}/data", "POST /api/v1/sync"} {
		if !slices.Contains(keys, op) {
			t.Errorf("%s missing from the document", op)
		}
	}
}

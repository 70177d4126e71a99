package web

import (
	"io/fs"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/grunnlag/grunnlag/internal/fixtures"
	"github.com/grunnlag/grunnlag/internal/jsonstat"
	"github.com/grunnlag/grunnlag/internal/pivot"
	"github.com/grunnlag/grunnlag/internal/store"
)

// fixtureDataset decodes a recorded fixture.
func fixtureDataset(f *testing.F, name string) *jsonstat.Dataset {
	f.Helper()
	b, err := fs.ReadFile(fixtures.FS, name)
	if err != nil {
		f.Fatal(err)
	}
	d, err := jsonstat.Decode(b)
	if err != nil {
		f.Fatal(err)
	}
	return d
}

// viewSeeds are view queries for the seed corpora: the explorer's own
// links, and broken ones.
var viewSeeds = []string{
	"", view13615, "d.Tid=row&d.Produkter=col", "d.ContentsCode=fixed&v.ContentsCode=x",
	"v.Tid=2024&v.Tid=2020&v.Tid=2024", "d.NACE=nowhere&v.nope=1&junk=2", "d.Tid=fixed&v.Tid=2020&v.Tid=2021",
	"d.Produkter=row&d.NACE=row&d.Tid=row&d.ContentsCode=row", "v.Produkter=%ff%fe&d.%00=row", "d.Region=col&v.Region=0301",
}

// FuzzParseView reads any query as a view of two recorded tables (SSB's
// 13615 and SCB's five-dimensional TAB6471). The view must be buildable,
// have the cells it says, and its canonical query must read back as the
// same view without problems.
func FuzzParseView(f *testing.F) {
	sets := []*jsonstat.Dataset{
		fixtureDataset(f, "pxweb/ssb-v2/13615/data-GET.json"),
		fixtureDataset(f, "pxweb/scb-v2/TAB6471/data.json"),
	}
	for _, q := range viewSeeds {
		f.Add(q, false)
		f.Add(q, true)
	}
	f.Fuzz(func(t *testing.T, raw string, second bool) {
		d := sets[0]
		if second {
			d = sets[1]
		}
		q, _ := url.ParseQuery(raw)
		vc := parseView(d, q)
		canon := vc.query(d)
		q2, err := url.ParseQuery(canon)
		if err != nil {
			t.Fatalf("canonical query %q does not parse: %v", canon, err)
		}
		vc2 := parseView(d, q2)
		if got := vc2.query(d); got != canon || len(vc2.Problems) > 0 {
			t.Fatalf("canonical query %q reads back as %q with problems %v", canon, got, vc2.Problems)
		}
		cells := vc.cells(d)
		if cells < 0 || cells > d.Len() {
			t.Fatalf("view of %d cells from a table of %d", cells, d.Len())
		}
		tab, err := pivot.Build(d, vc.Spec)
		if err != nil {
			t.Fatalf("view %q does not build: %v", canon, err)
		}
		if got := len(tab.Rows.Labels) * len(tab.Cols.Labels); got != cells {
			t.Fatalf("view %q has %d cells, cells() says %d", canon, got, cells)
		}
		for _, params := range [][]string{append(viewQuery, markParam+"[]", "diagram"), {"q"}, {"sorter", "type"}} {
			k := keptQuery(params, q)
			k2, _ := url.ParseQuery(k)
			if again := keptQuery(params, k2); again != k {
				t.Fatalf("keptQuery(%v) of %q = %q, and of that %q", params, raw, k, again)
			}
		}
	})
}

// FuzzForms sends any query or form body to every handler of the table
// explorer and the search that reads one: the explorer's form and its
// downloads, the view and data API, the search page and API, and the sync
// form; anonymously (through the kept answers) and as a signed-in analyst
// (computed every time, and the sync form with its form token). No answer
// may be a server error other than 503.
func FuzzForms(f *testing.F) {
	e := newEnv(f, func(c *Config) { c.Sync = noopSync })
	analyst := e.signIn(f, "analytiker@example.invalid", store.RoleAnalyst, "")
	paths := []string{
		"/tabeller/13615", "/tabeller/TAB6471", "/tabeller/13615/csv", "/tabeller/13615/xlsx", "/tabeller/13615/json-stat",
		"/api/v1/tables/13615/view", "/api/v1/tables/TAB6471/view", "/api/v1/tables/13615/data",
		"/sok", "/api/v1/search", "/synk",
	}
	for i := range paths {
		for _, q := range viewSeeds {
			f.Add(uint8(i), false, q, []byte(nil))
		}
		f.Add(uint8(i), true, "q=beredskap", []byte(nil))
		f.Add(uint8(i), false, "q=%22sikkerhet%22+OR+*", []byte(nil))
	}
	f.Add(uint8(len(paths)-1), true, "", []byte("x=1&y=%zz"))
	f.Add(uint8(len(paths)-1), true, "", []byte(strings.Repeat("a=b&", 1000)))
	f.Fuzz(func(t *testing.T, which uint8, signedIn bool, query string, body []byte) {
		path := paths[int(which)%len(paths)]
		method := http.MethodGet
		if path == "/synk" {
			method = http.MethodPost
			if signedIn {
				// The form token first, then whatever the body holds.
				body = append([]byte("csrf="+url.QueryEscape(analyst.csrf)+"&"), body...)
			}
		}
		req := httptest.NewRequest(method, "http://localhost:8080"+path, strings.NewReader(string(body)))
		req.URL.RawQuery = query
		req.RequestURI = req.URL.RequestURI()
		req.RemoteAddr = "127.0.0.1:40000"
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		if method == http.MethodPost {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		if signedIn {
			req.AddCookie(analyst.cookie)
		}
		rec := httptest.NewRecorder()
		e.srv.Handler().ServeHTTP(rec, req)
		if rec.Code >= 500 && rec.Code != http.StatusServiceUnavailable {
			t.Fatalf("%s %s?%q (signed in: %v) = %d\n%.500s", method, path, query, signedIn, rec.Code, rec.Body.String())
		}
	})
}

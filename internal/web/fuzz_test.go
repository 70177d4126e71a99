package web

import (
	"context"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/grunnlag/grunnlag/internal/audit"
	"github.com/grunnlag/grunnlag/internal/fixtures"
	"github.com/grunnlag/grunnlag/internal/jsonstat"
	"github.com/grunnlag/grunnlag/internal/pivot"
	"github.com/grunnlag/grunnlag/internal/store"
	"github.com/grunnlag/grunnlag/internal/survey"
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

// FuzzForms sends any query or form body to every handler that reads one:
// the explorer's form and its downloads, the view and data API, the
// search page and API, the document list's filters, «Hvor står vi?», the
// version comparison, the sync form, and the self-assessment's forms (an
// answer form, a plan item, the upload, the submission and the round
// administration's); anonymously (through the kept answers where the
// route keeps them) and signed in as who may send the form (computed
// every time, with the session's form token). No answer may be a server
// error other than 503.
func FuzzForms(f *testing.F) {
	e := newEnv(f, func(c *Config) { c.Sync = noopSync })
	analyst := e.signIn(f, "analytiker@example.invalid", store.RoleAnalyst, "")
	lead := e.signIn(f, "leder@example.invalid", store.RoleLead, "0301")
	admin := e.signIn(f, "admin@example.invalid", store.RoleAdmin, "")
	measure := openRound(f, e, "2027")
	type form struct {
		method, path string
		as           *session
	}
	forms := []form{
		{"GET", "/tabeller/13615", analyst}, {"GET", "/tabeller/TAB6471", analyst}, {"GET", "/tabeller/13615/csv", analyst},
		{"GET", "/tabeller/13615/xlsx", analyst}, {"GET", "/tabeller/13615/json-stat", analyst},
		{"GET", "/api/v1/tables/13615/view", analyst}, {"GET", "/api/v1/tables/TAB6471/view", analyst}, {"GET", "/api/v1/tables/13615/data", analyst},
		{"GET", "/sok", analyst}, {"GET", "/api/v1/search", analyst}, {"GET", "/dokumenter", analyst}, {"GET", "/hvor-star-vi", analyst},
		{"GET", "/tabeller/13615/versjoner", analyst}, {"GET", "/api/v1/tables/13615/versions/compare", analyst},
		{"POST", "/synk", analyst},
		{"POST", "/kartlegging/2027/1.1", lead}, {"POST", "/kartlegging/2027/plan/" + measure, lead},
		{"POST", "/kartlegging/2027/last-opp", lead}, {"POST", "/kartlegging/2027/send-inn", lead},
		{"POST", "/admin/runder", admin}, {"POST", "/admin/runder/2027/utsett", admin}, {"POST", "/admin/runder/2027/gjenapne", admin},
	}
	for i, fm := range forms {
		if fm.method == http.MethodGet {
			for _, q := range viewSeeds {
				f.Add(uint8(i), false, q, []byte(nil))
			}
			f.Add(uint8(i), true, "q=beredskap", []byte(nil))
			f.Add(uint8(i), false, "q=%22sikkerhet%22+OR+*", []byte(nil))
			f.Add(uint8(i), false, "kommune=Her%C3%B8y&klasse=x&fra=1&til=2&sorter=aar&type=x", []byte(nil))
			continue
		}
		f.Add(uint8(i), true, "", []byte("x=1&y=%zz"))
		f.Add(uint8(i), true, "", []byte(strings.Repeat("a=b&", 1000)))
		f.Add(uint8(i), true, "", []byte("versjon=0&svar-"+measure+"=ja&modenhet-"+measure+"=3&kommentar-"+measure+"=k&dok-"+measure+"=https://example.invalid/"))
		f.Add(uint8(i), true, "", []byte("status=planlagt&frist=2027-01-01&ansvarlig=a&notat=n"))
		f.Add(uint8(i), true, "", []byte("id=2099&navn=n&apner=2027-01-01&frist=2027-02-01&modenhet=1&prinsipp=1.1&org=0301&bekreft=1"))
		f.Add(uint8(i), false, "", []byte("versjon=0"))
	}
	f.Fuzz(func(t *testing.T, which uint8, signedIn bool, query string, body []byte) {
		fm := forms[int(which)%len(forms)]
		if fm.method == http.MethodPost && signedIn {
			// The form token first, then whatever the body holds.
			body = append([]byte("csrf="+url.QueryEscape(fm.as.csrf)+"&"), body...)
		}
		req := httptest.NewRequest(fm.method, "http://localhost:8080"+fm.path, strings.NewReader(string(body)))
		req.URL.RawQuery = query
		req.RequestURI = req.URL.RequestURI()
		req.RemoteAddr = "127.0.0.1:40000"
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		if fm.method == http.MethodPost {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		if signedIn {
			req.AddCookie(fm.as.cookie)
		}
		rec := httptest.NewRecorder()
		e.srv.Handler().ServeHTTP(rec, req)
		if rec.Code >= 500 && rec.Code != http.StatusServiceUnavailable {
			t.Fatalf("%s %s?%q (signed in: %v) = %d\n%.500s", fm.method, fm.path, query, signedIn, rec.Code, rec.Body.String())
		}
	})
}

// openRound creates a round of the self-assessment, open on the tests'
// day, and returns a measure of its principle 1.1.
func openRound(t testing.TB, e *env, id string) string {
	t.Helper()
	ctx := context.Background()
	day := testNow.In(oslo()).Format("2006-01-02")
	if _, err := e.survey.CreateRound(ctx, audit.CLI, survey.RoundSpec{ID: id, Name: "Konstruert runde", OpensOn: day, ClosesOn: day,
		Settings: survey.DefaultSettings(e.srv.cfg.Pack)}); err != nil {
		t.Fatal(err)
	}
	if err := e.survey.SetStatus(ctx, audit.CLI, id, store.RoundOpen); err != nil {
		t.Fatal(err)
	}
	rd, err := e.survey.Round(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	pr, ok := rd.Principle("1.1")
	if !ok || len(pr.Measures) == 0 {
		t.Fatal("the round has no principle 1.1 with measures")
	}
	return pr.Measures[0].Measure
}

package web

import (
	"context"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/grunnlag/grunnlag/data"
	"github.com/grunnlag/grunnlag/internal/analysis/analysistest"
	"github.com/grunnlag/grunnlag/internal/audit"
	"github.com/grunnlag/grunnlag/internal/auth"
	"github.com/grunnlag/grunnlag/internal/catalog"
	"github.com/grunnlag/grunnlag/internal/fixtures"
	"github.com/grunnlag/grunnlag/internal/ingest"
	"github.com/grunnlag/grunnlag/internal/org"
	"github.com/grunnlag/grunnlag/internal/store"
	"github.com/grunnlag/grunnlag/internal/store/sqlstore"
	"github.com/grunnlag/grunnlag/internal/survey"
)

// recordedFixtures are real PxWeb responses imported into every test store:
// SSB tables with and without status symbols, and one of SCB's with five
// dimensions.
var recordedFixtures = []string{
	"pxweb/ssb-v2/03024/data-POST.json",
	"pxweb/ssb-v2/13615/data-GET.json",
	"pxweb/ssb-v2/09654/data-GET.json",
	"pxweb/scb-v2/TAB6471/data.json",
}

// testNow is the fixed clock of the tests: a few days after the
// constructed snapshots were "fetched".
var testNow = analysistest.FetchedAt(3)

// env is a server on a real SQLite store, with its test HTTP server.
type env struct {
	st     *sqlstore.DB
	srv    *Server
	ts     *httptest.Server
	auth   *auth.Service
	survey *survey.Service
}

type envOption func(*Config)

// newEnv opens a SQLite store in a temporary directory, loads the shipped
// knowledge pack, imports the recorded fixtures and the analysis'
// constructed snapshots (labelled "Konstruerte testdata"), and starts a
// Server on it.
func newEnv(t testing.TB, opts ...envOption) *env {
	t.Helper()
	ctx := context.Background()
	st, err := sqlstore.Open(ctx, filepath.Join(t.TempDir(), "grunnlag.db"), sqlstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	pack := loadPack(t)
	importFixtures(t, st, recordedFixtures...)
	for _, s := range analysistest.All(analysistest.FetchedAt(0)) {
		if _, err := st.SaveSnapshot(ctx, s); err != nil {
			t.Fatalf("save constructed %s: %v", s.TableID, err)
		}
	}
	load, err := pack.StoreLoadFrom(ctx, st, testNow)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.ReplaceCatalog(ctx, load); err != nil {
		t.Fatal(err)
	}
	if _, _, err := org.Sync(ctx, st, pack, testNow); err != nil {
		t.Fatal(err)
	}
	now := func() time.Time { return testNow }
	svc := auth.New(auth.Config{Store: st, Now: now})
	sv, err := survey.New(survey.Config{Store: st, Accounts: st, Audit: svc.Audit(), Pack: pack, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	cfg := Config{Store: st, Pack: pack, Now: now, Version: "test", Auth: svc, Accounts: st, Survey: sv,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	for _, o := range opts {
		o(&cfg)
	}
	srv, err := NewServer(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(func() {
		ts.Close()
		srv.Close()
	})
	return &env{st: st, srv: srv, ts: ts, auth: svc, survey: sv}
}

// session is a user of the tests, signed in: a session cookie with its
// form token, and an API token.
type session struct {
	user   store.User
	cookie *http.Cookie
	csrf   string
	token  string
}

// signIn makes a user with a role (constructed; the organisation codes are
// the registers') and signs them in, as if password and code were given.
func (e *env) signIn(t testing.TB, email string, role store.Role, org string) *session {
	t.Helper()
	ctx := context.Background()
	u, _, err := e.auth.AddUser(ctx, audit.CLI, email, role, org)
	if err != nil {
		t.Fatalf("AddUser(%s, %s, %s) = %v", email, role, org, err)
	}
	value, sess, err := e.auth.StartSession(ctx, u, store.SessionFull, "password", auth.Client{IP: "127.0.0.1"})
	if err != nil {
		t.Fatal(err)
	}
	token, _, err := e.auth.CreateToken(ctx, audit.CLI, u.ID, "test", 0)
	if err != nil {
		t.Fatal(err)
	}
	return &session{user: u, cookie: &http.Cookie{Name: sessionCookiePlain, Value: value}, csrf: sess.CSRF, token: token}
}

// doAs sends a request as s: with its cookie, from the site itself, and a
// form (with the session's form token) for a POST. A nil s is anonymous.
func (e *env) doAs(t testing.TB, s *session, method, path string, form url.Values) (*http.Response, string) {
	t.Helper()
	h := http.Header{"Sec-Fetch-Site": {"same-origin"}}
	var body io.Reader
	if method == http.MethodPost {
		if form == nil {
			form = url.Values{}
		}
		if s != nil && form.Get("csrf") == "" {
			form.Set("csrf", s.csrf)
		}
		h.Set("Content-Type", "application/x-www-form-urlencoded")
		body = strings.NewReader(form.Encode())
	}
	if s != nil {
		h.Set("Cookie", s.cookie.String())
	}
	return e.do(t, method, path, h, body)
}

func loadPack(t testing.TB) *catalog.Pack {
	t.Helper()
	pack, err := catalog.LoadDirs(catalog.Dir{FS: data.FS, Path: ".", Name: "data"})
	if err != nil {
		t.Fatal(err)
	}
	return pack
}

// importFixtures imports recorded fixtures as a user's downloads.
func importFixtures(t testing.TB, st store.Store, names ...string) {
	t.Helper()
	dir := t.TempDir()
	var files []string
	for _, n := range names {
		b, err := fs.ReadFile(fixtures.FS, n)
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, strings.ReplaceAll(n, "/", "_"))
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, p)
	}
	rs := ingest.NewImporter(st, nil, nil, func() time.Time { return analysistest.FetchedAt(1) }).Import(context.Background(), files, "")
	for _, r := range ingest.Failed(rs) {
		t.Fatalf("import %s: %v", r.Item, r.Err)
	}
}

// get fetches a path from the test server and returns the response with
// its body read.
func (e *env) get(t testing.TB, path string) (*http.Response, string) {
	t.Helper()
	return e.do(t, http.MethodGet, path, nil, nil)
}

func (e *env) do(t testing.TB, method, path string, header http.Header, body io.Reader) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, e.ts.URL+path, body)
	if err != nil {
		t.Fatal(err)
	}
	for k, vs := range header {
		req.Header[k] = vs
	}
	if h := header.Get("Host"); h != "" {
		req.Host = h // the client sends req.Host, not a Host header
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(b)
}

// parseHTML parses a page.
func parseHTML(t testing.TB, body string) *html.Node {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// walk calls f for every element node under n.
func walk(n *html.Node, f func(*html.Node)) {
	if n.Type == html.ElementNode {
		f(n)
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		walk(c, f)
	}
}

func attr(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == key && a.Namespace == "" {
			return a.Val, true
		}
	}
	return "", false
}

// text returns the text content of n.
func text(n *html.Node) string {
	var b strings.Builder
	var f func(*html.Node)
	f = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			f(c)
		}
	}
	f(n)
	return b.String()
}

// find returns the elements with the tag (and, when id is not empty, that id).
func find(doc *html.Node, tag, id string) []*html.Node {
	var out []*html.Node
	walk(doc, func(n *html.Node) {
		if n.Data != tag {
			return
		}
		if id != "" {
			if v, _ := attr(n, "id"); v != id {
				return
			}
		}
		out = append(out, n)
	})
	return out
}

// checkPage checks what every page must have: the language, one h1, a
// skip link to main, no inline script or style, a label for every form
// control, and a text alternative for every chart.
func checkPage(t *testing.T, path, body string) *html.Node {
	t.Helper()
	doc := parseHTML(t, body)
	if hs := find(doc, "html", ""); len(hs) != 1 || func() bool { v, _ := attr(hs[0], "lang"); return v != "nb" }() {
		t.Errorf("%s: <html lang> is not nb", path)
	}
	if n := len(find(doc, "h1", "")); n != 1 {
		t.Errorf("%s: %d h1 elements, want 1", path, n)
	}
	if len(find(doc, "main", "innhold")) != 1 {
		t.Errorf("%s: no <main id=innhold> for the skip link", path)
	}
	labels := map[string]bool{}
	walk(doc, func(n *html.Node) {
		if n.Data == "label" {
			if f, ok := attr(n, "for"); ok {
				labels[f] = true
			}
		}
	})
	walk(doc, func(n *html.Node) {
		if _, ok := attr(n, "style"); ok {
			t.Errorf("%s: <%s> has a style attribute, which the CSP blocks", path, n.Data)
		}
		for _, a := range n.Attr {
			if strings.HasPrefix(a.Key, "on") {
				t.Errorf("%s: <%s> has an inline handler %s", path, n.Data, a.Key)
			}
		}
		switch n.Data {
		case "script":
			if _, ok := attr(n, "src"); !ok || n.FirstChild != nil {
				t.Errorf("%s: inline <script>", path)
			}
		case "style":
			t.Errorf("%s: inline <style>", path)
		case "input", "select", "textarea":
			if typ, _ := attr(n, "type"); typ == "hidden" || typ == "submit" {
				return
			}
			id, _ := attr(n, "id")
			if !labels[id] && !(n.Parent != nil && n.Parent.Data == "label") {
				name, _ := attr(n, "name")
				t.Errorf("%s: <%s name=%q> has no label", path, n.Data, name)
			}
		case "svg":
			if role, _ := attr(n, "role"); role == "img" {
				if _, ok := attr(n, "aria-labelledby"); !ok || len(find(n, "title", "")) == 0 || len(find(n, "desc", "")) == 0 {
					t.Errorf("%s: chart without title, desc and aria-labelledby", path)
				}
			}
		}
	})
	return doc
}

// noopSync is a sync that has nothing to do.
func noopSync(_ context.Context, obs ingest.Observer) []ingest.Result {
	obs.Start(0)
	obs.End()
	return nil
}

func newRecorder() *httptest.ResponseRecorder { return httptest.NewRecorder() }

func mustRequest(t testing.TB, method, path string) *http.Request {
	t.Helper()
	return httptest.NewRequest(method, path, nil)
}

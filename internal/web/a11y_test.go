package web

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/grunnlag/grunnlag/internal/chart/charttest"
	"github.com/grunnlag/grunnlag/internal/store"
)

// Universal design is law for Norwegian public-sector web sites (WCAG 2.1
// AA). TestAccessibility opens every kind of page at 1280 and 390 px in
// headless Chromium, saves a screenshot of each, runs axe-core on it and
// allows no serious or critical violation, checks every chart for
// overlapping, cut-off and too small text, and checks that the phone
// layout does not scroll sideways. TestKeyboard walks the main tasks with
// the keyboard alone.
//
// axe-core comes from npm (.ci/run installs it); the test finds axe.min.js
// through $GRUNNLAG_AXE or in .ci/npm/node_modules/axe-core. Without it the
// test skips, unless GRUNNLAG_REQUIRE_AXE=1 (set by .ci/run) fails it.

// axeSource returns axe-core's script, or skips (or fails) the test.
func axeSource(t *testing.T) string {
	t.Helper()
	paths := []string{os.Getenv("GRUNNLAG_AXE")}
	if dir, err := os.Getwd(); err == nil {
		for d := dir; ; d = filepath.Dir(d) {
			paths = append(paths, filepath.Join(d, ".ci", "npm", "node_modules", "axe-core", "axe.min.js"))
			if filepath.Dir(d) == d {
				break
			}
		}
	}
	for _, p := range paths {
		if p == "" {
			continue
		}
		if b, err := os.ReadFile(p); err == nil {
			return string(b)
		}
	}
	if os.Getenv("GRUNNLAG_REQUIRE_AXE") == "1" {
		t.Fatal("GRUNNLAG_REQUIRE_AXE=1, but axe-core was not found (npm install --prefix .ci/npm axe-core, or set GRUNNLAG_AXE)")
	}
	t.Skip("no axe-core (npm install --prefix .ci/npm axe-core); set GRUNNLAG_REQUIRE_AXE=1 to fail instead")
	return ""
}

// axeRun runs axe-core on the page for WCAG 2.0/2.1 A and AA and returns
// the violations as "impact rule: help (targets)".
const axeRun = `axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}, resultTypes: ["violations"]})
  .then(r => JSON.stringify(r.violations.map(v => ({impact: v.impact, id: v.id, help: v.help,
    targets: v.nodes.slice(0, 5).map(n => n.target.join(" "))}))))`

type axeViolation struct {
	Impact  string   `json:"impact"`
	ID      string   `json:"id"`
	Help    string   `json:"help"`
	Targets []string `json:"targets"`
}

// a11yPages are the pages of every kind the site has.
func a11yPages(e *env, oldVersion, newVersion int64) []struct{ path, name string } {
	pk := e.srv.cfg.Pack
	return []struct{ path, name string }{
		{"/", "oversikt"},
		{"/tabeller", "tabeller"},
		{"/tabeller/13615", "utforsker"},
		{"/tabeller/13615?d.Tid=fixed&v.Tid=2024", "utforsker-stolper"},
		{"/tabeller/12617", "utforsker-12617"},
		{fmt.Sprintf("/tabeller/13615/versjoner?fra=%d&til=%d", oldVersion, newVersion), "versjoner"},
		{"/temaer", "temaer"},
		{"/temaer/" + pk.Themes[0].ID, "tema"},
		{"/dokumenter", "dokumenter"},
		{"/dokumenter/" + pk.Documents[0].ID, "dokument"},
		{"/funn", "funn"},
		{"/funn/" + pk.Findings[0].ID, "funn-ett"},
		{"/dialog", "dialog"},
		{"/dialog/" + pk.Activities[0].ID, "dialog-en"},
		{"/behov", "behov"},
		{"/behov/" + pk.Needs[0].ID, "behov-ett"},
		{"/nsm", "nsm"},
		{"/sok?q=patch", "sok"},
		{"/hvor-star-vi?kommune=Bergen", "hvor-star-vi"},
		{"/rapport", "rapport"},
		{"/rapport/rapport.html", "rapport-html"}, // the report's own document: see document below
		{"/synk", "synk"},
		{"/tilgjengelighet", "tilgjengelighet"},
		{"/logg-inn", "logg-inn"},
		{"/finnes-ikke", "404"},
	}
}

// signedInPages are the pages only a signed-in person sees, with who sees
// them: an administrator, or the lead of an organisation.
func signedInPages(admin store.User) []struct{ path, name, who string } {
	return []struct{ path, name, who string }{
		{"/konto", "konto", "admin"},
		{"/admin", "admin", "admin"},
		{"/admin/brukere", "admin-brukere", "admin"},
		{fmt.Sprintf("/admin/brukere/%d", admin.ID), "admin-bruker", "admin"},
		{"/admin/organisasjoner", "admin-organisasjoner", "admin"},
		{"/admin/tilganger", "admin-tilganger", "admin"},
		{"/admin/logg", "admin-logg", "admin"},
		{"/organisasjon", "organisasjon", "lead"},
	}
}

func TestAccessibility(t *testing.T) {
	bin := charttest.Chromium(t)
	axe := axeSource(t)
	shots := filepath.Join(artifactsDir(t), "sider")
	if err := os.MkdirAll(shots, 0o755); err != nil {
		t.Fatal(err)
	}
	e := newEnv(t)
	oldV, newV := addVersion(t, e)
	ctx := charttest.Browser(t, bin)
	b := &browse{t: t, ctx: ctx, base: e.ts.URL, shots: shots, plain: true}
	admin := e.signIn(t, "admin@example.invalid", store.RoleAdmin, "")
	lead := e.signIn(t, "leder@example.invalid", store.RoleLead, "0301")
	type page struct{ path, name, who string }
	var pages []page
	for _, p := range a11yPages(e, oldV, newV) {
		pages = append(pages, page{p.path, p.name, ""})
	}
	for _, p := range signedInPages(admin.user) {
		pages = append(pages, page(p))
	}
	as := func(who string) {
		cookie := map[string]*session{"admin": admin, "lead": lead}[who]
		if _, err := chromedp.Call(ctx, network.DeleteCookies, network.DeleteCookiesParams{Name: sessionCookiePlain, URL: e.ts.URL}); err != nil {
			t.Fatal(err)
		}
		if cookie == nil {
			return
		}
		if _, err := chromedp.Call(ctx, network.SetCookie, network.SetCookieParams{Name: cookie.cookie.Name, Value: cookie.cookie.Value, URL: e.ts.URL}); err != nil {
			t.Fatal(err)
		}
	}
	for _, vp := range []struct {
		width, height int64
		phone         bool
	}{{1280, 900, false}, {390, 844, true}} {
		for _, pg := range pages {
			t.Run(fmt.Sprintf("%s-%d", pg.name, vp.width), func(t *testing.T) {
				as(pg.who)
				b.t = t
				opts := []chromedp.EmulateViewportOption{}
				if vp.phone {
					opts = append(opts, chromedp.EmulateMobile)
				}
				b.do(chromedp.EmulateViewport(vp.width, vp.height, opts...))
				b.open(pg.path)
				if h := run(b, chromedp.Text(chromedp.CSS("h1"))); pg.who != "" && (h == "Feil" || strings.Contains(h, "Logg inn")) {
					t.Fatalf("%s as %s shows %q, not the page", pg.path, pg.who, h)
				}
				b.shot(fmt.Sprintf("%s-%d", pg.name, vp.width))
				// The report's HTML is internal/report's document, made for
				// print and wide screens; the accessibility statement names
				// its phone layout as a known shortcoming. axe still runs.
				document := pg.path == "/rapport/rapport.html"
				if w := run(b, chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); w > int(vp.width)+1 && !document {
					t.Errorf("%s is %d px wide at %d px: it scrolls sideways", pg.path, w, vp.width)
				}
				problems, err := charttest.Check(ctx, 11)
				if err != nil {
					t.Fatal(err)
				}
				for _, p := range problems {
					if document && vp.phone {
						t.Logf("known, in the report's document: %s", p)
						continue
					}
					t.Errorf("%s: %s", pg.path, p)
				}
				b.do(chromedp.Evaluate[chromedp.Void](axe))
				raw := run(b, chromedp.Evaluate[string](axeRun, chromedp.EvalAwaitPromise))
				var vs []axeViolation
				if err := json.Unmarshal([]byte(raw), &vs); err != nil {
					t.Fatalf("axe result: %v\n%s", err, raw)
				}
				for _, v := range vs {
					if v.Impact == "serious" || v.Impact == "critical" {
						t.Errorf("%s at %d px: axe %s %s: %s (%s)", pg.path, vp.width, v.Impact, v.ID, v.Help, strings.Join(v.Targets, "; "))
					} else {
						t.Logf("%s at %d px: axe %s %s: %s (%s)", pg.path, vp.width, v.Impact, v.ID, v.Help, strings.Join(v.Targets, "; "))
					}
				}
			})
		}
	}
}

// tabTo presses Tab until the focused element matches the CSS selector,
// at most max times, and fails when it never does.
func (b *browse) tabTo(sel string, max int) {
	b.t.Helper()
	for range max {
		if run(b, chromedp.Evaluate[bool](fmt.Sprintf(`document.activeElement && document.activeElement.matches(%q)`, sel))) {
			return
		}
		b.do(chromedp.KeyEvent(kb.Tab))
	}
	b.t.Fatalf("%d presses of Tab never reached %s (focus on %q)", max, sel,
		run(b, chromedp.Evaluate[string](`document.activeElement ? document.activeElement.outerHTML.slice(0, 120) : ""`)))
}

// TestKeyboard walks the main tasks with the keyboard alone: search and
// open a hit, sort the documents, compare two versions of a table. (The
// explorer's own walk is in TestBrowser.)
func TestKeyboard(t *testing.T) {
	bin := charttest.Chromium(t)
	e := newEnv(t)
	addVersion(t, e)
	ctx := charttest.Browser(t, bin)
	b := &browse{t: t, ctx: ctx, base: e.ts.URL}

	t.Run("skip link", func(t *testing.T) {
		b.t = t
		b.open("/")
		b.do(chromedp.KeyEvent(kb.Tab))
		if f := run(b, chromedp.Evaluate[string](`document.activeElement.textContent`)); !strings.Contains(f, "Hopp til innholdet") {
			t.Fatalf("first Tab focuses %q, want the skip link", f)
		}
		b.do(chromedp.KeyEvent(kb.Enter))
		b.waitJS(`document.activeElement && document.activeElement.id === "innhold"`)
	})
	t.Run("search and open a hit", func(t *testing.T) {
		b.t = t
		b.open("/")
		b.tabTo("#sok-topp", 20)
		b.do(chromedp.KeyEvent("patch"), chromedp.KeyEvent(kb.Enter))
		b.waitJS(`location.pathname === "/sok" && document.readyState === "complete" && !!document.querySelector("ol.hits a")`)
		b.tabTo("ol.hits a", 40)
		want := run(b, chromedp.Evaluate[string](`document.activeElement.getAttribute("href")`))
		b.do(chromedp.KeyEvent(kb.Enter))
		b.waitJS(fmt.Sprintf(`location.pathname + location.hash === %q && document.readyState === "complete"`, want))
	})
	t.Run("sort the documents", func(t *testing.T) {
		b.t = t
		b.open("/dokumenter")
		b.tabTo("#sorter", 30)
		b.do(chromedp.KeyEvent(kb.ArrowDown)) // "År, eldste først"
		b.tabTo(`#dokumentfilter button[type=submit]`, 10)
		b.do(chromedp.KeyEvent(kb.Enter))
		b.waitJS(`location.search.includes("sorter=ar-eldst") && document.readyState === "complete"`)
		if first := run(b, chromedp.Evaluate[string](`document.querySelector("#dokumenter tbody tr td:nth-child(4)").textContent.trim()`)); first != "2015" {
			t.Errorf("oldest first starts with %q, want 2015", first)
		}
	})
	t.Run("compare two versions", func(t *testing.T) {
		b.t = t
		b.open("/tabeller/13615/versjoner")
		b.tabTo(`form.compare button[type=submit]`, 40)
		b.do(chromedp.KeyEvent(kb.Enter))
		b.waitJS(`document.readyState === "complete" && !!document.getElementById("sammendrag")`)
		if s := run(b, chromedp.Text(chromedp.ID("sammendrag"))); !strings.Contains(s, "3 celler endret") {
			t.Errorf("comparison summary = %q", s)
		}
	})
}

package web

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/pquerna/otp/totp"
	"github.com/xuri/excelize/v2"

	"github.com/grunnlag/grunnlag/internal/audit"
	"github.com/grunnlag/grunnlag/internal/ingest"
	"github.com/grunnlag/grunnlag/internal/report"
	"github.com/grunnlag/grunnlag/internal/store"
)

// The end-to-end tests drive the real server in headless Chromium (Debian's
// chromium). Without the browser they skip, unless GRUNNLAG_REQUIRE_CHROMIUM=1
// (set by CI), which turns the skip into a failure. Every page visited is
// saved as a PNG in $GRUNNLAG_ARTIFACTS (default: a new temporary folder,
// logged), and each PNG is checked not to be blank.

// chromiumPath finds the browser, or skips (or fails) the test.
func chromiumPath(t *testing.T) string {
	t.Helper()
	for _, name := range []string{os.Getenv("GRUNNLAG_CHROMIUM"), "chromium", "chromium-browser", "google-chrome"} {
		if name == "" {
			continue
		}
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("GRUNNLAG_REQUIRE_CHROMIUM") == "1" {
		t.Fatal("GRUNNLAG_REQUIRE_CHROMIUM=1, but no Chromium was found (install Debian's chromium)")
	}
	t.Skip("no Chromium on this machine; set GRUNNLAG_REQUIRE_CHROMIUM=1 to fail instead")
	return ""
}

// artifactsDir returns where the screenshots go.
func artifactsDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("GRUNNLAG_ARTIFACTS")
	if dir == "" {
		var err error
		if dir, err = os.MkdirTemp("", "grunnlag-e2e-"); err != nil {
			t.Fatal(err)
		}
	}
	dir = filepath.Join(dir, "e2e")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshots in %s", dir)
	return dir
}

// browserCtx starts headless Chromium with a fresh profile.
func browserCtx(t *testing.T, bin string) context.Context {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(bin),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	}
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Minute)
	t.Cleanup(cancel)
	actx, acancel := chromedp.NewExecAllocator(ctx, opts...)
	t.Cleanup(acancel)
	bctx, bcancel := chromedp.NewContext(actx)
	t.Cleanup(bcancel)
	if err := chromedp.Do(bctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	return bctx
}

// browse is one browser session against the test server.
type browse struct {
	t         *testing.T
	ctx       context.Context
	base      string
	shots     string
	downloads string
	n         int
	plain     bool // screenshots named without a running number
}

func (b *browse) do(steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, steps...); err != nil {
		b.t.Fatal(err)
	}
}

func run[T any](b *browse, a chromedp.Action[T]) T {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, a)
	if err != nil {
		b.t.Fatal(err)
	}
	return v
}

// rows counts the body rows of the explorer's table.
func (b *browse) rows() int {
	b.t.Helper()
	return run(b, chromedp.Evaluate[int](`document.querySelectorAll("#datatabell tbody tr").length`))
}

// focused returns the id of the focused element.
func (b *browse) focused() string {
	b.t.Helper()
	return run(b, chromedp.Evaluate[string](`document.activeElement ? document.activeElement.id : ""`))
}

// stayed checks that a choice in the explorer kept the page (no reload),
// the focus on the element with the given id and, unless scrollY < 0, the
// scroll position.
func (b *browse) stayed(what, focusID string, scrollY int) {
	b.t.Helper()
	if !run(b, chromedp.Evaluate[bool](`window.ikkeLastetPaNytt === true`)) {
		b.t.Errorf("%s reloaded the page", what)
	}
	if id := b.focused(); id != focusID {
		b.t.Errorf("after %s the focus is on %q, want %q", what, id, focusID)
	}
	if scrollY >= 0 {
		if y := run(b, chromedp.Evaluate[int](`Math.round(window.scrollY)`)); y < scrollY-2 || y > scrollY+2 {
			b.t.Errorf("after %s the page scrolled to %d, want %d", what, y, scrollY)
		}
	}
}

// open navigates to a path and waits for the page's heading.
func (b *browse) open(path string) {
	b.t.Helper()
	b.do(chromedp.Navigate(b.base+path), chromedp.WaitVisible(chromedp.CSS("h1")))
}

// waitJS waits until expr is true in the page. It survives the
// navigations that happen meanwhile (a form the page's script submits).
func (b *browse) waitJS(expr string) {
	b.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		ok, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](expr))
		if err == nil && ok {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	b.t.Fatalf("timed out waiting for %s", expr)
}

// shot saves a full-page screenshot and checks that it is not blank.
func (b *browse) shot(name string) {
	b.t.Helper()
	buf := run(b, chromedp.FullScreenshot(100))
	b.n++
	file := fmt.Sprintf("%02d-%s.png", b.n, name)
	if b.plain {
		file = name + ".png"
	}
	p := filepath.Join(b.shots, file)
	if err := os.WriteFile(p, buf, 0o644); err != nil {
		b.t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(buf))
	if err != nil {
		b.t.Fatalf("screenshot %s is not a PNG: %v", name, err)
	}
	if n := colours(img); n < 8 {
		b.t.Errorf("screenshot %s has %d colours: blank", name, n)
	}
}

// colours counts the distinct colours of an image, stopping at 1000.
func colours(img image.Image) int {
	seen := map[[4]uint32]bool{}
	r := img.Bounds()
	for y := r.Min.Y; y < r.Max.Y; y += 3 {
		for x := r.Min.X; x < r.Max.X; x += 3 {
			cr, cg, cb, ca := img.At(x, y).RGBA()
			seen[[4]uint32{cr, cg, cb, ca}] = true
			if len(seen) >= 1000 {
				return len(seen)
			}
		}
	}
	return len(seen)
}

// download clicks a link and returns the downloaded file.
func (b *browse) download(sel string) []byte {
	b.t.Helper()
	progress := chromedp.BrowserEvents(b.ctx, browser.DownloadProgress)
	b.do(chromedp.Click(chromedp.CSS(sel)))
	for ev, err := range progress {
		if err != nil {
			b.t.Fatalf("download %s: %v", sel, err)
		}
		switch ev.State {
		case browser.DownloadProgressStateCompleted:
			body, err := os.ReadFile(filepath.Join(b.downloads, ev.GUID))
			if err != nil {
				b.t.Fatal(err)
			}
			return body
		case browser.DownloadProgressStateCanceled:
			b.t.Fatalf("download %s canceled", sel)
		}
	}
	b.t.Fatalf("download %s never completed", sel)
	return nil
}

func TestBrowser(t *testing.T) {
	bin := chromiumPath(t)
	shots := artifactsDir(t)
	release := make(chan struct{})
	e := newEnv(t, func(c *Config) {
		c.PDF = report.Chromium{Path: bin}
		// A sync that waits in the middle of a table until the test lets it go.
		c.Sync = func(ctx context.Context, obs ingest.Observer) []ingest.Result {
			obs.Start(1)
			obs.Stage("12041", ingest.StageData)
			obs.Parts("12041", 1, 2)
			select {
			case <-release:
			case <-ctx.Done():
			}
			r := ingest.Result{Item: "12041", TableID: "12041", Outcome: store.Unchanged}
			obs.Finish(r)
			obs.End()
			return []ingest.Result{r}
		}
	})
	ctx := browserCtx(t, bin)
	b := &browse{t: t, ctx: ctx, base: e.ts.URL, shots: shots, downloads: t.TempDir()}
	yes := true
	if _, err := chromedp.CallBrowser(ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
		Behavior: browser.SetDownloadBehaviorBehaviorAllowAndName, DownloadPath: b.downloads, EventsEnabled: &yes,
	}); err != nil {
		t.Fatal(err)
	}
	// Collect console errors: a CSP violation or a script error shows here.
	var mu sync.Mutex
	var problems []string
	console := chromedp.Console(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for m, err := range console {
			if err != nil {
				return
			}
			// The 404 page's own status is expected.
			if (m.Type == chromedp.ConsoleError || m.IsException()) && !strings.Contains(m.URL, "/finnes-ikke") {
				mu.Lock()
				problems = append(problems, m.String())
				mu.Unlock()
			}
		}
	}()

	t.Run("dashboard", func(t *testing.T) {
		b.t = t
		b.open("/")
		if h := run(b, chromedp.Text(chromedp.CSS("h1"))); !strings.Contains(h, "Situasjonsbilde") {
			t.Errorf("h1 = %q", h)
		}
		if n := run(b, chromedp.Evaluate[int](`document.querySelectorAll(".indicator figure svg[role=img]").length`)); n == 0 {
			t.Error("no indicator charts on the dashboard")
		}
		b.shot("oversikt")
	})

	t.Run("indicator to its source", func(t *testing.T) {
		b.t = t
		b.open("/")
		b.do(chromedp.Click(chromedp.CSS("#indikator-sikkerhetspatcher-mangler a.source-link")),
			chromedp.WaitVisible(chromedp.ID("datatabell")))
		loc := run(b, chromedp.Location())
		if !strings.Contains(loc, "/tabeller/12618?") {
			t.Errorf("indicator link went to %s, want the explorer of 12618", loc)
		}
		body := run(b, chromedp.Text(chromedp.ID("datatabell")))
		if !strings.Contains(body, "17,4") {
			t.Errorf("the source table lacks the indicator's 17,4 %%:\n%s", body)
		}
		b.shot("indikator-kilde")
	})

	t.Run("indicator page and its marked cells", func(t *testing.T) {
		b.t = t
		b.open("/")
		b.do(chromedp.Click(chromedp.CSS("#indikator-sikkerhetspatcher-mangler h3 a")),
			chromedp.WaitVisible(chromedp.ID("utregning")))
		if loc := run(b, chromedp.Location()); !strings.HasSuffix(loc, "/indikatorer/sikkerhetspatcher-mangler") {
			t.Errorf("the card's title went to %s, want the indicator's page", loc)
		}
		steps := run(b, chromedp.Text(chromedp.CSS("ol.steps")))
		if !strings.Contains(steps, "15,2") || !strings.Contains(steps, "«mer enn 50»") {
			t.Errorf("the steps lack the newest figure:\n%s", steps)
		}
		b.shot("indikator")
		b.do(chromedp.Click(chromedp.CSS(`a[href*="merk="]`)), chromedp.WaitVisible(chromedp.ID("datatabell")))
		if marked := run(b, chromedp.Evaluate[string](`Array.from(document.querySelectorAll("#datatabell mark")).map(m => m.textContent).join(",")`)); marked != "15,2" {
			t.Errorf("marked cells %q, want the newest figure 15,2", marked)
		}
		b.shot("indikator-celler-merket")
	})

	t.Run("table explorer by keyboard", func(t *testing.T) {
		b.t = t
		b.open("/tabeller/13615")
		before := run(b, chromedp.OuterHTML(chromedp.CSS("#diagram-figur svg")))
		if rows := b.rows(); rows != 20 {
			t.Errorf("%d rows before filtering, want 20", rows)
		}
		b.shot("utforsker")
		// A reload would lose this mark; scroll a little so a jump shows.
		b.do(chromedp.Evaluate[chromedp.Void](`window.ikkeLastetPaNytt = true; window.scrollTo(0, 400)`))
		// Tab from Bilbensin to Autodiesel and untick it with the space bar.
		b.do(chromedp.Focus(chromedp.ID("v-Produkter-0")), chromedp.KeyEvent("\t"))
		if id := b.focused(); id != "v-Produkter-1" {
			t.Fatalf("Tab from Bilbensin focused %q, want Autodiesel (v-Produkter-1)", id)
		}
		b.do(chromedp.KeyEvent(" "))
		b.waitJS(`location.search.includes("v.Produkter") && document.querySelectorAll("#datatabell tbody tr").length === 18`)
		b.stayed("unticking Autodiesel", "v-Produkter-1", 400)
		after := run(b, chromedp.OuterHTML(chromedp.CSS("#diagram-figur svg")))
		if after == before {
			t.Error("the chart did not change after filtering")
		}
		if strings.Contains(after, "Autodiesel") {
			t.Error("the chart still shows Autodiesel")
		}
		if st := run(b, chromedp.Text(chromedp.ID("utforsker-status"))); !strings.Contains(st, "18 rader") {
			t.Errorf("the status line says %q, want the new number of rows", st)
		}
		// Years down the rows, chosen with the arrow keys on the select.
		b.do(chromedp.Focus(chromedp.ID("plass-Tid")), chromedp.KeyEvent(kb.ArrowUp))
		b.waitJS(`location.search.includes("d.Tid=row") && document.querySelector("#datatabell thead").textContent.includes("år")`)
		b.stayed("moving years to the rows", "plass-Tid", 400)
		// Draw every series: the control sits in the chart, which is
		// replaced; focus must come back to it.
		b.do(chromedp.Focus(chromedp.ID("diagram-alle")), chromedp.KeyEvent(" "))
		b.waitJS(`location.search.includes("diagram=alle") && !document.querySelector("#diagram-figur figcaption")`)
		b.stayed("drawing every series", "diagram-alle", -1)
		b.shot("utforsker-filtrert")
	})

	t.Run("downloads", func(t *testing.T) {
		b.t = t
		b.open("/tabeller/13615?" + view13615)
		csv := string(b.download(`a[href^="/tabeller/13615/csv"]`))
		if !strings.HasPrefix(csv, "\ufeffstatistikkvariabel;produkt;næring;2020") ||
			!strings.Contains(csv, ";Bilbensin;Jordbruk, skogbruk og fiske;6;6;25;441;381\r\n") {
			t.Errorf("CSV download:\n%s", csv)
		}
		x := b.download(`a[href^="/tabeller/13615/xlsx"]`)
		f, err := excelize.OpenReader(bytes.NewReader(x))
		if err != nil {
			t.Fatalf("XLSX download: %v", err)
		}
		defer f.Close()
		rows, err := f.GetRows("Utvalg")
		if err != nil {
			t.Fatal(err)
		}
		if i := rowOf(rows, "Bilbensin"); i == 0 || len(rows[i-1]) != 8 || rows[i-1][7] != "381" {
			t.Errorf("XLSX rows = %q", rows)
		}
	})

	t.Run("search", func(t *testing.T) {
		b.t = t
		b.open("/")
		b.do(chromedp.SendKeys(chromedp.ID("sok-topp"), "patch\n"))
		b.waitJS(`location.pathname === "/sok" && document.readyState === "complete"`)
		b.do(chromedp.WaitVisible(chromedp.CSS("ol.hits")))
		n := run(b, chromedp.Evaluate[int](`document.querySelectorAll("ol.hits li").length`))
		if n == 0 {
			t.Error("no hits for «patch»")
		}
		b.shot("sok")
		b.do(chromedp.Click(chromedp.CSS("ol.hits li a")), chromedp.WaitVisible(chromedp.CSS("h1")))
		if loc := run(b, chromedp.Location()); strings.HasSuffix(loc, "/sok?q=patch") {
			t.Errorf("the first hit did not lead anywhere: %s", loc)
		}
	})

	// Every other page, at 1280 and 390 px, with its screenshot, is in
	// TestAccessibility.

	t.Run("report", func(t *testing.T) {
		b.t = t
		b.open("/rapport")
		b.shot("rapport")
		b.do(chromedp.Click(chromedp.CSS(`a.button[href="/rapport/rapport.html"]`)))
		b.waitJS(`location.pathname === "/rapport/rapport.html" && document.readyState === "complete"`)
		if n := run(b, chromedp.Evaluate[int](`document.querySelectorAll("sup.fn").length`)); n == 0 {
			t.Error("the report has no footnotes")
		}
		b.shot("rapport-html")
		b.open("/rapport")
		pdf := b.download(`a[href="/rapport/rapport.pdf"]`)
		if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
			t.Errorf("the PDF download starts %q", pdf[:min(len(pdf), 16)])
		}
		if err := os.WriteFile(filepath.Join(b.shots, "rapport.pdf"), pdf, 0o644); err != nil {
			t.Fatal(err)
		}
		md := string(b.download(`a[href="/rapport/rapport.md"]`))
		if !strings.HasPrefix(md, "# ") {
			t.Errorf("the Markdown download starts %q", md[:min(len(md), 40)])
		}
	})

	t.Run("sign in with a set-up link, a password and a code", func(t *testing.T) {
		b.t = t
		// An administrator made the account; its set-up link chooses the
		// password, and the first sign-in sets up the second factor.
		_, link, err := e.auth.AddUser(context.Background(), audit.CLI, "analytiker@example.invalid", store.RoleAnalyst, "")
		if err != nil {
			t.Fatal(err)
		}
		b.open("/konto/lenke/" + link)
		b.do(chromedp.SendKeys(chromedp.ID("passord"), "riktig hest batteri stift"),
			chromedp.SendKeys(chromedp.ID("gjenta"), "riktig hest batteri stift\n"))
		b.waitJS(`location.pathname === "/logg-inn" && document.readyState === "complete"`)
		b.shot("logg-inn")
		b.do(chromedp.SendKeys(chromedp.ID("epost"), "analytiker@example.invalid"),
			chromedp.SendKeys(chromedp.ID("passord"), "riktig hest batteri stift\n"))
		b.waitJS(`location.pathname === "/logg-inn/kode" && document.readyState === "complete"`)
		b.shot("engangskode")
		secret := strings.TrimSpace(run(b, chromedp.Text(chromedp.CSS("p.secret"))))
		code, err := totp.GenerateCode(secret, testNow)
		if err != nil {
			t.Fatalf("the code page shows %q, not a TOTP secret: %v", secret, err)
		}
		b.do(chromedp.SendKeys(chromedp.ID("kode"), code+"\n"))
		b.waitJS(`location.pathname === "/" && document.readyState === "complete"`)
		if txt := run(b, chromedp.Text(chromedp.CSS("header .who"))); !strings.Contains(txt, "analytiker@example.invalid") {
			t.Errorf("after signing in the header says %q", txt)
		}
	})

	t.Run("sync button and progress", func(t *testing.T) {
		b.t = t
		b.open("/tabeller")
		b.do(chromedp.Click(chromedp.CSS(`form[action="/synk"] button`)))
		b.waitJS(`location.pathname === "/synk" && document.readyState === "complete"`)
		b.do(chromedp.WaitVisible(chromedp.CSS("#synkstatus progress")))
		if txt := run(b, chromedp.Text(chromedp.ID("synkstatus"))); !strings.Contains(txt, "tabell 12041 – henter data") {
			t.Errorf("progress = %q", txt)
		}
		b.shot("synk-pagar")
		close(release)
		// The page's script follows the sync and reloads when it is done.
		b.waitJS(`document.readyState === "complete" && document.body.textContent.includes("Siste synkronisering ferdig")`)
		if txt := run(b, chromedp.Text(chromedp.ID("synkstatus"))); !strings.Contains(txt, "Tabell 12041: uendret") {
			t.Errorf("after the sync = %q", txt)
		}
	})

	t.Run("keyboard", func(t *testing.T) {
		b.t = t
		b.open("/")
		b.do(chromedp.KeyEvent("\t"))
		focused := run(b, chromedp.Evaluate[string](`document.activeElement.textContent`))
		if !strings.Contains(focused, "Hopp til innholdet") {
			t.Errorf("first Tab focuses %q, want the skip link", focused)
		}
	})

	chromedp.Cancel(ctx)
	<-done
	mu.Lock()
	defer mu.Unlock()
	for _, p := range problems {
		t.Errorf("browser console: %s", p)
	}
}

package web

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/grunnlag/grunnlag/internal/chart/charttest"
)

// TestSummaryBandFits opens the front page in Chromium: at 1280 × 800 the
// whole summary band is on the first screen; at 390 px (a phone) the page
// does not scroll sideways.
func TestSummaryBandFits(t *testing.T) {
	bin := charttest.Chromium(t)
	e := newEnv(t)
	ctx := charttest.Browser(t, bin)
	shots := filepath.Join(artifactsDir(t), "sider")
	if err := os.MkdirAll(shots, 0o755); err != nil {
		t.Fatal(err)
	}
	b := &browse{t: t, ctx: ctx, base: e.ts.URL, shots: shots, plain: true}

	b.do(chromedp.EmulateViewport(1280, 800))
	b.open("/")
	if rows := run(b, chromedp.Evaluate[int](`document.querySelectorAll("table.summary tbody tr:not(.theme)").length`)); rows == 0 {
		t.Fatal("the summary band has no rows")
	}
	bottom := run(b, chromedp.Evaluate[float64](`document.querySelector("section.summary").getBoundingClientRect().bottom`))
	if bottom > 800 {
		t.Errorf("the summary band ends at %.0f px, below the first screen of 800 px", bottom)
	}
	b.shot("oversikt-kort-1280x800")

	b.do(chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
	b.open("/")
	if w := run(b, chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); w > 391 {
		t.Errorf("the front page is %d px wide at 390 px: it scrolls sideways", w)
	}
	b.shot("oversikt-kort-390")
}

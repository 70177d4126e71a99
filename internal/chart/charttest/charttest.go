// Package charttest checks charts as a browser draws them: in a page open
// in headless Chromium, every visible chart (an <svg role="img">) must have
// no text that overlaps another, none cut off at the chart's edge, and no
// text smaller than a minimum size as shown on the screen. The boxes are
// the browser's own (getBoundingClientRect), so the check holds for the
// fonts the browser really uses.
package charttest

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// checkJS returns the problems of the charts in the page as strings. %v is
// the smallest font size allowed, in CSS pixels.
const checkJS = `(() => {
  const minFont = %v;
  const problems = [];
  for (const svg of document.querySelectorAll("svg[role=img]")) {
    const sr = svg.getBoundingClientRect();
    if (sr.width === 0 || sr.height === 0) continue; // not shown at this width
    const vb = svg.viewBox && svg.viewBox.baseVal;
    const scale = vb && vb.width ? sr.width / vb.width : 1;
    const name = svg.id || svg.getAttribute("aria-labelledby") || "chart";
    const boxes = [];
    for (const t of svg.querySelectorAll("text")) {
      const r = t.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      const size = parseFloat(getComputedStyle(t).fontSize) * scale;
      if (size < minFont - 0.01) problems.push(name + ": «" + t.textContent + "» is " + size.toFixed(1) + " px, less than " + minFont);
      if (r.left < sr.left - 0.5 || r.right > sr.right + 0.5 || r.top < sr.top - 0.5 || r.bottom > sr.bottom + 0.5) {
        problems.push(name + ": «" + t.textContent + "» is cut off at the chart's edge");
      }
      boxes.push([t.textContent, r]);
    }
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i][1], b = boxes[j][1];
        const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
        const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
        if (w > 0.5 && h > 0.5) problems.push(name + ": «" + boxes[i][0] + "» overlaps «" + boxes[j][0] + "»");
      }
    }
  }
  return problems;
})()`

// Count returns how many charts the page shows at its current width.
func Count(ctx context.Context) (int, error) {
	return chromedp.Run(ctx, chromedp.Evaluate[int](`Array.from(document.querySelectorAll("svg[role=img]")).filter(s => s.getBoundingClientRect().width > 0).length`))
}

// Check returns the problems of every chart the page in ctx shows: texts
// that overlap, texts cut off, and texts smaller than minFont CSS pixels.
func Check(ctx context.Context, minFont float64) ([]string, error) {
	return chromedp.Run(ctx, chromedp.Evaluate[[]string](fmt.Sprintf(checkJS, minFont)))
}

// Chromium returns the path of headless Chromium, or skips the test when
// there is none, unless GRUNNLAG_REQUIRE_CHROMIUM=1 (set by CI), which
// fails it instead.
func Chromium(t testing.TB) string {
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

// Browser starts headless Chromium with a fresh profile for the test.
func Browser(t testing.TB, bin string) context.Context {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(bin), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
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

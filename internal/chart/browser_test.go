package chart

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/grunnlag/grunnlag/internal/chart/charttest"
)

// kinds returns one chart of every kind and hard case the package draws,
// all of constructed test data.
func kinds() map[string]Chart {
	all := func(n int) []bool {
		ok := make([]bool, n)
		for i := range ok {
			ok[i] = true
		}
		return ok
	}
	long := func(n int) []Series {
		var out []Series
		for i := range n {
			out = append(out, Series{Name: fmt.Sprintf("Løpende abonnement på antivirusprogram – Kommuner – Konstruert gruppe %d med langt navn", i+1),
				Values: []float64{40 + float64(i), 41 + float64(i), 43 + float64(i), 42 + float64(i)}, OK: all(4)})
		}
		return out
	}
	var quarters []string
	var qv []float64
	for y := 2015; y <= 2024; y++ {
		for q := 1; q <= 4; q++ {
			quarters = append(quarters, fmt.Sprintf("%dK%d", y, q))
			qv = append(qv, float64(1000*y+q*250))
		}
	}
	var manyCats []string
	var manyVals []float64
	for i := range 20 {
		manyCats = append(manyCats, fmt.Sprintf("Konstruert kategori nummer %d med en lang etikett", i+1))
		manyVals = append(manyVals, float64(i*7%100)+0.5)
	}
	src := "Kilde: konstruerte testdata, tabell 12041, oppdatert 6. mai 2025, hentet 2. juni 2025 kl. 08.30"
	return map[string]Chart{
		"report-bars": &Bars{Common: Common{ID: "sp", Title: "Kommuner som ikke gjennomfører beredskapsøvelse minst en gang per år, etter antall innbyggere, 2024",
			XLabel: "Andel (prosent)", YLabel: "Antall innbyggere", Unit: "%", Decimals: 1, Source: src},
			Items: []Item{{Label: "Under 5 000 innbyggere", Value: 90, OK: true}, {Label: "5 000–19 999 innbyggere"},
				{Label: "20 000 innbyggere og over", Value: 100, OK: true}, {Label: "Alle kommuner", Value: 80, OK: true, Total: true}}},
		"grouped-bars": &Bars{Common: Common{ID: "gb", Title: "Konstruert: opplevde sikkerhetsproblemer etter problem og svar", XLabel: "Prosent", Unit: "%", Decimals: 1, Source: src},
			Categories: []string{"Forsøk på identitetstyveri (phishing) via e-post eller telefon", "Løsepengevirus", "Tjenestenektangrep (DDoS)"},
			Series: []Series{
				{Name: "2024 – Opplevd", Values: []float64{64.3, 8.1, 12}, OK: all(3)},
				{Name: "2024 – Ikke opplevd", Values: []float64{30.2, 88, 80.5}, OK: all(3)},
				{Name: "2024 – Ukjent", Values: []float64{5.5, 3.9, 0}, OK: []bool{true, true, false}},
			}},
		"negative-bars": &Bars{Common: Common{ID: "nb", Title: "Konstruert: endring fra året før", XLabel: "Prosentpoeng", Decimals: 1},
			Categories: []string{"Kommuner", "Fylkeskommuner", "Statlige virksomheter"},
			Series:     []Series{{Name: "Endring", Values: []float64{-12.5, 4.25, -0.5}, OK: all(3)}}},
		"many-bars": &Bars{Common: Common{ID: "mb", Title: "Konstruert: tjue kategorier", XLabel: "Antall", Source: src},
			Categories: manyCats, Series: []Series{{Name: "Antall", Values: manyVals, OK: all(20)}}},
		"report-lines": &Lines{Common: Common{ID: "rl", Title: "Andel uten rutiner for sikkerhetspatcher, etter år",
			XLabel: "År", YLabel: "Andel (prosent)", Unit: "%", Decimals: 1, Source: src},
			X:      []string{"2018", "2019", "2020", "2023", "2024"},
			Series: []Series{{Name: "Andel", Values: []float64{19.1, 17.4, 0, 15, 99.5}, OK: []bool{true, true, false, true, true}}}},
		"close-lines": &Lines{Common: Common{ID: "cl", Title: "Konstruert: åtte serier tett i tett", YLabel: "Prosent", Unit: "%", Decimals: 1, Source: src},
			X: []string{"2018", "2019", "2023", "2024"}, Series: long(8)},
		"many-lines": &Lines{Common: Common{ID: "ml", Title: "Konstruert: tolv serier", YLabel: "Prosent", Unit: "%", Decimals: 1},
			X: []string{"2018", "2019", "2023", "2024"}, Series: long(12)},
		"quarters": &Lines{Common: Common{ID: "q", Title: "Konstruert: førti kvartaler", YLabel: "1 000 liter", Source: src},
			X: quarters, Series: []Series{{Name: "Salg", Values: qv, OK: all(len(qv))}}},
		"nothing": &Lines{Common: Common{ID: "n", Title: "Konstruert: ingen verdier"}, X: []string{"2020"},
			Series: []Series{{Name: "x", Values: []float64{0}, OK: []bool{false}}}},
	}
}

// pageCSS shows the wide drawing on a wide screen and the narrow one on a
// phone, as the web's style sheet does.
const pageCSS = `body{margin:0;padding:0 16px;font-family:sans-serif}
figure{margin:1rem 0}
svg.chart{display:block;width:100%;height:auto;max-width:48rem}
svg.chart-narrow{display:none}
@media (max-width:50rem){svg.chart-wide{display:none}svg.chart-narrow{display:block;max-width:30rem}}`

// TestCharts_inChromium draws every kind of chart at 1280 and 390 px in
// headless Chromium and checks, from the browser's own text boxes, that no
// text overlaps another, none is cut off, and none is smaller than 11 px.
func TestCharts_inChromium(t *testing.T) {
	bin := charttest.Chromium(t)
	var page bytes.Buffer
	page.WriteString("<!doctype html><html lang=nb><head><meta charset=utf-8><meta name=viewport content=\"width=device-width, initial-scale=1\"><style>" + pageCSS + "</style></head><body>")
	ks := kinds()
	for name, c := range ks {
		fmt.Fprintf(&page, "<h2>%s</h2><figure>", name)
		page.Write(Responsive(c))
		page.WriteString("</figure>")
	}
	page.WriteString("</body></html>")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(page.Bytes())
	}))
	defer srv.Close()
	ctx := charttest.Browser(t, bin)
	for _, vp := range []struct {
		name string
		w, h int64
		opts []chromedp.EmulateViewportOption
	}{{"1280", 1280, 900, nil}, {"390", 390, 844, []chromedp.EmulateViewportOption{chromedp.EmulateMobile}}} {
		t.Run(vp.name, func(t *testing.T) {
			if err := chromedp.Do(ctx, chromedp.EmulateViewport(vp.w, vp.h, vp.opts...), chromedp.Navigate(srv.URL),
				chromedp.WaitVisible(chromedp.CSS("h2"))); err != nil {
				t.Fatal(err)
			}
			n, err := charttest.Count(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if n != len(ks) {
				t.Errorf("%d charts shown, want %d (one drawing of each)", n, len(ks))
			}
			problems, err := charttest.Check(ctx, 11)
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range problems {
				t.Error(p)
			}
			if dir := os.Getenv("GRUNNLAG_ARTIFACTS"); dir != "" {
				shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
				if err == nil {
					os.MkdirAll(filepath.Join(dir, "diagram"), 0o755)
					os.WriteFile(filepath.Join(dir, "diagram", "diagramtyper-"+vp.name+".png"), shot, 0o644)
				}
			}
		})
	}
	if !strings.Contains(page.String(), "chart-narrow") {
		t.Error("no narrow drawing in the page")
	}
}

package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/grunnlag/grunnlag/internal/analysis"
	"github.com/grunnlag/grunnlag/internal/analysis/analysistest"
	"github.com/grunnlag/grunnlag/internal/catalog"
)

// standingEnv is the test site with the constructed 12041 by size class
// stored as the newest version of 12041, so its indicators have figures
// per size class.
func standingEnv(t *testing.T) (*env, *analysis.Result) {
	t.Helper()
	e := newEnv(t)
	ctx := context.Background()
	if _, err := e.srv.cfg.Store.SaveSnapshot(ctx, analysistest.Constructed12041BySize(analysistest.FetchedAt(1))); err != nil {
		t.Fatal(err)
	}
	data, err := analysis.Load(ctx, e.srv.cfg.Store, e.srv.cfg.Pack, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	return e, analysis.Analyze(e.srv.cfg.Pack, data)
}

// TestStanding places municipalities by name and shows their size class's
// figures beside the country's, each from the analysis of the stored data.
func TestStanding(t *testing.T) {
	e, res := standingEnv(t)
	reg, _ := e.srv.cfg.Pack.RegisterFor(catalog.RegisterMunicipalities, e.srv.now().Year())
	big := 0 // municipalities of 20 000 or more in the register
	for _, a := range reg.Areas {
		if a.Population >= 20000 {
			big++
		}
	}
	const class = "20 000 eller flere innbyggere"

	_, body := e.get(t, "/hvor-star-vi?kommune=Bergen")
	checkPage(t, "/hvor-star-vi?kommune=Bergen", body)
	for _, want := range []string{
		"Bergen hadde 291\u00a0940 innbyggere per 1.1.2024 og er i klassen «" + class + "».",
		"Klassen har " + analysis.Number(float64(big), 0) + " kommuner ifølge registeret",
		`<option value="` + class + `" selected>`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("Bergen's page lacks %q", want)
		}
	}
	// Every indicator with a figure for the class shows it beside the
	// country's, and the difference.
	rows := 0
	for _, ind := range res.Indicators {
		if ind.Status != analysis.OK || ind.Headline == nil {
			continue
		}
		for _, p := range ind.Classes {
			if p.Class != class || !p.OK {
				continue
			}
			rows++
			want := analysis.Percent(p.Share) + `</td><td class="num">` + strings.ReplaceAll(analysis.Points(p.Share-ind.Headline.Share), "+", "&#43;")
			if !strings.Contains(body, want) {
				t.Errorf("%s: the class's figure and difference %q are not on the page", ind.Def.ID, want)
			}
		}
	}
	if rows == 0 {
		t.Fatal("no indicator has a figure for the class: the test shows nothing")
	}

	for _, tt := range []struct{ query, want string }{
		{"kommune=Her%C3%B8y", "Flere kommuner heter «Herøy»: «Herøy (Møre og Romsdal)» og «Herøy (Nordland)»."},
		{"kommune=" + url.QueryEscape("Herøy (Nordland)"), "Herøy (Nordland) hadde 1\u00a0842 innbyggere per 1.1.2024 og er i klassen «Under 5 000 innbyggere»."},
		{"kommune=4601", "Bergen hadde"},
		{"kommune=Atlantis", "Fant ingen kommune som heter «Atlantis»"},
		{"klasse=Tull", "Tabellene har ingen størrelsesklasse som heter «Tull»."},
		{"klasse=" + url.QueryEscape("Konstruert klasse uten antall"), "Antallet kommuner i klassen er ukjent"},
		{"", "Velg en størrelse eller skriv navnet på en kommune."},
	} {
		resp, body := e.get(t, "/hvor-star-vi?"+tt.query)
		if resp.StatusCode != http.StatusOK || !strings.Contains(body, tt.want) {
			t.Errorf("?%s = %d, lacks %q", tt.query, resp.StatusCode, tt.want)
		}
	}
}

// TestSummaryBand checks the front page's key figures against the
// analysis: per theme the newest figures, each with its change, and a
// link to the theme's other figures.
func TestSummaryBand(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	data, err := analysis.Load(ctx, e.srv.cfg.Store, e.srv.cfg.Pack, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	res := analysis.Analyze(e.srv.cfg.Pack, data)
	_, body := e.get(t, "/")
	start := strings.Index(body, `<section aria-labelledby="kort"`)
	if start < 0 {
		t.Fatal("no summary band on the front page")
	}
	band := body[start : start+strings.Index(body[start:], "</section>")]

	// Per theme (an indicator's first), the newest summaryPerTheme figures
	// are shown; the others are counted in the theme's "til" link.
	byTheme := map[string][]*analysis.Indicator{}
	for _, ind := range res.Indicators {
		if ind.Status != analysis.OK || ind.Headline == nil {
			if strings.Contains(band, indicatorPath(ind.Def.ID)+`"`) {
				t.Errorf("%s cannot be computed but is in the band", ind.Def.ID)
			}
			continue
		}
		th := ind.Def.Evidence[0].Theme
		byTheme[th] = append(byTheme[th], ind)
	}
	shown := 0
	for th, inds := range byTheme {
		sort.SliceStable(inds, func(i, j int) bool { return inds[i].Headline.Year > inds[j].Headline.Year })
		if len(inds) > summaryPerTheme {
			if want := fmt.Sprintf("(%d til)", len(inds)-summaryPerTheme); !strings.Contains(band, `href="/temaer/`+th+`#indikatorer">`) || !strings.Contains(band, want) {
				t.Errorf("theme %s: no link to its %s other figures", th, want)
			}
		}
		for i, ind := range inds {
			row := summaryOf(ind)
			if i >= summaryPerTheme {
				// An older figure may tie on year with a shown one; only
				// a strictly older one must be left out.
				if ind.Headline.Year < inds[summaryPerTheme-1].Headline.Year && strings.Contains(band, `href="`+row.URL+`"`) {
					t.Errorf("%s (%s) is older than the theme's newest %d but is in the band", ind.Def.ID, row.Year, summaryPerTheme)
				}
				continue
			}
			if ind.Headline.Year != inds[summaryPerTheme-1].Headline.Year || len(inds) <= summaryPerTheme {
				shown++
				for _, want := range []string{`href="` + row.URL + `"`, row.Value + ` <span class="muted">(` + row.Year + `)</span>`} {
					if !strings.Contains(band, want) {
						t.Errorf("%s: the band lacks %q", ind.Def.ID, want)
					}
				}
				if prev, ok := ind.Previous(); ok {
					if want := strings.ReplaceAll(analysis.Points(ind.Headline.Share-prev.Share), "+", "&#43;") + " siden " + prev.Year; !strings.Contains(band, want) {
						t.Errorf("%s: the band lacks the change %q", ind.Def.ID, want)
					}
				}
			}
		}
	}
	if shown == 0 {
		t.Fatal("no indicator could be computed: the test shows nothing")
	}
}

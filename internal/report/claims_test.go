package report

import (
	"context"
	"math"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/grunnlag/grunnlag/internal/analysis"
	"github.com/grunnlag/grunnlag/internal/analysis/analysistest"
	"github.com/grunnlag/grunnlag/internal/catalog"
	"github.com/grunnlag/grunnlag/internal/store"
)

// The claims suite: for each kind of sentence the report can write, a
// store where it must appear and one where it must not. Every snapshot is
// constructed test data (analysistest); the stores are real SQLite files.

// noPublished leaves the pack's published figures out: a store with no
// statistics at all.
func noPublished(p *catalog.Pack) *catalog.Pack {
	q := *p
	q.Published = nil
	return &q
}

// with12618 returns the constructed 12618 with the cells set to v by
// labels (measure|status|level|year), for a store whose figures must lead
// the report to another sentence.
func with12618(cells map[string]float64) *store.Snapshot {
	s := analysistest.Constructed12618(analysistest.FetchedAt(0))
	d := s.Data
	for key, v := range cells {
		parts := strings.Split(key, "|")
		pos := make([]int, len(parts))
		for i, l := range parts {
			pos[i] = -1
			for j, c := range d.Dimensions[i].Categories {
				if c.Label == l {
					pos[i] = j
				}
			}
			if pos[i] < 0 {
				panic("with12618: no category " + l)
			}
		}
		d.Values[d.Index(pos...)] = v
		if !math.IsNaN(v) {
			delete(d.Status, d.Index(pos...))
		}
	}
	s.Raw, s.SHA256 = [][]byte{[]byte("konstruert variant av 12618")}, ""
	return s
}

const (
	patch   = "Rutiner for installering av sikkerhetspatcher på systemer"
	pentest = "Rutinemessige penetrasjonstester på interne systemer"
)

// asIfFromSSB strips the constructed mark from a snapshot's title and
// source, so the report treats it as SSB's: only for the claim that SSB is
// named for a stored SSB snapshot. The figures stay constructed; the
// report built here is thrown away.
func asIfFromSSB(s *store.Snapshot) *store.Snapshot {
	s.Title = "Tiltak for IKT-sikkerheten (prosent), etter statistikkvariabel, status for tiltak, forvaltningsnivå og år"
	s.Source = "https://data.ssb.no/api/pxwebapi/v2/tables/12618/data?lang=no"
	return s
}

// reportText builds the report from a real store holding the snapshots
// and returns the text of its page, non-breaking spaces as spaces.
func reportText(t *testing.T, p *catalog.Pack, snaps ...*store.Snapshot) string {
	t.Helper()
	return bodyText(reportBody(t, p, snaps...))
}

// bodyText returns the text under n, non-breaking spaces as spaces.
func bodyText(n *html.Node) string { return strings.ReplaceAll(textOf(n), "\u00a0", " ") }

// reportBody builds the report from a real store holding the snapshots
// and returns its page's body without the footnote marks, as a reader
// reads it.
func reportBody(t *testing.T, p *catalog.Pack, snaps ...*store.Snapshot) *html.Node {
	t.Helper()
	st := storeWith(t, snaps...)
	d, err := analysis.Load(context.Background(), st, p, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	out := render(t, Build(p, analysis.Analyze(p, d), Options{}))
	if problems := checkFootnotes(out.html); len(problems) > 0 {
		t.Errorf("numbers without footnotes:\n%s", strings.Join(problems, "\n"))
	}
	body := findAll(parseHTML(t, out.html), tag("body"))[0]
	for _, sup := range findAll(body, func(n *html.Node) bool { return n.Data == "sup" && attr(n, "class") == "fn" }) {
		sup.Parent.RemoveChild(sup)
	}
	return body
}

func TestClaims(t *testing.T) {
	shipped := shippedPack(t)
	bare := noPublished(shipped)
	at := analysistest.FetchedAt(0)
	renamed := analysistest.Snapshot(analysistest.Spec{
		Table: "12618", Title: "Tiltak for IKT-sikkerheten med endrede statusnavn",
		Dims: []analysistest.Dim{
			{ID: "ContentsCode", Label: "statistikkvariabel", Cats: analysistest.Measures12618()},
			{ID: "StatusTiltak", Label: "status for tiltak", Cats: []string{"1=Ja", "2=Nei", "3=Vet ikke"}},
			analysistest.Levels(),
			{ID: "Tid", Label: "år", Cats: []string{"2021"}},
		},
	})
	english := analysistest.Constructed12618(at)
	english.Lang = "en"
	// 2021: 10.0 % without patch routines is 35.6 of 356, not «mer enn 60».
	contradicting := with12618(map[string]float64{patch + "|Har ikke tiltaket|Kommuner|2021": 10.0})
	// Every 12618 share low: the statistics speak against the hypothesis.
	low := with12618(map[string]float64{
		patch + "|Har ikke tiltaket|Kommuner|2022": 1.0, pentest + "|Har ikke tiltaket|Kommuner|2022": 2.0,
		patch + "|Vet ikke|Kommuner|2022": 0.5,
	})
	// "Vet ikke" of at least 5 % in every year: no indicator of the theme
	// speaks against it.
	noAgainst := with12618(map[string]float64{
		patch + "|Vet ikke|Kommuner|2020": 7.0, patch + "|Vet ikke|Kommuner|2021": 6.0, patch + "|Vet ikke|Kommuner|2022": 5.5,
	})
	strategies := analysistest.Snapshot(analysistest.Spec{
		Table: "12019", Title: "IKT-strategier (prosent), etter status for strategi, forvaltningsnivå, statistikkvariabel og år",
		Dims: []analysistest.Dim{
			{ID: "StatusStrategi", Label: "status for strategi", Cats: []string{"1=Har strategi", "2=Under utarbeidelse", "3=Har ikke strategi"}},
			analysistest.Levels(),
			{ID: "ContentsCode", Label: "statistikkvariabel", Cats: []string{"IKT=IKT-strategi", "Digi=Digitaliseringsstrategi", "Sky=Strategi for skytjenester"}},
			{ID: "Tid", Label: "år", Cats: []string{"2018", "2022"}},
		},
		Cells: analysistest.Cells{
			"Har strategi|Kommuner|Strategi for skytjenester|2022": 84.8,
			"Har strategi|Kommuner|Digitaliseringsstrategi|2022":   74.3,
		},
		FetchedAt: at,
	})

	tests := []struct {
		claim           string
		text            string
		pack            *catalog.Pack
		present, absent []*store.Snapshot
		// absentPack, when set, is the pack of the store where the
		// sentence must not appear; else pack.
		absentPack *catalog.Pack
		// always marks a sentence every report has: there is no store
		// where it must not appear.
		always bool
	}{
		{
			claim: "the newest year's statement", text: "Mer enn 50 kommuner har ikke rutiner for installering av sikkerhetspatcher på systemer (2022).",
			pack: shipped, present: []*store.Snapshot{analysistest.Constructed12618(at)}, absent: nil,
		},
		{
			claim: "the appendix's year beside the newest, reproduced", text: "I vedlegg E (2021): mer enn 60 kommuner; nyeste (2022): mer enn 50 kommuner.",
			pack: shipped, present: []*store.Snapshot{analysistest.Constructed12618(at)}, absent: []*store.Snapshot{contradicting},
		},
		{
			claim: "the appendix's statement, as in appendix E", text: "Utsagnet for vedleggets år, som i vedlegg E: Mer enn 60 kommuner har ikke rutiner for installering av sikkerhetspatcher på systemer (2021).",
			pack: shipped, present: []*store.Snapshot{analysistest.Constructed12618(at)}, absent: []*store.Snapshot{contradicting},
		},
		{
			claim: "the table reproduces the appendix's reading", text: "tabellens tall for 2021 gir 61,9 kommuner, som stemmer med vedlegget.",
			pack: shipped, present: []*store.Snapshot{analysistest.Constructed12618(at)}, absent: []*store.Snapshot{contradicting},
		},
		{
			claim: "contradicting values", text: "Vedlegget skrev «mer enn 60 kommuner» for 2021; tabellens tall for 2021 gir 35,6 kommuner, som ikke stemmer med vedlegget.",
			pack: shipped, present: []*store.Snapshot{contradicting}, absent: []*store.Snapshot{analysistest.Constructed12618(at)},
		},
		{
			claim: "statistics that speak against the hypothesis", text: "Statistikk som taler mot hypotesen:",
			pack: bare, present: []*store.Snapshot{analysistest.Constructed12618(at)}, absent: []*store.Snapshot{noAgainst},
		},
		{
			claim: "the sources disagree", text: "Kildene spriker: dokumentene og dialogen støtter hypotesen, mens statistikken taler mot den.",
			pack: bare, present: []*store.Snapshot{low}, absent: []*store.Snapshot{noAgainst},
		},
		{
			claim: "no statistics at all", text: "Hypotesen er underbygget med moderat styrke: to av tre kildetyper (dokumentene og dialogen) peker i samme retning; statistikk mangler.",
			pack: bare, present: nil, absent: analysistest.All(at),
		},
		{
			claim: "an indicator without statistics", text: "Statistikk mangler: Tabell 12618 er ikke hentet ennå. Kjør «grunnlag sync 12618».",
			pack: shipped, present: nil, absent: []*store.Snapshot{analysistest.Constructed12618(at)},
		},
		{
			claim: "all three kinds agree", text: "Hypotesen er underbygget, og støtten er sterk: alle tre uavhengige kildetyper (dokumentene, statistikken og dialogen) peker i samme retning.",
			pack: shipped, present: nil, // SSB's published figures support every theme
			absentPack: bare, absent: nil,
		},
		{
			claim: "a series break", text: "Brudd i serien mellom 2018 og 2025: tabell 14559 avløste tabell 12041.",
			pack: shipped, present: []*store.Snapshot{analysistest.Published12041(at), analysistest.Constructed14559(at)}, absent: []*store.Snapshot{analysistest.Published12041(at)},
		},
		{
			claim: "the successor's Norwegian title", text: "Tabell 14559: «Konstruerte testdata: Informasjonssikkerhetstiltak",
			pack: shipped, present: []*store.Snapshot{analysistest.Constructed14559(at)}, absent: nil,
		},
		{
			claim: "no English title in the Norwegian text", text: "Information security measures",
			pack: shipped, present: nil, absent: nil, always: false,
		},
		{
			claim: "no Norwegian title known", text: "Tabell 14559 (den norske tittelen er ikke kjent før tabellen er hentet), etterfølgeren til tabell 12041.",
			pack: shipped, present: nil, absent: []*store.Snapshot{analysistest.Constructed14559(at)},
		},
		{
			claim: "an unverified reading", text: "«i 2022 hadde 84,8% av kommunene strategi for skytjenester» (ikke bekreftet)",
			pack: shipped, present: nil, absent: []*store.Snapshot{strategies},
		},
		{
			claim: "a reading the table confirms", text: "«i 2022 hadde 84,8% av kommunene strategi for skytjenester» (bekreftet av tabell 12019, 2022)",
			pack: shipped, present: []*store.Snapshot{strategies}, absent: nil,
		},
		{
			claim: "the strategy comparison", text: "Sammenlignet med «Kommuner med digitaliseringsstrategi» (2022): 84,8 % mot 74,3 %, en forskjell på +10,5 prosentpoeng.",
			pack: shipped, present: []*store.Snapshot{strategies}, absent: nil,
		},
		{
			claim: "a published figure", text: "Mer enn 150 kommuner hadde ikke en skriftlig informasjonssikkerhetspolicy forankret i ledelsen (2018). (publisert tall lest fra ssb.no, ikke hentet fra SSBs API)",
			pack: shipped, present: nil, absent: []*store.Snapshot{analysistest.Published12041(at)},
		},
		{
			claim: "SSB named for a stored SSB snapshot", text: "SSB, tabell 12618",
			pack: shipped, present: []*store.Snapshot{asIfFromSSB(analysistest.Constructed12618(at))}, absent: []*store.Snapshot{analysistest.Constructed12618(at)},
		},
		{
			claim: "the appendix's reading attributed to the appendix", text: "Vedlegg E, med henvisning til tabell 12019: «i 2022 hadde 84,8% av kommunene strategi for skytjenester»",
			pack: shipped, always: true,
		},
		{
			claim: "a difference between size classes", text: "Forskjellen mellom størrelsesklassene er",
			pack: shipped, present: []*store.Snapshot{analysistest.Constructed12041BySize(at)}, absent: []*store.Snapshot{analysistest.Published12041(at)},
		},
		{
			claim: "a definition that no longer fits", text: "passer ikke til noen kategori i dimensjonen «status for tiltak» (StatusTiltak). Tabellen har: «Ja» (1), «Nei» (2), «Vet ikke» (3).",
			pack: shipped, present: []*store.Snapshot{renamed}, absent: []*store.Snapshot{analysistest.Constructed12618(at)},
		},
		{
			claim: "English labels refused", text: "Tabell 12618 er lagret med SSBs engelske etiketter",
			pack: shipped, present: []*store.Snapshot{english}, absent: []*store.Snapshot{analysistest.Constructed12618(at)},
		},
	}
	for _, tt := range tests {
		t.Run(tt.claim, func(t *testing.T) {
			if tt.claim == "no English title in the Norwegian text" {
				// A sentence that must never appear: not with 14559
				// stored, not without it.
				for _, snaps := range [][]*store.Snapshot{nil, {analysistest.Constructed14559(at)}} {
					if got := reportText(t, tt.pack, snaps...); strings.Contains(got, tt.text) {
						t.Errorf("the report has %q", tt.text)
					}
				}
				return
			}
			if got := reportText(t, tt.pack, tt.present...); !strings.Contains(got, tt.text) {
				t.Errorf("the report lacks %q", tt.text)
			}
			if tt.always {
				return
			}
			p := tt.pack
			if tt.absentPack != nil {
				p = tt.absentPack
			}
			if got := reportText(t, p, tt.absent...); strings.Contains(got, tt.text) {
				t.Errorf("the report has %q, though its store should not lead to it", tt.text)
			}
		})
	}
}

// TestFetchedFrom names how a version reached the store without a path or
// an API's request.
func TestFetchedFrom(t *testing.T) {
	tests := []struct{ title, source, want string }{
		{"Tiltak", "https://data.ssb.no/api/pxwebapi/v2/tables/12618/data?lang=no", "hentet fra SSBs API"},
		{"Tiltak", "http://127.0.0.1:9999/tables/12618/data", "hentet fra PxWeb-tjenesten på 127.0.0.1"},
		{"Tiltak", "/home/ola/Nedlastinger/12618.json", "importert fra filen «12618.json»"},
		{"Konstruerte testdata: Tiltak", "konstruert://analysistest/12618", "lagret som konstruerte testdata"},
	}
	for _, tt := range tests {
		if got := fetchedFrom(&store.SnapshotInfo{Title: tt.title, Source: tt.source}); got != tt.want {
			t.Errorf("fetchedFrom(%q) = %q, want %q", tt.source, got, tt.want)
		}
	}
}

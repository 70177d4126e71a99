package report

import (
	"context"
	"fmt"
	"io"
	"testing"
	"time"

	"github.com/grunnlag/grunnlag/internal/analysis"
	"github.com/grunnlag/grunnlag/internal/analysis/analysistest"
	"github.com/grunnlag/grunnlag/internal/store"
)

// realisticTables returns constructed snapshots of all seven tables at
// about the size the real ones have (12618: 17 measures, 3 statuses, 3
// levels, 6 years), with the labels the shipped indicators look for.
func realisticTables() []*store.Snapshot {
	years := func(from, to int) []string {
		var out []string
		for y := from; y <= to; y++ {
			out = append(out, fmt.Sprint(y))
		}
		return out
	}
	levels := analysistest.Dim{ID: "Forvaltningsniva", Label: "forvaltningsnivå", Cats: []string{"S=Statlige virksomheter", "K=Kommuner", "F=Fylkeskommuner"}}
	measures := func(known []string, n int) []string {
		out := append([]string(nil), known...)
		for i := len(out); i < n; i++ {
			out = append(out, fmt.Sprintf("M%d=Konstruert tiltak %d", i, i))
		}
		return out
	}
	sizes := analysistest.Dim{ID: "Innbyggere", Label: "antall innbyggere", Cats: []string{
		"0=I alt", "1=0-1 999 innbyggere", "2=2 000-4 999 innbyggere", "3=5 000-9 999 innbyggere",
		"4=10 000-19 999 innbyggere", "5=20 000-49 999 innbyggere", "6=50 000 innbyggere og over",
	}}
	t := analysistest.FetchedAt(0)
	return []*store.Snapshot{
		analysistest.Snapshot(analysistest.Spec{Table: "12041", Title: "Tiltak/rutiner (stor)", FetchedAt: t, Dims: []analysistest.Dim{
			{ID: "ContentsCode", Label: "statistikkvariabel", Cats: analysistest.Measures12041()},
			analysistest.Levels(), sizes, {ID: "Tid", Label: "år", Cats: []string{"2018", "2019"}},
		}}),
		analysistest.Snapshot(analysistest.Spec{Table: "14559", Title: "Informasjonssikkerhetstiltak (stor)", FetchedAt: t, Dims: []analysistest.Dim{
			{ID: "ContentsCode", Label: "statistikkvariabel", Cats: measures(nil, 7)},
			analysistest.Levels(), sizes, {ID: "Tid", Label: "år", Cats: []string{"2025"}},
		}}),
		analysistest.Snapshot(analysistest.Spec{Table: "12618", Title: "Tiltak for IKT-sikkerheten (stor)", FetchedAt: t, Dims: []analysistest.Dim{
			{ID: "ContentsCode", Label: "statistikkvariabel", Cats: measures(analysistest.Measures12618(), 17)},
			{ID: "StatusTiltak", Label: "status for tiltak", Cats: []string{"1=Har tiltaket", "2=Har ikke tiltaket", "3=Vet ikke"}},
			levels, {ID: "Tid", Label: "år", Cats: years(2018, 2023)},
		}}),
		analysistest.Snapshot(analysistest.Spec{Table: "12617", Title: "IKT-sikkerhetsproblemer (stor)", FetchedAt: t, Dims: []analysistest.Dim{
			{ID: "ContentsCode", Label: "statistikkvariabel", Cats: measures([]string{"P=Forsøk på identitetstyveri (phishing)", "U=Uautorisert tilgang til systemer eller data"}, 8)},
			{ID: "StatusProblem", Label: "status for sikkerhetsproblemet", Cats: []string{"1=Opplevd", "2=Ikke opplevd", "3=Ukjent"}},
			levels, {ID: "Tid", Label: "år", Cats: years(2018, 2023)},
		}}),
		analysistest.Snapshot(analysistest.Spec{Table: "12019", Title: "IKT-strategier (stor)", FetchedAt: t, Dims: []analysistest.Dim{
			{ID: "StatusStrategi", Label: "status for strategi", Cats: []string{"1=Har strategi", "2=Under utarbeidelse", "3=Har ikke strategi"}},
			levels, {ID: "ContentsCode", Label: "statistikkvariabel", Cats: []string{"IKT=IKT-strategi", "Digi=Digitaliseringsstrategi", "Sky=Strategi for skytjenester"}},
			{ID: "Tid", Label: "år", Cats: years(2018, 2023)},
		}}),
		analysistest.Snapshot(analysistest.Spec{Table: "12038", Title: "Rekruttering (stor)", FetchedAt: t, Dims: []analysistest.Dim{
			levels, {ID: "ContentsCode", Label: "statistikkvariabel", Cats: []string{"F=Har rekruttert eller forsøkt å rekruttere IKT-spesialister siste år", "P=Har hatt problemer med å rekruttere IKT-spesialister"}},
			{ID: "Tid", Label: "år", Cats: years(2018, 2024)},
		}}),
		analysistest.Snapshot(analysistest.Spec{Table: "12036", Title: "Hindringer (stor)", FetchedAt: t, Dims: []analysistest.Dim{
			{ID: "ContentsCode", Label: "statistikkvariabel", Cats: measures([]string{"R=Vanskelig å frigjøre ressurser til utvikling", "K=Manglende kompetanse i virksomheten"}, 6)},
			{ID: "Grad", Label: "grad av hindring", Cats: []string{"1=I stor eller svært stor grad", "2=I noen grad", "3=I liten eller ingen grad"}},
			levels, {ID: "Tid", Label: "år", Cats: years(2018, 2024)},
		}}),
	}
}

// BenchmarkReport measures a whole report build for all seven tables as
// `grunnlag report` does it, PDF aside: read the snapshots from a SQLite
// store, analyse, build, and write HTML, Markdown, the charts and
// rapport.json.
func BenchmarkReport(b *testing.B) {
	st := storeWith(b, realisticTables()...)
	p := shippedPack(b)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		d, err := analysis.Load(ctx, st, p, time.Time{})
		if err != nil {
			b.Fatal(err)
		}
		res := analysis.Analyze(p, d)
		r := Build(p, res, Options{})
		if err := r.WriteHTML(io.Discard); err != nil {
			b.Fatal(err)
		}
		if err := r.WriteMarkdown(io.Discard); err != nil {
			b.Fatal(err)
		}
		if err := r.WriteJSON(io.Discard); err != nil {
			b.Fatal(err)
		}
		for _, f := range r.Figures() {
			_, _ = io.Discard.Write(f.SVG)
		}
		if len(res.Indicators) == 0 || res.Indicators[0].Status != analysis.OK {
			b.Fatalf("indicator %s: %s", res.Indicators[0].Def.ID, res.Indicators[0].Problem)
		}
	}
}

// TestRealisticTables_resolve keeps the benchmark honest: every shipped
// indicator resolves against its tables.
func TestRealisticTables_resolve(t *testing.T) {
	p := shippedPack(t)
	res := analysis.Analyze(p, dataOf(realisticTables()...))
	for _, ind := range res.Indicators {
		if ind.Status != analysis.OK {
			t.Errorf("%s: %s %s", ind.Def.ID, ind.Status, ind.Problem)
		}
	}
	if problems := checkFootnotes(render(t, Build(p, res, Options{})).html); len(problems) > 0 {
		t.Errorf("numbers without footnotes:\n%v", problems)
	}
}

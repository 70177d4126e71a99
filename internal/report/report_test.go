package report

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/net/html"

	"github.com/grunnlag/grunnlag/internal/analysis"
	"github.com/grunnlag/grunnlag/internal/analysis/analysistest"
	"github.com/grunnlag/grunnlag/internal/store"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// goldenSnapshots are the constructed snapshots of the golden report:
// 12618 with the appendix's two statements, 12041 by size class; 14559 is
// never synced.
func goldenSnapshots() []*store.Snapshot {
	return []*store.Snapshot{
		analysistest.Constructed12618(analysistest.FetchedAt(0)),
		analysistest.Constructed12041BySize(analysistest.FetchedAt(0)),
	}
}

// TestReport_golden compares the report of the constructed test pack and
// snapshots with testdata/golden in every format but PDF. Run with -update
// after a deliberate change, and read the diff.
func TestReport_golden(t *testing.T) {
	r := build(t, testPack(t), Options{}, goldenSnapshots()...)
	out := render(t, r)
	files := map[string][]byte{HTMLFile: out.html, MarkdownFile: out.md, JSONFile: out.json}
	for _, f := range r.Figures() {
		files[filepath.Join(FigureDir, f.Name)] = f.SVG
	}
	for name, got := range files {
		path := filepath.Join("testdata", "golden", name)
		if *update {
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, got, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run go test -update to create it)", err)
		}
		if diff := cmp.Diff(string(want), string(got)); diff != "" {
			t.Errorf("%s differs from the golden file (-want +got):\n%s", name, diff)
		}
	}
	for _, want := range []string{
		`<data value="61.944">Mer enn 60</data>`,
		`<data value="243.86">Mer enn 240</data>`,
	} {
		if !bytes.Contains(out.html, []byte(want)) {
			t.Errorf("the golden report lacks %s", want)
		}
	}
}

// TestReport_appendixStatements renders the appendix's two statements
// from the shipped pack and a constructed 12618, each with a footnote that
// gives the exact value, the cell's labels and codes, the year, the count
// used and the snapshot's dates.
func TestReport_appendixStatements(t *testing.T) {
	out := render(t, build(t, shippedPack(t), Options{}, analysistest.Constructed12618(analysistest.FetchedAt(0))))
	doc := parseHTML(t, out.html)
	tests := []struct {
		statement string
		footnote  []string
	}{
		{
			statement: "Mer enn 60 kommuner har ikke rutiner for installering av sikkerhetspatcher på systemer (2021).",
			footnote: []string{
				"Tabell 12618", "«Rutiner for installering av sikkerhetspatcher på systemer» (kode Patch)", "«Har ikke tiltaket» (kode 2)",
				"«Kommuner» (kode K)", "«2021» (kode 2021)", "17,4 % × 356 ≈ 61,9", "61,9 rundet ned til hele tiere er 60 → «mer enn 60»",
				"356 kommuner i 2021: kunnskapspakkens antall (sett i kilden, grunnlag/counts.yaml:",
				"oppdatert av kilden 6. mai 2025", "2. juni 2025 kl. 10.30", "Konstruerte testdata", "«sikkerhetspatcher-mangler»",
			},
		},
		{
			statement: "Mer enn 240 kommuner har ikke rutinemessig penetrasjonstesting av interne systemer (2021).",
			footnote:  []string{"(kode Pentest)", "68,5 % × 356 ≈ 243,9", "«mer enn 240»"},
		},
	}
	spans := findAll(doc, func(n *html.Node) bool { return attr(n, "data-fn") != "" && n.Data == "span" })
	for _, tt := range tests {
		t.Run(tt.statement, func(t *testing.T) {
			var fn string
			for _, s := range spans {
				if strings.HasPrefix(strings.ReplaceAll(textOf(s), "\u00a0", " "), tt.statement) {
					fn = attr(s, "data-fn")
				}
			}
			if fn == "" {
				t.Fatalf("no sourced statement %q in the HTML", tt.statement)
			}
			note := strings.ReplaceAll(footnote(doc, fn), "\u00a0", " ")
			for _, want := range tt.footnote {
				if !strings.Contains(note, want) {
					t.Errorf("footnote %s lacks %q:\n%s", fn, want, note)
				}
			}
			if !regexp.MustCompile(regexp.QuoteMeta(tt.statement) + `\[\^\d+\]`).Match(out.md) {
				t.Errorf("the Markdown lacks %q with a footnote", tt.statement)
			}
		})
	}
}

// TestReport_publishedFigures renders SSB's published national figures of
// table 12041 for 2018 (testdata in analysistest, with their source) and
// checks that each appears in the table view, beside its level and
// variable, under a footnote that names the table and the snapshot.
func TestReport_publishedFigures(t *testing.T) {
	out := render(t, build(t, shippedPack(t), Options{}, analysistest.Published12041(analysistest.FetchedAt(0))))
	doc := parseHTML(t, out.html)
	var view *html.Node
	for _, tb := range findAll(doc, tag("table")) {
		if c := findAll(tb, tag("caption")); len(c) > 0 && strings.HasPrefix(textOf(c[0]), "SSB-tabell 12041:") {
			view = tb
		}
	}
	if view == nil {
		t.Fatal("no table view of 12041 in the report")
	}
	note := footnote(doc, attr(view, "data-fn"))
	for _, want := range []string{"Tabell 12041", "oppdatert av kilden 4. mai 2020", "2. juni 2025 kl. 10.30", "SSBs publiserte tall for 2018"} {
		if !strings.Contains(note, want) {
			t.Errorf("the table view's footnote lacks %q:\n%s", want, note)
		}
	}
	// Read the view as SSB's table view shows it: a row label repeats only
	// where it changes, so carry the last one down.
	type cell struct{ Variable, Level, Value string }
	var got []cell
	var last []string
	for _, tr := range findAll(view, tag("tr")) {
		ths, tds := findAll(tr, func(n *html.Node) bool { return n.Data == "th" && attr(n, "scope") == "row" }), findAll(tr, tag("td"))
		if len(ths) != 2 || len(tds) != 1 {
			continue
		}
		labels := []string{textOf(ths[0]), textOf(ths[1])}
		for i := range labels {
			if labels[i] == "" && last != nil {
				labels[i] = last[i]
			}
		}
		last = labels
		got = append(got, cell{labels[0], labels[1], textOf(tds[0])})
	}
	var want []cell
	for _, r := range analysistest.PublishedRows() {
		want = append(want, cell{r.Variable, r.Level, strings.Replace(r.Text, ".", ",", 1)})
	}
	slices.SortFunc(got, func(a, b cell) int { return strings.Compare(a.Variable+a.Level, b.Variable+b.Level) })
	slices.SortFunc(want, func(a, b cell) int { return strings.Compare(a.Variable+a.Level, b.Variable+b.Level) })
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("12041's published figures in the table view (-want +got):\n%s", diff)
	}
	if len(want) != 12 {
		t.Errorf("%d published rows, want 12", len(want))
	}

	// The municipalities' figures also feed the indicators: each one's
	// footnote carries the published cell.
	for _, r := range analysistest.PublishedRows() {
		if r.Level != "Kommuner" {
			continue
		}
		needle := "«" + r.Variable + "» (kode"
		found := false
		for _, li := range findAll(doc, tag("li")) {
			if text := textOf(li); strings.HasPrefix(attr(li, "id"), "fn-") && strings.Contains(text, needle) && strings.Contains(text, "= "+strings.Replace(r.Text, ".", ",", 1)+".") {
				found = true
			}
		}
		if !found {
			t.Errorf("no footnote cites %s = %s for kommuner", r.Variable, r.Text)
		}
	}
	if problems := checkFootnotes(out.html); len(problems) > 0 {
		t.Errorf("numbers without footnotes:\n%s", strings.Join(problems, "\n"))
	}
}

// TestReport_everyNumberHasAFootnote runs the footnote check on reports
// built from different data: everything, nothing, the golden pack, and a
// comparison.
func TestReport_everyNumberHasAFootnote(t *testing.T) {
	shipped := shippedPack(t)
	older := analysistest.Constructed12618(analysistest.FetchedAt(-30))
	older.Data.Values[older.Data.Index(0, 1, 0, 1)] = 19.0
	before := analysis.Analyze(shipped, dataOf(older)).Summaries()
	tests := []struct {
		name string
		r    *Report
	}{
		{"shipped pack, every table", build(t, shipped, Options{}, analysistest.All(analysistest.FetchedAt(0))...)},
		{"shipped pack, no table", build(t, shipped, Options{})},
		{"shipped pack, size classes", build(t, shipped, Options{}, analysistest.Constructed12041BySize(analysistest.FetchedAt(0)))},
		{"golden pack", build(t, testPack(t), Options{}, goldenSnapshots()...)},
		{"comparison", build(t, shipped, Options{Compare: &Comparison{Label: "en konstruert eldre rapport", Before: before}}, analysistest.All(analysistest.FetchedAt(0))...)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := render(t, tt.r)
			if problems := checkFootnotes(out.html); len(problems) > 0 {
				t.Errorf("%d problems:\n%s", len(problems), strings.Join(problems, "\n"))
			}
			checkMarkdownFootnotes(t, out.md)
			checkFootnoteOrder(t, out.html)
		})
	}
}

// checkFootnoteOrder checks that a reader meets the footnotes in their
// numbered order: the first link to each is in the order 1, 2, 3, ….
func checkFootnoteOrder(t *testing.T, page []byte) {
	t.Helper()
	seen := map[string]bool{}
	var first []string
	for _, m := range regexp.MustCompile(`href="#fn-(\d+)"`).FindAllSubmatch(page, -1) {
		if n := string(m[1]); !seen[n] {
			seen[n] = true
			first = append(first, n)
		}
	}
	for i, n := range first {
		if n != strconv.Itoa(i+1) {
			t.Errorf("first links to the footnotes come in the order %v, want 1, 2, 3, … (footnote %s is met as number %d)", first, n, i+1)
			return
		}
	}
}

// checkMarkdownFootnotes checks that every [^n] the Markdown cites is
// defined and every definition is cited.
func checkMarkdownFootnotes(t *testing.T, md []byte) {
	t.Helper()
	defs := map[string]bool{}
	for _, m := range regexp.MustCompile(`(?m)^\[\^(\d+)\]: `).FindAllSubmatch(md, -1) {
		defs[string(m[1])] = true
	}
	refs := map[string]bool{}
	for _, m := range regexp.MustCompile(`\[\^(\d+)\]`).FindAllSubmatchIndex(md, -1) {
		if m[1] < len(md) && md[m[1]] == ':' {
			continue // a definition, not a citation
		}
		refs[string(md[m[2]:m[3]])] = true
	}
	for n := range refs {
		if !defs[n] {
			t.Errorf("Markdown cites [^%s] but does not define it", n)
		}
	}
	for n := range defs {
		if !refs[n] {
			t.Errorf("Markdown defines [^%s] but never cites it", n)
		}
	}
}

// TestReport_headings checks that the report keeps the appendix's
// structure and headings.
func TestReport_headings(t *testing.T) {
	p := shippedPack(t)
	out := render(t, build(t, p, Options{}))
	doc := parseHTML(t, out.html)
	var h2, h3 []string
	for _, h := range findAll(doc, func(n *html.Node) bool { return n.Data == "h2" || n.Data == "h3" }) {
		if h.Parent != nil && h.Parent.Data == "nav" {
			continue
		}
		if h.Data == "h2" {
			h2 = append(h2, textOf(h))
		} else {
			h3 = append(h3, textOf(h))
		}
	}
	wantH2 := []string{
		"Datagrunnlag og metode",
		"Gjennomgang av dokumenter og statistikk",
		"Samtaler og samarbeid med kommunal sektor",
		"Analyse og konklusjon fra dokumentasjonsgjennomgang og sektordialog",
		"Oppsummering",
		"Manglende data",
		"Fotnoter",
	}
	if diff := cmp.Diff(wantH2, h2); diff != "" {
		t.Errorf("h2 headings mismatch (-want +got):\n%s", diff)
	}
	wantH3 := []string{
		"Norges offentlige utredninger", "Stortingsmeldinger", "Rapporter", "Veiledere, normer, rammeverk", "Strategier", "Andre relevante kilder", "Statistikk",
		"Dialog i sektoren før 2022", "Møtevirksomhet våren/sommeren 2022", "Nasjonalt program for informasjonssikkerhet (NPISK)", "Innspillsrunder",
		"Styringsevne (herunder kontrollfunksjon) innen informasjonssikkerhetsområdet",
		"Løpende sikring av all IT-infrastruktur, inkludert skytjenester, overvåking, analyse- og hendelseshåndtering og beredskaps- og gjenopprettingsevne",
		"Kompetanse og kapasitet",
	}
	if diff := cmp.Diff(wantH3, h3); diff != "" {
		t.Errorf("h3 headings mismatch (-want +got):\n%s", diff)
	}
}

// TestReport_selfContained checks that the page loads nothing and that
// every chart has its text alternative.
func TestReport_selfContained(t *testing.T) {
	out := render(t, build(t, shippedPack(t), Options{}, append(analysistest.All(analysistest.FetchedAt(0)), analysistest.Constructed12041BySize(analysistest.FetchedAt(0)))...))
	doc := parseHTML(t, out.html)
	for _, n := range findAll(doc, func(n *html.Node) bool {
		return attr(n, "src") != "" || n.Data == "link" || n.Data == "script" || n.Data == "iframe"
	}) {
		t.Errorf("the page loads something: <%s %v>", n.Data, n.Attr)
	}
	if bytes.Contains(out.html, []byte("url(")) || bytes.Contains(out.html, []byte("@import")) {
		t.Error("the stylesheet loads something")
	}
	if !bytes.Contains(out.html, []byte("@media print")) {
		t.Error("no print stylesheet")
	}
	svgs := findAll(doc, tag("svg"))
	if len(svgs) == 0 {
		t.Fatal("no charts")
	}
	kinds := map[string]int{}
	for _, s := range svgs {
		ids := strings.Fields(attr(s, "aria-labelledby"))
		titles, descs := findAll(s, tag("title")), findAll(s, tag("desc"))
		if attr(s, "role") != "img" || len(ids) != 2 || len(titles) != 1 || len(descs) != 1 || attr(titles[0], "id") != ids[0] || attr(descs[0], "id") != ids[1] || textOf(descs[0]) == "" {
			t.Errorf("chart %s lacks its text alternative", ids)
		}
		if len(findAll(s, tag("polyline"))) > 0 {
			kinds["linjer"]++
		}
		if len(findAll(s, tag("rect"))) > 0 {
			kinds["stolper"]++
		}
		if p := s.Parent; p == nil || p.Data != "figure" || attr(p, "data-fn") == "" {
			t.Errorf("chart %s is not in a figure with a footnote", ids)
		}
	}
	if kinds["linjer"] == 0 || kinds["stolper"] == 0 {
		t.Errorf("chart kinds %v, want lines over years and bars by size class", kinds)
	}
}

// TestReport_missingData shows a store without tables: the report says
// which tables to sync and which indicators have no figures, and the gaps
// are blocking (so --strict fails).
func TestReport_missingData(t *testing.T) {
	p := shippedPack(t)
	r := build(t, p, Options{})
	doc := parseHTML(t, render(t, r).html)
	var missing []string
	for _, li := range findAll(doc, tag("li")) {
		if text := textOf(li); strings.Contains(text, "er ikke hentet ennå. Kjør «grunnlag sync") {
			missing = append(missing, text)
		}
	}
	if got, want := len(missing), len(p.Tables); got != want {
		t.Errorf("%d tables reported missing, want %d:\n%s", got, want, strings.Join(missing, "\n"))
	}
	missingStats := 0
	for _, ind := range r.result.Indicators {
		if ind.Status != analysis.OK {
			missingStats++
		}
	}
	paras := findAll(doc, func(n *html.Node) bool {
		return n.Data == "p" && attr(n, "class") == "mangler" && strings.HasPrefix(textOf(n), "Statistikk mangler:")
	})
	if got := len(paras); got != missingStats || missingStats == 0 {
		t.Errorf("%d «Statistikk mangler» notes, want one per indicator without a figure (%d)", got, missingStats)
	}
	for _, g := range r.Gaps() {
		if !g.Blocking {
			t.Errorf("gap %v is not blocking", g)
		}
	}

	// A definition that no longer resolves says so with the labels found.
	renamed := analysistest.Snapshot(analysistest.Spec{
		Table: "12618",
		Title: "Tiltak for IKT-sikkerheten med nye statusnavn",
		Dims: []analysistest.Dim{
			{ID: "ContentsCode", Label: "statistikkvariabel", Cats: analysistest.Measures12618()},
			{ID: "StatusTiltak", Label: "status for tiltak", Cats: []string{"1=Ja", "2=Nei", "3=Vet ikke"}},
			analysistest.Levels(),
			{ID: "Tid", Label: "år", Cats: []string{"2021"}},
		},
	})
	html := render(t, build(t, p, Options{}, renamed)).html
	want := `passer ikke til noen kategori i dimensjonen «status for tiltak» (StatusTiltak). Tabellen har: «Ja» (1), «Nei» (2), «Vet ikke» (3).`
	if got := bytes.Count(html, []byte(esc(want))); got < 2 {
		t.Errorf("the unresolved definition appears %d times, want beside the indicator and under «Manglende data»", got)
	}
}

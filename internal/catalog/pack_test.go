package catalog

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/grunnlag/grunnlag/data"
)

func TestShippedPack_loads(t *testing.T) {
	p := loadShipped(t)
	if got, want := len(p.Packs), 1; got != want {
		t.Fatalf("len(Packs) = %d, want %d", got, want)
	}
	if got, want := p.Packs[0].Name, "grunnlag"; got != want {
		t.Errorf("Packs[0].Name = %q, want %q", got, want)
	}
	for _, e := range p.Entries() {
		// Named by the pack, never by the folder it was read from.
		if o := e.Provenance(); o.Pack != "grunnlag" || o.Line == 0 || !strings.HasPrefix(o.File, "grunnlag/") {
			t.Errorf("%s: Provenance() = %+v, want pack grunnlag, a file grunnlag/… and a line", e.Ref(), o)
		}
	}
}

// TestShippedPack_documentsByCategory lists the documents of each of the
// appendix's categories, in its order, by identifier (title where the
// document has none).
func TestShippedPack_documentsByCategory(t *testing.T) {
	p := loadShipped(t)
	got := map[string][]string{}
	var headings []string
	for _, g := range p.DocumentGroups() {
		headings = append(headings, g.Kind.Heading)
		for _, d := range g.Documents {
			name := d.Identifier
			if name == "" {
				name = d.Title
			}
			got[g.Kind.Heading] = append(got[g.Kind.Heading], name)
		}
	}
	wantHeadings := []string{
		"Norges offentlige utredninger", "Stortingsmeldinger", "Rapporter",
		"Veiledere, normer, rammeverk", "Strategier", "Andre relevante kilder", "Statistikk",
	}
	if diff := cmp.Diff(wantHeadings, headings); diff != "" {
		t.Errorf("category headings mismatch (-want +got):\n%s", diff)
	}
	want := map[string][]string{
		"Norges offentlige utredninger": {"NOU 2015:13", "NOU 2018:14", "NOU 2022:11", "NOU 2023:4", "NOU 2016:19"},
		"Stortingsmeldinger": {
			"Meld. St. 10 (2016–2017)", "Meld. St. 38 (2016–2017)", "Meld. St. 5 (2020–2021)", "Meld. St. 9 (2022–2023)",
		},
		"Rapporter": {
			"Risiko 2022", "Risiko 2021", "Nasjonal trusselvurdering 2022",
			"Myndighetenes samordning av arbeidet med digital sikkerhet i sivil sektor",
			"Arbeid med informasjonssikkerhet i fylkeskommuner og kommuner",
			"Personvern- og informasjonssikkerhet",
			"Kartlegging av digital modenhet i kommunal sektor",
			"Fremtidig organisering av KS digitale fellestjenester",
			"Kommune CERT – utredning av behov og muligheter",
		},
		"Veiledere, normer, rammeverk": {
			"Norm for informasjonssikkerhet og personvern i helse- og omsorgstjenesten",
			"Hvordan jobbe med informasjonssikkerhet",
			"Grunnprinsipper for IKT-sikkerhet",
			"Kommunedirektørens verktøykasse for personvern og informasjonssikkerhet – orden i eget hus",
			"Rammeverk for håndtering av IKT-sikkerhetshendelser",
		},
		"Strategier": {
			"Internasjonal cyberstrategi for Norge",
			"Nasjonal strategi for digital sikkerhet",
			"Nasjonal strategi for digital sikkerhetskompetanse",
			"Digitaliseringsstrategien for offentlig sektor – Én digital offentlig sektor",
		},
		"Andre relevante kilder": {
			"Prop. 78 S (2021–2022)",
			"Felles sikkerhet i forvaltningen. Et nasjonalt løft for informasjonssikkerhet i offentlig forvaltning",
			"Offentlige og private tilbydere av SOC og CERT tjenester",
		},
		"Statistikk": {"Tabell 12041", "Tabell 12038", "Tabell 12019", "Tabell 12036", "Tabell 12617", "Tabell 12618"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("documents by category mismatch (-want +got):\n%s", diff)
	}
	if got, want := len(p.Documents), 36; got != want {
		t.Errorf("len(Documents) = %d, want %d", got, want)
	}
}

// TestShippedPack_statisticsTables checks that every statistics document is
// an SSB table of tables.yaml, and that "Tabell 2019" keeps its wording.
func TestShippedPack_statisticsTables(t *testing.T) {
	p := loadShipped(t)
	var tables []string
	for _, d := range p.DocumentsOfKind("statistikk") {
		if _, ok := p.Table(d.Table); !ok {
			t.Errorf("document %s: table %q not in tables.yaml", d.ID, d.Table)
		}
		tables = append(tables, d.Table)
	}
	if diff := cmp.Diff([]string{"12041", "12038", "12019", "12036", "12617", "12618"}, tables); diff != "" {
		t.Errorf("statistics tables mismatch (-want +got):\n%s", diff)
	}
	d, ok := p.DocumentForTable("12019")
	if !ok || !strings.HasPrefix(d.AsWritten, "Tabell 2019:") || d.Notes == "" {
		t.Errorf("DocumentForTable(12019) = %+v, want the appendix's «Tabell 2019» wording and a note", d)
	}
}

func TestShippedPack_findings(t *testing.T) {
	p := loadShipped(t)
	got := map[string]string{}
	for _, f := range p.Findings {
		if f.Value != nil {
			got[f.ID] = f.Population.String() + " " + f.Period + " " + f.Value.String()
		}
	}
	want := map[string]string{
		"ks2018-organisert":                         "begge 2018 86 %",
		"ks2018-dedikert-radmann":                   "begge 2018 54 %",
		"ks2018-rapporterer-ikt":                    "begge 2018 13 %",
		"ks2018-hver-virksomhet":                    "begge 2018 10 %",
		"ks2018-tilfeldig-ressurs":                  "begge 2018 9 %",
		"digdir-styringsdialog":                     "kommuner 2018 44 %",
		"digdir-styringssystem-fylkeskommuner":      "fylkeskommuner 2018–2019 > 75 %",
		"digdir-styringssystem-kommuner":            "kommuner 2018–2020 < 65 %",
		"digdir-hendelseserfaringer-fylkeskommuner": "fylkeskommuner 2018–2019 < 75 %",
		"digdir-hendelseserfaringer-kommuner":       "kommuner 2018–2020 < 55 %",
		"digdir-ovelseserfaringer-fylkeskommuner":   "fylkeskommuner 2018–2019 < 40 %",
		"digdir-ovelseserfaringer-kommuner":         "kommuner 2018–2020 < 30 %",
		"digdir-beredskapsovelser":                  "begge 2018 < 25 %",
		"ssb12019-skystrategi-2022":                 "kommuner 2022 84,8 %",
		"ssb12019-digitaliseringsstrategi-2022":     "kommuner 2022 74,3 %",
		"ssb12618-sikkerhetspatcher-2021":           "kommuner 2021 > 60 kommuner",
		"ssb12618-penetrasjonstesting-2021":         "kommuner 2021 > 240 kommuner",
		"ssb12618-ukjent-tilstand-2021":             "kommuner 2021 > 150 kommuner",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("quantitative findings mismatch (-want +got):\n%s", diff)
	}
	if got, want := len(p.Findings), 30; got != want {
		t.Errorf("len(Findings) = %d, want %d", got, want)
	}
	// The Datatilsynet observations are in, as qualitative findings.
	for _, id := range []string{"datatilsynet-tiltak-storre-kommuner", "datatilsynet-kompetanse-risikovurdering"} {
		if f, ok := p.Finding(id); !ok || f.Value != nil || f.Document != "digdir-2020" {
			t.Errorf("Finding(%s) = %+v, want a qualitative finding from digdir-2020", id, f)
		}
	}
}

func TestShippedPack_dialogue(t *testing.T) {
	p := loadShipped(t)
	type act struct {
		Period, Count, Duration string
		Participants            []string
	}
	got := map[string]act{}
	for _, a := range p.Activities {
		var x act
		if a.Period != nil {
			x.Period = a.Period.From + ".." + a.Period.To
		}
		if a.Count != nil {
			x.Count = a.Count.String()
		}
		if a.Duration != nil {
			x.Duration = a.Duration.String()
		}
		for _, pt := range a.Participants {
			x.Participants = append(x.Participants, pt.Name+" ("+string(pt.Type)+")")
		}
		got[a.ID] = x
	}
	actors := []string{
		"Kommuner i SNIP-nettverket (kommune)", "NSM (statlig)", "HelseCERT (responsmiljo)", "Kommune-CSIRT (responsmiljo)",
		"Kraft/InfraCERT (responsmiljo)", "JustisCERT (responsmiljo)", "DFØ (statlig)",
	}
	want := map[string]act{
		"samarbeid-over-tid": {Period: "..", Participants: []string{
			"Fagrådet for informasjonssikkerhet og personvern (ks)", "SNIP-nettverket (kommunal-sektor)",
			"De regionale digitaliseringsnettverkene (kommunal-sektor)"}},
		"akson-rsb-2020":        {Period: "2020-01..2020-06", Count: "> 25 møter", Participants: []string{"Kommuner (kommune)"}},
		"samtaler-2022":         {Period: "2022..2022", Participants: []string{"Kommuner (kommune)", "Fylkeskommuner (fylkeskommune)"}},
		"moter-2022":            {Period: "2022..2022", Count: "> 30 møter og workshops", Participants: actors},
		"oppfolgingsmoter-2022": {Count: "> 1 oppfølgingsmøter", Participants: actors},
		"statusorientering-2022": {Participants: []string{
			"KommIT (kommunal-sektor)", "Digitaliseringsutvalget (kommunal-sektor)", "Fagrådet (ks)", "Diginettverkene (kommunal-sektor)"}},
		"npisk-faggruppe-2022": {Period: "2022-05..2022-09", Participants: []string{
			"KS (ks)", "Fageksperter fra medlemmene (kommunal-sektor)", "Kommunal- og distriktsdepartementet (KDD) (departement)"}},
		"innspill-faggruppe-2022": {Period: "2022..2022", Count: "2 arbeidsmøter", Duration: "3 timer per arbeidsmøte", Participants: []string{
			"Medlemmer fra flere kommuner (kommune)", "Medlemmer fra flere fylkeskommuner (fylkeskommune)"}},
		"innspill-diginettverksledere-2022": {Period: "2022..2022", Count: "1 møte", Participants: []string{"Diginettverkslederne (kommunal-sektor)"}},
		"innspill-strategisk-faggruppe-2022": {Period: "2022..2022", Count: "3 møter", Participants: []string{
			"Representanter med strategisk styringskompetanse innen digitalisering (kommunal-sektor)"}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("dialogue mismatch (-want +got):\n%s", diff)
	}
}

func TestShippedPack_needs(t *testing.T) {
	p := loadShipped(t)
	var got []string
	for _, n := range p.Needs {
		got = append(got, n.ID+" "+strings.Join(n.Principles, ","))
		if n.Activity != "moter-2022" {
			t.Errorf("need %s: activity %q, want moter-2022", n.ID, n.Activity)
		}
	}
	want := []string{
		"soc-irt 3.2,3.3,4.1,4.3", "penetrasjonstester 3.4", "ros-dpia 1.1", "leverandoroppfolging 2.1",
		"teknisk-forvaltning 2.3", "rammeverk-stotte ", "opplaering ", "ansvar-roller ", "felles-innkjop 2.1",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("needs mismatch (-want +got):\n%s", diff)
	}
}

func TestShippedPack_themes(t *testing.T) {
	p := loadShipped(t)
	var ids []string
	for _, th := range p.Themes {
		ids = append(ids, th.ID)
	}
	if diff := cmp.Diff([]string{"styringsevne", "lopende-sikring", "kompetanse"}, ids); diff != "" {
		t.Errorf("themes mismatch (-want +got):\n%s", diff)
	}
	// The appendix concludes against each theme's hypothesis being false:
	// the evidence in the pack must lean the same way, from more than one
	// kind of source, or the analysis cannot reproduce its conclusions.
	for _, th := range p.Themes {
		count := map[Direction]int{}
		kinds := map[Basis]bool{}
		for _, e := range p.Evidence(th.ID) {
			count[e.Evidence.Supports]++
			if e.Evidence.Supports == Supports {
				kinds[e.Basis] = true
			}
		}
		if count[Supports] <= count[Against] || len(kinds) < 2 {
			t.Errorf("theme %s: evidence %v from %d kinds of source, want a majority for the hypothesis from 2 or more", th.ID, count, len(kinds))
		}
	}
	var conclusions []string
	for _, c := range p.Conclusions {
		conclusions = append(conclusions, c.ID)
	}
	if diff := cmp.Diff([]string{"behov-i-stor-grad-like", "oppsummering"}, conclusions); diff != "" {
		t.Errorf("conclusions mismatch (-want +got):\n%s", diff)
	}
}

func TestShippedPack_nsm(t *testing.T) {
	p := loadShipped(t)
	got := map[string]int{}
	var cats []string
	for _, c := range p.Categories {
		cats = append(cats, c.ID+" "+c.Title)
		got[c.ID] = len(p.PrinciplesOf(c.ID))
	}
	wantCats := []string{"1 Identifisere og kartlegge", "2 Beskytte og opprettholde", "3 Oppdage", "4 Håndtere og gjenopprette"}
	if diff := cmp.Diff(wantCats, cats); diff != "" {
		t.Errorf("categories mismatch (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(map[string]int{"1": 3, "2": 10, "3": 4, "4": 4}, got); diff != "" {
		t.Errorf("principles per category mismatch (-want +got):\n%s", diff)
	}
	if got, want := len(p.Principles), 21; got != want {
		t.Errorf("len(Principles) = %d, want %d", got, want)
	}
	var inferred []string
	for _, m := range p.Measures {
		if m.Title != "" || m.Priority != "" {
			t.Errorf("measure %s has NSM title or priority %q/%q; those come only from NSM's spreadsheet", m.ID, m.Title, m.Priority)
		}
		if m.Paraphrase == "" || len(m.Sources) == 0 {
			t.Errorf("measure %s lacks a paraphrase or sources", m.ID)
		}
		if m.IDInferred {
			inferred = append(inferred, m.ID)
		}
	}
	if got, want := len(p.Measures), 100; got != want {
		t.Errorf("len(Measures) = %d, want %d (research-nsm: 100 of 118 known)", got, want)
	}
	if diff := cmp.Diff([]string{"3.4.1", "3.4.2"}, inferred); diff != "" {
		t.Errorf("inferred measure ids mismatch (-want +got):\n%s", diff)
	}
}

// readCSV reads a shipped register file for cross-checks.
func readCSV(t *testing.T, name string) []map[string]string {
	t.Helper()
	f, err := os.Open(filepath.Join(shippedPack, name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var out []map[string]string
	for _, r := range recs[1:] {
		m := map[string]string{}
		for i, h := range recs[0] {
			m[h] = r[i]
		}
		out = append(out, m)
	}
	return out
}

func TestShippedPack_registers(t *testing.T) {
	p := loadShipped(t)
	for _, tt := range []struct {
		unit  RegisterUnit
		year  int
		id    string
		areas int
	}{
		{RegisterMunicipalities, 2020, "kommuner-2020", 356},
		{RegisterMunicipalities, 2023, "kommuner-2020", 356},
		{RegisterMunicipalities, 2024, "kommuner-2024", 357},
		{RegisterMunicipalities, 2031, "kommuner-2024", 357},
		{RegisterCounties, 2022, "fylker-2020", 11},
		{RegisterCounties, 2025, "fylker-2024", 15},
	} {
		r, ok := p.RegisterFor(tt.unit, tt.year)
		if !ok || r.ID != tt.id || len(r.Areas) != tt.areas {
			t.Errorf("RegisterFor(%s, %d) = %v, %d areas; want %s with %d", tt.unit, tt.year, r.Ref(), len(r.Areas), tt.id, tt.areas)
		}
	}
	if _, ok := p.RegisterFor(RegisterMunicipalities, 2019); ok {
		t.Errorf("RegisterFor(kommuner, 2019) found a register; the pack has none before 2020")
	}

	// The crosswalk covers every code both ways.
	r20, _ := p.Register("kommuner-2020")
	r24, _ := p.Register("kommuner-2024")
	reached := map[string]bool{}
	for _, a := range r20.Areas {
		if len(a.Crosswalk) == 0 {
			t.Errorf("2020 code %s has no 2024 code", a.Code)
		}
		for _, c := range a.Crosswalk {
			reached[c] = true
		}
	}
	for _, a := range r24.Areas {
		if !reached[a.Code] {
			t.Errorf("2024 code %s is not reached from 2020", a.Code)
		}
		if len(a.Crosswalk) != 1 {
			t.Errorf("2024 code %s has predecessors %v, want exactly one", a.Code, a.Crosswalk)
		}
	}
	if a, _ := r20.Area("1507"); a == nil || strings.Join(a.Crosswalk, ",") != "1508,1580" {
		t.Errorf("Ålesund 1507 crosswalk = %v, want 1508 and 1580 (Haram split off)", a)
	}
	if a, _ := r24.Area("0301"); a == nil || a.Population != 717710 || a.Name != "Oslo" || a.Parent != "03" {
		t.Errorf("Area(0301) = %+v, want Oslo, county 03, population 717710", a)
	}
}

func TestShippedPack_counts(t *testing.T) {
	p := loadShipped(t)
	got := map[string]int{}
	for y := 2015; y <= 2025; y++ {
		for _, u := range []Population{Municipalities, CountyMunicipalities} {
			c, ok := p.Count(u, y)
			if !ok {
				t.Errorf("Count(%s, %d) missing", u, y)
				continue
			}
			if c.Source.Ref == "" {
				t.Errorf("Count(%s, %d) has no source", u, y)
			}
			got[string(u)+" "+strconv.Itoa(y)] = c.Value
		}
	}
	want := map[string]int{
		"kommuner 2015": 428, "kommuner 2016": 428, "kommuner 2017": 426, "kommuner 2018": 422, "kommuner 2019": 422,
		"kommuner 2020": 356, "kommuner 2021": 356, "kommuner 2022": 356, "kommuner 2023": 356,
		"kommuner 2024": 357, "kommuner 2025": 357,
		"fylkeskommuner 2015": 18, "fylkeskommuner 2016": 18, "fylkeskommuner 2017": 18,
		"fylkeskommuner 2018": 17, "fylkeskommuner 2019": 17,
		"fylkeskommuner 2020": 10, "fylkeskommuner 2021": 10, "fylkeskommuner 2022": 10, "fylkeskommuner 2023": 10,
		"fylkeskommuner 2024": 14, "fylkeskommuner 2025": 14,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("counts mismatch (-want +got):\n%s", diff)
	}

	// Where a register covers the year, the count agrees with it (counties
	// include Oslo, which has no county municipality).
	for y := 2020; y <= 2025; y++ {
		k, _ := p.Count(Municipalities, y)
		r, _ := p.RegisterFor(RegisterMunicipalities, y)
		if k.Value != len(r.Areas) {
			t.Errorf("kommuner %d: count %d, register %s has %d", y, k.Value, r.ID, len(r.Areas))
		}
		f, _ := p.Count(CountyMunicipalities, y)
		rc, _ := p.RegisterFor(RegisterCounties, y)
		if f.Value != len(rc.Areas)-1 {
			t.Errorf("fylkeskommuner %d: count %d, register %s has %d fylker incl. Oslo", y, f.Value, rc.ID, len(rc.Areas))
		}
	}

	// The 2024 size-class counts agree with the register's populations.
	r24, _ := p.Register("kommuner-2024")
	for _, c := range p.SizeClassCounts(Municipalities, 2024) {
		n := 0
		for _, a := range r24.Areas {
			if a.Population >= c.SizeClass.Min && (c.SizeClass.Max == 0 || a.Population <= c.SizeClass.Max) {
				n++
			}
		}
		if n != c.Value {
			t.Errorf("count %s = %d, register has %d municipalities in %q", c.ID, c.Value, n, c.SizeClass.Label)
		}
	}
	if got, want := len(p.SizeClassCounts(Municipalities, 2024)), 9; got != want {
		t.Errorf("len(SizeClassCounts(kommuner, 2024)) = %d, want %d", got, want)
	}
	if got := readCSV(t, "municipalities-2024.csv"); len(got) != 357 {
		t.Errorf("municipalities-2024.csv has %d rows, want 357", len(got))
	}
}

// appendixRaw returns appendix E as shipped in data/sources.
func appendixRaw(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(shippedPack, "sources", "vedlegg-e.txt"))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// pageFurniture matches what a page break leaves in the running text:
// footnote lines ("6 https://…"), the page footer and the running header.
var pageFurniture = regexp.MustCompile(`(?m)^\s*(\d+ https?://\S+|Side \d+ av \d+|Vedlegg E – Metode og datagrunnlag)\s*$`)

// appendixText returns appendix E normalised for comparing quotes: page
// furniture dropped, whitespace collapsed, and the footnote numbers the
// text glues onto table ids and years removed ("tabell 120412" is table
// 12041 with footnote 2).
func appendixText(t *testing.T) string {
	t.Helper()
	s := normSpace(pageFurniture.ReplaceAllString(appendixRaw(t), ""))
	for glued, plain := range map[string]string{
		"120412": "12041", "120383": "12038", "120194": "12019", "120365": "12036",
		"126176": "12617", "126187": "12618", "fra 20181 viser": "fra 2018 viser", "grunnprinsipper8": "grunnprinsipper",
	} {
		s = strings.ReplaceAll(s, glued, plain)
	}
	return s
}

var spaceRun = regexp.MustCompile(`\s+`)

func normSpace(s string) string { return strings.TrimSpace(spaceRun.ReplaceAllString(s, " ")) }

// TestShippedPack_quotesAreVerbatim checks every text the pack says is
// quoted from the appendix against the appendix itself; "[…]" marks an
// omission, and each part must appear.
func TestShippedPack_quotesAreVerbatim(t *testing.T) {
	p := loadShipped(t)
	text := appendixText(t)
	check := func(what, quote string) {
		t.Helper()
		for _, part := range strings.Split(quote, "[…]") {
			if part = normSpace(part); part != "" && !strings.Contains(text, part) {
				t.Errorf("%s: %q is not in appendix E", what, part)
			}
		}
	}
	for _, d := range p.Documents {
		check("document "+d.ID+" as_written", d.AsWritten)
	}
	for _, f := range p.Findings {
		check("finding "+f.ID, f.Quote)
	}
	for _, a := range p.Activities {
		check("activity "+a.ID, a.Quote)
	}
	for _, n := range p.Needs {
		check("need "+n.ID, n.Text)
	}
	for _, th := range p.Themes {
		for _, s := range []Statement{th.Hypothesis, th.Conclusion} {
			if s.Verbatim {
				check("theme "+th.ID, s.Text)
			}
		}
		if th.Heading != "" {
			check("theme "+th.ID+" heading", th.Heading)
		}
	}
	for _, c := range p.Conclusions {
		if c.Verbatim {
			check("conclusion "+c.ID, c.Text)
		}
	}
	for _, k := range p.DocumentKinds {
		check("document kind "+k.ID, k.Heading)
	}
	for _, a := range p.Activities {
		check("activity "+a.ID+" section", a.Section)
	}
}

// TestShippedPack_urls checks that every URL the pack gives for a document
// appears in the source it names, so no address is invented.
func TestShippedPack_urls(t *testing.T) {
	p := loadShipped(t)
	text := appendixRaw(t)
	for _, d := range p.Documents {
		if d.URL == "" {
			continue
		}
		if d.URLSource.Ref == "vedlegg-e" && !strings.Contains(text, d.URL) {
			t.Errorf("document %s: URL %s is not in appendix E", d.ID, d.URL)
		}
		if d.URLSource.Ref != "vedlegg-e" {
			if _, ok := p.Reference(d.URLSource.Ref); !ok {
				t.Errorf("document %s: url_source %q is not a reference", d.ID, d.URLSource.Ref)
			}
		}
	}
}

// TestShippedPack_embedded loads the copy the binary carries (data.FS) and
// checks it holds the same pack as the folder, CSV registers included.
func TestShippedPack_embedded(t *testing.T) {
	disk := loadShipped(t)
	p, err := LoadDirs(Dir{FS: data.FS, Path: ".", Name: "data"})
	if err != nil {
		t.Fatalf("LoadDirs(data.FS) = %v", err)
	}
	if got, want := len(p.Entries()), len(disk.Entries()); got != want {
		t.Errorf("embedded pack has %d entries, folder has %d", got, want)
	}
	r, _ := p.Register("kommuner-2024")
	if got, want := r.Path, "grunnlag/municipalities-2024.csv"; got != want || len(r.Areas) != 357 {
		t.Errorf("embedded register = %s with %d areas, want %s with 357", got, len(r.Areas), want)
	}
	d, _ := p.Document("nou-2018-14")
	if got, want := d.Origin.File, "grunnlag/documents.yaml"; got != want {
		t.Errorf("embedded origin file = %q, want %q", got, want)
	}
}

package analysis

import (
	"encoding/json"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/grunnlag/grunnlag/data"
	"github.com/grunnlag/grunnlag/internal/analysis/analysistest"
	"github.com/grunnlag/grunnlag/internal/catalog"
	"github.com/grunnlag/grunnlag/internal/store"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// shippedPack loads the repository's knowledge pack.
func shippedPack(tb testing.TB) *catalog.Pack {
	tb.Helper()
	p, err := catalog.LoadDirs(catalog.Dir{FS: data.FS, Path: ".", Name: "data"})
	if err != nil {
		tb.Fatalf("loading the shipped pack: %v", err)
	}
	return p
}

// dataOf returns the snapshots as the analysis reads them.
func dataOf(snaps ...*store.Snapshot) Data {
	d := Data{Snapshots: map[string]*store.Snapshot{}}
	for i, s := range snaps {
		s.ID = int64(i + 1)
		d.Snapshots[s.TableID] = s
	}
	return d
}

func mustIndicator(t *testing.T, r *Result, id string) *Indicator {
	t.Helper()
	ind, ok := r.Indicator(id)
	if !ok {
		t.Fatalf("indicator %s not in the result", id)
	}
	return ind
}

// TestAnalyze_appendixStatements computes the appendix's two statements
// from a constructed 12618 whose 2021 shares give 61.9 and 243.9: the
// figures of the appendix's year, set beside the newest year (2022), and
// held against the appendix's own readings.
func TestAnalyze_appendixStatements(t *testing.T) {
	r := Analyze(shippedPack(t), dataOf(analysistest.Constructed12618(analysistest.FetchedAt(0))))
	tests := []struct {
		id        string
		statement string // for 2021, as in the appendix
		newest    string // for 2022
		reference string
		check     string
		share     float64
		exact     float64
		codes     []string
	}{
		{
			id:        "sikkerhetspatcher-mangler",
			statement: "Mer enn 60 kommuner har ikke rutiner for installering av sikkerhetspatcher på systemer (2021).",
			newest:    "Mer enn 50 kommuner har ikke rutiner for installering av sikkerhetspatcher på systemer (2022).",
			reference: "I vedlegg E (2021): mer enn 60 kommuner; nyeste (2022): mer enn 50 kommuner.",
			check:     "Vedlegget skrev «mer enn 60 kommuner» for 2021; tabellens tall for 2021 gir 61,9 kommuner, som stemmer med vedlegget.",
			share:     17.4, exact: 17.4 / 100 * 356,
			codes: []string{"Patch", "2", "K"},
		},
		{
			id:        "penetrasjonstesting-mangler",
			statement: "Mer enn 240 kommuner har ikke rutinemessig penetrasjonstesting av interne systemer (2021).",
			newest:    "Mer enn 90 kommuner har ikke rutinemessig penetrasjonstesting av interne systemer (2022).",
			reference: "I vedlegg E (2021): mer enn 240 kommuner; nyeste (2022): mer enn 90 kommuner.",
			check:     "Vedlegget skrev «mer en 240 kommuner» for 2021; tabellens tall for 2021 gir 243,9 kommuner, som stemmer med vedlegget.",
			share:     68.5, exact: 68.5 / 100 * 356,
			codes: []string{"Pentest", "2", "K"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			ind := mustIndicator(t, r, tt.id)
			if ind.Status != OK {
				t.Fatalf("status %s: %s", ind.Status, ind.Problem)
			}
			if got := ind.ReferenceStatementText(); got != tt.statement {
				t.Errorf("ReferenceStatementText() = %q, want %q", got, tt.statement)
			}
			if got := ind.StatementText(); got != tt.newest {
				t.Errorf("StatementText() = %q, want %q", got, tt.newest)
			}
			if got := ReferenceLine(ind); got != tt.reference {
				t.Errorf("ReferenceLine() = %q, want %q", got, tt.reference)
			}
			if got := CheckText(ind); got != tt.check || !ind.Check.Known || !ind.Check.Holds {
				t.Errorf("CheckText() = %q (%+v), want %q", got, ind.Check, tt.check)
			}
			ref := ind.Reference
			if ref.Share != tt.share || ref.Year != "2021" || ind.Headline.Year != "2022" {
				t.Errorf("reference = %v %% in %s, headline in %s; want %v %% in 2021 and 2022", ref.Share, ref.Year, ind.Headline.Year, tt.share)
			}
			if ref.Estimate == nil || ref.Estimate.Exact != tt.exact || ref.Estimate.Base != 356 || ref.Estimate.Count.ID != "kommuner-2021" {
				t.Fatalf("estimate = %+v, want %v of 356 (kommuner-2021)", ref.Estimate, tt.exact)
			}
			var codes []string
			for _, d := range ind.Resolved {
				if d.Role == RoleSelect {
					codes = append(codes, d.Codes...)
				}
			}
			if diff := cmp.Diff(tt.codes, codes); diff != "" {
				t.Errorf("resolved codes mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestAnalyze_trendAndUnknown checks the trend over the years and the
// "vet ikke" share as its own indicator: its newest year with a value is
// 2021, because 2022 is missing in the table.
func TestAnalyze_trendAndUnknown(t *testing.T) {
	r := Analyze(shippedPack(t), dataOf(analysistest.Constructed12618(analysistest.FetchedAt(0))))
	ind := mustIndicator(t, r, "sikkerhetspatcher-vet-ikke")
	if ind.Def.KindOrDefault() != catalog.UnknownKind {
		t.Errorf("kind = %s, want ukjent", ind.Def.KindOrDefault())
	}
	if ind.Status != OK || ind.Headline.Year != "2021" || ind.Headline.Share != 3.1 || ind.Def.Appendix != nil || ind.Reference != nil {
		t.Fatalf("headline = %+v (%s), want 3.1 %% in 2021", ind.Headline, ind.Problem)
	}
	if got, want := ind.StatementText(), "Mer enn 10 kommuner vet ikke om de har rutiner for installering av sikkerhetspatcher (2021)."; got != want {
		t.Errorf("StatementText() = %q, want %q", got, want)
	}
	last := ind.Trend[len(ind.Trend)-1]
	if last.OK || last.Missing != "verdien mangler i tabellen (SSBs symbol «..»: tall mangler)" {
		t.Errorf("2022 = %+v, want missing with SSB's symbol", last)
	}

	patch := mustIndicator(t, r, "sikkerhetspatcher-mangler")
	first, lastOK, ok := patch.Change()
	if !ok || first.Year != "2020" || lastOK.Year != "2022" || first.Share != 19.1 || lastOK.Share != 15.2 {
		t.Errorf("Change() = %s %v, %s %v, %v; want 2020 19.1 and 2022 15.2", first.Year, first.Share, lastOK.Year, lastOK.Share, ok)
	}
	if prev, ok := patch.Previous(); !ok || prev.Year != "2021" {
		t.Errorf("Previous() = %s, %v; want 2021", prev.Year, ok)
	}
}

// TestAnalyze_sizeClasses converts the shares of size classes with the
// pack's counts of those classes, and says so when the pack has none.
func TestAnalyze_sizeClasses(t *testing.T) {
	r := Analyze(shippedPack(t), dataOf(analysistest.Constructed12041BySize(analysistest.FetchedAt(0))))
	ind := mustIndicator(t, r, "beredskapsovelse-mangler")
	if ind.Status != OK {
		t.Fatalf("status %s: %s", ind.Status, ind.Problem)
	}
	if h := ind.Headline; h.Year != "2024" || h.Share != 80 || h.Estimate.Base != 357 || h.Estimate.Phrase != "mer enn 280" {
		t.Errorf("headline = %s %v %% %+v, want 2024, 80 %% (complement of 20), mer enn 280 of 357", h.Year, h.Share, h.Estimate)
	}
	type class struct {
		Label  string
		Share  float64
		Count  string
		Base   int
		Phrase string
		Note   string
	}
	var got []class
	for _, p := range ind.Classes {
		c := class{Label: p.Class, Share: p.Share, Note: p.EstimateMissing}
		if e := p.Estimate; e != nil {
			c.Count, c.Base, c.Phrase = e.Count.ID, e.Base, e.Phrase
		}
		got = append(got, c)
	}
	want := []class{
		{"Under 5 000 innbyggere", 90, "kommuner-2024-under-5000", 174, "mer enn 150", ""},
		{"5 000-19 999 innbyggere", 77.5, "kommuner-2024-5000-19999", 117, "mer enn 90", ""},
		{"20 000 eller flere innbyggere", 60, "kommuner-2024-20000-plus", 66, "mer enn 30", ""},
		{"Konstruert klasse uten antall", 70, "", 0, "", "kunnskapspakken har ikke antallet kommuner i størrelsesklassen «Konstruert klasse uten antall» i 2024"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("size classes mismatch (-want +got):\n%s", diff)
	}
	if s := ind.Spread; s == nil || s.High.Class != "Under 5 000 innbyggere" || s.Low.Class != "20 000 eller flere innbyggere" || s.Diff != 30 {
		t.Errorf("Spread = %+v, want under 5 000 over 20 000 by 30 points", s)
	}
	var gaps []string
	for _, g := range r.Gaps() {
		if g.Ref.ID == "beredskapsovelse-mangler" {
			gaps = append(gaps, g.Message)
		}
	}
	if diff := cmp.Diff([]string{
		"Tallet for vedleggets år (2018) mangler: året 2018 finnes ikke i tabellen, som har 2019 og 2024.",
		"Antall mangler: kunnskapspakken har ikke antallet kommuner i størrelsesklassen «Konstruert klasse uten antall» i 2024.",
	}, gaps); diff != "" {
		t.Errorf("Gaps() for the indicator mismatch (-want +got):\n%s", diff)
	}
}

// TestAnalyze_missing shows a store without tables: every table is
// reported missing; the indicators the pack has published figures for use
// them, marked as such, and the others are missing, left out of the
// triangulation instead of counted.
func TestAnalyze_missing(t *testing.T) {
	p := shippedPack(t)
	r := Analyze(p, dataOf())
	for _, ind := range r.Indicators {
		published := len(p.PublishedFor(ind.Def.ID, ind.Def.Table)) > 0
		switch {
		case published:
			if ind.Status != OK || ind.SegmentOf(ind.Headline).Source != FromPublished || ind.Headline.Published == nil || ind.Snapshot != nil {
				t.Errorf("%s: status %s, headline %+v; want ok from a published figure", ind.Def.ID, ind.Status, ind.Headline)
			}
		case ind.Status != TableMissing || ind.Headline != nil || !strings.Contains(ind.Problem, "grunnlag sync "+ind.Def.Table):
			t.Errorf("%s: status %s, problem %q; want mangler-tabell with the sync command", ind.Def.ID, ind.Status, ind.Problem)
		}
	}
	gaps := r.Gaps()
	if got, want := len(gaps), len(p.Tables); got != want {
		t.Errorf("len(Gaps()) = %d, want one per table (%d): %+v", got, want, gaps)
	}
	for _, g := range gaps {
		if !g.Blocking || g.Ref.Kind != catalog.KindTable {
			t.Errorf("gap %+v, want a blocking table gap", g)
		}
	}
	for _, th := range r.Themes {
		for _, e := range th.Evidence {
			if e.Indicator != nil && e.Indicator.Headline == nil {
				t.Errorf("theme %s counts indicator %s without data", th.Theme.ID, e.Ref.ID)
			}
		}
		if len(th.LeftOut) == 0 {
			t.Errorf("theme %s: no indicators left out, want those without data", th.Theme.ID)
		}
	}
}

// TestAnalyze_published computes an indicator from the published figure
// when its table is not stored (the example: 100 − 63,9 = 36,1;
// 36,1 % × 422 ≈ 152,3; «mer enn 150»), and from the snapshot as soon as
// one is stored, even when it holds other figures.
func TestAnalyze_published(t *testing.T) {
	p := shippedPack(t)
	ind := mustIndicator(t, Analyze(p, dataOf()), "policy-mangler")
	h := ind.Headline
	if h == nil || h.Published == nil || h.Share != 36.1 || h.Estimate == nil || h.Estimate.Exact != 152.342 || h.Estimate.Phrase != "mer enn 150" {
		t.Fatalf("headline = %+v, want 36.1 %% from the published 63.9, 152.342, mer enn 150", h)
	}
	if got, want := ind.StatementText(), "Mer enn 150 kommuner hadde ikke en skriftlig informasjonssikkerhetspolicy forankret i ledelsen (2018)."; got != want {
		t.Errorf("StatementText() = %q, want %q", got, want)
	}
	if got, want := PublishedNote(h.Published), "publisert tall lest fra ssb.no, ikke hentet fra SSBs API"; got != want {
		t.Errorf("PublishedNote() = %q, want %q", got, want)
	}
	x := Explain(p, ind)
	if diff := cmp.Diff([]string{
		"100 − 63,9 = 36,1 (andelen som ikke har tiltaket)",
		"36,1\u00a0% × 422 ≈ 152,3",
		"152,3 rundet ned til hele tiere er 150 → «mer enn 150»",
	}, x.Points[0].Steps); diff != "" {
		t.Errorf("Explain steps mismatch (-want +got):\n%s", diff)
	}
	if c := x.Points[0].Count; !strings.Contains(c, "422 kommuner i 2018: kunnskapspakkens antall (avledet, grunnlag/counts.yaml:") {
		t.Errorf("Explain count = %q, want the count's pack reference", c)
	}

	// A stored snapshot takes precedence over the published figure.
	stored := mustIndicator(t, Analyze(p, dataOf(analysistest.Constructed12041BySize(analysistest.FetchedAt(0)))), "policy-mangler")
	if stored.Headline == nil || stored.Headline.Published != nil || stored.SegmentOf(stored.Headline).Source != FromSnapshot || stored.Headline.Year != "2024" {
		t.Errorf("with 12041 stored: headline %+v, want the snapshot's 2024", stored.Headline)
	}
}

// TestAnalyze_appendixCheck holds the appendix's readings against the
// figures: the published 25,0 % for county municipalities is not «under 25
// %», and a reading without the table stays unchecked.
func TestAnalyze_appendixCheck(t *testing.T) {
	p := shippedPack(t)
	r := Analyze(p, dataOf())
	fk := mustIndicator(t, r, "beredskapsovelse-fylkeskommuner")
	if c := fk.Check; c == nil || !c.Known || c.Holds || c.Value != 25 {
		t.Errorf("check = %+v, want known, not holding, 25", c)
	}
	if got, want := CheckText(fk), "Vedlegget skrev «under 25 %» for 2018; det publiserte tallet for fylkeskommunene for 2018 gir 25,0\u00a0%, som ikke stemmer med vedlegget."; got != want {
		t.Errorf("CheckText() = %q, want %q", got, want)
	}
	patch := mustIndicator(t, r, "sikkerhetspatcher-mangler")
	if c := patch.Check; c == nil || c.Known || !strings.Contains(CheckText(patch), "det kan ikke holdes mot tallene: tabell 12618 er ikke hentet, så tallet for 2021 er ukjent.") {
		t.Errorf("check without 12618 = %+v %q, want unknown", c, CheckText(patch))
	}
}

// TestAnalyze_successor runs policy-mangler across 12041 (2018) and its
// successor 14559 (2025), with the break between them, and leaves the
// change since the previous measurement to years of the same table.
func TestAnalyze_successor(t *testing.T) {
	p := shippedPack(t)
	succ := analysistest.Constructed14559(analysistest.FetchedAt(0))
	r := Analyze(p, dataOf(analysistest.Published12041(analysistest.FetchedAt(0)), succ))
	ind := mustIndicator(t, r, "policy-mangler")
	if ind.Status != OK || len(ind.Segments) != 2 || ind.Headline.Year != "2025" || ind.SegmentOf(ind.Headline).Reading.Table != "14559" {
		t.Fatalf("status %s (%s), headline %+v; want 2025 from 14559", ind.Status, ind.Problem, ind.Headline)
	}
	before, after, ok := ind.Break()
	if !ok || before.Year != "2018" || after.Year != "2025" {
		t.Errorf("Break() = %s, %s, %v; want 2018 and 2025", before.Year, after.Year, ok)
	}
	if _, _, ok := ind.Change(); ok {
		t.Error("Change() crosses the break, want no change within 14559's one year")
	}
	if got := BreakText(ind, before, after); !strings.HasPrefix(got, "Brudd i serien mellom 2018 og 2025: tabell 14559 avløste tabell 12041.") {
		t.Errorf("BreakText() = %q", got)
	}
	if ind.Reference == nil || ind.Reference.Year != "2018" || ind.Reference.Segment != 0 {
		t.Errorf("reference = %+v, want 2018 in 12041", ind.Reference)
	}
	// beredskapsovelse-mangler has no successor: 14559 does not ask.
	if b := mustIndicator(t, r, "beredskapsovelse-mangler"); len(b.Segments) != 1 || b.Headline.Year != "2018" {
		t.Errorf("beredskapsovelse-mangler: %d tables, headline %s; want 12041 only", len(b.Segments), b.Headline.Year)
	}
}

// TestAnalyze_englishLabels refuses a snapshot with SSB's English labels
// with a message that says what to do.
func TestAnalyze_englishLabels(t *testing.T) {
	snap := analysistest.Constructed12618(analysistest.FetchedAt(0))
	snap.Lang = "en"
	ind := mustIndicator(t, Analyze(shippedPack(t), dataOf(snap)), "sikkerhetspatcher-mangler")
	if ind.Status != Unresolved || !strings.Contains(ind.Problem, "engelske etiketter") || !strings.Contains(ind.Problem, "grunnlag sync 12618") {
		t.Errorf("status %s, problem %q; want refused with the command to fetch Norwegian labels", ind.Status, ind.Problem)
	}
}

// TestAnalyze_unresolved shows a definition that no longer fits the table
// (SSB renamed "Har ikke tiltaket"): the indicator says so with the labels
// the table has, and the others still compute.
func TestAnalyze_unresolved(t *testing.T) {
	snap := analysistest.Snapshot(analysistest.Spec{
		Table: "12618",
		Title: "Tiltak for IKT-sikkerheten med endrede statusnavn",
		Dims: []analysistest.Dim{
			{ID: "ContentsCode", Label: "statistikkvariabel", Cats: analysistest.Measures12618()},
			{ID: "StatusTiltak", Label: "status for tiltak", Cats: []string{"1=Ja", "2=Nei", "3=Vet ikke"}},
			analysistest.Levels(),
			{ID: "Tid", Label: "år", Cats: []string{"2021"}},
		},
	})
	r := Analyze(shippedPack(t), dataOf(snap))
	ind := mustIndicator(t, r, "sikkerhetspatcher-mangler")
	want := `Definisjonen select[1].category (pattern "(?i)^har ikke") passer ikke til noen kategori i dimensjonen «status for tiltak» (StatusTiltak). Tabellen har: «Ja» (1), «Nei» (2), «Vet ikke» (3).`
	if ind.Status != Unresolved || ind.Problem != want {
		t.Errorf("status %s, Problem = %q, want ikke-løst and %q", ind.Status, ind.Problem, want)
	}
	if vi := mustIndicator(t, r, "sikkerhetspatcher-vet-ikke"); vi.Status != OK {
		t.Errorf("sikkerhetspatcher-vet-ikke: status %s (%s), want ok", vi.Status, vi.Problem)
	}
}

// TestAnalyze_golden compares the summaries of the constructed test pack's
// indicators, computed from constructed snapshots, with
// testdata/summaries.golden.json. (The shipped pack is edited by people;
// its indicators are checked by the other tests.) Run with -update after a
// deliberate change.
func TestAnalyze_golden(t *testing.T) {
	p, err := catalog.LoadDirs(analysistest.Pack())
	if err != nil {
		t.Fatal(err)
	}
	r := Analyze(p, dataOf(analysistest.Constructed12618(analysistest.FetchedAt(0)), analysistest.Constructed12041BySize(analysistest.FetchedAt(0))))
	got, err := json.MarshalIndent(r.Summaries(), "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	path := filepath.Join("testdata", "summaries.golden.json")
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("summaries differ from %s (-want +got):\n%s", path, diff)
	}
}

func writeFile(t *testing.T, path, body string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

func packFS(t *testing.T) fs.FS { return data.FS }

func osDirFS(dir string) fs.FS { return os.DirFS(dir) }

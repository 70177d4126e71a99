package analysis

import (
	"encoding/json"
	"flag"
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
// from a constructed 12618 whose 2021 shares give 61.9 and 243.9.
func TestAnalyze_appendixStatements(t *testing.T) {
	r := Analyze(shippedPack(t), dataOf(analysistest.Constructed12618(analysistest.FetchedAt(0))))
	tests := []struct {
		id        string
		statement string
		share     float64
		exact     float64
		codes     []string
	}{
		{
			id:        "sikkerhetspatcher-mangler",
			statement: "Mer enn 60 kommuner har ikke rutiner for installering av sikkerhetspatcher på systemer (2021).",
			share:     17.4, exact: 17.4 / 100 * 356,
			codes: []string{"Patch", "2", "K"},
		},
		{
			id:        "penetrasjonstesting-mangler",
			statement: "Mer enn 240 kommuner har ikke rutinemessig penetrasjonstesting av interne systemer (2021).",
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
			if got := ind.StatementText(); got != tt.statement {
				t.Errorf("StatementText() = %q, want %q", got, tt.statement)
			}
			h := ind.Headline
			if h.Share != tt.share || h.Year != "2021" {
				t.Errorf("headline = %v %% in %s, want %v %% in 2021", h.Share, h.Year, tt.share)
			}
			if h.Estimate == nil || h.Estimate.Exact != tt.exact || h.Estimate.Base != 356 || h.Estimate.Count.ID != "kommuner-2021" {
				t.Fatalf("estimate = %+v, want %v of 356 (kommuner-2021)", h.Estimate, tt.exact)
			}
			if got := Number(h.Estimate.Exact, 1); got != map[string]string{"sikkerhetspatcher-mangler": "61,9", "penetrasjonstesting-mangler": "243,9"}[tt.id] {
				t.Errorf("exact to one decimal = %s", got)
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
	if ind.Status != OK || ind.Headline.Year != "2021" || ind.Headline.Share != 3.1 {
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
		{"Konstruert klasse uten antall", 70, "", 0, "", "kunnskapspakken har ikke antallet kommuner i størrelsesklassen «Konstruert klasse uten antall» i 2024 (counts.yaml)"},
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
	if diff := cmp.Diff([]string{"Antall mangler: kunnskapspakken har ikke antallet kommuner i størrelsesklassen «Konstruert klasse uten antall» i 2024 (counts.yaml)."}, gaps); diff != "" {
		t.Errorf("Gaps() for the indicator mismatch (-want +got):\n%s", diff)
	}
}

// TestAnalyze_missing shows a store without tables: every table and
// indicator is reported missing, nothing is computed, and the
// triangulation leaves the indicators out instead of counting them.
func TestAnalyze_missing(t *testing.T) {
	p := shippedPack(t)
	r := Analyze(p, dataOf())
	for _, ind := range r.Indicators {
		if ind.Status != TableMissing || ind.Headline != nil || !strings.Contains(ind.Problem, "grunnlag sync "+ind.Def.Table) {
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
			if e.Indicator != nil {
				t.Errorf("theme %s counts indicator %s without data", th.Theme.ID, e.Ref.ID)
			}
		}
		if len(th.LeftOut) == 0 {
			t.Errorf("theme %s: no indicators left out, want those without data", th.Theme.ID)
		}
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

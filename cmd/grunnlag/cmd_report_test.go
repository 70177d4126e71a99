package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/grunnlag/grunnlag/internal/analysis"
	"github.com/grunnlag/grunnlag/internal/analysis/analysistest"
	"github.com/grunnlag/grunnlag/internal/store"
	"github.com/grunnlag/grunnlag/internal/store/sqlstore"
)

// dbWith creates a SQLite database holding the snapshots and returns the
// environment that points the CLI at it.
func dbWith(t *testing.T, snaps ...*store.Snapshot) map[string]string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "g.db")
	st, err := sqlstore.Open(context.Background(), path, sqlstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for _, s := range snaps {
		if _, err := st.SaveSnapshot(context.Background(), s); err != nil {
			t.Fatal(err)
		}
	}
	// No Chromium in these tests: the PDF path is the report package's.
	return map[string]string{"GRUNNLAG_DB": path, "GRUNNLAG_CHROMIUM": filepath.Join(t.TempDir(), "ingen-chromium")}
}

func TestIndicatorsCommand(t *testing.T) {
	env := dbWith(t, analysistest.Constructed12618(analysistest.FetchedAt(0)))
	code, out, errOut := runCLI(t, env, "indicators", "--json")
	if code != 0 {
		t.Fatalf("indicators --json exit %d: %s", code, errOut)
	}
	var sums []analysis.Summary
	if err := json.Unmarshal([]byte(out), &sums); err != nil {
		t.Fatalf("indicators --json is not JSON: %v", err)
	}
	var patch *analysis.Summary
	for i := range sums {
		if sums[i].ID == "sikkerhetspatcher-mangler" {
			patch = &sums[i]
		}
	}
	if patch == nil || patch.AppendixStatement != "Mer enn 60 kommuner har ikke rutiner for installering av sikkerhetspatcher på systemer (2021)." ||
		patch.Appendix == nil || patch.Appendix.Count == nil || patch.Appendix.Count.Value != 61.944 ||
		patch.Statement != "Mer enn 50 kommuner har ikke rutiner for installering av sikkerhetspatcher på systemer (2022)." ||
		patch.AppendixCheck == nil || !patch.AppendixCheck.Holds ||
		patch.Source == nil || patch.Source.Updated == "" || len(patch.Source.Cells) != 1 || len(patch.Resolved) == 0 {
		t.Errorf("sikkerhetspatcher-mangler = %+v, want the newest statement, the appendix's (61.944) beside it, its source and codes", patch)
	}

	code, out, _ = runCLI(t, env, "indicators")
	for _, want := range []string{
		"Mer enn 90 kommuner har ikke rutinemessig penetrasjonstesting", // 2022
		"2021: 68,5",                              // the appendix's year beside it
		"Tabell 12617 er ikke hentet ennå",        // no snapshot, no published figure
		"36,1 % (publisert)",                      // 12041 from SSB's published figure
		"grunnlag indicators --explain INDIKATOR", // where the steps are
	} {
		if code != 0 || !strings.Contains(strings.ReplaceAll(out, "\u00a0", " "), want) {
			t.Errorf("indicators exit %d, output lacks %q:\n%s", code, want, out)
		}
	}
}

// TestIndicatorsExplain prints every step of a figure: with no table
// stored, policy-mangler comes from SSB's published 63,9 % for 2018.
func TestIndicatorsExplain(t *testing.T) {
	env := dbWith(t)
	code, out, errOut := runCLI(t, env, "indicators", "--explain", "policy-mangler")
	if code != 0 {
		t.Fatalf("indicators --explain exit %d: %s", code, errOut)
	}
	out = strings.ReplaceAll(out, "\u00a0", " ")
	for _, want := range []string{
		"Kommuner uten skriftlig informasjonssikkerhetspolicy forankret i ledelsen (policy-mangler)",
		"publisert tall lest fra ssb.no, ikke hentet fra SSBs API",
		"https://statbank.ssb.no/",
		"1. 100 − 63,9 = 36,1",
		"2. 36,1 % × 422 ≈ 152,3",
		"3. 152,3 rundet ned til hele tiere er 150 → «mer enn 150»",
		"422 kommuner i 2018: kunnskapspakkens antall (avledet, grunnlag/counts.yaml:",
		"Utsagnet: Mer enn 150 kommuner hadde ikke en skriftlig informasjonssikkerhetspolicy forankret i ledelsen (2018).",
		"Etterfølgeren, tabell 14559",
		"Styringsevne: støtter hypotesen når andelen er minst 10 %",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("--explain output lacks %q:\n%s", want, out)
		}
	}
	code, _, errOut = runCLI(t, env, "indicators", "--explain", "finnes-ikke")
	if code != 1 || !strings.Contains(errOut, "ingen indikator «finnes-ikke»") || !strings.Contains(errOut, "policy-mangler") {
		t.Errorf("--explain of an unknown id exit %d:\n%s", code, errOut)
	}
}

func TestReportCommand(t *testing.T) {
	env := dbWith(t, analysistest.All(analysistest.FetchedAt(0))...)
	dir := filepath.Join(t.TempDir(), "rapport")
	code, out, errOut := runCLI(t, env, "report", "--out", dir, "--format", "html,md,pdf")
	if code != 0 {
		t.Fatalf("report exit %d: %s", code, errOut)
	}
	for _, name := range []string{"rapport.html", "rapport.md", "rapport.json"} {
		if !strings.Contains(out, filepath.Join(dir, name)) {
			t.Errorf("stdout does not list %s:\n%s", name, out)
		}
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Error(err)
		}
	}
	// One line on what is missing, not a line per gap.
	if !strings.Contains(errOut, "PDF ble ikke laget") || !strings.Contains(errOut, "data mangler: 1 tabell er ikke hentet") || strings.Contains(errOut, "14559") {
		t.Errorf("stderr lacks the PDF message or the one-line summary:\n%s", errOut)
	}
	html, _ := os.ReadFile(filepath.Join(dir, "rapport.html"))
	if !strings.Contains(string(html), "Mer enn 60</data>") {
		t.Error("the report lacks the appendix's statement")
	}
	// --verbose gives the details.
	code, _, errOut = runCLI(t, env, "report", "--out", dir, "--format", "md", "--verbose")
	if code != 0 || !strings.Contains(errOut, "  - tabell 14559: Tabell 14559 er ikke hentet ennå.") {
		t.Errorf("report --verbose exit %d, stderr lacks the gap:\n%s", code, errOut)
	}
	// --site links every figure's footnote to the indicator's page.
	code, _, errOut = runCLI(t, env, "report", "--out", dir, "--format", "md", "--site", "https://grunnlag.example.no/")
	md, _ := os.ReadFile(filepath.Join(dir, "rapport.md"))
	if code != 0 || !strings.Contains(string(md), "[Utregningen steg for steg](https://grunnlag.example.no/indikatorer/sikkerhetspatcher-mangler)") {
		t.Errorf("report --site exit %d, the Markdown lacks the link to the indicator page:\n%s", code, errOut)
	}

	// --strict: the same report, but missing data and no PDF fail the run.
	code, _, errOut = runCLI(t, env, "report", "--out", dir, "--format", "html,pdf", "--strict")
	if code != 1 || !strings.Contains(errOut, "--strict: rapporten er skrevet, men data mangler og PDF-en mangler") {
		t.Errorf("report --strict exit %d, want 1:\n%s", code, errOut)
	}
	// Only a table that is not synced, no PDF asked for: --strict still fails.
	code, _, errOut = runCLI(t, env, "report", "--out", dir, "--format", "md", "--strict")
	if code != 1 || !strings.Contains(errOut, "--strict: rapporten er skrevet, men data mangler") {
		t.Errorf("report --strict with only 14559 missing exit %d, want 1:\n%s", code, errOut)
	}

	// --compare with the folder just written: nothing changed.
	code, out, errOut = runCLI(t, env, "report", "--out", filepath.Join(t.TempDir(), "ny"), "--format", "md", "--compare", dir)
	if code != 0 || !strings.Contains(out, "0 indikatorer er endret siden rapporten i "+dir) {
		t.Errorf("report --compare DIR exit %d:\n%s\n%s", code, out, errOut)
	}
	// --compare with a date before any fetch: every indicator is new data.
	code, out, errOut = runCLI(t, env, "report", "--out", filepath.Join(t.TempDir(), "dato"), "--format", "md", "--compare", "2025-01-31")
	if code != 0 || !strings.Contains(out, "18 indikatorer er endret siden datagrunnlaget per 2025-01-31") {
		t.Errorf("report --compare DATE exit %d:\n%s\n%s", code, out, errOut)
	}
	code, _, errOut = runCLI(t, env, "report", "--out", dir, "--compare", "i fjor")
	if code != 1 || !strings.Contains(errOut, "verken en mappe med en tidligere rapport eller en dato") {
		t.Errorf("report --compare junk exit %d:\n%s", code, errOut)
	}
	if code, _, _ := runCLI(t, env, "report"); code != 2 {
		t.Errorf("report without --out exit %d, want 2", code)
	}
	if code, _, errOut := runCLI(t, env, "report", "--out", dir, "--format", "docx"); code != 1 || !strings.Contains(errOut, "Ukjent format «docx»") {
		t.Errorf("report --format docx exit %d:\n%s", code, errOut)
	}
}

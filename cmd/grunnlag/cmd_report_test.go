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
	if patch == nil || patch.Statement != "Mer enn 60 kommuner har ikke rutiner for installering av sikkerhetspatcher på systemer (2021)." ||
		patch.Count == nil || patch.Count.Value != 61.944 || patch.Source == nil || patch.Source.Updated == "" || len(patch.Source.Cells) != 1 || len(patch.Resolved) == 0 {
		t.Errorf("sikkerhetspatcher-mangler = %+v, want the appendix's statement, 61.944, its source and codes", patch)
	}

	code, out, _ = runCLI(t, env, "indicators")
	if code != 0 || !strings.Contains(out, "Mer enn 240 kommuner har ikke rutinemessig penetrasjonstesting") || !strings.Contains(out, "Tabell 12041 er ikke hentet ennå") {
		t.Errorf("indicators exit %d, output lacks a statement or a missing table:\n%s", code, out)
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
	if !strings.Contains(errOut, "PDF ble ikke laget") || !strings.Contains(errOut, "table/14559") {
		t.Errorf("stderr lacks the PDF message or the missing table:\n%s", errOut)
	}
	html, _ := os.ReadFile(filepath.Join(dir, "rapport.html"))
	if !strings.Contains(string(html), "Mer enn 60</data>") {
		t.Error("the report lacks the appendix's statement")
	}

	// --strict: the same report, but missing data and no PDF fail the run.
	code, _, errOut = runCLI(t, env, "report", "--out", dir, "--format", "html,pdf", "--strict")
	if code != 1 || !strings.Contains(errOut, "--strict") {
		t.Errorf("report --strict exit %d, want 1:\n%s", code, errOut)
	}

	// --compare with the folder just written: nothing changed.
	code, out, errOut = runCLI(t, env, "report", "--out", filepath.Join(t.TempDir(), "ny"), "--format", "md", "--compare", dir)
	if code != 0 || !strings.Contains(out, "0 indikatorer er endret siden rapporten i "+dir) {
		t.Errorf("report --compare DIR exit %d:\n%s\n%s", code, out, errOut)
	}
	// --compare with a date before any fetch: every indicator is new data.
	code, out, errOut = runCLI(t, env, "report", "--out", filepath.Join(t.TempDir(), "dato"), "--format", "md", "--compare", "2025-01-31")
	if code != 0 || !strings.Contains(out, "16 indikatorer er endret siden datagrunnlaget per 2025-01-31") {
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

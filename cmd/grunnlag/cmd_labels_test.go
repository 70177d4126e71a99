package main

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/grunnlag/grunnlag/internal/analysis/analysistest"
	"github.com/grunnlag/grunnlag/internal/fixtures"
	"github.com/grunnlag/grunnlag/internal/pxweb/pxwebtest"
	"github.com/grunnlag/grunnlag/internal/store"
)

// serveSnapshot adds a constructed snapshot's JSON-stat to the fake PxWeb server.
func serveSnapshot(t *testing.T, srv *pxwebtest.Server, s *store.Snapshot) {
	t.Helper()
	tab, err := pxwebtest.ParseTable(s.TableID, s.Raw[0])
	if err != nil {
		t.Fatal(err)
	}
	srv.AddTable(tab)
}

// TestSyncLabelHealth syncs a constructed 12618 whose labels fit the
// shipped definitions, then a new version where SSB has reworded the
// status (constructed): the second sync lists the definitions that no
// longer fit, the nearest labels, and the YAML that fixes them.
func TestSyncLabelHealth(t *testing.T) {
	env := map[string]string{"GRUNNLAG_DB": filepath.Join(t.TempDir(), "g.db")}
	srv := pxwebtest.New()
	defer srv.Close()
	serveSnapshot(t, srv, analysistest.Constructed12618(analysistest.FetchedAt(0)))
	code, out, errOut := runCLI(t, env, "sync", "--base-url", srv.URL(), "12618")
	if code != 0 || !strings.Contains(out, "Etikettene: alle indikatordefinisjonene passer til de lagrede tabellene.") {
		t.Fatalf("first sync exit %d:\n%s\n%s", code, out, errOut)
	}

	renamed := analysistest.Snapshot(analysistest.Spec{
		Table:   "12618",
		Title:   "Tiltak for IKT-sikkerheten med endrede statusnavn",
		Updated: "2026-05-06T06:00:00Z",
		Dims: []analysistest.Dim{
			{ID: "ContentsCode", Label: "statistikkvariabel", Cats: analysistest.Measures12618()},
			{ID: "StatusTiltak", Label: "status for tiltak", Cats: []string{"1=Tiltaket er innført", "2=Tiltaket er ikke innført", "3=Vet ikke"}},
			analysistest.Levels(),
			{ID: "Tid", Label: "år", Cats: []string{"2020", "2021", "2022"}},
		},
	})
	srv2 := pxwebtest.New()
	defer srv2.Close()
	serveSnapshot(t, srv2, renamed)
	code, out, errOut = runCLI(t, env, "sync", "--base-url", srv2.URL(), "12618")
	if code != 0 {
		t.Fatalf("second sync exit %d:\n%s", code, errOut)
	}
	for _, want := range []string{
		"Etikettene: 2 indikatordefinisjoner passer ikke lenger til de lagrede tabellene.",
		"Indikatoren «Kommuner uten rutiner for installering av sikkerhetspatcher» (sikkerhetspatcher-mangler) passer ikke lenger til tabell 12618",
		"«Tiltaket er ikke innført» (kode 2)",
		"Denne rettelsen passer til tabellen.",
		"  - id: sikkerhetspatcher-mangler",
		"label: Tiltaket er ikke innført",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("second sync output lacks %q:\n%s", want, out)
		}
	}
}

// TestImportTableMismatch refuses a file whose own id names another table
// than --table, and stores it with --force.
func TestImportTableMismatch(t *testing.T) {
	b, err := fs.ReadFile(fixtures.FS, "pxweb/ssb-v2/13615/data-GET.json")
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "13615.json")
	if err := os.WriteFile(file, b, 0o644); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"GRUNNLAG_DB": filepath.Join(t.TempDir(), "g.db")}
	code, _, errOut := runCLI(t, env, "import", "--table", "12618", file)
	if code != 1 || !strings.Contains(errOut, "sier selv at den er tabell 13615, ikke 12618. Ingenting er lagret.") {
		t.Errorf("import --table 12618 of 13615 exit %d:\n%s", code, errOut)
	}
	if _, out, _ := runCLI(t, env, "tables"); strings.Contains(out, "12618") {
		t.Errorf("a refused import stored 12618:\n%s", out)
	}
	code, out, errOut := runCLI(t, env, "import", "--table", "12618", "--force", file)
	if code != 0 || !strings.Contains(out, "12618") {
		t.Errorf("import --table 12618 --force exit %d:\n%s\n%s", code, out, errOut)
	}
}

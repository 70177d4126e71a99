package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/grunnlag/grunnlag/internal/fixtures"
	"github.com/grunnlag/grunnlag/internal/pxweb/pxwebtest"
	"github.com/grunnlag/grunnlag/internal/store/sqlstore/pgtest"
)

// runCLI runs the command line as a user would, with its own output.
func runCLI(t *testing.T, env map[string]string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(context.Background(), args, environment{
		stdout: &out,
		stderr: &errb,
		getenv: func(k string) string { return env[k] },
	})
	return code, out.String(), errb.String()
}

// forEachBackend runs f against a fresh SQLite file and a fresh PostgreSQL
// database (skipped without a server, see pgtest): every command must behave
// the same on both.
func forEachBackend(t *testing.T, f func(t *testing.T, dsn string)) {
	t.Run("sqlite", func(t *testing.T) { f(t, filepath.Join(t.TempDir(), "g.db")) })
	t.Run("postgres", func(t *testing.T) { f(t, pgtest.FreshDSN(t)) })
}

func TestSyncTablesShow(t *testing.T) {
	forEachBackend(t, testSyncTablesShow)
}

func testSyncTablesShow(t *testing.T, db string) {
	srv := pxwebtest.New()
	defer srv.Close()
	rec, err := pxwebtest.FixtureTable("pxweb/ssb-v2/03024/data-POST.json")
	if err != nil {
		t.Fatal(err)
	}
	srv.AddTable(rec)
	// Constructed test data, not SSB figures.
	srv.AddTable(pxwebtest.ConstructedTable("99901", 3, 2, 4))
	env := map[string]string{"GRUNNLAG_DB": db}

	code, out, errOut := runCLI(t, env, "sync", "--base-url", srv.URL(), "03024", "99901")
	if code != 0 {
		t.Fatalf("sync exit %d, stderr:\n%s", code, errOut)
	}
	if !strings.Contains(out, "2 tabeller: 2 nye versjoner, 0 uendret, 0 feilet") {
		t.Errorf("sync stdout = %q, want the summary", out)
	}

	code, out, errOut = runCLI(t, env, "tables", "--json")
	if code != 0 {
		t.Fatalf("tables exit %d: %s", code, errOut)
	}
	var tables []tableEntry
	if err := json.Unmarshal([]byte(out), &tables); err != nil {
		t.Fatalf("tables --json is not JSON: %v\n%s", err, out)
	}
	if len(tables) != 2 || tables[0].ID != "03024" || tables[0].Cells != 172 || tables[0].Snapshots != 1 || len(tables[0].SHA256) != 64 {
		t.Errorf("tables --json = %+v, want 03024 with 172 cells, 1 snapshot, and 99901", tables)
	}
	if tables[0].Updated != "2025-10-29T07:00:00Z" || !strings.Contains(tables[0].Source, "/tables/03024/data") || tables[0].FetchedAt.IsZero() {
		t.Errorf("tables --json provenance = %+v", tables[0])
	}

	code, out, _ = runCLI(t, env, "show", "03024")
	if code != 0 || !strings.Contains(out, "Export of salmon") || !strings.Contains(out, "125,36") {
		t.Errorf("show 03024 exit %d, output lacks the title or the Norwegian-formatted 125,36:\n%s", code, out)
	}

	code, out, _ = runCLI(t, env, "show", "--json", "03024")
	if code != 0 {
		t.Fatalf("show --json exit %d", code)
	}
	var doc showDoc
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Dimensions) != 3 || len(doc.Cells) != 172 {
		t.Fatalf("show --json: %d dimensions, %d cells; want 3 and 172", len(doc.Dimensions), len(doc.Cells))
	}
	last := doc.Cells[171]
	if strings.Join(last.Codes, ",") != "02,Kilopris,2025U43" || last.Value == nil || *last.Value != 74.86 {
		t.Errorf("show --json last cell = %+v, want {02, Kilopris, 2025U43} = 74.86", last)
	}

	// A table SSB does not have: exit 1, the table and the cause on stderr,
	// and the other table still synced (unchanged).
	code, out, errOut = runCLI(t, env, "sync", "--base-url", srv.URL(), "99999", "03024")
	if code != 1 {
		t.Errorf("sync of unknown table exit %d, want 1", code)
	}
	for _, want := range []string{"tabell 99999 ble ikke lagret", "Statistikkserveren har ingen tabell 99999", "Sjekk tabellnummeret", "Ingen versjon av tabellen er lagret ennå"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr = %q, want %q: what failed, why, what is kept and what to do", errOut, want)
		}
	}
	if !strings.Contains(out, "1 uendret, 1 feilet") {
		t.Errorf("stdout = %q, want one unchanged and one failed", out)
	}
}

func TestImportCommand(t *testing.T) {
	forEachBackend(t, testImportCommand)
}

func testImportCommand(t *testing.T, db string) {
	b, err := fs.ReadFile(fixtures.FS, "pxweb/ssb-v2/13615/data-GET.json")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "13615.json")
	if err := os.WriteFile(file, b, 0o644); err != nil {
		t.Fatal(err)
	}
	broken := filepath.Join(dir, "broken.json")
	if err := os.WriteFile(broken, b[:len(b)-40], 0o644); err != nil {
		t.Fatal(err)
	}

	code, out, errOut := runCLI(t, nil, "--db", db, "import", file)
	if code != 0 || !strings.Contains(out, "13615") {
		t.Fatalf("import exit %d\nstdout: %s\nstderr: %s", code, out, errOut)
	}
	code, _, errOut = runCLI(t, nil, "import", "--db", db, broken)
	if code != 1 || !strings.Contains(errOut, broken) || !strings.Contains(errOut, "Ingenting er endret") {
		t.Errorf("import of broken file exit %d, stderr %q; want 1 naming the file, the problem and what is kept", code, errOut)
	}
	code, _, errOut = runCLI(t, nil, "--db", db, "--verbose", "import", broken)
	if code != 1 || !strings.Contains(errOut, "unexpected end of input") {
		t.Errorf("import --verbose of broken file: stderr %q; want the technical detail too", errOut)
	}
	code, out, _ = runCLI(t, nil, "--db", db, "tables")
	if table, _, _ := strings.Cut(out, "\n\n"); code != 0 || !strings.Contains(table, "13615") || strings.Count(table, "\n") != 1 {
		t.Errorf("tables after a good and a broken import:\n%s", out)
	}
}

func TestUsage(t *testing.T) {
	tests := []struct {
		args []string
		code int
		want string
	}{
		{nil, 2, "Bruk: grunnlag"},
		{[]string{"help"}, 0, "Kommandoer:"},
		{[]string{"nosuch"}, 2, `ukjent kommando "nosuch"`},
		{[]string{"show"}, 2, "oppgi én tabell"},
		{[]string{"show", "12;3"}, 1, "«12;3» er ikke en tabell-ID"},
		{[]string{"sync", "--nosuch"}, 2, "grunnlag sync: ukjent valg «-nosuch»"},
		{[]string{"sync", "--nosuch"}, 2, "Bruk: grunnlag sync"},
		{[]string{"sync", "--timeout", "lenge"}, 2, "ugyldig verdi lenge for valget «-timeout»"},
		{[]string{"sync", "--timeout", "lenge"}, 2, "--timeout VARIGHET"},
		{[]string{"sync", "--base-url"}, 2, "valget «-base-url» mangler en verdi"},
		{[]string{"--nosuch", "tables"}, 2, "grunnlag: ukjent valg «-nosuch»"},
		{[]string{"import"}, 2, "oppgi minst én fil"},
		{[]string{"sync", "--base-url", "data.ssb.no/api/pxwebapi/v2"}, 2, `--base-url: Adressen til statistikkserveren må være en full http- eller https-adresse`},
		{[]string{"serve", "--base-url", "ftp://x"}, 2, "må være en full http- eller https-adresse"},
		{[]string{"sync", "--base-url", "http://user:hemmelig@127.0.0.1:1/api"}, 2, "kan ikke inneholde brukernavn eller passord"},
		{[]string{"sync", "--lang", "en"}, 2, "--lang en støttes ikke: indikatorene og rapporten leser SSBs norske etiketter"},
		{[]string{"serve", "--lang", "en"}, 2, "--lang en støttes ikke"},
		{[]string{"report", "--out", "x", "--site", "grunnlag.example.no"}, 1, "--site grunnlag.example.no er ikke en full adresse"},
		{[]string{"serve", "--max-view-cells", "0"}, 2, "--max-view-cells og --cache-mb må være større enn 0"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			code, _, errOut := runCLI(t, map[string]string{"GRUNNLAG_DB": filepath.Join(t.TempDir(), "g.db")}, tt.args...)
			if code != tt.code || !strings.Contains(errOut, tt.want) {
				t.Errorf("grunnlag %v = exit %d, stderr %q; want %d containing %q", tt.args, code, errOut, tt.code, tt.want)
			}
			if strings.Contains(errOut, "hemmelig") {
				t.Errorf("grunnlag %v repeats the password: %q", tt.args, errOut)
			}
		})
	}
}

// TestNorwegianFlagErrors checks that no flag error or usage reaches the
// user in the flag package's English.
func TestNorwegianFlagErrors(t *testing.T) {
	for _, args := range [][]string{{"sync", "--nosuch"}, {"serve", "--addr"}, {"tables", "--json=kanskje"}, {"--db"}} {
		_, _, errOut := runCLI(t, map[string]string{"GRUNNLAG_DB": filepath.Join(t.TempDir(), "g.db")}, args...)
		for _, english := range []string{"flag provided", "needs an argument", "invalid", "default", "Usage", "string\n", "duration\n"} {
			if strings.Contains(errOut, english) {
				t.Errorf("grunnlag %v: stderr has English %q:\n%s", args, english, errOut)
			}
		}
	}
}

func TestVersion(t *testing.T) {
	for _, args := range [][]string{{"--version"}, {"version"}, {"-version"}} {
		code, out, _ := runCLI(t, nil, args...)
		if code != 0 || strings.TrimSpace(out) != "grunnlag "+version {
			t.Errorf("grunnlag %v = exit %d, %q; want 0, %q", args, code, out, "grunnlag "+version)
		}
	}
}

// TestShowNotStored checks that show suggests syncing only an id SSB
// could have.
func TestShowNotStored(t *testing.T) {
	env := map[string]string{"GRUNNLAG_DB": filepath.Join(t.TempDir(), "g.db")}
	code, _, errOut := runCLI(t, env, "show", "abc")
	if code != 1 || strings.Contains(errOut, "grunnlag sync abc") || !strings.Contains(errOut, "grunnlag tables") {
		t.Errorf("show abc = exit %d, %q; want 1, no «grunnlag sync abc», a pointer to «grunnlag tables»", code, errOut)
	}
	code, _, errOut = runCLI(t, env, "show", "99999")
	if code != 1 || !strings.Contains(errOut, "grunnlag sync 99999") {
		t.Errorf("show 99999 = exit %d, %q; want the sync suggested", code, errOut)
	}
}

func TestImportMissingFile(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "finnes-ikke.json")
	code, _, errOut := runCLI(t, map[string]string{"GRUNNLAG_DB": filepath.Join(t.TempDir(), "g.db")}, "import", missing)
	for _, want := range []string{"filen " + missing + " ble ikke lagret", "Fant ikke filen", "Sjekk navnet og mappen", "Ingenting er endret"} {
		if code != 1 || !strings.Contains(errOut, want) {
			t.Errorf("import of a missing file = exit %d, %q; want %q", code, errOut, want)
		}
	}
}

package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writePack writes a pack folder with the given files (constructed test data).
func writePack(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestCheckBuiltinPack(t *testing.T) {
	code, out, errOut := runCLI(t, nil, "check")
	if code != 0 {
		t.Fatalf("check of the built-in pack exit %d:\n%s%s", code, out, errOut)
	}
	if !strings.Contains(out, "Kunnskapspakken er i orden: 36 dokumenter") || !strings.Contains(out, "9 behov") {
		t.Errorf("check output = %q, want the counts", out)
	}
}

func TestCheckRegionalPack(t *testing.T) {
	dir := writePack(t, map[string]string{
		"pack.yaml": "pack:\n  name: vestland\n",
		"documents.yaml": `documents:
  - id: nou-2018-14
    kind: nou
    as_written: "NOU 2018:14 IKT-sikkerhet i alle ledd."
    identifier: "NOU 2018:14"
    title: "IKT-sikkerhet i alle ledd (regional merknad)"
    source: {ref: vedlegg-e, at: "test"}
`,
	})
	code, out, errOut := runCLI(t, nil, "check", "--pack", dir)
	if code != 0 {
		t.Fatalf("check exit %d:\n%s%s", code, out, errOut)
	}
	if !strings.Contains(out, "Pakke: vestland") || !strings.Contains(out, "Overstyrt: document/nou-2018-14") {
		t.Errorf("check output = %q, want the regional pack and its override", out)
	}

	code, out, _ = runCLI(t, nil, "sources", "--json", "--pack", dir)
	if code != 0 {
		t.Fatalf("sources exit %d", code)
	}
	var docs []sourceEntry
	if err := json.Unmarshal([]byte(out), &docs); err != nil {
		t.Fatal(err)
	}
	if len(docs) != 36 {
		t.Errorf("sources: %d documents, want 36", len(docs))
	}
	for _, d := range docs {
		if d.ID == "nou-2018-14" && (d.Pack != "vestland" || !strings.Contains(d.Title, "regional")) {
			t.Errorf("overridden document = %+v, want it from pack vestland", d)
		}
		if d.ID == "nou-2015-13" && d.Pack != "grunnlag" {
			t.Errorf("base document pack = %q, want grunnlag", d.Pack)
		}
	}
}

func TestCheckReportsEveryProblem(t *testing.T) {
	dir := writePack(t, map[string]string{
		"pack.yaml": "pack:\n  name: feil\n",
		"documents.yaml": `documents:
  - id: ny-rapport
    kind: nosuchkind
    as_written: "En rapport"
    source: {ref: vedlegg-e}
    colour: red
  - id: ny-rapport-2
    as_written: "En annen"
    source: {ref: vedlegg-e}
`,
	})
	code, out, errOut := runCLI(t, nil, "check", "--pack", dir)
	if code != 1 {
		t.Fatalf("check of a broken pack exit %d, want 1", code)
	}
	file := "feil/documents.yaml" // named by the pack, not the folder
	for _, want := range []string{
		file + ":3: kind: ",
		file + ":6: colour: ",
		file + ":7: kind: ",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("check output lacks %q:\n%s", want, out)
		}
	}
	if !strings.Contains(errOut, "feil i kunnskapspakken") {
		t.Errorf("stderr = %q", errOut)
	}
}

func TestEditedBasePackReplacesBuiltin(t *testing.T) {
	// --pack pointing at a copy of the base pack (same pack name) replaces
	// the built-in copy instead of overriding all of it.
	abs, err := filepath.Abs("../../data")
	if err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCLI(t, nil, "check", "--pack", abs)
	if code != 0 {
		t.Fatalf("check --pack data exit %d: %s%s", code, out, errOut)
	}
	if strings.Contains(out, "Overstyrt") || strings.Count(out, "Pakke:") != 1 || !strings.Contains(out, "Pakke: grunnlag ("+abs+")") {
		t.Errorf("check --pack data = %q, want the on-disk pack alone", out)
	}
}

func TestSearchUsesTheStoredPack(t *testing.T) {
	forEachBackend(t, testSearchUsesTheStoredPack)
}

// testSearchUsesTheStoredPack searches before and after the pack is stored:
// before, search says once that the database has no pack and searches the
// one it loaded (and writes nothing); after `pack load`, it searches the
// database silently.
func testSearchUsesTheStoredPack(t *testing.T, db string) {
	env := map[string]string{"GRUNNLAG_DB": db}
	if code, _, errOut := runCLI(t, env, "migrate"); code != 0 {
		t.Fatalf("migrate exit %d: %s", code, errOut)
	}
	code, out, errOut := runCLI(t, env, "search", "--json", "patch")
	if code != 0 {
		t.Fatalf("search exit %d: %s", code, errOut)
	}
	if strings.Count(errOut, "\n") != 1 || !strings.Contains(errOut, "ingen kunnskapspakke lagret") {
		t.Errorf("search before the pack is stored: stderr %q, want one line saying so", errOut)
	}
	var hits []searchHit
	if err := json.Unmarshal([]byte(out), &hits); err != nil {
		t.Fatal(err)
	}
	if len(hits) == 0 || hits[0].ID != "sikkerhetspatcher-mangler" || hits[0].Pack != "grunnlag" {
		t.Errorf("search patch = %+v, want the patch indicator first", hits)
	}

	if code, out, errOut := runCLI(t, env, "pack", "load"); code != 0 || !strings.Contains(out, "er lagret i databasen") {
		t.Fatalf("pack load exit %d: %s%s", code, out, errOut)
	}
	code, out, errOut = runCLI(t, env, "search", "beredskapsøvelser")
	if code != 0 || !strings.Contains(out, "finding/") {
		t.Errorf("search beredskapsøvelser exit %d: %s", code, out)
	}
	if errOut != "" {
		t.Errorf("search with the pack stored: stderr %q, want nothing", errOut)
	}
	code, out, _ = runCLI(t, env, "search", "zzzqqq")
	if code != 0 || !strings.Contains(out, "Ingen treff") {
		t.Errorf("search without hits exit %d: %q", code, out)
	}
}

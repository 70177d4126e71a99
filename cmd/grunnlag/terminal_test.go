package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/grunnlag/grunnlag/internal/pxweb/pxwebtest"
)

// hostileTable is constructed test data, not SSB's: a JSON-stat 2.0 table
// whose title, dimension labels and category labels hold terminal escapes
// (set the window title, clear the screen, colour, an 8-bit CSI and a
// bidi override).
const hostileTable = `{"version":"2.0","class":"dataset",
 "label":"99950: Konstruerte testdata \u001b]0;pwned\u0007 \u001b[2J",
 "source":"Konstruerte testdata","updated":"2025-01-01T00:00:00Z",
 "id":["Region","Tid"],"size":[2,2],
 "dimension":{
  "Region":{"label":"region\u009b2J","category":{"index":{"0301":0,"1103":1},"label":{"0301":"Oslo\u001b[31m","1103":"Stavanger\u202e"}}},
  "Tid":{"label":"år\r","category":{"index":{"2024":0,"2025":1},"label":{"2024":"2024","2025":"2025"}}}},
 "role":{"time":["Tid"],"geo":["Region"]},
 "extension":{"px":{"tableid":"99950"}},
 "value":[1,2,3,4]}`

// checkNoEscapes fails when out holds a character a terminal would obey.
func checkNoEscapes(t *testing.T, what, out string) {
	t.Helper()
	for _, bad := range []string{"\x1b", "\x07", "\r", "\u009b", "\u202e"} {
		if strings.Contains(out, bad) {
			t.Errorf("%s writes %q raw:\n%q", what, bad, out)
		}
	}
}

// TestTerminalEscapesInLabels: labels with terminal escapes, from an
// imported file and from a PxWeb server, reach the terminal as visible
// text in import, sync, tables and show, and in the error of a file
// whose name holds one.
func TestTerminalEscapesInLabels(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"GRUNNLAG_DB": filepath.Join(dir, "g.db")}
	file := filepath.Join(dir, "hostile.json")
	if err := os.WriteFile(file, []byte(hostileTable), 0o644); err != nil {
		t.Fatal(err)
	}
	broken := filepath.Join(dir, "broken\x1b]0;pwned\x07.json")
	if err := os.WriteFile(broken, []byte(`{"version":"2.0"`), 0o644); err != nil {
		t.Fatal(err)
	}

	code, out, errOut := runCLI(t, env, "import", file, broken)
	if code != 1 || !strings.Contains(out, "99950") {
		t.Fatalf("import exit %d, want 1 (one broken file)\nstdout: %q\nstderr: %q", code, out, errOut)
	}
	checkNoEscapes(t, "import (stdout)", out)
	checkNoEscapes(t, "import (stderr)", errOut)

	for _, args := range [][]string{{"tables"}, {"tables", "--json"}, {"show", "99950"}, {"show", "--json", "99950"}} {
		code, out, errOut := runCLI(t, env, args...)
		if code != 0 {
			t.Fatalf("%v exit %d: %s", args, code, errOut)
		}
		checkNoEscapes(t, strings.Join(args, " "), out+errOut)
	}
	_, out, _ = runCLI(t, env, "show", "99950")
	if !strings.Contains(out, `Oslo\u001b[31m`) {
		t.Errorf("show 99950 does not show the escape as text:\n%s", out)
	}

	srv := pxwebtest.New()
	defer srv.Close()
	tbl, err := pxwebtest.ParseTable("99951", []byte(strings.ReplaceAll(hostileTable, "99950", "99951")))
	if err != nil {
		t.Fatal(err)
	}
	srv.AddTable(tbl)
	code, out, errOut = runCLI(t, env, "sync", "--base-url", srv.URL(), "99951")
	if code != 0 {
		t.Fatalf("sync exit %d: %s", code, errOut)
	}
	checkNoEscapes(t, "sync", out+errOut)
}

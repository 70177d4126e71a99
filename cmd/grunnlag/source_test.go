package main

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/grunnlag/grunnlag/internal/fixtures"
)

// TestImportedPathNotShown: tables and show name an imported file by its
// name only, not by the folder it was imported from.
func TestImportedPathNotShown(t *testing.T) {
	b, err := fs.ReadFile(fixtures.FS, "pxweb/ssb-v2/13615/data-GET.json")
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "privat-mappe")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "13615.json")
	if err := os.WriteFile(file, b, 0o644); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"GRUNNLAG_DB": filepath.Join(t.TempDir(), "g.db")}
	if code, _, errOut := runCLI(t, env, "import", file); code != 0 {
		t.Fatalf("import exit %d: %s", code, errOut)
	}
	for _, args := range [][]string{{"tables"}, {"tables", "--json"}, {"show", "13615"}, {"show", "--json", "13615"}} {
		code, out, errOut := runCLI(t, env, args...)
		if code != 0 {
			t.Fatalf("%v exit %d: %s", args, code, errOut)
		}
		if strings.Contains(out, "privat-mappe") {
			t.Errorf("%v shows the folder of the imported file:\n%s", args, out)
		}
		if args[0] == "show" && !strings.Contains(out, "13615.json") {
			t.Errorf("%v does not name the imported file:\n%s", args, out)
		}
	}
}

package main

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/grunnlag/grunnlag/internal/fixtures"
	"github.com/grunnlag/grunnlag/internal/usertext"
)

// TestCLIUserText scans what the commands print for people for the
// internals internal/usertext lists (machine paths, the built-in pack's
// name, field names, notes, raw timestamps, raw API addresses).
func TestCLIUserText(t *testing.T) {
	b, err := fs.ReadFile(fixtures.FS, "pxweb/ssb-v2/13615/data-GET.json")
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "13615.json")
	if err := os.WriteFile(file, b, 0o644); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"GRUNNLAG_DB": filepath.Join(t.TempDir(), "g.db")}
	if code, _, errOut := runCLI(t, env, "import", file); code != 0 {
		t.Fatalf("import: %s", errOut)
	}
	for _, args := range [][]string{
		{"tables"}, {"show", "13615"}, {"sources"}, {"search", "patch"}, {"search", "ROS"}, {"indicators"},
		{"check"}, {"help"}, {"show", "abc"}, {"show", "99999"}, {"sync", "--nosuch"}, {"import", "finnes-ikke.json"},
	} {
		_, out, errOut := runCLI(t, env, args...)
		// The file given on the command line is the user's own; it may
		// be named back.
		text := strings.ReplaceAll(out+errOut, file, "FIL")
		// Log lines (time=… level=…) are for operators, not people.
		var lines []string
		for _, l := range strings.Split(text, "\n") {
			if !strings.HasPrefix(l, "time=") {
				lines = append(lines, l)
			}
		}
		text = strings.Join(lines, "\n")
		for _, p := range usertext.Problems(text) {
			t.Errorf("grunnlag %s: %s", strings.Join(args, " "), p)
		}
	}
}

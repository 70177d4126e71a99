package catalog

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/grunnlag/grunnlag/internal/fault"
)

// shippedPack is the repository's own knowledge pack.
const shippedPack = "../../data"

// writeDir writes files (name → content) into a new temporary directory
// and returns it. Everything written by tests is constructed test data.
func writeDir(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// problemsOf returns the problems of err as strings, with the pack name a
// folder without a pack section gets (the folder's base name) replaced by
// "DIR", so expected messages do not depend on the temporary path. It fails
// the test if err is not a fault.Invalid wrapping Problems.
func problemsOf(t *testing.T, err error, dir string) []string {
	t.Helper()
	if err == nil {
		t.Fatal("got no error, want problems")
	}
	if k := fault.KindOf(err); k != fault.Invalid {
		t.Fatalf("error kind = %v, want invalid (%v)", k, err)
	}
	var ps Problems
	if !errors.As(err, &ps) {
		t.Fatalf("error %v does not wrap Problems", err)
	}
	out := make([]string, len(ps))
	for i, p := range ps {
		if rest, ok := strings.CutPrefix(p.File, filepath.Base(dir)+"/"); ok {
			p.File = "DIR/" + rest
		} else if rel, err := filepath.Rel(dir, p.File); err == nil && p.File != "" {
			p.File = filepath.Join("DIR", rel)
		}
		msg := strings.ReplaceAll(p.String(), dir, "DIR")
		out[i] = strings.ReplaceAll(msg, " "+filepath.Base(dir)+"/", " DIR/")
	}
	return out
}

// loadShipped loads the shipped pack or fails the test with every problem.
func loadShipped(tb testing.TB) *Pack {
	tb.Helper()
	p, err := Load(shippedPack)
	if err != nil {
		tb.Fatalf("Load(%s) failed:\n%v", shippedPack, err)
	}
	return p
}

package main

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/grunnlag/grunnlag/internal/pxweb/pxwebtest"
	"github.com/grunnlag/grunnlag/internal/store/sqlstore/pgtest"
)

// TestMoveToPostgres moves a deployment from SQLite to PostgreSQL with
// `grunnlag copy` and checks that both answer the same.
func TestMoveToPostgres(t *testing.T) {
	pg := pgtest.FreshDSN(t)
	lite := filepath.Join(t.TempDir(), "g.db")
	srv := pxwebtest.New()
	defer srv.Close()
	// Constructed test data, not SSB figures.
	srv.AddTable(pxwebtest.ConstructedTable("99901", 3, 2, 4))
	if code, _, errOut := runCLI(t, nil, "--db", lite, "sync", "--base-url", srv.URL(), "99901"); code != 0 {
		t.Fatalf("sync: %s", errOut)
	}
	srv.SetUpdated("99901", "2031-01-01T07:00:00Z")
	if code, _, errOut := runCLI(t, nil, "--db", lite, "sync", "--base-url", srv.URL(), "99901"); code != 0 {
		t.Fatalf("second sync: %s", errOut)
	}
	if code, _, errOut := runCLI(t, nil, "--db", lite, "search", "patch"); code != 0 {
		t.Fatalf("search (loads the pack): %s", errOut)
	}

	code, out, errOut := runCLI(t, nil, "copy", "--from", lite, "--to", pg)
	if code != 0 {
		t.Fatalf("copy exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, "2 nye versjoner") {
		t.Errorf("copy output = %q, want 2 new versions", out)
	}
	// Scores of search hits differ between the engines (bm25 and ts_rank),
	// and so may the order within a tier; the hits themselves must not, so
	// search is compared as sorted text lines.
	for _, args := range [][]string{{"tables", "--json"}, {"show", "--json", "99901"}, {"search", "øvelser"}} {
		_, a, _ := runCLI(t, nil, append([]string{"--db", lite}, args...)...)
		_, b, _ := runCLI(t, nil, append([]string{"--db", pg}, args...)...)
		if args[0] == "search" {
			a, b = sortedLines(a), sortedLines(b)
		}
		if a != b || a == "" {
			t.Errorf("%v differs after copy:\nsqlite:   %.300s\npostgres: %.300s", args, a, b)
		}
	}
	code, out, _ = runCLI(t, nil, "--db", pg, "migrate")
	if code != 0 || !strings.Contains(out, "skjemaversjon") || strings.Contains(out, "password") {
		t.Errorf("migrate = %d %q", code, out)
	}
	// Copying again adds nothing.
	code, out, _ = runCLI(t, nil, "copy", "--from", lite, "--to", pg)
	if code != 0 || !strings.Contains(out, "0 nye versjoner") {
		t.Errorf("second copy = %d %q, want nothing new", code, out)
	}
}

func sortedLines(s string) string {
	lines := strings.Split(s, "\n")
	slices.Sort(lines)
	return strings.Join(lines, "\n")
}

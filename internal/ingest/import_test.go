package ingest_test

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/grunnlag/grunnlag/internal/fault"
	"github.com/grunnlag/grunnlag/internal/fixtures"
	"github.com/grunnlag/grunnlag/internal/ingest"
	"github.com/grunnlag/grunnlag/internal/store"
)

// fixtureFile copies a recorded fixture to a file, as a user's download.
func fixtureFile(t *testing.T, name string) string {
	t.Helper()
	b, err := fs.ReadFile(fixtures.FS, name)
	if err != nil {
		t.Fatal(err)
	}
	return writeFile(t, filepath.Base(filepath.Dir(name))+"-"+filepath.Base(name), b)
}

func writeFile(t *testing.T, name string, b []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestImportFixtures(t *testing.T) {
	tests := []struct {
		file   string
		table  string // --table, for files that do not name their table
		want   []string
		cells  []int
		prefix string // start of the stored title
	}{
		{file: "pxweb/ssb-v2/03024/data-POST.json", want: []string{"03024"}, cells: []int{172}, prefix: "Export of salmon"},
		{file: "pxweb/ssb-v2/09654/data-GET.json", want: []string{"09654"}},
		{file: "pxweb/ssb-v2/13615/data-GET.json", want: []string{"13615"}, cells: []int{100}},
		{file: "pxweb/scb-v2/TAB5974/data-POST.json", want: []string{"TAB5974"}, cells: []int{2}},
		{file: "pxweb/scb-v2/TAB638/data-POST.json", want: []string{"TAB638"}, cells: []int{1}},
		{file: "pxweb/scb-v2/TAB6471/data.json", want: []string{"TAB6471"}, cells: []int{2772}},
		{file: "pxweb/ssb-v1/jsonstat1-earnings-fishfarming.json", table: "99950", want: []string{"99950"}, cells: []int{1260}},
		{file: "pxweb/scb-v1/BefolkningNy/data-jsonstat1-POST.json", want: []string{"TAB638"}},
		{file: "pxweb/scb-v1/BefolkningNy/data-pxjson-en-POST.json", table: "99952", want: []string{"99952"}},
		{file: "jsonstat/order.json", table: "99953", want: []string{"99953"}, cells: []int{24}},
		{file: "jsonstat/oecd.json", table: "99954", want: []string{"99954"}},
		{file: "jsonstat/canada.json", table: "99955", want: []string{"99955"}},
		{file: "jsonstat/galicia.json", table: "99956", want: []string{"99956"}, cells: []int{3960}},
		{file: "jsonstat/hierarchy.json", table: "99957", want: []string{"99957"}},
		{file: "jsonstat/us-gsp.json", table: "99958", want: []string{"99958"}},
		{file: "jsonstat/us-unr.json", table: "99959", want: []string{"99959"}},
		{file: "jsonstat/us-labor.json", table: "99960", want: []string{"99960"}, cells: []int{12880}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			st := openStore(t)
			path := fixtureFile(t, tt.file)
			rs := ingest.NewImporter(st, nil, nil, nil).Import(context.Background(), []string{path}, tt.table)
			var got []string
			for i, r := range rs {
				if r.Err != nil {
					t.Fatalf("Import(%s) dataset %d: %v", tt.file, i, r.Err)
				}
				if r.Outcome != store.Added {
					t.Errorf("Import(%s) outcome = %v, want added", tt.file, r.Outcome)
				}
				got = append(got, r.TableID)
				snap, err := st.LatestSnapshot(context.Background(), r.TableID)
				if err != nil {
					t.Fatal(err)
				}
				if snap.Source != path {
					t.Errorf("source = %q, want the file %q", snap.Source, path)
				}
				if i < len(tt.cells) && snap.Cells() != tt.cells[i] {
					t.Errorf("table %s cells = %d, want %d", r.TableID, snap.Cells(), tt.cells[i])
				}
				if tt.prefix != "" && !strings.HasPrefix(snap.Title, tt.prefix) {
					t.Errorf("title = %q, want it to start with %q (no table id prefix)", snap.Title, tt.prefix)
				}
			}
			if strings.Join(got, ",") != strings.Join(tt.want, ",") {
				t.Errorf("imported tables %v, want %v", got, tt.want)
			}

			// The same file again stores nothing new.
			rs = ingest.NewImporter(st, nil, nil, nil).Import(context.Background(), []string{path}, tt.table)
			if rs[0].Err != nil || rs[0].Outcome != store.Unchanged {
				t.Errorf("second Import = %v, %v; want unchanged", rs[0].Outcome, rs[0].Err)
			}
		})
	}
}

func TestImportBundle(t *testing.T) {
	st := openStore(t)
	path := fixtureFile(t, "jsonstat/oecd-canada-v1.json")
	// A JSON-stat 1.x bundle names neither table: each dataset fails on its
	// own, and --table cannot name two.
	rs := ingest.NewImporter(st, nil, nil, nil).Import(context.Background(), []string{path}, "")
	if len(rs) != 2 {
		t.Fatalf("Import(bundle) gave %d results, want 2", len(rs))
	}
	for _, r := range rs {
		if r.Err == nil || !strings.Contains(r.Err.Error(), "cannot tell which table") {
			t.Errorf("Import(bundle) dataset: err = %v, want 'cannot tell which table'", r.Err)
		}
	}
	rs = ingest.NewImporter(st, nil, nil, nil).Import(context.Background(), []string{path}, "99970")
	if len(rs) != 1 || rs[0].Err == nil || !strings.Contains(rs[0].Err.Error(), "holds 2 datasets") {
		t.Errorf("Import(bundle, --table) = %+v, want 'holds 2 datasets'", rs)
	}
}

// TestImportBrokenFiles imports a good file, then broken ones: each must fail
// with an error that names the file and the problem, and leave the good
// version current.
func TestImportBrokenFiles(t *testing.T) {
	good, err := fs.ReadFile(fixtures.FS, "pxweb/ssb-v2/03024/data-POST.json")
	if err != nil {
		t.Fatal(err)
	}
	// Broken copies of the recorded 03024 response: one category too many
	// in size, and the last value dropped.
	badSize := strings.Replace(string(good), `"size":[2,2,43]`, `"size":[2,2,44]`, 1)
	badValue := strings.Replace(string(good), `,74.86]}`, `]}`, 1)
	if badSize == string(good) || badValue == string(good) {
		t.Fatal("fixture 03024 changed; update the test")
	}
	tests := []struct {
		name    string
		body    string // written to a file; empty name means a missing file
		kind    fault.Kind
		message string
	}{
		{"truncated", string(good[:len(good)/2]), fault.Invalid, "unexpected end of input"},
		{"not JSON", "<html>Service Unavailable</html>", fault.Invalid, "not JSON-stat: byte 0 is '<', want '{'"},
		{"empty", "", fault.Invalid, "empty file"},
		{"white space only", " \n", fault.Invalid, "unexpected end of input at line 2, column 1"},
		// Issue 14, finding 13.
		{"invalid UTF-8 in a label", strings.Replace(string(good), `"label":"03024: `, "\"label\":\"03024: \xff", 1), fault.Invalid,
			"label: invalid UTF-8 in string at line 1, column 52 (byte 51)"},
		{"label over 4 KiB", strings.Replace(string(good), `"label":"03024: `, `"label":"03024: `+strings.Repeat("x", 5000), 1), fault.TooLarge,
			"label: 5078 bytes in a string, over the limit of 4096 (MaxLabelBytes)"},
		{"unknown version", strings.Replace(string(good), `"version":"2.0"`, `"version":"9.9"`, 1), fault.Invalid,
			`version: unknown JSON-stat version "9.9"; want 2.0 (or 1.x)`},
		{"no dimensions", `{"version":"2.0","class":"dataset","label":"03024: x","id":[],"size":[],"dimension":{},"value":[1]}`, fault.Invalid,
			"id: no dimensions; a dataset needs at least one"},
		{"claims 10^9 cells", `{"version":"2.0","class":"dataset","label":"03024: x","id":["a"],"size":[1000000000],"dimension":{"a":{"category":{"index":["x"]}}},"value":[1]}`,
			fault.TooLarge, "size[0]: 1000000000 categories, over the limit of 200000 (MaxCategories)"},
		{"size disagrees with index", badSize, fault.Invalid, "dimension.Tid.category.index: 43 entries, size says 44"},
		{"value disagrees with size", badValue, fault.Invalid, "value: 171 entries, size says 172"},
		{"metadata only", mustFixture(t, "pxweb/ssb-v2/05810/metadata.json"), fault.Invalid, "metadata only"},
		{"collection of links", mustFixture(t, "jsonstat/collection.json"), fault.Invalid, "no dataset in the file"},
		{"missing file", "", fault.NotFound, "no such file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			st := openStore(t)
			rs := ingest.NewImporter(st, nil, nil, nil).Import(ctx, []string{writeFile(t, "good.json", good)}, "")
			if rs[0].Err != nil {
				t.Fatal(rs[0].Err)
			}
			before, err := st.LatestSnapshot(ctx, "03024")
			if err != nil {
				t.Fatal(err)
			}

			path := filepath.Join(t.TempDir(), "missing.json")
			if tt.name != "missing file" {
				path = writeFile(t, "broken.json", []byte(tt.body))
			}
			rs = ingest.NewImporter(st, nil, nil, nil).Import(ctx, []string{path}, "03024")
			if len(rs) != 1 || rs[0].Err == nil {
				t.Fatalf("Import(%s) = %+v, want one failure", tt.name, rs)
			}
			err = rs[0].Err
			t.Logf("error: %v", err)
			if got := fault.KindOf(err); got != tt.kind {
				t.Errorf("kind = %v, want %v", got, tt.kind)
			}
			// The test's folder name must not be what matches the message.
			rest := strings.ReplaceAll(err.Error(), path, "FILE")
			if !strings.HasPrefix(rest, "file FILE: ") || !strings.Contains(rest, tt.message) {
				t.Errorf("error = %q, want the file name and %q", err, tt.message)
			}
			after, err := st.LatestSnapshot(ctx, "03024")
			if err != nil {
				t.Fatal(err)
			}
			if after.ID != before.ID {
				t.Errorf("current snapshot = %d, want %d", after.ID, before.ID)
			}
			if n := snapshotCount(t, st, "03024"); n != 1 {
				t.Errorf("snapshots = %d, want 1", n)
			}
		})
	}
}

func mustFixture(t *testing.T, name string) string {
	t.Helper()
	b, err := fs.ReadFile(fixtures.FS, name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestImportNamesTableFromLabel(t *testing.T) {
	// Constructed one-cell datasets without extension.px.tableid: only
	// SSB's "12041: " prefix names the table; a word before a colon is
	// part of the title and never taken for a table id.
	doc := func(label string) []byte {
		return []byte(`{"version":"2.0","class":"dataset","label":"` + label + `","id":["a"],"size":[1],` +
			`"dimension":{"a":{"category":{"index":["x"]}}},"value":[1]}`)
	}
	tests := []struct {
		name      string
		label     string
		table     string // --table
		force     bool   // --force
		wantID    string
		wantTitle string
		wantErr   string
	}{
		{"SSB prefix", "99980: Konstruert tabell", "", false, "99980", "Konstruert tabell", ""},
		{"word before a colon", "Befolkning: alder (konstruert)", "", false, "", "", "cannot tell which table"},
		{"word before a colon, named", "Befolkning: alder (konstruert)", "99981", false, "99981", "Befolkning: alder (konstruert)", ""},
		{"named as itself", "99980: Konstruert tabell", "99980", false, "99980", "Konstruert tabell", ""},
		{"named as another table", "13615: Konstruert tabell", "12618", false, "", "", "the file names table 13615 itself, not 12618 (--table)"},
		{"named as another table, forced", "13615: Konstruert tabell", "12618", true, "12618", "Konstruert tabell", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := openStore(t)
			path := writeFile(t, "konstruert.json", doc(tt.label))
			im := ingest.NewImporter(st, nil, nil, nil)
			im.Force = tt.force
			rs := im.Import(context.Background(), []string{path}, tt.table)
			if len(rs) != 1 {
				t.Fatalf("Import = %d results, want 1", len(rs))
			}
			r := rs[0]
			if tt.wantErr != "" {
				if r.Err == nil || !strings.Contains(r.Err.Error(), tt.wantErr) {
					t.Errorf("Import(%q) err = %v, want %q", tt.label, r.Err, tt.wantErr)
				}
				if n := snapshotCount(t, st, tt.table); tt.table != "" && n != 0 {
					t.Errorf("%d snapshots of %s stored after a refused import, want none", n, tt.table)
				}
				return
			}
			if r.Err != nil {
				t.Fatalf("Import(%q) = %v", tt.label, r.Err)
			}
			if r.TableID != tt.wantID || r.Title != tt.wantTitle {
				t.Errorf("Import(%q) = table %q title %q, want %q %q", tt.label, r.TableID, r.Title, tt.wantID, tt.wantTitle)
			}
		})
	}
}

package report

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/net/html"

	"github.com/grunnlag/grunnlag/internal/analysis"
	"github.com/grunnlag/grunnlag/internal/analysis/analysistest"
	"github.com/grunnlag/grunnlag/internal/fault"
	"github.com/grunnlag/grunnlag/internal/store"
)

// readTree returns every file under dir by its relative path.
func readTree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		rel, _ := filepath.Rel(dir, path)
		out[rel] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// fromStore builds the report the way the command does: the snapshots
// read from the store (the newest, or as of asOf), analysed, built.
func fromStore(t *testing.T, st store.Store, asOf time.Time, opts Options) *Report {
	t.Helper()
	p := shippedPack(t)
	d, err := analysis.Load(context.Background(), st, p, asOf)
	if err != nil {
		t.Fatal(err)
	}
	return Build(p, analysis.Analyze(p, d), opts)
}

// TestWrite_deterministic builds the report twice from the same SQLite
// store and compares every file byte for byte.
func TestWrite_deterministic(t *testing.T) {
	st := storeWith(t, append(analysistest.All(analysistest.FetchedAt(0)), analysistest.Constructed12041BySize(analysistest.FetchedAt(1)))...)
	ctx := context.Background()
	var trees []map[string][]byte
	for range 2 {
		dir := t.TempDir()
		if _, err := Write(ctx, dir, fromStore(t, st, time.Time{}, Options{}), []Format{HTML, Markdown}, nil); err != nil {
			t.Fatal(err)
		}
		trees = append(trees, readTree(t, dir))
	}
	if len(trees[0]) < 4 {
		t.Fatalf("only %d files written", len(trees[0]))
	}
	for name, a := range trees[0] {
		if b, ok := trees[1][name]; !ok || !bytes.Equal(a, b) {
			t.Errorf("%s differs between two builds from the same store", name)
		}
	}
	if len(trees[0]) != len(trees[1]) {
		t.Errorf("the builds wrote %d and %d files", len(trees[0]), len(trees[1]))
	}
}

// TestWrite_files checks what a report folder holds, that figures of an
// earlier build are removed, and that a missing Chromium only skips the
// PDF.
func TestWrite_files(t *testing.T) {
	dir := t.TempDir()
	stale := filepath.Join(dir, FigureDir, "figur-gammel.svg")
	if err := os.MkdirAll(filepath.Dir(stale), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(stale, []byte("<svg/>"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := build(t, testPack(t), Options{}, goldenSnapshots()...)
	w, err := Write(context.Background(), dir, r, []Format{HTML, Markdown, PDF}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if w.PDFSkipped == nil || !strings.Contains(fault.UserMessage(w.PDFSkipped), "fant ikke Chromium") || !errors.Is(w.PDFSkipped, ErrNoChromium) {
		t.Errorf("PDFSkipped = %v (%q), want the missing Chromium explained", w.PDFSkipped, fault.UserMessage(w.PDFSkipped))
	}
	got := readTree(t, dir)
	var names []string
	for name := range got {
		names = append(names, name)
	}
	want := []string{JSONFile, MarkdownFile, HTMLFile}
	for _, f := range r.Figures() {
		want = append(want, filepath.Join(FigureDir, f.Name))
	}
	slices.Sort(want)
	slices.Sort(names)
	if diff := cmp.Diff(want, names); diff != "" {
		t.Errorf("files mismatch (-want +got):\n%s", diff)
	}
	md := string(got[MarkdownFile])
	for _, f := range r.Figures() {
		if !strings.Contains(md, "]("+FigureDir+"/"+f.Name+")") {
			t.Errorf("the Markdown does not show %s", f.Name)
		}
	}
}

// TestCompare_previousReport compares with an earlier report's folder and
// with the store as of a date: the section lists the changed indicator
// with both values.
func TestCompare_previousReport(t *testing.T) {
	older := analysistest.Constructed12618(analysistest.FetchedAt(-30))
	older.Data.Values[older.Data.Index(0, 1, 0, 1)] = 19.0 // patches, har ikke, kommuner, 2021
	older.Raw, older.SHA256 = [][]byte{[]byte("konstruert eldre versjon")}, ""
	st := storeWith(t, older, analysistest.Constructed12618(analysistest.FetchedAt(0)))
	ctx := context.Background()

	prevDir := t.TempDir()
	if _, err := Write(ctx, prevDir, fromStore(t, st, analysistest.FetchedAt(-10), Options{}), []Format{HTML}, nil); err != nil {
		t.Fatal(err)
	}
	before, err := ReadPrevious(prevDir)
	if err != nil {
		t.Fatal(err)
	}
	p := shippedPack(t)
	asOf, err := analysis.Load(ctx, st, p, analysistest.FetchedAt(-10))
	if err != nil {
		t.Fatal(err)
	}
	for name, c := range map[string]*Comparison{
		"folder": {Label: "rapporten i " + prevDir, Before: before},
		"date":   {Label: "datagrunnlaget per 2025-05-23", Before: analysis.Analyze(p, asOf).Summaries()},
	} {
		t.Run(name, func(t *testing.T) {
			r := fromStore(t, st, time.Time{}, Options{Compare: c})
			out := render(t, r)
			doc := parseHTML(t, out.html)
			var rows []string
			for _, tr := range findAll(doc, tag("tr")) {
				var cells []string
				for _, c := range findAll(tr, func(n *html.Node) bool { return n.Data == "th" || n.Data == "td" }) {
					cells = append(cells, textOf(c))
				}
				if len(cells) > 0 && cells[0] == "Kommuner uten rutiner for installering av sikkerhetspatcher" {
					rows = append(rows, strings.Join(cells, " | "))
				}
			}
			want := "Kommuner uten rutiner for installering av sikkerhetspatcher | 15,2 % (2022), mer enn 50 (54,1); vedleggets år: 19,0 % (2021); oppdatert 6. mai 2025 | 15,2 % (2022), mer enn 50 (54,1); vedleggets år: 17,4 % (2021); oppdatert 6. mai 2025 | ny andel for vedleggets år"
			if diff := cmp.Diff([]string{want}, rows); diff != "" {
				t.Errorf("change rows mismatch (-want +got):\n%s", diff)
			}
			if len(r.Changes()) != 1 {
				t.Errorf("Changes() = %d, want 1", len(r.Changes()))
			}
			if problems := checkFootnotes(out.html); len(problems) > 0 {
				t.Errorf("numbers without footnotes:\n%s", strings.Join(problems, "\n"))
			}
		})
	}
	if _, err := ReadPrevious(t.TempDir()); fault.KindOf(err) != fault.NotFound {
		t.Errorf("ReadPrevious(empty folder) = %v, want not found", err)
	}
}

// TestWrite_pdf prints the report with headless Chromium. Without Chromium
// it is skipped, unless GRUNNLAG_REQUIRE_CHROMIUM=1 (as in CI), which
// makes a missing browser a failure.
func TestWrite_pdf(t *testing.T) {
	path, err := FindChromium(os.Getenv, exec.LookPath)
	if err != nil {
		if os.Getenv("GRUNNLAG_REQUIRE_CHROMIUM") == "1" {
			t.Fatalf("GRUNNLAG_REQUIRE_CHROMIUM=1, but: %v", err)
		}
		t.Skipf("no Chromium: %v", err)
	}
	dir := t.TempDir()
	r := build(t, testPack(t), Options{}, goldenSnapshots()...)
	w, err := Write(context.Background(), dir, r, []Format{PDF}, Chromium{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	pdf, err := os.ReadFile(filepath.Join(dir, PDFFile))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) || len(pdf) < 10_000 {
		t.Errorf("rapport.pdf is %d bytes starting %q, want a PDF", len(pdf), pdf[:min(8, len(pdf))])
	}
	if _, err := os.Stat(filepath.Join(dir, HTMLFile)); !os.IsNotExist(err) {
		t.Errorf("PDF only, but rapport.html was left in the folder (%v)", err)
	}
	if got := w.Files[len(w.Files)-1]; filepath.Base(got) != PDFFile {
		t.Errorf("last file written = %s, want the PDF", got)
	}
}

func TestFindChromium(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	found := func(name string) func(string) (string, error) {
		return func(n string) (string, error) {
			if n == name {
				return "/usr/bin/" + n, nil
			}
			return "", errors.New("not found")
		}
	}
	tests := []struct {
		name     string
		getenv   func(string) string
		lookPath func(string) (string, error)
		want     string
		wantErr  string
	}{
		{"GRUNNLAG_CHROMIUM wins", env(map[string]string{"GRUNNLAG_CHROMIUM": exe}), found("chromium"), exe, ""},
		{"GRUNNLAG_CHROMIUM that does not exist", env(map[string]string{"GRUNNLAG_CHROMIUM": "/finnes/ikke"}), found("chromium"), "", "PDF ble ikke laget: GRUNNLAG_CHROMIUM peker på /finnes/ikke, som ikke finnes."},
		{"chromium-browser on PATH", env(nil), found("chromium-browser"), "/usr/bin/chromium-browser", ""},
		{"google-chrome on PATH", env(nil), found("google-chrome"), "/usr/bin/google-chrome", ""},
		{"nothing", env(nil), found("firefox"), "", noChromiumMessage},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := FindChromium(tt.getenv, tt.lookPath)
			if got != tt.want || (err != nil) != (tt.wantErr != "") || err != nil && fault.UserMessage(err) != tt.wantErr {
				t.Errorf("FindChromium() = %q, %v (%q); want %q, %q", got, err, fault.UserMessage(err), tt.want, tt.wantErr)
			}
		})
	}
}

func TestParseFormats(t *testing.T) {
	tests := []struct {
		in      string
		want    []Format
		wantErr bool
	}{
		{"html,md,pdf", []Format{HTML, Markdown, PDF}, false},
		{" PDF , html,html", []Format{PDF, HTML}, false},
		{"markdown", []Format{Markdown}, false},
		{"docx", nil, true},
		{",", nil, true},
	}
	for _, tt := range tests {
		got, err := ParseFormats(tt.in)
		if !cmp.Equal(got, tt.want) || (err != nil) != tt.wantErr {
			t.Errorf("ParseFormats(%q) = %v, %v; want %v, error %v", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}

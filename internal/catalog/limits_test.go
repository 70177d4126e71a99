package catalog

import (
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// loadGuarded loads dir with lim, failing the test instead of hanging when
// the load does not return: before the limits, a deep file took the YAML
// parser past 7 GB and a link to /dev/zero read forever. The guard is
// generous; it is a liveness check, not a speed goal.
func loadGuarded(t *testing.T, lim Limits, dir string) (*Pack, error) {
	t.Helper()
	type result struct {
		p   *Pack
		err error
	}
	done := make(chan result, 1)
	go func() {
		p, err := LoadDirsWithLimits(lim, Dir{FS: os.DirFS(dir), Path: ".", Name: dir})
		done <- result{p, err}
	}()
	select {
	case r := <-done:
		return r.p, r.err
	case <-time.After(60 * time.Second):
		t.Fatalf("loading %s did not return within a minute", dir)
		return nil, nil
	}
}

// TestLoad_limits: hostile pack files (constructed test data) are refused
// before they are parsed or read, each with the file, the line where it
// can be told, and the problem.
func TestLoad_limits(t *testing.T) {
	outside := t.TempDir()
	outsideYAML := filepath.Join(outside, "extra.yaml")
	if err := os.WriteFile(outsideYAML, []byte("references:\n  - {id: r9, title: R9}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	regC := `registers:
  - id: reg-c
    title: C
    unit: kommuner
    file: k.csv
    valid_from: 2024
    count: 1
    code_column: code
    name_column: name
    source: {ref: r}
`
	tests := []struct {
		name  string
		files map[string]string
		links map[string]string // name → target
		fifo  string
		lim   Limits
		want  []string
	}{
		{
			name:  "100 000 nested [ in 200 kB",
			files: map[string]string{"deep.yaml": "references: " + strings.Repeat("[", 100_000) + strings.Repeat("]", 100_000) + "\n"},
			want:  []string{"DIR/deep.yaml:1: collections nested more than 32 levels deep; the file is not read further"},
		},
		{
			name:  "nested { across lines",
			files: map[string]string{"deep.yaml": "references:\n" + strings.Repeat("{a:\n", 40) + "1" + strings.Repeat("}", 40) + "\n"},
			want:  []string{"DIR/deep.yaml:34: collections nested more than 32 levels deep; the file is not read further"},
		},
		{
			name:  "50 000 nested - on one line",
			files: map[string]string{"deep.yaml": "references:\n" + strings.Repeat("- ", 50_000) + "x\n"},
			want:  []string{"DIR/deep.yaml:2: collections nested more than 32 levels deep; the file is not read further"},
		},
		{
			name: "nested by indentation",
			files: map[string]string{"deep.yaml": func() string {
				var b strings.Builder
				b.WriteString("references:\n")
				for i := range 40 {
					fmt.Fprintf(&b, "%sk%d:\n", strings.Repeat(" ", i+1), i)
				}
				return b.String()
			}()},
			want: []string{"DIR/deep.yaml:34: collections nested more than 32 levels deep; the file is not read further"},
		},
		{
			name: "billion laughs",
			files: map[string]string{"laughs.yaml": func() string {
				var b strings.Builder
				b.WriteString("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n")
				for i := 1; i < 20; i++ {
					fmt.Fprintf(&b, "a%d: &a%d [*a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d]\n", i, i, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1)
				}
				return b.String()
			}()},
			want: []string{"DIR/laughs.yaml:9: more than 64 aliases; a pack file uses none (anchors and aliases are not supported)"},
		},
		{
			name:  "file larger than the limit",
			files: map[string]string{"big.yaml": "references:\n" + strings.Repeat("  - {id: rx, title: R}\n", 200)},
			lim:   Limits{MaxFileBytes: 2000},
			want:  []string{"DIR/big.yaml: 4612 bytes, more than the 2000 a pack file may have"},
		},
		{
			name:  "link to /dev/zero",
			links: map[string]string{"zero.yaml": "/dev/zero"},
			want:  []string{"DIR/zero.yaml: a symbolic link that leads outside the pack directory (to /dev/zero)"},
		},
		{
			name:  "link to a YAML file outside the pack",
			links: map[string]string{"extra.yaml": outsideYAML},
			want:  []string{"DIR/extra.yaml: a symbolic link that leads outside the pack directory (to " + outsideYAML + ")"},
		},
		{
			name:  "relative link out of the pack",
			links: map[string]string{"extra.yaml": "../" + filepath.Base(outside) + "/extra.yaml"},
			want:  []string{"DIR/extra.yaml: a symbolic link that leads outside the pack directory (to ../" + filepath.Base(outside) + "/extra.yaml)"},
		},
		{
			name: "named pipe",
			fifo: "pipe.yaml",
			want: []string{"DIR/pipe.yaml: not a regular file (a named pipe)"},
		},
		{
			name:  "register file linked to /etc/passwd",
			files: map[string]string{"reg.yaml": regC},
			links: map[string]string{"k.csv": "/etc/passwd"},
			want:  []string{"DIR/reg.yaml:5: file: k.csv is a symbolic link that leads outside the pack directory (to /etc/passwd)"},
		},
		{
			name:  "register file linked through a folder link",
			files: map[string]string{"reg.yaml": strings.Replace(regC, "file: k.csv", "file: ut/passwd", 1)},
			links: map[string]string{"ut": "/etc"},
			want:  []string{"DIR/reg.yaml:5: file: ut/passwd is a symbolic link that leads outside the pack directory (to /etc)"},
		},
		{
			name:  "register file is a folder",
			files: map[string]string{"reg.yaml": regC, "k.csv/x": "x"},
			want:  []string{"DIR/reg.yaml:5: file: k.csv is not a regular file (a folder)"},
		},
		{
			name:  "register file larger than the limit",
			files: map[string]string{"reg.yaml": regC, "k.csv": "code,name\n" + strings.Repeat("0101,Konstruert kommune\n", 200)},
			lim:   Limits{MaxFileBytes: 2000},
			want:  []string{"DIR/reg.yaml:5: file: k.csv is 4810 bytes, more than the 2000 a pack file may have"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files := map[string]string{"base.yaml": baseYAML}
			maps.Copy(files, tt.files)
			dir := writeDir(t, files)
			for name, target := range tt.links {
				if err := os.Symlink(target, filepath.Join(dir, name)); err != nil {
					t.Fatal(err)
				}
			}
			if tt.fifo != "" {
				if err := syscall.Mkfifo(filepath.Join(dir, tt.fifo), 0o644); err != nil {
					t.Skipf("no named pipes here: %v", err)
				}
			}
			lim := tt.lim
			if lim.MaxFileBytes == 0 {
				lim.MaxFileBytes = DefaultLimits().MaxFileBytes
			}
			p, err := loadGuarded(t, lim, dir)
			if p != nil {
				t.Fatal("the hostile pack loaded")
			}
			if diff := cmp.Diff(tt.want, problemsOf(t, err, dir)); diff != "" {
				t.Errorf("problems (-want +got):\n%s", diff)
			}
		})
	}
}

// TestLoad_linksInsideThePack: a link that stays inside the pack
// directory is followed.
func TestLoad_linksInsideThePack(t *testing.T) {
	dir := writeDir(t, map[string]string{"base.yaml": baseYAML, "reg.yaml": registersYAML,
		"csv/a.csv": csvA, "csv/b.csv": csvB, "more/refs.yml": "references:\n  - {id: r2, title: R2}\n"})
	for name, target := range map[string]string{"a.csv": "csv/a.csv", "b.csv": "./csv/../csv/b.csv", "refs.yaml": "more/refs.yml"} {
		if err := os.Symlink(target, filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
	}
	p, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := p.Reference("r2"); !ok {
		t.Errorf("the linked refs.yaml was not loaded")
	}
}

// TestPackName_hostile: reading a pack's name (done before loading, to
// tell whether a --pack folder is the base pack) is bounded too.
func TestPackName_hostile(t *testing.T) {
	dir := writeDir(t, map[string]string{"pack.yaml": "pack: " + strings.Repeat("[", 100_000) + "\n"})
	if got := PackName(Dir{FS: os.DirFS(dir), Path: ".", Name: dir}); got != "" {
		t.Errorf("PackName of a hostile pack.yaml = %q, want \"\"", got)
	}
	dir = writeDir(t, map[string]string{"pack.yaml": "pack: " + strings.Repeat("[", 5_000) + "\n"})
	if got := PackName(Dir{FS: os.DirFS(dir), Path: ".", Name: dir}); got != "" {
		t.Errorf("PackName of a deep pack section = %q, want \"\"", got)
	}
	dir = writeDir(t, map[string]string{"pack.yaml": "pack:\n  name: regionalt\n  title: Regional pakke\n"})
	// A link to a file that never ends, read before the pack's name
	// (without the limits it read for ever).
	if err := os.Symlink("/dev/zero", filepath.Join(dir, "a.yaml")); err != nil {
		t.Fatal(err)
	}
	if got := PackName(Dir{FS: os.DirFS(dir), Path: ".", Name: dir}); got != "regionalt" {
		t.Errorf("PackName = %q, want regionalt", got)
	}
}

// TestLoad_emptyEntry: a "-" with nothing after it is a problem of its
// file and line, not an entry without a place (found by FuzzLoadYAML).
func TestLoad_emptyEntry(t *testing.T) {
	dir := writeDir(t, map[string]string{"base.yaml": baseYAML, "x.yaml": "references:\n  - \n  -\n  - {id: r2, title: R2}\n"})
	_, err := Load(dir)
	want := []string{
		`DIR/x.yaml:2: references[0]: empty entry: a "-" with nothing after it`,
		`DIR/x.yaml:3: references[1]: empty entry: a "-" with nothing after it`,
	}
	if diff := cmp.Diff(want, problemsOf(t, err, dir)); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
}

// TestCheckYAML: the pre-parse check counts what opens a collection and
// nothing else, so valid text with many brackets passes and hostile
// nesting is found however it is written.
func TestCheckYAML(t *testing.T) {
	lim := Limits{MaxDepth: 8, MaxAliases: 2}
	open := strings.Repeat("[", 20)
	tests := []struct {
		name string
		src  string
		line int // 0: passes
	}{
		{"brackets in a plain scalar", "a:\n  title: Rapport " + open + "\n", 0},
		{"brackets in quotes", "a: ['" + open + "', \"" + open + "\\\"" + open + "\"]\n", 0},
		{"brackets in a quoted string over lines", "a: '" + open + "\n  " + open + "'\nb: [x]\n", 0},
		{"brackets in a comment", "a: 1 # " + open + "\n# " + open + "\n", 0},
		{"brackets in a block scalar", "a: |\n  " + open + "\n\n  " + open + "\nb: >-\n  {{{{{{{{{{{{{{{{\n", 0},
		{"quote inside a word", "a: it's [x]\nb: don't " + open + "\n", 0},
		{"shipped shape", "documents:\n  - id: x\n    source: {ref: r, at: \"§3 [1]\"}\n    themes: [a, b]\n", 0},
		{"flow nesting", "a: " + open + "\n", 1},
		{"flow nesting over lines", "a: [\n [\n  [\n   [\n    [\n     [\n      [\n       [\n        [\n", 9},
		{"nesting behind tags", "a: !t [!t [!t [!t [!t [!t [!t [!t [!t [\n", 1},
		{"nesting behind anchors", "a: &a [&b [&c [&d [&e [&f [&g [&h [&i [\n", 1},
		{"nesting in a key", "? [[[[[[[[[[\n", 1},
		{"dashes", "a:\n- - - - - - - - - - x\n", 2},
		{"aliases", "a: [*x, *y, *z]\n", 1},
		{"after a block scalar", "a: |\n  text\nb: " + open + "\n", 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			line, msg := checkYAML([]byte(tt.src), lim)
			if line != tt.line {
				t.Errorf("checkYAML = line %d (%s), want line %d", line, msg, tt.line)
			}
		})
	}
}

package catalog

import (
	"errors"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/grunnlag/grunnlag/data"
	"github.com/grunnlag/grunnlag/internal/fault"
)

// loadWithin loads dirs, failing the test when the load does not return
// within a generous time: a fuzz input that hangs the loader is then
// reported and kept like a crash, instead of stalling the fuzzer.
func loadWithin(t *testing.T, dirs ...Dir) (*Pack, error) {
	t.Helper()
	type result struct {
		p   *Pack
		err error
	}
	done := make(chan result, 1)
	go func() {
		p, err := LoadDirs(dirs...)
		done <- result{p, err}
	}()
	select {
	case r := <-done:
		return r.p, r.err
	case <-time.After(10 * time.Second):
		t.Fatal("the load did not return within 10 s")
		return nil, nil
	}
}

// checkLoadResult holds what every load must do with any input: a pack,
// or an error of kind Invalid that lists problems, each naming its file.
func checkLoadResult(t *testing.T, p *Pack, err error) {
	t.Helper()
	if err == nil {
		if p == nil {
			t.Fatal("no pack and no error")
		}
		return
	}
	if p != nil {
		t.Fatal("a pack despite an error")
	}
	var ps Problems
	if fault.KindOf(err) != fault.Invalid || !errors.As(err, &ps) || len(ps) == 0 {
		t.Fatalf("error %v is not invalid with problems", err)
	}
	for _, pr := range ps {
		if pr.File == "" || pr.Msg == "" {
			t.Fatalf("problem without file or message: %+v", pr)
		}
	}
}

// FuzzLoadYAML loads a pack file of any content beside a small valid one.
// Seeds: every YAML file of the shipped pack, and hostile shapes.
func FuzzLoadYAML(f *testing.F) {
	names, err := fs.Glob(data.FS, "*.yaml")
	if err != nil {
		f.Fatal(err)
	}
	for _, n := range names {
		b, err := fs.ReadFile(data.FS, n)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, s := range []string{
		"references: " + strings.Repeat("[", 200) + strings.Repeat("]", 200),
		"a: &a [x]\nb: [*a, *a]\nc: *b\n",
		"references:\n" + strings.Repeat("- ", 100) + "x\n",
		"%YAML 1.2\n---\nreferences: []\n...\n---\n",
		"references: [{id: r2, title: \"\\u0000\\ud800\"}]\n",
		"? [a, b]\n: c\n",
		"documents: !!map {id: x}\n",
		"references:\n- \n-\ntables: [~, {id: \"1\", title: [~]}]\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		fsys := fstest.MapFS{"base.yaml": {Data: []byte(baseYAML)}, "x.yaml": {Data: b}}
		p, err := loadWithin(t, Dir{FS: fsys, Path: ".", Name: "pakke"})
		checkLoadResult(t, p, err)
	})
}

// FuzzRegisterCSV loads a register whose CSV file has any content. Seeds:
// the shipped registers and constructed rows.
func FuzzRegisterCSV(f *testing.F) {
	names, err := fs.Glob(data.FS, "*.csv")
	if err != nil {
		f.Fatal(err)
	}
	for _, n := range names {
		b, err := fs.ReadFile(data.FS, n)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, s := range []string{csvA, "code,name,to\n\"0101\",\"One\"\"\",9901\n", "code;name;to\n", "\ufeffcode,name,to\r\n0101,One,9901\r\n", ""} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		fsys := fstest.MapFS{
			"base.yaml": {Data: []byte(baseYAML)}, "reg.yaml": {Data: []byte(registersYAML)},
			"a.csv": {Data: b}, "b.csv": {Data: []byte(csvB)},
		}
		p, err := loadWithin(t, Dir{FS: fsys, Path: ".", Name: "pakke"})
		checkLoadResult(t, p, err)
	})
}

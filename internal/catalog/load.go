package catalog

import (
	"errors"
	"fmt"
	"io/fs"
	"iter"
	"os"
	pathpkg "path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/grunnlag/grunnlag/internal/fault"
)

// Dir names a pack directory inside a file system, so the embedded pack
// (data.FS) and folders on disk load the same way.
type Dir struct {
	FS   fs.FS  // where the files are
	Path string // the directory inside FS; "." for its root
	Name string // how origins and problems name the directory: "data", or the path a user gave
}

// Load reads the pack directories on disk in order and returns their
// merged content; see LoadDirs.
func Load(dirs ...string) (*Pack, error) {
	ds := make([]Dir, len(dirs))
	for i, d := range dirs {
		ds[i] = Dir{FS: os.DirFS(d), Path: ".", Name: d}
	}
	return LoadDirs(ds...)
}

// LoadDirs reads the pack directories in order and returns their merged
// content. Every *.yaml and *.yml file directly in a directory belongs to
// its pack; registers name their CSV files. A later directory adds entries
// or replaces an earlier entry of the same kind and id (the whole entry, not
// field by field).
//
// When anything is wrong, LoadDirs returns a nil pack and an error of kind
// fault.Invalid that wraps Problems: every problem of every file, sorted by
// file and line, with files named Dir.Name joined with the file name. A
// directory that does not exist is fault.NotFound.
func LoadDirs(dirs ...Dir) (*Pack, error) {
	if len(dirs) == 0 {
		return nil, fault.Errorf(fault.Invalid, "no pack directory given")
	}
	l := &loader{lines: map[lineKey]int{}, bad: map[lineKey]bool{}, pack: &Pack{}, pos: map[Ref]int{}}
	for _, dir := range dirs {
		if err := l.loadDir(dir); err != nil {
			return nil, err
		}
	}
	l.pack.index()
	l.checkRefs()
	if len(l.problems) > 0 {
		return nil, fault.E(fault.Invalid, l.problems.sort())
	}
	return l.pack, nil
}

type loader struct {
	lines    map[lineKey]int
	bad      map[lineKey]bool
	problems Problems
	pack     *Pack
	pos      map[Ref]int // index of each merged entry in its slice
}

func (l *loader) checker() *checker {
	return &checker{lines: l.lines, bad: l.bad, problems: &l.problems}
}

func (l *loader) loadDir(dir Dir) error {
	des, err := fs.ReadDir(dir.FS, dir.Path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return fault.Errorf(fault.NotFound, "pack %s: %w", dir.Name, err)
		}
		return fault.E(fault.Invalid, fmt.Errorf("pack %s: %w", dir.Name, err))
	}
	var files []string
	for _, de := range des {
		ext := strings.ToLower(filepath.Ext(de.Name()))
		if !de.IsDir() && (ext == ".yaml" || ext == ".yml") {
			files = append(files, de.Name())
		}
	}
	slices.Sort(files)
	if len(files) == 0 {
		l.problems = append(l.problems, Problem{File: dir.Name, Msg: "no .yaml files in the pack directory"})
		return nil
	}

	var parts []content
	for _, name := range files {
		path := filepath.Join(dir.Name, name)
		src, err := fs.ReadFile(dir.FS, pathpkg.Join(dir.Path, name))
		if err != nil {
			return fault.E(fault.Invalid, fmt.Errorf("pack file %s: %w", path, err))
		}
		var c content
		d := &decoder{file: path, problems: &l.problems, lines: l.lines, bad: l.bad}
		d.decodeFile(src, &c)
		parts = append(parts, c)
	}

	info := PackInfo{Name: filepath.Base(filepath.Clean(dir.Name)), Dir: dir.Name}
	var infoAt string
	for i, c := range parts {
		if c.Pack == nil {
			continue
		}
		file := filepath.Join(dir.Name, files[i])
		if infoAt != "" {
			l.problems = append(l.problems, Problem{File: file, Field: "pack", Msg: "a pack has one pack section (the first is in " + infoAt + ")"})
			continue
		}
		infoAt = file
		if c.Pack.Name != "" {
			info.Name = c.Pack.Name
		}
		info.Title, info.Maintainer, info.Description = c.Pack.Title, c.Pack.Maintainer, c.Pack.Description
	}
	l.pack.Packs = append(l.pack.Packs, info)

	c := l.checker()
	in := &packEntries{seen: map[Ref]Origin{}, c: c}
	for i := range parts {
		for e := range parts[i].entries() {
			in.add(e, info.Name)
		}
	}
	for _, e := range in.list {
		if r, ok := e.(*Register); ok {
			readRegister(r, dir, c)
		}
		checkEntry(c, e)
	}
	for _, e := range in.list {
		l.merge(e)
	}
	return nil
}

// packEntries collects one pack's entries, refusing duplicate ids.
type packEntries struct {
	list []Entry
	seen map[Ref]Origin
	c    *checker
}

func (in *packEntries) add(e Entry, pack string) {
	e.(interface{ setPack(string) }).setPack(pack)
	r := e.Ref()
	if first, dup := in.seen[r]; dup {
		in.c.add(e.Provenance(), "id", fmt.Sprintf("duplicate %s id %q (first at %s)", r.Kind, r.ID, first))
		return
	}
	in.seen[r] = e.Provenance()
	in.list = append(in.list, e)
}

// merge adds e to the pack, replacing an entry of an earlier pack with the
// same ref in place.
func (l *loader) merge(e Entry) {
	r := e.Ref()
	if i, ok := l.pos[r]; ok {
		old := l.pack.replace(r.Kind, i, e)
		l.pack.Overrides = append(l.pack.Overrides, Override{Ref: r, Replaced: old.Provenance(), By: e.Provenance()})
		return
	}
	l.pos[r] = l.pack.append(e)
}

// entries yields every entry of a file's content, section by section.
func (c *content) entries() iter.Seq[Entry] {
	return func(yield func(Entry) bool) {
		emit := func(es ...Entry) bool {
			for _, e := range es {
				if !yield(e) {
					return false
				}
			}
			return true
		}
		_ = emit(ptrs(c.DocumentKinds)...) && emit(ptrs(c.Documents)...) && emit(ptrs(c.References)...) &&
			emit(ptrs(c.Tables)...) && emit(ptrs(c.Themes)...) && emit(ptrs(c.Conclusions)...) &&
			emit(ptrs(c.Findings)...) && emit(ptrs(c.Activities)...) && emit(ptrs(c.Needs)...) &&
			emit(ptrs(c.NSMSources)...) && emit(ptrs(c.Categories)...) && emit(ptrs(c.Principles)...) &&
			emit(ptrs(c.Measures)...) && emit(ptrs(c.Registers)...) && emit(ptrs(c.Counts)...) &&
			emit(ptrs(c.Indicators)...)
	}
}

func ptrs[T any, P interface {
	*T
	Entry
}](s []T) []Entry {
	out := make([]Entry, len(s))
	for i := range s {
		out[i] = P(&s[i])
	}
	return out
}

// append adds e to its slice and returns its index.
func (p *Pack) append(e Entry) int {
	switch x := e.(type) {
	case *DocumentKind:
		p.DocumentKinds = append(p.DocumentKinds, x)
		return len(p.DocumentKinds) - 1
	case *Document:
		p.Documents = append(p.Documents, x)
		return len(p.Documents) - 1
	case *Reference:
		p.References = append(p.References, x)
		return len(p.References) - 1
	case *Table:
		p.Tables = append(p.Tables, x)
		return len(p.Tables) - 1
	case *Theme:
		p.Themes = append(p.Themes, x)
		return len(p.Themes) - 1
	case *Conclusion:
		p.Conclusions = append(p.Conclusions, x)
		return len(p.Conclusions) - 1
	case *Finding:
		p.Findings = append(p.Findings, x)
		return len(p.Findings) - 1
	case *Activity:
		p.Activities = append(p.Activities, x)
		return len(p.Activities) - 1
	case *Need:
		p.Needs = append(p.Needs, x)
		return len(p.Needs) - 1
	case *NSMSource:
		p.NSMSources = append(p.NSMSources, x)
		return len(p.NSMSources) - 1
	case *Category:
		p.Categories = append(p.Categories, x)
		return len(p.Categories) - 1
	case *Principle:
		p.Principles = append(p.Principles, x)
		return len(p.Principles) - 1
	case *Measure:
		p.Measures = append(p.Measures, x)
		return len(p.Measures) - 1
	case *Register:
		p.Registers = append(p.Registers, x)
		return len(p.Registers) - 1
	case *Count:
		p.Counts = append(p.Counts, x)
		return len(p.Counts) - 1
	case *Indicator:
		p.Indicators = append(p.Indicators, x)
		return len(p.Indicators) - 1
	}
	panic(fmt.Sprintf("catalog: no slice for %T", e))
}

// replace puts e at index i of its kind's slice and returns what was there.
func (p *Pack) replace(k Kind, i int, e Entry) Entry {
	var old Entry
	switch x := e.(type) {
	case *DocumentKind:
		old, p.DocumentKinds[i] = p.DocumentKinds[i], x
	case *Document:
		old, p.Documents[i] = p.Documents[i], x
	case *Reference:
		old, p.References[i] = p.References[i], x
	case *Table:
		old, p.Tables[i] = p.Tables[i], x
	case *Theme:
		old, p.Themes[i] = p.Themes[i], x
	case *Conclusion:
		old, p.Conclusions[i] = p.Conclusions[i], x
	case *Finding:
		old, p.Findings[i] = p.Findings[i], x
	case *Activity:
		old, p.Activities[i] = p.Activities[i], x
	case *Need:
		old, p.Needs[i] = p.Needs[i], x
	case *NSMSource:
		old, p.NSMSources[i] = p.NSMSources[i], x
	case *Category:
		old, p.Categories[i] = p.Categories[i], x
	case *Principle:
		old, p.Principles[i] = p.Principles[i], x
	case *Measure:
		old, p.Measures[i] = p.Measures[i], x
	case *Register:
		old, p.Registers[i] = p.Registers[i], x
	case *Count:
		old, p.Counts[i] = p.Counts[i], x
	case *Indicator:
		old, p.Indicators[i] = p.Indicators[i], x
	default:
		panic(fmt.Sprintf("catalog: no slice for %T (%s)", e, k))
	}
	return old
}

// index builds the lookup table from the merged slices.
func (p *Pack) index() {
	p.byRef = map[Ref]Entry{}
	for _, e := range p.Entries() {
		p.byRef[e.Ref()] = e
	}
}

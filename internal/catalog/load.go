package catalog

import (
	"errors"
	"fmt"
	"io/fs"
	"iter"
	"os"
	pathpkg "path"

	"github.com/grunnlag/grunnlag/internal/fault"
)

// Dir names a pack directory inside a file system, so the embedded pack
// (data.FS) and folders on disk load the same way.
type Dir struct {
	FS   fs.FS  // where the files are
	Path string // the directory inside FS; "." for its root
	Name string // how errors about the directory itself name it: the path a user gave
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
//
// LoadDirs reads within DefaultLimits; see LoadDirsWithLimits.
func LoadDirs(dirs ...Dir) (*Pack, error) {
	return LoadDirsWithLimits(DefaultLimits(), dirs...)
}

// LoadDirsWithLimits is LoadDirs within lim (a zero field takes its
// default). A file beyond a limit, a file that is not a regular file and
// a symbolic link that leads out of its pack directory are problems of
// their file, found before the file is parsed or read whole.
func LoadDirsWithLimits(lim Limits, dirs ...Dir) (*Pack, error) {
	if len(dirs) == 0 {
		return nil, fault.Errorf(fault.Invalid, "no pack directory given")
	}
	l := &loader{lim: lim.orDefault(), lines: map[lineKey]int{}, bad: map[lineKey]bool{}, pack: &Pack{}, pos: map[Ref]int{}}
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
	lim      Limits
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
	files := yamlFiles(des)
	if len(files) == 0 {
		l.problems = append(l.problems, Problem{File: dir.Name, Msg: "no .yaml files in the pack directory"})
		return nil
	}

	// Each file is read within the limits; one that cannot be is a
	// problem of that file, reported below under the pack's name.
	srcs := make([][]byte, len(files))
	errs := make([]error, len(files))
	for i, file := range files {
		srcs[i], errs[i] = readFile(dir, file, l.lim)
	}
	// Files are named by the pack's own name, never by where the folder
	// lies on disk: "grunnlag/findings.yaml:365" reads the same on every
	// machine, in the report and on the web.
	name := dirName(dir, srcs)
	parts := make([]content, len(files))
	for i, file := range files {
		path, src := pathpkg.Join(name, file), srcs[i]
		d := &decoder{file: path, problems: &l.problems, lines: l.lines, bad: l.bad}
		if errs[i] != nil {
			d.add(0, "", problemOf(errs[i]))
			continue
		}
		d.decodeChecked(src, l.lim, &parts[i])
	}

	info := PackInfo{Name: name, Dir: dir.Name}
	var infoAt string
	for i, c := range parts {
		if c.Pack == nil {
			continue
		}
		file := pathpkg.Join(name, files[i])
		if infoAt != "" {
			l.problems = append(l.problems, Problem{File: file, Field: "pack", Msg: "a pack has one pack section (the first is in " + infoAt + ")"})
			continue
		}
		infoAt = file
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
			readRegister(r, dir, name, l.lim, c)
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
	i, seen := l.pos[r]
	if !seen {
		i = -1
	}
	at, old := l.pack.put(e, i)
	if old != nil {
		l.pack.Overrides = append(l.pack.Overrides, Override{Ref: r, Replaced: old.Provenance(), By: e.Provenance()})
		return
	}
	l.pos[r] = at
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
			emit(ptrs(c.Indicators)...) && emit(ptrs(c.Published)...)
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

// put puts e into its kind's slice: at index i, returning the entry that
// was there, or at the end when i < 0, returning nil. It returns e's index.
func (p *Pack) put(e Entry, i int) (int, Entry) {
	switch x := e.(type) {
	case *DocumentKind:
		return place(&p.DocumentKinds, x, i)
	case *Document:
		return place(&p.Documents, x, i)
	case *Reference:
		return place(&p.References, x, i)
	case *Table:
		return place(&p.Tables, x, i)
	case *Theme:
		return place(&p.Themes, x, i)
	case *Conclusion:
		return place(&p.Conclusions, x, i)
	case *Finding:
		return place(&p.Findings, x, i)
	case *Activity:
		return place(&p.Activities, x, i)
	case *Need:
		return place(&p.Needs, x, i)
	case *NSMSource:
		return place(&p.NSMSources, x, i)
	case *Category:
		return place(&p.Categories, x, i)
	case *Principle:
		return place(&p.Principles, x, i)
	case *Measure:
		return place(&p.Measures, x, i)
	case *Register:
		return place(&p.Registers, x, i)
	case *Count:
		return place(&p.Counts, x, i)
	case *Indicator:
		return place(&p.Indicators, x, i)
	case *Published:
		return place(&p.Published, x, i)
	}
	panic(fmt.Sprintf("catalog: no slice for %T", e))
}

func place[T Entry](s *[]T, x T, i int) (int, Entry) {
	if i < 0 {
		*s = append(*s, x)
		return len(*s) - 1, nil
	}
	old := (*s)[i]
	(*s)[i] = x
	return i, old
}

// index builds the lookup table from the merged slices.
func (p *Pack) index() {
	p.byRef = map[Ref]Entry{}
	for _, e := range p.Entries() {
		p.byRef[e.Ref()] = e
	}
}

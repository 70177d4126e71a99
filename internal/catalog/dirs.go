package catalog

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/goccy/go-yaml"
)

// Dirs returns the pack directories of a run: the built-in base pack, then
// each folder on disk in order. A folder that is the base pack itself
// (the same pack name, as when someone edits data/ in a checkout) takes the
// built-in copy's place instead of overriding every entry of it.
func Dirs(base Dir, folders ...string) []Dir {
	baseName := PackName(base)
	dirs := []Dir{base}
	for _, p := range folders {
		d := Dir{FS: os.DirFS(p), Path: ".", Name: p}
		if baseName != "" && PackName(d) == baseName && len(dirs) > 0 && dirs[0] == base {
			dirs = dirs[1:]
		}
		dirs = append(dirs, d)
	}
	return dirs
}

// PackName returns the name a pack directory gives itself in its pack
// section, or "" when it has none that can be read.
func PackName(d Dir) string {
	des, err := fs.ReadDir(d.FS, d.Path)
	if err != nil {
		return ""
	}
	var srcs [][]byte
	for _, f := range yamlFiles(des) {
		// Within the limits: a folder given with --pack may hold a link
		// to /dev/zero or a file of any size (see readFile).
		b, err := readFile(d, f, DefaultLimits())
		if err == nil {
			srcs = append(srcs, b)
		}
	}
	return sectionName(srcs)
}

// yamlFiles returns the names of the YAML files among des, sorted: the
// files of a pack, in the order they are read.
func yamlFiles(des []fs.DirEntry) []string {
	var files []string
	for _, de := range des {
		ext := strings.ToLower(filepath.Ext(de.Name()))
		if !de.IsDir() && (ext == ".yaml" || ext == ".yml") {
			files = append(files, de.Name())
		}
	}
	slices.Sort(files)
	return files
}

// maxPackSection is the most of a pack section sectionName reads: the
// section holds a few lines about the pack.
const maxPackSection = 16 << 10

// sectionName returns pack.name from the first of the files (in order)
// that has a top-level pack section, or "". Only that section's lines are
// parsed, so that a large or broken file elsewhere costs nothing here; the
// loader reports whatever is wrong with the files.
func sectionName(srcs [][]byte) string {
	for _, src := range srcs {
		block := packBlock(src)
		if block == nil {
			continue
		}
		var doc struct {
			Pack struct {
				Name string `yaml:"name"`
			} `yaml:"pack"`
		}
		if _, msg := checkYAML(block, DefaultLimits()); msg != "" {
			return "" // the loader reports it
		}
		if yaml.Unmarshal(block, &doc) != nil {
			return ""
		}
		return doc.Pack.Name
	}
	return ""
}

// packBlock returns the lines of src's top-level "pack:" section: from the
// line that starts with "pack:" up to the next line that starts a key at
// the top level. nil when there is none or it is too long.
func packBlock(src []byte) []byte {
	start := -1
	if bytes.HasPrefix(src, []byte("pack:")) {
		start = 0
	} else if i := bytes.Index(src, []byte("\npack:")); i >= 0 {
		start = i + 1
	}
	if start < 0 {
		return nil
	}
	end := start
	for end < len(src) {
		nl := bytes.IndexByte(src[end:], '\n')
		if nl < 0 {
			end = len(src)
			break
		}
		end += nl + 1
		if end < len(src) && src[end] != ' ' && src[end] != '\t' && src[end] != '\n' && src[end] != '\r' && src[end] != '#' {
			break
		}
	}
	if end-start > maxPackSection {
		return nil
	}
	return src[start:end]
}

// dirName is how a directory's files are named in origins and problems:
// its pack name, else the base name of the folder the user gave.
func dirName(d Dir, srcs [][]byte) string {
	if n := sectionName(srcs); n != "" {
		return n
	}
	n := filepath.Base(filepath.Clean(d.Name))
	if n == "." || n == string(filepath.Separator) || n == "" {
		return "pakke"
	}
	return n
}

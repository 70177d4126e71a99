package catalog

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"path/filepath"
	"strings"

	"github.com/goccy/go-yaml/lexer"
	"github.com/goccy/go-yaml/token"
)

// Limits bound the work a knowledge pack can make the loader do. A pack
// may come from anyone (a regional network's folder), and the YAML
// parser's time grows with the square of the nesting depth, so every limit
// is checked before a file is parsed or read whole.
type Limits struct {
	// MaxFileBytes is the largest YAML or CSV file of a pack. The shipped
	// pack's largest file has about 27 kB.
	MaxFileBytes int64
	// MaxDepth is the deepest nesting of YAML collections (mappings and
	// lists, block or flow). The schema needs about six levels.
	MaxDepth int
	// MaxAliases is the most YAML aliases a file may hold. The decoder
	// refuses every alias with its line; this limit stops a file made of
	// little else before it is parsed.
	MaxAliases int
}

// DefaultLimits returns limits that are safe for a pack from anyone and
// far above what a real pack needs.
func DefaultLimits() Limits {
	return Limits{MaxFileBytes: 4 << 20, MaxDepth: 32, MaxAliases: 64}
}

// orDefault fills the limits left at zero (or below) with the defaults.
func (l Limits) orDefault() Limits {
	d := DefaultLimits()
	if l.MaxFileBytes <= 0 {
		l.MaxFileBytes = d.MaxFileBytes
	}
	if l.MaxDepth <= 0 {
		l.MaxDepth = d.MaxDepth
	}
	if l.MaxAliases <= 0 {
		l.MaxAliases = d.MaxAliases
	}
	return l
}

// fileError is a problem with a pack file as a whole (where it leads, what
// it is, how large it is), found before its content is read.
type fileError struct{ msg string }

func (e *fileError) Error() string { return e.msg }

// openFile opens the file name (slash-separated, relative to the pack
// directory) for reading, after checking that it stays inside the pack
// directory, that it is a regular file and that it is no larger than the
// limit. The returned reader stops one byte past the limit, so a file
// that grows while it is read is caught too (see readAll). A *fileError
// says what is wrong with the file; other errors come from the file
// system.
func openFile(dir Dir, name string, lim Limits) (io.ReadCloser, error) {
	if err := staysInside(dir, name); err != nil {
		return nil, err
	}
	p := path.Join(dir.Path, name)
	// Stat before opening: opening a named pipe would wait for a writer.
	fi, err := fs.Stat(dir.FS, p)
	if err != nil {
		return nil, err
	}
	if err := checkInfo(fi, lim); err != nil {
		return nil, err
	}
	f, err := dir.FS.Open(p)
	if err != nil {
		return nil, err
	}
	// The file opened is the one judged, even if the name was swapped.
	if fi, err = f.Stat(); err == nil {
		err = checkInfo(fi, lim)
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	return struct {
		io.Reader
		io.Closer
	}{io.LimitReader(f, lim.MaxFileBytes+1), f}, nil
}

func checkInfo(fi fs.FileInfo, lim Limits) error {
	if !fi.Mode().IsRegular() {
		return &fileError{"not a regular file (" + modeName(fi.Mode()) + ")"}
	}
	if fi.Size() > lim.MaxFileBytes {
		return tooLarge(fi.Size(), lim)
	}
	return nil
}

func tooLarge(size int64, lim Limits) error {
	return &fileError{fmt.Sprintf("%d bytes, more than the %d a pack file may have", size, lim.MaxFileBytes)}
}

func modeName(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a folder"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeDevice != 0, m&fs.ModeCharDevice != 0:
		return "a device"
	}
	return "mode " + m.String()
}

// readFile reads a whole pack file within the limits (see openFile).
func readFile(dir Dir, name string, lim Limits) ([]byte, error) {
	f, err := openFile(dir, name, lim)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(f)
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > lim.MaxFileBytes {
		return nil, &fileError{fmt.Sprintf("more than the %d bytes a pack file may have", lim.MaxFileBytes)}
	}
	return b, nil
}

// maxLinks is how many symbolic links a name may pass through, as in
// Linux's path resolution.
const maxLinks = 40

// staysInside follows the symbolic links along name, inside dir, and
// returns a *fileError when one leads out of the pack directory: the
// inside-the-pack check on a register's file name alone would let
// "k.csv -> /etc/passwd" through. A file system that cannot read links
// (the embedded pack) has none to follow.
func staysInside(dir Dir, name string) error {
	rl, ok := dir.FS.(fs.ReadLinkFS)
	if !ok {
		return nil
	}
	rest := strings.Split(name, "/")
	resolved := "" // relative to dir.Path; "" is the directory itself
	links := 0
	target := "" // the last link followed
	for len(rest) > 0 {
		c := rest[0]
		rest = rest[1:]
		switch c {
		case "", ".":
			continue
		case "..":
			if resolved == "" {
				return &fileError{fmt.Sprintf("a symbolic link that leads outside the pack directory (to %s)", target)}
			}
			resolved = strings.TrimSuffix(path.Dir(resolved), ".")
			continue
		}
		next := path.Join(resolved, c)
		fi, err := rl.Lstat(path.Join(dir.Path, next))
		if err != nil {
			return nil // opening it will say what is wrong
		}
		if fi.Mode()&fs.ModeSymlink == 0 {
			resolved = next
			continue
		}
		if links++; links > maxLinks {
			return &fileError{"too many symbolic links"}
		}
		target, err = rl.ReadLink(path.Join(dir.Path, next))
		if err != nil {
			return err
		}
		if escapes(resolved, target) {
			return &fileError{fmt.Sprintf("a symbolic link that leads outside the pack directory (to %s)", target)}
		}
		rest = append(strings.Split(filepath.ToSlash(target), "/"), rest...)
	}
	return nil
}

// escapes reports whether a link target, read in the directory from
// (relative to the pack directory), leads out of the pack directory.
func escapes(from, target string) bool {
	if path.IsAbs(target) || filepath.IsAbs(target) || filepath.VolumeName(target) != "" {
		return true
	}
	return !filepath.IsLocal(filepath.FromSlash(path.Join(from, filepath.ToSlash(target))))
}

// checkYAML refuses a YAML file whose collections nest deeper than the
// limit or that holds more aliases than the limit, before it is parsed: the
// parser's time grows with the square of the depth (100 000 nested "[" in
// 200 kB took it past 7 GB), while the scanner used here is linear. It
// returns the line where the limit is passed and the problem, or 0 and "".
func checkYAML(src []byte, lim Limits) (int, string) {
	flow := 0       // open [ and {
	var block []int // columns of the open block collections, innermost last
	aliases := 0
	lastLine := 0
	for _, tk := range lexer.Tokenize(string(src)) {
		if tk.Position == nil {
			continue
		}
		line, col := tk.Position.Line, tk.Position.Column
		first := line != lastLine
		switch tk.Type {
		case token.CommentType:
			continue
		case token.DocumentHeaderType, token.DocumentEndType:
			block, flow = block[:0], 0
		case token.AliasType:
			if aliases++; aliases > lim.MaxAliases {
				return line, fmt.Sprintf("more than %d aliases; a pack file uses none (anchors and aliases are not supported)", lim.MaxAliases)
			}
		}
		lastLine = line
		// A node in block context opens a level when it is the first on
		// its line, or a "-" or "?" (several may share a line: "- - x").
		// It closes the levels at its column and to the right of it.
		if flow == 0 && (first || tk.Type == token.SequenceEntryType || tk.Type == token.MappingKeyType) {
			for len(block) > 0 && block[len(block)-1] >= col {
				block = block[:len(block)-1]
			}
			block = append(block, col)
		}
		switch tk.Type {
		case token.SequenceStartType, token.MappingStartType:
			flow++
		case token.SequenceEndType, token.MappingEndType:
			flow = max(flow-1, 0)
		}
		if flow+len(block) > lim.MaxDepth+1 { // +1: the top-level mapping itself
			return line, fmt.Sprintf("collections nested more than %d levels deep; the file is not read further", lim.MaxDepth)
		}
	}
	return 0, ""
}

// problemOf turns an error of openFile or readFile into a problem text.
func problemOf(err error) string {
	if fe := (*fileError)(nil); errors.As(err, &fe) {
		return fe.msg
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return "cannot read: " + pe.Err.Error()
	}
	return "cannot read: " + err.Error()
}

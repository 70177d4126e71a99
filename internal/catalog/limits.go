package catalog

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"path/filepath"
	"strings"
)

// Limits bound the work a knowledge pack can make the loader do. A pack
// may come from anyone (a regional network's folder), and the YAML
// parser's time grows with the square of the nesting depth, so every limit
// is checked before a file is parsed or read whole.
type Limits struct {
	// MaxFileBytes is the largest YAML or CSV file of a pack. The shipped
	// pack's largest file has about 27 kB; loading 1 MB of YAML entries
	// takes the parser and the checks seconds and hundreds of megabytes.
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
	return Limits{MaxFileBytes: 1 << 20, MaxDepth: 32, MaxAliases: 64}
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
// limit or that holds more aliases than the limit, before it is parsed:
// the parser's time grows with the square of the depth (100 000 nested
// "[" in 200 kB took it past 7 GB), and even its scanner keeps a couple of
// hundred bytes per token. This check reads the bytes once, keeps no more
// than the limit's worth of state and stops at the first line past a
// limit. It returns that line and the problem, or 0 and "".
//
// It knows enough YAML to count only what opens a collection: "[" and
// "{" where a value starts (every one inside a flow collection), the
// indentation of each line, and "-" and "?" entries ("- - x" nests twice);
// it skips quoted strings, comments and the lines of block scalars. Where
// it is unsure it counts a level more, never less, and the limit is far
// above what a pack needs.
func checkYAML(src []byte, lim Limits) (int, string) {
	deep := func(line int) (int, string) {
		return line, fmt.Sprintf("collections nested more than %d levels deep; the file is not read further", lim.MaxDepth)
	}
	var (
		block   []int // columns of the open block collections, innermost last
		flow    int   // open "[" and "{"
		aliases int
		quote   byte // ' or " while inside a quoted string
		scalar  = -1 // indentation of the line that opened a block scalar
	)
	open := func(col int) {
		for len(block) > 0 && block[len(block)-1] >= col {
			block = block[:len(block)-1]
		}
		block = append(block, col)
	}
	lineNo := 0
	for line := range bytes.Lines(src) {
		lineNo++
		line = bytes.TrimSuffix(bytes.TrimSuffix(line, []byte("\n")), []byte("\r"))
		indent := 0
		for indent < len(line) && line[indent] == ' ' {
			indent++
		}
		blank := indent == len(line)
		if scalar >= 0 {
			if blank || indent > scalar {
				continue // a line of the block scalar's text
			}
			scalar = -1
		}
		i := 0
		if quote == 0 && flow == 0 {
			if blank || line[indent] == '#' {
				continue
			}
			if (bytes.HasPrefix(line, []byte("---")) || bytes.HasPrefix(line, []byte("..."))) && (len(line) == 3 || line[3] == ' ') {
				block, flow = block[:0], 0
				continue
			}
			open(indent)
			i = indent
			for i < len(line) && (line[i] == '-' || line[i] == '?') && (i+1 == len(line) || line[i+1] == ' ') {
				i++
				for i < len(line) && line[i] == ' ' {
					i++
				}
				open(i)
			}
			if len(block) > lim.MaxDepth+1 { // +1: the top-level mapping itself
				return deep(lineNo)
			}
		}
		start := true // at a place where a value may start
		for ; i < len(line); i++ {
			c := line[i]
			if quote != 0 {
				switch {
				case c == '\\' && quote == '"':
					i++
				case c == quote && quote == '\'' && i+1 < len(line) && line[i+1] == '\'':
					i++
				case c == quote:
					quote, start = 0, false
				}
				continue
			}
			switch {
			case c == ' ' || c == '\t':
				continue
			case c == '#' && (i == 0 || line[i-1] == ' ' || line[i-1] == '\t'):
				i = len(line) // a comment, to the end of the line
				continue
			case (c == '\'' || c == '"') && start:
				quote = c
			case (c == '[' || c == '{') && (flow > 0 || start):
				flow++
				if flow+len(block) > lim.MaxDepth+1 {
					return deep(lineNo)
				}
				continue // start stays true: a value starts inside
			case c == ']' || c == '}':
				if flow > 0 {
					flow--
				}
			case c == ',' && flow > 0:
				start = true
				continue
			case c == ':' && (i+1 == len(line) || line[i+1] == ' ' || line[i+1] == '\t' || flow > 0):
				start = true
				continue
			case (c == '-' || c == '?') && start && (i+1 == len(line) || line[i+1] == ' '):
				continue // an entry after a key on the same line is not valid YAML; the parser says so
			case (c == '*' || c == '&' || c == '!') && start:
				if c == '*' {
					if aliases++; aliases > lim.MaxAliases {
						return lineNo, fmt.Sprintf("more than %d aliases; a pack file uses none (anchors and aliases are not supported)", lim.MaxAliases)
					}
				}
				// An alias, an anchor or a tag: its name runs to a space
				// or a flow indicator, and a value may follow it.
				for i+1 < len(line) && !bytes.ContainsRune([]byte(" \t,[]{}"), rune(line[i+1])) {
					i++
				}
				continue
			case (c == '|' || c == '>') && start && flow == 0:
				scalar = indent
				i = len(line) // the header's indicators and comment
				continue
			}
			start = false
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

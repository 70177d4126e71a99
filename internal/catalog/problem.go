package catalog

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Problem is one thing wrong in a knowledge pack, located as precisely as the
// input allows: a YAML or CSV file and line, or a spreadsheet cell.
type Problem struct {
	File  string // path as the caller gave it (pack directory joined with the file name)
	Line  int    // 1-based line (CSV: the record's line; XLSX: the row); 0 when unknown
	Sheet string // XLSX only: the sheet name
	Col   string // XLSX only: the column letter, e.g. "C"
	Field string // the field path inside the entry, e.g. "evidence[0].theme"; may be empty
	Msg   string // what is wrong, in English
}

// String formats the problem as "file:line: field: problem" (YAML, CSV) or
// `file: sheet "S" row N column C: field: problem` (XLSX).
func (p Problem) String() string {
	var b strings.Builder
	b.WriteString(p.File)
	switch {
	case p.Sheet != "":
		fmt.Fprintf(&b, ": sheet %q row %d", p.Sheet, p.Line)
		if p.Col != "" {
			fmt.Fprintf(&b, " column %s", p.Col)
		}
	case p.Line > 0:
		fmt.Fprintf(&b, ":%d", p.Line)
	}
	if p.Field != "" {
		b.WriteString(": ")
		b.WriteString(p.Field)
	}
	b.WriteString(": ")
	b.WriteString(p.Msg)
	return b.String()
}

// Problems is every problem found in one load or import, sorted by file,
// line and field. It is an error so a caller gets all of them at once;
// Load wraps it as fault.Invalid, and errors.As finds it.
type Problems []Problem

// Error lists the problems one per line.
func (ps Problems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// sort orders the problems by file, line, column, field and message, and
// drops exact duplicates (one bad node can be reached twice).
func (ps Problems) sort() Problems {
	slices.SortFunc(ps, func(a, b Problem) int {
		return cmp.Or(
			cmp.Compare(a.File, b.File),
			cmp.Compare(a.Sheet, b.Sheet),
			cmp.Compare(a.Line, b.Line),
			cmp.Compare(len(a.Col), len(b.Col)),
			cmp.Compare(a.Col, b.Col),
			cmp.Compare(a.Field, b.Field),
			cmp.Compare(a.Msg, b.Msg),
		)
	})
	return slices.Compact(ps)
}

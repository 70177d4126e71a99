package catalog

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"path"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
)

var digitsRE = regexp.MustCompile(`^[0-9]+$`)

// codeLen is the length of a code in a register of the unit: municipality
// numbers have four digits, county numbers two.
func codeLen(u RegisterUnit) int {
	if u == RegisterCounties {
		return 2
	}
	return 4
}

// readRegister reads the register's CSV file into r.Areas and checks it:
// the named columns exist, codes are well-formed and unique, populations
// are integers, and the row count is the one the YAML states.
func readRegister(r *Register, dir Dir, pack string, lim Limits, c *checker) {
	if r.File == "" {
		return
	}
	if !filepath.IsLocal(r.File) || strings.Contains(r.File, `\`) {
		c.add(r.Origin, "file", fmt.Sprintf("%q must be a path inside the pack directory", r.File))
		return
	}
	r.Path = path.Join(pack, r.File)
	f, err := openFile(dir, filepath.ToSlash(r.File), lim)
	if fe := (*fileError)(nil); errors.As(err, &fe) {
		c.add(r.Origin, "file", r.File+" is "+fe.msg)
		return
	}
	if err != nil {
		c.add(r.Origin, "file", fmt.Sprintf("cannot open %s: %v", r.Path, errors.Unwrap(err)))
		return
	}
	defer f.Close()

	at := func(line int, field, msg string) {
		*c.problems = append(*c.problems, Problem{File: r.Path, Line: line, Field: field, Msg: msg})
	}
	cr := csv.NewReader(f)
	header, err := cr.Read()
	if err != nil {
		at(1, "", fmt.Sprintf("cannot read the header: %v", err))
		return
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.TrimSpace(h)] = i
	}
	named := []struct{ field, name string }{
		{"code_column", r.CodeColumn}, {"name_column", r.NameColumn}, {"parent_column", r.ParentColumn},
		{"population_column", r.PopulationColumn}, {"population_date_column", r.PopulationDateColumn},
	}
	if r.Crosswalk != nil {
		named = append(named, struct{ field, name string }{"crosswalk.column", r.Crosswalk.Column})
	}
	missing := false
	for _, n := range named {
		if _, ok := col[n.name]; n.name != "" && !ok {
			c.add(r.Origin, n.field, fmt.Sprintf("column %q is not in the header of %s", n.name, r.Path))
			missing = true
		}
	}
	if missing {
		return
	}
	cell := func(rec []string, name string) string {
		if name == "" {
			return ""
		}
		return strings.TrimSpace(rec[col[name]])
	}

	first := map[string]int{}
	want := codeLen(r.Unit)
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			// FieldPos is only valid for a record that was read: an
			// unterminated quote at the end has none (FuzzRegisterCSV).
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				at(pe.Line, "", pe.Err.Error())
				if errors.Is(pe.Err, csv.ErrFieldCount) {
					continue
				}
			} else {
				at(0, "", err.Error())
			}
			return
		}
		line, _ := cr.FieldPos(0)
		a := Area{
			Code:           cell(rec, r.CodeColumn),
			Name:           cell(rec, r.NameColumn),
			Parent:         cell(rec, r.ParentColumn),
			PopulationDate: cell(rec, r.PopulationDateColumn),
			Columns:        make(map[string]string, len(header)),
			Line:           line,
		}
		for i, h := range header {
			a.Columns[h] = rec[i]
		}
		if !digitsRE.MatchString(a.Code) || len(a.Code) != want {
			at(line, r.CodeColumn, fmt.Sprintf("%q is not a %d-digit code", a.Code, want))
		}
		if prev, dup := first[a.Code]; dup {
			at(line, r.CodeColumn, fmt.Sprintf("duplicate code %s (first on line %d)", a.Code, prev))
		} else {
			first[a.Code] = line
		}
		if a.Name == "" {
			at(line, r.NameColumn, "empty name")
		}
		if a.Parent != "" && (!digitsRE.MatchString(a.Parent) || len(a.Parent) != 2) {
			at(line, r.ParentColumn, fmt.Sprintf("%q is not a 2-digit county code", a.Parent))
		}
		if s := cell(rec, r.PopulationColumn); s != "" {
			n, err := strconv.Atoi(s)
			if err != nil || n <= 0 {
				at(line, r.PopulationColumn, fmt.Sprintf("%q is not a positive integer", s))
			}
			a.Population = n
		}
		if r.Crosswalk != nil {
			for _, code := range strings.Split(cell(rec, r.Crosswalk.Column), ";") {
				if code = strings.TrimSpace(code); code != "" {
					a.Crosswalk = append(a.Crosswalk, code)
				}
			}
		}
		r.Areas = append(r.Areas, a)
	}
	if r.Count > 0 && len(r.Areas) != r.Count {
		c.add(r.Origin, "count", fmt.Sprintf("%s has %d rows, not %d", r.Path, len(r.Areas), r.Count))
	}
}

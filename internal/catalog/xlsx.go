package catalog

import (
	"cmp"
	"fmt"
	"io"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/grunnlag/grunnlag/internal/fault"
)

// NSM publishes a spreadsheet with all 118 measures of the Grunnprinsipper,
// NSM's prioritisation of each and a mapping to ISO/IEC 27002. Its exact
// layout is not known here, so the importer looks for the header row by
// column names (case and spacing ignored, column order free) in the first
// rows of every sheet, and reads every sheet that has one:
//
//	role       required  header names accepted
//	id         yes       ID, Tiltak-ID, Tiltaks-ID, TiltaksID, Tiltaksnummer, Tiltak nr, Nr, Measure ID, Control ID
//	text       yes       Tiltak, Beskrivelse, Tiltaksbeskrivelse, Tekst, Measure, Description
//	priority   yes       Prioritet, Prioritering, NSMs prioritering, Priority
//	principle  no        Prinsipp, Prinsipp-ID, Grunnprinsipp, Principle
//	iso        no        ISO/IEC 27002, ISO 27002, ISO/IEC 27002:2022, ISO
//
// Rows without an id and without a priority (headings, notes) are skipped.

// headerNames returns the accepted header names per role, normalised.
func headerNames() map[string][]string {
	return map[string][]string{
		"id":        {"id", "tiltak-id", "tiltaks-id", "tiltaksid", "tiltaksnummer", "tiltak nr", "nr", "measure id", "control id"},
		"text":      {"tiltak", "beskrivelse", "tiltaksbeskrivelse", "tekst", "measure", "description"},
		"priority":  {"prioritet", "prioritering", "nsms prioritering", "priority"},
		"principle": {"prinsipp", "prinsipp-id", "grunnprinsipp", "principle"},
		"iso":       {"iso/iec 27002", "iso 27002", "iso/iec 27002:2022", "iso"},
	}
}

// headerScanRows is how many rows of a sheet may precede the header row.
const headerScanRows = 20

var (
	spaceRE       = regexp.MustCompile(`\s+`)
	leadingPrinRE = regexp.MustCompile(`^([1-9]\.[0-9]+)\b`)
)

func normHeader(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	s = strings.TrimRight(s, ":.")
	return spaceRE.ReplaceAllString(s, " ")
}

// ImportMeasures reads NSM's measure spreadsheet at path. See ReadMeasures.
func ImportMeasures(path string) ([]Measure, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fault.E(fault.NotFound, fmt.Errorf("nsm spreadsheet: %w", err))
	}
	defer f.Close()
	return ReadMeasures(f, path)
}

// ReadMeasures reads NSM's measure spreadsheet (XLSX) from r; name is the
// file name used in problems. The measures it returns carry NSM's text as
// Title, NSM's priority, confidence "official" and an Origin pointing at the
// sheet row. Problems name file, sheet, row and column; all of them are
// returned together as Problems wrapped in fault.Invalid.
func ReadMeasures(r io.Reader, name string) ([]Measure, error) {
	wb, err := excelize.OpenReader(r)
	if err != nil {
		return nil, fault.E(fault.Invalid, fmt.Errorf("nsm spreadsheet %s: %w", name, err))
	}
	defer wb.Close()

	var (
		ms       []Measure
		problems Problems
		found    bool
		first    = map[string]string{} // measure id → "sheet row n"
	)
	for _, sheet := range wb.GetSheetList() {
		rows, err := wb.GetRows(sheet)
		if err != nil {
			return nil, fault.E(fault.Invalid, fmt.Errorf("nsm spreadsheet %s, sheet %q: %w", name, sheet, err))
		}
		hdr, cols, ps := findHeader(rows, name, sheet)
		problems = append(problems, ps...)
		if hdr < 0 {
			continue
		}
		found = true
		for i := hdr + 1; i < len(rows); i++ {
			m, ps, ok := measureRow(rows[i], i+1, cols, name, sheet)
			problems = append(problems, ps...)
			if !ok {
				continue
			}
			if prev, dup := first[m.ID]; dup {
				problems = append(problems, Problem{File: name, Sheet: sheet, Line: i + 1, Col: colName(cols["id"]), Field: "id",
					Msg: fmt.Sprintf("duplicate measure %s (first at %s)", m.ID, prev)})
				continue
			}
			first[m.ID] = fmt.Sprintf("sheet %q row %d", sheet, i+1)
			ms = append(ms, m)
		}
	}
	if !found && len(problems) == 0 {
		problems = append(problems, Problem{File: name, Msg: "no sheet has a header row with columns for id, text and priority (see the catalog package documentation for the accepted names)"})
	}
	if len(problems) > 0 {
		return nil, fault.E(fault.Invalid, problems.sort())
	}
	return ms, nil
}

func colName(i int) string {
	n, err := excelize.ColumnNumberToName(i + 1)
	if err != nil {
		return strconv.Itoa(i + 1)
	}
	return n
}

// findHeader returns the index of the header row and the column of each
// role found, or -1 when no row in the first rows names id, text and
// priority. Two columns claiming the same role are a problem.
func findHeader(rows [][]string, name, sheet string) (int, map[string]int, Problems) {
	names := headerNames()
	for i := 0; i < len(rows) && i < headerScanRows; i++ {
		cols := map[string]int{}
		var ps Problems
		for j, cell := range rows[i] {
			h := normHeader(cell)
			for role, accepted := range names {
				if !slices.Contains(accepted, h) {
					continue
				}
				if prev, dup := cols[role]; dup {
					ps = append(ps, Problem{File: name, Sheet: sheet, Line: i + 1, Col: colName(j), Field: cell,
						Msg: fmt.Sprintf("column %s is already the %s column; keep one", colName(prev), role)})
					continue
				}
				cols[role] = j
			}
		}
		_, id := cols["id"]
		_, text := cols["text"]
		_, prio := cols["priority"]
		if id && text && prio {
			return i, cols, ps
		}
	}
	return -1, nil, nil
}

// measureRow reads one row; ok is false for rows that are not measures
// (empty rows, headings) and for rows with problems.
func measureRow(row []string, line int, cols map[string]int, name, sheet string) (Measure, Problems, bool) {
	cell := func(role string) string {
		j, ok := cols[role]
		if !ok || j >= len(row) {
			return ""
		}
		return strings.TrimSpace(row[j])
	}
	id, text, prio := cell("id"), cell("text"), cell("priority")
	heading := id == "" || principleRE.MatchString(id)
	if heading && prio == "" {
		return Measure{}, nil, false // empty row, principle or category heading, note
	}
	var ps Problems
	bad := func(role, msg string) {
		ps = append(ps, Problem{File: name, Sheet: sheet, Line: line, Col: colName(cols[role]), Field: role, Msg: msg})
	}
	if !measureRE.MatchString(id) {
		bad("id", fmt.Sprintf("%q is not a measure id (want principle.number, e.g. 2.3.1)", id))
	}
	if text == "" {
		bad("text", "empty measure text")
	}
	if prio == "" {
		bad("priority", "empty priority")
	}
	principle := ""
	if i := strings.LastIndex(id, "."); measureRE.MatchString(id) {
		principle = id[:i]
	}
	if c := cell("principle"); c != "" && principle != "" {
		m := leadingPrinRE.FindStringSubmatch(c)
		if m == nil || m[1] != principle {
			bad("principle", fmt.Sprintf("%q does not match measure %s (a number cell may have lost a trailing zero; format the column as text)", c, id))
		}
	}
	if len(ps) > 0 {
		return Measure{}, ps, false
	}
	return Measure{
		ID:         id,
		Principle:  principle,
		Title:      text,
		Priority:   prio,
		ISO27002:   cell("iso"),
		Confidence: Official,
		Origin:     Origin{Pack: "nsm-xlsx", File: name, Line: line},
	}, nil, true
}

// MergeResult tells what MergeMeasures changed.
type MergeResult struct {
	Updated []string // ids of pack measures that got NSM's text and priority
	Added   []string // ids of measures the pack did not have
}

// MergeMeasures merges measures read from NSM's spreadsheet over the pack's:
// a known measure gets NSM's Title, Priority and ISO mapping and confidence
// "official", keeping the editor's Paraphrase and sources; an unknown one is
// added. Every measure's principle must be in the pack; if one is not,
// nothing changes and the error lists them all. Measures end up in NSM's
// numeric order; each replaced entry is recorded in Overrides.
func (p *Pack) MergeMeasures(ms []Measure) (MergeResult, error) {
	var problems Problems
	for _, m := range ms {
		if _, ok := p.Principle(m.Principle); !ok {
			problems = append(problems, Problem{File: m.Origin.File, Line: m.Origin.Line, Field: "principle",
				Msg: fmt.Sprintf("measure %s: principle %q is not in the pack", m.ID, m.Principle)})
		}
	}
	if len(problems) > 0 {
		return MergeResult{}, fault.E(fault.Invalid, problems.sort())
	}
	var res MergeResult
	for _, m := range ms {
		nm := m
		if old, ok := p.Measure(m.ID); ok {
			nm.Paraphrase, nm.Notes = old.Paraphrase, old.Notes
			nm.Sources = slices.Clone(old.Sources)
			i := slices.Index(p.Measures, old)
			p.Measures[i] = &nm
			p.Overrides = append(p.Overrides, Override{Ref: nm.Ref(), Replaced: old.Origin, By: nm.Origin})
			res.Updated = append(res.Updated, m.ID)
		} else {
			p.Measures = append(p.Measures, &nm)
			res.Added = append(res.Added, m.ID)
		}
		p.byRef[nm.Ref()] = &nm
	}
	slices.SortStableFunc(p.Measures, func(a, b *Measure) int { return compareIDs(a.ID, b.ID) })
	return res, nil
}

// compareIDs orders dotted ids numerically: 2.3.2 before 2.3.10.
func compareIDs(a, b string) int {
	as, bs := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < len(as) && i < len(bs); i++ {
		x, _ := strconv.Atoi(as[i])
		y, _ := strconv.Atoi(bs[i])
		if c := cmp.Compare(x, y); c != 0 {
			return c
		}
	}
	return cmp.Compare(len(as), len(bs))
}

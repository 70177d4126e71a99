package analysis

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/grunnlag/grunnlag/internal/catalog"
	"github.com/grunnlag/grunnlag/internal/jsonstat"
	"github.com/grunnlag/grunnlag/internal/store"
)

// Status says whether an indicator could be computed, and if not, why.
type Status string

// The statuses of an indicator.
const (
	OK           Status = "ok"
	TableMissing Status = "mangler-tabell" // the table was never synced
	Unresolved   Status = "ikke-løst"      // the definition does not fit the table
	NoValue      Status = "mangler-verdi"  // the cell of the statement's year is missing
)

// Indicator is one indicator definition computed against a snapshot.
type Indicator struct {
	Def      *catalog.Indicator
	Status   Status
	Problem  string // bokmål, why Status is not OK
	Err      error  // the detail; a *ResolveError when Unresolved
	Snapshot *store.SnapshotInfo
	Resolved []ResolvedDimension

	// Headline is the statement's cell: the statement's year (or the
	// newest with a value), all sizes. Nil unless Status is OK.
	Headline *Point
	// Statement is the filled-in statement, split so the report can link
	// each figure to its footnote. Nil when the statement needs a number
	// that cannot be computed (StatementMissing says why).
	Statement        []Part
	StatementMissing string

	Trend   []Point // all sizes, every year of the table in its order
	Classes []Point // each size class in the headline's year
	Spread  *Spread // the largest difference between size classes
}

// Point is the indicator's value for one year and size class.
type Point struct {
	Year      string // the time category's label
	YearCode  string
	YearNum   int    // 0 when the category is no year
	Class     string // the size class label; "" when the table has no sizes
	ClassCode string
	Total     bool // the size dimension's total, or no size dimension
	Share     float64
	OK        bool
	Missing   string // bokmål, why the value is missing
	Cells     []Cell // the cells combined into Share
	Estimate  *Estimate
	// EstimateMissing says why there is no number of municipalities.
	EstimateMissing string
}

// Cell is one cell of a snapshot that an indicator read.
type Cell struct {
	Index  int     `json:"index"`  // flat row-major index in the dataset
	Coords []Coord `json:"coords"` // one per dimension, in the dataset's order
	Value  float64 `json:"value"`
	OK     bool    `json:"ok"`
	Status string  `json:"status,omitempty"` // SSB's symbol, if any
}

// Coord is one coordinate of a cell.
type Coord struct {
	Dimension string `json:"dimension"`
	Code      string `json:"code"`
	Label     string `json:"label"`
}

// Spread is the difference between the size classes with the largest and
// the smallest share in one year.
type Spread struct {
	High, Low Point
	Diff      float64 // High.Share − Low.Share, percentage points
}

// PartKind says what a part of a statement is.
type PartKind int

// The kinds of statement parts.
const (
	Text      PartKind = iota // words of the definition
	CountPart                 // the number of municipalities ("mer enn 60")
	SharePart                 // the share ("17,4 %")
	YearPart                  // the year ("2021")
)

// Part is one piece of a statement.
type Part struct {
	Kind PartKind
	Text string
}

// StatementText returns the statement as one string, or "" when none.
func (ind *Indicator) StatementText() string {
	var b strings.Builder
	for _, p := range ind.Statement {
		b.WriteString(p.Text)
	}
	return b.String()
}

// Change returns the first and the last year with a value, for the trend;
// ok is false with fewer than two such years.
func (ind *Indicator) Change() (first, last Point, ok bool) {
	var pts []Point
	for _, p := range ind.Trend {
		if p.OK {
			pts = append(pts, p)
		}
	}
	if len(pts) < 2 {
		return Point{}, Point{}, false
	}
	return pts[0], pts[len(pts)-1], true
}

// symbolMeaning explains SSB's status symbols for a missing cell.
func symbolMeaning(s string) string {
	switch s {
	case ".":
		return "tall kan ikke forekomme"
	case "..":
		return "tall mangler"
	case "...":
		return "tall finnes ikke på dette tidspunktet"
	case ":":
		return "vises ikke av hensyn til personvern"
	}
	return "ukjent symbol"
}

// compute computes one indicator from its table's snapshot; snap is nil
// when the table was never synced.
func compute(pack *catalog.Pack, def *catalog.Indicator, snap *store.Snapshot) *Indicator {
	ind := &Indicator{Def: def}
	if snap == nil || snap.Data == nil {
		ind.Status = TableMissing
		ind.Problem = notSynced(def.Table)
		ind.Err = fmt.Errorf("indicator %s: table %s has no snapshot", def.ID, def.Table)
		return ind
	}
	info := snap.Info()
	ind.Snapshot = &info
	ds := snap.Data
	r, err := resolve(def, ds)
	if err != nil {
		ind.Status, ind.Err = Unresolved, err
		var re *ResolveError
		if errors.As(err, &re) {
			ind.Problem = re.Message()
		}
		return ind
	}
	ind.Resolved = r.dims

	timeDim := &ds.Dimensions[r.time]
	point := func(t, s int) Point {
		tc := timeDim.Categories[t]
		p := Point{Year: tc.Label, YearCode: tc.Code, YearNum: yearOf(tc), Total: true}
		if r.size >= 0 {
			sc := ds.Dimensions[r.size].Categories[s]
			p.Total = s == r.total
			if !p.Total {
				p.Class, p.ClassCode = sc.Label, sc.Code
			}
		}
		p.Share, p.OK, p.Cells, p.Missing = combine(def, ds, r, t, s)
		if p.OK {
			p.Estimate, p.EstimateMissing = estimate(pack, def, p.YearNum, p.Class, p.Share)
		}
		return p
	}
	for t := range timeDim.Categories {
		ind.Trend = append(ind.Trend, point(t, r.total))
	}

	head := -1
	if def.Year != 0 {
		for t := range ind.Trend {
			if ind.Trend[t].YearNum == def.Year {
				head = t
			}
		}
		if head < 0 {
			years := make([]string, len(timeDim.Categories))
			for i, c := range timeDim.Categories {
				years[i] = c.Label
			}
			ind.Status = NoValue
			ind.Problem = fmt.Sprintf("Året %d finnes ikke i tabell %s; tabellen har %s.", def.Year, def.Table, strings.Join(years, ", "))
			ind.Err = fmt.Errorf("indicator %s: table %s has no year %d", def.ID, def.Table, def.Year)
			return ind
		}
	} else {
		for t := len(ind.Trend) - 1; t >= 0; t-- {
			if ind.Trend[t].OK {
				head = t
				break
			}
		}
		if head < 0 {
			ind.Status = NoValue
			ind.Problem = fmt.Sprintf("Tabell %s har ingen verdi for indikatoren i noe år.", def.Table)
			ind.Err = fmt.Errorf("indicator %s: table %s has no value in any year", def.ID, def.Table)
			return ind
		}
	}
	h := ind.Trend[head]
	if !h.OK {
		ind.Status = NoValue
		ind.Problem = fmt.Sprintf("Verdien for %s mangler i tabell %s: %s.", h.Year, def.Table, h.Missing)
		ind.Err = fmt.Errorf("indicator %s: table %s: no value for %s", def.ID, def.Table, h.YearCode)
		return ind
	}
	ind.Status = OK
	ind.Headline = &ind.Trend[head]
	if r.size >= 0 {
		for s := range ds.Dimensions[r.size].Categories {
			if s != r.total {
				ind.Classes = append(ind.Classes, point(head, s))
			}
		}
		ind.Spread = spread(ind.Classes)
	}
	ind.Statement, ind.StatementMissing = statement(def.Statement, ind.Headline)
	return ind
}

// combine adds up the selected cells at time t and size s, and applies
// the definition's combine. Any missing summand makes the value missing.
func combine(def *catalog.Indicator, ds *jsonstat.Dataset, r *resolution, t, s int) (float64, bool, []Cell, string) {
	n := len(ds.Dimensions)
	pos := make([]int, n)
	for i := range n {
		switch i {
		case r.time:
			pos[i] = t
		case r.size:
			pos[i] = s
		default:
			pos[i] = r.pos[i][0]
		}
	}
	terms := [][]int{pos}
	if r.sum >= 0 {
		terms = nil
		for _, p := range r.pos[r.sum] {
			q := append([]int(nil), pos...)
			q[r.sum] = p
			terms = append(terms, q)
		}
	}
	var sum float64
	var cells []Cell
	missing := ""
	for _, q := range terms {
		idx := ds.Index(q...)
		v, ok := ds.Value(idx)
		c := Cell{Index: idx, Value: v, OK: ok, Status: ds.CellStatus(idx)}
		for i, p := range q {
			cat := ds.Dimensions[i].Categories[p]
			c.Coords = append(c.Coords, Coord{Dimension: ds.Dimensions[i].ID, Code: cat.Code, Label: cat.Label})
		}
		cells = append(cells, c)
		if !ok && missing == "" {
			missing = "verdien mangler i tabellen"
			if c.Status != "" {
				missing += fmt.Sprintf(" (SSBs symbol «%s»: %s)", c.Status, symbolMeaning(c.Status))
			}
		}
		sum += v
	}
	if missing != "" {
		return 0, false, cells, missing
	}
	if def.CombineOrDefault() == catalog.Complement {
		sum = 100 - sum
	}
	// Shares come with one or two decimals; a sum of several picks up float
	// noise (17.4 + 0.2 = 17.599999999999998) that must not reach the JSON.
	return math.Round(sum*1e6) / 1e6, true, cells, ""
}

// yearOf reads a year from a time category: its code, else its label,
// must start with four digits ("2021", "2021K1").
func yearOf(c jsonstat.Category) int {
	for _, s := range []string{c.Code, c.Label} {
		if len(s) >= 4 {
			if y, err := strconv.Atoi(s[:4]); err == nil && y >= 1900 && y <= 2100 {
				return y
			}
		}
	}
	return 0
}

func spread(classes []Point) *Spread {
	var hi, lo *Point
	for i := range classes {
		p := &classes[i]
		if !p.OK {
			continue
		}
		if hi == nil || p.Share > hi.Share {
			hi = p
		}
		if lo == nil || p.Share < lo.Share {
			lo = p
		}
	}
	if hi == nil || hi == lo {
		return nil
	}
	return &Spread{High: *hi, Low: *lo, Diff: math.Round((hi.Share-lo.Share)*1e6) / 1e6}
}

// statement fills the definition's template with the headline's figures.
func statement(tmpl string, h *Point) ([]Part, string) {
	var parts []Part
	rest := tmpl
	for rest != "" {
		i := strings.IndexByte(rest, '{')
		j := strings.IndexByte(rest, '}')
		if i < 0 || j < i {
			parts = append(parts, Part{Text, rest})
			break
		}
		if i > 0 {
			parts = append(parts, Part{Text, rest[:i]})
		}
		switch rest[i : j+1] {
		case "{antall}":
			if h.Estimate == nil {
				return nil, "Utsagnet trenger et antall: " + h.EstimateMissing + "."
			}
			parts = append(parts, Part{CountPart, h.Estimate.Phrase})
		case "{andel}":
			parts = append(parts, Part{SharePart, Percent(h.Share)})
		case "{år}":
			parts = append(parts, Part{YearPart, h.Year})
		default:
			parts = append(parts, Part{Text, rest[i : j+1]})
		}
		rest = rest[j+1:]
	}
	// A statement is a sentence: it starts with a capital letter even when
	// it starts with a figure ("Mer enn 60 kommuner …").
	for k := range parts {
		if parts[k].Text == "" {
			continue
		}
		r, size := utf8.DecodeRuneInString(parts[k].Text)
		parts[k].Text = string(unicode.ToUpper(r)) + parts[k].Text[size:]
		break
	}
	return parts, ""
}

package analysis

import (
	"errors"
	"fmt"
	"math"
	"slices"
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

// The statuses of an indicator, and of each table of its series.
const (
	OK           Status = "ok"
	TableMissing Status = "mangler-tabell" // the table was never synced, and no figure of it is published
	Unresolved   Status = "ikke-løst"      // the definition does not fit the table
	NoValue      Status = "mangler-verdi"  // the table has no value for the indicator
)

// SourceKind says where the figures of a table of the series come from.
type SourceKind string

// The sources of figures.
const (
	// FromSnapshot is a snapshot of the table stored by a sync or import.
	FromSnapshot SourceKind = "snapshot"
	// FromPublished is figures read on a web page (catalog.Published),
	// used only when no snapshot of the table is stored.
	FromPublished SourceKind = "published"
)

// Segment is one table of an indicator's series: the table it reads, or
// the successor that replaced it, with where its figures came from.
type Segment struct {
	Reading catalog.Reading
	Source  SourceKind // "" when the table has no figures
	// Snapshot is the snapshot read, when Source is FromSnapshot.
	Snapshot *store.SnapshotInfo
	// Published are the figures used, by year, when Source is FromPublished.
	Published []*catalog.Published
	Resolved  []ResolvedDimension
	Status    Status // OK when the table gave the series at least its years
	Problem   string // bokmål, why Status is not OK
	Err       error  // the detail; a *ResolveError when Unresolved

	ds  *jsonstat.Dataset
	res *resolution
}

// Indicator is one indicator definition computed against the snapshots
// (or published figures) of the tables of its series.
type Indicator struct {
	Def     *catalog.Indicator
	Status  Status
	Problem string // bokmål, why Status is not OK
	Err     error

	// Segments are the tables of the series in order: the indicator's
	// table, then its successor.
	Segments []*Segment
	// Trend is every year of every table, all sizes, in the series' order.
	Trend []Point

	// Headline is the newest year with a value, all sizes. Nil unless
	// Status is OK.
	Headline *Point
	// Statement is the filled-in statement for the headline, split so the
	// report can link each figure to its footnote. Nil when the statement
	// needs a number that cannot be computed (StatementMissing says why).
	Statement        []Part
	StatementMissing string

	// Reference is the year appendix E read the figure for, as the table
	// gives it; nil when the definition names no year, or the table has no
	// such year (ReferenceMissing says why).
	Reference                 *Point
	ReferenceMissing          string
	ReferenceStatement        []Part
	ReferenceStatementMissing string
	// Check holds the reference year's figure against the appendix's own
	// reading, when the definition names the finding that quotes it.
	Check *AppendixCheck

	Classes []Point // each size class in the headline's year
	Spread  *Spread // the largest difference between size classes

	// Snapshot and Resolved are the headline's table's snapshot (nil for
	// published figures) and the codes its definition resolved to.
	Snapshot *store.SnapshotInfo
	Resolved []ResolvedDimension
}

// Point is the indicator's value for one year and size class.
type Point struct {
	Segment   int    // index of the table in Indicator.Segments
	Year      string // the time category's label
	YearCode  string
	YearNum   int    // 0 when the category is no year
	Class     string // the size class label; "" when the table has no sizes
	ClassCode string
	Total     bool // the size dimension's total, or no size dimension
	Share     float64
	OK        bool
	Missing   string // bokmål, why the value is missing
	Cells     []Cell // the cells combined into Share (none for a published figure)
	// Published is the figure the share comes from, for a table read from
	// published figures.
	Published *catalog.Published
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
	Dimension      string `json:"dimension"`
	DimensionLabel string `json:"dimension_label,omitempty"`
	Code           string `json:"code"`
	Label          string `json:"label"`
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

// StatementText returns the headline's statement as one string, or "".
func (ind *Indicator) StatementText() string { return partsText(ind.Statement) }

// ReferenceStatementText returns the statement for the appendix's year as
// one string, or "".
func (ind *Indicator) ReferenceStatementText() string { return partsText(ind.ReferenceStatement) }

func partsText(ps []Part) string {
	var b strings.Builder
	for _, p := range ps {
		b.WriteString(p.Text)
	}
	return b.String()
}

// SegmentOf returns the table of the series a point comes from.
func (ind *Indicator) SegmentOf(p *Point) *Segment { return ind.Segments[p.Segment] }

// Break returns the last point with a value before the series changes
// table and the first after it, when both tables have values: the two
// figures that must not be read as one comparable series.
func (ind *Indicator) Break() (before, after Point, ok bool) {
	for i := 1; i < len(ind.Trend); i++ {
		if ind.Trend[i].Segment == ind.Trend[i-1].Segment {
			continue
		}
		var b, a *Point
		for j := i - 1; j >= 0 && ind.Trend[j].Segment == ind.Trend[i-1].Segment; j-- {
			if ind.Trend[j].OK {
				b = &ind.Trend[j]
				break
			}
		}
		for j := i; j < len(ind.Trend) && ind.Trend[j].Segment == ind.Trend[i].Segment; j++ {
			if ind.Trend[j].OK {
				a = &ind.Trend[j]
				break
			}
		}
		if a != nil && b != nil {
			return *b, *a, true
		}
	}
	return Point{}, Point{}, false
}

// Change returns the first and the last year with a value in the
// headline's table, for the trend; ok is false with fewer than two such
// years. Years of another table are left out: across a break the figures
// are not comparable.
func (ind *Indicator) Change() (first, last Point, ok bool) {
	pts := ind.comparable()
	if len(pts) < 2 {
		return Point{}, Point{}, false
	}
	return pts[0], pts[len(pts)-1], true
}

// Previous returns the measurement before the headline in the same table,
// for the change since the previous measurement.
func (ind *Indicator) Previous() (Point, bool) {
	pts := ind.comparable()
	if len(pts) < 2 {
		return Point{}, false
	}
	return pts[len(pts)-2], true
}

func (ind *Indicator) comparable() []Point {
	if ind.Headline == nil {
		return nil
	}
	var pts []Point
	for _, p := range ind.Trend {
		if p.OK && p.Segment == ind.Headline.Segment {
			pts = append(pts, p)
		}
	}
	return pts
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

// englishLabels tells a person that a snapshot has SSB's English labels,
// which the definitions cannot match.
func englishLabels(table string) string {
	return fmt.Sprintf("Tabell %s er lagret med SSBs engelske etiketter, og definisjonene bruker de norske. Hent tabellen på nytt med «grunnlag sync %s» (uten --lang en).", table, table)
}

// compute computes one indicator from the snapshots of its tables (absent
// when a table was never synced), with the pack's published figures for a
// table that has none.
func compute(pack *catalog.Pack, def *catalog.Indicator, snaps map[string]*store.Snapshot) *Indicator {
	ind := &Indicator{Def: def}
	for k, r := range def.Readings() {
		seg := readSegment(pack, def, r, snaps[r.Table])
		for _, p := range segmentPoints(pack, def, seg) {
			p.Segment = k
			ind.Trend = append(ind.Trend, p)
		}
		ind.Segments = append(ind.Segments, seg)
	}

	head := -1
	for t := len(ind.Trend) - 1; t >= 0; t-- {
		if ind.Trend[t].OK {
			head = t
			break
		}
	}
	if head < 0 {
		ind.Status, ind.Problem, ind.Err = noHeadline(def, ind.Segments)
		ind.reference()
		ind.Check = check(pack, ind)
		return ind
	}
	ind.Status = OK
	ind.Headline = &ind.Trend[head]
	hs := ind.Segments[ind.Headline.Segment]
	ind.Snapshot, ind.Resolved = hs.Snapshot, hs.Resolved
	if hs.res != nil && hs.res.size >= 0 {
		t := slices.IndexFunc(hs.ds.Dimensions[hs.res.time].Categories, func(c jsonstat.Category) bool { return c.Code == ind.Headline.YearCode })
		for s := range hs.ds.Dimensions[hs.res.size].Categories {
			if s != hs.res.total {
				p := point(pack, def, hs, t, s)
				p.Segment = ind.Headline.Segment
				ind.Classes = append(ind.Classes, p)
			}
		}
		ind.Spread = spread(ind.Classes)
	}
	ind.Statement, ind.StatementMissing = statement(def.Statement, ind.Headline)
	ind.reference()
	ind.Check = check(pack, ind)
	return ind
}

// noHeadline says why an indicator has no value in any year: every table
// missing, or the first problem of a table that is there.
func noHeadline(def *catalog.Indicator, segs []*Segment) (Status, string, error) {
	for _, s := range segs {
		if s.Status != TableMissing && s.Status != OK {
			return s.Status, s.Problem, s.Err
		}
	}
	for _, s := range segs {
		if s.Status == OK {
			return NoValue, fmt.Sprintf("Tabell %s har ingen verdi for indikatoren i noe år.", s.Reading.Table),
				fmt.Errorf("indicator %s: table %s has no value in any year", def.ID, s.Reading.Table)
		}
	}
	return TableMissing, segs[0].Problem, segs[0].Err
}

// reference finds the appendix's year in the trend.
func (ind *Indicator) reference() {
	a := ind.Def.Appendix
	if a == nil {
		return
	}
	var years []string
	for i := range ind.Trend {
		p := &ind.Trend[i]
		if p.YearNum == a.Year {
			if !p.OK {
				ind.ReferenceMissing = fmt.Sprintf("verdien for %d mangler i tabell %s: %s", a.Year, ind.Segments[p.Segment].Reading.Table, p.Missing)
				return
			}
			ind.Reference = p
			ind.ReferenceStatement, ind.ReferenceStatementMissing = statement(ind.Def.Statement, p)
			return
		}
		years = append(years, p.Year)
	}
	switch {
	case len(years) == 0:
		ind.ReferenceMissing = fmt.Sprintf("tabell %s er ikke hentet, så tallet for %d er ukjent", ind.Def.Table, a.Year)
	default:
		ind.ReferenceMissing = fmt.Sprintf("året %d finnes ikke i tabellen, som har %s", a.Year, list(years))
	}
}

// readSegment reads one table of the series: its snapshot, else the
// published figures that stand for its cells.
func readSegment(pack *catalog.Pack, def *catalog.Indicator, r catalog.Reading, snap *store.Snapshot) *Segment {
	seg := &Segment{Reading: r}
	if snap != nil && snap.Data != nil {
		info := snap.Info()
		seg.Snapshot = &info
		if snap.Lang == "en" {
			seg.Status, seg.Problem = Unresolved, englishLabels(r.Table)
			seg.Err = fmt.Errorf("indicator %s: table %s: snapshot %d has English labels", def.ID, r.Table, snap.ID)
			return seg
		}
		res, err := resolve(def.ID, r, snap.Data)
		if err != nil {
			seg.Status, seg.Err = Unresolved, err
			var re *ResolveError
			if errors.As(err, &re) {
				seg.Problem = re.Message()
			}
			return seg
		}
		seg.Source, seg.Status, seg.ds, seg.res, seg.Resolved = FromSnapshot, OK, snap.Data, res, res.dims
		return seg
	}
	figs := slices.Clone(pack.PublishedFor(def.ID, r.Table))
	if len(figs) == 0 {
		seg.Status, seg.Problem = TableMissing, notSynced(r.Table)
		seg.Err = fmt.Errorf("indicator %s: table %s has no snapshot", def.ID, r.Table)
		return seg
	}
	slices.SortStableFunc(figs, func(a, b *catalog.Published) int { return a.Year - b.Year })
	seg.Source, seg.Status, seg.Published = FromPublished, OK, figs
	return seg
}

// segmentPoints returns the points of every year of a table, all sizes.
func segmentPoints(pack *catalog.Pack, def *catalog.Indicator, seg *Segment) []Point {
	var pts []Point
	switch seg.Source {
	case FromSnapshot:
		for t := range seg.ds.Dimensions[seg.res.time].Categories {
			pts = append(pts, point(pack, def, seg, t, seg.res.total))
		}
	case FromPublished:
		for _, f := range seg.Published {
			y := strconv.Itoa(f.Year)
			p := Point{Year: y, YearCode: y, YearNum: f.Year, Total: true, OK: true, Published: f}
			p.Share = f.Value
			if seg.Reading.CombineOrDefault() == catalog.Complement {
				p.Share = round6(100 - f.Value)
			}
			p.Estimate, p.EstimateMissing = estimate(pack, def, p.YearNum, "", p.Share)
			pts = append(pts, p)
		}
	}
	return pts
}

// point computes the value at time t and size s of a snapshot's table.
func point(pack *catalog.Pack, def *catalog.Indicator, seg *Segment, t, s int) Point {
	ds, r := seg.ds, seg.res
	tc := ds.Dimensions[r.time].Categories[t]
	p := Point{Year: tc.Label, YearCode: tc.Code, YearNum: yearOf(tc), Total: true}
	if r.size >= 0 {
		sc := ds.Dimensions[r.size].Categories[s]
		p.Total = s == r.total
		if !p.Total {
			p.Class, p.ClassCode = sc.Label, sc.Code
		}
	}
	p.Share, p.OK, p.Cells, p.Missing = combine(seg.Reading.CombineOrDefault(), ds, r, t, s)
	if p.OK {
		p.Estimate, p.EstimateMissing = estimate(pack, def, p.YearNum, p.Class, p.Share)
	}
	return p
}

// round6 removes float noise (17.4 + 0.2 = 17.599999999999998): shares
// come with one or two decimals, so a millionth loses nothing.
func round6(v float64) float64 { return math.Round(v*1e6) / 1e6 }

// combine adds up the selected cells at time t and size s, and applies
// the definition's combine. Any missing summand makes the value missing.
func combine(how catalog.Combine, ds *jsonstat.Dataset, r *resolution, t, s int) (float64, bool, []Cell, string) {
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
			d := &ds.Dimensions[i]
			cat := d.Categories[p]
			c.Coords = append(c.Coords, Coord{Dimension: d.ID, DimensionLabel: d.Label, Code: cat.Code, Label: cat.Label})
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
	if how == catalog.Complement {
		sum = 100 - sum
	}
	return round6(sum), true, cells, ""
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
	return &Spread{High: *hi, Low: *lo, Diff: round6(hi.Share - lo.Share)}
}

// statement fills the definition's template with a point's figures.
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

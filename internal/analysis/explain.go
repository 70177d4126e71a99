package analysis

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/grunnlag/grunnlag/internal/catalog"
	"github.com/grunnlag/grunnlag/internal/store"
)

// Explanation is every step from a table's cells to the words of an
// indicator, in bokmål, for the indicator page on the web and `grunnlag
// indicators --explain`: the definition, the categories it resolved to,
// the cells with their labels and the snapshot's dates, each step of the
// arithmetic, the count a share became a number with and where that count
// comes from.
type Explanation struct {
	ID          string
	Title       string
	Description string
	// Problem says why the indicator has no value; empty when it has one.
	Problem string
	// Definition is what the definition selects in each table of the
	// series.
	Definition []DefinitionPart
	// Rules says per theme when the figure supports the hypothesis, and
	// which way the newest value points.
	Rules  []string
	Tables []ExplainedTable
	// Points are the newest year and, when it is another year, the year
	// appendix E read, each with its steps.
	Points []ExplainedPoint
	// Reference says how the appendix's year compares, or why it is
	// missing.
	Reference string
	// Check says whether the table reproduces the appendix's reading.
	Check string
	// Break says where the series changes table, and what changed.
	Break string
}

// DefinitionPart is what a definition selects in one table: a heading
// ("Tabell 12041 (etikettene er sett på SSBs sider)") and one line per
// dimension.
type DefinitionPart struct {
	Head  string
	Lines []string
}

// ExplainedTable is one table of the series with where its figures come
// from and the categories the definition resolved to.
type ExplainedTable struct {
	Table     string
	Title     string // Norwegian; "" when only a title in another language is known
	Successor bool
	Change    string
	Stored    bool   // a snapshot of the table is stored
	Source    string // where the figures come from, with dates
	Page      string // the page of published figures
	Problem   string // why the table gives nothing
	Resolved  []string
}

// ExplainedPoint is one figure with every step that made it.
type ExplainedPoint struct {
	Heading   string // "Nyeste år: 2022", "Vedleggets år: 2021"
	Table     string
	Year      string
	Cells     []string // each cell with its labels and value
	Steps     []string // the arithmetic, one step a line
	Count     string   // the count used and its source
	Statement string
	// CellIndexes are the cells' flat indexes in the snapshot, for
	// highlighting them in a view of the table; empty for published figures.
	CellIndexes []int
}

// Explain explains a computed indicator.
func Explain(pack *catalog.Pack, ind *Indicator) *Explanation {
	d := ind.Def
	x := &Explanation{ID: d.ID, Title: d.Title, Description: strings.TrimSpace(d.Description)}
	if ind.Status != OK {
		x.Problem = ind.Problem
	}
	for _, r := range d.Readings() {
		x.Definition = append(x.Definition, readingLines(d, r))
	}
	for i := range d.Evidence {
		e := &d.Evidence[i]
		theme := e.Theme
		if t, ok := pack.Theme(e.Theme); ok {
			theme = t.Title
		}
		line := theme + ": " + RuleText(e) + "."
		if h := ind.Headline; h != nil && e.When != nil {
			line += fmt.Sprintf(" Nyeste andel er %s, så tallet %s.", Percent(h.Share), DirectionText(e.Direction(h.Share)))
		}
		x.Rules = append(x.Rules, line)
	}
	for _, seg := range ind.Segments {
		x.Tables = append(x.Tables, explainTable(pack, seg))
	}
	if h := ind.Headline; h != nil {
		ep := ExplainPoint(pack, ind, h)
		ep.Heading, ep.Statement = "Nyeste år: "+h.Year, ind.StatementText()
		x.Points = append(x.Points, ep)
	}
	if a := d.Appendix; a != nil {
		switch r := ind.Reference; {
		case r == nil:
			x.Reference = fmt.Sprintf("Vedleggets år er %d, men %s.", a.Year, ind.ReferenceMissing)
		case ind.Headline != nil && r == ind.Headline:
			x.Reference = ReferenceLine(ind)
		default:
			ep := ExplainPoint(pack, ind, r)
			ep.Heading, ep.Statement = fmt.Sprintf("Vedleggets år: %d", a.Year), ind.ReferenceStatementText()
			x.Points = append(x.Points, ep)
			x.Reference = ReferenceLine(ind)
		}
	}
	x.Check = CheckText(ind)
	if before, after, ok := ind.Break(); ok {
		x.Break = BreakText(ind, before, after)
	}
	return x
}

// ReferenceLine sets the figure of the appendix's year beside the newest.
// It says "I vedlegg E (2021): mer enn 60 kommuner; nyeste (2022): mer enn
// 50 kommuner." only when the table reproduces the appendix's own reading
// of the figure; otherwise it speaks of the appendix's year, not of what
// the appendix wrote: "Vedleggets år (2018): mer enn 150 kommuner; …".
// Empty when there is no figure for the appendix's year.
func ReferenceLine(ind *Indicator) string {
	r, h := ind.Reference, ind.Headline
	if r == nil || h == nil {
		return ""
	}
	lead := ReferenceLead(ind)
	if r == h {
		return fmt.Sprintf("%s: %s; det er også det nyeste året med tall.", lead, FigureWords(ind, r))
	}
	return fmt.Sprintf("%s: %s; nyeste (%s): %s.", lead, FigureWords(ind, r), h.Year, FigureWords(ind, h))
}

// ReferenceLead names the appendix's year: "I vedlegg E (2021)" when the
// table reproduces what the appendix wrote for it, else "Vedleggets år
// (2018)".
func ReferenceLead(ind *Indicator) string {
	year := ind.Def.Appendix.Year
	if c := ind.Check; c != nil && c.Known && c.Holds {
		return fmt.Sprintf("I vedlegg E (%d)", year)
	}
	return fmt.Sprintf("Vedleggets år (%d)", year)
}

// FigureWords words a figure the way its statement does: the number of
// municipalities when the statement gives one ("mer enn 60 kommuner"),
// else the share ("25,0 %").
func FigureWords(ind *Indicator, p *Point) string {
	if strings.Contains(ind.Def.Statement, "{antall}") && p.Estimate != nil {
		return p.Estimate.Phrase + " " + unitName(ind.Def.Population)
	}
	return Percent(p.Share)
}

// BreakText says where the series changes table and what changed.
func BreakText(ind *Indicator, before, after Point) string {
	b, a := ind.SegmentOf(&before), ind.SegmentOf(&after)
	return fmt.Sprintf("Brudd i serien mellom %s og %s: tabell %s avløste tabell %s. %s Tallene før og etter bruddet er ikke direkte sammenlignbare.",
		before.Year, after.Year, a.Reading.Table, b.Reading.Table, strings.TrimSpace(a.Reading.Change))
}

// readingLines describes what a definition selects in one table.
func readingLines(d *catalog.Indicator, r catalog.Reading) DefinitionPart {
	head := "Tabell " + r.Table
	if r.Successor {
		head = "Etterfølgeren, tabell " + r.Table
	}
	labels := "etikettene er sett på SSBs sider"
	if r.Labels == catalog.LabelsInferred {
		labels = "etikettene er antatt, ikke sett hos SSB"
	}
	part := DefinitionPart{Head: fmt.Sprintf("%s (%s)", head, labels)}
	var lines []string
	for _, s := range r.Select {
		var cats []string
		for _, m := range s.Matches() {
			cats = append(cats, matchWords(m.Code, m.Label, m.Pattern, "kode"))
		}
		how := "kategorien"
		if len(cats) > 1 {
			how = "summen av kategoriene"
		}
		lines = append(lines, fmt.Sprintf("dimensjonen %s: %s %s", matchWords(s.Dimension.ID, s.Dimension.Label, s.Dimension.Pattern, "id"), how, strings.Join(cats, " + ")))
	}
	if sc := r.SizeClasses; sc != nil {
		lines = append(lines, fmt.Sprintf("størrelsesklassene i dimensjonen %s, med kategorien %s for alle størrelser", matchWords(sc.Dimension.ID, sc.Dimension.Label, sc.Dimension.Pattern, "id"), matchWords(sc.Total.Code, sc.Total.Label, sc.Total.Pattern, "kode")))
	}
	switch {
	case r.CombineOrDefault() == catalog.Complement:
		lines = append(lines, "andelen er 100 minus verdien: andelen som ikke har det tabellen teller")
	}
	if d.ShareOf != "" {
		lines = append(lines, "andelen er av "+d.ShareOf+", så den regnes ikke om til et antall")
	}
	part.Lines = lines
	return part
}

// matchWords describes a match for a reader: «label», mønsteret «…»,
// kode «…».
func matchWords(code, label, pattern, codeName string) string {
	switch {
	case code != "":
		return codeName + " «" + code + "»"
	case label != "":
		return "«" + label + "»"
	case pattern != "":
		return "som passer til mønsteret «" + pattern + "»"
	}
	return "—"
}

func explainTable(pack *catalog.Pack, seg *Segment) ExplainedTable {
	t := ExplainedTable{Table: seg.Reading.Table, Successor: seg.Reading.Successor, Change: seg.Reading.Change, Stored: seg.Snapshot != nil}
	t.Title = NorwegianTitle(pack, seg.Reading.Table, seg.Snapshot)
	switch seg.Source {
	case FromSnapshot:
		t.Source = SnapshotWords(seg.Snapshot)
	case FromPublished:
		t.Source = "Ingen versjon av tabellen er lagret, så tallene er " + PublishedNote(seg.Published[0]) + "."
		t.Page = seg.Published[0].Page
	}
	if seg.Status != OK {
		t.Problem = seg.Problem
	}
	for _, r := range seg.Resolved {
		role := map[string]string{RoleSelect: "valgt", RoleTime: "år", RoleSize: "størrelsesklasser", RoleFixed: "én kategori"}[r.Role]
		var cats []string
		for i := range r.Codes {
			cats = append(cats, "«"+r.Labels[i]+"» (kode "+r.Codes[i]+")")
		}
		line := fmt.Sprintf("%s (%s, %s)", r.Label, r.ID, role)
		switch r.Role {
		case RoleTime:
			line += ": alle år"
		case RoleSize:
			line += ": hver klasse, og " + strings.Join(cats, "") + " for alle"
		default:
			line += ": " + strings.Join(cats, " + ")
		}
		t.Resolved = append(t.Resolved, line)
	}
	return t
}

// SnapshotWords says where a snapshot's figures come from: "SSB, tabell
// 12041, oppdatert 4. mai 2020, hentet 2. juni 2025 kl. 10.30".
func SnapshotWords(s *store.SnapshotInfo) string {
	if s == nil {
		return ""
	}
	src := TableSource(s.TableID, s.Title, s.Source)
	return fmt.Sprintf("%s%s, oppdatert %s, hentet %s", strings.ToUpper(src[:1]), src[1:], SourceDate(s.Updated), DateTime(s.FetchedAt))
}

// TableSource names who a snapshot's figures are from: SSB, unless the
// snapshot is marked as constructed test data, which then says so.
func TableSource(table, title, source string) string {
	if Constructed(title, source) {
		return "tabell " + table + " i et øyeblikksbilde merket som konstruert"
	}
	return "SSB, tabell " + table
}

// Constructed reports whether a snapshot is constructed test data, by the
// label every constructed snapshot carries in its title or source.
func Constructed(title, source string) bool {
	return strings.Contains(strings.ToLower(title+" "+source), "konstruert")
}

// NorwegianTitle returns a table's Norwegian title: the pack's when it is
// Norwegian, else the stored snapshot's when its labels are Norwegian; ""
// when no Norwegian title is known, which a Norwegian text must then say
// rather than fall back on another language.
func NorwegianTitle(pack *catalog.Pack, table string, snap *store.SnapshotInfo) string {
	if t, ok := pack.Table(table); ok {
		if title, ok := t.NorwegianTitle(); ok {
			return title
		}
	}
	if snap != nil && (snap.Lang == "no" || snap.Lang == "nb") && snap.Title != "" {
		return snap.Title
	}
	return ""
}

// ExplainPoint explains one figure of an indicator: its cells, each step
// of the arithmetic, and the count used with its source.
func ExplainPoint(pack *catalog.Pack, ind *Indicator, p *Point) ExplainedPoint {
	seg := ind.SegmentOf(p)
	x := ExplainedPoint{Table: seg.Reading.Table, Year: p.Year}
	var values []float64
	if f := p.Published; f != nil {
		cell := "«" + f.Variable + "»"
		if f.Category != "" {
			cell += " · «" + f.Category + "»"
		}
		x.Cells = append(x.Cells, fmt.Sprintf("%s · %s · %d = %s (%s)", cell, f.Population, f.Year, Exact(f.Value), PublishedNote(f)))
		values = append(values, f.Value)
	}
	for _, c := range p.Cells {
		var labels []string
		for _, co := range c.Coords {
			labels = append(labels, "«"+co.Label+"»")
		}
		v := Exact(c.Value)
		if !c.OK {
			v = "mangler"
		}
		x.Cells = append(x.Cells, fmt.Sprintf("%s = %s (celle nr. %d)", strings.Join(labels, " · "), v, c.Index))
		x.CellIndexes = append(x.CellIndexes, c.Index)
		values = append(values, c.Value)
	}
	if !p.OK {
		x.Steps = append(x.Steps, "Verdien mangler: "+p.Missing+".")
		return x
	}
	sum := values[0]
	if len(values) > 1 {
		terms := make([]string, len(values))
		sum = 0
		for i, v := range values {
			terms[i] = Exact(v)
			sum += v
		}
		sum = round6(sum)
		x.Steps = append(x.Steps, fmt.Sprintf("%s = %s (summen av cellene)", strings.Join(terms, " + "), Exact(sum)))
	}
	if seg.Reading.CombineOrDefault() == catalog.Complement {
		x.Steps = append(x.Steps, fmt.Sprintf("100 − %s = %s (andelen som ikke har tiltaket)", Exact(sum), Exact(p.Share)))
	}
	e := p.Estimate
	switch {
	case !strings.Contains(ind.Def.Statement, "{antall}"):
		return x // the statement gives the share; no number of municipalities to explain
	case e == nil:
		x.Steps = append(x.Steps, "Ingen omregning til antall: "+p.EstimateMissing)
		return x
	}
	rel := "="
	if Number(e.Exact, 1) != Exact(e.Exact) {
		rel = "≈"
	}
	x.Steps = append(x.Steps, fmt.Sprintf("%s × %d %s %s", Percent(p.Share), e.Base, rel, Number(e.Exact, 1)))
	x.Steps = append(x.Steps, PhraseStep(e.Exact))
	basis := map[catalog.CountBasis]string{catalog.Seen: "sett i kilden", catalog.Derived: "avledet"}[e.Count.Basis]
	x.Count = fmt.Sprintf("%d %s i %d: kunnskapspakkens antall (%s, %s); kilde: %s.", e.Base, unitName(ind.Def.Population), p.YearNum, basis, PackRef(e.Count.Origin), Citation(pack, e.Count.Source))
	return x
}

// PhraseStep explains how an exact number became the statement's words.
func PhraseStep(exact float64) string {
	r := round6(exact)
	switch ph := Phrase(exact); {
	case r <= 0:
		return "0 → «" + ph + "»"
	case r < 10:
		return Number(r, 1) + " er under 10 → «" + ph + "»"
	case r == math.Floor(r/10)*10:
		return Number(r, 0) + " er et helt antall tiere → «" + ph + "»"
	default:
		return fmt.Sprintf("%s rundet ned til hele tiere er %s → «%s»", Number(r, 1), Number(math.Floor(r/10)*10, 0), ph)
	}
}

// Exact writes a value with the decimals it has, at least one: 63.9 is
// "63,9", 36 is "36,0", 152.342 is "152,342".
func Exact(v float64) string {
	s := strconv.FormatFloat(round6(v), 'f', -1, 64)
	d := 1
	if _, frac, ok := strings.Cut(s, "."); ok && len(frac) > 1 {
		d = len(frac)
	}
	return Number(v, d)
}

// PackRef names where an entry of the pack is written, in the one form a
// reader can trace: "grunnlag/counts.yaml:35" (pack name, file, line).
func PackRef(o catalog.Origin) string { return o.String() }

// Citation names a source for a reader: the document or reference title,
// and where in it.
func Citation(pack *catalog.Pack, c catalog.Citation) string {
	name := c.Ref
	if d, ok := pack.Document(c.Ref); ok {
		name = d.Label()
	} else if r, ok := pack.Reference(c.Ref); ok {
		name = r.Title
	}
	if c.At != "" {
		name += ", " + c.At
	}
	return name
}

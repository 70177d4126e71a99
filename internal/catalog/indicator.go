package catalog

import (
	"regexp"
	"strings"
)

// Indicator defines a figure the analysis computes from a synced SSB table:
// which table, which cells (one category per dimension, or several summed
// in one dimension), over which years and size classes, and the statement
// the report writes from it. A table that SSB replaced with a new one
// (12041 by 14559) continues in Successor with its own labels; the series
// then runs across both with a marked break.
//
// Categories and dimensions are named by label (exact text or a pattern)
// as well as by code, because the codes of SSB's tables are not known here
// and SSB renames them; the analysis resolves the labels against each
// snapshot's metadata and records the codes it found.
type Indicator struct {
	ID    string `pack:"id,required" json:"id"`
	Title string `pack:"title,required" json:"title"` // bokmål
	// Description says what the figure shows and how the appendix reads it;
	// the report prints it beside the figure.
	Description string        `pack:"description" json:"description,omitempty"`
	Kind        IndicatorKind `pack:"kind" json:"kind,omitempty"` // empty means andel
	Table       string        `pack:"table,required" json:"table"`
	// Population is whom the shares are of; it picks the counts (kommuner
	// or fylkeskommuner) that turn a share into a number.
	Population Population `pack:"population,required" json:"population"`
	// ShareOf names the base of the share when it is not every
	// municipality (or county municipality) of the population, e.g. "those
	// who tried to recruit". Such a share cannot become a number of
	// municipalities, so no number is computed and the statement may not
	// use {antall}.
	ShareOf string `pack:"share_of" json:"share_of,omitempty"`
	// Select fixes every dimension but time and size class to one category,
	// or, in at most one dimension, to several categories whose shares are
	// summed ("Har ikke" + "Vet ikke").
	Select []Selector `pack:"select,required" json:"select"`
	// Combine says what the sum becomes: the sum itself (default), or its
	// complement, 100 minus the sum, for a table that gives only the share
	// that has a routine.
	Combine Combine `pack:"combine" json:"combine,omitempty"`
	// Time names the time dimension; empty means the dataset's time role,
	// else the dimension with id "Tid".
	Time *DimensionMatch `pack:"time" json:"time,omitempty"`
	// SizeClasses names the dimension of municipality size, if the table
	// has one, and its category for all sizes.
	SizeClasses *SizeClasses `pack:"size_classes" json:"size_classes,omitempty"`
	// Appendix is the year appendix E read the figure for, and the finding
	// that quotes its reading; the report sets the figure of that year
	// beside the newest. Nil when the appendix states no figure for it.
	Appendix *AppendixRef `pack:"appendix" json:"appendix,omitempty"`
	// Successor continues the series in the table that replaced Table.
	Successor *Successor `pack:"successor" json:"successor,omitempty"`
	// CompareWith is another indicator of the same table whose figure of
	// the same year the report sets beside this one's.
	CompareWith string `pack:"compare_with" json:"compare_with,omitempty"`
	// Statement is the sentence the report writes, with the placeholders
	// {antall} (number of municipalities, "mer enn 60"), {andel} (the share,
	// "17,4 %") and {år} (the year).
	Statement string `pack:"statement,required" json:"statement"`
	// Evidence says which themes the figure bears on and, from its value,
	// which way it points for each.
	Evidence []IndicatorEvidence `pack:"evidence,required" json:"evidence"`
	// Principles are the NSM principles whose measures the figure counts
	// directly (patching routines under 2.3, penetration testing under
	// 3.4), where one clearly fits; the link is the editor's judgment,
	// explained in PrinciplesNotes. The self-assessment's profile and the
	// report set the figure beside the principle.
	Principles      []string `pack:"principles" json:"principles,omitempty"`
	PrinciplesNotes string   `pack:"principles_notes" json:"principles_notes,omitempty"`
	// Labels says whether the labels the definition matches were seen on
	// SSB's pages or inferred; inferred labels may not resolve.
	Labels LabelBasis `pack:"labels,required" json:"labels"`
	Source Citation   `pack:"source,required" json:"source"`
	Notes  string     `pack:"notes" json:"notes,omitempty"`
	Origin Origin     `pack:"-" json:"origin"`
}

// AppendixRef ties an indicator to appendix E's own reading of the figure.
type AppendixRef struct {
	// Year is the year the appendix read the figure for.
	Year int `pack:"year,required" json:"year"`
	// Finding is the finding that quotes the appendix's reading ("mer enn 60
	// kommuner"), so the analysis can say whether the table reproduces it.
	Finding string `pack:"finding" json:"finding,omitempty"`
	Notes   string `pack:"notes" json:"notes,omitempty"`
}

// Successor is the table that replaced an indicator's table, read with its
// own labels. The wording of its questions may differ, so the series gets
// a marked break where it changes table.
type Successor struct {
	Table       string          `pack:"table,required" json:"table"`
	Select      []Selector      `pack:"select,required" json:"select"`
	Combine     Combine         `pack:"combine" json:"combine,omitempty"`
	Time        *DimensionMatch `pack:"time" json:"time,omitempty"`
	SizeClasses *SizeClasses    `pack:"size_classes" json:"size_classes,omitempty"`
	// Change says in bokmål what changed from the earlier table's question,
	// for the break in tables, charts and footnotes.
	Change string     `pack:"change,required" json:"change"`
	Labels LabelBasis `pack:"labels,required" json:"labels"`
	Source Citation   `pack:"source,required" json:"source"`
}

// IndicatorEvidence tags an indicator with a theme and the rule that turns
// its value into a direction: Supports is the direction while the share
// meets When, and the opposite direction (hypotese ↔ mot) when it does not.
// A neutral indicator (noytral) has no rule.
type IndicatorEvidence struct {
	Theme    string     `pack:"theme,required" json:"theme"`
	Supports Direction  `pack:"supports,required" json:"supports"`
	When     *Threshold `pack:"when" json:"when,omitempty"`
	Notes    string     `pack:"notes" json:"notes,omitempty"` // why this rule
}

// Threshold is a bound on a share in per cent: {op: ">=", value: 10} holds
// for shares of at least 10 %.
type Threshold struct {
	Op    Op      `pack:"op,required" json:"op"`
	Value float64 `pack:"value,required" json:"value"`
}

// Holds reports whether a share meets the threshold.
func (t Threshold) Holds(share float64) bool {
	switch t.Op {
	case Less:
		return share < t.Value
	case Greater:
		return share > t.Value
	case LessEqual:
		return share <= t.Value
	case GreaterEqual:
		return share >= t.Value
	}
	return share == t.Value
}

// Direction returns the direction the evidence points in for a share:
// Supports when the share meets When, its opposite when not; Neutral for
// an entry without a rule.
func (e IndicatorEvidence) Direction(share float64) Direction {
	if e.When == nil || e.Supports == Neutral {
		return Neutral
	}
	if e.When.Holds(share) {
		return e.Supports
	}
	return e.Supports.Opposite()
}

// Opposite returns the other direction: hypotese ↔ mot; noytral stays.
func (d Direction) Opposite() Direction {
	switch d {
	case Supports:
		return Against
	case Against:
		return Supports
	}
	return d
}

// Reading is how an indicator reads one table of its series: the table
// itself, or its successor.
type Reading struct {
	Table       string
	Select      []Selector
	Combine     Combine
	Time        *DimensionMatch
	SizeClasses *SizeClasses
	Labels      LabelBasis
	Source      Citation
	// Successor is true for the table that replaced the one before it;
	// Change then says what changed.
	Successor bool
	Change    string
}

// CombineOrDefault returns how the reading combines cells, sum when none
// is given.
func (r *Reading) CombineOrDefault() Combine {
	if r.Combine == "" {
		return Sum
	}
	return r.Combine
}

// Readings returns the tables of the indicator's series in order: its
// table, then its successor, if any.
func (ind *Indicator) Readings() []Reading {
	out := []Reading{{
		Table: ind.Table, Select: ind.Select, Combine: ind.Combine, Time: ind.Time,
		SizeClasses: ind.SizeClasses, Labels: ind.Labels, Source: ind.Source,
	}}
	if s := ind.Successor; s != nil {
		out = append(out, Reading{
			Table: s.Table, Select: s.Select, Combine: s.Combine, Time: s.Time,
			SizeClasses: s.SizeClasses, Labels: s.Labels, Source: s.Source, Successor: true, Change: s.Change,
		})
	}
	return out
}

// Tables returns the ids of the tables the indicator reads, in order.
func (ind *Indicator) Tables() []string {
	out := []string{ind.Table}
	if ind.Successor != nil {
		out = append(out, ind.Successor.Table)
	}
	return out
}

// ReadsOneCell reports whether the reading of the table takes one cell per
// year and size class (no summed categories), so a single published figure
// can stand for it.
func (r *Reading) ReadsOneCell() bool {
	for _, s := range r.Select {
		if len(s.Matches()) > 1 {
			return false
		}
	}
	return true
}

// Selector fixes one dimension of a table: Category for one category,
// Categories for several to sum. Exactly one of the two is given.
type Selector struct {
	Dimension  DimensionMatch  `pack:"dimension,required" json:"dimension"`
	Category   *CategoryMatch  `pack:"category" json:"category,omitempty"`
	Categories []CategoryMatch `pack:"categories" json:"categories,omitempty"`
}

// Matches returns the category matches of the selector, one or several.
func (s *Selector) Matches() []CategoryMatch {
	if s.Category != nil {
		return []CategoryMatch{*s.Category}
	}
	return s.Categories
}

// SizeClasses names a table's dimension of municipality size and its
// category for all sizes together.
type SizeClasses struct {
	Dimension DimensionMatch `pack:"dimension,required" json:"dimension"`
	Total     CategoryMatch  `pack:"total,required" json:"total"`
}

// DimensionMatch names a dimension by its id, its label or a pattern over
// its label. Exactly one is given.
type DimensionMatch struct {
	ID      string `pack:"id" json:"id,omitempty"`
	Label   string `pack:"label" json:"label,omitempty"`
	Pattern string `pack:"pattern" json:"pattern,omitempty"`
}

// CategoryMatch names a category by its code, its label or a pattern over
// its label. Exactly one is given.
type CategoryMatch struct {
	Code    string `pack:"code" json:"code,omitempty"`
	Label   string `pack:"label" json:"label,omitempty"`
	Pattern string `pack:"pattern" json:"pattern,omitempty"`
}

// String describes the match for messages: `id "Tid"`, `label "Kommuner"`,
// `pattern "(?i)patch"`.
func (m DimensionMatch) String() string { return describeMatch("id", m.ID, m.Label, m.Pattern) }

// String describes the match for messages.
func (m CategoryMatch) String() string { return describeMatch("code", m.Code, m.Label, m.Pattern) }

func describeMatch(codeName, code, label, pattern string) string {
	switch {
	case code != "":
		return codeName + ` "` + code + `"`
	case label != "":
		return `label "` + label + `"`
	case pattern != "":
		return `pattern "` + pattern + `"`
	}
	return "nothing"
}

// MatchDimension reports whether a dimension with the id and label matches.
// A label matches when equal ignoring case and runs of white space; a
// pattern is a Go regular expression searched in the label (anchor it with
// ^ and $ to match the whole label). An invalid pattern matches nothing;
// Load refuses such packs.
func (m DimensionMatch) MatchDimension(id, label string) bool {
	return matches(m.ID, m.Label, m.Pattern, id, label)
}

// MatchCategory reports whether a category with the code and label matches;
// see MatchDimension for the rules.
func (m CategoryMatch) MatchCategory(code, label string) bool {
	return matches(m.Code, m.Label, m.Pattern, code, label)
}

func matches(wantCode, wantLabel, pattern, code, label string) bool {
	switch {
	case wantCode != "":
		return code == wantCode
	case wantLabel != "":
		return strings.EqualFold(normalizeSpace(wantLabel), normalizeSpace(label))
	case pattern != "":
		re, err := regexp.Compile(pattern)
		return err == nil && re.MatchString(label)
	}
	return false
}

// normalizeSpace trims s and turns every run of white space (non-breaking
// spaces too, which SSB uses in numbers) into one space.
func normalizeSpace(s string) string { return strings.Join(strings.Fields(s), " ") }

// StatementPlaceholders are the placeholders an indicator's statement may use.
func StatementPlaceholders() []string { return []string{"{antall}", "{andel}", "{år}"} }

// KindOrDefault returns the indicator's kind, andel when none is given.
func (ind *Indicator) KindOrDefault() IndicatorKind {
	if ind.Kind == "" {
		return ShareKind
	}
	return ind.Kind
}

// CombineOrDefault returns how the indicator combines the cells of its
// first table, sum when none is given.
func (ind *Indicator) CombineOrDefault() Combine {
	if ind.Combine == "" {
		return Sum
	}
	return ind.Combine
}

package analysis

import (
	"time"

	"github.com/grunnlag/grunnlag/internal/catalog"
)

// Summary is an indicator as `grunnlag indicators --json`, the API and the
// report's rapport.json give it: the newest figure with its exact values,
// the change since the previous measurement, the figure of the appendix's
// year beside it, the tables of the series, the codes the labels resolved
// to, and where every figure came from.
type Summary struct {
	ID        string `json:"id"`
	Title     string `json:"title"`
	Kind      string `json:"kind"`
	Table     string `json:"table"`
	Status    Status `json:"status"`
	Problem   string `json:"problem,omitempty"`
	Year      string `json:"year,omitempty"` // the newest year with a value
	Level     string `json:"level"`          // kommuner or fylkeskommuner
	ShareOf   string `json:"share_of,omitempty"`
	SizeClass string `json:"size_class,omitempty"` // the label of the size dimension's total, when it has one
	// SourceKind says where the newest figure comes from: a stored
	// snapshot, or a figure published on a web page.
	SourceKind SourceKind    `json:"source_kind,omitempty"`
	Share      *float64      `json:"share"`          // per cent; null when missing
	Count      *CountSummary `json:"count_estimate"` // null when no number could be computed
	CountNote  string        `json:"count_missing,omitempty"`
	Statement  string        `json:"statement,omitempty"`
	// Change is the newest figure against the previous measurement in the
	// same table; null with one measurement.
	Change *ChangeSummary `json:"change,omitempty"`
	// Appendix is the figure of the year appendix E read; AppendixMissing
	// says why there is none.
	Appendix          *PointSummary `json:"appendix,omitempty"`
	AppendixMissing   string        `json:"appendix_missing,omitempty"`
	AppendixStatement string        `json:"appendix_statement,omitempty"`
	AppendixCheck     *CheckSummary `json:"appendix_check,omitempty"`
	// Series lists the tables of the series: the table, then its successor.
	Series     []SegmentSummary            `json:"series"`
	Resolved   []ResolvedDimension         `json:"resolved,omitempty"`
	Source     *SourceSummary              `json:"source,omitempty"`
	Published  *PublishedSummary           `json:"published,omitempty"` // the newest figure's page, when published
	Trend      []PointSummary              `json:"trend,omitempty"`
	Classes    []PointSummary              `json:"size_classes,omitempty"`
	Labels     string                      `json:"labels"` // sett or antatt
	Evidence   []catalog.IndicatorEvidence `json:"evidence"`
	Directions []DirectionSummary          `json:"directions,omitempty"`
	Definition catalog.Origin              `json:"definition"`
}

// CountSummary is a share turned into a number of municipalities.
type CountSummary struct {
	Value      float64 `json:"value"`       // exact, unrounded
	Phrase     string  `json:"phrase"`      // as the statement words it
	Base       int     `json:"base"`        // the number of municipalities the share is of
	BaseCount  string  `json:"base_count"`  // the pack's count id
	BaseSource string  `json:"base_source"` // the count's citation
}

// SourceSummary says which snapshot an indicator's newest figure came from.
type SourceSummary struct {
	Table      string    `json:"table"`
	Title      string    `json:"title"`
	SnapshotID int64     `json:"snapshot_id"`
	Updated    string    `json:"updated"`
	FetchedAt  time.Time `json:"fetched_at"`
	URL        string    `json:"url"`
	Cells      []Cell    `json:"cells"`
}

// PublishedSummary is a figure read on a web page.
type PublishedSummary struct {
	ID    string  `json:"id"`
	Table string  `json:"table"`
	Year  int     `json:"year"`
	Value float64 `json:"value"`
	Page  string  `json:"page"`
	Site  string  `json:"site"`
	Note  string  `json:"note"` // the mark every text shows with the figure
}

// PointSummary is one year or size class of an indicator.
type PointSummary struct {
	Year       string        `json:"year"`
	Table      string        `json:"table,omitempty"`
	SourceKind SourceKind    `json:"source_kind,omitempty"`
	SizeClass  string        `json:"size_class,omitempty"`
	Share      *float64      `json:"share"`
	Missing    string        `json:"missing,omitempty"`
	Count      *CountSummary `json:"count_estimate,omitempty"`
	CountNote  string        `json:"count_missing,omitempty"`
}

// ChangeSummary is the newest figure against the previous one.
type ChangeSummary struct {
	FromYear string  `json:"from_year"`
	Points   float64 `json:"points"` // percentage points, newest minus previous
}

// SegmentSummary is one table of an indicator's series.
type SegmentSummary struct {
	Table      string     `json:"table"`
	Successor  bool       `json:"successor,omitempty"`
	Change     string     `json:"change,omitempty"` // what changed at the break
	SourceKind SourceKind `json:"source_kind,omitempty"`
	Status     Status     `json:"status"`
	Problem    string     `json:"problem,omitempty"`
	Labels     string     `json:"labels"`
}

// CheckSummary is the appendix's reading held against the table.
type CheckSummary struct {
	Finding    string  `json:"finding"`
	AsWritten  string  `json:"as_written,omitempty"`
	Unverified bool    `json:"unverified,omitempty"`
	Known      bool    `json:"known"`
	Holds      bool    `json:"holds"`
	Value      float64 `json:"value,omitempty"`
	Text       string  `json:"text"` // bokmål
}

// DirectionSummary is the direction an indicator points in for a theme.
type DirectionSummary struct {
	Theme     string            `json:"theme"`
	Direction catalog.Direction `json:"direction"`
	Rule      string            `json:"rule"` // bokmål: when it supports the hypothesis
}

func countSummary(e *Estimate) *CountSummary {
	if e == nil {
		return nil
	}
	c := &CountSummary{Value: e.Exact, Phrase: e.Phrase, Base: e.Base, BaseCount: e.Count.ID, BaseSource: e.Count.Source.Ref}
	if e.Count.Source.At != "" {
		c.BaseSource += ", " + e.Count.Source.At
	}
	return c
}

func (ind *Indicator) pointSummary(p Point) PointSummary {
	seg := ind.Segments[p.Segment]
	ps := PointSummary{Year: p.Year, Table: seg.Reading.Table, SourceKind: seg.Source, SizeClass: p.Class,
		Missing: p.Missing, Count: countSummary(p.Estimate), CountNote: p.EstimateMissing}
	if p.OK {
		v := p.Share
		ps.Share = &v
	}
	return ps
}

// Summary returns the indicator's summary.
func (ind *Indicator) Summary() Summary {
	d := ind.Def
	s := Summary{
		ID: d.ID, Title: d.Title, Kind: string(d.KindOrDefault()), Table: d.Table, Status: ind.Status,
		Problem: ind.Problem, Level: string(d.Population), ShareOf: d.ShareOf, Statement: ind.StatementText(),
		Resolved: ind.Resolved, Labels: string(d.Labels), Evidence: d.Evidence, Definition: d.Origin,
		AppendixMissing: ind.ReferenceMissing, AppendixStatement: ind.ReferenceStatementText(),
	}
	if s.Statement == "" {
		s.CountNote = ind.StatementMissing
	}
	for _, r := range ind.Resolved {
		if r.Role == RoleSize && len(r.Labels) == 1 {
			s.SizeClass = r.Labels[0]
		}
	}
	for _, seg := range ind.Segments {
		s.Series = append(s.Series, SegmentSummary{Table: seg.Reading.Table, Successor: seg.Reading.Successor, Change: seg.Reading.Change,
			SourceKind: seg.Source, Status: seg.Status, Problem: seg.Problem, Labels: string(seg.Reading.Labels)})
	}
	if h := ind.Headline; h != nil {
		v := h.Share
		s.Year, s.Share, s.Table = h.Year, &v, ind.SegmentOf(h).Reading.Table
		s.SourceKind = ind.SegmentOf(h).Source
		s.Count = countSummary(h.Estimate)
		if h.EstimateMissing != "" {
			s.CountNote = h.EstimateMissing
		}
		if prev, ok := ind.Previous(); ok {
			s.Change = &ChangeSummary{FromYear: prev.Year, Points: round6(h.Share - prev.Share)}
		}
		if f := h.Published; f != nil {
			s.Published = &PublishedSummary{ID: f.ID, Table: f.Table, Year: f.Year, Value: f.Value, Page: f.Page, Site: f.Site(), Note: PublishedNote(f)}
		}
		for i := range d.Evidence {
			e := &d.Evidence[i]
			s.Directions = append(s.Directions, DirectionSummary{Theme: e.Theme, Direction: e.Direction(h.Share), Rule: RuleText(e)})
		}
	}
	if r := ind.Reference; r != nil {
		ps := ind.pointSummary(*r)
		s.Appendix = &ps
	}
	if c := ind.Check; c != nil {
		cs := &CheckSummary{Finding: c.Finding.ID, Unverified: c.Finding.Unverified, Known: c.Known, Holds: c.Holds, Value: c.Value, Text: CheckText(ind)}
		if c.Finding.Value != nil {
			cs.AsWritten = c.Finding.Value.AsWritten
		}
		s.AppendixCheck = cs
	}
	if sn := ind.Snapshot; sn != nil {
		s.Source = &SourceSummary{Table: sn.TableID, Title: sn.Title, SnapshotID: sn.ID, Updated: sn.Updated, FetchedAt: sn.FetchedAt, URL: sn.Source}
		if h := ind.Headline; h != nil {
			s.Source.Cells = h.Cells
		}
	}
	for _, p := range ind.Trend {
		s.Trend = append(s.Trend, ind.pointSummary(p))
	}
	for _, p := range ind.Classes {
		s.Classes = append(s.Classes, ind.pointSummary(p))
	}
	return s
}

// Summaries returns the summary of every indicator, in pack order.
func (r *Result) Summaries() []Summary {
	out := make([]Summary, len(r.Indicators))
	for i, ind := range r.Indicators {
		out[i] = ind.Summary()
	}
	return out
}

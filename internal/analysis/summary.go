package analysis

import (
	"time"

	"github.com/grunnlag/grunnlag/internal/catalog"
)

// Summary is an indicator as `grunnlag indicators --json` prints it and
// the report's rapport.json keeps it: the figures with their exact values,
// the codes the labels resolved to, and where every figure came from.
type Summary struct {
	ID         string              `json:"id"`
	Title      string              `json:"title"`
	Kind       string              `json:"kind"`
	Table      string              `json:"table"`
	Status     Status              `json:"status"`
	Problem    string              `json:"problem,omitempty"`
	Year       string              `json:"year,omitempty"`
	Level      string              `json:"level"`                // kommuner or fylkeskommuner
	ShareOf    string              `json:"share_of,omitempty"`   // the base, when not every municipality
	SizeClass  string              `json:"size_class,omitempty"` // the label of the size dimension's total, when it has one
	Share      *float64            `json:"share"`                // per cent; null when missing
	Count      *CountSummary       `json:"count_estimate"`       // null when no number could be computed
	CountNote  string              `json:"count_missing,omitempty"`
	Statement  string              `json:"statement,omitempty"`
	Resolved   []ResolvedDimension `json:"resolved,omitempty"`
	Source     *SourceSummary      `json:"source,omitempty"`
	Trend      []PointSummary      `json:"trend,omitempty"`
	Classes    []PointSummary      `json:"size_classes,omitempty"`
	Labels     string              `json:"labels"` // sett or antatt
	Evidence   []catalog.Evidence  `json:"evidence"`
	Definition catalog.Origin      `json:"definition"`
}

// CountSummary is a share turned into a number of municipalities.
type CountSummary struct {
	Value      float64 `json:"value"`       // exact, unrounded
	Phrase     string  `json:"phrase"`      // as the statement words it
	Base       int     `json:"base"`        // the number of municipalities the share is of
	BaseCount  string  `json:"base_count"`  // the pack's count id
	BaseSource string  `json:"base_source"` // the count's citation
}

// SourceSummary says where an indicator's headline came from.
type SourceSummary struct {
	Table      string    `json:"table"`
	Title      string    `json:"title"`
	SnapshotID int64     `json:"snapshot_id"`
	Updated    string    `json:"updated"`
	FetchedAt  time.Time `json:"fetched_at"`
	URL        string    `json:"url"`
	Cells      []Cell    `json:"cells"`
}

// PointSummary is one year or size class of an indicator.
type PointSummary struct {
	Year      string        `json:"year"`
	SizeClass string        `json:"size_class,omitempty"`
	Share     *float64      `json:"share"`
	Missing   string        `json:"missing,omitempty"`
	Count     *CountSummary `json:"count_estimate,omitempty"`
	CountNote string        `json:"count_missing,omitempty"`
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

func pointSummary(p Point) PointSummary {
	ps := PointSummary{Year: p.Year, SizeClass: p.Class, Missing: p.Missing, Count: countSummary(p.Estimate), CountNote: p.EstimateMissing}
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
	}
	if s.Statement == "" {
		s.CountNote = ind.StatementMissing
	}
	for _, r := range ind.Resolved {
		if r.Role == RoleSize && len(r.Labels) == 1 {
			s.SizeClass = r.Labels[0]
		}
	}
	if h := ind.Headline; h != nil {
		v := h.Share
		s.Year, s.Share = h.Year, &v
		s.Count = countSummary(h.Estimate)
		if h.EstimateMissing != "" {
			s.CountNote = h.EstimateMissing
		}
	}
	if sn := ind.Snapshot; sn != nil {
		s.Source = &SourceSummary{Table: sn.TableID, Title: sn.Title, SnapshotID: sn.ID, Updated: sn.Updated, FetchedAt: sn.FetchedAt, URL: sn.Source}
		if h := ind.Headline; h != nil {
			s.Source.Cells = h.Cells
		}
	}
	for _, p := range ind.Trend {
		s.Trend = append(s.Trend, pointSummary(p))
	}
	for _, p := range ind.Classes {
		s.Classes = append(s.Classes, pointSummary(p))
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

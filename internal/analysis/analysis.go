// Package analysis computes grunnlag's indicators from synced SSB tables and
// holds the knowledge pack's sources against each other per theme.
//
// An indicator is defined in the pack (catalog.Indicator) by labels, not
// codes. Analyze resolves each definition against the metadata of its
// table's snapshot (and of the successor table, where SSB replaced the
// table), records the codes it found, reads the cells of every year,
// combines them (a share, a sum of statuses, or its complement), turns the
// share into a number of municipalities with the pack's count for that year
// and size class, and words the statement as appendix E does ("mer enn
// 60"). The newest year with a value is the headline; the year the appendix
// read is kept beside it as the reference and held against the appendix's
// own reading. A table without a snapshot falls back on the figures the
// pack records as published on a web page, marked as such. A definition
// that does not fit, a table never synced, a missing cell or a missing
// count is reported as such, never filled in.
//
// The triangulation collects, per theme, the document findings, the
// findings from the dialogue and the indicators that have a value, gives
// each indicator the direction its value points in (by the rule of its
// definition), counts how many independent kinds of source lean towards the
// hypothesis, and states the verdict by the rules documented on weigh. The
// appendix's own readings of the tables and the needs from the workshops
// are shown beside the evidence but not counted: the first would count the
// appendix as its own evidence, the second are wishes, not observations.
//
// Analyze is a pure function of the pack and the snapshots: the same input
// gives the same result, in the pack's order.
package analysis

import (
	"context"
	"fmt"
	"time"

	"github.com/grunnlag/grunnlag/internal/catalog"
	"github.com/grunnlag/grunnlag/internal/fault"
	"github.com/grunnlag/grunnlag/internal/store"
)

// Store is what the analysis reads from grunnlag's store.
type Store interface {
	LatestSnapshot(ctx context.Context, tableID string) (*store.Snapshot, error)
	SnapshotAsOf(ctx context.Context, tableID string, t time.Time) (*store.Snapshot, error)
}

// Data is the snapshots an analysis reads: one per table id, the newest or
// the newest as of a date. A table without a snapshot is absent.
type Data struct {
	Snapshots map[string]*store.Snapshot
	// AsOf is the date the snapshots were chosen for; zero for the newest.
	AsOf time.Time
}

// Load reads the snapshot of every table the pack lists: the newest, or,
// when asOf is not zero, the newest fetched at or before asOf. A table
// that has none is left out (the analysis reports it as missing); any
// other error is returned.
func Load(ctx context.Context, st Store, pack *catalog.Pack, asOf time.Time) (Data, error) {
	d := Data{Snapshots: map[string]*store.Snapshot{}, AsOf: asOf}
	for _, t := range pack.Tables {
		var s *store.Snapshot
		var err error
		if asOf.IsZero() {
			s, err = st.LatestSnapshot(ctx, t.ID)
		} else {
			s, err = st.SnapshotAsOf(ctx, t.ID, asOf)
		}
		switch {
		case fault.Is(err, fault.NotFound):
			continue
		case err != nil:
			return Data{}, fmt.Errorf("table %s: %w", t.ID, err)
		}
		d.Snapshots[t.ID] = s
	}
	return d, nil
}

// Versions is what LoadPrevious reads: the list of a table's versions and
// one version by id.
type Versions interface {
	Snapshots(ctx context.Context, tableID string) ([]store.SnapshotInfo, error)
	Snapshot(ctx context.Context, id int64) (*store.Snapshot, error)
}

// LoadPrevious reads, for every table of the pack that has more than one
// version, the version before the newest: what LabelHealth looks for a
// definition's former labels in.
func LoadPrevious(ctx context.Context, st Versions, pack *catalog.Pack) (Data, error) {
	d := Data{Snapshots: map[string]*store.Snapshot{}}
	for _, t := range pack.Tables {
		infos, err := st.Snapshots(ctx, t.ID)
		switch {
		case fault.Is(err, fault.NotFound):
			continue
		case err != nil:
			return Data{}, fmt.Errorf("table %s: %w", t.ID, err)
		case len(infos) < 2:
			continue
		}
		s, err := st.Snapshot(ctx, infos[1].ID)
		if err != nil {
			return Data{}, fmt.Errorf("table %s: version %d: %w", t.ID, infos[1].ID, err)
		}
		d.Snapshots[t.ID] = s
	}
	return d, nil
}

// TableStatus is one of the pack's tables with the snapshot the analysis
// read, or none.
type TableStatus struct {
	Table    *catalog.Table
	Document *catalog.Document // the appendix's document for the table; nil when none
	Snapshot *store.Snapshot   // nil when the table was never synced
}

// Result is everything the report and the web show of the analysis.
type Result struct {
	AsOf        time.Time
	Tables      []TableStatus
	Indicators  []*Indicator // in pack order
	Themes      []*Triangulation
	Conclusions []*CrossCutting
}

// Analyze computes every indicator of the pack against the data, and
// triangulates every theme.
func Analyze(pack *catalog.Pack, data Data) *Result {
	r := &Result{AsOf: data.AsOf}
	for _, t := range pack.Tables {
		ts := TableStatus{Table: t, Snapshot: data.Snapshots[t.ID]}
		if d, ok := pack.DocumentForTable(t.ID); ok {
			ts.Document = d
		}
		r.Tables = append(r.Tables, ts)
	}
	for _, def := range pack.Indicators {
		r.Indicators = append(r.Indicators, compute(pack, def, data.Snapshots))
	}
	for _, th := range pack.Themes {
		r.Themes = append(r.Themes, triangulate(pack, th, r.Indicators))
	}
	for _, c := range pack.Conclusions {
		r.Conclusions = append(r.Conclusions, crossCutting(pack, c, r.Themes, r.Indicators))
	}
	return r
}

// Indicator returns the computed indicator with the id.
func (r *Result) Indicator(id string) (*Indicator, bool) {
	for _, ind := range r.Indicators {
		if ind.Def.ID == id {
			return ind, true
		}
	}
	return nil, false
}

// Table returns the status of the table with the id.
func (r *Result) Table(id string) (*TableStatus, bool) {
	for i := range r.Tables {
		if r.Tables[i].Table.ID == id {
			return &r.Tables[i], true
		}
	}
	return nil, false
}

// Gap is data the analysis needed and did not have.
type Gap struct {
	Ref     catalog.Ref
	Message string // bokmål
	// Blocking is true when the gap leaves a figure of the report empty: a
	// table never synced, a definition that does not resolve, a missing
	// headline value or number. A size class without a count, a successor
	// table not yet synced while the first table has figures, or a missing
	// figure for the appendix's year only leaves that part out.
	Blocking bool
}

// notSynced tells a person that a table has no snapshot and what to do.
func notSynced(table string) string {
	return fmt.Sprintf("Tabell %s er ikke hentet ennå. Kjør «grunnlag sync %s».", table, table)
}

// Gaps lists what is missing, tables first, then indicators in pack order.
func (r *Result) Gaps() []Gap {
	var gs []Gap
	for _, t := range r.Tables {
		if t.Snapshot == nil {
			gs = append(gs, Gap{Ref: t.Table.Ref(), Blocking: true, Message: notSynced(t.Table.ID)})
		}
	}
	for _, ind := range r.Indicators {
		ref := ind.Def.Ref()
		switch {
		case ind.Status == TableMissing:
			// Reported with the table.
		case ind.Status != OK:
			gs = append(gs, Gap{Ref: ref, Message: ind.Problem, Blocking: true})
		case ind.StatementMissing != "":
			gs = append(gs, Gap{Ref: ref, Message: ind.StatementMissing, Blocking: true})
		}
		if ind.Status != OK {
			continue
		}
		for _, s := range ind.Segments {
			if s.Status != OK && s.Status != TableMissing {
				gs = append(gs, Gap{Ref: ref, Message: s.Problem})
			}
		}
		if ind.Def.Appendix != nil && ind.Reference == nil {
			gs = append(gs, Gap{Ref: ref, Message: fmt.Sprintf("Tallet for vedleggets år (%d) mangler: %s.", ind.Def.Appendix.Year, ind.ReferenceMissing)})
		}
		for _, p := range ind.Classes {
			switch {
			case !p.OK:
				gs = append(gs, Gap{Ref: ref, Message: fmt.Sprintf("Størrelsesklassen «%s» (%s): %s.", p.Class, p.Year, p.Missing)})
			case p.Estimate == nil && ind.Def.ShareOf == "":
				gs = append(gs, Gap{Ref: ref, Message: "Antall mangler: " + p.EstimateMissing + "."})
			}
		}
	}
	return gs
}

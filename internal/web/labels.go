package web

import (
	"context"
	"fmt"
	"time"

	"github.com/grunnlag/grunnlag/internal/analysis"
)

// labelRow is an indicator definition that no longer fits the stored
// version of one of its tables (analysis.LabelHealth), as the sync page
// shows it: what does not fit and the table's nearest labels for
// everyone; the pack file that fixes it for analysts, who can load it.
type labelRow struct {
	Title, URL, Table string
	Successor         bool
	Problem           string
	Nearest           []string // «label» (kode X)
	Fix               string
	FixResolves       bool
}

// labelHealth checks every indicator definition against the stored
// tables, as grunnlag sync does after a sync; cached until the data
// changes.
func (s *Server) labelHealth(ctx context.Context) ([]labelRow, error) {
	v, err := s.cache.get(ctx, "labels", func(ctx context.Context) (any, error) {
		data, err := analysis.Load(ctx, cachedStore{s}, s.cfg.Pack, time.Time{})
		if err != nil {
			return nil, fmt.Errorf("label health: %w", err)
		}
		previous, err := analysis.LoadPrevious(ctx, s.cfg.Store, s.cfg.Pack)
		if err != nil {
			return nil, fmt.Errorf("label health: %w", err)
		}
		var rows []labelRow
		for _, li := range analysis.LabelHealth(s.cfg.Pack, data, previous) {
			r := labelRow{Title: li.Title, URL: indicatorPath(li.Indicator), Table: li.Table, Successor: li.Successor,
				Problem: li.Problem, Fix: li.Fix, FixResolves: li.FixResolves}
			for _, n := range li.Nearest {
				r.Nearest = append(r.Nearest, fmt.Sprintf("«%s» (kode %s)", n.Label, n.Code))
			}
			rows = append(rows, r)
		}
		return rows, nil
	})
	if err != nil {
		return nil, err
	}
	return v.([]labelRow), nil
}

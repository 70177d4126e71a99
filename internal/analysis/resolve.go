package analysis

import (
	"fmt"
	"strings"

	"github.com/grunnlag/grunnlag/internal/catalog"
	"github.com/grunnlag/grunnlag/internal/jsonstat"
)

// The roles a dimension plays in a resolved indicator.
const (
	RoleSelect = "utvalg"    // fixed by the definition's select
	RoleTime   = "tid"       // the years
	RoleSize   = "størrelse" // the size classes
	RoleFixed  = "fast"      // not named by the definition, but has one category only
)

// ResolvedDimension records how a definition was resolved against one
// dimension of a snapshot: the codes it picked, so a reader can check the
// cells, and the labels those codes had.
type ResolvedDimension struct {
	ID     string   `json:"dimension"`
	Label  string   `json:"label"`
	Role   string   `json:"role"`
	Codes  []string `json:"codes,omitempty"` // empty for time and size: all categories
	Labels []string `json:"labels,omitempty"`
}

// ResolveError says that a definition does not fit a snapshot: a dimension
// or category matched nothing or more than one, or a dimension was left
// open. It lists what the table does have, so the pattern can be fixed in
// the pack in a minute.
type ResolveError struct {
	Indicator string
	Table     string
	Field     string // the definition's field, e.g. "select[1].category"
	Dimension string // the dimension, as «label» (id); empty when a dimension was not found
	Match     string // the definition's match, e.g. `label "Har ikke"`
	Found     []string
	Available []string // «label» (code), in the table's order
	// Options are the dimensions or categories the match was tried
	// against, in the table's order, for suggesting the nearest.
	Options []Option
	problem string // English: "matches no dimension", …
	melding string // bokmål of the same
}

// Error describes the problem in English, with the available labels.
func (e *ResolveError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "indicator %s: table %s: %s: %s %s", e.Indicator, e.Table, e.Field, e.Match, e.problem)
	if e.Dimension != "" {
		fmt.Fprintf(&b, " in dimension %s", e.Dimension)
	}
	if len(e.Found) > 0 {
		fmt.Fprintf(&b, " (%s)", strings.Join(e.Found, ", "))
	}
	fmt.Fprintf(&b, "; available: %s", strings.Join(e.Available, ", "))
	return b.String()
}

// Message describes the problem in bokmål for the report.
func (e *ResolveError) Message() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Definisjonen %s (%s) %s", e.Field, e.Match, e.melding)
	if e.Dimension != "" {
		fmt.Fprintf(&b, " i dimensjonen %s", e.Dimension)
	}
	if len(e.Found) > 0 {
		fmt.Fprintf(&b, ": %s", strings.Join(e.Found, ", "))
	}
	fmt.Fprintf(&b, ". Tabellen har: %s.", strings.Join(e.Available, ", "))
	return b.String()
}

// Option is a dimension (Code is its id) or a category of a table.
type Option struct {
	Code, Label string
}

// resolution is a definition fitted to one dataset: the position of every
// dimension's chosen categories.
type resolution struct {
	dims  []ResolvedDimension // in the dataset's order
	pos   [][]int             // per dataset dimension: the chosen positions (time and size: all)
	sum   int                 // the dimension whose positions are summed; -1 when none
	time  int                 // index of the time dimension
	size  int                 // index of the size dimension; -1 when none
	total int                 // position of the size dimension's total category
}

func dimName(d *jsonstat.Dimension) string {
	if d.Label == "" || d.Label == d.ID {
		return "«" + d.ID + "»"
	}
	return "«" + d.Label + "» (" + d.ID + ")"
}

func catName(c jsonstat.Category) string {
	if c.Label == "" || c.Label == c.Code {
		return "«" + c.Code + "»"
	}
	return "«" + c.Label + "» (" + c.Code + ")"
}

// resolve fits the reading of a table to the dataset, or explains why it
// does not. Fields of a successor's reading are named "successor.…".
func resolve(id string, ind catalog.Reading, ds *jsonstat.Dataset) (*resolution, error) {
	prefix := ""
	if ind.Successor {
		prefix = "successor."
	}
	var options []Option // the last list of what the table has, for ResolveError.Options
	newErr := func(field, match, dimension, problem, melding string, found, available []string) error {
		return &ResolveError{
			Indicator: id, Table: ind.Table, Field: prefix + field, Dimension: dimension, Match: match,
			Found: found, Available: available, Options: options, problem: problem, melding: melding,
		}
	}
	allDims := func() []string {
		out := make([]string, len(ds.Dimensions))
		options = nil
		for i := range ds.Dimensions {
			out[i] = dimName(&ds.Dimensions[i])
			options = append(options, Option{Code: ds.Dimensions[i].ID, Label: ds.Dimensions[i].Label})
		}
		return out
	}
	used := make([]string, len(ds.Dimensions)) // the field that claimed each dimension
	findDim := func(field string, m catalog.DimensionMatch) (int, error) {
		var hits []int
		for i := range ds.Dimensions {
			if m.MatchDimension(ds.Dimensions[i].ID, ds.Dimensions[i].Label) {
				hits = append(hits, i)
			}
		}
		switch len(hits) {
		case 0:
			return -1, newErr(field, m.String(), "", "matches no dimension", "passer ikke til noen dimensjon", nil, allDims())
		case 1:
		default:
			found := make([]string, len(hits))
			for k, i := range hits {
				found[k] = dimName(&ds.Dimensions[i])
			}
			return -1, newErr(field, m.String(), "", "matches more than one dimension", "passer til flere dimensjoner", found, allDims())
		}
		i := hits[0]
		if used[i] != "" {
			return -1, newErr(field, m.String(), "", "names a dimension "+used[i]+" already names", "peker på en dimensjon som "+used[i]+" alt bruker", []string{dimName(&ds.Dimensions[i])}, allDims())
		}
		used[i] = field
		return i, nil
	}
	findCat := func(field string, dim int, m catalog.CategoryMatch) (int, error) {
		d := &ds.Dimensions[dim]
		var hits []int
		for i, c := range d.Categories {
			if m.MatchCategory(c.Code, c.Label) {
				hits = append(hits, i)
			}
		}
		if len(hits) == 1 {
			return hits[0], nil
		}
		available := make([]string, len(d.Categories))
		options = nil
		for i, c := range d.Categories {
			available[i] = catName(c)
			options = append(options, Option{Code: c.Code, Label: c.Label})
		}
		if len(hits) == 0 {
			return -1, newErr(field, m.String(), dimName(d), "matches no category", "passer ikke til noen kategori", nil, available)
		}
		found := make([]string, len(hits))
		for k, i := range hits {
			found[k] = catName(d.Categories[i])
		}
		return -1, newErr(field, m.String(), dimName(d), "matches more than one category", "passer til flere kategorier", found, available)
	}

	r := &resolution{pos: make([][]int, len(ds.Dimensions)), sum: -1, size: -1, time: -1}
	roles := make([]string, len(ds.Dimensions))
	for k, s := range ind.Select {
		field := fmt.Sprintf("select[%d]", k)
		dim, err := findDim(field+".dimension", s.Dimension)
		if err != nil {
			return nil, err
		}
		ms := s.Matches()
		for j, m := range ms {
			cf := field + ".category"
			if s.Category == nil {
				cf = fmt.Sprintf("%s.categories[%d]", field, j)
			}
			p, err := findCat(cf, dim, m)
			if err != nil {
				return nil, err
			}
			for _, q := range r.pos[dim] {
				if q == p {
					return nil, newErr(cf, m.String(), dimName(&ds.Dimensions[dim]), "picks a category picked before", "velger en kategori som alt er valgt", []string{catName(ds.Dimensions[dim].Categories[p])}, nil)
				}
			}
			r.pos[dim] = append(r.pos[dim], p)
		}
		if len(ms) > 1 {
			r.sum = dim
		}
		roles[dim] = RoleSelect
	}

	timeMatch, timeField := ind.Time, "time"
	if timeMatch == nil {
		timeMatch, timeField = &catalog.DimensionMatch{ID: "Tid"}, "time (standard: tidsrollen, ellers Tid)"
		if len(ds.Role.Time) == 1 {
			timeMatch = &catalog.DimensionMatch{ID: ds.Role.Time[0]}
		}
	}
	t, err := findDim(timeField, *timeMatch)
	if err != nil {
		return nil, err
	}
	r.time = t
	roles[t] = RoleTime
	r.pos[t] = allPositions(&ds.Dimensions[t])

	if sc := ind.SizeClasses; sc != nil {
		s, err := findDim("size_classes.dimension", sc.Dimension)
		if err != nil {
			return nil, err
		}
		total, err := findCat("size_classes.total", s, sc.Total)
		if err != nil {
			return nil, err
		}
		r.size, r.total = s, total
		roles[s] = RoleSize
		r.pos[s] = allPositions(&ds.Dimensions[s])
	}

	for i := range ds.Dimensions {
		d := &ds.Dimensions[i]
		if roles[i] != "" {
			continue
		}
		if len(d.Categories) != 1 {
			available := make([]string, len(d.Categories))
			options = nil
			for k, c := range d.Categories {
				available[k] = catName(c)
				options = append(options, Option{Code: c.Code, Label: c.Label})
			}
			return nil, newErr("select", "—", dimName(d), "leaves a dimension with several categories open", "velger ikke kategori", nil, available)
		}
		roles[i] = RoleFixed
		r.pos[i] = []int{0}
	}

	for i := range ds.Dimensions {
		d := &ds.Dimensions[i]
		rd := ResolvedDimension{ID: d.ID, Label: d.Label, Role: roles[i]}
		if roles[i] == RoleSelect || roles[i] == RoleFixed {
			for _, p := range r.pos[i] {
				rd.Codes = append(rd.Codes, d.Categories[p].Code)
				rd.Labels = append(rd.Labels, d.Categories[p].Label)
			}
		}
		if roles[i] == RoleSize {
			rd.Codes = []string{d.Categories[r.total].Code}
			rd.Labels = []string{d.Categories[r.total].Label}
		}
		r.dims = append(r.dims, rd)
	}
	return r, nil
}

func allPositions(d *jsonstat.Dimension) []int {
	p := make([]int, len(d.Categories))
	for i := range p {
		p[i] = i
	}
	return p
}

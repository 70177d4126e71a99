package pxwebtest

import (
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"strconv"
)

// Table is one table the fake server serves: its catalogue entry and the
// whole dataset. Values are row-major in Dimensions order (the last
// dimension varies fastest) and NaN marks a missing cell.
type Table struct {
	ID          string
	Label       string
	Description string
	Source      string
	// Updated is when the figures were last updated, e.g.
	// "2025-10-29T07:00:00Z".
	Updated string
	// FirstPeriod, LastPeriod and TimeUnit are derived from the time
	// dimension when empty.
	FirstPeriod  string
	LastPeriod   string
	TimeUnit     string
	SubjectCode  string
	Category     string // "public" when empty
	SortCode     string
	Discontinued *bool
	Paths        [][]PathItem

	Note       []string
	Role       Role
	Dimensions []Dimension
	Values     []float64
	Status     map[int]string // status symbol by flat index
	Extension  json.RawMessage
	Link       json.RawMessage
}

// Role lists the dimensions with the time, geo and metric roles.
type Role struct {
	Time, Geo, Metric []string
}

// Dimension is one variable of a table.
type Dimension struct {
	ID         string
	Label      string
	Note       []string
	Categories []Category
	Child      map[string][]string
	Extension  json.RawMessage // written verbatim
	Link       json.RawMessage // written verbatim
}

// Category is one value of a variable.
type Category struct {
	Code  string
	Label string
	Unit  json.RawMessage // written verbatim, e.g. {"base":"NOK","decimals":2}
	Note  []string
}

// PathItem is one level of a table's place in the subject tree.
type PathItem struct {
	ID       string `json:"id"`
	Label    string `json:"label"`
	SortCode string `json:"sortCode,omitempty"`
}

// cells returns the number of cells of t.
func (t *Table) cells() int {
	n := 1
	for _, d := range t.Dimensions {
		n *= len(d.Categories)
	}
	return n
}

// validate reports a table the server could not serve consistently.
func (t *Table) validate() error {
	if t.ID == "" {
		return fmt.Errorf("table without id")
	}
	if len(t.Dimensions) == 0 {
		return nil // a catalogue entry only
	}
	seen := map[string]bool{}
	for _, d := range t.Dimensions {
		if d.ID == "" || seen[d.ID] {
			return fmt.Errorf("table %s: empty or repeated dimension id %q", t.ID, d.ID)
		}
		seen[d.ID] = true
		if len(d.Categories) == 0 {
			return fmt.Errorf("table %s: dimension %s has no categories", t.ID, d.ID)
		}
	}
	if len(t.Values) != t.cells() {
		return fmt.Errorf("table %s: %d values for %d cells", t.ID, len(t.Values), t.cells())
	}
	return nil
}

// timeDimension returns the time dimension, or nil.
func (t *Table) timeDimension() *Dimension {
	for _, id := range t.Role.Time {
		for i := range t.Dimensions {
			if t.Dimensions[i].ID == id {
				return &t.Dimensions[i]
			}
		}
	}
	return nil
}

// isTime reports whether dimension id has the time role.
func (t *Table) isTime(id string) bool {
	for _, x := range t.Role.Time {
		if x == id {
			return true
		}
	}
	return false
}

var (
	weekCode    = regexp.MustCompile(`^\d{4}U\d{2}$`)
	monthCode   = regexp.MustCompile(`^\d{4}M\d{2}$`)
	quarterCode = regexp.MustCompile(`^\d{4}[KQ]\d$`)
	yearCode    = regexp.MustCompile(`^\d{4}$`)
)

// withCatalogueDefaults fills the catalogue fields that follow from the data.
func (t Table) withCatalogueDefaults() Table {
	if td := t.timeDimension(); td != nil {
		first, last := td.Categories[0].Code, td.Categories[len(td.Categories)-1].Code
		if t.FirstPeriod == "" {
			t.FirstPeriod = first
		}
		if t.LastPeriod == "" {
			t.LastPeriod = last
		}
		if t.TimeUnit == "" {
			switch {
			case weekCode.MatchString(last):
				t.TimeUnit = "Weekly"
			case monthCode.MatchString(last):
				t.TimeUnit = "Monthly"
			case quarterCode.MatchString(last):
				t.TimeUnit = "Quarterly"
			case yearCode.MatchString(last):
				t.TimeUnit = "Annual"
			default:
				t.TimeUnit = "Other"
			}
		}
	}
	if t.Category == "" {
		t.Category = "public"
	}
	return t
}

// ConstructedTable returns CONSTRUCTED TEST DATA, not SSB figures: a table
// shaped like SSB's ICT-in-the-public-sector tables (12041 and kin) with the
// dimensions Forvaltningsniva (levels values), Statistikkvariabel (variables
// values), Status (Ja, Nei, Vet ikke), ContentsCode (one share, percent, one
// decimal) and Tid (years values from 2015), in that order. Values are
// generated from the cell index; every 13th cell is missing with status
// "..". Its labels say it is constructed.
func ConstructedTable(id string, years, levels, variables int) Table {
	years, levels, variables = max(years, 1), max(levels, 1), max(variables, 1)
	level := Dimension{ID: "Forvaltningsniva", Label: "forvaltningsnivå (konstruert)",
		Extension: json.RawMessage(`{"elimination":false,"show":"value"}`)}
	for i := 1; i <= levels; i++ {
		level.Categories = append(level.Categories, Category{
			Code: fmt.Sprintf("L%02d", i), Label: fmt.Sprintf("Konstruert nivå %d", i)})
	}
	variable := Dimension{ID: "Statistikkvariabel", Label: "statistikkvariabel (konstruert)",
		Extension: json.RawMessage(`{"elimination":false,"show":"value"}`)}
	for i := 1; i <= variables; i++ {
		variable.Categories = append(variable.Categories, Category{
			Code: fmt.Sprintf("V%03d", i), Label: fmt.Sprintf("Konstruert spørsmål %d", i)})
	}
	status := Dimension{ID: "Status", Label: "status (konstruert)",
		Extension:  json.RawMessage(`{"elimination":false,"show":"value"}`),
		Categories: []Category{{Code: "1", Label: "Ja"}, {Code: "2", Label: "Nei"}, {Code: "3", Label: "Vet ikke"}}}
	contents := Dimension{ID: "ContentsCode", Label: "statistikkvariabel",
		Extension: json.RawMessage(`{"elimination":false,"show":"value"}`),
		Categories: []Category{{Code: "Andel", Label: "Andel (prosent, konstruert)",
			Unit: json.RawMessage(`{"base":"prosent","decimals":1}`)}}}
	tid := Dimension{ID: "Tid", Label: "år", Extension: json.RawMessage(`{"elimination":false,"show":"code"}`)}
	for y := 0; y < years; y++ {
		code := strconv.Itoa(2015 + y)
		tid.Categories = append(tid.Categories, Category{Code: code, Label: code})
	}
	t := Table{
		ID:          id,
		Label:       id + ": Konstruerte testdata formet som IKT i offentlig sektor (ikke SSB-tall)",
		Source:      "Konstruerte testdata",
		Updated:     "2025-01-01T07:00:00Z",
		SubjectCode: "ikt",
		Role:        Role{Time: []string{"Tid"}, Metric: []string{"ContentsCode"}},
		Dimensions:  []Dimension{level, variable, status, contents, tid},
		Extension:   json.RawMessage(`{"px":{"tableid":"` + id + `","decimals":1,"language":"no"},"constructed":true}`),
		Status:      map[int]string{},
	}
	n := t.cells()
	t.Values = make([]float64, n)
	for i := range t.Values {
		if i%13 == 12 {
			t.Values[i] = math.NaN()
			t.Status[i] = ".."
			continue
		}
		t.Values[i] = float64((i*7919)%1000) / 10
	}
	return t
}

package pxwebtest

// The fake server reads and writes JSON-stat 2.0 itself, with
// encoding/json, so that it shares no code with the decoder it tests.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"math"
	"path"
	"strconv"

	"github.com/grunnlag/grunnlag/internal/fixtures"
)

// jsDataset is a JSON-stat 2.0 dataset as PxWebApi writes it.
type jsDataset struct {
	Version   string                 `json:"version"`
	Class     string                 `json:"class"`
	Label     string                 `json:"label,omitempty"`
	Source    string                 `json:"source,omitempty"`
	Updated   string                 `json:"updated,omitempty"`
	Note      []string               `json:"note,omitempty"`
	Role      *jsRole                `json:"role,omitempty"`
	ID        []string               `json:"id"`
	Size      []int                  `json:"size"`
	Dimension map[string]jsDimension `json:"dimension"`
	Extension json.RawMessage        `json:"extension,omitempty"`
	Link      json.RawMessage        `json:"link,omitempty"`
	Value     []any                  `json:"value"`
	Status    map[string]string      `json:"status,omitempty"`
}

type jsRole struct {
	Time   []string `json:"time,omitempty"`
	Geo    []string `json:"geo,omitempty"`
	Metric []string `json:"metric,omitempty"`
}

type jsDimension struct {
	Label     string          `json:"label"`
	Note      []string        `json:"note,omitempty"`
	Category  jsCategory      `json:"category"`
	Extension json.RawMessage `json:"extension,omitempty"`
	Link      json.RawMessage `json:"link,omitempty"`
}

type jsCategory struct {
	// Index is written as an object, like PxWeb does; encoding/json sorts
	// its keys, so key order differs from position order, as at SSB.
	Index map[string]int             `json:"index"`
	Label map[string]string          `json:"label"`
	Unit  map[string]json.RawMessage `json:"unit,omitempty"`
	Note  map[string][]string        `json:"note,omitempty"`
	Child map[string][]string        `json:"child,omitempty"`
}

// encodeDataset writes the cells of t at the selected category positions
// (one list per dimension, in table order). With values false it writes
// metadata: every category and "value": [].
func encodeDataset(t *Table, pos [][]int, values bool) ([]byte, error) {
	ds := jsDataset{
		Version: "2.0", Class: "dataset",
		Label: t.Label, Source: t.Source, Updated: t.Updated, Note: t.Note,
		Dimension: make(map[string]jsDimension, len(t.Dimensions)),
		Extension: t.Extension, Link: t.Link,
		Value: []any{},
	}
	if len(t.Role.Time)+len(t.Role.Geo)+len(t.Role.Metric) > 0 {
		ds.Role = &jsRole{Time: t.Role.Time, Geo: t.Role.Geo, Metric: t.Role.Metric}
	}
	for i, d := range t.Dimensions {
		ds.ID = append(ds.ID, d.ID)
		ds.Size = append(ds.Size, len(pos[i]))
		cat := jsCategory{Index: map[string]int{}, Label: map[string]string{}}
		for k, p := range pos[i] {
			c := d.Categories[p]
			cat.Index[c.Code] = k
			cat.Label[c.Code] = c.Label
			if c.Unit != nil {
				if cat.Unit == nil {
					cat.Unit = map[string]json.RawMessage{}
				}
				cat.Unit[c.Code] = c.Unit
			}
			if c.Note != nil {
				if cat.Note == nil {
					cat.Note = map[string][]string{}
				}
				cat.Note[c.Code] = c.Note
			}
		}
		if len(d.Child) > 0 {
			cat.Child = d.Child
		}
		ds.Dimension[d.ID] = jsDimension{Label: d.Label, Note: d.Note, Category: cat, Extension: d.Extension, Link: d.Link}
	}
	if values {
		n := 1
		for _, p := range pos {
			n *= len(p)
		}
		ds.Value = make([]any, n)
		coords := make([]int, len(pos))
		for out := 0; out < n; out++ {
			src := 0
			for i, k := range coords {
				src = src*len(t.Dimensions[i].Categories) + pos[i][k]
			}
			if v := t.Values[src]; !math.IsNaN(v) {
				ds.Value[out] = v
			}
			if s, ok := t.Status[src]; ok {
				if ds.Status == nil {
					ds.Status = map[string]string{}
				}
				ds.Status[strconv.Itoa(out)] = s
			}
			for i := len(coords) - 1; i >= 0; i-- {
				coords[i]++
				if coords[i] < len(pos[i]) {
					break
				}
				coords[i] = 0
			}
		}
	}
	return json.Marshal(ds)
}

// allPositions selects every category of every dimension of t.
func allPositions(t *Table) [][]int {
	pos := make([][]int, len(t.Dimensions))
	for i, d := range t.Dimensions {
		pos[i] = make([]int, len(d.Categories))
		for k := range pos[i] {
			pos[i][k] = k
		}
	}
	return pos
}

// rawDataset is a JSON-stat 2.0 dataset as read from a recorded response.
type rawDataset struct {
	Label     string                  `json:"label"`
	Source    string                  `json:"source"`
	Updated   string                  `json:"updated"`
	Note      []string                `json:"note"`
	Role      jsRole                  `json:"role"`
	ID        []string                `json:"id"`
	Size      []int                   `json:"size"`
	Dimension map[string]rawDimension `json:"dimension"`
	Extension json.RawMessage         `json:"extension"`
	Link      json.RawMessage         `json:"link"`
	Value     json.RawMessage         `json:"value"`
	Status    json.RawMessage         `json:"status"`
}

type rawDimension struct {
	Label    string   `json:"label"`
	Note     []string `json:"note"`
	Category struct {
		Index json.RawMessage            `json:"index"`
		Label map[string]string          `json:"label"`
		Unit  map[string]json.RawMessage `json:"unit"`
		Note  map[string][]string        `json:"note"`
		Child map[string][]string        `json:"child"`
	} `json:"category"`
	Extension json.RawMessage `json:"extension"`
	Link      json.RawMessage `json:"link"`
}

// ParseTable reads a recorded JSON-stat 2.0 data response and treats it as
// the whole table id: every category it holds is all the table has.
func ParseTable(id string, data []byte) (Table, error) {
	var raw rawDataset
	if err := json.Unmarshal(data, &raw); err != nil {
		return Table{}, fmt.Errorf("parse table %s: %w", id, err)
	}
	if len(raw.ID) != len(raw.Size) {
		return Table{}, fmt.Errorf("parse table %s: %d ids, %d sizes", id, len(raw.ID), len(raw.Size))
	}
	t := Table{
		ID: id, Label: raw.Label, Source: raw.Source, Updated: raw.Updated, Note: raw.Note,
		Role:      Role{Time: raw.Role.Time, Geo: raw.Role.Geo, Metric: raw.Role.Metric},
		Extension: raw.Extension, Link: raw.Link,
	}
	for i, did := range raw.ID {
		rd, ok := raw.Dimension[did]
		if !ok {
			return Table{}, fmt.Errorf("parse table %s: no dimension %s", id, did)
		}
		codes, err := categoryCodes(rd, raw.Size[i])
		if err != nil {
			return Table{}, fmt.Errorf("parse table %s: dimension %s: %w", id, did, err)
		}
		d := Dimension{ID: did, Label: rd.Label, Note: rd.Note, Child: rd.Category.Child,
			Extension: rd.Extension, Link: rd.Link}
		for _, code := range codes {
			label, ok := rd.Category.Label[code]
			if !ok {
				label = code
			}
			d.Categories = append(d.Categories, Category{Code: code, Label: label,
				Unit: rd.Category.Unit[code], Note: rd.Category.Note[code]})
		}
		t.Dimensions = append(t.Dimensions, d)
	}
	n := t.cells()
	values, err := parseValues(raw.Value, n)
	if err != nil {
		return Table{}, fmt.Errorf("parse table %s: %w", id, err)
	}
	t.Values = values
	if t.Status, err = parseStatus(raw.Status, n); err != nil {
		return Table{}, fmt.Errorf("parse table %s: %w", id, err)
	}
	return t.withCatalogueDefaults(), t.validate()
}

// categoryCodes returns a dimension's codes in position order.
func categoryCodes(rd rawDimension, size int) ([]string, error) {
	idx := bytes.TrimSpace(rd.Category.Index)
	var codes []string
	switch {
	case len(idx) == 0:
		// A single category may omit the index; take the one label.
		for code := range rd.Category.Label {
			codes = append(codes, code)
		}
	case idx[0] == '[':
		if err := json.Unmarshal(idx, &codes); err != nil {
			return nil, err
		}
	default:
		var m map[string]int
		if err := json.Unmarshal(idx, &m); err != nil {
			return nil, err
		}
		codes = make([]string, len(m))
		for code, p := range m {
			if p < 0 || p >= len(m) || codes[p] != "" {
				return nil, fmt.Errorf("bad position %d of %q", p, code)
			}
			codes[p] = code
		}
	}
	if len(codes) != size {
		return nil, fmt.Errorf("%d categories, size says %d", len(codes), size)
	}
	return codes, nil
}

// parseValues reads a dense array or a sparse object of n cells.
func parseValues(raw json.RawMessage, n int) ([]float64, error) {
	values := make([]float64, n)
	for i := range values {
		values[i] = math.NaN()
	}
	raw = bytes.TrimSpace(raw)
	if len(raw) > 0 && raw[0] == '{' {
		var m map[string]*float64
		if err := json.Unmarshal(raw, &m); err != nil {
			return nil, fmt.Errorf("value: %w", err)
		}
		for k, v := range m {
			i, err := strconv.Atoi(k)
			if err != nil || i < 0 || i >= n {
				return nil, fmt.Errorf("value: bad index %q", k)
			}
			if v != nil {
				values[i] = *v
			}
		}
		return values, nil
	}
	var list []*float64
	if err := json.Unmarshal(raw, &list); err != nil {
		return nil, fmt.Errorf("value: %w", err)
	}
	if len(list) != n {
		return nil, fmt.Errorf("value: %d values for %d cells", len(list), n)
	}
	for i, v := range list {
		if v != nil {
			values[i] = *v
		}
	}
	return values, nil
}

// parseStatus reads a status object, string or array.
func parseStatus(raw json.RawMessage, n int) (map[int]string, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	out := map[int]string{}
	switch raw[0] {
	case '"':
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return nil, fmt.Errorf("status: %w", err)
		}
		for i := 0; i < n; i++ {
			out[i] = s
		}
	case '[':
		var list []*string
		if err := json.Unmarshal(raw, &list); err != nil {
			return nil, fmt.Errorf("status: %w", err)
		}
		for i := 0; i < n; i++ {
			var s *string
			if len(list) == 1 {
				s = list[0] // the deprecated "applies to every cell" form
			} else if i < len(list) {
				s = list[i]
			}
			if s != nil {
				out[i] = *s
			}
		}
	default:
		var m map[string]string
		if err := json.Unmarshal(raw, &m); err != nil {
			return nil, fmt.Errorf("status: %w", err)
		}
		for k, s := range m {
			i, err := strconv.Atoi(k)
			if err != nil || i < 0 || i >= n {
				return nil, fmt.Errorf("status: bad index %q", k)
			}
			out[i] = s
		}
	}
	return out, nil
}

// FixtureTable reads a recorded data response from the project's fixtures
// (e.g. "pxweb/ssb-v2/03024/data-POST.json") as a whole table whose id is
// the name of the file's folder.
func FixtureTable(name string) (Table, error) {
	data, err := fs.ReadFile(fixtures.FS, name)
	if err != nil {
		return Table{}, err
	}
	return ParseTable(path.Base(path.Dir(name)), data)
}

package jsonstat

import (
	"encoding/json"
	"math"
	"strconv"
)

// contentsID is PxWeb's name for the contents (statistic) variable. PxWeb
// v1 json data has no such column: each contents code is a value column of
// type "c". The decoder gathers them into one metric dimension with this
// id, placed last, and leaves its label empty because the document gives
// none.
const contentsID = "ContentsCode"

type pxColumn struct {
	code, text, typ, comment, unit string
}

// decodePxJSON decodes PxWeb v1 "json" data:
//
//	{"columns":[{code,text,type:"d"|"t"|"c",comment?,unit?}],
//	 "comments":[{variable,value,comment}],
//	 "data":[{"key":[codes of d and t columns],"values":[one per c column]}],
//	 "metadata":[{label,source,updated}]}
//
// Category labels are the codes (the format sends none). Categories are
// numbered in order of first appearance in the rows. Values are strings;
// one that is not a number (a PX symbol such as ".." or "-") becomes a
// missing cell with that status. Cells without a row are missing.
func decodePxJSON(root *scanner, members map[string]int) (*Dataset, error) {
	at := func(k string) *scanner { return root.at(members[k]) }
	lim := root.lim
	var ds Dataset

	cols, err := pxColumns(at("columns"), lim.MaxDimensions+lim.MaxCategories)
	if err != nil {
		return nil, atPath(err, "columns")
	}
	var keyCols []int
	contents := Dimension{ID: contentsID}
	seen := map[string]bool{contentsID: true}
	for i, c := range cols {
		p := elem("columns", i)
		switch c.typ {
		case "d", "t":
			if seen[c.code] {
				return nil, semErr(join(p, "code"), "%q listed twice", c.code)
			}
			seen[c.code] = true
			if len(keyCols)+1 >= lim.MaxDimensions { // the contents dimension comes too
				return nil, limitErr("columns", "MaxDimensions", "dimensions", lim.MaxDimensions, len(keyCols)+2)
			}
			keyCols = append(keyCols, i)
			dim := Dimension{ID: c.code, Label: c.text}
			if c.comment != "" {
				dim.Note = []string{c.comment}
			}
			ds.Dimensions = append(ds.Dimensions, dim)
			if c.typ == "t" {
				ds.Role.Time = append(ds.Role.Time, c.code)
			}
		case "c":
			if contents.Position(c.code) >= 0 {
				return nil, semErr(join(p, "code"), "%q listed twice", c.code)
			}
			if len(contents.Categories) >= lim.MaxCategories {
				return nil, limitErr("columns", "MaxCategories", "categories", lim.MaxCategories, len(contents.Categories)+1)
			}
			cat := Category{Code: c.code, Label: c.text}
			if cat.Label == "" {
				cat.Label = c.code
			}
			if c.comment != "" {
				cat.Note = []string{c.comment}
			}
			if c.unit != "" {
				cat.Unit = &Unit{Label: c.unit}
			}
			contents.Categories = append(contents.Categories, cat)
		default:
			return nil, semErr(join(p, "type"), "unknown column type %q", c.typ)
		}
	}
	if len(contents.Categories) == 0 {
		return nil, semErr("columns", "no column of type \"c\"")
	}
	ds.Role.Metric = []string{contentsID}
	nKey, nVal := len(keyCols), len(contents.Categories)

	// Rows: remember each row's category positions and values, and number
	// the categories as they appear.
	index := make([]map[string]int, nKey)
	for j := range index {
		index[j] = make(map[string]int)
	}
	var rowPos []int
	var rowVals []float64
	status := make(map[int]string) // by row*nVal + column, for now
	s := at("data")
	err = s.array(func(r int) error {
		p := elem("data", r)
		hasKey, hasValues := false, false
		err := s.object(func(k []byte) error {
			switch string(k) {
			case "key":
				if hasKey {
					return semErr(join(p, "key"), "given twice")
				}
				hasKey = true
				n := 0
				err := s.array(func(i int) error {
					if i >= nKey {
						return semErr(join(p, "key"), "more than %d codes", nKey)
					}
					code, err := s.strValue()
					if err != nil {
						return atPath(err, elem(join(p, "key"), i))
					}
					pos, ok := index[i][code]
					if !ok {
						pos = len(ds.Dimensions[i].Categories)
						if pos >= lim.MaxCategories {
							return limitErr(elem(join(p, "key"), i), "MaxCategories", "categories", lim.MaxCategories, pos+1)
						}
						index[i][code] = pos
						ds.Dimensions[i].Categories = append(ds.Dimensions[i].Categories, Category{Code: code, Label: code})
					}
					rowPos = append(rowPos, pos)
					n++
					return nil
				})
				if err == nil && n != nKey {
					err = semErr(join(p, "key"), "%d codes, columns say %d", n, nKey)
				}
				return err
			case "values":
				if hasValues {
					return semErr(join(p, "values"), "given twice")
				}
				hasValues = true
				n := 0
				err := s.array(func(i int) error {
					if i >= nVal {
						return semErr(join(p, "values"), "more than %d values", nVal)
					}
					v, sym, err := pxValue(s, elem(join(p, "values"), i))
					if sym != "" {
						status[r*nVal+i] = sym
					}
					rowVals = append(rowVals, v)
					n++
					return err
				})
				if err == nil && n != nVal {
					err = semErr(join(p, "values"), "%d values, columns say %d", n, nVal)
				}
				return err
			}
			_, err := s.skip()
			return err
		})
		if err != nil {
			return atPath(err, p)
		}
		switch {
		case !hasKey && nKey > 0:
			return semErr(join(p, "key"), "missing")
		case !hasValues:
			return semErr(join(p, "values"), "missing")
		}
		return nil
	})
	if err != nil {
		return nil, atPath(err, "data")
	}
	rows := len(rowVals) / nVal
	if rows == 0 {
		return nil, semErr("data", "no rows")
	}

	// Lay the rows out as cells, the contents dimension varying fastest.
	ds.Dimensions = append(ds.Dimensions, contents)
	cells := 1
	for i := range ds.Dimensions {
		n := len(ds.Dimensions[i].Categories)
		if cells > math.MaxInt/n {
			cells = -1
			break
		}
		cells *= n
	}
	if cells < 0 || cells > lim.MaxCells {
		return nil, limitErr("data", "MaxCells", "cells", lim.MaxCells, cells)
	}
	if limit := sparseLimit(len(root.data)); cells > limit {
		return nil, semErr("data", "%d rows describe %d cells; implausibly sparse", rows, cells)
	}
	ds.Values = allocValues(cells)
	nan := math.NaN()
	for i := range ds.Values {
		ds.Values[i] = nan
	}
	filled := make([]bool, cells/nVal)
	flat := make([]int, rows)
	for r := range rows {
		base := 0
		for j := range nKey {
			base = base*len(ds.Dimensions[j].Categories) + rowPos[r*nKey+j]
		}
		if filled[base] {
			return nil, semErr(join(elem("data", r), "key"), "cell listed twice")
		}
		filled[base] = true
		flat[r] = base * nVal
		copy(ds.Values[base*nVal:(base+1)*nVal], rowVals[r*nVal:(r+1)*nVal])
	}
	if len(status) > 0 {
		ds.Status = make(map[int]string, len(status))
		for k, sym := range status {
			ds.Status[flat[k/nVal]+k%nVal] = sym
		}
	}

	if err := pxComments(at, members, &ds); err != nil {
		return nil, err
	}
	if _, ok := members["metadata"]; ok {
		s := at("metadata")
		err := s.array(func(i int) error {
			return s.object(func(k []byte) error {
				var err error
				var v string
				switch string(k) {
				case "label", "source", "updated":
					v, err = s.strOrNull()
				default:
					_, err = s.skip()
				}
				if i == 0 {
					switch string(k) {
					case "label":
						ds.Label = v
					case "source":
						ds.Source = v
					case "updated":
						ds.Updated = v
					}
				}
				return atPath(err, join(elem("metadata", i), string(k)))
			})
		})
		if err != nil {
			return nil, atPath(err, "metadata")
		}
	}
	return &ds, nil
}

func pxColumns(s *scanner, max int) ([]pxColumn, error) {
	var cols []pxColumn
	err := s.array(func(i int) error {
		if i >= max {
			return limitErr("columns", "MaxDimensions+MaxCategories", "columns", max, i+1)
		}
		var c pxColumn
		err := s.object(func(k []byte) error {
			var err error
			switch string(k) {
			case "code":
				c.code, err = s.strOrNull()
			case "text":
				c.text, err = s.strOrNull()
			case "type":
				c.typ, err = s.strOrNull()
			case "comment":
				c.comment, err = s.strOrNull()
			case "unit":
				c.unit, err = s.strOrNull()
			default:
				_, err = s.skip()
			}
			return atPath(err, join(elem("columns", i), string(k)))
		})
		if err == nil && c.code == "" {
			err = semErr(join(elem("columns", i), "code"), "missing")
		}
		cols = append(cols, c)
		return err
	})
	return cols, err
}

// pxValue reads one px-json value: a number written as a string, a PX
// symbol (returned as sym with a NaN value), a JSON number or null.
func pxValue(s *scanner, path string) (v float64, sym string, err error) {
	switch c := s.peek(); {
	case c == 'n':
		return math.NaN(), "", atPath(s.literal("null"), path)
	case c == '-' || c >= '0' && c <= '9':
		v, err := s.number()
		return v, "", atPath(err, path)
	case c == '"':
		b, err := s.str()
		if err != nil {
			return 0, "", atPath(err, path)
		}
		ns := &scanner{data: b}
		if v, err := ns.number(); err == nil && ns.pos == len(b) {
			return v, "", nil
		}
		if len(b) == 0 {
			return math.NaN(), "", nil
		}
		return math.NaN(), string(b), nil
	}
	return 0, "", atPath(s.unexpected("a string, number or null"), path)
}

// pxComments attaches px-json value comments to their categories.
func pxComments(at func(string) *scanner, members map[string]int, ds *Dataset) error {
	if _, ok := members["comments"]; !ok {
		return nil
	}
	s := at("comments")
	err := s.array(func(i int) error {
		var variable, value, comment string
		err := s.object(func(k []byte) error {
			var err error
			switch string(k) {
			case "variable":
				variable, err = s.strOrNull()
			case "value":
				value, err = s.strOrNull()
			case "comment":
				comment, err = s.strOrNull()
			default:
				_, err = s.skip()
			}
			return atPath(err, join(elem("comments", i), string(k)))
		})
		if err != nil || comment == "" {
			return err
		}
		if dim := ds.Dimension(variable); dim != nil {
			if p := dim.Position(value); p >= 0 {
				dim.Categories[p].Note = append(dim.Categories[p].Note, comment)
			}
		}
		return nil
	})
	return atPath(err, "comments")
}

// decodePxMetadata decodes PxWeb v1 table metadata
//
//	{"title":..., "variables":[{code,text,values,valueTexts,elimination,time}]}
//
// into a metadata-only Dataset (Values nil). Variables with "time": true
// play the time role, and ContentsCode, when present, the metric role.
// Elimination goes to the dimension's extension as {"elimination":bool},
// the place PxWebApi v2 puts it; v1 leaves out false.
func decodePxMetadata(root *scanner, members map[string]int) (*Dataset, error) {
	var ds Dataset
	lim := root.lim
	if at, ok := members["title"]; ok {
		var err error
		if ds.Label, err = root.at(at).strOrNull(); err != nil {
			return nil, atPath(err, "title")
		}
	}
	s := root.at(members["variables"])
	seen := make(map[string]bool)
	err := s.array(func(i int) error {
		p := elem("variables", i)
		if i >= lim.MaxDimensions {
			return limitErr("variables", "MaxDimensions", "dimensions", lim.MaxDimensions, i+1)
		}
		var dim Dimension
		var codes, texts []string
		hasTexts, elimination, isTime := false, false, false
		err := s.object(func(k []byte) error {
			var err error
			switch string(k) {
			case "code":
				dim.ID, err = s.strOrNull()
			case "text":
				dim.Label, err = s.strOrNull()
			case "values":
				codes, err = stringsOrNull(s)
			case "valueTexts":
				hasTexts = true
				texts, err = stringsOrNull(s)
			case "elimination":
				elimination, err = s.boolean()
			case "time":
				isTime, err = s.boolean()
			default:
				_, err = s.skip()
			}
			return atPath(err, join(p, string(k)))
		})
		switch {
		case err != nil:
			return err
		case dim.ID == "":
			return semErr(join(p, "code"), "missing")
		case seen[dim.ID]:
			return semErr(join(p, "code"), "%q listed twice", dim.ID)
		case len(codes) == 0:
			return semErr(join(p, "values"), "no values")
		case hasTexts && len(texts) != len(codes):
			return semErr(join(p, "valueTexts"), "%d entries, values has %d", len(texts), len(codes))
		}
		seen[dim.ID] = true
		dim.Categories = make([]Category, len(codes))
		pos := make(map[string]bool, len(codes))
		for j, code := range codes {
			if pos[code] {
				return semErr(elem(join(p, "values"), j), "code %q listed twice", code)
			}
			pos[code] = true
			label := code
			if hasTexts && texts[j] != "" {
				label = texts[j]
			}
			dim.Categories[j] = Category{Code: code, Label: label}
		}
		dim.Extension = json.RawMessage(`{"elimination":` + strconv.FormatBool(elimination) + `}`)
		if isTime {
			ds.Role.Time = append(ds.Role.Time, dim.ID)
		}
		if dim.ID == contentsID {
			ds.Role.Metric = []string{contentsID}
		}
		ds.Dimensions = append(ds.Dimensions, dim)
		return nil
	})
	if err != nil {
		return nil, atPath(err, "variables")
	}
	if len(ds.Dimensions) == 0 {
		return nil, semErr("variables", "no variables")
	}
	cells := 1
	for i := range ds.Dimensions {
		n := len(ds.Dimensions[i].Categories)
		if cells > math.MaxInt/n {
			cells = -1
			break
		}
		cells *= n
	}
	if cells < 0 || cells > lim.MaxCells {
		return nil, limitErr("variables", "MaxCells", "cells", lim.MaxCells, cells)
	}
	return &ds, nil
}

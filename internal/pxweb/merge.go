package pxweb

import (
	"bytes"
	"encoding/json"
	"math"

	"github.com/grunnlag/grunnlag/internal/fault"
	"github.com/grunnlag/grunnlag/internal/jsonstat"
)

// merge joins the parts of full into one dataset equal to what an unsplit
// request would give: dimensions in the order of the (first) response's id,
// categories in metadata order, every cell placed by its codes. Parts must
// cover every cell exactly once and come from one version of the table.
func merge(full selection, parts []part) (*jsonstat.Dataset, error) {
	if len(parts) == 0 {
		return nil, fault.Errorf(fault.Internal, "no parts to merge")
	}
	if len(parts) == 1 {
		if got, want := parts[0].ds.Len(), full.cells(); got != want {
			return nil, fault.Errorf(fault.Invalid, "merged data misses %d of %d cells", want-got, want)
		}
		return parts[0].ds, nil
	}
	first := parts[0].ds
	for _, p := range parts[1:] {
		if p.ds.Updated != first.Updated {
			return nil, fault.Errorf(fault.Conflict,
				"table was updated while its parts were fetched (%s, then %s)", first.Updated, p.ds.Updated)
		}
	}

	out := *first
	out.Dimensions = make([]jsonstat.Dimension, len(first.Dimensions))
	position := make([]map[string]int, len(first.Dimensions)) // code -> merged position, per merged dimension
	for j, fd := range first.Dimensions {
		var values []string
		for _, v := range full {
			if v.code == fd.ID {
				values = v.values
			}
		}
		cats := make(map[string]jsonstat.Category, len(values))
		var exts, links []json.RawMessage
		var childs []map[string][]string
		for _, p := range parts {
			d := p.ds.Dimension(fd.ID)
			for _, c := range d.Categories {
				if _, ok := cats[c.Code]; !ok {
					cats[c.Code] = c
				}
			}
			exts = append(exts, d.Extension)
			links = append(links, d.Link)
			childs = append(childs, d.Child)
		}
		dim := fd
		dim.Categories = make([]jsonstat.Category, len(values))
		position[j] = make(map[string]int, len(values))
		for k, code := range values {
			c, ok := cats[code]
			if !ok {
				return nil, fault.Errorf(fault.Invalid, "merged data lacks category %s of dimension %s", code, fd.ID)
			}
			dim.Categories[k] = c
			position[j][code] = k
		}
		dim.Extension = mergeRaw(exts)
		dim.Link = mergeRaw(links)
		dim.Child = mergeChild(childs)
		out.Dimensions[j] = dim
	}
	var exts, links []json.RawMessage
	for _, p := range parts {
		exts = append(exts, p.ds.Extension)
		links = append(links, p.ds.Link)
	}
	out.Extension = mergeRaw(exts)
	out.Link = mergeRaw(links)

	total := out.Len()
	stride := make([]int, len(out.Dimensions))
	for j, n := len(out.Dimensions)-1, 1; j >= 0; j-- {
		stride[j] = n
		n *= len(out.Dimensions[j].Categories)
	}
	out.Values = make([]float64, total)
	for i := range out.Values {
		out.Values[i] = math.NaN()
	}
	out.Status, out.Text = nil, nil
	// A blanket status common to every part stays one value; otherwise
	// each cell takes its part's.
	out.StatusAll = first.StatusAll
	for _, p := range parts[1:] {
		if p.ds.StatusAll != out.StatusAll {
			out.StatusAll = ""
		}
	}
	filled := make([]bool, total)
	count := 0
	for _, p := range parts {
		ds := p.ds
		// offset[i][k] is how far category k of the part's dimension i moves
		// the merged flat index.
		offset := make([][]int, len(ds.Dimensions))
		for i, d := range ds.Dimensions {
			j := indexOf(out.Dimensions, d.ID)
			offset[i] = make([]int, len(d.Categories))
			for k, c := range d.Categories {
				offset[i][k] = position[j][c.Code] * stride[j]
			}
		}
		coords := make([]int, len(ds.Dimensions))
		for idx, v := range ds.Values {
			flat := 0
			for i, k := range coords {
				flat += offset[i][k]
			}
			if filled[flat] {
				return nil, fault.Errorf(fault.Invalid, "parts overlap at cell %d", flat)
			}
			filled[flat] = true
			count++
			out.Values[flat] = v
			if s := ds.CellStatus(idx); s != "" && s != out.StatusAll {
				if out.Status == nil {
					out.Status = make(map[int]string)
				}
				out.Status[flat] = s
			}
			if t, ok := ds.Text[idx]; ok {
				if out.Text == nil {
					out.Text = make(map[int]string)
				}
				out.Text[flat] = t
			}
			// Advance the row-major counter, last dimension fastest.
			for i := len(coords) - 1; i >= 0; i-- {
				coords[i]++
				if coords[i] < len(ds.Dimensions[i].Categories) {
					break
				}
				coords[i] = 0
			}
		}
	}
	if count != total {
		return nil, fault.Errorf(fault.Invalid, "merged data misses %d of %d cells", total-count, total)
	}
	return &out, nil
}

func indexOf(dims []jsonstat.Dimension, id string) int {
	for i := range dims {
		if dims[i].ID == id {
			return i
		}
	}
	return -1
}

// mergeRaw joins the same JSON member as the parts gave it. Identical
// members (the usual case: dimension extensions do not depend on the
// selection) are kept byte for byte; differing objects, such as per-code
// maps of a split metric dimension, are united key by key.
func mergeRaw(list []json.RawMessage) json.RawMessage {
	if len(list) == 0 {
		return nil
	}
	same := true
	for _, r := range list[1:] {
		if !bytes.Equal(r, list[0]) {
			same = false
			break
		}
	}
	if same {
		return list[0]
	}
	var acc any
	for _, r := range list {
		if len(r) == 0 {
			continue
		}
		var v any
		if json.Unmarshal(r, &v) != nil {
			return list[0]
		}
		acc = unite(acc, v)
	}
	data, err := json.Marshal(acc)
	if err != nil {
		return list[0]
	}
	return data
}

// unite merges b into a: objects key by key, anything else keeps a.
func unite(a, b any) any {
	if a == nil {
		return b
	}
	am, ok1 := a.(map[string]any)
	bm, ok2 := b.(map[string]any)
	if !ok1 || !ok2 {
		return a
	}
	for k, v := range bm {
		am[k] = unite(am[k], v)
	}
	return am
}

// mergeChild unites hierarchy maps, keeping each parent's children in first
// seen order.
func mergeChild(list []map[string][]string) map[string][]string {
	var out map[string][]string
	for _, m := range list {
		for parent, children := range m {
			if out == nil {
				out = make(map[string][]string)
			}
			for _, c := range children {
				if !contains(out[parent], c) {
					out[parent] = append(out[parent], c)
				}
			}
		}
	}
	return out
}

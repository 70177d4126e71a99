package web

import (
	"net/url"
	"strconv"

	"github.com/grunnlag/grunnlag/internal/jsonstat"
	"github.com/grunnlag/grunnlag/internal/pivot"
)

// maxMarks bounds how many cells one request may mark.
const maxMarks = 64

// marks reads the cells a view is asked to mark (?merk=INDEX, repeated):
// flat indexes into the snapshot, as an indicator's page links them. An
// index that is not a cell of the table is ignored.
func marks(q url.Values, d *jsonstat.Dataset) map[int]bool {
	out := map[int]bool{}
	for _, v := range q[markParam] {
		if len(out) == maxMarks {
			break
		}
		if i, err := strconv.Atoi(v); err == nil && i >= 0 && i < d.Len() {
			out[i] = true
		}
	}
	return out
}

// markedCells says, for the first rows of a pivot table, which cells are
// marked: it maps each cell back to its flat index in the dataset.
func markedCells(d *jsonstat.Dataset, t *pivot.Table, rows int, marked map[int]bool) [][]bool {
	if len(marked) == 0 {
		return nil
	}
	dimIndex := map[*jsonstat.Dimension]int{}
	for i := range d.Dimensions {
		dimIndex[&d.Dimensions[i]] = i
	}
	pos := make([]int, len(d.Dimensions))
	for _, f := range t.Fixed {
		if i, ok := dimIndex[f.Dim]; ok {
			pos[i] = f.Dim.Position(f.Category.Code)
		}
	}
	out := make([][]bool, rows)
	for r := range rows {
		for k, dim := range t.Rows.Dims {
			pos[dimIndex[dim]] = dim.Position(t.Rows.Codes[r][k])
		}
		out[r] = make([]bool, len(t.Cells[r]))
		for c := range t.Cells[r] {
			for k, dim := range t.Cols.Dims {
				pos[dimIndex[dim]] = dim.Position(t.Cols.Codes[c][k])
			}
			out[r][c] = marked[d.Index(pos...)]
		}
	}
	return out
}

package web

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/grunnlag/grunnlag/internal/fault"
	"github.com/grunnlag/grunnlag/internal/jsonstat"
	"github.com/grunnlag/grunnlag/internal/pivot"
	"github.com/grunnlag/grunnlag/internal/progress"
)

// The downloads give exactly the view on the page: the same rows, columns
// and kept values.
//
// CSV is written for Norwegian Excel: UTF-8 with a byte order mark (so
// Excel reads æøå right), semicolons between fields, CRLF line ends, and
// numbers with a decimal comma and no thousands separator. The first
// columns hold the fixed dimensions (one value each), then the row
// dimensions, then one column per column combination, headed by its labels
// joined with " – ". A cell without a value holds SSB's status symbol
// ("." not applicable, ".." not available, ":" confidential), or ".." when
// SSB gives none; a cell that has a value writes only the number (its
// symbol, if any, is in the XLSX and JSON-stat downloads).
//
// Labels and text cells come from the data's publisher. One that starts
// with =, +, -, @, a tab or a carriage return would be run as a formula by
// a spreadsheet (CSV injection), so it is written with a leading
// apostrophe, which Excel reads as "this is text" (see csvText). Numbers
// are written by plainNumber and stay numbers.

const (
	csvType  = "text/csv; charset=utf-8"
	xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	jsonStat = "application/json; charset=utf-8"
)

// exportView builds the view a download asks for. Like every view, it has
// at most Limits.MaxViewCells cells; a larger one is refused before
// anything is built, with a message that says how to narrow it.
func (s *Server) exportView(r *http.Request) (*builtView, error) {
	id, err := s.tableID(r)
	if err != nil {
		return nil, err
	}
	return s.requestView(r.Context(), id, r.URL.Query())
}

func (s *Server) downloadCSV(w http.ResponseWriter, r *http.Request) error {
	bv, err := s.exportView(r)
	if err != nil {
		return err
	}
	body, err := viewCSV(bv.View.Pivot)
	if err != nil {
		return err
	}
	return serveBytes(w, csvType, "tabell-"+bv.View.TableID+"-utvalg.csv", body)
}

// viewCSV writes a pivot table as CSV for Norwegian Excel (see above).
func viewCSV(t *pivot.Table) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString("\ufeff")
	cw := csv.NewWriter(&buf)
	cw.Comma = ';'
	cw.UseCRLF = true
	header := headerRow(t)
	for i, h := range header {
		header[i] = csvText(h)
	}
	cw.Write(header)
	for r := range t.Cells {
		rec := make([]string, 0, len(t.Fixed)+len(t.Rows.Dims)+len(t.Cols.Labels))
		for _, f := range t.Fixed {
			rec = append(rec, csvText(f.Category.Label))
		}
		for _, l := range t.Rows.Labels[r] {
			rec = append(rec, csvText(l))
		}
		for _, c := range t.Cells[r] {
			rec = append(rec, csvCell(c))
		}
		cw.Write(rec)
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return nil, fmt.Errorf("csv: %w", err)
	}
	return buf.Bytes(), nil
}

func headerRow(t *pivot.Table) []string {
	var h []string
	for _, f := range t.Fixed {
		h = append(h, f.Dim.Label)
	}
	for _, d := range t.Rows.Dims {
		h = append(h, d.Label)
	}
	for _, l := range t.Cols.Labels {
		h = append(h, colLabel(l))
	}
	return h
}

// colLabel names a column combination; a view without column dimensions
// has one column, named "verdi".
func colLabel(labels []string) string {
	if len(labels) == 0 {
		return "verdi"
	}
	return strings.Join(labels, " – ")
}

// csvCell writes one cell: the number with a decimal comma and nothing
// else, or, for a cell without a number, what the page shows.
func csvCell(c pivot.Cell) string {
	if c.Text != "" || !c.OK {
		return csvText(pivot.Format(c))
	}
	return plainNumber(c.Value, c.Decimals)
}

// csvText makes a text field safe from spreadsheet formulas: one that
// starts with a character a spreadsheet treats as the start of a formula
// gets a leading apostrophe (OWASP's advice for CSV injection).
func csvText(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// plainNumber writes v with a decimal comma and an ASCII minus, without
// thousands separators, so spreadsheets read it as a number.
func plainNumber(v float64, decimals int) string {
	s := strconv.FormatFloat(v, 'f', decimals, 64)
	if s == "-0" || strings.Trim(s, "-0.") == "" {
		s = strings.TrimPrefix(s, "-")
	}
	return strings.Replace(s, ".", ",", 1)
}

func (s *Server) downloadXLSX(w http.ResponseWriter, r *http.Request) error {
	id, err := s.tableID(r)
	if err != nil {
		return err
	}
	// A sheet larger than Excel's would not open: refuse it before
	// building anything.
	choice, err := s.choose(r.Context(), id, r.URL.Query())
	if err != nil {
		return err
	}
	if err := fitsExcel(id, choice); err != nil {
		return err
	}
	bv, err := s.exportView(r)
	if err != nil {
		return err
	}
	body, err := viewXLSX(bv, s.viewURL(bv))
	if err != nil {
		return err
	}
	return serveBytes(w, xlsxType, "tabell-"+bv.View.TableID+"-utvalg.xlsx", body)
}

// fitsExcel refuses a view whose sheet (see viewXLSX) would have more rows
// or columns than Excel allows.
func fitsExcel(tableID string, bv *builtView) error {
	d := bv.Snapshot.Data
	rows, cols := bv.Choice.shape(d)
	lead := 0 // the label columns: fixed dimensions, then row dimensions
	for i := range d.Dimensions {
		if p := bv.Choice.Place[d.Dimensions[i].ID]; p == placeFixed || p == placeRow {
			lead++
		}
	}
	fixed := lead - len(bv.Choice.Spec.Rows)
	sheetRows := rows + 4 + fixed // title, source, fixed lines, blank line, header
	sheetCols := lead + cols
	if sheetRows <= excelMaxRows && sheetCols <= excelMaxCols {
		return nil
	}
	return fault.WithUser(fault.Invalid, fmt.Sprintf(
		"Utsnittet blir %s rader og %s kolonner i Excel, som kan vise høyst %s rader og %s kolonner. "+
			"Velg færre verdier, flytt en dimensjon mellom rader og kolonner, eller last ned CSV.",
		cellCount(sheetRows), cellCount(sheetCols), progress.Number(excelMaxRows), progress.Number(excelMaxCols)),
		fmt.Errorf("table %s: view of %d×%d does not fit an Excel sheet", tableID, sheetRows, sheetCols))
}

func (s *Server) viewURL(bv *builtView) string {
	return "/tabeller/" + bv.View.TableID + "?" + bv.Query
}

// excelMaxText is the most characters Excel holds in one cell; a longer
// label is cut there, with an ellipsis.
const excelMaxText = 32_767

func excelText(s string) string {
	if len(s) <= excelMaxText || utf8.RuneCountInString(s) <= excelMaxText {
		return s
	}
	return string([]rune(s)[:excelMaxText-1]) + "…"
}

// viewXLSX writes the view as a workbook: sheet "Utvalg" with the title,
// the fixed dimensions and the table (numbers as numbers, with the table's
// decimals; cells without a value hold the status symbol; a value with a
// symbol gets a note), and sheet "Kilde" with the provenance. The table is
// written row by row with excelize's stream writer, which needs a fraction
// of the time and memory of setting cell by cell.
func viewXLSX(bv *builtView, viewURL string) ([]byte, error) {
	v, t := bv.View, bv.View.Pivot
	f := excelize.NewFile()
	defer f.Close()
	const sheet, src = "Utvalg", "Kilde"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return nil, fmt.Errorf("xlsx: %w", err)
	}
	if _, err := f.NewSheet(src); err != nil {
		return nil, fmt.Errorf("xlsx: %w", err)
	}
	// The first error stops the writing; every step below checks it.
	var werr error
	cellName := func(col, row int) string {
		name, err := excelize.CoordinatesToCellName(col, row)
		if werr == nil {
			werr = err
		}
		return name
	}
	newStyle := func(st *excelize.Style) int {
		id, err := f.NewStyle(st)
		if werr == nil {
			werr = err
		}
		return id
	}
	bold := newStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	numStyles := map[int]int{}
	numStyle := func(decimals int) int {
		if st, ok := numStyles[decimals]; ok {
			return st
		}
		format := "General"
		if decimals == 0 {
			format = "0"
		} else if decimals > 0 {
			format = "0." + strings.Repeat("0", decimals)
		}
		numStyles[decimals] = newStyle(&excelize.Style{CustomNumFmt: &format})
		return numStyles[decimals]
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return nil, fmt.Errorf("xlsx: %w", err)
	}
	row := 1
	writeRow := func(cells []any) {
		if name := cellName(1, row); werr == nil {
			werr = sw.SetRow(name, cells)
		}
		row++
	}
	text := func(s string) any { return excelText(s) }
	boldText := func(s string) any { return excelize.Cell{StyleID: bold, Value: excelText(s)} }

	writeRow([]any{boldText(v.Title)})
	writeRow([]any{text(fmt.Sprintf("Kilde: %s, tabell %s, oppdatert %s", v.Publisher, v.TableID, v.Updated))})
	for _, fx := range t.Fixed {
		writeRow([]any{text(fx.Dim.Label), text(fx.Category.Label)})
	}
	row++
	header := headerRow(t)
	hrow := make([]any, len(header))
	for i, h := range header {
		hrow[i] = boldText(h)
	}
	writeRow(hrow)
	type note struct{ cell, text string }
	var notes []note
	lead := len(t.Fixed) + len(t.Rows.Dims)
	for r := range t.Cells {
		if werr != nil {
			break
		}
		cells := make([]any, 0, lead+len(t.Cells[r]))
		for _, fx := range t.Fixed {
			cells = append(cells, text(fx.Category.Label))
		}
		for _, l := range t.Rows.Labels[r] {
			cells = append(cells, text(l))
		}
		for c, cell := range t.Cells[r] {
			if cell.Text != "" || !cell.OK {
				cells = append(cells, text(pivot.Format(cell)))
				continue
			}
			cells = append(cells, excelize.Cell{StyleID: numStyle(cell.Decimals), Value: cell.Value})
			if cell.Status != "" {
				notes = append(notes, note{cellName(lead+c+1, row), "Status: " + cell.Status})
			}
		}
		writeRow(cells)
	}
	if werr == nil {
		werr = sw.Flush()
	}
	for _, n := range notes {
		if werr == nil {
			werr = f.AddComment(sheet, excelize.Comment{Cell: n.cell, Author: v.Publisher, Text: n.text})
		}
	}

	info := [][2]string{
		{"Tabell", v.TableID},
		{"Tittel", v.Title},
		{"Utgiver", v.Publisher},
		{"Oppdatert hos utgiveren", v.Updated},
		{"Hentet", v.Fetched.UTC().Format("2006-01-02 15:04:05 UTC")},
		{"Hentet fra", v.Source},
		{"SHA-256 av svaret", bv.Snapshot.SHA256},
		{"Utvalget i grunnlag", viewURL},
		{"Symboler", "«.» ikke mulig å oppgi, «..» ikke tilgjengelig, «:» vernet (SSBs tegn)"},
	}
	for i, kv := range info {
		for col, val := range kv {
			if c := cellName(col+1, i+1); werr == nil {
				werr = f.SetCellValue(src, c, excelText(val))
			}
		}
		if c := cellName(1, i+1); werr == nil {
			werr = f.SetCellStyle(src, c, c, bold)
		}
	}
	if werr != nil {
		return nil, fmt.Errorf("xlsx: table %s: %w", v.TableID, werr)
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return nil, fmt.Errorf("xlsx: table %s: %w", v.TableID, err)
	}
	return buf.Bytes(), nil
}

func (s *Server) downloadJSONStat(w http.ResponseWriter, r *http.Request) error {
	bv, err := s.exportView(r)
	if err != nil {
		return err
	}
	body, err := s.subsetJSON(r.Context(), bv)
	if err != nil {
		return err
	}
	return serveBytes(w, jsonStat, "tabell-"+bv.View.TableID+"-utvalg.json", body)
}

// subsetJSON encodes the view's cells as a JSON-stat 2.0 dataset, cached.
func (s *Server) subsetJSON(ctx context.Context, bv *builtView) ([]byte, error) {
	key := fmt.Sprintf("jsonstat:%d:%s", bv.Snapshot.ID, bv.Query)
	v, err := s.cache.get(ctx, key, func(context.Context) (any, error) {
		d := subset(bv.Snapshot.Data, bv.Choice.Keep)
		var buf bytes.Buffer
		if err := jsonstat.Encode(&buf, d); err != nil {
			return nil, fmt.Errorf("table %s: encode view: %w", bv.View.TableID, err)
		}
		return buf.Bytes(), nil
	})
	if err != nil {
		return nil, err
	}
	return v.([]byte), nil
}

// subset returns d restricted to the kept categories of each dimension
// (all of them where keep has no entry). Every dimension stays, so the
// result is a complete dataset of the view's cells; values, status
// symbols and text follow their cells.
func subset(d *jsonstat.Dataset, keep map[string][]string) *jsonstat.Dataset {
	out := &jsonstat.Dataset{
		Label: d.Label, Source: d.Source, Updated: d.Updated, Href: d.Href, Note: d.Note,
		Extension: d.Extension, Link: d.Link, Role: d.Role,
	}
	pos := make([][]int, len(d.Dimensions))
	for i := range d.Dimensions {
		dim := d.Dimensions[i]
		codes, ok := keep[dim.ID]
		if !ok {
			for j := range dim.Categories {
				pos[i] = append(pos[i], j)
			}
			out.Dimensions = append(out.Dimensions, dim)
			continue
		}
		kept := map[string]bool{}
		for _, c := range codes {
			if p := dim.Position(c); p >= 0 {
				pos[i] = append(pos[i], p)
				kept[c] = true
			}
		}
		nd := dim
		nd.Categories = nil
		for _, p := range pos[i] {
			nd.Categories = append(nd.Categories, dim.Categories[p])
		}
		if dim.Child != nil {
			nd.Child = map[string][]string{}
			for parent, kids := range dim.Child {
				if !kept[parent] {
					continue
				}
				var ks []string
				for _, k := range kids {
					if kept[k] {
						ks = append(ks, k)
					}
				}
				if len(ks) > 0 {
					nd.Child[parent] = ks
				}
			}
			if len(nd.Child) == 0 {
				nd.Child = nil
			}
		}
		out.Dimensions = append(out.Dimensions, nd)
	}
	if d.Values == nil {
		return out
	}
	n := 1
	for _, p := range pos {
		n *= len(p)
	}
	out.Values = make([]float64, n)
	src := make([]int, len(pos))
	idx := make([]int, len(pos)) // position in each kept list
	out.StatusAll = d.StatusAll  // a blanket status holds for the subset too
	for k := 0; k < n; k++ {
		for i := range idx {
			src[i] = pos[i][idx[i]]
		}
		from := d.Index(src...)
		out.Values[k] = d.Values[from]
		if st, ok := d.Status[from]; ok {
			if out.Status == nil {
				out.Status = map[int]string{}
			}
			out.Status[k] = st
		}
		if tx, ok := d.Text[from]; ok {
			if out.Text == nil {
				out.Text = map[int]string{}
			}
			out.Text[k] = tx
		}
		for i := len(idx) - 1; i >= 0; i-- {
			idx[i]++
			if idx[i] < len(pos[i]) {
				break
			}
			idx[i] = 0
		}
	}
	return out
}

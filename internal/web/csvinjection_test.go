package web

import (
	"encoding/csv"
	"strings"
	"testing"

	"github.com/grunnlag/grunnlag/internal/jsonstat"
	"github.com/grunnlag/grunnlag/internal/store"
)

// formulaTable is constructed test data: category labels, a dimension
// label and a text cell that a spreadsheet would run as formulas, and a
// negative number that must stay a number.
func formulaTable() *store.Snapshot {
	d := &jsonstat.Dataset{
		Label:  "99960: Konstruerte testdata med formler i etikettene",
		Source: "Konstruerte testdata",
		Dimensions: []jsonstat.Dimension{
			{ID: "Gruppe", Label: "=HYPERLINK(\"http://angriper.example\";\"klikk\")", Categories: []jsonstat.Category{
				{Code: "a", Label: "=1+1"}, {Code: "b", Label: "+SUM(A1:A9)"}, {Code: "c", Label: "-2+3"},
				{Code: "d", Label: "@cmd|' /C calc'!A0"}, {Code: "e", Label: "\t=1"}, {Code: "f", Label: "\r=1"},
				{Code: "g", Label: "Vanlig etikett"},
			}},
			{ID: "Tid", Label: "år", Categories: []jsonstat.Category{{Code: "2024", Label: "2024"}, {Code: "2025", Label: "=2025"}}},
		},
		Role: jsonstat.Role{Time: []string{"Tid"}},
	}
	d.Values = make([]float64, d.Len())
	for i := range d.Values {
		d.Values[i] = -5.5 + float64(i)
	}
	d.Text = map[int]string{1: "=cmd()"}
	return &store.Snapshot{TableID: "99960", Title: "Konstruerte testdata med formler", Updated: "2025-01-01T00:00:00Z",
		FetchedAt: testNow, Source: "https://px.example/konstruert", SHA256: strings.Repeat("0", 64), Data: d}
}

// TestCSVFormulaInjection: no field of the Excel CSV that comes from a
// label or a text cell starts with a character that makes a spreadsheet
// read it as a formula; numbers, negative ones included, stay numbers.
func TestCSVFormulaInjection(t *testing.T) {
	e := newEnv(t)
	if _, err := e.st.SaveSnapshot(t.Context(), formulaTable()); err != nil {
		t.Fatal(err)
	}
	resp, body := e.get(t, "/tabeller/99960/csv?d.Gruppe=row&d.Tid=col")
	if resp.StatusCode != 200 {
		t.Fatalf("GET csv = %d\n%s", resp.StatusCode, body)
	}
	r := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\ufeff")))
	r.Comma = ';'
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 8 {
		t.Fatalf("csv has %d records, want a header and 7 rows:\n%s", len(recs), body)
	}
	numbers := 0
	for i, rec := range recs {
		for j, f := range rec {
			if f != "" && strings.ContainsRune("=+-@\t\r", rune(f[0])) {
				if i > 0 && j > 0 && isPlainNumber(f) {
					numbers++
					continue
				}
				t.Errorf("csv record %d field %d = %q starts like a formula", i+1, j+1, f)
			}
		}
	}
	if numbers == 0 {
		t.Errorf("no negative number left as a number:\n%s", body)
	}
	if got, want := recs[1][0], "'=1+1"; got != want {
		t.Errorf("label =1+1 written as %q, want %q", got, want)
	}
	if got, want := recs[1][2], "'=cmd()"; got != want {
		t.Errorf("text cell =cmd() written as %q, want %q", got, want)
	}
}

// isPlainNumber reports whether f is a number as plainNumber writes it.
func isPlainNumber(f string) bool {
	f = strings.TrimPrefix(f, "-")
	if f == "" {
		return false
	}
	for _, c := range f {
		if (c < '0' || c > '9') && c != ',' {
			return false
		}
	}
	return true
}

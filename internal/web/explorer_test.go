package web

import (
	"bytes"
	"math"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"
	"golang.org/x/net/html"

	"github.com/grunnlag/grunnlag/internal/jsonstat"
	"github.com/grunnlag/grunnlag/internal/pivot"
)

func pivotBuild(d *jsonstat.Dataset, vc viewChoice) (*pivot.Table, error) {
	return pivot.Build(d, vc.Spec)
}

// Table 13615 (recorded from SSB): Produkter (10) × NACE (2) ×
// ContentsCode (1) × Tid (5, 2020–2024). Bilbensin in agriculture is
// 6, 6, 25, 441, 381; Jetparafin has no values, status ".".

// tableRows returns the body rows of the explorer's data table: the row
// labels and the cells as shown.
func tableRows(t *testing.T, body string) [][]string {
	t.Helper()
	tables := find(parseHTML(t, body), "table", "datatabell")
	if len(tables) != 1 {
		t.Fatalf("no data table")
	}
	var rows [][]string
	for _, tb := range find(tables[0], "tbody", "") {
		for _, tr := range find(tb, "tr", "") {
			var row []string
			for c := tr.FirstChild; c != nil; c = c.NextSibling {
				if c.Type == html.ElementNode {
					row = append(row, strings.TrimSpace(text(c)))
				}
			}
			rows = append(rows, row)
		}
	}
	return rows
}

func chartOf(t *testing.T, body string) string {
	t.Helper()
	figs := find(parseHTML(t, body), "figure", "diagram-figur")
	if len(figs) != 1 {
		t.Fatal("no chart figure")
	}
	var b bytes.Buffer
	html.Render(&b, figs[0])
	return b.String()
}

func TestExplorerViews(t *testing.T) {
	e := newEnv(t)
	tests := []struct {
		name     string
		query    string
		rows     int
		first    []string
		contains [][]string // rows that must be in the table
		notes    []string   // problems shown
	}{
		{
			name: "default: time across, products and industries down", query: "",
			rows: 20, first: []string{"Bilbensin", "Jordbruk, skogbruk og fiske", "6", "6", "25", "441", "381"},
			contains: [][]string{{"Jetparafin", "Jordbruk, skogbruk og fiske", ".", ".", ".", ".", "."}},
		},
		{
			name: "keep two products", query: "v.Produkter=01&v.Produkter=02a",
			rows: 4, first: []string{"Bilbensin", "Jordbruk, skogbruk og fiske", "6", "6", "25", "441", "381"},
		},
		{
			name: "industry fixed to shipping, years down, products across", query: "d.Tid=row&d.Produkter=col&d.NACE=fixed&v.NACE=50&v.Produkter=01",
			rows: 5, first: []string{"2020", "4 752"},
		},
		{
			name: "fixed dimension with two values shows the first, and says so", query: "d.NACE=fixed&v.NACE=01-03&v.NACE=50&v.Produkter=01",
			rows: 1, first: []string{"Bilbensin", "6", "6", "25", "441", "381"},
			notes: []string{"«næring» står fast og kan bare vise én verdi"},
		},
		{
			name: "unknown code and dimension", query: "v.Produkter=zz&d.Finnes=row&d.Tid=diagonal",
			rows: 20, notes: []string{"«produkt» har ingen verdi med kode «zz»", "Tabellen har ingen dimensjon «Finnes»", "Ukjent plassering «diagonal»"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := e.get(t, "/tabeller/13615?"+tt.query)
			if resp.StatusCode != 200 {
				t.Fatalf("GET = %d", resp.StatusCode)
			}
			checkPage(t, "explorer", body)
			rows := tableRows(t, body)
			if len(rows) != tt.rows {
				t.Fatalf("%d rows, want %d", len(rows), tt.rows)
			}
			if tt.first != nil {
				if diff := cmp.Diff(tt.first, rows[0][:len(tt.first)]); diff != "" {
					t.Errorf("first row (-want +got):\n%s", diff)
				}
			}
			for _, want := range tt.contains {
				found := false
				for _, r := range rows {
					if cmp.Equal(r, want) {
						found = true
					}
				}
				if !found {
					t.Errorf("no row %q", want)
				}
			}
			for _, n := range tt.notes {
				if !strings.Contains(body, n) {
					t.Errorf("page lacks the note %q", n)
				}
			}
		})
	}
}

func TestExplorerChartFollowsTheView(t *testing.T) {
	e := newEnv(t)
	_, all := e.get(t, "/tabeller/13615")
	_, two := e.get(t, "/tabeller/13615?v.Produkter=01&v.Produkter=02a")
	a, b := chartOf(t, all), chartOf(t, two)
	if a == b {
		t.Fatal("the chart did not change with the filter")
	}
	if !strings.Contains(b, "Bilbensin") || strings.Contains(b, "Jetparafin") {
		t.Errorf("filtered chart should name Bilbensin and not Jetparafin")
	}
	if !strings.Contains(a, "<polyline") {
		t.Errorf("time across the columns should draw lines")
	}
}

// TestExplorerForm checks that the form describes the view it shows, so
// submitting it unchanged gives the same view.
func TestExplorerForm(t *testing.T) {
	e := newEnv(t)
	q := "d.Tid=row&d.Produkter=col&d.NACE=fixed&v.NACE=50&v.Produkter=01&v.Produkter=03"
	_, body := e.get(t, "/tabeller/13615?"+q)
	form := find(parseHTML(t, body), "form", "utforsker")[0]
	got := url.Values{}
	walk(form, func(n *html.Node) {
		name, _ := attr(n, "name")
		switch n.Data {
		case "select":
			walk(n, func(o *html.Node) {
				if _, sel := attr(o, "selected"); o.Data == "option" && sel {
					v, _ := attr(o, "value")
					got.Add(name, v)
				}
			})
		case "input":
			if _, checked := attr(n, "checked"); checked {
				v, _ := attr(n, "value")
				got.Add(name, v)
			}
		}
	})
	want := url.Values{
		"d.Produkter": {"col"}, "d.NACE": {"fixed"}, "d.ContentsCode": {"fixed"}, "d.Tid": {"row"},
		"v.Produkter": {"01", "03"}, "v.NACE": {"50"}, "v.ContentsCode": {"Petroleum"},
		"v.Tid": {"2020", "2021", "2022", "2023", "2024"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("form values (-want +got):\n%s", diff)
	}
}

const view13615 = "v.Produkter=01&v.Produkter=06&d.NACE=row"

func TestDownloadCSV(t *testing.T) {
	e := newEnv(t)
	resp, body := e.get(t, "/tabeller/13615/csv?"+view13615)
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != csvType {
		t.Fatalf("GET csv = %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if cd := resp.Header.Get("Content-Disposition"); cd != `attachment; filename="tabell-13615-utvalg.csv"` {
		t.Errorf("Content-Disposition = %q", cd)
	}
	want := "\ufeff" +
		"statistikkvariabel;produkt;næring;2020;2021;2022;2023;2024\r\n" +
		"Sal av petroleumsprodukt (inkl. iblanda bio);Bilbensin;Jordbruk, skogbruk og fiske;6;6;25;441;381\r\n" +
		"Sal av petroleumsprodukt (inkl. iblanda bio);Bilbensin;Sjøfart;4752;4932;4514;4728;3275\r\n" +
		"Sal av petroleumsprodukt (inkl. iblanda bio);Jetparafin;Jordbruk, skogbruk og fiske;.;.;.;.;.\r\n" +
		"Sal av petroleumsprodukt (inkl. iblanda bio);Jetparafin;Sjøfart;.;.;.;.;.\r\n"
	if diff := cmp.Diff(want, body); diff != "" {
		t.Errorf("CSV (-want +got):\n%s", diff)
	}
}

func TestDownloadCSVDecimalComma(t *testing.T) {
	e := newEnv(t)
	// 03024 has prices per kilo with two decimals.
	_, body := e.get(t, "/tabeller/03024/csv?d.ContentsCode=fixed&v.ContentsCode=Kilopris&v.Tid=2025U01&v.VareGrupper2=01")
	lines := strings.Split(strings.TrimSpace(body), "\r\n")
	if len(lines) != 2 {
		t.Fatalf("CSV has %d lines, want 2:\n%s", len(lines), body)
	}
	fields := strings.Split(lines[1], ";")
	last := fields[len(fields)-1]
	if !strings.Contains(last, ",") || strings.Contains(last, ".") {
		t.Errorf("price %q is not written with a decimal comma", last)
	}
}

func TestDownloadXLSX(t *testing.T) {
	e := newEnv(t)
	resp, body := e.get(t, "/tabeller/13615/xlsx?"+view13615)
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != xlsxType {
		t.Fatalf("GET xlsx = %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	f, err := excelize.OpenReader(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("Utvalg")
	if err != nil {
		t.Fatal(err)
	}
	var header, bilbensin []string
	for i, r := range rows {
		if len(r) > 0 && r[0] == "statistikkvariabel" {
			header, bilbensin = r, rows[i+1]
		}
	}
	if diff := cmp.Diff([]string{"statistikkvariabel", "produkt", "næring", "2020", "2021", "2022", "2023", "2024"}, header); diff != "" {
		t.Errorf("header (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"Sal av petroleumsprodukt (inkl. iblanda bio)", "Bilbensin", "Jordbruk, skogbruk og fiske", "6", "6", "25", "441", "381"}, bilbensin); diff != "" {
		t.Errorf("first row (-want +got):\n%s", diff)
	}
	// Numbers are numbers, not text.
	typ, err := f.GetCellType("Utvalg", "G"+strconv.Itoa(rowOf(rows, "Bilbensin")))
	if err != nil || typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString {
		t.Errorf("cell type of a value = %v, %v; want a number", typ, err)
	}
	src, err := f.GetRows("Kilde")
	if err != nil || len(src) < 5 || src[0][1] != "13615" || src[2][1] != "Statistisk sentralbyrå" {
		t.Errorf("Kilde sheet = %v, %v; want table 13615 published by Statistisk sentralbyrå", src, err)
	}
}

func rowOf(rows [][]string, second string) int {
	for i, r := range rows {
		if len(r) > 1 && r[1] == second {
			return i + 1
		}
	}
	return 0
}

func TestDownloadJSONStat(t *testing.T) {
	e := newEnv(t)
	resp, body := e.get(t, "/tabeller/13615/json-stat?"+view13615)
	if resp.StatusCode != 200 {
		t.Fatalf("GET json-stat = %d", resp.StatusCode)
	}
	d, err := jsonstat.Decode([]byte(body))
	if err != nil {
		t.Fatalf("download is not JSON-stat: %v", err)
	}
	if diff := cmp.Diff([]int{2, 2, 1, 5}, d.Size()); diff != "" {
		t.Errorf("size (-want +got):\n%s", diff)
	}
	want := []float64{6, 6, 25, 441, 381, 4752, 4932, 4514, 4728, 3275}
	if diff := cmp.Diff(want, d.Values[:10]); diff != "" {
		t.Errorf("values (-want +got):\n%s", diff)
	}
	for i := 10; i < 20; i++ {
		if !math.IsNaN(d.Values[i]) || d.Status[i] != "." {
			t.Errorf("cell %d = %v %q, want missing with status .", i, d.Values[i], d.Status[i])
		}
	}
	if d.Dimension("Produkter").Categories[1].Label != "Jetparafin" {
		t.Errorf("second product = %+v", d.Dimension("Produkter").Categories[1])
	}
}

// TestSubsetMatchesPivot: the JSON-stat download of a view holds exactly
// the cells the view shows.
func TestSubsetMatchesPivot(t *testing.T) {
	e := newEnv(t)
	snap, err := e.srv.snapshot(t.Context(), "TAB6471")
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		"",
		"v.Region=01&v.Region=03&v.Alder=20-29&d.Kon=col",
		"d.Tid=fixed&v.Tid=2026M03&d.Region=col&v.Kon=2",
	} {
		vals, _ := url.ParseQuery(q)
		vc := parseView(snap.Data, vals)
		want, err := pivotBuild(snap.Data, vc)
		if err != nil {
			t.Fatal(err)
		}
		sub := subset(snap.Data, vc.Keep)
		got, err := pivotBuild(sub, parseView(sub, vals))
		if err != nil {
			t.Fatalf("view %q of the subset: %v", q, err)
		}
		if diff := cmp.Diff(want.Cells, got.Cells, cmp.Comparer(func(a, b float64) bool { return a == b || math.IsNaN(a) && math.IsNaN(b) })); diff != "" {
			t.Errorf("view %q: subset cells differ (-original +subset):\n%s", q, diff)
		}
	}
}

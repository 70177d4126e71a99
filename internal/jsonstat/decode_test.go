package jsonstat

import (
	"encoding/json"
	"errors"
	"io/fs"
	"math"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/grunnlag/grunnlag/internal/fault"
	"github.com/grunnlag/grunnlag/internal/fixtures"
)

// notJSONStat lists the fixture files that are PxWebApi documents of other
// kinds (configuration, table listings, codelists); Parse must refuse them.
var notJSONStat = map[string]bool{
	"pxweb/scb-v2/config.json":                   true,
	"pxweb/scb-v2/tables-page1.json":             true,
	"pxweb/scb-v2/tables-search.json":            true,
	"pxweb/scb-v2/TAB5974/table.json":            true,
	"pxweb/scb-v2/codelists/agg_Alder10arJ.json": true,
	"pxweb/ssb-v2/05810/table.json":              true,
}

// fixtureFiles returns the paths of every JSON file in fixtures.FS.
func fixtureFiles(t testing.TB) []string {
	t.Helper()
	var paths []string
	err := fs.WalkDir(fixtures.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(p, ".json") {
			paths = append(paths, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) < 25 {
		t.Fatalf("found only %d fixture files", len(paths))
	}
	return paths
}

func fixture(t testing.TB, path string) []byte {
	t.Helper()
	b, err := fixtures.FS.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func decodeFixture(t *testing.T, path string) *Dataset {
	t.Helper()
	ds, err := Decode(fixture(t, path))
	if err != nil {
		t.Fatalf("Decode(%s) = %v", path, err)
	}
	return ds
}

// cell returns the flat index of the cell with the given codes, one per
// dimension in id order.
func cell(t *testing.T, ds *Dataset, codes ...string) int {
	t.Helper()
	pos := make([]int, len(codes))
	for i, c := range codes {
		pos[i] = ds.Dimensions[i].Position(c)
		if pos[i] < 0 {
			t.Fatalf("dimension %s has no category %q", ds.Dimensions[i].ID, c)
		}
	}
	return ds.Index(pos...)
}

func ids(ds *Dataset) []string {
	var out []string
	for _, d := range ds.Dimensions {
		out = append(out, d.ID)
	}
	return out
}

func TestParseEveryFixture(t *testing.T) {
	for _, path := range fixtureFiles(t) {
		t.Run(path, func(t *testing.T) {
			doc, err := Parse(fixture(t, path))
			if notJSONStat[path] {
				var e *Error
				if !errors.As(err, &e) || e.Msg != "not a JSON-stat document: no class, version, dimension, columns or variables" {
					t.Fatalf("Parse = %v, want the not-a-JSON-stat-document error", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Parse = %v", err)
			}
			if len(doc.Datasets)+len(doc.Links) == 0 {
				t.Fatal("Parse found neither datasets nor links")
			}
			for _, nd := range doc.Datasets {
				checkConsistent(t, nd.Dataset)
			}
			if doc.Class == "dataset" && len(doc.Datasets) == 1 {
				ds, err := Decode(fixture(t, path))
				if err != nil {
					t.Fatalf("Decode = %v", err)
				}
				if diff := cmp.Diff(doc.Datasets[0].Dataset, ds, equateNaN); diff != "" {
					t.Errorf("Decode differs from Parse (-parse +decode):\n%s", diff)
				}
			}
		})
	}
}

// checkConsistent checks the invariants every decoded dataset keeps.
func checkConsistent(t *testing.T, ds *Dataset) {
	t.Helper()
	n := ds.Len()
	if ds.Values != nil && len(ds.Values) != n {
		t.Errorf("len(Values) = %d, want %d", len(ds.Values), n)
	}
	for i := range ds.Status {
		if i < 0 || i >= n {
			t.Errorf("Status has cell %d, outside 0..%d", i, n-1)
		}
	}
	for i := range ds.Text {
		if !math.IsNaN(ds.Values[i]) {
			t.Errorf("cell %d has text and value %v", i, ds.Values[i])
		}
	}
	for _, d := range ds.Dimensions {
		for p, c := range d.Categories {
			if d.Position(c.Code) != p {
				t.Errorf("dimension %s: Position(%q) = %d, want %d", d.ID, c.Code, d.Position(c.Code), p)
			}
			if c.Label == "" {
				t.Errorf("dimension %s: category %q has no label", d.ID, c.Code)
			}
		}
	}
}

func TestDecodeExpectedCells(t *testing.T) {
	type want struct {
		codes  []string
		index  int
		value  float64 // NaN for a missing cell
		status string
	}
	nan := math.NaN()
	tests := []struct {
		name  string
		path  string
		ids   []string
		size  []int
		cells []want
	}{
		{
			name: "A TAB5974 data",
			path: "pxweb/scb-v2/TAB5974/data-POST.json",
			ids:  []string{"InrikesUtrikes", "Alder", "Kon", "ContentsCode", "Tid"},
			size: []int{1, 1, 2, 1, 1},
			cells: []want{
				{[]string{"83", "0", "1", "000005NO", "2026"}, 0, 50080, ""},
				{[]string{"83", "0", "2", "000005NO", "2026"}, 1, 47361, ""},
			},
		},
		{
			name: "B 03024",
			path: "pxweb/ssb-v2/03024/data-POST.json",
			ids:  []string{"VareGrupper2", "ContentsCode", "Tid"},
			size: []int{2, 2, 43},
			cells: []want{
				{[]string{"01", "Vekt", "2025U01"}, 0, 11364, ""},
				{[]string{"01", "Kilopris", "2025U01"}, 43, 125.36, ""},
				{[]string{"02", "Vekt", "2025U01"}, 86, 255, ""},
				{[]string{"01", "Kilopris", "2025U42"}, 84, 73.74, ""},
				{[]string{"02", "Kilopris", "2025U43"}, 171, 74.86, ""},
			},
		},
		{
			name: "C 13615",
			path: "pxweb/ssb-v2/13615/data-GET.json",
			ids:  []string{"Produkter", "NACE", "ContentsCode", "Tid"},
			size: []int{10, 2, 1, 5},
			cells: []want{
				{[]string{"01", "01-03", "Petroleum", "2020"}, 0, 6, ""},
				{[]string{"02a", "50", "Petroleum", "2024"}, 19, 32206, ""},
				{[]string{"04+05", "50", "Petroleum", "2024"}, 49, 336, ""},
				{[]string{"06", "01-03", "Petroleum", "2020"}, 50, nan, "."},
				{[]string{"07", "50", "Petroleum", "2020"}, 65, 22995, ""},
				{[]string{"08", "50", "Petroleum", "2023"}, 78, 1919, ""},
			},
		},
		{
			name: "D TAB6471 data",
			path: "pxweb/scb-v2/TAB6471/data.json",
			ids:  []string{"Region", "Alder", "Kon", "ContentsCode", "Tid"},
			size: []int{21, 11, 3, 1, 4},
			cells: []want{
				{[]string{"01", "0-9", "TotSa", "000007SF", "2026M01"}, 0, 245284, ""},
				{[]string{"01", "0-9", "1", "000007SF", "2026M01"}, 4, 125373, ""},
				{[]string{"12", "30-39", "TotSa", "000007SF", "2026M03"}, 1226, 198546, ""},
				{[]string{"25", "100+10", "2", "000007SF", "2026M04"}, 2771, 54, ""},
			},
		},
		{
			name: "E SSB JSON-stat 1.x",
			path: "pxweb/ssb-v1/jsonstat1-earnings-fishfarming.json",
			ids:  []string{"Kjonn", "Alder", "ContentsCode", "Tid"},
			size: []int{3, 10, 6, 7},
			cells: []want{
				{[]string{"0", "999", "Ansatte", "2002"}, 0, 2036, ""},
				{[]string{"0", "30-34", "Ansatte", "2005"}, 129, nan, ".."},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ds := decodeFixture(t, tt.path)
			if diff := cmp.Diff(tt.ids, ids(ds)); diff != "" {
				t.Errorf("ids (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.size, ds.Size()); diff != "" {
				t.Errorf("Size() (-want +got):\n%s", diff)
			}
			for _, w := range tt.cells {
				idx := cell(t, ds, w.codes...)
				if idx != w.index {
					t.Errorf("cell %v: index %d, want %d", w.codes, idx, w.index)
				}
				v, ok := ds.Value(idx)
				switch {
				case math.IsNaN(w.value) && ok:
					t.Errorf("Value(%d) = %v, want missing", idx, v)
				case !math.IsNaN(w.value) && (!ok || v != w.value):
					t.Errorf("Value(%d) = %v, %v, want %v", idx, v, ok, w.value)
				}
				if got := ds.Status[idx]; got != w.status {
					t.Errorf("Status[%d] = %q, want %q", idx, got, w.status)
				}
			}
		})
	}
}

func TestDecode03024Metadata(t *testing.T) {
	ds := decodeFixture(t, "pxweb/ssb-v2/03024/data-POST.json")
	if ds.Updated != "2025-10-29T07:00:00Z" {
		t.Errorf("Updated = %q, want 2025-10-29T07:00:00Z", ds.Updated)
	}
	if ds.Status != nil {
		t.Errorf("Status = %v, want nil", ds.Status)
	}
	want := Role{Time: []string{"Tid"}, Metric: []string{"ContentsCode"}}
	if diff := cmp.Diff(want, ds.Role); diff != "" {
		t.Errorf("Role (-want +got):\n%s", diff)
	}
	contents := ds.Dimension("ContentsCode")
	units := map[string]*Unit{}
	for _, c := range contents.Categories {
		units[c.Code] = c.Unit
	}
	wantUnits := map[string]*Unit{
		"Vekt":     {Label: "tonnes", Decimals: intPtr(0)},
		"Kilopris": {Label: "NOK", Decimals: intPtr(2)},
	}
	if diff := cmp.Diff(wantUnits, units); diff != "" {
		t.Errorf("units (-want +got):\n%s", diff)
	}
	if got := contents.Categories[1].Label; got != "Price per kilo (NOK)" {
		t.Errorf("Kilopris label = %q", got)
	}
	if got, want := string(ds.Dimension("Tid").Extension), `{"elimination":false,"show":"code"}`; got != want {
		t.Errorf("Tid extension = %s, want %s", got, want)
	}
}

func intPtr(n int) *int { return &n }

func TestDecode13615StatusIsExactlyTheNulls(t *testing.T) {
	ds := decodeFixture(t, "pxweb/ssb-v2/13615/data-GET.json")
	var nulls []int
	for i, v := range ds.Values {
		if math.IsNaN(v) {
			nulls = append(nulls, i)
		}
	}
	var keys []int
	for i, sym := range ds.Status {
		if sym != "." {
			t.Errorf("Status[%d] = %q, want \".\"", i, sym)
		}
		keys = append(keys, i)
	}
	sort.Ints(keys)
	if len(nulls) != 30 {
		t.Errorf("%d nulls, want 30", len(nulls))
	}
	if diff := cmp.Diff(nulls, keys); diff != "" {
		t.Errorf("status keys differ from null positions (-nulls +status):\n%s", diff)
	}
	if len(ds.Note) != 2 || !strings.HasPrefix(ds.Note[1], ". = Ikke mulig") {
		t.Errorf("Note = %q, want two notes, the second explaining \".\"", ds.Note)
	}
}

func TestDecodeSSBv1StatusCount(t *testing.T) {
	ds := decodeFixture(t, "pxweb/ssb-v1/jsonstat1-earnings-fishfarming.json")
	dots, nulls := 0, 0
	for i, sym := range ds.Status {
		if sym != ".." {
			t.Errorf("Status[%d] = %q, want \"..\"", i, sym)
		}
		dots++
	}
	for _, v := range ds.Values {
		if math.IsNaN(v) {
			nulls++
		}
	}
	if dots != 390 || nulls != 390 {
		t.Errorf("%d \"..\" statuses and %d nulls, want 390 of each", dots, nulls)
	}
	want := Role{Time: []string{"Tid"}, Metric: []string{"ContentsCode"}}
	if diff := cmp.Diff(want, ds.Role); diff != "" {
		t.Errorf("Role (-want +got):\n%s", diff)
	}
}

func TestDecodeOrderStrings(t *testing.T) {
	ds := decodeFixture(t, "jsonstat/order.json")
	tests := []struct {
		a, b, c string
		index   int
		want    string
	}{
		{"2", "1", "3", 10, "A2B1C3"},
		{"3", "2", "4", 23, "A3B2C4"},
		{"1", "1", "1", 0, "A1B1C1"},
	}
	for _, tt := range tests {
		idx := cell(t, ds, tt.a, tt.b, tt.c)
		if idx != tt.index || ds.Text[idx] != tt.want {
			t.Errorf("cell A%sB%sC%s: index %d text %q, want %d %q", tt.a, tt.b, tt.c, idx, ds.Text[idx], tt.index, tt.want)
		}
		if _, ok := ds.Value(idx); ok {
			t.Errorf("Value(%d) present, want missing for a text cell", idx)
		}
	}
	if len(ds.Text) != 24 {
		t.Errorf("len(Text) = %d, want 24", len(ds.Text))
	}
	if got := ds.Coords(10, nil); !cmp.Equal(got, []int{1, 0, 2}) {
		t.Errorf("Coords(10) = %v, want [1 0 2]", got)
	}
}

func TestDecode05810IndexObjectOrder(t *testing.T) {
	ds := decodeFixture(t, "pxweb/ssb-v2/05810/metadata.json")
	if ds.HasValues() {
		t.Errorf("HasValues() = true for a metadata response")
	}
	var got []Category
	for _, c := range ds.Dimension("Kjonn").Categories {
		got = append(got, Category{Code: c.Code, Label: c.Label})
	}
	want := []Category{{Code: "0", Label: "Both sexes"}, {Code: "2", Label: "Females"}, {Code: "1", Label: "Males"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Kjonn categories (-want +got):\n%s", diff)
	}
	tid := ds.Dimension("Tid")
	if n := tid.Categories[tid.Position("1845")].Note; len(n) != 1 || !strings.HasPrefix(n[0], "The sum of age groups") {
		t.Errorf("note of Tid 1845 = %q", n)
	}
	if n := tid.Categories[tid.Position("1850")].Note; n != nil {
		t.Errorf("note of Tid 1850 = %q, want none", n)
	}
}

func TestDecodeMetadataLarge(t *testing.T) {
	ds := decodeFixture(t, "pxweb/scb-v2/TAB5974/metadata.json")
	if diff := cmp.Diff([]int{3, 106, 2, 1, 95}, ds.Size()); diff != "" {
		t.Errorf("Size() (-want +got):\n%s", diff)
	}
	if ds.Values != nil || ds.Status != nil {
		t.Errorf("metadata dataset has values or status")
	}
	if ds.Dimension("Alder").Position("105+") < 0 {
		t.Errorf("Alder has no code 105+")
	}
}

func TestDecodeSampleFeatures(t *testing.T) {
	t.Run("oecd: status object, index-less dimension, child, notes", func(t *testing.T) {
		ds := decodeFixture(t, "jsonstat/oecd.json")
		if len(ds.Status) != 72 || ds.Status[10] != "e" {
			t.Errorf("Status: %d entries, [10] = %q; want 72, \"e\"", len(ds.Status), ds.Status[10])
		}
		concept := ds.Dimension("concept")
		want := []Category{{Code: "UNR", Label: "unemployment rate", Unit: &Unit{Label: "%", Decimals: intPtr(9), Multiplier: intPtr(0)}}}
		if diff := cmp.Diff(want, concept.Categories); diff != "" {
			t.Errorf("concept categories (-want +got):\n%s", diff)
		}
		area := ds.Dimension("area")
		if got := area.Child["EU15"]; len(got) != 15 || got[0] != "AT" {
			t.Errorf("Child[EU15] = %v", got)
		}
		if len(area.Note) != 1 || len(ds.Note) != 1 {
			t.Errorf("area notes %q, dataset notes %q, want one each", area.Note, ds.Note)
		}
		if ds.Extension == nil || !strings.Contains(string(ds.Extension), `"contact":"EcoOutlook@oecd.org"`) {
			t.Errorf("Extension = %s", ds.Extension)
		}
	})
	t.Run("canada: one-element status array applies to all", func(t *testing.T) {
		ds := decodeFixture(t, "jsonstat/canada.json")
		if ds.Status != nil || ds.StatusAll != "a" || ds.CellStatus(0) != "a" || ds.CellStatus(119) != "a" || ds.CellStatus(120) != "" {
			t.Errorf("Status has %d entries and StatusAll %q, want none and \"a\" for all 120 cells", len(ds.Status), ds.StatusAll)
		}
		country := ds.Dimension("country")
		if diff := cmp.Diff([]Category{{Code: "CA", Label: "Canada"}}, country.Categories); diff != "" {
			t.Errorf("country (-want +got):\n%s", diff)
		}
		u := ds.Dimension("concept").Categories[0].Unit
		if u.Label != "thousands of persons" || *u.Multiplier != 3 {
			t.Errorf("POP unit = %+v, want label over base and multiplier 3", u)
		}
		if got := ds.Role.Geo; !cmp.Equal(got, []string{"country"}) {
			t.Errorf("Role.Geo = %v", got)
		}
	})
	t.Run("hierarchy: sparse value object", func(t *testing.T) {
		ds := decodeFixture(t, "jsonstat/hierarchy.json")
		if len(ds.Values) != 132 {
			t.Fatalf("len(Values) = %d, want 132", len(ds.Values))
		}
		for i, v := range ds.Values {
			if !math.IsNaN(v) {
				t.Fatalf("Values[%d] = %v, want missing", i, v)
			}
		}
	})
	t.Run("galicia: dimensions without labels", func(t *testing.T) {
		ds := decodeFixture(t, "jsonstat/galicia.json")
		nulls := 0
		for _, v := range ds.Values {
			if math.IsNaN(v) {
				nulls++
			}
		}
		if len(ds.Values) != 3960 || nulls != 4 {
			t.Errorf("%d values with %d nulls, want 3960 with 4", len(ds.Values), nulls)
		}
	})
	t.Run("us-gsp: spec units", func(t *testing.T) {
		ds := decodeFixture(t, "jsonstat/us-gsp.json")
		c := ds.Dimension("concept")
		u := c.Categories[c.Position("gsp")].Unit
		want := &Unit{Label: "million", Symbol: "$", Position: "start", Multiplier: intPtr(6), Decimals: intPtr(0)}
		if diff := cmp.Diff(want, u); diff != "" {
			t.Errorf("gsp unit (-want +got):\n%s", diff)
		}
	})
	t.Run("TAB638: notes with CRLF and code 00", func(t *testing.T) {
		ds := decodeFixture(t, "pxweb/scb-v2/TAB638/data-POST.json")
		if len(ds.Values) != 1 || ds.Values[0] != 50937 {
			t.Errorf("Values = %v, want [50937]", ds.Values)
		}
		crlf := false
		for _, n := range ds.Note {
			crlf = crlf || strings.Contains(n, "\r\n")
		}
		if !crlf {
			t.Errorf("no note keeps its \\r\\n: %q", ds.Note)
		}
	})
}

func TestParseCollectionsAndBundles(t *testing.T) {
	t.Run("links only", func(t *testing.T) {
		doc, err := Parse(fixture(t, "jsonstat/collection.json"))
		if err != nil {
			t.Fatal(err)
		}
		if doc.Class != "collection" || doc.Label != "JSON-stat Dataset Sample Collection" || len(doc.Datasets) != 0 {
			t.Errorf("Parse = class %q label %q %d datasets", doc.Class, doc.Label, len(doc.Datasets))
		}
		if len(doc.Links) != 8 || doc.Links[6] != (Link{Class: "dataset", Href: "https://json-stat.org/samples/order.json", Label: "Demo of value ordering: what does not change, first"}) {
			t.Errorf("Links = %+v", doc.Links)
		}
	})
	t.Run("embedded datasets", func(t *testing.T) {
		doc, err := Parse(fixture(t, "jsonstat/oecd-canada-col.json"))
		if err != nil {
			t.Fatal(err)
		}
		if len(doc.Datasets) != 2 || len(doc.Links) != 0 {
			t.Fatalf("%d datasets and %d links, want 2 and 0", len(doc.Datasets), len(doc.Links))
		}
		if doc.Datasets[0].Name != "https://json-stat.org/samples/oecd.json" {
			t.Errorf("first dataset is %q", doc.Datasets[0].Name)
		}
		oecd := decodeFixture(t, "jsonstat/oecd.json")
		if diff := cmp.Diff(oecd.Values, doc.Datasets[0].Dataset.Values, equateNaN); diff != "" {
			t.Errorf("embedded oecd values differ from oecd.json (-file +embedded):\n%s", diff)
		}
	})
	t.Run("1.x bundle", func(t *testing.T) {
		doc, err := Parse(fixture(t, "jsonstat/oecd-canada-v1.json"))
		if err != nil {
			t.Fatal(err)
		}
		if doc.Format != JSONStat1 || len(doc.Datasets) != 2 || doc.Datasets[0].Name != "oecd" || doc.Datasets[1].Name != "canada" {
			t.Fatalf("Parse = %v with %d datasets", doc.Format, len(doc.Datasets))
		}
		canada := decodeFixture(t, "jsonstat/canada.json")
		got := doc.Datasets[1].Dataset
		if diff := cmp.Diff(canada.Size(), got.Size()); diff != "" {
			t.Errorf("canada size differs between 2.0 and 1.x (-2.0 +1.x):\n%s", diff)
		}
	})
	t.Run("Decode refuses several datasets", func(t *testing.T) {
		tests := []struct {
			path, want string
		}{
			{"jsonstat/oecd-canada-v1.json", `document holds 2 datasets ("oecd", "canada"); want one`},
			{"jsonstat/oecd-canada-col.json", "document is a collection; want one dataset"},
			{"jsonstat/collection.json", "document is a collection; want one dataset"},
		}
		for _, tt := range tests {
			_, err := Decode(fixture(t, tt.path))
			if err == nil || err.Error() != tt.want {
				t.Errorf("Decode(%s) = %v, want %s", tt.path, err, tt.want)
			}
			if !fault.Is(err, fault.Invalid) {
				t.Errorf("Decode(%s) kind = %v, want invalid", tt.path, fault.KindOf(err))
			}
		}
	})
}

func TestDecodePxWebV1(t *testing.T) {
	t.Run("px-json", func(t *testing.T) {
		doc, err := Parse(fixture(t, "pxweb/scb-v1/BefolkningNy/data-pxjson-en-POST.json"))
		if err != nil {
			t.Fatal(err)
		}
		ds := doc.Datasets[0].Dataset
		if doc.Format != PxJSON || ds.Label != "Population by region, age, year and observations" || ds.Updated != "2025-02-21T07:00:00Z" || ds.Source != "Statistics Sweden" {
			t.Errorf("Parse = %v %q %q %q", doc.Format, ds.Label, ds.Updated, ds.Source)
		}
		if diff := cmp.Diff([]string{"Region", "Alder", "Tid", "ContentsCode"}, ids(ds)); diff != "" {
			t.Errorf("ids (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff([]float64{9995153, 10120242}, ds.Values); diff != "" {
			t.Errorf("Values (-want +got):\n%s", diff)
		}
		wantRole := Role{Time: []string{"Tid"}, Metric: []string{"ContentsCode"}}
		if diff := cmp.Diff(wantRole, ds.Role); diff != "" {
			t.Errorf("Role (-want +got):\n%s", diff)
		}
		if c := ds.Dimension("ContentsCode").Categories[0]; !cmp.Equal(c, Category{Code: "BE0101N1", Label: "Population"}) {
			t.Errorf("contents category = %+v", c)
		}
		if r := ds.Dimension("Region"); r.Label != "region" || !cmp.Equal(r.Categories[0], Category{Code: "00", Label: "00"}) || len(r.Note) != 1 {
			t.Errorf("Region = %+v", r)
		}
	})
	t.Run("metadata", func(t *testing.T) {
		doc, err := Parse(fixture(t, "pxweb/scb-v1/ME0104T24/metadata.json"))
		if err != nil {
			t.Fatal(err)
		}
		ds := doc.Datasets[0].Dataset
		if doc.Format != PxMetadata || ds.Values != nil || !strings.HasPrefix(ds.Label, "Riksdagsval") {
			t.Errorf("Parse = %v, values %v, label %q", doc.Format, ds.Values, ds.Label)
		}
		if diff := cmp.Diff([]int{32, 10, 3, 2, 6}, ds.Size()); diff != "" {
			t.Errorf("Size() (-want +got):\n%s", diff)
		}
		kon := ds.Dimension("Kon")
		if !cmp.Equal(kon.Categories[2], Category{Code: "1+2", Label: "totalt"}) || string(kon.Extension) != `{"elimination":true}` {
			t.Errorf("Kon = %+v, extension %s", kon.Categories, kon.Extension)
		}
		if got := string(ds.Dimension("Tid").Extension); got != `{"elimination":false}` {
			t.Errorf("Tid extension = %s", got)
		}
		wantRole := Role{Time: []string{"Tid"}, Metric: []string{"ContentsCode"}}
		if diff := cmp.Diff(wantRole, ds.Role); diff != "" {
			t.Errorf("Role (-want +got):\n%s", diff)
		}
	})
	t.Run("px-json symbols become status", func(t *testing.T) {
		// Constructed for this test: two rows in reverse order, one with a
		// PX symbol instead of a number, one cell without a row.
		in := `{"columns":[{"code":"R","text":"region","type":"d"},{"code":"T","text":"year","type":"t"},
			{"code":"A","text":"a","type":"c"},{"code":"B","text":"b","type":"c"}],
			"data":[{"key":["r1","2021"],"values":["1.5",".."]},{"key":["r1","2020"],"values":["-3","4"]},
			{"key":["r2","2020"],"values":[null,"7"]}]}`
		ds, err := Decode([]byte(in))
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]int{2, 2, 2}, ds.Size()); diff != "" {
			t.Errorf("Size() (-want +got):\n%s", diff)
		}
		nan := math.NaN()
		want := []float64{1.5, nan, -3, 4, nan, nan, nan, 7}
		if diff := cmp.Diff(want, ds.Values, equateNaN); diff != "" {
			t.Errorf("Values (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff(map[int]string{1: ".."}, ds.Status); diff != "" {
			t.Errorf("Status (-want +got):\n%s", diff)
		}
	})
}

func TestDecodeSmallForms(t *testing.T) {
	// Constructed inputs, one JSON-stat 2.0 rule each.
	nan := math.NaN()
	tests := []struct {
		name string
		in   string
		want *Dataset
	}{
		{
			name: "index object sorted by position, labels missing, status string",
			in: `{"version":"2.0","class":"dataset","id":["a"],"size":[3],
				"dimension":{"a":{"category":{"index":{"z":2,"x":0,"y":1}}}},
				"value":[1,null,3],"status":"p"}`,
			want: &Dataset{
				Dimensions: []Dimension{{ID: "a", Categories: []Category{{Code: "x", Label: "x"}, {Code: "y", Label: "y"}, {Code: "z", Label: "z"}}}},
				Values:     []float64{1, nan, 3},
				StatusAll:  "p",
			},
		},
		{
			name: "class absent with version 2.0, value before size, sparse value and status array",
			in: `{"value":{"1":2.5,"0":null},"status":["a",null],"version":"2.0","id":["a"],"size":[2],
				"dimension":{"a":{"label":"A","category":{"index":["p","q"],"label":{"p":"P","extra":"ignored"}}}}}`,
			want: &Dataset{
				Dimensions: []Dimension{{ID: "a", Label: "A", Categories: []Category{{Code: "p", Label: "P"}, {Code: "q", Label: "q"}}}},
				Values:     []float64{nan, 2.5},
				Status:     map[int]string{0: "a"},
			},
		},
		{
			name: "verbatim members keep numbers beyond float64 and are compacted",
			in: `{"class":"dataset","id":["a"],"size":[1],"extension":{ "big" : [1e400, -0.0E-999] },
				"dimension":{"a":{"category":{"index":["k"]}}},"value":[1],"unknown":1e999}`,
			want: &Dataset{
				Extension:  json.RawMessage(`{"big":[1e400,-0.0E-999]}`),
				Dimensions: []Dimension{{ID: "a", Categories: []Category{{Code: "k", Label: "k"}}}},
				Values:     []float64{1},
			},
		},
		{
			name: "metadata response keeps no values",
			in: `{"class":"dataset","version":"2.0","id":["a","b"],"size":[1,2],"value":[],
				"dimension":{"a":{"category":{"label":{"only":"Only"}}},"b":{"category":{"index":["1","2"]}}}}`,
			want: &Dataset{
				Dimensions: []Dimension{
					{ID: "a", Categories: []Category{{Code: "only", Label: "Only"}}},
					{ID: "b", Categories: []Category{{Code: "1", Label: "1"}, {Code: "2", Label: "2"}}},
				},
			},
		},
		{
			name: "duplicate keys: last wins; escapes decoded; unknown members ignored",
			in: `{"class":"dataset","label":"first","label":"Bel\u00f8p \"kr\"","id":["a"],"size":[1],"x":{"y":[1,{}]},
				"dimension":{"a":{"category":{"index":["k"]}}},"value":[1],"value":[-0.5e1]}`,
			want: &Dataset{
				Label:      `Beløp "kr"`,
				Dimensions: []Dimension{{ID: "a", Categories: []Category{{Code: "k", Label: "k"}}}},
				Values:     []float64{-5},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Decode([]byte(tt.in))
			if err != nil {
				t.Fatalf("Decode = %v", err)
			}
			if diff := cmp.Diff(tt.want, got, equateNaN); diff != "" {
				t.Errorf("Decode (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseSingleDataset(t *testing.T) {
	doc, err := Parse(fixture(t, "pxweb/ssb-v2/03024/data-POST.json"))
	if err != nil {
		t.Fatal(err)
	}
	if doc.Format != JSONStat2 || doc.Class != "dataset" || len(doc.Datasets) != 1 || doc.Datasets[0].Name != "" ||
		doc.Updated != "2025-10-29T07:00:00Z" || !strings.HasPrefix(doc.Label, "03024:") {
		t.Errorf("Parse = %+v", doc)
	}
	doc, err = Parse(fixture(t, "pxweb/scb-v1/BefolkningNy/data-jsonstat1-POST.json"))
	if err != nil {
		t.Fatal(err)
	}
	if doc.Format != JSONStat1 || len(doc.Datasets) != 1 || doc.Datasets[0].Name != "dataset" || doc.Updated != "2025-02-21T07:00:00Z" {
		t.Errorf("Parse(1.x) = %+v", doc)
	}
}

func TestDecodeByteOrderMark(t *testing.T) {
	in := append([]byte("\xef\xbb\xbf"), fixture(t, "pxweb/scb-v1/BefolkningNy/data-pxjson-en-POST.json")...)
	if _, err := Decode(in); err != nil {
		t.Errorf("Decode(BOM + px-json) = %v", err)
	}
}

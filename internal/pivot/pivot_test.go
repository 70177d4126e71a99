package pivot

import (
	"math"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/grunnlag/grunnlag/internal/jsonstat"
)

// testDataset is constructed test data: 2 levels x 3 statuses x 2 years.
func testDataset() *jsonstat.Dataset {
	one := 1
	cats := func(codes ...string) []jsonstat.Category {
		var cs []jsonstat.Category
		for _, c := range codes {
			cs = append(cs, jsonstat.Category{Code: c, Label: "L" + c})
		}
		return cs
	}
	d := &jsonstat.Dataset{
		Label: "Konstruert",
		Role:  jsonstat.Role{Time: []string{"Tid"}, Metric: []string{"ContentsCode"}},
		Dimensions: []jsonstat.Dimension{
			{ID: "Niva", Label: "nivå", Categories: cats("K", "F")},
			{ID: "Status", Label: "status", Categories: cats("ja", "nei", "vetikke")},
			{ID: "ContentsCode", Label: "statistikkvariabel", Categories: []jsonstat.Category{{Code: "Andel", Label: "andel", Unit: &jsonstat.Unit{Label: "prosent", Decimals: &one}}}},
			{ID: "Tid", Label: "år", Categories: cats("2021", "2022")},
		},
	}
	d.Values = make([]float64, d.Len())
	for i := range d.Values {
		d.Values[i] = float64(i) * 1000.25
	}
	d.Values[3] = math.NaN()
	d.Status = map[int]string{3: ".."}
	return d
}

func TestDefault(t *testing.T) {
	got := Default(testDataset())
	want := Spec{Rows: []string{"Niva", "Status"}, Cols: []string{"Tid"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Default (-want +got):\n%s", diff)
	}
}

func TestBuild(t *testing.T) {
	d := testDataset()
	tab, err := Build(d, Spec{Rows: []string{"Status"}, Cols: []string{"Tid"}, Keep: map[string][]string{"Niva": {"F"}, "Status": {"nei", "ja"}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(tab.Fixed) != 2 || tab.Fixed[0].Category.Code != "F" || tab.Fixed[1].Dim.ID != "ContentsCode" {
		t.Errorf("fixed = %+v, want Niva=F and ContentsCode", tab.Fixed)
	}
	if diff := cmp.Diff([][]string{{"nei"}, {"ja"}}, tab.Rows.Codes); diff != "" {
		t.Errorf("row codes (-want +got):\n%s", diff)
	}
	// F is position 1 of Niva: index = ((1*3+s)*1+0)*2+y.
	for r, s := range []int{1, 0} {
		for y := 0; y < 2; y++ {
			idx := (3+s)*2 + y
			c := tab.Cells[r][y]
			if c.Value != d.Values[idx] || !c.OK || c.Decimals != 1 {
				t.Errorf("cell[%d][%d] = %+v, want value %v with 1 decimal", r, y, c, d.Values[idx])
			}
		}
	}
}

func TestBuildErrors(t *testing.T) {
	tests := []struct {
		name string
		spec Spec
		want string
	}{
		{"unknown row", Spec{Rows: []string{"X"}}, `no dimension "X"`},
		{"twice", Spec{Rows: []string{"Tid"}, Cols: []string{"Tid"}}, `dimension "Tid" used twice`},
		{"unknown code", Spec{Rows: []string{"Niva", "Status"}, Cols: []string{"Tid"}, Keep: map[string][]string{"Tid": {"1999"}}}, `dimension "Tid" has no category "1999"`},
		{"unfixed", Spec{Rows: []string{"Niva"}, Cols: []string{"Tid"}}, `dimension "Status" is neither in rows nor columns and must be kept to one category (has 3)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Build(testDataset(), tt.spec)
			if err == nil || err.Error() != tt.want {
				t.Errorf("Build err = %v, want %q", err, tt.want)
			}
		})
	}
}

func TestFormat(t *testing.T) {
	tests := []struct {
		cell Cell
		want string
	}{
		{Cell{Value: 1234567.891, OK: true, Decimals: 2}, "1 234 567,89"},
		{Cell{Value: 84.8, OK: true, Decimals: -1}, "84,8"},
		{Cell{Value: -1500, OK: true, Decimals: 0}, "-1 500"},
		{Cell{Value: -0.04, OK: true, Decimals: 1}, "0,0"},
		{Cell{Value: math.Copysign(0, -1), OK: true, Decimals: -1}, "0"},
		{Cell{Value: -0.05, OK: true, Decimals: -1}, "-0,05"},
		{Cell{Value: 12, OK: true, Decimals: 1, Status: "e"}, "12,0 e"},
		{Cell{Status: ":"}, ":"},
		{Cell{}, ".."},
		{Cell{Text: "A1B1C1"}, "A1B1C1"},
	}
	for _, tt := range tests {
		if got := Format(tt.cell); got != tt.want {
			t.Errorf("Format(%+v) = %q, want %q", tt.cell, got, tt.want)
		}
	}
}

func TestWriteText(t *testing.T) {
	tab, err := Build(testDataset(), Default(testDataset()))
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	if err := tab.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	// 1000.25 is exactly halfway and rounds to even, as strconv does.
	want := `statistikkvariabel: andel

nivå  status       L2021     L2022
LK    Lja            0,0   1 000,2
      Lnei       2 000,5        ..
      Lvetikke   4 001,0   5 001,2
LF    Lja        6 001,5   7 001,8
      Lnei       8 002,0   9 002,2
      Lvetikke  10 002,5  11 002,8
`
	if diff := cmp.Diff(want, b.String()); diff != "" {
		t.Errorf("WriteText (-want +got):\n%s", diff)
	}
}

// TestWriteTextEscapesControls: labels and text cells with terminal
// escapes (constructed test data) are written as visible text, and the
// grid stays aligned on their escaped width.
func TestWriteTextEscapesControls(t *testing.T) {
	d := testDataset()
	d.Dimensions[0].Label = "nivå\x1b]0;tittel\x07"
	d.Dimensions[0].Categories[0].Label = "K\x1b[2J"
	d.Dimensions[1].Categories[1].Label = "nei\u009b31m\u202e"
	d.Dimensions[2].Categories[0].Label = "andel\r"
	d.Text = map[int]string{0: "tekst\x1b[5m"}
	tab, err := Build(d, Default(d))
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	if err := tab.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, bad := range []string{"\x1b", "\x07", "\r", "\u009b", "\u202e"} {
		if strings.Contains(out, bad) {
			t.Errorf("WriteText writes %q raw:\n%q", bad, out)
		}
	}
	for _, want := range []string{`K\u001b[2J`, `nei\u009b31m\u202e`, `andel\u000d`, `tekst\u001b[5m`} {
		if !strings.Contains(out, want) {
			t.Errorf("WriteText output lacks %q:\n%s", want, out)
		}
	}
}

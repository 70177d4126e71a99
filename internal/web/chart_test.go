package web

import (
	"encoding/xml"
	"io"
	"math"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestNiceTicks(t *testing.T) {
	tests := []struct {
		name   string
		lo, hi float64
		want   []float64
	}{
		{"shares", 12.3, 87.9, []float64{0, 20, 40, 60, 80, 100}},
		{"small", 0.12, 0.87, []float64{0, 0.2, 0.4, 0.6, 0.8, 1}},
		{"negative", -35, 12, []float64{-40, -30, -20, -10, 0, 10, 20}},
		{"all zero", 0, 0, []float64{0, 0.2, 0.4, 0.6, 0.8, 1}},
		{"thousands", 6, 4932, []float64{0, 1000, 2000, 3000, 4000, 5000}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := niceTicks(tt.lo, tt.hi, 5)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("niceTicks(%v, %v) (-want +got):\n%s", tt.lo, tt.hi, diff)
			}
		})
	}
}

func TestNorNumber(t *testing.T) {
	tests := []struct {
		v        float64
		decimals int
		group    bool
		want     string
	}{
		{4752, 0, true, "4752"}, // four digits stay together
		{12345.5, 1, true, "12\u00a0345,5"},
		{-0.5, 1, true, "−0,5"},
		{-0.0, 1, true, "0,0"},
		{2.25, -1, false, "2,25"},
	}
	for _, tt := range tests {
		if got := norNumber(tt.v, tt.decimals, tt.group); got != tt.want {
			t.Errorf("norNumber(%v, %d, %v) = %q, want %q", tt.v, tt.decimals, tt.group, got, tt.want)
		}
	}
	for _, tt := range []struct {
		v    float64
		d    int
		want string
	}{{1234.5, 1, "1234,5"}, {-2, 0, "-2"}, {-0.0001, 1, "0,0"}, {0.1, -1, "0,1"}} {
		if got := plainNumber(tt.v, tt.d); got != tt.want {
			t.Errorf("plainNumber(%v, %d) = %q, want %q", tt.v, tt.d, got, tt.want)
		}
	}
}

// TestChartSVG checks that a chart is well-formed SVG with its text
// alternative, escapes what it is given, and draws one mark per value.
func TestChartSVG(t *testing.T) {
	tests := []struct {
		name  string
		spec  chartSpec
		marks string // element drawn per value
		n     int
	}{
		{"bars", chartSpec{ID: "a", Title: "Konstruert <script>alert(1)</script>", Desc: "d & e", Kind: barChart,
			Categories: []string{"2020", "2021", "2022"},
			Series: []chartSeries{{Name: "A", Values: []float64{1, 2, 3}, OK: []bool{true, true, true}},
				{Name: "B", Values: []float64{4, math.NaN(), 6}, OK: []bool{true, false, true}}}}, "rect", 5},
		{"lines with a gap", chartSpec{ID: "b", Title: "Linjer", Kind: lineChart, Source: "Kilde: konstruert",
			Categories: []string{"1", "2", "3", "4"},
			Series:     []chartSeries{{Name: "A", Values: []float64{1, 2, 0, 4}, OK: []bool{true, true, false, true}}}}, "circle", 3},
		{"negative bars", chartSpec{ID: "c", Title: "Negativ", Kind: barChart, Compact: true,
			Categories: []string{"x", "y"}, Series: []chartSeries{{Values: []float64{-3, 5}, OK: []bool{true, true}}}}, "rect", 2},
		{"nothing", chartSpec{ID: "d", Title: "Tom", Categories: []string{"x"}, Series: []chartSeries{{Values: []float64{0}, OK: []bool{false}}}}, "rect", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := string(tt.spec.svg())
			if strings.Contains(out, "<script") {
				t.Fatal("the title was not escaped")
			}
			dec := xml.NewDecoder(strings.NewReader(out))
			counts := map[string]int{}
			for {
				tok, err := dec.Token()
				if err != nil {
					if err != io.EOF {
						t.Fatalf("not well-formed: %v\n%s", err, out)
					}
					break
				}
				if se, ok := tok.(xml.StartElement); ok {
					counts[se.Name.Local]++
				}
			}
			if counts["title"] < 1 || counts["desc"] != 1 {
				t.Errorf("chart has %d titles and %d desc, want a title and a desc", counts["title"], counts["desc"])
			}
			marks := counts[tt.marks]
			if tt.marks == "rect" {
				marks -= 1 // the background
				if len(tt.spec.Series) > 1 && (!tt.spec.Compact || len(tt.spec.Series) <= 4) {
					marks -= len(tt.spec.Series) // legend swatches
				}
			}
			if marks != tt.n {
				t.Errorf("%d <%s> marks, want %d", marks, tt.marks, tt.n)
			}
		})
	}
}

func TestLabelStepAvoidsOverlap(t *testing.T) {
	weeks := make([]string, 43)
	for i := range weeks {
		weeks[i] = "2025U" + string(rune('0'+i/10)) + string(rune('0'+i%10))
	}
	band := float64(chartW-marginLeft-marginRight) / 43
	k := labelStep(weeks, band)
	if band*float64(k) < 7*7 {
		t.Errorf("labelStep = %d: %v units per label, too narrow for 7 characters", k, band*float64(k))
	}
	if k2 := labelStep([]string{"2020", "2021"}, 300); k2 != 1 {
		t.Errorf("labelStep of two short labels = %d, want 1", k2)
	}
}

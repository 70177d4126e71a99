package web

import (
	"context"
	"net/url"
	"strings"
	"testing"
)

func TestPlainNumber(t *testing.T) {
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

// TestViewChart_form checks that the chart chooses its form from the view:
// lines only along time (three periods or more), with one series per
// combination of the other dimensions wherever they are placed, so a line
// never runs across the categories of another dimension; bars otherwise.
// Table 13615 (recorded from SSB) has 10 products × 2 industries × 5 years.
func TestViewChart_form(t *testing.T) {
	e := newEnv(t)
	tests := []struct {
		name      string
		query     string
		lines     bool
		shown     int
		total     int
		what      string
		seriesHas string // a text of the drawing
	}{
		{"time across: lines", "", true, 8, 20, "serier", "Bilbensin – Jordbruk, skogbruk og fiske"},
		{"time down the rows: still lines", "d.Tid=row&d.Produkter=col", true, 8, 20, "serier", "Bilbensin"},
		{"time and industry across: a line per product and industry", "d.NACE=col&d.Tid=col", true, 8, 20, "serier", "Bilbensin – Sjøfart"},
		{"two years: bars", "v.Tid=2023&v.Tid=2024", false, 2, 2, "serier", "2024"},
		{"one year: bars by product and industry", "d.Tid=fixed&v.Tid=2024", false, 20, 20, "kategorier", "Bilbensin – Sjøfart"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, _ := url.ParseQuery(tt.query)
			bv, err := e.srv.view(context.Background(), "13615", q)
			if err != nil {
				t.Fatal(err)
			}
			got := viewChart("d", bv.View, defaultLimits, false)
			if got.Lines != tt.lines || got.Shown != tt.shown || got.Total != tt.total || got.What != tt.what {
				t.Errorf("viewChart = lines %v, %d of %d %s; want lines %v, %d of %d %s",
					got.Lines, got.Shown, got.Total, got.What, tt.lines, tt.shown, tt.total, tt.what)
			}
			svg := string(got.SVG)
			if !strings.Contains(svg, tt.seriesHas) {
				t.Errorf("the chart lacks %q", tt.seriesHas)
			}
			if got.Cut() != strings.Contains(got.Note, " av ") {
				t.Errorf("note %q does not match Cut() = %v", got.Note, got.Cut())
			}
			if strings.Count(svg, "<svg") != 2 || !strings.Contains(svg, "chart-wide") || !strings.Contains(svg, "chart-narrow") {
				t.Error("want a wide and a narrow drawing")
			}
			all := viewChart("d", bv.View, allLimits, false)
			if all.Cut() {
				t.Errorf("with all limits the chart still shows %d of %d", all.Shown, all.Total)
			}
		})
	}
}

// TestViewChart_unit checks that the value axis names the statistic's unit
// from the dataset: the constructed snapshots of the analysis give
// "prosent", so the axis says "Prosent" and values carry "%".
func TestViewChart_unit(t *testing.T) {
	e := newEnv(t)
	bv, err := e.srv.view(context.Background(), "12618", url.Values{})
	if err != nil {
		t.Fatal(err)
	}
	label, unit, _ := viewUnit(bv.View)
	if label != "Prosent" || unit != "%" {
		t.Errorf("viewUnit = %q, %q; want Prosent, %%", label, unit)
	}
}

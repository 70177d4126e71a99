package chart

import (
	"bytes"
	"encoding/xml"
	"io"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// element is a parsed SVG element, enough to check what a chart draws.
type element struct {
	Name  string
	Attrs map[string]string
	Text  string
}

// parse reads an SVG as XML, failing the test if it is not well formed,
// and returns its elements in document order.
func parse(t *testing.T, b []byte) []element {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(b))
	var out []element
	var open []int
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("SVG is not well-formed XML: %v\n%s", err, b)
		}
		switch x := tok.(type) {
		case xml.StartElement:
			e := element{Name: x.Name.Local, Attrs: map[string]string{}}
			for _, a := range x.Attr {
				e.Attrs[a.Name.Local] = a.Value
			}
			out = append(out, e)
			open = append(open, len(out)-1)
		case xml.EndElement:
			open = open[:len(open)-1]
		case xml.CharData:
			if len(open) > 0 {
				out[open[len(open)-1]].Text += string(x)
			}
		}
	}
	return out
}

func named(es []element, name string) []element {
	var out []element
	for _, e := range es {
		if e.Name == name {
			out = append(out, e)
		}
	}
	return out
}

func texts(es []element) []string {
	var out []string
	for _, e := range named(es, "text") {
		out = append(out, e.Text)
	}
	return out
}

// constructedBars is a chart of constructed test data.
func constructedBars() *Bars {
	return &Bars{
		Common: Common{
			ID: "fig-1", Title: "Andel uten beredskapsøvelse etter antall innbyggere, 2024",
			Desc:   "Konstruerte testdata. Under 5 000: 90,0 %; 5 000–19 999: mangler; alle: 80,0 %.",
			XLabel: "Andel kommuner (prosent)", YLabel: "Antall innbyggere", Unit: "%", Decimals: 1,
			Source: "Kilde: Konstruerte testdata <ikke SSB> & co, tabell 12041, oppdatert 2025-05-06, hentet 2025-06-02 08:30 UTC; en lang kildelinje som må brytes over flere linjer for å få plass",
		},
		Items: []Item{
			{Label: "Under 5 000 innbyggere", Value: 90, OK: true},
			{Label: "5 000-19 999 innbyggere"},
			{Label: "I alt", Value: 80, OK: true, Total: true},
		},
	}
}

func TestBars_SVG(t *testing.T) {
	b := constructedBars().SVG()
	es := parse(t, b)
	root := es[0]
	if root.Name != "svg" || root.Attrs["role"] != "img" || root.Attrs["aria-labelledby"] != "fig-1-tittel fig-1-beskrivelse" {
		t.Errorf("root = %+v, want an svg with role img labelled by its title and desc", root)
	}
	title, desc := named(es, "title"), named(es, "desc")
	if len(title) != 1 || title[0].Attrs["id"] != "fig-1-tittel" || title[0].Text != "Andel uten beredskapsøvelse etter antall innbyggere, 2024" {
		t.Errorf("title = %+v", title)
	}
	if len(desc) != 1 || desc[0].Attrs["id"] != "fig-1-beskrivelse" || !strings.Contains(desc[0].Text, "Konstruerte testdata") {
		t.Errorf("desc = %+v", desc)
	}
	rects := named(es, "rect")
	if len(rects) != 2 {
		t.Fatalf("%d bars, want 2 (the missing one has no bar)", len(rects))
	}
	w0, _ := strconv.ParseFloat(rects[0].Attrs["width"], 64)
	w1, _ := strconv.ParseFloat(rects[1].Attrs["width"], 64)
	if w0 <= 0 || w1/w0 < 0.88 || w1/w0 > 0.9 {
		t.Errorf("bar widths %v and %v, want 80/90 of each other", w0, w1)
	}
	if rects[0].Attrs["fill"] != Palette()[0] || rects[1].Attrs["fill"] != Palette()[1] {
		t.Errorf("bar colours %s, %s; want the palette's first two", rects[0].Attrs["fill"], rects[1].Attrs["fill"])
	}
	got := texts(es)
	for _, want := range []string{
		"Andel uten beredskapsøvelse etter antall innbyggere, 2024",       // title
		"Under 5 000 innbyggere", "90,0\u00a0%", "mangler", "80,0\u00a0%", // labels and values
		"0\u00a0%", "40\u00a0%", "100\u00a0%", // ticks
		"Andel kommuner (prosent)", "Antall innbyggere", // axis titles
	} {
		if !slices.Contains(got, want) {
			t.Errorf("no text %q in the chart; texts: %q", want, got)
		}
	}
	if !bytes.Contains(b, []byte("&lt;ikke SSB&gt; &amp; co")) {
		t.Error("the source line is not escaped")
	}
	if again := constructedBars().SVG(); !bytes.Equal(b, again) {
		t.Error("the same chart gave different bytes")
	}
}

func TestLines_SVG(t *testing.T) {
	c := &Lines{
		Common: Common{
			ID: "fig-2", Title: "Andel uten rutiner for sikkerhetspatcher, 2020–2022", Desc: "Konstruerte testdata.",
			XLabel: "År", YLabel: "Andel kommuner (prosent)", Unit: "%", Decimals: 1, Source: "Kilde: konstruert",
		},
		X: []string{"2020", "2021", "2022", "2023"},
		Series: []Series{
			{Name: "Har ikke", Values: []float64{19.1, 17.4, 0, 15}, OK: []bool{true, true, false, true}},
			{Name: "Vet ikke", Values: []float64{3, 3.1, 2, 1}, OK: []bool{true, true, true, true}},
		},
	}
	es := parse(t, c.SVG())
	var points []string
	for _, p := range named(es, "polyline") {
		points = append(points, p.Attrs["stroke"]+" "+strconv.Itoa(len(strings.Fields(p.Attrs["points"]))))
	}
	// The first series breaks at the missing 2022: one line of two points,
	// and the lone 2023 point is a dot without a line.
	want := []string{Palette()[0] + " 2", Palette()[1] + " 4"}
	if diff := cmp.Diff(want, points); diff != "" {
		t.Errorf("polylines mismatch (-want +got):\n%s", diff)
	}
	if n := len(named(es, "circle")); n != 7 {
		t.Errorf("%d points, want 7", n)
	}
	got := texts(es)
	for _, want := range []string{"2020", "2023", "19,1\u00a0%", "Har ikke", "Vet ikke", "År", "Kilde: konstruert"} {
		if !slices.Contains(got, want) {
			t.Errorf("no text %q in the chart; texts: %q", want, got)
		}
	}
}

func TestWrapText(t *testing.T) {
	tests := []struct {
		name string
		in   string
		maxW float64
		want []string
	}{
		{"at spaces", "en to tre fire fem", 40, []string{"en to", "tre", "fire", "fem"}},
		{"one line", "en to", 400, []string{"en to"}},
		{"after a hyphen", "sikkerhets-patcher", 80, []string{"sikkerhets-", "patcher"}},
		{"between letters", "Informasjonssikkerhetstiltak", 100, []string{"Informasjonss-", "ikkerhetstiltak"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := wrapText(tt.in, tt.maxW, 12, false)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("wrapText(%q, %v) mismatch (-want +got):\n%s", tt.in, tt.maxW, diff)
			}
			for _, l := range got {
				if w := textWidth(l, 12, false); w > tt.maxW {
					t.Errorf("line %q is %.1f wide, more than %v", l, w, tt.maxW)
				}
			}
		})
	}
}

// TestTitle_fitsTheWidth is a regression test: a title of 75 characters
// used to stay on one line and run past the right edge.
func TestTitle_fitsTheWidth(t *testing.T) {
	c := constructedBars()
	c.Title = "Kommuner som ikke gjennomfører beredskapsøvelse minst en gang per år, etter antall innbyggere, 2024"
	got := texts(parse(t, c.SVG()))[:2]
	want := []string{"Kommuner som ikke gjennomfører beredskapsøvelse minst en gang", "per år, etter antall innbyggere, 2024"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("title lines mismatch (-want +got):\n%s", diff)
	}
}

func TestTimePosition(t *testing.T) {
	tests := []struct {
		in   string
		want float64
		ok   bool
	}{
		{"2018", 2018, true},
		{"2020K3", 2020.5, true},
		{"2020M04", 2020.25, true},
		{"2016–2017", 2016.5, true},
		{"2020K5", 0, false},
		{"Kommuner", 0, false},
	}
	for _, tt := range tests {
		got, ok := timePosition(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("timePosition(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

// TestLines_timeAxis checks that periods are spaced by time: the gap
// from 2019 to 2023 is four times the one from 2018 to 2019.
func TestLines_timeAxis(t *testing.T) {
	c := &Lines{Common: Common{ID: "t", Title: "Konstruert", Unit: "%"}, X: []string{"2018", "2019", "2023", "2024"},
		Series: []Series{{Name: "a", Values: []float64{10, 20, 30, 40}, OK: []bool{true, true, true, true}}}}
	var xs []float64
	for _, e := range named(parse(t, c.SVG()), "circle") {
		x, _ := strconv.ParseFloat(e.Attrs["cx"], 64)
		xs = append(xs, x)
	}
	if len(xs) != 4 {
		t.Fatalf("%d points, want 4", len(xs))
	}
	if r := (xs[2] - xs[1]) / (xs[1] - xs[0]); r < 3.9 || r > 4.1 {
		t.Errorf("2019→2023 is %.2f times 2018→2019, want 4 (points at %v)", r, xs)
	}
}

func TestFactorNames(t *testing.T) {
	tests := []struct {
		name        string
		in          []string
		wantHeading string
		wantShort   []string
	}{
		{"shared lead", []string{"Løpende abonnement på antivirusprogram – Kommuner – Ja", "Løpende abonnement på antivirusprogram – Kommuner – Nei"},
			"Løpende abonnement på antivirusprogram – Kommuner", []string{"Ja", "Nei"}},
		{"shared tail", []string{"Ja – Kommuner", "Nei – Kommuner"}, "Kommuner", []string{"Ja", "Nei"}},
		{"nothing shared", []string{"Ja", "Nei"}, "", []string{"Ja", "Nei"}},
		{"one", []string{"A – B"}, "", []string{"A – B"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, short := factorNames(tt.in)
			if h != tt.wantHeading {
				t.Errorf("heading = %q, want %q", h, tt.wantHeading)
			}
			if diff := cmp.Diff(tt.wantShort, short); diff != "" {
				t.Errorf("names mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestLegend_neverIdentical is the regression test of legends cut to the
// same text: six long names that differ only at their end each show in
// full, wrapped, at both widths.
func TestLegend_neverIdentical(t *testing.T) {
	var series []Series
	for _, end := range []string{"Kommuner i alt", "Under 5 000 innbyggere", "5 000–19 999 innbyggere", "20 000 innbyggere og over", "Fylkeskommuner", "Ukjent"} {
		series = append(series, Series{Name: "Løpende abonnement på antivirusprogram eller annen beskyttelse mot skadevare, " + end,
			Values: []float64{50, 60}, OK: []bool{true, true}})
	}
	for _, width := range []float64{WideWidth, NarrowWidth} {
		c := &Bars{Common: Common{ID: "l", Title: "Konstruert", Unit: "%", Width: width}, Categories: []string{"2022", "2024"}, Series: series}
		got := strings.Join(texts(parse(t, c.SVG())), " ")
		for _, s := range series {
			if !strings.Contains(got, strings.Fields(s.Name)[len(strings.Fields(s.Name))-1]) {
				t.Errorf("width %v: the legend lacks the end of %q", width, s.Name)
			}
		}
	}
}

package catalog

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// publishedYAML returns a constructed published figure for the
// constructed indicator of indicatorYAML, valid as is.
func publishedYAML(replace ...string) string {
	s := `published:
  - id: f
    indicator: i
    table: "1"
    year: 2018
    population: kommuner
    variable: "Konstruert variabel"
    value: 63.9
    page: https://www.ssb.no/konstruert
    quote: "Konstruert sitat: 63,9"
    source: {ref: r}
`
	for i := 0; i+1 < len(replace); i += 2 {
		if !strings.Contains(s, replace[i]) {
			panic("publishedYAML: no " + replace[i])
		}
		s = strings.Replace(s, replace[i], replace[i+1], 1)
	}
	return s
}

// oneCell is the constructed indicator of indicatorYAML reading one cell
// per year (it sums two categories otherwise).
func oneCell() string {
	return indicatorYAML(`categories: [{label: "Har ikke"}, {code: "3"}]`, `category: {label: "Har ikke"}`)
}

func TestLoad_published(t *testing.T) {
	dir := writeDir(t, map[string]string{"base.yaml": baseYAML, "i.yaml": oneCell(), "p.yaml": publishedYAML()})
	p, err := Load(dir)
	if err != nil {
		t.Fatalf("Load = %v", err)
	}
	f, ok := p.PublishedFigure("f")
	if !ok || f.Value != 63.9 || f.Site() != "ssb.no" || !f.Norwegian() {
		t.Fatalf("figure = %+v", f)
	}
	if got := p.PublishedFor("i", "1"); len(got) != 1 || got[0] != f {
		t.Errorf("PublishedFor(i, 1) = %v", got)
	}
}

// TestLoad_publishedRules has one failing example per rule for published
// figures.
func TestLoad_publishedRules(t *testing.T) {
	tests := []struct {
		name      string
		indicator string
		replace   []string
		want      []string
	}{
		{"unknown indicator", oneCell(), []string{"indicator: i", "indicator: nei"}, []string{`DIR/p.yaml:3: indicator: unknown indicator "nei"`}},
		{"another table", oneCell(), []string{`table: "1"`, `table: "2"`}, []string{`DIR/p.yaml:4: table: indicator i reads table 1, not 2`}},
		{"summed categories", indicatorYAML(), nil, []string{"DIR/p.yaml:3: indicator: indicator i sums several categories of table 1; one published figure cannot stand for them"}},
		{"another population", oneCell(), []string{"population: kommuner", "population: fylkeskommuner"}, []string{"DIR/p.yaml:6: population: indicator i is about kommuner, not fylkeskommuner"}},
		{"not a share, not a page", oneCell(), []string{"value: 63.9", "value: 639", "page: https://www.ssb.no/konstruert", "page: ssb.no/konstruert"}, []string{
			"DIR/p.yaml:8: value: 639 is not a share in per cent",
			`DIR/p.yaml:9: page: "ssb.no/konstruert" is not an http(s) URL`,
		}},
		{"two figures for one year", oneCell(), []string{"source: {ref: r}\n", "source: {ref: r}\n  - {id: g, indicator: i, table: \"1\", year: 2018, population: kommuner, variable: V, value: 1, page: https://www.ssb.no/x, quote: q, source: {ref: r}}\n"}, []string{
			"DIR/p.yaml:12: year: a second figure for indicator i, table 1, 2018 (first at DIR/p.yaml:2)",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := writeDir(t, map[string]string{"base.yaml": baseYAML, "i.yaml": tt.indicator, "p.yaml": publishedYAML(tt.replace...)})
			p, err := Load(dir)
			if p != nil {
				t.Fatal("Load returned a pack despite problems")
			}
			if diff := cmp.Diff(tt.want, problemsOf(t, err, dir)); diff != "" {
				t.Errorf("problems mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestShippedPack_published checks the shipped published figures: each
// stands for a cell of its indicator, was read on SSB's or Digdir's pages,
// and a page in English lends none of its words to a Norwegian text.
func TestShippedPack_published(t *testing.T) {
	p := loadShipped(t)
	if len(p.Published) == 0 {
		t.Fatal("no published figures")
	}
	tables := map[string]bool{}
	for _, f := range p.Published {
		tables[f.Table] = true
		if site := f.Site(); site != "ssb.no" && site != "digdir.no" {
			t.Errorf("%s: read on %s, want SSB's or Digdir's pages", f.ID, site)
		}
		if strings.Contains(f.Variable, "(inferred") || strings.Contains(f.Variable, "unverified") {
			t.Errorf("%s: %q is not a seen figure", f.ID, f.Variable)
		}
	}
	for _, table := range []string{"12041", "12038", "12036", "12617"} {
		if !tables[table] {
			t.Errorf("no published figure of table %s", table)
		}
	}
}

package catalog

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// indicatorYAML returns a constructed indicator definition, valid as is;
// the failing examples below change one part of it.
func indicatorYAML(replace ...string) string {
	s := `indicators:
  - id: i
    title: I
    table: "1"
    population: kommuner
    select:
      - dimension: {label: statistikkvariabel}
        category: {pattern: "(?i)patch"}
      - dimension: {id: Status}
        categories: [{label: "Har ikke"}, {code: "3"}]
    appendix: {year: 2021}
    statement: "{antall} kommuner ({år})."
    evidence: [{theme: t, supports: hypotese, when: {op: ">=", value: 10}}]
    labels: antatt
    source: {ref: r}
`
	for i := 0; i+1 < len(replace); i += 2 {
		if !strings.Contains(s, replace[i]) {
			panic("indicatorYAML: no " + replace[i])
		}
		s = strings.Replace(s, replace[i], replace[i+1], 1)
	}
	return s
}

func TestLoad_indicator(t *testing.T) {
	dir := writeDir(t, map[string]string{"base.yaml": baseYAML, "i.yaml": indicatorYAML()})
	p, err := Load(dir)
	if err != nil {
		t.Fatalf("Load(constructed indicator) = %v, want no error", err)
	}
	ind, ok := p.Indicator("i")
	if !ok {
		t.Fatal(`Indicator("i") not found`)
	}
	want := &Indicator{
		ID: "i", Title: "I", Table: "1", Population: Municipalities,
		Select: []Selector{
			{Dimension: DimensionMatch{Label: "statistikkvariabel"}, Category: &CategoryMatch{Pattern: "(?i)patch"}},
			{Dimension: DimensionMatch{ID: "Status"}, Categories: []CategoryMatch{{Label: "Har ikke"}, {Code: "3"}}},
		},
		Appendix:  &AppendixRef{Year: 2021},
		Statement: "{antall} kommuner ({år}).",
		Evidence:  []IndicatorEvidence{{Theme: "t", Supports: Supports, When: &Threshold{Op: GreaterEqual, Value: 10}}},
		Labels:    LabelsInferred,
		Source:    Citation{Ref: "r"},
		Origin:    Origin{Pack: ind.Origin.Pack, File: ind.Origin.File, Line: 2},
	}
	if diff := cmp.Diff(want, ind); diff != "" {
		t.Errorf("Indicator(i) mismatch (-want +got):\n%s", diff)
	}
	if got, want := ind.KindOrDefault(), ShareKind; got != want {
		t.Errorf("KindOrDefault() = %q, want %q", got, want)
	}
	if got, want := ind.CombineOrDefault(), Sum; got != want {
		t.Errorf("CombineOrDefault() = %q, want %q", got, want)
	}
	if got, want := len(ind.Select[1].Matches()), 2; got != want {
		t.Errorf("Select[1].Matches() has %d matches, want %d", got, want)
	}
}

// TestLoad_indicatorRules has one failing example per indicator rule, each
// with the exact messages Load must report.
func TestLoad_indicatorRules(t *testing.T) {
	tests := []struct {
		name    string
		replace []string
		want    []string
	}{
		{
			name:    "unknown table",
			replace: []string{`table: "1"`, `table: "99"`},
			want:    []string{`DIR/i.yaml:4: table: unknown table "99"`},
		},
		{
			name:    "population that has no counts",
			replace: []string{"population: kommuner", "population: begge"},
			want:    []string{`DIR/i.yaml:5: population: "begge" is not one of kommuner, fylkeskommuner`},
		},
		{
			name:    "unknown kind, combine and labels",
			replace: []string{"labels: antatt", "labels: gjettet\n    kind: x\n    combine: snitt"},
			want: []string{
				`DIR/i.yaml:14: labels: "gjettet" is not one of sett, antatt`,
				`DIR/i.yaml:15: kind: "x" is not one of andel, ukjent`,
				`DIR/i.yaml:16: combine: "snitt" is not one of sum, komplement`,
			},
		},
		{
			name:    "dimension named twice",
			replace: []string{"dimension: {id: Status}", "dimension: {id: Status, label: status}"},
			want:    []string{"DIR/i.yaml:9: select[1].dimension: give exactly one of id, label and pattern"},
		},
		{
			name:    "category named by nothing",
			replace: []string{`category: {pattern: "(?i)patch"}`, `category: {}`},
			want:    []string{"DIR/i.yaml:8: select[0].category: give exactly one of code, label and pattern"},
		},
		{
			name:    "invalid pattern",
			replace: []string{`category: {pattern: "(?i)patch"}`, `category: {pattern: "(patch"}`},
			want:    []string{"DIR/i.yaml:8: select[0].category.pattern: invalid pattern: error parsing regexp: missing closing ): `(patch`"},
		},
		{
			name:    "category and categories",
			replace: []string{`category: {pattern: "(?i)patch"}`, `category: {code: "1"}` + "\n        categories: [{code: \"2\"}]"},
			want:    []string{"DIR/i.yaml:9: select[0].categories: give category or categories, not both"},
		},
		{
			name:    "neither category nor categories",
			replace: []string{`        category: {pattern: "(?i)patch"}` + "\n", ""},
			want:    []string{"DIR/i.yaml:2: select[0].category: a selector needs category (one) or categories (several to sum)"},
		},
		{
			name:    "empty categories",
			replace: []string{`categories: [{label: "Har ikke"}, {code: "3"}]`, "categories: []"},
			want:    []string{"DIR/i.yaml:10: select[1].categories: must not be empty"},
		},
		{
			name:    "two dimensions summed",
			replace: []string{`category: {pattern: "(?i)patch"}`, `categories: [{code: "1"}, {code: "2"}]`},
			want:    []string{"DIR/i.yaml:10: select[1].categories: only one dimension may sum several categories (select[0] already does)"},
		},
		{
			name:    "unknown placeholder",
			replace: []string{"{antall} kommuner ({år}).", "{antall} kommuner ({aar})."},
			want:    []string{"DIR/i.yaml:12: statement: unknown placeholder {aar} (use {antall}, {andel}, {år})"},
		},
		{
			name:    "statement without a figure",
			replace: []string{"{antall} kommuner ({år}).", "Mange kommuner."},
			want:    []string{"DIR/i.yaml:12: statement: a statement needs at least one placeholder: the figure it states"},
		},
		{
			name:    "a number from a share of a subgroup",
			replace: []string{"population: kommuner", "population: kommuner\n    share_of: de som forsøkte"},
			want:    []string{"DIR/i.yaml:13: statement: {antall} needs a share of every municipality; share_of says this share is of de som forsøkte"},
		},
		{
			name:    "implausible year",
			replace: []string{"year: 2021", "year: 21"},
			want:    []string{"DIR/i.yaml:11: appendix.year: 21 is not a plausible year"},
		},
		{
			name:    "size classes without total",
			replace: []string{"appendix: {year: 2021}", "size_classes: {dimension: {label: størrelse}}"},
			want:    []string{"DIR/i.yaml:11: size_classes.total: missing required field"},
		},
		{
			name:    "time named by nothing",
			replace: []string{"appendix: {year: 2021}", "time: {}"},
			want:    []string{"DIR/i.yaml:11: time: give exactly one of id, label and pattern"},
		},
		{
			name:    "unknown theme and source",
			replace: []string{"}}]", "}}, {theme: zz, supports: noytral}]", "source: {ref: r}", "source: {ref: nope}"},
			want: []string{
				`DIR/i.yaml:13: evidence[1].theme: unknown theme "zz"`,
				`DIR/i.yaml:15: source.ref: unknown document or reference "nope"`,
			},
		},
		{
			name:    "a direction without a rule",
			replace: []string{`, when: {op: ">=", value: 10}}]`, "}]"},
			want:    []string{`DIR/i.yaml:13: evidence[0].when: say when the value supports the direction, e.g. when: {op: ">=", value: 10}`},
		},
		{
			name:    "a neutral indicator with a rule",
			replace: []string{"supports: hypotese, when", "supports: noytral, when"},
			want:    []string{"DIR/i.yaml:13: evidence[0].when: a neutral indicator has no rule; drop when, or give the direction it supports"},
		},
		{
			name:    "a rule that is no bound",
			replace: []string{`{op: ">=", value: 10}`, `{op: "=", value: 110}`},
			want: []string{
				`DIR/i.yaml:13: evidence[0].when.op: "=" is not one of <, >, <=, >=`,
				"DIR/i.yaml:13: evidence[0].when.value: 110 is not a share in per cent",
			},
		},
		{
			name:    "unknown appendix finding and compared indicator",
			replace: []string{"appendix: {year: 2021}", "appendix: {year: 2021, finding: nope}\n    compare_with: i"},
			want: []string{
				`DIR/i.yaml:11: appendix.finding: unknown finding "nope"`,
				"DIR/i.yaml:12: compare_with: compare with another indicator of table 1",
			},
		},
		{
			name:    "unknown, repeated and unexplained principles",
			replace: []string{"appendix: {year: 2021}", "appendix: {year: 2021}\n    principles: [\"1.1\", \"9.9\", \"1.1\"]"},
			want: []string{
				`DIR/i.yaml:12: principles[1]: unknown nsm principle "9.9"`,
				`DIR/i.yaml:12: principles[2]: principle "1.1" is linked twice`,
				"DIR/i.yaml:12: principles_notes: say why the figure bears on these principles",
			},
		},
		{
			name:    "a successor that is the table itself",
			replace: []string{"appendix: {year: 2021}", "successor:\n      table: \"1\"\n      select: [{dimension: {label: x}, category: {label: y}}]\n      change: Ny ordlyd.\n      labels: sett\n      source: {ref: r}"},
			want:    []string{"DIR/i.yaml:12: successor.table: the successor must be another table than 1"},
		},
		{
			name:    "missing select",
			replace: []string{"    select:\n      - dimension: {label: statistikkvariabel}\n        category: {pattern: \"(?i)patch\"}\n      - dimension: {id: Status}\n        categories: [{label: \"Har ikke\"}, {code: \"3\"}]\n", ""},
			want:    []string{"DIR/i.yaml:2: select: missing required field"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files := map[string]string{"base.yaml": baseYAML, "i.yaml": indicatorYAML(tt.replace...)}
			dir := writeDir(t, files)
			p, err := Load(dir)
			if p != nil {
				t.Errorf("Load returned a pack despite problems")
			}
			got := problemsOf(t, err, dir)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Load problems mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestMatch(t *testing.T) {
	tests := []struct {
		name         string
		m            CategoryMatch
		code, label  string
		want         bool
		wantDescribe string
	}{
		{"code", CategoryMatch{Code: "01"}, "01", "Har", true, `code "01"`},
		{"code is exact", CategoryMatch{Code: "01"}, "1", "01", false, `code "01"`},
		{"label ignores case and spaces", CategoryMatch{Label: "Har ikke  tiltaket"}, "x", " har ikke\u00a0tiltaket", true, `label "Har ikke  tiltaket"`},
		{"label is whole", CategoryMatch{Label: "Har"}, "x", "Har ikke", false, `label "Har"`},
		{"pattern searches", CategoryMatch{Pattern: "(?i)patch"}, "x", "Rutiner for sikkerhetspatcher", true, `pattern "(?i)patch"`},
		{"invalid pattern matches nothing", CategoryMatch{Pattern: "("}, "x", "(", false, `pattern "("`},
		{"empty matches nothing", CategoryMatch{}, "", "", false, "nothing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.m.MatchCategory(tt.code, tt.label); got != tt.want {
				t.Errorf("%v.MatchCategory(%q, %q) = %v, want %v", tt.m, tt.code, tt.label, got, tt.want)
			}
			if got := tt.m.String(); got != tt.wantDescribe {
				t.Errorf("String() = %q, want %q", got, tt.wantDescribe)
			}
		})
	}
	if !(DimensionMatch{ID: "Tid"}).MatchDimension("Tid", "år") || (DimensionMatch{ID: "Tid"}).MatchDimension("tid", "Tid") {
		t.Error("DimensionMatch by id must compare the id exactly")
	}
}

// TestShippedPack_indicators checks the shipped definitions against what
// is known of the tables: every table the appendix uses for a statement has
// one, and the two statements of the appendix are there.
func TestShippedPack_indicators(t *testing.T) {
	p := loadShipped(t)
	byTable := map[string][]string{}
	for _, ind := range p.Indicators {
		byTable[ind.Table] = append(byTable[ind.Table], ind.ID)
		if ind.Labels == LabelsSeen && ind.Table != "12041" {
			t.Errorf("%s: labels: sett, but only 12041's labels were seen on SSB's pages", ind.ID)
		}
	}
	for _, table := range []string{"12041", "12038", "12019", "12036", "12617", "12618"} {
		if len(byTable[table]) == 0 {
			t.Errorf("no indicator for table %s", table)
		}
	}
	for _, id := range []string{"sikkerhetspatcher-mangler", "penetrasjonstesting-mangler"} {
		ind, ok := p.Indicator(id)
		if !ok {
			t.Errorf("indicator %s missing", id)
			continue
		}
		if ind.Appendix == nil || ind.Appendix.Year != 2021 || ind.Appendix.Finding == "" || ind.Population != Municipalities || !strings.Contains(ind.Statement, "{antall}") {
			t.Errorf("%s: appendix %+v, population %s, statement %q; want 2021 with the appendix's finding, kommuner, a number", id, ind.Appendix, ind.Population, ind.Statement)
		}
	}
	kinds := map[IndicatorKind]int{}
	for _, ind := range p.Indicators {
		kinds[ind.KindOrDefault()]++
	}
	if kinds[UnknownKind] == 0 {
		t.Errorf("indicator kinds = %v, want at least one ukjent", kinds)
	}
}

// TestShippedPack_indicatorPrinciples pins the editor's direct links from
// NSM principles to indicators, so a change to them is a visible decision:
// only where the principle's title or measures name what the table counts.
func TestShippedPack_indicatorPrinciples(t *testing.T) {
	p := loadShipped(t)
	got := map[string][]string{}
	for _, x := range p.Principles {
		for _, ind := range p.IndicatorsByPrinciple(x.ID) {
			got[x.ID] = append(got[x.ID], ind.ID)
		}
	}
	want := map[string][]string{
		"1.1": {"policy-mangler", "fagansvarlig-mangler", "risikovurderinger-mangler", "risikohandtering-mangler"},
		"2.3": {"sikkerhetspatcher-mangler", "sikkerhetspatcher-vet-ikke"},
		"3.4": {"penetrasjonstesting-mangler"},
		"4.1": {"beredskapsovelse-mangler", "beredskapsovelse-fylkeskommuner"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("indicators by principle mismatch (-want +got):\n%s", diff)
	}
	for _, ind := range p.Indicators {
		if len(ind.Principles) > 0 && !strings.HasPrefix(ind.PrinciplesNotes, "Redaktørens kobling") {
			t.Errorf("%s: principles_notes %q does not say the link is the editor's", ind.ID, ind.PrinciplesNotes)
		}
	}
}

// TestLoad_indicatorOverride shows how a regional pack fixes a definition
// that no longer resolves: the same id in a later pack replaces it.
func TestLoad_indicatorOverride(t *testing.T) {
	base := writeDir(t, map[string]string{"base.yaml": baseYAML, "i.yaml": indicatorYAML()})
	fix := writeDir(t, map[string]string{"i.yaml": indicatorYAML(`{pattern: "(?i)patch"}`, `{label: "Rutiner for sikkerhetsoppdateringer"}`)})
	p, err := Load(base, fix)
	if err != nil {
		t.Fatal(err)
	}
	ind, _ := p.Indicator("i")
	if got := ind.Select[0].Category.Label; got != "Rutiner for sikkerhetsoppdateringer" || len(p.Indicators) != 1 || len(p.Overrides) != 1 {
		t.Errorf("after override: label %q, %d indicators, %d overrides; want the later pack's label, 1, 1", got, len(p.Indicators), len(p.Overrides))
	}
}

// TestEncodeIndicators writes every shipped definition as YAML and loads
// it back as a pack over the shipped one: the definitions are the same.
func TestEncodeIndicators(t *testing.T) {
	p := loadShipped(t)
	out, err := EncodeIndicators(p.Indicators...)
	if err != nil {
		t.Fatal(err)
	}
	fix := writeDir(t, map[string]string{"rettelse.yaml": string(out)})
	q, err := Load(shippedPack, fix)
	if err != nil {
		t.Fatalf("Load(shipped, encoded) = %v\n%s", err, out)
	}
	if got, want := len(q.Overrides), len(p.Indicators); got != want {
		t.Errorf("%d overrides, want one per indicator (%d)", got, want)
	}
	for i, want := range p.Indicators {
		got := *q.Indicators[i]
		got.Origin = want.Origin
		if diff := cmp.Diff(*want, got); diff != "" {
			t.Errorf("indicator %s after encoding (-want +got):\n%s", want.ID, diff)
		}
	}
}

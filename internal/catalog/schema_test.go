package catalog

import (
	"maps"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/grunnlag/grunnlag/internal/fault"
)

// baseYAML is a small, valid, constructed pack that the failing examples
// below add one broken file to, so each example's problems are its own.
const baseYAML = `references:
  - {id: r, title: R}
themes:
  - id: t
    title: T
    hypothesis: {text: h, source: {ref: r}}
    conclusion: {text: c, source: {ref: r}}
document_kinds:
  - {id: k, heading: K}
tables:
  - {id: "1", title: T1, source: s}
documents:
  - {id: d, kind: k, as_written: D, source: {ref: r}}
dialogue:
  - id: a
    title: A
    section: S
    kind: moter
    participants: [{name: N, type: kommune}]
    quote: q
    source: {ref: r}
nsm_sources:
  - {id: S1, description: s}
nsm_categories:
  - {id: "1", title: C, source: {ref: r}}
nsm_principles:
  - {id: "1.1", category: "1", title: P, source: {ref: r}}
nsm_measures:
  - {id: "1.1.1", principle: "1.1", confidence: high, sources: [S1]}
`

// Constructed register files for the register rules.
const (
	csvA = "code,name,to\n0101,One,9901\n0102,Two,9902\n"
	csvB = "code,name,from\n9901,Nine-one,0101\n9902,Nine-two,0102\n"
)

const registersYAML = `registers:
  - id: reg-a
    title: A
    unit: kommuner
    file: a.csv
    valid_from: 2020
    count: 2
    code_column: code
    name_column: name
    crosswalk: {register: reg-b, column: to}
    source: {ref: r}
  - id: reg-b
    title: B
    unit: kommuner
    file: b.csv
    valid_from: 2024
    count: 2
    code_column: code
    name_column: name
    crosswalk: {register: reg-a, column: from}
    source: {ref: r}
`

func TestLoad_base(t *testing.T) {
	dir := writeDir(t, map[string]string{"base.yaml": baseYAML, "reg.yaml": registersYAML, "a.csv": csvA, "b.csv": csvB})
	p, err := Load(dir)
	if err != nil {
		t.Fatalf("Load(constructed base) = %v, want no error", err)
	}
	if got, want := len(p.Entries()), 12; got != want {
		t.Errorf("len(Entries()) = %d, want %d", got, want)
	}
}

// TestLoad_schemaRules has one failing example per rule of the schema, each
// with the exact messages Load must report.
func TestLoad_schemaRules(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string // added to the base pack
		want  []string
	}{
		// --- YAML and structure ---
		{
			name:  "syntax error",
			files: map[string]string{"x.yaml": "documents: [\n  {id: x\n"},
			want:  []string{"DIR/x.yaml:2: invalid YAML: could not find flow mapping end token '}'"},
		},
		{
			name:  "more than one YAML document",
			files: map[string]string{"x.yaml": "themes: []\n---\nneeds: []\n"},
			want:  []string{"DIR/x.yaml:3: a pack file holds one YAML document"},
		},
		{
			name:  "unknown section",
			files: map[string]string{"x.yaml": "needs: []\ntabels: []\n"},
			want:  []string{"DIR/x.yaml:2: tabels: unknown section"},
		},
		{
			name:  "unknown field",
			files: map[string]string{"x.yaml": "references:\n  - id: r2\n    title: R2\n    titel: R2\n"},
			want:  []string{"DIR/x.yaml:4: titel: unknown field"},
		},
		{
			name:  "unknown nested field",
			files: map[string]string{"x.yaml": "references:\n  - id: r2\n    title: R2\ndocuments:\n  - {id: d2, kind: k, as_written: D, source: {ref: r, page: 5}}\n"},
			want:  []string{"DIR/x.yaml:5: source.page: unknown field"},
		},
		{
			name:  "missing required field",
			files: map[string]string{"x.yaml": "references:\n  - id: r2\n"},
			want:  []string{"DIR/x.yaml:2: title: missing required field"},
		},
		{
			name:  "missing required nested field",
			files: map[string]string{"x.yaml": "documents:\n  - id: d2\n    kind: k\n    as_written: D\n    source: {at: s. 4}\n"},
			want:  []string{"DIR/x.yaml:5: source.ref: missing required field"},
		},
		{
			name:  "required field without value",
			files: map[string]string{"x.yaml": "references:\n  - id: r2\n    title:\n"},
			want:  []string{"DIR/x.yaml:3: title: required field has no value"},
		},
		{
			name:  "required field empty",
			files: map[string]string{"x.yaml": "references:\n  - id: r2\n    title: \"  \"\n"},
			want:  []string{"DIR/x.yaml:3: title: must not be empty"},
		},
		{
			name:  "required list empty",
			files: map[string]string{"x.yaml": "needs:\n  - id: n\n    title: N\n    text: T\n    activity: a\n    evidence: []\n    source: {ref: r}\n"},
			want:  []string{"DIR/x.yaml:6: evidence: must not be empty"},
		},
		{
			name:  "number where a string is expected",
			files: map[string]string{"x.yaml": "tables:\n  - {id: 12041, title: T, source: s}\n"},
			want:  []string{"DIR/x.yaml:2: id: expected a string, got an integer 12041 (quote it)"},
		},
		{
			name:  "string where a list is expected",
			files: map[string]string{"x.yaml": "documents:\n  - {id: d2, kind: k, as_written: D, themes: t, source: {ref: r}}\n"},
			want:  []string{"DIR/x.yaml:2: themes: expected a list, got a string"},
		},
		{
			name:  "scalar where a mapping is expected",
			files: map[string]string{"x.yaml": "documents:\n  - {id: d2, kind: k, as_written: D, source: r}\n"},
			want:  []string{"DIR/x.yaml:2: source: expected a mapping, got a string"},
		},
		{
			name:  "string where an integer is expected",
			files: map[string]string{"x.yaml": "counts:\n  - {id: c, year: \"2020\", unit: kommuner, value: 356, basis: sett, source: {ref: r}}\n"},
			want:  []string{"DIR/x.yaml:2: year: expected an integer, got a string"},
		},
		{
			name:  "string where a number is expected",
			files: map[string]string{"x.yaml": "dialogue:\n  - {id: a2, title: A, section: S, kind: moter, participants: [{name: N, type: ks}], quote: q, source: {ref: r}, count: {op: \">\", value: many, unit: antall}}\n"},
			want:  []string{"DIR/x.yaml:2: count.value: expected a number, got a string"},
		},
		{
			name:  "string where a boolean is expected",
			files: map[string]string{"x.yaml": "documents:\n  - {id: d2, kind: k, as_written: D, themes_inferred: yes please, source: {ref: r}}\n"},
			want:  []string{"DIR/x.yaml:2: themes_inferred: expected true or false, got a string"},
		},
		{
			name:  "a section that is not a list",
			files: map[string]string{"x.yaml": "themes: {id: t2}\n"},
			want:  []string{"DIR/x.yaml:1: themes: expected a list, got a mapping"},
		},
		{
			name:  "anchors and aliases",
			files: map[string]string{"x.yaml": "references:\n  - id: r2\n    title: &t R2\n  - id: r3\n    title: *t\n"},
			want: []string{
				"DIR/x.yaml:3: title: anchors, aliases, tags and merge keys are not supported",
				"DIR/x.yaml:5: title: anchors, aliases, tags and merge keys are not supported",
			},
		},
		{
			name: "duplicate id in one pack",
			files: map[string]string{
				"x.yaml": "references:\n  - {id: r2, title: R2}\n",
				"y.yaml": "references:\n  - {id: r2, title: R2 again}\n",
			},
			want: []string{`DIR/y.yaml:2: id: duplicate reference id "r2" (first at DIR/x.yaml:2)`},
		},
		{
			name: "second pack section",
			files: map[string]string{
				"x.yaml": "pack: {name: one}\n",
				"y.yaml": "pack: {name: two}\n",
			},
			want: []string{"one/y.yaml: pack: a pack has one pack section (the first is in one/x.yaml)"}, // named by the first section
		},

		// --- ids, vocabularies, formats ---
		{
			name:  "id not a slug",
			files: map[string]string{"x.yaml": "references:\n  - {id: Min Kilde, title: R}\n"},
			want:  []string{`DIR/x.yaml:2: id: "Min Kilde" is not a valid id (use lowercase letters, digits and hyphens)`},
		},
		{
			name:  "table id not digits",
			files: map[string]string{"x.yaml": "tables:\n  - {id: \"T-12\", title: T, source: s}\n"},
			want:  []string{`DIR/x.yaml:2: id: "T-12" is not a valid id (a table id is letters, digits and _)`},
		},
		{
			name: "NSM ids",
			files: map[string]string{"x.yaml": "nsm_categories:\n  - {id: \"5a\", title: C, source: {ref: r}}\n" +
				"nsm_principles:\n  - {id: \"1\", category: \"1\", title: P, source: {ref: r}}\n" +
				"nsm_measures:\n  - {id: \"1.1.x\", principle: \"1.1\", confidence: high}\n" +
				"nsm_sources:\n  - {id: X1, description: s}\n"},
			want: []string{
				`DIR/x.yaml:2: id: "5a" is not a valid id (one digit)`,
				`DIR/x.yaml:4: id: "1" is not a valid id (category.number, e.g. 2.3)`,
				`DIR/x.yaml:6: id: "1.1.x" is not a valid id (principle.number, e.g. 2.3.1)`,
				`DIR/x.yaml:8: id: "X1" is not a valid id (S and a number)`,
			},
		},
		{
			name: "NSM hierarchy",
			files: map[string]string{"x.yaml": "nsm_principles:\n  - {id: \"2.1\", category: \"1\", title: P, source: {ref: r}}\n" +
				"nsm_measures:\n  - {id: \"1.2.1\", principle: \"1.1\", confidence: high}\n"},
			want: []string{
				"DIR/x.yaml:2: category: principle 2.1 cannot belong to category 1",
				"DIR/x.yaml:4: principle: measure 1.2.1 cannot belong to principle 1.1",
			},
		},
		{
			name:  "confidence",
			files: map[string]string{"x.yaml": "nsm_measures:\n  - {id: \"1.1.2\", principle: \"1.1\", confidence: sure}\n"},
			want:  []string{`DIR/x.yaml:2: confidence: "sure" is not one of high, medium, low, official`},
		},
		{
			name: "finding vocabularies",
			files: map[string]string{"x.yaml": `findings:
  - id: f
    document: d
    basis: rapport
    about: A
    period: "2018-19"
    population: alle
    value: {op: "~", value: 120, unit: prosent}
    quote: q
    source: {ref: r}
    evidence:
      - {theme: t, supports: for}
`},
			want: []string{
				`DIR/x.yaml:4: basis: "rapport" is not one of dokument, statistikk, dialog`,
				`DIR/x.yaml:6: period: "2018-19" is not a year or a span of years (2018, 2018–2020)`,
				`DIR/x.yaml:7: population: "alle" is not one of kommuner, fylkeskommuner, begge`,
				`DIR/x.yaml:8: value.op: "~" is not one of =, <, >, <=, >=`,
				`DIR/x.yaml:8: value.value: 120 is out of range`,
				`DIR/x.yaml:12: evidence[0].supports: "for" is not one of hypotese, mot, noytral`,
			},
		},
		{
			name:  "quantity unit",
			files: map[string]string{"x.yaml": "dialogue:\n  - {id: a2, title: A, section: S, kind: moter, participants: [{name: N, type: ks}], quote: q, source: {ref: r}, count: {op: \">\", value: 25, unit: stk}}\n"},
			want:  []string{`DIR/x.yaml:2: count.unit: "stk" is not one of prosent, antall, timer`},
		},
		{
			name: "activity vocabularies and period",
			files: map[string]string{"x.yaml": `dialogue:
  - id: a2
    title: A
    section: S
    kind: seminar
    period: {text: "høsten 2022", from: "2022-13", to: "2022"}
    participants: [{name: N, type: bedrift}]
    quote: q
    source: {ref: r}
  - id: a3
    title: A
    section: S
    kind: moter
    period: {text: "x", from: "2022-09", to: "2022-05"}
    participants: [{name: N, type: ks}]
    quote: q
    source: {ref: r}
`},
			want: []string{
				`DIR/x.yaml:5: kind: "seminar" is not one of moter, moter-og-workshops, arbeidsgruppe, innspillsrunde, samarbeid, orientering`,
				`DIR/x.yaml:6: period.from: "2022-13" is not YYYY or YYYY-MM`,
				`DIR/x.yaml:7: participants[0].type: "bedrift" is not one of kommune, fylkeskommune, kommunal-sektor, ks, statlig, departement, responsmiljo`,
				`DIR/x.yaml:14: period.to: 2022-05 is before 2022-09`,
			},
		},
		{
			name: "finding needs exactly one origin",
			files: map[string]string{"x.yaml": `findings:
  - {id: f1, document: d, activity: a, basis: dialog, about: A, population: kommuner, quote: q, source: {ref: r}, evidence: [{theme: t, supports: mot}]}
  - {id: f2, basis: dialog, about: A, population: kommuner, quote: q, source: {ref: r}, evidence: [{theme: t, supports: mot}]}
`},
			want: []string{
				"DIR/x.yaml:2: activity: a finding comes from a document or an activity, not both",
				"DIR/x.yaml:3: document: a finding needs a document or an activity",
			},
		},
		{
			name:  "theme tagged twice",
			files: map[string]string{"x.yaml": "needs:\n  - {id: n, title: N, text: T, activity: a, source: {ref: r}, evidence: [{theme: t, supports: hypotese}, {theme: t, supports: mot}]}\n"},
			want:  []string{`DIR/x.yaml:2: evidence[1].theme: theme "t" is tagged twice`},
		},
		{
			name: "URLs",
			files: map[string]string{"x.yaml": `documents:
  - {id: d2, kind: k, as_written: D, source: {ref: r}, url: "www.example.org/x"}
  - {id: d3, kind: k, as_written: D, source: {ref: r}, url: "https://example.org/x"}
`},
			want: []string{
				`DIR/x.yaml:2: url: "www.example.org/x" is not an http(s) URL`,
				"DIR/x.yaml:2: url: a URL needs url_source: the source at hand that shows it",
				"DIR/x.yaml:3: url: a URL needs url_source: the source at hand that shows it",
			},
		},
		{
			name: "counts",
			files: map[string]string{"x.yaml": `counts:
  - {id: c1, year: 2020, unit: kommuner, value: 356, basis: sett, source: {ref: r}}
  - {id: c2, year: 2020, unit: kommuner, value: 357, basis: sett, source: {ref: r}}
  - {id: c3, year: 20, unit: begge, value: 0, basis: gjettet, source: {ref: r}, size_class: {label: L, min: 10, max: 5}}
  - {id: c4, year: 2020, unit: kommuner, value: 20, basis: sett, source: {ref: r}, size_class: {label: S, min: 0, max: 4999}}
  - {id: c5, year: 2020, unit: kommuner, value: 21, basis: sett, source: {ref: r}, size_class: {label: S, min: 0, max: 4999}}
`},
			want: []string{
				"DIR/x.yaml:3: year: a second count of kommuner in 2020 (first at DIR/x.yaml:2)",
				`DIR/x.yaml:4: basis: "gjettet" is not one of sett, avledet`,
				`DIR/x.yaml:4: size_class.max: 5 is below min 10`,
				`DIR/x.yaml:4: unit: "begge" is not one of kommuner, fylkeskommuner`,
				"DIR/x.yaml:4: value: a count must be positive",
				"DIR/x.yaml:4: year: 20 is not a plausible year",
				`DIR/x.yaml:6: year: a second count of kommuner in size class "S" in 2020 (first at DIR/x.yaml:5)`,
			},
		},

		// --- references ---
		{
			name: "unresolved references",
			files: map[string]string{"x.yaml": `documents:
  - {id: d2, kind: bok, as_written: D, table: "99", themes: [t, styring], source: {ref: nowhere}}
findings:
  - {id: f, document: d9, basis: dokument, about: A, population: kommuner, quote: q, source: {ref: r}, evidence: [{theme: x, supports: mot}]}
  - {id: f2, activity: a9, basis: dialog, about: A, population: kommuner, quote: q, source: {ref: r}, evidence: [{theme: t, supports: mot}]}
needs:
  - {id: n, title: N, text: T, activity: a9, principles: ["9.9"], source: {ref: r}, evidence: [{theme: t, supports: hypotese}]}
nsm_principles:
  - {id: "2.1", category: "2", title: P, source: {ref: r}}
nsm_measures:
  - {id: "2.2.1", principle: "2.2", confidence: low, sources: [S9]}
conclusions:
  - {id: c, title: C, text: T, themes: [y], source: {ref: r}}
`},
			want: []string{
				`DIR/x.yaml:2: kind: unknown document kind "bok"`,
				`DIR/x.yaml:2: source.ref: unknown document or reference "nowhere"`,
				`DIR/x.yaml:2: table: unknown table "99"`,
				`DIR/x.yaml:2: themes[1]: unknown theme "styring"`,
				`DIR/x.yaml:4: document: unknown document "d9"`,
				`DIR/x.yaml:4: evidence[0].theme: unknown theme "x"`,
				`DIR/x.yaml:5: activity: unknown activity "a9"`,
				`DIR/x.yaml:7: activity: unknown activity "a9"`,
				`DIR/x.yaml:7: principles[0]: unknown nsm principle "9.9"`,
				`DIR/x.yaml:9: category: unknown nsm category "2"`,
				`DIR/x.yaml:11: principle: unknown nsm principle "2.2"`,
				`DIR/x.yaml:11: sources[0]: unknown nsm source "S9"`,
				`DIR/x.yaml:13: themes[0]: unknown theme "y"`,
			},
		},

		// --- registers ---
		{
			name: "register columns and rows",
			files: map[string]string{
				"reg.yaml": registersYAML,
				"a.csv":    "code,name,to\n0101,One,9901\n101,,9902\n0101,Again,9901\n",
				"b.csv":    csvB,
			},
			want: []string{
				`DIR/a.csv:3: code: "101" is not a 4-digit code`,
				"DIR/a.csv:3: name: empty name",
				"DIR/a.csv:3: to: 101 maps to 9902, but 9902 in reg-b does not map back",
				"DIR/a.csv:4: code: duplicate code 0101 (first on line 2)",
				"DIR/b.csv:3: from: code 0102 is not in register reg-a",
				"DIR/reg.yaml:7: count: DIR/a.csv has 3 rows, not 2",
			},
		},
		{
			name: "register crosswalk",
			files: map[string]string{
				"reg.yaml": registersYAML,
				"a.csv":    "code,name,to\n0101,One,9901;9903\n0102,Two,\n",
				"b.csv":    csvB,
			},
			want: []string{
				"DIR/a.csv:2: to: code 9903 is not in register reg-b",
				"DIR/a.csv:3: to: 0102 Two has no code in reg-b",
				"DIR/b.csv:3: from: 9902 maps to 0102, but 0102 in reg-a does not map back",
			},
		},
		{
			name: "register header and file",
			files: map[string]string{
				"reg.yaml": registersYAML + `  - id: reg-c
    title: C
    unit: fylker
    file: ../c.csv
    valid_from: 2024
    valid_to: 2020
    count: 1
    code_column: code
    name_column: name
    source: {ref: r}
`,
				"a.csv": "kode,name,to\n0101,One,9901\n",
				"b.csv": csvB,
			},
			want: []string{
				`DIR/reg.yaml:8: code_column: column "code" is not in the header of DIR/a.csv`,
				`DIR/reg.yaml:25: file: "../c.csv" must be a path inside the pack directory`,
				"DIR/reg.yaml:27: valid_to: 2020 is before valid_from 2024",
			},
		},
		{
			name: "register file and fields",
			files: map[string]string{
				"reg.yaml": `registers:
  - id: reg-c
    title: C
    unit: land
    file: c.csv
    valid_from: 2024
    count: 1
    code_column: code
    name_column: name
    population_column: pop
    source: {ref: r}
  - id: reg-d
    title: D
    unit: fylker
    file: missing.csv
    valid_from: 2024
    count: 1
    code_column: code
    name_column: name
    source: {ref: r}
`,
				"c.csv": "code,name,pop\n0101,One,many\n0102,Two\n",
			},
			want: []string{
				`DIR/c.csv:2: pop: "many" is not a positive integer`,
				"DIR/c.csv:3: wrong number of fields",
				`DIR/reg.yaml:4: unit: "land" is not one of kommuner, fylker`,
				`DIR/reg.yaml:15: file: cannot open DIR/missing.csv: no such file or directory`,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files := map[string]string{"base.yaml": baseYAML}
			maps.Copy(files, tt.files)
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

func TestLoad_directories(t *testing.T) {
	t.Run("missing directory", func(t *testing.T) {
		_, err := Load(t.TempDir() + "/nope")
		if k := fault.KindOf(err); k != fault.NotFound {
			t.Errorf("Load(missing) kind = %v, want not found (%v)", k, err)
		}
	})
	t.Run("no yaml files", func(t *testing.T) {
		dir := writeDir(t, map[string]string{"README.md": "x"})
		_, err := Load(dir)
		got := problemsOf(t, err, dir)
		want := []string{"DIR: no .yaml files in the pack directory"}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("Load(empty) problems mismatch (-want +got):\n%s", diff)
		}
	})
	t.Run("no directory given", func(t *testing.T) {
		_, err := Load()
		if k := fault.KindOf(err); k != fault.Invalid {
			t.Errorf("Load() kind = %v, want invalid", k)
		}
	})
}

// TestLoad_allProblemsSorted shows that problems from several files come
// back together, ordered by file and line, not in the order found.
func TestLoad_allProblemsSorted(t *testing.T) {
	dir := writeDir(t, map[string]string{
		"base.yaml": baseYAML,
		"b.yaml":    "references:\n  - {id: r2}\n  - {id: r3, title: R, colour: red}\n",
		"a.yaml":    "documents:\n  - {id: d2, kind: k, as_written: D, source: {ref: r}, themes: [zz]}\nbogus: 1\n",
	})
	_, err := Load(dir)
	got := problemsOf(t, err, dir)
	want := []string{
		`DIR/a.yaml:2: themes[0]: unknown theme "zz"`,
		"DIR/a.yaml:3: bogus: unknown section",
		"DIR/b.yaml:2: title: missing required field",
		"DIR/b.yaml:3: colour: unknown field",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Load problems mismatch (-want +got):\n%s", diff)
	}
	if got, want := strings.ReplaceAll(err.Error(), filepath.Base(dir)+"/", "DIR/"), strings.Join(want, "\n"); got != want {
		t.Errorf("err.Error() = %q, want %q", got, want)
	}
}

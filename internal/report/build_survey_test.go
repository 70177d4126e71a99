package report

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/net/html"

	"github.com/grunnlag/grunnlag/internal/analysis"
	"github.com/grunnlag/grunnlag/internal/audit"
	"github.com/grunnlag/grunnlag/internal/catalog"
	"github.com/grunnlag/grunnlag/internal/org"
	"github.com/grunnlag/grunnlag/internal/store"
	"github.com/grunnlag/grunnlag/internal/store/sqlstore"
	"github.com/grunnlag/grunnlag/internal/store/sqlstore/pgtest"
	"github.com/grunnlag/grunnlag/internal/survey"
	"github.com/grunnlag/grunnlag/internal/usertext"
)

// The self-assessment's section, built from a real store (a SQLite file,
// and PostgreSQL when GRUNNLAG_TEST_POSTGRES names a server) holding the
// shipped pack's municipalities and a constructed round: constructed
// answers of thirteen municipalities of Rogaland — six of 20 000
// inhabitants or more, five of 5 000–19 999 and two under 5 000, too few
// to be shown.

// surveyNow is a day while the constructed round is open.
var surveyNow = time.Date(2027, 3, 10, 10, 0, 0, 0, time.UTC)

const constructedRound = "konstruert-2027"

// surveyEngines are the stores the section is tested on.
var surveyEngines = []struct {
	name string
	dsn  func(t *testing.T) string
}{
	{"SQLite", func(t *testing.T) string { return filepath.Join(t.TempDir(), "grunnlag.db") }},
	{"PostgreSQL", func(t *testing.T) string { return pgtest.FreshDSN(t) }},
}

type surveyFixture struct {
	st    *sqlstore.DB
	svc   *survey.Service
	pack  *catalog.Pack
	round *survey.Round
	// byClass are the municipalities that answered, by size class.
	byClass map[string][]store.Organisation
}

// newSurveyFixture opens the store, stores the registers' organisations
// and opens the constructed round, in which thirteen municipalities of
// Rogaland answer every measure (constructed answers) and submit.
func newSurveyFixture(t *testing.T, dsn string) *surveyFixture {
	t.Helper()
	ctx := context.Background()
	st, err := sqlstore.Open(ctx, dsn, sqlstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	pack := shippedPack(t)
	if _, _, err := org.Sync(ctx, st, pack, surveyNow); err != nil {
		t.Fatal(err)
	}
	clock := func() time.Time { return surveyNow }
	svc, err := survey.New(survey.Config{Store: st, Accounts: st, Audit: audit.New(st, clock), Pack: pack, Now: clock})
	if err != nil {
		t.Fatal(err)
	}
	f := &surveyFixture{st: st, svc: svc, pack: pack, byClass: map[string][]store.Organisation{}}
	set := survey.DefaultSettings(pack)
	if _, err := svc.CreateRound(ctx, audit.CLI, survey.RoundSpec{ID: constructedRound, Name: "Konstruert runde 2027",
		OpensOn: "2027-03-01", ClosesOn: "2027-04-30", Settings: set}); err != nil {
		t.Fatal(err)
	}
	if err := svc.SetStatus(ctx, audit.CLI, constructedRound, store.RoundOpen); err != nil {
		t.Fatal(err)
	}
	if f.round, err = svc.Round(ctx, constructedRound); err != nil {
		t.Fatal(err)
	}
	ms, err := st.Organisations(ctx, store.Municipality)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{set.SizeClasses[2].Label: 6, set.SizeClasses[1].Label: 5, set.SizeClasses[0].Label: 2}
	var chosen []store.Organisation
	for _, o := range ms {
		c := set.SizeClassOf(o.Population)
		if o.County == "11" && len(f.byClass[c]) < want[c] {
			f.byClass[c] = append(f.byClass[c], o)
			chosen = append(chosen, o)
		}
	}
	if len(chosen) != 13 {
		t.Fatalf("Rogaland gave %d municipalities of the classes wanted, want 13", len(chosen))
	}
	// Constructed answers: municipality n answers measure i with answer
	// (n + i) mod 4 of Ja, Delvis, Nei, Vet ikke; the first leaves
	// principle 4.3 unanswered, so no group holding it has a score there.
	scale := []string{"ja", "delvis", "nei", "vet ikke"}
	var b strings.Builder
	b.WriteString("org,measure,answer\n")
	for n, o := range chosen {
		for i, m := range f.round.Measures {
			if n == 0 && m.Principle == "4.3" {
				continue
			}
			fmt.Fprintf(&b, "%s,%s,%s\n", o.Code, m.Measure, scale[(n+i)%len(scale)])
		}
	}
	if _, err := svc.Import(ctx, audit.CLI, store.Operator, constructedRound, "konstruert.csv", strings.NewReader(b.String()), ""); err != nil {
		t.Fatal(err)
	}
	for _, o := range chosen {
		if err := st.Submit(ctx, store.Operator, constructedRound, o.ID, surveyNow); err != nil {
			t.Fatalf("submit %s: %v", o.Code, err)
		}
	}
	return f
}

func (f *surveyFixture) close(t *testing.T) {
	t.Helper()
	if err := f.svc.SetStatus(context.Background(), audit.CLI, constructedRound, store.RoundClosed); err != nil {
		t.Fatal(err)
	}
}

// report loads the section as grunnlag report does and builds the report
// from the same store.
func (f *surveyFixture) report(t *testing.T) (*Report, *Survey) {
	t.Helper()
	ctx := context.Background()
	var sv *Survey
	if r, ok, err := NewestClosedRound(ctx, f.svc); err != nil {
		t.Fatal(err)
	} else if ok {
		if sv, err = LoadSurvey(ctx, f.st, f.svc, r.ID); err != nil {
			t.Fatal(err)
		}
	}
	d, err := analysis.Load(ctx, f.st, f.pack, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	return Build(f.pack, analysis.Analyze(f.pack, d), Options{Survey: sv}), sv
}

// sectionNodes returns the elements of the section whose heading has the
// id: the heading and what follows it up to the next heading of its level
// or higher.
func sectionNodes(doc *html.Node, id string) []*html.Node {
	var out []*html.Node
	for _, h := range findAll(doc, func(n *html.Node) bool { return attr(n, "id") == id }) {
		level := h.Data
		out = append(out, h)
		for n := h.NextSibling; n != nil; n = n.NextSibling {
			if n.Type == html.ElementNode && len(n.Data) == 2 && n.Data[0] == 'h' && n.Data <= level {
				break
			}
			if n.Type == html.ElementNode {
				out = append(out, n)
			}
		}
	}
	return out
}

func nodesText(ns []*html.Node) string {
	var parts []string
	for _, n := range ns {
		parts = append(parts, textOf(n))
	}
	return strings.Join(parts, "\n")
}

// tableByCaption returns the table whose caption starts with prefix, as
// rows of cell texts (header first), and its data-fn.
func tableByCaption(t *testing.T, doc *html.Node, prefix string) ([][]string, string) {
	t.Helper()
	for _, tb := range findAll(doc, tag("table")) {
		c := findAll(tb, tag("caption"))
		if len(c) == 0 || !strings.HasPrefix(textOf(c[0]), prefix) {
			continue
		}
		var rows [][]string
		for _, tr := range findAll(tb, tag("tr")) {
			var row []string
			for _, cell := range findAll(tr, func(n *html.Node) bool { return n.Data == "th" || n.Data == "td" }) {
				row = append(row, textOf(cell))
			}
			rows = append(rows, row)
		}
		return rows, attr(tb, "data-fn")
	}
	t.Fatalf("no table captioned %q", prefix)
	return nil, ""
}

// spreadWords formats a group's spread as the test expects to read it,
// independently of the report's own formatting: "63 % (50–75 %)".
func spreadWords(s survey.Stat) string {
	return fmt.Sprintf("%.0f %% (%.0f–%.0f %%)", 100*s.Median, 100*s.Q1, 100*s.Q3)
}

func TestSurveySection(t *testing.T) {
	for _, e := range surveyEngines {
		t.Run(e.name, func(t *testing.T) {
			f := newSurveyFixture(t, e.dsn(t))
			ctx := context.Background()
			f.close(t)
			rep, sv := f.report(t)
			if sv == nil {
				t.Fatal("LoadSurvey of the closed round = nil")
			}
			a, err := f.svc.Aggregates(ctx, constructedRound)
			if err != nil {
				t.Fatal(err)
			}
			set := f.round.Settings
			big, medium, small := set.SizeClasses[2].Label, set.SizeClasses[1].Label, set.SizeClasses[0].Label
			groups := map[string]survey.Group{}
			for _, g := range append(a.Of(survey.GroupNational), a.Of(survey.GroupSizeClass)...) {
				groups[g.Label] = g
			}
			// The constructed round must give both cases: the largest class
			// shown, the smallest hidden for having too few.
			if g := groups[big]; g.Suppressed || g.N != 6 {
				t.Fatalf("the class %q: suppressed %v, n %d; the constructed data should publish it with 6", big, g.Suppressed, g.N)
			}
			if g := groups[small]; !g.Suppressed || g.N != 2 || !strings.Contains(g.Reason, "færre enn 5") {
				t.Fatalf("the class %q: suppressed %v, n %d, reason %q; the constructed data should hide it for too few", small, g.Suppressed, g.N, g.Reason)
			}

			out := render(t, rep)
			if problems := checkFootnotes(out.html); len(problems) > 0 {
				t.Errorf("numbers without footnotes:\n%s", strings.Join(problems, "\n"))
			}
			doc := parseHTML(t, out.html)
			section := sectionNodes(doc, "kartlegging")
			text := nodesText(section)

			t.Run("response rate", func(t *testing.T) {
				// Asked: every municipality of the register valid in the
				// round's year, counted from the pack, not the store.
				reg, ok := f.pack.RegisterFor(catalog.RegisterMunicipalities, 2027)
				if !ok {
					t.Fatal("no register of municipalities for 2027")
				}
				asked := map[string]int{}
				for _, ar := range reg.Areas {
					asked[set.SizeClassOf(ar.Population)]++
				}
				rate := func(n, of int) string {
					return strings.Replace(fmt.Sprintf("%.1f %%", 100*float64(n)/float64(of)), ".", ",", 1)
				}
				want := fmt.Sprintf("13 av %d kommuner sendte inn svarene sine, en svarprosent på %s.", len(reg.Areas), rate(13, len(reg.Areas)))
				if !strings.Contains(text, want) {
					t.Errorf("the section lacks %q:\n%s", want, text)
				}
				rows, _ := tableByCaption(t, doc, "Kommuner som sendte inn svar")
				wantRows := [][]string{{"Kommunestørrelse", "Kommuner", "Sendte inn", "Svarprosent"}}
				for _, c := range set.SizeClasses {
					n := len(f.byClass[c.Label])
					wantRows = append(wantRows, []string{c.Label, fmt.Sprint(asked[c.Label]), fmt.Sprint(n), rate(n, asked[c.Label])})
				}
				wantRows = append(wantRows, []string{"Hele landet", fmt.Sprint(len(reg.Areas)), "13", rate(13, len(reg.Areas))})
				if diff := cmp.Diff(wantRows, rows); diff != "" {
					t.Errorf("response table (-want +got):\n%s", diff)
				}
			})

			t.Run("scores match the aggregates", func(t *testing.T) {
				rows, _ := tableByCaption(t, doc, "Kommunenes poengsum")
				var cols []survey.Group
				for _, label := range []string{small, medium, big, "Hele landet"} {
					cols = append(cols, groups[label])
				}
				head := []string{"Kategori og prinsipp"}
				for _, g := range cols {
					head = append(head, g.Label)
				}
				want := [][]string{head}
				keys := []string{""}
				labels := []string{"Alle tiltak"}
				for _, c := range f.round.Categories {
					keys, labels = append(keys, c.ID), append(labels, c.ID+" "+c.Title)
					for _, p := range c.Principles {
						keys, labels = append(keys, p.ID), append(labels, p.ID+" "+p.Title)
					}
				}
				dashes := 0
				for i, key := range keys {
					row := []string{labels[i]}
					for _, g := range cols {
						s, ok := g.Scores[key]
						switch {
						case g.Suppressed:
							row = append(row, "skjult")
						case !ok:
							row = append(row, "–")
							dashes++
						default:
							row = append(row, spreadWords(s))
						}
					}
					want = append(want, row)
				}
				if diff := cmp.Diff(want, rows); diff != "" {
					t.Errorf("score table (-want +got):\n%s", diff)
				}
				// The first municipality (of the largest class) left 4.3
				// unanswered: «–» there, and the note that says why.
				if dashes == 0 || !strings.Contains(text, "«–»: minst én kommune i gruppen har ingen svar som teller der") {
					t.Errorf("%d cells without a score, and the note on them missing or present: %q", dashes, text)
				}
				for label, g := range groups {
					if g.Suppressed {
						line := "«" + label + "»: " + strings.ToUpper(g.Reason[:1]) + g.Reason[1:] + "."
						if !strings.Contains(text, line) {
							t.Errorf("the section lacks the suppressed group's line %q", line)
						}
					}
				}
			})

			t.Run("a suppressed group shows no figure", func(t *testing.T) {
				rows, _ := tableByCaption(t, doc, "Kommunenes poengsum")
				for i, h := range rows[0] {
					if g, ok := groups[h]; ok && g.Suppressed {
						for _, row := range rows[1:] {
							if row[i] != "skjult" {
								t.Errorf("suppressed %q shows %q in row %q", h, row[i], row[0])
							}
						}
					}
				}
				// Nor anywhere else: no figure of the hidden group's scores
				// is in the JSON either.
				var d Data
				if err := json.Unmarshal(out.json, &d); err != nil {
					t.Fatal(err)
				}
				for _, g := range d.Survey.Groups {
					if g.Suppressed && (g.Total != nil || len(g.Principles)+len(g.Categories) > 0) {
						t.Errorf("rapport.json gives figures of the suppressed group %q", g.Label)
					}
				}
			})

			t.Run("footnoted to the round", func(t *testing.T) {
				_, fn := tableByCaption(t, doc, "Kommunenes poengsum")
				note := footnote(doc, fn)
				for _, want := range []string{
					"Egenvurderingen «Konstruert runde 2027» (2027) etter NSMs grunnprinsipper for IKT-sikkerhet",
					"åpen fra 1. mars 2027 med svarfrist 30. april 2027, og ble avsluttet 10. mars 2027",
					"Den spurte de 357 kommunene i registeret «Kommuner fra 1. januar 2024 (357)»; 13 av dem sendte inn svarene sine",
					"Ja 1, Delvis 0,5, Nei 0 og Vet ikke 0; Ikke relevant og ubesvarte tiltak teller ikke",
					"minst 5 kommuner",
				} {
					if !strings.Contains(note, want) {
						t.Errorf("the round's footnote lacks %q:\n%s", want, note)
					}
				}
				// User text: no internal id, path, field name or raw time.
				for _, s := range []string{text, note} {
					if strings.Contains(s, constructedRound) {
						t.Errorf("the round's id %q is in the text: %s", constructedRound, s)
					}
					if p := usertext.Problems(s); len(p) > 0 {
						t.Errorf("user text problems: %v", p)
					}
					prose := urlRE.ReplaceAllString(s, "ADRESSE")
					for quotedRE.MatchString(prose) {
						prose = quotedRE.ReplaceAllString(prose, "SITAT")
					}
					for _, fb := range forbidden {
						if m := fb.re.FindString(prose); m != "" {
							t.Errorf("%s in the section: %q", fb.what, m)
						}
					}
				}
			})

			t.Run("beside the SSB indicators", func(t *testing.T) {
				beside := nodesText(sectionNodes(doc, "kartlegging-ssb"))
				// The penetration testing indicator links principle 3.4
				// directly; its own block names the indicator, and the
				// need «Penetrasjonstester», which links 3.4 to a theme,
				// is not used for it.
				p34, _ := f.round.Principle("3.4")
				pen, _ := f.pack.Indicator("penetrasjonstesting-mangler")
				block := p34.Title
				want := "Egenvurderingen, prinsipp 3.4 «" + p34.Title + "»: " + spreadWords(groups["Hele landet"].Scores["3.4"]) +
					" i hele landet (indikatoren over er knyttet direkte til prinsippet)."
				at, i := strings.Index(beside, block), strings.Index(beside, want)
				if at < 0 || i < at || !strings.Contains(beside[at:i], "Indikator «"+pen.Title+"»") {
					t.Errorf("the comparison lacks the block of 3.4 with %q and then %q:\n%s", pen.Title, want, beside)
				}
				if strings.Contains(beside, "«Penetrasjonstester»") {
					t.Errorf("3.4 is still linked through the need:\n%s", beside)
				}
				// No indicator links 2.1, which a need links to a theme:
				// it stands under the theme, through the need.
				p21, _ := f.round.Principle("2.1")
				if !strings.Contains(beside, "prinsipp 2.1 «"+p21.Title+"»") || !strings.Contains(beside, "knyttet gjennom behov") {
					t.Errorf("the comparison lacks a direct block or a principle linked through a need:\n%s", beside)
				}
				if !strings.Contains(beside, "direkte til SSB-indikatorer") || !strings.Contains(beside, "De andre prinsippene knytter den bare gjennom sektordialogen") {
					t.Errorf("the introduction does not explain both links:\n%s", beside)
				}
			})

			t.Run("every format carries it", func(t *testing.T) {
				md := string(out.md)
				for _, want := range []string{"## " + headSurvey, "**Kommunenes poengsum: median, med kvartilene i parentes**",
					"| Alle tiltak | skjult |"} {
					if !strings.Contains(md, want) {
						t.Errorf("the Markdown lacks %q", want)
					}
				}
				var d Data
				if err := json.Unmarshal(out.json, &d); err != nil {
					t.Fatal(err)
				}
				if d.Survey == nil {
					t.Fatal("rapport.json has no survey")
				}
				if d.Survey.Round.ID != constructedRound || d.Survey.Answered != 13 || d.Survey.Asked != 357 || d.Survey.K != a.K {
					t.Errorf("rapport.json survey: round %q, %d of %d answered, k %d", d.Survey.Round.ID, d.Survey.Answered, d.Survey.Asked, d.Survey.K)
				}
				for _, g := range d.Survey.Groups {
					want, ok := groups[g.Label]
					if !ok {
						t.Errorf("rapport.json has a group %q the aggregates lack", g.Label)
						continue
					}
					if g.N != want.N || g.Suppressed != want.Suppressed {
						t.Errorf("rapport.json group %q: n %d suppressed %v; the aggregates say %d, %v", g.Label, g.N, g.Suppressed, want.N, want.Suppressed)
					}
					for key, s := range g.Principles {
						if w := want.Scores[key]; s.Median != w.Median || s.Q1 != w.Q1 || s.Q3 != w.Q3 || s.N != w.N {
							t.Errorf("rapport.json %q principle %s = %+v, aggregates %+v", g.Label, key, s, w)
						}
					}
				}
			})
		})
	}
}

// TestSurveySection_openRound: while the round is open no group has
// figures, so the report has no section, not an empty one.
func TestSurveySection_openRound(t *testing.T) {
	for _, e := range surveyEngines {
		t.Run(e.name, func(t *testing.T) {
			f := newSurveyFixture(t, e.dsn(t))
			rep, sv := f.report(t)
			if sv != nil {
				t.Fatalf("the open round gave the report a survey: %+v", sv)
			}
			if got, err := LoadSurvey(context.Background(), f.st, f.svc, constructedRound); err != nil || got != nil {
				t.Errorf("LoadSurvey(open round) = %v, %v; want nil, nil", got, err)
			}
			out := render(t, rep)
			for _, s := range []string{`id="kartlegging"`, headSurvey, "Kommunenes poengsum"} {
				if strings.Contains(string(out.html), s) || strings.Contains(string(out.md), s) {
					t.Errorf("the report of an open round has %q", s)
				}
			}
			if strings.Contains(string(out.json), `"survey"`) {
				t.Error("rapport.json of an open round has a survey")
			}
		})
	}
}

func TestNewestClosed(t *testing.T) {
	at := func(day int) time.Time { return time.Date(2027, 5, day, 12, 0, 0, 0, time.UTC) }
	rounds := []store.Round{
		{ID: "a", Status: store.RoundClosed, ClosesOn: "2026-04-30", ClosedAt: at(20)},
		{ID: "b", Status: store.RoundClosed, ClosesOn: "2027-04-30", ClosedAt: at(2)},
		{ID: "c", Status: store.RoundClosed, ClosesOn: "2027-04-30", ClosedAt: at(1)},
		{ID: "d", Status: store.RoundOpen, ClosesOn: "2028-04-30"},
		{ID: "e", Status: store.RoundDraft, ClosesOn: "2029-04-30"},
	}
	tests := []struct {
		name   string
		rounds []store.Round
		want   string // "" for none
	}{
		{"the latest period, then the latest closing", rounds, "b"},
		{"open and draft rounds do not count", rounds[3:], ""},
		{"none", nil, ""},
		{"an earlier period closed later is older", []store.Round{rounds[0], rounds[2]}, "c"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := NewestClosed(tt.rounds)
			if !ok {
				got.ID = ""
			}
			if got.ID != tt.want || ok != (tt.want != "") {
				t.Errorf("NewestClosed = %q, %v; want %q", got.ID, ok, tt.want)
			}
		})
	}
}

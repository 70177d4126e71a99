package report

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/grunnlag/grunnlag/internal/analysis"
	"github.com/grunnlag/grunnlag/internal/catalog"
	"github.com/grunnlag/grunnlag/internal/survey"
)

// The section of the self-assessment: the newest closed round's response
// rate, the spread of the municipalities' scores per category and
// principle by size class, and the principles beside the SSB indicators
// the pack links to them, directly or through the needs and themes of the
// sector dialogue. Every score is one survey.Aggregates published; a group
// it suppressed is shown as suppressed, with its reason, never with a
// figure. Every score cites the round's footnote.

const headSurvey = "Egenvurderingen etter NSMs grunnprinsipper"

func (b *builder) survey(sv *Survey) []*section {
	a := sv.Aggregates
	r := a.Round
	f := figuresOf(sv)
	fn := b.roundNote(sv, f)
	top := &section{ID: "kartlegging", Level: 2, Heading: headSurvey, Blocks: []block{
		para{Inlines: []inline{sourced(fn,
			txt("Kommunene vurderer selv hvor langt de har kommet med tiltakene i NSMs grunnprinsipper for IKT-sikkerhet. "+
				"Tallene her er fra den nyeste avsluttede runden, «"+r.Name+"», som ble avsluttet "),
			when(analysis.Date(r.ClosedAt), osloDay(r.ClosedAt)), txt("."))}},
	}}
	return []*section{top, b.surveyResponse(f, fn), b.surveyScores(a, f, fn), b.surveyBeside(a, f, fn)}
}

// roundNote is the footnote of every figure of the section: which round,
// when it ran and closed, how many municipalities it asked and how many
// answered, how a score is computed and when a group is shown.
func (b *builder) roundNote(sv *Survey, f surveyFigures) int {
	r := sv.Aggregates.Round
	var s []string
	s = append(s, fmt.Sprintf("Egenvurderingen «%s» (%d) etter %s.", r.Name, r.Year, strings.TrimSuffix(r.Framework, ".")))
	s = append(s, fmt.Sprintf("Runden var åpen fra %s med svarfrist %s, og ble avsluttet %s.",
		analysis.SourceDate(r.OpensOn), analysis.SourceDate(r.ClosesOn), analysis.Date(r.ClosedAt)))
	s = append(s, fmt.Sprintf("Den spurte %s; %d av dem sendte inn svarene sine før runden ble avsluttet.", b.askedWords(sv, f.asked), f.answered))
	s = append(s, "Tallene er regnet fra svarene kommunene sendte inn; kommentarer og annen fritekst er aldri med.")
	s = append(s, scoreRule(r.Settings))
	if r.Settings.SizeClassesFrom != "" {
		s = append(s, "Kommunestørrelsen følger folketallet i registeret, med klassene fra "+strings.TrimSuffix(r.Settings.SizeClassesFrom, ".")+".")
	}
	s = append(s, disclosureRule(sv.Aggregates.K))
	return b.fn.add("runde:"+r.ID, strings.Join(s, " "))
}

// askedWords names the municipalities a round asked: "de 357 kommunene i
// registeret «Kommuner fra 1. januar 2024 (357)»".
func (b *builder) askedWords(sv *Survey, n int) string {
	var titles []string
	for _, id := range sv.Registers {
		reg, ok := b.pack.Register(id)
		if !ok {
			// Not a register of this pack: the organisations are named
			// without their source rather than by an internal id.
			return fmt.Sprintf("de %d kommunene grunnlag hadde lagret", n)
		}
		titles = append(titles, "«"+reg.Title+"»")
	}
	switch len(titles) {
	case 0:
		return fmt.Sprintf("de %d kommunene grunnlag hadde lagret", n)
	case 1:
		return fmt.Sprintf("de %d kommunene i registeret %s", n, titles[0])
	}
	return fmt.Sprintf("de %d kommunene i registrene %s", n, strings.Join(titles, " og "))
}

// scoreRule says how a score is computed, from the round's own weights.
func scoreRule(s survey.Settings) string {
	var counted, not []string
	for _, ans := range s.Scale {
		if w, ok := s.Weights[ans]; ok {
			counted = append(counted, survey.AnswerLabel(ans)+" "+decimal(w))
		} else {
			not = append(not, survey.AnswerLabel(ans))
		}
	}
	not = append(not, "ubesvarte tiltak")
	return "Poengsummen til en kommune for et prinsipp er gjennomsnittet av svarene på tiltakene der (" + joinAnd(counted) +
		"; " + joinAnd(not) + " teller ikke), for en kategori og for alle tiltak likeså. " +
		"En gruppe vises med medianen av kommunenes poengsum og kvartilene: den midterste halvdelen av kommunene ligger mellom dem."
}

// disclosureRule says when a group is shown.
func disclosureRule(k int) string {
	return fmt.Sprintf("En gruppe vises bare når den hviler på minst %d kommuner, og bare når den sammen med rundens andre grupper "+
		"(hele landet, kommunestørrelse, fylke og IT-leverandør) ikke kan avsløre svarene til færre enn %d kommuner; ellers er den skjult.", k, k)
}

// osloDay is the Norwegian day of t, for a <time> element: 2027-03-10.
func osloDay(t time.Time) string {
	loc, err := time.LoadLocation("Europe/Oslo")
	if err != nil {
		loc = time.UTC
	}
	return t.In(loc).Format("2006-01-02")
}

// decimal writes a weight as bokmål writes numbers: 0,5.
func decimal(v float64) string {
	return strings.Replace(strconv.FormatFloat(v, 'f', -1, 64), ".", ",", 1)
}

// joinAnd joins words as a list in bokmål: "a, b og c".
func joinAnd(words []string) string {
	if len(words) < 2 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " og " + words[len(words)-1]
}

// percentWhole is a score as a whole per cent: "63 %".
func percentWhole(v float64) string { return analysis.Number(100*v, 0) + "\u00a0%" }

// statText is a group's spread: "63 % (50–75 %)".
func statText(s survey.Stat) string {
	return percentWhole(s.Median) + " (" + analysis.Number(100*s.Q1, 0) + "–" + percentWhole(s.Q3) + ")"
}

func (b *builder) surveyResponse(f surveyFigures, fn int) *section {
	sec := &section{ID: "kartlegging-svar", Level: 3, Heading: "Svar"}
	in := []inline{num(strconv.Itoa(f.answered), strconv.Itoa(f.answered)), txt(" av "), num(strconv.Itoa(f.asked), strconv.Itoa(f.asked)), txt(" kommuner sendte inn svarene sine")}
	if rate, ok := responseRate(f.answered, f.asked); ok {
		in = append(in, txt(", en svarprosent på "), num(analysis.Percent(rate), exact(rate)))
	}
	sec.Blocks = append(sec.Blocks, para{Inlines: []inline{sourced(fn, append(in, txt("."))...)}})
	var rows [][]string
	row := func(label string, asked, answered int) []string {
		rate := "–"
		if v, ok := responseRate(answered, asked); ok {
			rate = analysis.Percent(v)
		}
		return []string{label, strconv.Itoa(asked), strconv.Itoa(answered), rate}
	}
	for _, c := range f.classes {
		rows = append(rows, row(c.label, c.asked, c.answered))
	}
	rows = append(rows, row("Hele landet", f.asked, f.answered))
	sec.Blocks = append(sec.Blocks, table{
		Caption:  []inline{txt("Kommuner som sendte inn svar, etter kommunestørrelse")},
		Fn:       []int{fn},
		Head:     [][]string{{"Kommunestørrelse", "Kommuner", "Sendte inn", "Svarprosent"}},
		Rows:     rows,
		RowHeads: 1,
	})
	return sec
}

// scoreColumns are the groups of the score table: each size class that
// has a group, then the country.
func scoreColumns(f surveyFigures) []survey.Group {
	var cols []survey.Group
	for _, c := range f.classes {
		if c.group != nil {
			cols = append(cols, *c.group)
		}
	}
	return append(cols, f.national)
}

// scoreCell is a group's figure for a key: its spread, «skjult» when the
// group is suppressed, «–» when not every member has a score there.
func scoreCell(g survey.Group, key string) (string, bool) {
	if g.Suppressed {
		return "skjult", true
	}
	if s, ok := g.Scores[key]; ok {
		return statText(s), true
	}
	return "–", false
}

func (b *builder) surveyScores(a *survey.Aggregates, f surveyFigures, fn int) *section {
	sec := &section{ID: "kartlegging-poengsum", Level: 3, Heading: "Poengsum etter kategori, prinsipp og kommunestørrelse"}
	sec.Blocks = append(sec.Blocks,
		para{Inlines: []inline{sourced(fn, txt(scoreRule(a.Round.Settings)))}},
		para{Inlines: []inline{sourced(fn, txt(disclosureRule(a.K)+" En skjult gruppe står som «skjult» i tabellen, med grunnen under."))}},
	)
	cols := scoreColumns(f)
	head := []string{"Kategori og prinsipp"}
	for _, g := range cols {
		head = append(head, g.Label)
	}
	var rows [][]string
	partial := false
	for _, sr := range principleKeys(a.Round) {
		label := sr.label
		if sr.category {
			label = strings.ToUpper(label[:1]) + label[1:]
		}
		row := []string{label}
		for _, g := range cols {
			cell, ok := scoreCell(g, sr.key)
			partial = partial || !ok
			row = append(row, cell)
		}
		rows = append(rows, row)
	}
	sec.Blocks = append(sec.Blocks, table{
		Caption:  []inline{txt("Kommunenes poengsum: median, med kvartilene i parentes")},
		Fn:       []int{fn},
		Head:     [][]string{head},
		Rows:     rows,
		RowHeads: 1,
	})
	var hidden [][]inline
	for _, g := range cols {
		if g.Suppressed {
			hidden = append(hidden, []inline{sourced(fn, txt("«"+g.Label+"»: "+sentenceOf(g.Reason)))})
		}
	}
	if len(hidden) > 0 {
		sec.Blocks = append(sec.Blocks, para{Inlines: []inline{txt("Skjulte grupper:")}}, list{Items: hidden})
	}
	if partial {
		sec.Blocks = append(sec.Blocks, para{Class: "merknad", Inlines: []inline{txt(
			"«–»: minst én kommune i gruppen har ingen svar som teller der (bare Ikke relevant eller ubesvart), " +
				"og en poengsum over bare en del av gruppen vises ikke.")}})
	}
	return sec
}

// sentenceOf makes a reason a sentence: capital first letter, full stop.
func sentenceOf(s string) string {
	s = strings.TrimSuffix(strings.TrimSpace(s), ".")
	if s == "" {
		return "skjult."
	}
	return capital(s) + "."
}

// surveyBeside sets the principles beside the SSB indicators. A principle
// the pack links indicators to directly (an indicator's principles: the
// editor's judgment that the table counts measures under it) stands with
// those indicators. The others are shown through the sector dialogue: the
// pack links each need to the themes it bears on and to the principles it
// concerns (also the editor's judgment), so such a principle is shown under
// a theme when a need links it to that theme, with the need named.
func (b *builder) surveyBeside(a *survey.Aggregates, f surveyFigures, fn int) *section {
	sec := &section{ID: "kartlegging-ssb", Level: 3, Heading: "Ved siden av SSB-indikatorene"}
	var blocks []block
	direct := map[string]bool{}
	for _, dp := range b.directPrinciples(a.Round) {
		var items [][]inline
		fns := []int{fn}
		for _, ind := range dp.indicators {
			items = append(items, b.besideIndicator(ind))
			fns = append(fns, b.principleLinkNote(ind))
		}
		what := "indikatoren over er knyttet"
		if len(dp.indicators) > 1 {
			what = "indikatorene over er knyttet"
		}
		items = append(items, b.besidePrinciple(f.national, dp.p, " ("+what+" direkte til prinsippet).", fns))
		blocks = append(blocks, para{Inlines: []inline{strong(dp.p.Title)}}, list{Items: items})
		direct[dp.p.ID] = true
	}
	viaNeeds := false
	for _, t := range b.res.Themes {
		principles := slices.DeleteFunc(b.principlesOfTheme(a.Round, t.Theme.ID), func(lp linkedPrinciple) bool { return direct[lp.p.ID] })
		if len(principles) == 0 {
			continue
		}
		var items [][]inline
		for _, ind := range b.res.Indicators {
			if slices.ContainsFunc(ind.Def.Evidence, func(e catalog.IndicatorEvidence) bool { return e.Theme == t.Theme.ID }) {
				items = append(items, b.besideIndicator(ind))
			}
		}
		for _, lp := range principles {
			items = append(items, b.besideNeedPrinciple(f.national, lp, fn))
		}
		blocks = append(blocks, para{Inlines: []inline{strong(t.Theme.Title)}}, list{Items: items})
		viaNeeds = true
	}
	var intro []string
	if len(direct) > 0 {
		intro = append(intro, "Kunnskapspakken knytter noen av prinsippene direkte til SSB-indikatorer som måler tiltak under dem (redaktørens vurdering). "+
			"Her står først, prinsipp for prinsipp, disse indikatorene og poengsummen for hele landet.")
	}
	switch {
	case viaNeeds && len(direct) > 0:
		intro = append(intro, "De andre prinsippene knytter den bare gjennom sektordialogen: hvert behov derfra er knyttet til temaene i analysen og, "+
			"der ett passer, til prinsippene behovet gjelder (også redaktørens vurdering). "+
			"Etter dem står derfor, tema for tema, SSB-indikatorene under temaet og de andre prinsippene som behovene under temaet er knyttet til, "+
			"med poengsummen for hele landet.")
	case viaNeeds:
		intro = append(intro, "Kunnskapspakken knytter ikke prinsippene i denne runden direkte til SSBs indikatorer. Den knytter hvert behov fra sektordialogen "+
			"til temaene i analysen og, der ett passer, til prinsippene behovet gjelder (redaktørens vurdering). "+
			"Her står derfor, tema for tema, SSB-indikatorene under temaet og prinsippene som behovene under temaet er knyttet til, "+
			"med poengsummen for hele landet.")
	}
	if len(intro) > 0 {
		sec.Blocks = append(sec.Blocks, para{Inlines: []inline{txt(strings.Join(intro, " "))}})
	}
	sec.Blocks = append(sec.Blocks, blocks...)
	if len(blocks) == 0 {
		sec.Blocks = append(sec.Blocks, para{Class: "mangler", Inlines: []inline{txt(
			"Ingen SSB-indikator og ingen av behovene i kunnskapspakken er knyttet til et prinsipp denne runden spurte om.")}})
	}
	return sec
}

// directPrinciple is a principle of a round and the indicators the pack
// links to it directly.
type directPrinciple struct {
	p          survey.Principle
	indicators []*analysis.Indicator
}

// directPrinciples returns the round's principles that indicators link
// to directly, in the round's order, each with its indicators in the
// analysis' order.
func (b *builder) directPrinciples(r *survey.Round) []directPrinciple {
	var out []directPrinciple
	for _, c := range r.Categories {
		for _, p := range c.Principles {
			dp := directPrinciple{p: p}
			for _, ind := range b.res.Indicators {
				if slices.Contains(ind.Def.Principles, p.ID) {
					dp.indicators = append(dp.indicators, ind)
				}
			}
			if len(dp.indicators) > 0 {
				out = append(out, dp)
			}
		}
	}
	return out
}

// principleLinkNote is the footnote that says why an indicator is linked
// to its principles: the editor's reason, as the pack states it.
func (b *builder) principleLinkNote(ind *analysis.Indicator) int {
	return b.fn.add("prinsippkobling:"+ind.Def.Ref().String(), fmt.Sprintf("Kunnskapspakken knytter indikatoren «%s» til prinsipp %s. %s (%s)",
		ind.Def.Title, joinAnd(ind.Def.Principles), sentenceOf(ind.Def.PrinciplesNotes), analysis.PackRef(ind.Def.Origin)))
}

// linkedPrinciple is a principle of a round and the needs that link it to
// a theme.
type linkedPrinciple struct {
	p     survey.Principle
	needs []*catalog.Need
}

// principlesOfTheme returns the round's principles the pack's needs link
// to a theme, in the round's order.
func (b *builder) principlesOfTheme(r *survey.Round, theme string) []linkedPrinciple {
	var out []linkedPrinciple
	for _, c := range r.Categories {
		for _, p := range c.Principles {
			lp := linkedPrinciple{p: p}
			for _, n := range b.pack.Needs {
				onTheme := slices.ContainsFunc(n.Evidence, func(e catalog.Evidence) bool { return e.Theme == theme })
				if onTheme && slices.Contains(n.Principles, p.ID) {
					lp.needs = append(lp.needs, n)
				}
			}
			if len(lp.needs) > 0 {
				out = append(out, lp)
			}
		}
	}
	return out
}

// besideIndicator is an indicator's newest figure, with the footnote the
// report gives it where it stands in full.
func (b *builder) besideIndicator(ind *analysis.Indicator) []inline {
	lead := "Indikator «" + ind.Def.Title + "»: "
	h := ind.Headline
	if ind.Status != analysis.OK || h == nil {
		return []inline{sourced(b.definitionNote(ind), txt(lead+"statistikk mangler."))}
	}
	in := []inline{sourced(b.pointNote(ind, h), txt(lead), num(analysis.Percent(h.Share), exact(h.Share)), txt(" ("), when(h.Year, h.YearCode), txt(")."))}
	if p := h.Published; p != nil {
		in = append(in, txt(" "), em("("+analysis.PublishedNote(p)+")"))
	}
	return in
}

// besideNeedPrinciple is a principle's score in the whole country, with
// the needs that link it to the theme it stands under.
func (b *builder) besideNeedPrinciple(national survey.Group, lp linkedPrinciple, fn int) []inline {
	fns := []int{fn}
	var needs []string
	for _, n := range lp.needs {
		fns = append(fns, b.needNote(n))
		needs = append(needs, "«"+n.Title+"»")
	}
	what := "behovet "
	if len(needs) > 1 {
		what = "behovene "
	}
	return b.besidePrinciple(national, lp.p, " (knyttet gjennom "+what+joinAnd(needs)+").", fns)
}

// besidePrinciple is a principle's score in the whole country, followed by
// how it is linked (link, a parenthesis and full stop) and cited to fns.
func (b *builder) besidePrinciple(national survey.Group, p survey.Principle, link string, fns []int) []inline {
	lead := "Egenvurderingen, prinsipp " + strings.TrimSpace(p.ID+" «"+p.Title+"»") + ": "
	switch s, ok := national.Scores[p.ID]; {
	case national.Suppressed:
		return []inline{sourcedAll(fns, txt(lead+"skjult for hele landet: "+strings.TrimSuffix(national.Reason, ".")+link))}
	case !ok:
		return []inline{sourcedAll(fns, txt(lead+"ingen poengsum for hele landet, fordi minst én kommune ikke har svar som teller her"+link))}
	default:
		return []inline{sourcedAll(fns, txt(lead), num(statText(s), exact(s.Median)), txt(" i hele landet"+link))}
	}
}

package report

import (
	"fmt"
	"slices"
	"strings"

	"github.com/grunnlag/grunnlag/internal/analysis"
	"github.com/grunnlag/grunnlag/internal/catalog"
)

func (b *builder) analysis() []*section {
	top := &section{ID: "analyse", Level: 2, Heading: headAnalysis}
	for _, c := range b.pack.Conclusions {
		if c.ID == "behov-i-stor-grad-like" {
			top.Blocks = append(top.Blocks, quote{Inlines: []inline{txt(c.Text)}, Fn: []int{b.conclusionNote(c)}})
		}
	}
	out := []*section{top}
	for _, t := range b.res.Themes {
		out = append(out, b.theme(t)...)
	}
	return out
}

func (b *builder) conclusionNote(c *catalog.Conclusion) int {
	how := "ordrett"
	if !c.Verbatim {
		how = "redaktørens formulering"
	}
	return b.fn.add(c.Ref().String(), fmt.Sprintf("%s (%s). (konklusjon %s, %s)", b.citation(c.Source), how, c.ID, origin(c)))
}

func (b *builder) statementNote(key string, th *catalog.Theme, st catalog.Statement, what string) int {
	how := "ordrett"
	if !st.Verbatim {
		how = "redaktørens formulering"
		if st.Notes != "" {
			how += ": " + strings.TrimSpace(st.Notes)
		}
	}
	return b.fn.add(key, fmt.Sprintf("%s for temaet «%s»: %s (%s). (tema %s, %s)", what, th.Title, b.citation(st.Source), how, th.ID, origin(th)))
}

// homeTheme is the theme a table's view is shown under: the first theme of
// its document in the appendix, else of the first indicator that uses it.
func (b *builder) homeTheme(t analysis.TableStatus) string {
	if t.Document != nil && len(t.Document.Themes) > 0 {
		return t.Document.Themes[0]
	}
	for _, ind := range b.pack.Indicators {
		if ind.Table == t.Table.ID && len(ind.Evidence) > 0 {
			return ind.Evidence[0].Theme
		}
	}
	return ""
}

func (b *builder) theme(t *analysis.Triangulation) []*section {
	th := t.Theme
	heading := th.Heading
	if heading == "" {
		heading = th.Title
	}
	sec := &section{ID: "tema-" + th.ID, Level: 3, Heading: heading}
	hyp := b.statementNote("hypotese:"+th.ID, th, th.Hypothesis, "Hypotesen")
	sec.Blocks = append(sec.Blocks, para{Inlines: []inline{strong("Hypotese: "), sourced(hyp, txt(strings.TrimSpace(th.Hypothesis.Text)))}})
	out := []*section{sec}

	var docs, dialog []analysis.Evidence
	for _, e := range t.Evidence {
		switch {
		case e.Indicator != nil:
		case e.Basis == catalog.FromDocument:
			docs = append(docs, e)
		default:
			dialog = append(dialog, e)
		}
	}
	if len(docs) > 0 {
		out = append(out, &section{ID: "tema-" + th.ID + "-dokumenter", Level: 4, Heading: "Funn fra dokumentene", Blocks: []block{list{Items: b.evidenceItems(docs)}}})
	}

	statSec := &section{ID: "tema-" + th.ID + "-statistikk", Level: 4, Heading: "Statistikk"}
	if len(t.Readings) > 0 {
		statSec.Blocks = append(statSec.Blocks, para{Inlines: []inline{txt("Vedleggets egen lesning av SSB-tabellene (vises, men telles ikke i trianguleringen):")}}, list{Items: b.evidenceItems(t.Readings)})
	}
	for _, ts := range b.res.Tables {
		if b.homeTheme(ts) == th.ID {
			statSec.Blocks = append(statSec.Blocks, b.tableView(ts)...)
		}
	}
	for _, ind := range b.res.Indicators {
		if len(ind.Def.Evidence) > 0 && ind.Def.Evidence[0].Theme == th.ID {
			statSec.Blocks = append(statSec.Blocks, b.indicator(ind)...)
		}
	}
	if len(statSec.Blocks) > 0 {
		out = append(out, statSec)
	}
	if len(dialog)+len(t.Needs) > 0 {
		dsec := &section{ID: "tema-" + th.ID + "-dialog", Level: 4, Heading: "Sektordialogen"}
		if len(dialog) > 0 {
			dsec.Blocks = append(dsec.Blocks, list{Items: b.evidenceItems(dialog)})
		}
		if len(t.Needs) > 0 {
			dsec.Blocks = append(dsec.Blocks, para{Inlines: []inline{txt("Behov kommunene meldte i workshopene (vises som bakgrunn, men telles ikke i trianguleringen):")}}, list{Items: b.evidenceItems(t.Needs)})
		}
		out = append(out, dsec)
	}
	out = append(out, b.triangulation(t))
	con := b.statementNote("konklusjon:"+th.ID, th, th.Conclusion, "Vedleggets konklusjon")
	out = append(out, &section{ID: "tema-" + th.ID + "-konklusjon", Level: 4, Heading: "Konklusjon", Blocks: []block{
		para{Inlines: []inline{txt("Vedlegget konkluderer:")}},
		quote{Inlines: []inline{txt(strings.TrimSpace(th.Conclusion.Text))}, Fn: []int{con}},
		para{Inlines: []inline{strong("Holdt mot kildene: "), sourced(b.triangulationNote(t), txt(t.Text()))}},
	}})
	return out
}

// evidenceItems lists findings and needs, each with its footnote; a
// finding of a figure no source confirms keeps its mark.
func (b *builder) evidenceItems(es []analysis.Evidence) [][]inline {
	var items [][]inline
	for _, e := range es {
		switch x := e.Entry.(type) {
		case *catalog.Finding:
			fn := b.findingNote(x)
			in := []inline{strong(x.About)}
			var facts []string
			if x.Value != nil {
				facts = append(facts, x.Value.String())
			}
			if x.Period != "" {
				facts = append(facts, x.Period)
			}
			if len(facts) > 0 {
				in = append(in, txt(" ("+strings.Join(facts, ", ")+")"))
			}
			in = append(in, txt(": "+guillemets(strings.TrimSpace(x.Quote))))
			item := []inline{sourced(fn, in...)}
			switch v := b.verification(x); {
			case v != nil:
				item = append(item, txt(" "), *v)
			case x.Unverified:
				item = append(item, txt(" "), em(catalog.UnverifiedMark))
			}
			items = append(items, item)
		case *catalog.Need:
			items = append(items, []inline{sourced(b.needNote(x), strong("Behov: "), txt(x.Text))})
		}
	}
	return items
}

// verification says, sourced to the figure, whether a figure the appendix
// states is confirmed by the table (an indicator whose definition names
// the finding), or contradicted: "(bekreftet av tabell 12618, 2021)",
// "(stemmer ikke med tabell 12041, 2018)". Nil when no figure was held
// against it.
func (b *builder) verification(f *catalog.Finding) *inline {
	for _, ind := range b.res.Indicators {
		c := ind.Check
		if c == nil || c.Finding.ID != f.ID || !c.Known || ind.Reference == nil {
			continue
		}
		r := ind.Reference
		seg := ind.SegmentOf(r)
		how := "stemmer ikke med "
		if c.Holds {
			how = "bekreftet av "
		}
		if f.Population != ind.Def.Population {
			how = "for " + analysis.UnitDefinite(ind.Def.Population) + ": " + how
		}
		if seg.Source == analysis.FromPublished {
			how += "det publiserte tallet for "
		}
		v := sourced(b.pointNote(ind, r), txt("("+how+"tabell "), ident(seg.Reading.Table), txt(", "), when(r.Year, r.YearCode), txt(")"))
		return &v
	}
	return nil
}

// verificationText is verification in plain words, for a footnote.
func (b *builder) verificationText(f *catalog.Finding) string {
	for _, ind := range b.res.Indicators {
		if c := ind.Check; c != nil && c.Finding.ID == f.ID && c.Known {
			return analysis.CheckText(ind)
		}
	}
	return ""
}

// findingNote is a finding's footnote. A finding of basis statistikk is
// the appendix's own reading of an SSB table, so it is attributed to the
// appendix with reference to the table, never to SSB.
func (b *builder) findingNote(f *catalog.Finding) int {
	var from string
	switch {
	case f.Basis == catalog.FromStatistics:
		from = "Vedlegg E"
		if d, ok := b.pack.Document(f.Document); ok && d.Table != "" {
			from += ", med henvisning til tabell " + d.Table
		}
	case f.Document != "":
		from = f.Document
		if d, ok := b.pack.Document(f.Document); ok {
			from = d.Label()
			var pub []string
			if d.Publisher != "" {
				pub = append(pub, d.Publisher)
			}
			if d.Year != "" {
				pub = append(pub, d.Year)
			}
			if len(pub) > 0 {
				from += " (" + strings.Join(pub, ", ") + ")"
			}
		}
	default:
		from = "Sektordialogen"
		if a, ok := b.pack.Activity(f.Activity); ok {
			from += ": «" + a.Title + "»"
		}
	}
	text := fmt.Sprintf("%s: %s Gjengitt i %s. (funn %s, %s)", from, guillemets(strings.TrimSpace(f.Quote)), b.citation(f.Source), f.ID, origin(f))
	if f.Unverified {
		text += " Tallet er ikke bekreftet: det er ikke funnet i SSBs publiserte tall."
		if v := b.verificationText(f); v != "" {
			text += " " + v
		}
	}
	return b.fn.add(f.Ref().String(), text)
}

func (b *builder) triangulationNote(t *analysis.Triangulation) int {
	count := func(what string, n int, ids []string) string {
		s := fmt.Sprintf("%s %d", what, n)
		if len(ids) > 0 {
			s += " (" + strings.Join(ids, ", ") + ")"
		}
		return s
	}
	var parts []string
	for _, k := range t.Tallies {
		var by [3][]string
		for _, e := range t.Evidence {
			if e.Basis != k.Basis {
				continue
			}
			i := slices.Index(catalog.Directions(), e.Supports)
			by[i] = append(by[i], e.Ref.ID)
		}
		part := fmt.Sprintf("%s: %s, %s, %s", basisName(k.Basis),
			count("støtter hypotesen", k.Supports, by[0]), count("taler mot", k.Against, by[1]), count("nøytrale", k.Neutral, by[2]))
		if k.Basis == catalog.FromStatistics && k.Missing > 0 {
			var ids []string
			for _, ind := range t.LeftOut {
				ids = append(ids, ind.Def.ID)
			}
			part += ", " + count("uten tall", k.Missing, ids)
		}
		parts = append(parts, part)
	}
	text := fmt.Sprintf("Belegg for temaet «%s» i kunnskapspakken, etter kildetype: %s. "+
		"Funn i dokumentene og fra dialogen har retningen redaktøren har merket dem med; en indikator har retningen tallet gir etter regelen i definisjonen. "+
		"En kildetype støtter hypotesen når flere av bevisene støtter den enn taler mot den, taler mot den når det er omvendt, og spriker når like mange gjør hvert. "+
		"Hypotesen er underbygget når minst én kildetype støtter den og ingen taler mot den; styrken er sterk når alle tre støtter den, moderat når to gjør det og svak når én gjør det. "+
		"Vedleggets egne lesninger av SSB-tabellene og behovene fra workshopene telles ikke.",
		t.Theme.Title, strings.Join(parts, "; "))
	return b.fn.add("triangulering:"+t.Theme.ID, text)
}

func (b *builder) triangulation(t *analysis.Triangulation) *section {
	fn := b.triangulationNote(t)
	rows := [][]string{}
	for _, k := range t.Tallies {
		missing := ""
		if k.Basis == catalog.FromStatistics {
			missing = fmt.Sprint(k.Missing)
		}
		rows = append(rows, []string{basisName(k.Basis), fmt.Sprint(k.Supports), fmt.Sprint(k.Against), fmt.Sprint(k.Neutral), missing, leanName(k)})
	}
	sec := &section{ID: "tema-" + t.Theme.ID + "-triangulering", Level: 4, Heading: "Triangulering"}
	sec.Blocks = append(sec.Blocks, table{
		Caption: []inline{txt("Belegg for temaet «" + t.Theme.Title + "» etter kildetype og retning")},
		Fn:      []int{fn},
		Head:    [][]string{{"Kildetype", "Støtter hypotesen", "Taler mot", "Nøytrale", "Uten tall", "Samlet"}},
		Rows:    rows, RowHeads: 1,
	})
	if cs := t.Contradictions(); len(cs) > 0 {
		var items [][]inline
		for _, e := range cs {
			ind := e.Indicator
			h := ind.Headline
			items = append(items, []inline{sourcedAll([]int{b.pointNote(ind, h), b.definitionNote(ind)},
				strong(ind.Def.Title), txt(" ("), when(h.Year, h.YearCode), txt("): andelen er "), num(analysis.Percent(h.Share), exact(h.Share)),
				txt(", og regelen sier at tallet da taler mot hypotesen ("+analysis.RuleText(e.Rule)+")."))})
		}
		sec.Blocks = append(sec.Blocks, para{Class: "merknad", Inlines: []inline{txt("Statistikk som taler mot hypotesen:")}}, list{Items: items})
	}
	if len(t.LeftOut) > 0 {
		var names []string
		for _, ind := range t.LeftOut {
			names = append(names, "«"+ind.Def.Title+"»")
		}
		sec.Blocks = append(sec.Blocks, para{Class: "mangler", Inlines: []inline{sourced(fn, txt("Statistikk mangler for "+strings.Join(names, ", ")+"; de er ikke med i vurderingen. Se «Manglende data» sist i rapporten."))}})
	}
	return sec
}

// leanName says in the table which way a kind of source points.
func leanName(k analysis.Tally) string {
	switch k.Lean() {
	case analysis.LeanSupports:
		return "støtter"
	case analysis.LeanAgainst:
		return "taler mot"
	case analysis.LeanSplit:
		return "spriker"
	case analysis.LeanNeutral:
		return "ingen retning"
	}
	if k.Basis == catalog.FromStatistics {
		return "statistikk mangler"
	}
	return "mangler"
}

func basisName(b catalog.Basis) string {
	switch b {
	case catalog.FromDocument:
		return "Dokumenter"
	case catalog.FromStatistics:
		return "Statistikk"
	case catalog.FromDialogue:
		return "Dialog"
	}
	return string(b)
}

func (b *builder) summary() *section {
	sec := &section{ID: "oppsummering", Level: 2, Heading: headSummary}
	for _, c := range b.res.Conclusions {
		if c.Conclusion.ID == "behov-i-stor-grad-like" {
			continue // quoted at the start of the analysis, as the appendix does
		}
		sec.Blocks = append(sec.Blocks, quote{Inlines: []inline{txt(strings.TrimSpace(c.Conclusion.Text))}, Fn: []int{b.conclusionNote(c.Conclusion)}})
	}
	var rows [][]string
	var fns []int
	for _, t := range b.res.Themes {
		fns = append(fns, b.triangulationNote(t))
		rows = append(rows, []string{t.Theme.Title, verdictName(t.Verdict), strengthName(t.Strength), fmt.Sprintf("%d av %d", t.Agreeing, len(t.Tallies))})
	}
	sec.Blocks = append(sec.Blocks, table{
		Caption: []inline{txt("Temaenes hypoteser holdt mot kildene")},
		Fn:      fns,
		Head:    [][]string{{"Tema", "Hypotesen er", "Styrke", "Kildetyper som støtter"}},
		Rows:    rows, RowHeads: 1,
	})
	for _, c := range b.res.Conclusions {
		sec.Blocks = append(sec.Blocks, b.crossCutting(c)...)
	}
	return sec
}

func strengthName(s analysis.Strength) string {
	if s == analysis.Unclear {
		return "–"
	}
	return string(s)
}

func verdictName(v analysis.Verdict) string {
	switch v {
	case analysis.Supported:
		return "underbygget"
	case analysis.Mixed:
		return "omstridt (kildene spriker)"
	case analysis.Contradicted:
		return "ikke underbygget"
	}
	return "ikke vurdert (for lite grunnlag)"
}

// crossCutting states what the data says of a conclusion that spans the
// themes: whether every theme's hypothesis holds, whether the needs point
// the same way, and how much the size classes differ.
func (b *builder) crossCutting(c *analysis.CrossCutting) []block {
	var names []string
	for _, t := range c.Themes {
		names = append(names, "«"+t.Theme.Title+"»")
	}
	var fns []int
	for _, t := range c.Themes {
		fns = append(fns, b.triangulationNote(t))
	}
	holds := "holder ikke helt: ikke alle temaenes hypoteser er underbygget"
	if c.Holds {
		holds = "holder: hypotesene i alle temaene den bygger på (" + strings.Join(names, ", ") + ") er underbygget"
	}
	out := []block{para{Inlines: []inline{strong("«" + c.Conclusion.Title + "» "), sourcedAll(fns, txt(holds+"."))}}}
	if c.Conclusion.ID != "oppsummering" {
		return out
	}
	var ids []string
	for _, n := range c.Needs {
		ids = append(ids, n.ID)
	}
	needsFn := b.fn.add("behov:alle", "Behovene i kunnskapspakken: "+strings.Join(ids, ", ")+". Hvert behov er merket med hvilke temaer det gjelder og hvilken retning det peker.")
	agree := "peker ikke alle samme vei"
	if c.NeedsAgree {
		agree = "peker alle samme vei: de støtter hypotesene i temaene de gjelder"
	}
	out = append(out, para{Inlines: []inline{sourced(needsFn, txt("Behovene fra workshopene med kommunene ("), num(fmt.Sprint(len(c.Needs)), fmt.Sprint(len(c.Needs))), txt(" behov) "+agree+"."))}})
	if len(c.Spreads) == 0 {
		out = append(out, para{Class: "mangler", Inlines: []inline{txt("Forskjellen mellom kommunene etter størrelse kan ikke beregnes: ingen indikator har verdier per størrelsesklasse i datagrunnlaget.")}})
		return out
	}
	var items [][]inline
	for _, ind := range c.Spreads {
		s := ind.Spread
		fn := b.classesNote(ind)
		items = append(items, []inline{sourced(fn,
			strong(ind.Def.Title), txt(" ("), when(ind.Headline.Year, ind.Headline.YearCode), txt("): høyest i «"+s.High.Class+"» med "),
			num(analysis.Percent(s.High.Share), exact(s.High.Share)), txt(", lavest i «"+s.Low.Class+"» med "),
			num(analysis.Percent(s.Low.Share), exact(s.Low.Share)), txt(", en forskjell på "),
			num(analysis.Number(s.Diff, 1)+"\u00a0prosentpoeng", exact(s.Diff)), txt("."))})
	}
	out = append(out, para{Inlines: []inline{txt("Situasjonen varierer med kommunestørrelse:")}}, list{Items: items})
	return out
}

func (b *builder) changes(c *Comparison, changes []analysis.Change) *section {
	sec := &section{ID: "endringer", Level: 2, Heading: headChanges}
	fn := b.fn.add("endringer", "Før: "+c.Label+". Nå: datagrunnlaget denne rapporten bygger på. Sammenlignet er hver indikators status, kilde, nyeste år, andel og antall, og andelen for vedleggets år.")
	if len(changes) == 0 {
		sec.Blocks = append(sec.Blocks, para{Inlines: []inline{sourced(fn, txt("Ingen indikatorer er endret siden "+c.Label+"."))}})
		return sec
	}
	var rows [][]string
	for _, ch := range changes {
		rows = append(rows, []string{ch.Title, summaryText(ch.Before), summaryText(ch.After), ch.What})
	}
	sec.Blocks = append(sec.Blocks, table{
		Caption: []inline{txt("Indikatorer som er endret siden " + c.Label)},
		Fn:      []int{fn},
		Head:    [][]string{{"Indikator", "Før", "Nå", "Endring"}},
		Rows:    rows, RowHeads: 1,
	})
	return sec
}

// summaryText describes an indicator's figures in one cell.
func summaryText(s *analysis.Summary) string {
	switch {
	case s == nil:
		return "finnes ikke"
	case s.Share == nil:
		return "mangler: " + statusName(s.Status)
	}
	t := analysis.Percent(*s.Share) + " (" + s.Year + ")"
	if s.Count != nil {
		t += ", " + s.Count.Phrase + " (" + analysis.Number(s.Count.Value, 1) + ")"
	}
	if a := s.Appendix; a != nil && a.Share != nil && a.Year != s.Year {
		t += "; vedleggets år: " + analysis.Percent(*a.Share) + " (" + a.Year + ")"
	}
	switch {
	case s.Source != nil:
		t += "; oppdatert " + analysis.SourceDate(s.Source.Updated)
	case s.Published != nil:
		t += "; " + s.Published.Note
	}
	return t
}

// statusName says what an indicator's status means.
func statusName(s analysis.Status) string {
	switch s {
	case analysis.TableMissing:
		return "tabellen er ikke hentet"
	case analysis.Unresolved:
		return "definisjonen passer ikke til tabellen"
	case analysis.NoValue:
		return "tabellen har ikke verdien"
	}
	return string(s)
}

func (b *builder) missing() *section {
	sec := &section{ID: "mangler", Level: 2, Heading: headMissing}
	gaps := b.res.Gaps()
	if len(gaps) == 0 {
		sec.Blocks = append(sec.Blocks, para{Inlines: []inline{txt("Ingen data mangler: alle tabeller er hentet, alle indikatorer er beregnet.")}})
		return sec
	}
	sec.Blocks = append(sec.Blocks, para{Inlines: []inline{txt("Dette manglet da rapporten ble bygget. Tallene det gjelder, står ikke i rapporten.")}})
	var items [][]inline
	for _, g := range gaps {
		e, ok := b.pack.Lookup(g.Ref)
		if !ok {
			continue
		}
		// A gap is a table or an indicator.
		var fn int
		if ind, ok := b.res.Indicator(g.Ref.ID); ok && g.Ref.Kind == catalog.KindIndicator {
			fn = b.definitionNote(ind)
		} else {
			fn = b.fn.add("mangler:"+g.Ref.String(), fmt.Sprintf("Tabell %s i kunnskapspakken (%s).", g.Ref.ID, origin(e)))
		}
		name := e.Summary()
		if g.Ref.Kind == catalog.KindTable {
			name = b.tableName(g.Ref.ID)
			name = strings.ToUpper(name[:1]) + name[1:]
		}
		items = append(items, []inline{sourced(fn, strong(name+": "), txt(g.Message))})
	}
	sec.Blocks = append(sec.Blocks, list{Items: items})
	return sec
}

package catalog

import (
	"fmt"
	"slices"
	"strings"
)

// checkRefs checks, on the merged pack, that every reference resolves and
// that what spans entries holds: registers' crosswalks, one count per
// unit, year and size class.
func (l *loader) checkRefs() {
	c, p := l.checker(), l.pack
	ref := func(o Origin, field string, k Kind, id string) {
		if id == "" {
			return
		}
		if _, ok := p.byRef[Ref{k, id}]; !ok {
			c.add(o, field, fmt.Sprintf("unknown %s %q", strings.ReplaceAll(string(k), "-", " "), id))
		}
	}
	cite := func(o Origin, field string, ci *Citation) {
		if ci == nil || ci.Ref == "" {
			return
		}
		_, doc := p.byRef[Ref{KindDocument, ci.Ref}]
		_, rf := p.byRef[Ref{KindReference, ci.Ref}]
		if !doc && !rf {
			c.add(o, field+".ref", fmt.Sprintf("unknown document or reference %q", ci.Ref))
		}
	}
	themes := func(o Origin, field string, ids []string) {
		for i, id := range ids {
			ref(o, fmt.Sprintf("%s[%d]", field, i), KindTheme, id)
		}
	}
	evidence := func(o Origin, ev []Evidence) {
		for i, e := range ev {
			ref(o, fmt.Sprintf("evidence[%d].theme", i), KindTheme, e.Theme)
		}
	}

	for _, d := range p.Documents {
		ref(d.Origin, "kind", KindDocumentKind, d.Kind)
		ref(d.Origin, "table", KindTable, d.Table)
		themes(d.Origin, "themes", d.Themes)
		cite(d.Origin, "source", &d.Source)
		cite(d.Origin, "url_source", d.URLSource)
	}
	for _, t := range p.Themes {
		cite(t.Origin, "hypothesis.source", &t.Hypothesis.Source)
		cite(t.Origin, "conclusion.source", &t.Conclusion.Source)
	}
	for _, x := range p.Conclusions {
		themes(x.Origin, "themes", x.Themes)
		cite(x.Origin, "source", &x.Source)
	}
	for _, f := range p.Findings {
		ref(f.Origin, "document", KindDocument, f.Document)
		ref(f.Origin, "activity", KindActivity, f.Activity)
		cite(f.Origin, "source", &f.Source)
		evidence(f.Origin, f.Evidence)
	}
	for _, a := range p.Activities {
		cite(a.Origin, "source", &a.Source)
	}
	for _, n := range p.Needs {
		ref(n.Origin, "activity", KindActivity, n.Activity)
		for i, id := range n.Principles {
			ref(n.Origin, fmt.Sprintf("principles[%d]", i), KindPrinciple, id)
		}
		cite(n.Origin, "source", &n.Source)
		evidence(n.Origin, n.Evidence)
	}
	for _, x := range p.Categories {
		cite(x.Origin, "source", &x.Source)
	}
	for _, x := range p.Principles {
		ref(x.Origin, "category", KindCategory, x.Category)
		cite(x.Origin, "source", &x.Source)
	}
	for _, m := range p.Measures {
		ref(m.Origin, "principle", KindPrinciple, m.Principle)
		for i, s := range m.Sources {
			ref(m.Origin, fmt.Sprintf("sources[%d]", i), KindNSMSource, s)
		}
	}
	for _, r := range p.Registers {
		cite(r.Origin, "source", &r.Source)
		if r.Crosswalk != nil {
			ref(r.Origin, "crosswalk.register", KindRegister, r.Crosswalk.Register)
		}
	}
	for _, ind := range p.Indicators {
		ref(ind.Origin, "table", KindTable, ind.Table)
		cite(ind.Origin, "source", &ind.Source)
		for i, e := range ind.Evidence {
			ref(ind.Origin, fmt.Sprintf("evidence[%d].theme", i), KindTheme, e.Theme)
		}
		for i, id := range ind.Principles {
			ref(ind.Origin, fmt.Sprintf("principles[%d]", i), KindPrinciple, id)
		}
		if s := ind.Successor; s != nil {
			ref(ind.Origin, "successor.table", KindTable, s.Table)
			cite(ind.Origin, "successor.source", &s.Source)
		}
		if ind.CompareWith != "" {
			other, ok := p.Indicator(ind.CompareWith)
			switch {
			case !ok:
				c.add(ind.Origin, "compare_with", fmt.Sprintf("unknown indicator %q", ind.CompareWith))
			case other.Table != ind.Table || other.ID == ind.ID:
				c.add(ind.Origin, "compare_with", fmt.Sprintf("compare with another indicator of table %s", ind.Table))
			}
		}
		if a := ind.Appendix; a != nil && a.Finding != "" {
			ref(ind.Origin, "appendix.finding", KindFinding, a.Finding)
		}
	}
	for _, t := range p.Tables {
		ref(t.Origin, "successor_of", KindTable, t.SuccessorOf)
	}
	l.checkPublished()
	l.checkCrosswalks()

	type countKey struct {
		unit  Population
		year  int
		class string
	}
	seen := map[countKey]Origin{}
	for _, x := range p.Counts {
		cite(x.Origin, "source", &x.Source)
		k := countKey{x.Unit, x.Year, ""}
		if x.SizeClass != nil {
			k.class = x.SizeClass.Label
		}
		if first, dup := seen[k]; dup {
			what := string(x.Unit)
			if k.class != "" {
				what += fmt.Sprintf(" in size class %q", k.class)
			}
			c.add(x.Origin, "year", fmt.Sprintf("a second count of %s in %d (first at %s)", what, x.Year, first))
			continue
		}
		seen[k] = x.Origin
	}
}

// checkCrosswalks checks that every code of a register maps to codes that
// exist in the other register and, where both registers map to each other,
// that the two directions agree.
func (l *loader) checkCrosswalks() {
	p := l.pack
	for _, r := range p.Registers {
		if r.Crosswalk == nil {
			continue
		}
		to, ok := p.Register(r.Crosswalk.Register)
		if !ok || len(to.Areas) == 0 {
			continue
		}
		back := to.Crosswalk != nil && to.Crosswalk.Register == r.ID
		col := r.Crosswalk.Column
		for _, a := range r.Areas {
			at := func(msg string) {
				l.problems = append(l.problems, Problem{File: r.Path, Line: a.Line, Field: col, Msg: msg})
			}
			if len(a.Crosswalk) == 0 {
				at(fmt.Sprintf("%s %s has no code in %s", a.Code, a.Name, to.ID))
			}
			for _, code := range a.Crosswalk {
				b, ok := to.Area(code)
				switch {
				case !ok:
					at(fmt.Sprintf("code %s is not in register %s", code, to.ID))
				case back && !slices.Contains(b.Crosswalk, a.Code):
					at(fmt.Sprintf("%s maps to %s, but %s in %s does not map back", a.Code, code, code, to.ID))
				}
			}
		}
	}
}

// checkPublished checks that each published figure stands for a cell its
// indicator reads: a table of the indicator's series, read one cell at a
// time, for the indicator's population, and one figure per year.
func (l *loader) checkPublished() {
	c, p := l.checker(), l.pack
	type key struct {
		indicator, table string
		year             int
	}
	seen := map[key]Origin{}
	for _, f := range p.Published {
		o := f.Origin
		cite := f.Source
		if _, doc := p.byRef[Ref{KindDocument, cite.Ref}]; !doc {
			if _, rf := p.byRef[Ref{KindReference, cite.Ref}]; !rf && cite.Ref != "" {
				c.add(o, "source.ref", fmt.Sprintf("unknown document or reference %q", cite.Ref))
			}
		}
		ind, ok := p.Indicator(f.Indicator)
		if !ok {
			if f.Indicator != "" {
				c.add(o, "indicator", fmt.Sprintf("unknown indicator %q", f.Indicator))
			}
			continue
		}
		var reading *Reading
		for _, r := range ind.Readings() {
			if r.Table == f.Table {
				reading = &r
			}
		}
		switch {
		case reading == nil:
			c.add(o, "table", fmt.Sprintf("indicator %s reads table %s, not %s", ind.ID, strings.Join(ind.Tables(), " and "), f.Table))
		case !reading.ReadsOneCell():
			c.add(o, "indicator", fmt.Sprintf("indicator %s sums several categories of table %s; one published figure cannot stand for them", ind.ID, f.Table))
		case f.Population != "" && f.Population != ind.Population:
			c.add(o, "population", fmt.Sprintf("indicator %s is about %s, not %s", ind.ID, ind.Population, f.Population))
		}
		k := key{f.Indicator, f.Table, f.Year}
		if first, dup := seen[k]; dup {
			c.add(o, "year", fmt.Sprintf("a second figure for indicator %s, table %s, %d (first at %s)", f.Indicator, f.Table, f.Year, first))
			continue
		}
		seen[k] = o
	}
}

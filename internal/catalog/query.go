package catalog

import "slices"

// DocumentGroup is one of the appendix's categories with its documents, in
// the appendix's order.
type DocumentGroup struct {
	Kind      *DocumentKind
	Documents []*Document
}

// DocumentGroups returns the documents grouped by kind, kinds in pack order
// (the appendix's order of headings), documents in pack order.
func (p *Pack) DocumentGroups() []DocumentGroup {
	gs := make([]DocumentGroup, 0, len(p.DocumentKinds))
	for _, k := range p.DocumentKinds {
		gs = append(gs, DocumentGroup{Kind: k, Documents: p.DocumentsOfKind(k.ID)})
	}
	return gs
}

// DocumentsOfKind returns the documents of one kind, in pack order.
func (p *Pack) DocumentsOfKind(kind string) []*Document {
	return filter(p.Documents, func(d *Document) bool { return d.Kind == kind })
}

// DocumentsByTheme returns the documents tagged with the theme.
func (p *Pack) DocumentsByTheme(theme string) []*Document {
	return filter(p.Documents, func(d *Document) bool { return slices.Contains(d.Themes, theme) })
}

// DocumentForTable returns the appendix document that is the SSB table.
func (p *Pack) DocumentForTable(table string) (*Document, bool) {
	for _, d := range p.Documents {
		if d.Table == table {
			return d, true
		}
	}
	return nil, false
}

// FindingsByTheme returns the findings whose evidence names the theme.
func (p *Pack) FindingsByTheme(theme string) []*Finding {
	return filter(p.Findings, func(f *Finding) bool { return tagged(f.Evidence, theme) })
}

// FindingsOfDocument returns the findings taken from the document.
func (p *Pack) FindingsOfDocument(doc string) []*Finding {
	return filter(p.Findings, func(f *Finding) bool { return f.Document == doc })
}

// NeedsByTheme returns the needs whose evidence names the theme.
func (p *Pack) NeedsByTheme(theme string) []*Need {
	return filter(p.Needs, func(n *Need) bool { return tagged(n.Evidence, theme) })
}

// Evidenced is one piece of evidence for a theme: the entry, the kind of
// source it rests on, and the direction it supports.
type Evidenced struct {
	Entry    Entry
	Basis    Basis // needs rest on the dialogue
	Evidence Evidence
}

// Evidence returns every finding and need tagged with the theme, findings
// first, each in pack order. The analysis adds its indicators to these.
func (p *Pack) Evidence(theme string) []Evidenced {
	var out []Evidenced
	for _, f := range p.Findings {
		for _, e := range f.Evidence {
			if e.Theme == theme {
				out = append(out, Evidenced{Entry: f, Basis: f.Basis, Evidence: e})
			}
		}
	}
	for _, n := range p.Needs {
		for _, e := range n.Evidence {
			if e.Theme == theme {
				out = append(out, Evidenced{Entry: n, Basis: FromDialogue, Evidence: e})
			}
		}
	}
	return out
}

// PrinciplesOf returns the NSM principles of a category, in pack order.
func (p *Pack) PrinciplesOf(category string) []*Principle {
	return filter(p.Principles, func(x *Principle) bool { return x.Category == category })
}

// MeasuresOf returns the NSM measures of a principle, in pack order.
func (p *Pack) MeasuresOf(principle string) []*Measure {
	return filter(p.Measures, func(m *Measure) bool { return m.Principle == principle })
}

// IndicatorsByPrinciple returns the indicators linked directly to the NSM
// principle (their principles name it), in pack order.
func (p *Pack) IndicatorsByPrinciple(principle string) []*Indicator {
	return filter(p.Indicators, func(ind *Indicator) bool { return slices.Contains(ind.Principles, principle) })
}

// Count returns the total number of municipalities or county
// municipalities in the year (not a size class), with its source.
func (p *Pack) Count(unit Population, year int) (*Count, bool) {
	for _, c := range p.Counts {
		if c.Unit == unit && c.Year == year && c.SizeClass == nil {
			return c, true
		}
	}
	return nil, false
}

// SizeClassCounts returns the counts by size class known for the unit and
// year, in pack order; a source may use its own classes, so check Label,
// Min and Max before using one.
func (p *Pack) SizeClassCounts(unit Population, year int) []*Count {
	return filter(p.Counts, func(c *Count) bool { return c.Unit == unit && c.Year == year && c.SizeClass != nil })
}

// RegisterFor returns the register of the unit valid in the year.
func (p *Pack) RegisterFor(unit RegisterUnit, year int) (*Register, bool) {
	for _, r := range p.Registers {
		if r.Unit == unit && r.ValidIn(year) {
			return r, true
		}
	}
	return nil, false
}

func filter[T any](s []T, keep func(T) bool) []T {
	var out []T
	for _, x := range s {
		if keep(x) {
			out = append(out, x)
		}
	}
	return out
}

func tagged(ev []Evidence, theme string) bool {
	return slices.ContainsFunc(ev, func(e Evidence) bool { return e.Theme == theme })
}

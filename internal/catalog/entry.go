package catalog

import (
	"fmt"
	"strconv"
	"strings"
)

// This file implements Entry for every kind: identity, summary, the text
// full-text search indexes, and provenance.

// text joins the non-empty parts with newlines.
func text(parts ...string) string {
	var b strings.Builder
	for _, p := range parts {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(p)
	}
	return b.String()
}

// Entries returns every entry of the pack, kind by kind in the order of the
// Pack's fields, each kind in pack order. Registers, counts and indicators
// included.
func (p *Pack) Entries() []Entry {
	var es []Entry
	es = appendEntries(es, p.DocumentKinds)
	es = appendEntries(es, p.Documents)
	es = appendEntries(es, p.References)
	es = appendEntries(es, p.Tables)
	es = appendEntries(es, p.Themes)
	es = appendEntries(es, p.Conclusions)
	es = appendEntries(es, p.Findings)
	es = appendEntries(es, p.Activities)
	es = appendEntries(es, p.Needs)
	es = appendEntries(es, p.NSMSources)
	es = appendEntries(es, p.Categories)
	es = appendEntries(es, p.Principles)
	es = appendEntries(es, p.Measures)
	es = appendEntries(es, p.Registers)
	es = appendEntries(es, p.Counts)
	es = appendEntries(es, p.Indicators)
	es = appendEntries(es, p.Published)
	return es
}

func appendEntries[T Entry](es []Entry, s []T) []Entry {
	for _, e := range s {
		es = append(es, e)
	}
	return es
}

// Searchable returns the entries full-text search covers: indicators,
// tables, documents, findings, dialogue activities, needs, themes,
// conclusions, and NSM principles and measures, in that order.
func (p *Pack) Searchable() []Entry {
	var es []Entry
	es = appendEntries(es, p.Indicators)
	es = appendEntries(es, p.Tables)
	es = appendEntries(es, p.Documents)
	es = appendEntries(es, p.Findings)
	es = appendEntries(es, p.Activities)
	es = appendEntries(es, p.Needs)
	es = appendEntries(es, p.Themes)
	es = appendEntries(es, p.Conclusions)
	es = appendEntries(es, p.Principles)
	es = appendEntries(es, p.Measures)
	return es
}

// Ref implements Entry.
func (k *DocumentKind) Ref() Ref { return Ref{KindDocumentKind, k.ID} }

// Summary implements Entry.
func (k *DocumentKind) Summary() string { return k.Heading }

// SearchText implements Entry.
func (k *DocumentKind) SearchText() string { return text(k.Heading, k.Notes) }

// Provenance implements Entry.
func (k *DocumentKind) Provenance() Origin { return k.Origin }
func (k *DocumentKind) setPack(p string)   { k.Origin.Pack = p }

// Ref implements Entry.
func (d *Document) Ref() Ref { return Ref{KindDocument, d.ID} }

// Summary implements Entry.
func (d *Document) Summary() string { return d.Label() }

// SearchText implements Entry.
func (d *Document) SearchText() string {
	return text(d.Identifier, d.Title, d.AsWritten, d.Publisher, d.Year, d.Notes)
}

// Provenance implements Entry.
func (d *Document) Provenance() Origin { return d.Origin }
func (d *Document) setPack(p string)   { d.Origin.Pack = p }

// Ref implements Entry.
func (r *Reference) Ref() Ref { return Ref{KindReference, r.ID} }

// Summary implements Entry.
func (r *Reference) Summary() string { return r.Title }

// SearchText implements Entry.
func (r *Reference) SearchText() string { return text(r.Title, r.Publisher, r.Year, r.Notes) }

// Provenance implements Entry.
func (r *Reference) Provenance() Origin { return r.Origin }
func (r *Reference) setPack(p string)   { r.Origin.Pack = p }

// Ref implements Entry.
func (t *Table) Ref() Ref { return Ref{KindTable, t.ID} }

// Summary implements Entry.
func (t *Table) Summary() string { return t.ID + " " + t.Title }

// SearchText implements Entry.
func (t *Table) SearchText() string { return text(t.ID, t.Title, t.Why) }

// Provenance implements Entry.
func (t *Table) Provenance() Origin { return t.Origin }
func (t *Table) setPack(p string)   { t.Origin.Pack = p }

// Ref implements Entry.
func (t *Theme) Ref() Ref { return Ref{KindTheme, t.ID} }

// Summary implements Entry.
func (t *Theme) Summary() string { return t.Title }

// SearchText implements Entry.
func (t *Theme) SearchText() string {
	return text(t.Title, t.Heading, t.Hypothesis.Text, t.Conclusion.Text, t.Notes)
}

// Provenance implements Entry.
func (t *Theme) Provenance() Origin { return t.Origin }
func (t *Theme) setPack(p string)   { t.Origin.Pack = p }

// Ref implements Entry.
func (c *Conclusion) Ref() Ref { return Ref{KindConclusion, c.ID} }

// Summary implements Entry.
func (c *Conclusion) Summary() string { return c.Title }

// SearchText implements Entry.
func (c *Conclusion) SearchText() string { return text(c.Title, c.Text, c.Notes) }

// Provenance implements Entry.
func (c *Conclusion) Provenance() Origin { return c.Origin }
func (c *Conclusion) setPack(p string)   { c.Origin.Pack = p }

// Ref implements Entry.
func (f *Finding) Ref() Ref { return Ref{KindFinding, f.ID} }

// Summary implements Entry. An unverified figure keeps its mark here, so
// every listing shows it.
func (f *Finding) Summary() string {
	s := f.About
	if f.Value != nil {
		s += ": " + f.Value.String()
	}
	if f.Unverified {
		s += " " + UnverifiedMark
	}
	return s
}

// UnverifiedMark is what every text that shows an unverified figure adds
// to it.
const UnverifiedMark = "(ikke bekreftet)"

// SearchText implements Entry.
func (f *Finding) SearchText() string { return text(f.About, f.Quote, f.Period, f.Notes) }

// Provenance implements Entry.
func (f *Finding) Provenance() Origin { return f.Origin }
func (f *Finding) setPack(p string)   { f.Origin.Pack = p }

// Ref implements Entry.
func (a *Activity) Ref() Ref { return Ref{KindActivity, a.ID} }

// Summary implements Entry.
func (a *Activity) Summary() string { return a.Title }

// SearchText implements Entry.
func (a *Activity) SearchText() string {
	parts := []string{a.Title, a.Section, a.Purpose, a.Quote}
	if a.Period != nil {
		parts = append(parts, a.Period.Text)
	}
	for _, p := range a.Participants {
		parts = append(parts, p.Name, p.Notes)
	}
	return text(append(parts, a.Notes)...)
}

// Provenance implements Entry.
func (a *Activity) Provenance() Origin { return a.Origin }
func (a *Activity) setPack(p string)   { a.Origin.Pack = p }

// Ref implements Entry.
func (n *Need) Ref() Ref { return Ref{KindNeed, n.ID} }

// Summary implements Entry.
func (n *Need) Summary() string { return n.Title }

// SearchText implements Entry.
func (n *Need) SearchText() string { return text(n.Title, n.Text, n.PrinciplesNotes, n.Notes) }

// Provenance implements Entry.
func (n *Need) Provenance() Origin { return n.Origin }
func (n *Need) setPack(p string)   { n.Origin.Pack = p }

// Ref implements Entry.
func (s *NSMSource) Ref() Ref { return Ref{KindNSMSource, s.ID} }

// Summary implements Entry.
func (s *NSMSource) Summary() string { return s.ID + " " + s.Description }

// SearchText implements Entry.
func (s *NSMSource) SearchText() string { return text(s.Description, s.Notes) }

// Provenance implements Entry.
func (s *NSMSource) Provenance() Origin { return s.Origin }
func (s *NSMSource) setPack(p string)   { s.Origin.Pack = p }

// Ref implements Entry.
func (c *Category) Ref() Ref { return Ref{KindCategory, c.ID} }

// Summary implements Entry.
func (c *Category) Summary() string { return c.ID + " " + c.Title }

// SearchText implements Entry.
func (c *Category) SearchText() string { return c.Title }

// Provenance implements Entry.
func (c *Category) Provenance() Origin { return c.Origin }
func (c *Category) setPack(p string)   { c.Origin.Pack = p }

// Ref implements Entry.
func (pr *Principle) Ref() Ref { return Ref{KindPrinciple, pr.ID} }

// Summary implements Entry.
func (pr *Principle) Summary() string { return pr.ID + " " + pr.Title }

// SearchText implements Entry.
func (pr *Principle) SearchText() string { return text(pr.ID, pr.Title, pr.Notes) }

// Provenance implements Entry.
func (pr *Principle) Provenance() Origin { return pr.Origin }
func (pr *Principle) setPack(p string)   { pr.Origin.Pack = p }

// Ref implements Entry.
func (m *Measure) Ref() Ref { return Ref{KindMeasure, m.ID} }

// Summary implements Entry: NSM's title where imported, else the paraphrase.
func (m *Measure) Summary() string {
	if m.Title != "" {
		return m.ID + " " + m.Title
	}
	return m.ID + " " + m.Paraphrase
}

// SearchText implements Entry.
func (m *Measure) SearchText() string { return text(m.ID, m.Title, m.Paraphrase, m.Notes) }

// Provenance implements Entry.
func (m *Measure) Provenance() Origin { return m.Origin }
func (m *Measure) setPack(p string)   { m.Origin.Pack = p }

// Ref implements Entry.
func (r *Register) Ref() Ref { return Ref{KindRegister, r.ID} }

// Summary implements Entry.
func (r *Register) Summary() string { return r.Title }

// SearchText implements Entry.
func (r *Register) SearchText() string { return text(r.Title, r.Notes) }

// Provenance implements Entry.
func (r *Register) Provenance() Origin { return r.Origin }
func (r *Register) setPack(p string)   { r.Origin.Pack = p }

// Ref implements Entry.
func (c *Count) Ref() Ref { return Ref{KindCount, c.ID} }

// Summary implements Entry, e.g. "kommuner 2024: 357".
func (c *Count) Summary() string {
	if c.SizeClass != nil {
		return fmt.Sprintf("%s %d, %s: %d", c.Unit, c.Year, c.SizeClass.Label, c.Value)
	}
	return fmt.Sprintf("%s %d: %d", c.Unit, c.Year, c.Value)
}

// SearchText implements Entry.
func (c *Count) SearchText() string { return text(c.Summary(), c.Notes) }

// Provenance implements Entry.
func (c *Count) Provenance() Origin { return c.Origin }
func (c *Count) setPack(p string)   { c.Origin.Pack = p }

// String formats a quantity the way a Norwegian reader writes it: "< 65 %",
// "84,8 %", "> 25 møter", "3 timer per arbeidsmøte". AsWritten, where
// given, is the source's own words.
func (q *Quantity) String() string {
	v := strings.TrimSuffix(strings.TrimRight(fmt.Sprintf("%.2f", q.Value), "0"), ".")
	v = strings.Replace(v, ".", ",", 1)
	var s string
	switch {
	case q.Unit == Percent:
		s = v + " %"
	case q.Unit == Number && q.Of != "":
		s = v + " " + q.Of
	case q.Of != "":
		s = v + " " + string(q.Unit) + " " + q.Of
	default:
		s = v + " " + string(q.Unit)
	}
	if q.Op != Equal {
		s = string(q.Op) + " " + s
	}
	return s
}

// Ref implements Entry.
func (ind *Indicator) Ref() Ref { return Ref{KindIndicator, ind.ID} }

// Summary implements Entry.
func (ind *Indicator) Summary() string { return ind.Title }

// SearchText implements Entry.
func (ind *Indicator) SearchText() string {
	return text(ind.Title, ind.Description, ind.Statement, ind.Notes)
}

// Provenance implements Entry.
func (ind *Indicator) Provenance() Origin { return ind.Origin }
func (ind *Indicator) setPack(p string)   { ind.Origin.Pack = p }

// Ref implements Entry.
func (f *Published) Ref() Ref { return Ref{KindPublished, f.ID} }

// Summary implements Entry, e.g. "12041 2018 kommuner: 63,9 %".
func (f *Published) Summary() string {
	v := strings.Replace(strconv.FormatFloat(f.Value, 'f', -1, 64), ".", ",", 1)
	return fmt.Sprintf("%s %d %s: %s: %s %%", f.Table, f.Year, f.Population, f.Variable, v)
}

// SearchText implements Entry.
func (f *Published) SearchText() string {
	return text(f.Variable, f.Category, f.PageTitle, f.Quote, f.Notes)
}

// Provenance implements Entry.
func (f *Published) Provenance() Origin { return f.Origin }
func (f *Published) setPack(p string)   { f.Origin.Pack = p }

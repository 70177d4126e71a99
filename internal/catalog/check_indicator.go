package catalog

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// placeholderRE finds the placeholders of a statement: {antall}, {år}, …
var placeholderRE = regexp.MustCompile(`\{[^{}]*\}`)

// checkIndicator checks what an indicator definition can be checked for
// on its own: ids, vocabularies, that every match names exactly one thing
// and compiles, that at most one dimension is summed, the statement's
// placeholders and the rules of its evidence. Whether the labels exist is
// known only against a snapshot; the analysis checks that.
func checkIndicator(c *checker, x *Indicator) {
	o := x.Origin
	c.slug(o, x.ID)
	oneOf(c, o, "population", x.Population, []Population{Municipalities, CountyMunicipalities})
	oneOf(c, o, "kind", x.Kind, IndicatorKinds())
	for _, r := range x.Readings() {
		prefix := ""
		if r.Successor {
			prefix = "successor."
		}
		checkReading(c, o, prefix, r)
	}
	if s := x.Successor; s != nil && s.Table == x.Table && s.Table != "" {
		c.add(o, "successor.table", fmt.Sprintf("the successor must be another table than %s", x.Table))
	}
	if a := x.Appendix; a != nil && (a.Year < 1900 || a.Year > 2100) {
		c.add(o, "appendix.year", fmt.Sprintf("%d is not a plausible year", a.Year))
	}

	known := StatementPlaceholders()
	for _, ph := range placeholderRE.FindAllString(x.Statement, -1) {
		if !slices.Contains(known, ph) {
			c.add(o, "statement", fmt.Sprintf("unknown placeholder %s (use %s)", ph, strings.Join(known, ", ")))
		}
	}
	if x.ShareOf != "" && strings.Contains(x.Statement, "{antall}") {
		c.add(o, "statement", "{antall} needs a share of every municipality; share_of says this share is of "+x.ShareOf)
	}
	if x.Statement != "" && !placeholderRE.MatchString(x.Statement) {
		c.add(o, "statement", "a statement needs at least one placeholder: the figure it states")
	}
	checkIndicatorEvidence(c, o, x.Evidence)
	checkIndicatorPrinciples(c, o, x.Principles, x.PrinciplesNotes)
}

// checkIndicatorPrinciples checks the links to NSM principles on their
// own: each once, and a reason beside them, since the link is the editor's
// judgment and a reader must be able to see why. Whether the ids exist is
// checked on the merged pack (checkRefs).
func checkIndicatorPrinciples(c *checker, o Origin, ids []string, notes string) {
	seen := map[string]bool{}
	for i, id := range ids {
		if seen[id] {
			c.add(o, fmt.Sprintf("principles[%d]", i), fmt.Sprintf("principle %q is linked twice", id))
		}
		seen[id] = true
	}
	if len(ids) > 0 && strings.TrimSpace(notes) == "" {
		c.addNear(o, "principles", "principles_notes", "say why the figure bears on these principles")
	}
}

// checkReading checks how an indicator reads one table: its id, the
// matches of its selectors, time and size classes.
func checkReading(c *checker, o Origin, prefix string, r Reading) {
	c.table(o, prefix+"table", r.Table)
	oneOf(c, o, prefix+"combine", r.Combine, Combines())
	oneOf(c, o, prefix+"labels", r.Labels, LabelBases())
	summed := ""
	for i, s := range r.Select {
		f := fmt.Sprintf("%sselect[%d]", prefix, i)
		checkMatch(c, o, f+".dimension", "id", s.Dimension.ID, s.Dimension.Label, s.Dimension.Pattern)
		switch {
		case s.Category != nil && s.Categories != nil:
			c.add(o, f+".categories", "give category or categories, not both")
		case s.Category == nil && s.Categories == nil:
			c.add(o, f+".category", "a selector needs category (one) or categories (several to sum)")
		case s.Categories != nil && len(s.Categories) == 0:
			c.add(o, f+".categories", "must not be empty")
		}
		if s.Category != nil {
			checkMatch(c, o, f+".category", "code", s.Category.Code, s.Category.Label, s.Category.Pattern)
		}
		for j, m := range s.Categories {
			checkMatch(c, o, fmt.Sprintf("%s.categories[%d]", f, j), "code", m.Code, m.Label, m.Pattern)
		}
		if len(s.Categories) > 1 {
			if summed != "" {
				c.add(o, f+".categories", fmt.Sprintf("only one dimension may sum several categories (%s already does)", summed))
			}
			summed = f
		}
	}
	if t := r.Time; t != nil {
		checkMatch(c, o, prefix+"time", "id", t.ID, t.Label, t.Pattern)
	}
	if sc := r.SizeClasses; sc != nil {
		checkMatch(c, o, prefix+"size_classes.dimension", "id", sc.Dimension.ID, sc.Dimension.Label, sc.Dimension.Pattern)
		checkMatch(c, o, prefix+"size_classes.total", "code", sc.Total.Code, sc.Total.Label, sc.Total.Pattern)
	}
}

// checkIndicatorEvidence checks the themes and rules of an indicator's
// evidence: a direction other than noytral needs a rule (when), since an
// indicator points one way or the other only by its value.
func checkIndicatorEvidence(c *checker, o Origin, ev []IndicatorEvidence) {
	seen := map[string]bool{}
	for i, e := range ev {
		f := fmt.Sprintf("evidence[%d]", i)
		oneOf(c, o, f+".supports", e.Supports, Directions())
		if seen[e.Theme] {
			c.add(o, f+".theme", fmt.Sprintf("theme %q is tagged twice", e.Theme))
		}
		seen[e.Theme] = true
		switch {
		case e.Supports == Neutral && e.When != nil:
			c.add(o, f+".when", "a neutral indicator has no rule; drop when, or give the direction it supports")
		case e.Supports != Neutral && e.Supports != "" && e.When == nil:
			c.addNear(o, f+".supports", f+".when", "say when the value supports the direction, e.g. when: {op: \">=\", value: 10}")
		case e.When != nil:
			oneOf(c, o, f+".when.op", e.When.Op, []Op{Less, Greater, LessEqual, GreaterEqual})
			if e.When.Value < 0 || e.When.Value > 100 {
				c.add(o, f+".when.value", fmt.Sprintf("%g is not a share in per cent", e.When.Value))
			}
		}
	}
}

// checkPublished checks a published figure on its own.
func checkPublished(c *checker, x *Published) {
	o := x.Origin
	c.slug(o, x.ID)
	c.table(o, "table", x.Table)
	oneOf(c, o, "population", x.Population, []Population{Municipalities, CountyMunicipalities})
	if x.Year != 0 && (x.Year < 1900 || x.Year > 2100) {
		c.add(o, "year", fmt.Sprintf("%d is not a plausible year", x.Year))
	}
	if x.Value < 0 || x.Value > 100 {
		c.add(o, "value", fmt.Sprintf("%g is not a share in per cent", x.Value))
	}
	c.url(o, "page", x.Page)
	oneOf(c, o, "page_lang", x.PageLang, []string{"no", "nb", "en"})
}

// checkMatch checks that a dimension or category match names exactly one
// of code (or id), label and pattern, and that a pattern compiles.
func checkMatch(c *checker, o Origin, field, codeName, code, label, pattern string) {
	n := 0
	for _, v := range []string{code, label, pattern} {
		if strings.TrimSpace(v) != "" {
			n++
		}
	}
	if _, written := c.lines[lineKey{o.File, o.Line, field}]; n == 0 && !written {
		return // a required match that is missing; the decoder reported it
	}
	if n != 1 {
		c.add(o, field, fmt.Sprintf("give exactly one of %s, label and pattern", codeName))
		return
	}
	if pattern != "" {
		if _, err := regexp.Compile(pattern); err != nil {
			c.add(o, field+".pattern", fmt.Sprintf("invalid pattern: %v", err))
		}
	}
}

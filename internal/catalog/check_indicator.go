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
// and compiles, that at most one dimension is summed, and the statement's
// placeholders. Whether the labels exist is known only against a
// snapshot; the analysis checks that.
func checkIndicator(c *checker, x *Indicator) {
	o := x.Origin
	c.slug(o, x.ID)
	c.table(o, "table", x.Table)
	oneOf(c, o, "population", x.Population, []Population{Municipalities, CountyMunicipalities})
	oneOf(c, o, "kind", x.Kind, IndicatorKinds())
	oneOf(c, o, "combine", x.Combine, Combines())
	oneOf(c, o, "labels", x.Labels, LabelBases())
	if x.Year != 0 && (x.Year < 1900 || x.Year > 2100) {
		c.add(o, "year", fmt.Sprintf("%d is not a plausible year", x.Year))
	}

	summed := ""
	for i, s := range x.Select {
		f := fmt.Sprintf("select[%d]", i)
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
	if t := x.Time; t != nil {
		checkMatch(c, o, "time", "id", t.ID, t.Label, t.Pattern)
	}
	if sc := x.SizeClasses; sc != nil {
		checkMatch(c, o, "size_classes.dimension", "id", sc.Dimension.ID, sc.Dimension.Label, sc.Dimension.Pattern)
		checkMatch(c, o, "size_classes.total", "code", sc.Total.Code, sc.Total.Label, sc.Total.Pattern)
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
	c.evidence(o, x.Evidence)
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

package catalog

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/grunnlag/grunnlag/internal/store"
)

// checker collects problems located through the decoder's line table.
type checker struct {
	lines    map[lineKey]int
	bad      map[lineKey]bool
	problems *Problems
}

// add records a problem with field of the entry at o, on the field's line
// where the field was written, else on the entry's first line.
func (c *checker) add(o Origin, field, msg string) {
	if c.bad[lineKey{o.File, o.Line, field}] {
		return // the decoder already reported the value's type
	}
	line, ok := c.lines[lineKey{o.File, o.Line, field}]
	if !ok {
		line = o.Line
	}
	*c.problems = append(*c.problems, Problem{File: o.File, Line: line, Field: field, Msg: msg})
}

// addNear records a problem with a field that was not written, on the line
// of a field beside it that was.
func (c *checker) addNear(o Origin, near, field, msg string) {
	line, ok := c.lines[lineKey{o.File, o.Line, near}]
	if !ok {
		line = o.Line
	}
	*c.problems = append(*c.problems, Problem{File: o.File, Line: line, Field: field, Msg: msg})
}

// The id formats. Slugs are lowercase words joined by hyphens, so they stay
// stable in URLs and footnotes.
var (
	slugRE      = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	categoryRE  = regexp.MustCompile(`^[1-9]$`)
	principleRE = regexp.MustCompile(`^[1-9]\.[0-9]+$`)
	measureRE   = regexp.MustCompile(`^[1-9]\.[0-9]+\.[0-9]+$`)
	nsmSourceRE = regexp.MustCompile(`^S[0-9]+$`)
	periodRE    = regexp.MustCompile(`^([0-9]{4})(?:[–-]([0-9]{4}))?$`)
	monthRE     = regexp.MustCompile(`^[0-9]{4}(-(0[1-9]|1[0-2]))?$`)
	urlRE       = regexp.MustCompile(`^https?://[^\s]+$`)
)

func (c *checker) id(o Origin, id string, re *regexp.Regexp, want string) {
	if id != "" && !re.MatchString(id) {
		c.add(o, "id", fmt.Sprintf("%q is not a valid id (%s)", id, want))
	}
}

// table checks a field that names a table: a PxWeb table id.
func (c *checker) table(o Origin, field, id string) {
	if id != "" && !store.ValidTableID(id) {
		c.add(o, field, fmt.Sprintf("%q is not a table id", id))
	}
}

func (c *checker) slug(o Origin, id string) {
	c.id(o, id, slugRE, "use lowercase letters, digits and hyphens")
}

// oneOf checks an enumerated value; an empty value was already reported by
// the decoder if the field is required.
func oneOf[T ~string](c *checker, o Origin, field string, v T, all []T) {
	if v == "" || slices.Contains(all, v) {
		return
	}
	names := make([]string, len(all))
	for i, a := range all {
		names[i] = string(a)
	}
	c.add(o, field, fmt.Sprintf("%q is not one of %s", v, strings.Join(names, ", ")))
}

func (c *checker) url(o Origin, field, u string) {
	if u != "" && !urlRE.MatchString(u) {
		c.add(o, field, fmt.Sprintf("%q is not an http(s) URL", u))
	}
}

func (c *checker) quantity(o Origin, field string, q *Quantity) {
	if q == nil {
		return
	}
	oneOf(c, o, field+".op", q.Op, Ops())
	oneOf(c, o, field+".unit", q.Unit, Units())
	if q.Value < 0 || (q.Unit == Percent && q.Value > 100) {
		c.add(o, field+".value", fmt.Sprintf("%g is out of range", q.Value))
	}
}

func (c *checker) evidence(o Origin, ev []Evidence) {
	seen := map[string]bool{}
	for i, e := range ev {
		f := fmt.Sprintf("evidence[%d]", i)
		oneOf(c, o, f+".supports", e.Supports, Directions())
		if seen[e.Theme] {
			c.add(o, f+".theme", fmt.Sprintf("theme %q is tagged twice", e.Theme))
		}
		seen[e.Theme] = true
	}
}

// parsePeriod reads "2018" or "2018–2020" (en dash or hyphen).
func parsePeriod(s string) (from, to int, ok bool) {
	m := periodRE.FindStringSubmatch(s)
	if m == nil {
		return 0, 0, false
	}
	from, _ = strconv.Atoi(m[1])
	to = from
	if m[2] != "" {
		to, _ = strconv.Atoi(m[2])
	}
	return from, to, from <= to
}

// before reports whether a (YYYY or YYYY-MM) is not after b, comparing
// months only when both have them.
func before(a, b string) bool {
	if a[:4] != b[:4] || len(a) < 7 || len(b) < 7 {
		return a[:4] <= b[:4]
	}
	return a <= b
}

// checkEntry checks what one entry can be checked for on its own: id
// formats, vocabularies, periods, URLs.
func checkEntry(c *checker, e Entry) {
	o := e.Provenance()
	switch x := e.(type) {
	case *DocumentKind:
		c.slug(o, x.ID)
	case *Document:
		c.slug(o, x.ID)
		c.url(o, "url", x.URL)
		if x.URL != "" && x.URLSource == nil {
			c.add(o, "url", "a URL needs url_source: the source at hand that shows it")
		}
		c.table(o, "table", x.Table)
	case *Reference:
		c.slug(o, x.ID)
		c.url(o, "url", x.URL)
	case *Table:
		if x.ID != "" && !store.ValidTableID(x.ID) {
			c.add(o, "id", fmt.Sprintf("%q is not a valid id (a table id is letters, digits and _)", x.ID))
		}
	case *Theme:
		c.slug(o, x.ID)
	case *Conclusion:
		c.slug(o, x.ID)
	case *Finding:
		c.slug(o, x.ID)
		switch {
		case x.Document != "" && x.Activity != "":
			c.add(o, "activity", "a finding comes from a document or an activity, not both")
		case x.Document == "" && x.Activity == "":
			c.add(o, "document", "a finding needs a document or an activity")
		}
		oneOf(c, o, "basis", x.Basis, Bases())
		oneOf(c, o, "population", x.Population, Populations())
		if _, _, ok := parsePeriod(x.Period); x.Period != "" && !ok {
			c.add(o, "period", fmt.Sprintf("%q is not a year or a span of years (2018, 2018–2020)", x.Period))
		}
		c.quantity(o, "value", x.Value)
		c.evidence(o, x.Evidence)
	case *Activity:
		c.slug(o, x.ID)
		oneOf(c, o, "kind", x.Kind, ActivityKinds())
		if p := x.Period; p != nil {
			for _, f := range []struct{ name, v string }{{"from", p.From}, {"to", p.To}} {
				if f.v != "" && !monthRE.MatchString(f.v) {
					c.add(o, "period."+f.name, fmt.Sprintf("%q is not YYYY or YYYY-MM", f.v))
				}
			}
			if monthRE.MatchString(p.From) && monthRE.MatchString(p.To) && !before(p.From, p.To) {
				c.add(o, "period.to", fmt.Sprintf("%s is before %s", p.To, p.From))
			}
		}
		c.quantity(o, "count", x.Count)
		c.quantity(o, "duration", x.Duration)
		for i, p := range x.Participants {
			oneOf(c, o, fmt.Sprintf("participants[%d].type", i), p.Type, OrgTypes())
		}
	case *Need:
		c.slug(o, x.ID)
		c.evidence(o, x.Evidence)
	case *NSMSource:
		c.id(o, x.ID, nsmSourceRE, "S and a number")
		c.url(o, "url", x.URL)
	case *Category:
		c.id(o, x.ID, categoryRE, "one digit")
	case *Principle:
		c.id(o, x.ID, principleRE, "category.number, e.g. 2.3")
		if principleRE.MatchString(x.ID) && x.Category != "" && !strings.HasPrefix(x.ID, x.Category+".") {
			c.add(o, "category", fmt.Sprintf("principle %s cannot belong to category %s", x.ID, x.Category))
		}
	case *Measure:
		c.id(o, x.ID, measureRE, "principle.number, e.g. 2.3.1")
		if measureRE.MatchString(x.ID) && x.Principle != "" && !strings.HasPrefix(x.ID, x.Principle+".") {
			c.add(o, "principle", fmt.Sprintf("measure %s cannot belong to principle %s", x.ID, x.Principle))
		}
		oneOf(c, o, "confidence", x.Confidence, Confidences())
	case *Register:
		c.slug(o, x.ID)
		oneOf(c, o, "unit", x.Unit, RegisterUnits())
		if x.ValidTo != 0 && x.ValidTo < x.ValidFrom {
			c.add(o, "valid_to", fmt.Sprintf("%d is before valid_from %d", x.ValidTo, x.ValidFrom))
		}
	case *Count:
		c.slug(o, x.ID)
		oneOf(c, o, "unit", x.Unit, []Population{Municipalities, CountyMunicipalities})
		oneOf(c, o, "basis", x.Basis, CountBases())
		if x.Year < 1900 || x.Year > 2100 {
			c.add(o, "year", fmt.Sprintf("%d is not a plausible year", x.Year))
		}
		if x.Value <= 0 {
			c.add(o, "value", "a count must be positive")
		}
		if s := x.SizeClass; s != nil && s.Max != 0 && s.Max < s.Min {
			c.add(o, "size_class.max", fmt.Sprintf("%d is below min %d", s.Max, s.Min))
		}
	case *Indicator:
		checkIndicator(c, x)
	case *Published:
		checkPublished(c, x)
	}
}

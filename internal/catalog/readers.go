package catalog

import (
	"regexp"
	"strings"
)

// The knowledge pack's notes are written by its editors for reviewers:
// they name the project's research notes by id ("research-ssb-figures
// §4.3"), fields of the pack's files ("as_written"), files by their path in
// the repository ("data/nsm.yaml") and notes to the developers. Pages show
// them in words a reader can follow: a research note by its title, a field
// by what the page calls it, a file in the pack's one traceable form
// ("grunnlag/nsm.yaml"). The meaning stays; only the internal names go.

var (
	researchRef  = regexp.MustCompile(`\b((?:research|reference)-[a-z][a-z0-9-]*)(?:,? ?§ ?([\d.]*\d))?`)
	developerRef = regexp.MustCompile(`\s*\((?:DESIGN|README|STYLE), issue \d+\)|\s*\(issue \d+\)`)
	packFile     = regexp.MustCompile(`(^|[^/\w])data/([\w-]+\.(?:yaml|csv))`)
	fieldNames   = strings.NewReplacer(
		"as_written", "feltet «Slik står det i vedlegget»",
		"Tittel ikke sett ordrett.", "Ordlyden er ikke bekreftet mot NSMs egen tekst.",
	)
)

// ForReaders rewrites an editor's note for readers (see above).
func (p *Pack) ForReaders(text string) string {
	text = developerRef.ReplaceAllString(text, "")
	text = fieldNames.Replace(text)
	text = packFile.ReplaceAllString(text, "${1}grunnlag/${2}")
	var out strings.Builder
	last := 0
	for _, m := range researchRef.FindAllStringSubmatchIndex(text, -1) {
		id := text[m[2]:m[3]]
		name := "et kildenotat i prosjektet"
		if r, ok := p.Reference(id); ok && r.Title != "" {
			name = "kildenotatet «" + r.Title + "»"
		}
		if before := strings.TrimRight(text[:m[0]], " "); before == "" || strings.HasSuffix(before, ".") {
			name = strings.ToUpper(name[:1]) + name[1:]
		}
		if m[4] >= 0 {
			name += ", avsnitt " + text[m[4]:m[5]]
		}
		out.WriteString(text[last:m[0]])
		out.WriteString(name)
		last = m[1]
	}
	out.WriteString(text[last:])
	return out.String()
}

// Cite writes a citation as a reader can follow it: the document's or
// reference's title instead of its id, and where in it.
func (p *Pack) Cite(c Citation) string {
	name := c.Ref
	if d, ok := p.Document(c.Ref); ok {
		name = d.Label()
	} else if r, ok := p.Reference(c.Ref); ok && r.Title != "" {
		name = r.Title
	}
	if c.At != "" {
		return name + ", " + p.ForReaders(c.At)
	}
	return name
}

package report

import (
	"regexp"
	"strings"
	"testing"

	"github.com/grunnlag/grunnlag/internal/analysis/analysistest"
	"github.com/grunnlag/grunnlag/internal/store"
)

// forbidden are what a reader of the report must never see: internal
// notes, field names of the pack, machine paths, raw timestamps, English
// words in the Norwegian text. A pack reference in its one traceable form
// (grunnlag/findings.yaml:365) is allowed in footnotes.
var forbidden = []struct {
	what string
	re   *regexp.Regexp
}{
	{"an ISO timestamp", regexp.MustCompile(`\d{4}-\d{2}-\d{2}T\d{2}:\d{2}`)},
	{"a time in UTC", regexp.MustCompile(`\bUTC\b`)},
	{"a machine path", regexp.MustCompile(`(/tmp/|/home/|/Users/|[A-Z]:\\|innebygd)`)},
	{"a pack file without its pack", regexp.MustCompile(`(^|[^/\w])[a-z]+\.yaml`)},
	{"a field name", regexp.MustCompile(`\b(as_written|document_kinds|share_of|size_classes|title_lang|successor_of|evidence|supports|url_source|snapshot)\b`)},
	{"an internal note", regexp.MustCompile(`\b(DESIGN|issue \d|research-[a-z-]+|SEEN|INFERRED|DERIVED|TODO|analysis\.\w+)\b`)},
	{"an English word", regexp.MustCompile(`\b(the|and|of|table|inferred|seen|updated|fetched|missing|unknown|source)\b`)},
	{"doubled guillemets", regexp.MustCompile(`««|»»`)},
	// The report's own words: «mer enn», as the appendix uses it (its one
	// «mer en» is a typo, kept in the quotes, which are taken out first).
	{"«mer en» for «mer enn»", regexp.MustCompile(`\bmer en \d`)},
	{"«færre en» for «færre enn»", regexp.MustCompile(`\bfærre en \d`)},
}

// quotedRE finds a quote, innermost first.
var quotedRE = regexp.MustCompile(`«[^«»]*»`)

// urlRE finds web addresses, which may hold any words.
var urlRE = regexp.MustCompile(`https?://\S+`)

// TestReport_readerText scans the text of reports built from different
// stores for everything a reader must not see, and checks that every «
// has its ».
func TestReport_readerText(t *testing.T) {
	shipped := shippedPack(t)
	at := analysistest.FetchedAt(0)
	stores := map[string][]*store.Snapshot{
		"nothing stored": nil,
		"every table":    append(analysistest.All(at), analysistest.Constructed14559(at)),
		"size classes":   {analysistest.Constructed12041BySize(at)},
	}
	for name, snaps := range stores {
		t.Run(name, func(t *testing.T) {
			body := reportBody(t, shipped, snaps...)
			text := bodyText(body)
			// The appendix's own words in block quotes are checked word for
			// word against the appendix by the catalog's tests.
			for _, q := range findAll(body, tag("blockquote")) {
				q.Parent.RemoveChild(q)
			}
			prose := urlRE.ReplaceAllString(bodyText(body), "ADRESSE")
			for quotedRE.MatchString(prose) {
				prose = quotedRE.ReplaceAllString(prose, "SITAT")
			}
			for _, f := range forbidden {
				for _, m := range f.re.FindAllStringIndex(prose, -1) {
					from, to := max(0, m[0]-60), min(len(prose), m[1]+60)
					t.Errorf("%s in the report: …%s…", f.what, prose[from:to])
				}
			}
			if o, c := strings.Count(text, "«"), strings.Count(text, "»"); o != c {
				t.Errorf("%d « and %d »: the guillemets do not balance", o, c)
			}
		})
	}
}

package analysis

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/grunnlag/grunnlag/internal/catalog"
	"github.com/grunnlag/grunnlag/internal/jsonstat"
	"github.com/grunnlag/grunnlag/internal/store"
)

// LabelIssue is an indicator definition that does not resolve against the
// stored version of one of its tables, with the labels of the table that
// come nearest and the YAML that fixes it.
type LabelIssue struct {
	Indicator string
	Title     string
	Table     string
	Successor bool
	// Problem says in bokmål what does not fit, with what the table has.
	Problem string
	// Field is the definition's field that failed ("select[1].category",
	// "successor.select[0].category").
	Field string
	// Nearest are the table's labels nearest to what the definition
	// looks for, best first; empty when nothing comes near.
	Nearest []Suggestion
	// Fix is a pack file that replaces the definition with the nearest
	// labels; load it with --pack. Empty when no fix could be found.
	Fix string
	// FixResolves is true when the fixed definition was resolved against
	// the same snapshot and fits it.
	FixResolves bool
}

// Suggestion is a label of a table and how near it is (0–1).
type Suggestion struct {
	Label string
	Code  string
	Score float64
	// UsedBy is another indicator that already reads this category in
	// the same dimension, which makes it an unlikely fix; "" when none.
	UsedBy string
}

// LabelHealth checks every indicator definition against the stored
// snapshots of its tables and returns those that do not resolve, in pack
// order. A table without a snapshot is not checked: there is nothing to
// check it against yet. It is meant to run after every sync, so an analyst
// learns at once which definitions stopped fitting SSB's labels.
//
// previous holds the version of each table before the newest, where there
// is one: a definition that fitted it is looked for by the labels it
// matched there ("Har ikke tiltaket" finds "Tiltaket er ikke innført"),
// which come nearer than its pattern.
func LabelHealth(pack *catalog.Pack, data, previous Data) []LabelIssue {
	used := usedCategories(pack, data)
	var out []LabelIssue
	for _, def := range pack.Indicators {
		for _, r := range def.Readings() {
			snap := data.Snapshots[r.Table]
			if snap == nil || snap.Data == nil {
				continue
			}
			issue := LabelIssue{Indicator: def.ID, Title: def.Title, Table: r.Table, Successor: r.Successor}
			if snap.Lang == "en" {
				issue.Problem = englishLabels(r.Table)
				out = append(out, issue)
				continue
			}
			_, err := resolve(def.ID, r, snap.Data)
			var re *ResolveError
			if !errors.As(err, &re) {
				continue
			}
			issue.Problem, issue.Field = re.Message(), re.Field
			h := hints{used: used, table: r.Table, self: def.ID, reading: r, prev: previous.Snapshots[r.Table]}
			issue.Nearest = h.nearest(re)
			issue.Fix, issue.FixResolves = fixDefinition(def, r.Successor, snap, h)
			out = append(out, issue)
		}
	}
	return out
}

// Text describes the issue for a person, with the YAML to fix it.
func (li LabelIssue) Text() string {
	var b strings.Builder
	table := "tabell " + li.Table
	if li.Successor {
		table = "etterfølgeren, tabell " + li.Table
	}
	fmt.Fprintf(&b, "Indikatoren «%s» (%s) passer ikke lenger til %s: %s\n", li.Title, li.Indicator, table, li.Problem)
	if len(li.Nearest) > 0 {
		b.WriteString("  Nærmeste etiketter i tabellen:\n")
		for _, s := range li.Nearest {
			fmt.Fprintf(&b, "    «%s» (kode %s)", s.Label, s.Code)
			if s.UsedBy != "" {
				fmt.Fprintf(&b, ", som indikatoren %s alt bruker", s.UsedBy)
			}
			b.WriteString("\n")
		}
	}
	switch {
	case li.Fix != "" && li.FixResolves:
		b.WriteString("  Denne rettelsen passer til tabellen. Legg den i en fil i en egen pakkemappe og bruk --pack MAPPE:\n")
	case li.Fix != "":
		b.WriteString("  Et forslag med de nærmeste etikettene (det passer ikke helt ennå; se over). Legg det i en fil i en egen pakkemappe og bruk --pack MAPPE:\n")
	default:
		b.WriteString("  Ingen etikett i tabellen ligner nok til å foreslå en rettelse; se listen over og rett definisjonen i kunnskapspakken.\n")
	}
	for _, line := range strings.Split(strings.TrimRight(li.Fix, "\n"), "\n") {
		if line != "" {
			b.WriteString("    " + line + "\n")
		}
	}
	return b.String()
}

// maxNearest is how many labels a suggestion lists.
const maxNearest = 3

// minScore is how near a label must come to be suggested.
const minScore = 0.2

// hints is what helps rank the labels of a table for a failed match: the
// categories other definitions read, and what the match found in the
// table's previous version.
type hints struct {
	used    map[usedKey]string // category → the indicator that reads it
	table   string
	self    string
	reading catalog.Reading // the definition as the pack has it
	prev    *store.Snapshot // the table's version before the newest; nil when none
}

type usedKey struct{ table, dim, code string }

// usedCategories returns every category a definition that resolves reads
// in a selected dimension, with the first indicator that reads it.
func usedCategories(pack *catalog.Pack, data Data) map[usedKey]string {
	used := map[usedKey]string{}
	for _, def := range pack.Indicators {
		for _, r := range def.Readings() {
			snap := data.Snapshots[r.Table]
			if snap == nil || snap.Data == nil {
				continue
			}
			res, err := resolve(def.ID, r, snap.Data)
			if err != nil {
				continue
			}
			for _, d := range res.dims {
				if d.Role != RoleSelect {
					continue
				}
				for _, c := range d.Codes {
					k := usedKey{r.Table, d.ID, c}
					if _, ok := used[k]; !ok {
						used[k] = def.ID
					}
				}
			}
		}
	}
	return used
}

// matchedBefore returns the labels the failing field matched in the
// table's previous version, when the definition fitted it.
func matchedBefore(id string, r catalog.Reading, prev *store.Snapshot, field string) []string {
	if prev == nil || prev.Data == nil || prev.Lang == "en" {
		return nil
	}
	res, err := resolve(id, r, prev.Data)
	if err != nil {
		return nil
	}
	m := fieldRE.FindStringSubmatch(field)
	if m == nil {
		return nil
	}
	var out []string
	switch {
	case strings.HasPrefix(m[2], "select"):
		k, _ := strconv.Atoi(m[3])
		if k >= len(r.Select) {
			return nil
		}
		for _, d := range res.dims {
			// Selected dimensions are in the dataset's order, not the
			// definition's: find the one the k-th selector named.
			if d.Role != RoleSelect || !r.Select[k].Dimension.MatchDimension(d.ID, d.Label) {
				continue
			}
			if m[4] == "dimension" {
				out = append(out, d.Label)
			} else {
				out = append(out, d.Labels...)
			}
		}
	case m[6] == "dimension" || m[6] == "total":
		for i := range res.dims {
			if res.dims[i].Role == RoleSize {
				if m[6] == "dimension" {
					out = append(out, res.dims[i].Label)
				} else {
					out = append(out, res.dims[i].Labels...)
				}
			}
		}
	}
	return out
}

// nearest ranks the options of a failed resolve by how near their labels
// come to what the definition looks for (and found before), putting
// categories another definition reads last.
func (h hints) nearest(re *ResolveError) []Suggestion {
	// What the definition matched before says what it means better than
	// its pattern: "Har ikke tiltaket" is nearer "Tiltaket er ikke
	// innført" than "^har ikke" is.
	targets := matchedBefore(h.self, h.reading, h.prev, re.Field)
	if len(targets) == 0 {
		targets = matchTexts(re.Match)
	}
	dim := ""
	if m := dimIDRE.FindStringSubmatch(re.Dimension); m != nil {
		dim = m[1] + m[2]
	}
	var out []Suggestion
	for _, o := range re.Options {
		score := 0.0
		for _, t := range targets {
			score = max(score, similarity(t, o.Label), similarity(t, o.Code))
		}
		if score < minScore {
			continue
		}
		s := Suggestion{Label: o.Label, Code: o.Code, Score: score}
		if by, ok := h.used[usedKey{h.table, dim, o.Code}]; ok && by != h.self && dim != "" {
			s.UsedBy = by
		}
		out = append(out, s)
	}
	slices.SortStableFunc(out, func(a, b Suggestion) int {
		switch {
		case (a.UsedBy == "") != (b.UsedBy == ""):
			if a.UsedBy == "" {
				return -1
			}
			return 1
		case a.Score > b.Score:
			return -1
		case a.Score < b.Score:
			return 1
		}
		return 0
	})
	return out[:min(len(out), maxNearest)]
}

// dimIDRE reads the dimension's id from ResolveError.Dimension:
// "«status for tiltak» (StatusTiltak)" or "«Tid»".
var dimIDRE = regexp.MustCompile(`(?:\(([^()]*)\)|«([^»]*)»)$`)

// matchRE reads a match as ResolveError writes it: `label "x"`,
// `pattern "(?i)x"`, `code "x"`, `id "x"`.
var matchRE = regexp.MustCompile(`^(label|pattern|code|id) (".*")$`)

// regexSyntax is what a pattern has besides words.
var regexSyntax = regexp.MustCompile(`\(\?[a-zA-Z]+\)|\\[bBdDsSwW]|[\^$()\[\]?*+{}.\\]`)

// matchTexts returns the words a match looks for: a label itself, or each
// alternative of a pattern with its syntax taken out.
func matchTexts(m string) []string {
	sub := matchRE.FindStringSubmatch(m)
	if sub == nil {
		return nil
	}
	v, err := strconv.Unquote(sub[2])
	if err != nil {
		return nil
	}
	if sub[1] != "pattern" {
		return []string{v}
	}
	var out []string
	for _, alt := range strings.Split(v, "|") {
		if w := strings.TrimSpace(regexSyntax.ReplaceAllString(alt, " ")); w != "" {
			out = append(out, w)
		}
	}
	return out
}

// similarity is how alike two labels are, 0–1: mostly the words they have
// in common (Dice's coefficient, where two words count as common when they
// share a stretch of at least five letters that is at least half of the
// shorter word, so "sikkerhetspatch" meets "sikkerhetsoppdateringer"), and
// a little one minus their edit distance over the longer length, which
// alone would favour short labels.
func similarity(a, b string) float64 {
	a, b = strings.ToLower(strings.Join(strings.Fields(a), " ")), strings.ToLower(strings.Join(strings.Fields(b), " "))
	if a == "" || b == "" {
		return 0
	}
	ta, tb := words(a), words(b)
	common := 0
	for _, x := range ta {
		for _, y := range tb {
			if x == y || sharedStretch(x, y) {
				common++
				break
			}
		}
	}
	dice := 0.0
	if n := len(ta) + len(tb); n > 0 {
		dice = 2 * float64(common) / float64(n)
	}
	ra, rb := []rune(a), []rune(b)
	edit := 1 - float64(levenshtein(ra, rb))/float64(max(len(ra), len(rb)))
	return 0.7*dice + 0.3*edit
}

// sharedStretch reports whether two words share a run of letters of at
// least five that is at least half the shorter word.
func sharedStretch(x, y string) bool {
	rx, ry := []rune(x), []rune(y)
	need := max(5, (min(len(rx), len(ry))+1)/2)
	best := 0
	prev := make([]int, len(ry)+1)
	cur := make([]int, len(ry)+1)
	for i := 1; i <= len(rx); i++ {
		for j := 1; j <= len(ry); j++ {
			if rx[i-1] == ry[j-1] {
				cur[j] = prev[j-1] + 1
				best = max(best, cur[j])
			} else {
				cur[j] = 0
			}
		}
		prev, cur = cur, prev
	}
	return best >= need
}

func words(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// levenshtein is the edit distance between two strings of runes.
func levenshtein(a, b []rune) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// maxFixes bounds how many matches one fix may replace.
const maxFixes = 8

// fixDefinition replaces each failing match of a definition's reading by
// the exact label nearest to it, until the reading resolves against the
// snapshot or no label comes near, and returns the fixed definition as a
// pack file.
func fixDefinition(def *catalog.Indicator, successor bool, snap *store.Snapshot, h hints) (string, bool) {
	fixed := copyIndicator(def)
	changed, ok := false, false
	for range maxFixes {
		r := readingOf(fixed, successor)
		_, err := resolve(fixed.ID, r, snap.Data)
		var re *ResolveError
		if !errors.As(err, &re) {
			ok = err == nil
			break
		}
		best := h.nearest(re)
		if len(best) == 0 || best[0].UsedBy != "" || !replaceMatch(fixed, re.Field, best[0].Label, snap.Data) {
			break
		}
		changed = true
	}
	if !changed {
		return "", false
	}
	out, err := catalog.EncodeIndicators(fixed)
	if err != nil {
		return "", false
	}
	return string(out), ok
}

func readingOf(def *catalog.Indicator, successor bool) catalog.Reading {
	rs := def.Readings()
	if successor {
		return rs[len(rs)-1]
	}
	return rs[0]
}

// copyIndicator copies a definition deeply enough that replaceMatch can
// change its selectors without touching the pack's.
func copyIndicator(def *catalog.Indicator) *catalog.Indicator {
	c := *def
	c.Select = copySelect(def.Select)
	if def.SizeClasses != nil {
		sc := *def.SizeClasses
		c.SizeClasses = &sc
	}
	if def.Time != nil {
		t := *def.Time
		c.Time = &t
	}
	if def.Successor != nil {
		s := *def.Successor
		s.Select = copySelect(def.Successor.Select)
		if s.SizeClasses != nil {
			sc := *s.SizeClasses
			s.SizeClasses = &sc
		}
		if s.Time != nil {
			t := *s.Time
			s.Time = &t
		}
		c.Successor = &s
	}
	return &c
}

func copySelect(in []catalog.Selector) []catalog.Selector {
	out := make([]catalog.Selector, len(in))
	for i, s := range in {
		out[i] = catalog.Selector{Dimension: s.Dimension, Categories: slices.Clone(s.Categories)}
		if s.Category != nil {
			cat := *s.Category
			out[i].Category = &cat
		}
	}
	return out
}

// fieldRE parses the field of a failed match.
var fieldRE = regexp.MustCompile(`^(successor\.)?(select\[(\d+)\]\.(dimension|category|categories\[(\d+)\])|size_classes\.(dimension|total)|time.*)$`)

// replaceMatch sets the failing match named by field to the exact label;
// false when the field is not one a label can fix.
func replaceMatch(def *catalog.Indicator, field, label string, ds *jsonstat.Dataset) bool {
	m := fieldRE.FindStringSubmatch(field)
	if m == nil {
		return false
	}
	sel, sizes, tm := &def.Select, &def.SizeClasses, &def.Time
	if m[1] != "" {
		if def.Successor == nil {
			return false
		}
		sel, sizes, tm = &def.Successor.Select, &def.Successor.SizeClasses, &def.Successor.Time
	}
	dim := catalog.DimensionMatch{Label: label}
	cat := catalog.CategoryMatch{Label: label}
	switch {
	case m[2] != "" && strings.HasPrefix(m[2], "select"):
		i, _ := strconv.Atoi(m[3])
		if i >= len(*sel) {
			return false
		}
		s := &(*sel)[i]
		switch {
		case m[4] == "dimension":
			s.Dimension = dim
		case m[4] == "category":
			s.Category = &cat
		default:
			j, _ := strconv.Atoi(m[5])
			if j >= len(s.Categories) {
				return false
			}
			s.Categories[j] = cat
		}
	case m[6] == "dimension" && *sizes != nil:
		(*sizes).Dimension = dim
	case m[6] == "total" && *sizes != nil:
		(*sizes).Total = cat
	case strings.HasPrefix(m[2], "time"):
		// The label names a dimension; match the time dimension by id,
		// which does not change with the language.
		for i := range ds.Dimensions {
			if ds.Dimensions[i].Label == label {
				*tm = &catalog.DimensionMatch{ID: ds.Dimensions[i].ID}
				return true
			}
		}
		return false
	default:
		return false
	}
	return true
}

// LabelReport words the result of LabelHealth for the command line and
// the sync page: one line when every definition fits, else each issue
// with its fix.
func LabelReport(issues []LabelIssue) string {
	if len(issues) == 0 {
		return "Etikettene: alle indikatordefinisjonene passer til de lagrede tabellene.\n"
	}
	var b strings.Builder
	n := "1 indikatordefinisjon passer"
	if len(issues) > 1 {
		n = fmt.Sprintf("%d indikatordefinisjoner passer", len(issues))
	}
	fmt.Fprintf(&b, "Etikettene: %s ikke lenger til de lagrede tabellene. Indikatorene det gjelder, mangler i rapporten til definisjonen er rettet; resten bygges som før.\n", n)
	for _, li := range issues {
		b.WriteString("\n" + li.Text())
	}
	return b.String()
}

// Package usertext says what must never reach a user of grunnlag: every
// sentence a user reads must be free of the project's internals — machine
// paths, the built-in pack's name, field names of the pack's files, notes
// to the editors or developers, raw timestamps, raw API addresses given as
// a source, and English words of the data model. A pack reference in its
// one traceable form, "grunnlag/findings.yaml:365", is allowed (footnotes
// use it). The web's and the command line's tests scan what they show with
// Problems.
package usertext

import (
	"fmt"
	"regexp"
	"strings"
)

// forbidden is the list of what must not reach a user, with why.
var forbidden = []struct {
	re  *regexp.Regexp
	why string
}{
	{regexp.MustCompile(`(?i)\(innebygd\)`), "the built-in pack's internal name"},
	{regexp.MustCompile(`\b(as_written|themes_inferred|url_source|title_lang|table_id|fetched_at|snapshot_id)\b`), "a field name of the pack or the store"},
	{regexp.MustCompile(`(?i)DESIGN, issue|\bissue \d+`), "a note to the developers"},
	{regexp.MustCompile(`research-[a-z]`), "a reference to the project's research notes"},
	{regexp.MustCompile(`(?i)ikke sett ordrett|ikke sett her`), "a note to the editors"},
	{regexp.MustCompile(`\d{4}-\d\d-\d\d[T ]\d\d:\d\d`), "a raw timestamp"},
	{regexp.MustCompile(`(^|[\s(«"])(/tmp/|/home/|/work/|/usr/|/var/|[A-Z]:\\)`), "a machine path"},
	{regexp.MustCompile(`(^|[^/\w])(data|testdata)/[\w.-]+\.(yaml|csv|json)`), "a file of the repository"},
	{regexp.MustCompile(`(?i)kilde:?\s*https?://`), "a raw address given as the source"},
	{regexp.MustCompile(`\b(outcome|snapshot|unchanged|fetched|failed|added|skipped|registered)\b`), "an English word of the data model"},
}

// allowedRef is the one traceable form of a pack reference.
var allowedRef = regexp.MustCompile(`\bgrunnlag/[\w-]+\.yaml:\d+`)

// Problems returns what of the forbidden list text holds, each with why
// and where.
func Problems(text string) []string {
	text = allowedRef.ReplaceAllString(text, "")
	var out []string
	for _, f := range forbidden {
		if m := f.re.FindString(text); m != "" {
			i := strings.Index(text, m)
			out = append(out, fmt.Sprintf("%s %q in …%s…", f.why, strings.TrimSpace(m), excerpt(text, i, len(m))))
		}
	}
	return out
}

func excerpt(s string, i, n int) string {
	a, b := max(0, i-40), min(len(s), i+n+40)
	for a > 0 && !utf8Start(s[a]) {
		a--
	}
	for b < len(s) && !utf8Start(s[b]) {
		b++
	}
	return strings.Join(strings.Fields(s[a:b]), " ")
}

func utf8Start(c byte) bool { return c&0xC0 != 0x80 }

// apiAddress is a raw API address, which pages never show (the command
// line's usage names the default server's address, which is information
// there).
var apiAddress = regexp.MustCompile(`https?://[^\s]*/api/`)

// PageProblems returns the problems of a web page's text: Problems, and a
// raw API address anywhere.
func PageProblems(text string) []string {
	out := Problems(text)
	if m := apiAddress.FindString(text); m != "" {
		out = append(out, fmt.Sprintf("a raw API address %q", m))
	}
	return out
}

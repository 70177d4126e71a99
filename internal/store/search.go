package store

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/grunnlag/grunnlag/internal/fault"
)

// The search semantics every store implements, in one place so that SQLite
// and PostgreSQL split words, fold case and cut snippets the same way. Each
// store indexes SearchWords(entry.Text), not the text itself: the words,
// lowercased here, one space apart. Its full-text index then only has to
// split on spaces, and æ, ø, å stay letters of their own whatever the
// database's locale or tokenizer thinks.

// MaxSearchWords is the most words a search query may have.
const MaxSearchWords = 32

// MinSubstring is the length, in letters, from which a query word also
// matches inside a longer word: Norwegian joins words into compounds
// ("sikkerhetskopi", "beredskapsplan"), whose last part is often what one
// searches for. Shorter words only match a word's beginning, so that an
// abbreviation such as "ROS" does not match "prosent" or "prosess".
const MinSubstring = 4

// minStem is the fewest letters Stem leaves of a word.
const minStem = 5

// inflections are the endings Stem removes first, longest first: the
// plural and definite forms of Norwegian nouns ("kommunene", "tiltakene",
// "hendelser", "sikkerheten", "rådet").
var inflections = []string{"ene", "ane", "er", "en", "et"}

// Stem returns the part of a query word that a search matches at a word's
// beginning: the word without a Norwegian inflection ending and then
// without the verbal noun's "-ing", as long as five letters remain. A light
// stemmer, since a matched word may go on: "patcher" gives "patch", which
// finds "patch", "patcher" and "patching"; "hendelser" gives "hendels",
// which finds "hendelse" and "hendelsene"; "rekrutteringen" gives
// "rekrutter", which finds "rekruttere". Short words are kept whole.
func Stem(word string) string {
	cut := func(end string) bool {
		if strings.HasSuffix(word, end) && utf8.RuneCountInString(word)-utf8.RuneCountInString(end) >= minStem {
			word = strings.TrimSuffix(word, end)
			return true
		}
		return false
	}
	for _, end := range inflections {
		if cut(end) {
			break
		}
	}
	cut("ing")
	return word
}

// isWordRune reports whether r belongs to a word: a letter, a digit or a
// combining mark (so that a decomposed "ø" stays one letter's worth of word).
func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.IsMark(r)
}

// SearchWords returns text as the stores index it: its words, lowercased,
// separated by one space. Everything that is not a letter, a digit or a
// mark separates words. Words joined by hyphens are also given joined
// ("Tofaktor-autentisering" gives "tofaktor autentisering
// tofaktorautentisering", "back-up" gives "back up backup"), since
// Norwegian writes the same compound both ways.
func SearchWords(text string) string {
	var b strings.Builder
	b.Grow(len(text) + len(text)/8)
	var word strings.Builder
	var run []string // the words of the current hyphen-joined run
	endRun := func() {
		if len(run) > 1 && !slices.ContainsFunc(run, isNumber) {
			b.WriteByte(' ')
			b.WriteString(strings.Join(run, ""))
		}
		run = run[:0]
	}
	sepLen, sepHyphen := 0, false // the separator since the last word
	endWord := func() {
		if word.Len() == 0 {
			return
		}
		w := word.String()
		word.Reset()
		if sepLen != 1 || !sepHyphen {
			endRun()
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(w)
		run = append(run, w)
		sepLen, sepHyphen = 0, false
	}
	for _, r := range text {
		if isWordRune(r) {
			word.WriteRune(unicode.ToLower(r))
			continue
		}
		endWord()
		sepLen++
		sepHyphen = r == '-'
	}
	endWord()
	endRun()
	return b.String()
}

// isNumber reports whether a word is digits only.
func isNumber(w string) bool {
	return !strings.ContainsFunc(w, func(r rune) bool { return !unicode.IsNumber(r) })
}

// splitWords is SearchWords without the joined forms: a query's words.
func splitWords(text string) string {
	var b strings.Builder
	b.Grow(len(text))
	in := false
	for _, r := range text {
		if !isWordRune(r) {
			in = false
			continue
		}
		if !in && b.Len() > 0 {
			b.WriteByte(' ')
		}
		in = true
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// SearchTerms returns the words of a search query as the stores match
// them: split and lowercased as SearchWords does, in order, each once.
// Punctuation, quotes, operators and every other piece of a search engine's
// syntax only separate words, so a query can never reach that syntax. No
// words (an empty query, or one of punctuation only) is an empty list; more
// than MaxSearchWords is fault.Invalid.
func SearchTerms(query string) ([]string, error) {
	var terms []string
	for _, w := range strings.Fields(splitWords(query)) {
		if !slices.Contains(terms, w) {
			terms = append(terms, w)
		}
	}
	if len(terms) > MaxSearchWords {
		return nil, fault.WithUser(fault.Invalid, fmt.Sprintf("Søket har for mange ord; bruk høyst %d.", MaxSearchWords),
			fmt.Errorf("search query has %d words, at most %d allowed", len(terms), MaxSearchWords))
	}
	return terms, nil
}

// Substring reports whether a query term also matches inside a longer word:
// when it has MinSubstring letters or more.
func Substring(term string) bool {
	return utf8.RuneCountInString(term) >= MinSubstring
}

// HitScore returns a hit's Score from the store's rank (zero or more,
// higher better): word and prefix hits score in [1, 2), hits that needed a
// match inside a longer word in [0, 1), so the first always come first.
func HitScore(wordHit bool, rank float64) float64 {
	if rank < 0 || math.IsNaN(rank) {
		rank = 0
	}
	s := rank / (1 + rank)
	if wordHit {
		s++
	}
	return s
}

// SubstringRank ranks a hit that needed a match inside a longer word, the
// same in every store: the number of times the terms occur in words (a
// SearchWords text).
func SubstringRank(words string, terms []string) float64 {
	n := 0
	for _, t := range terms {
		n += strings.Count(words, t)
	}
	return float64(n)
}

// Snippet lengths, in characters.
const (
	snippetBefore = 40
	snippetLength = 160
)

// Snippet returns a short part of text, about 160 characters cut at word
// boundaries, around the first place a term matches: the first word that
// begins with a term or, when there is none, the first match inside a word.
// Runs of white space become one space; "…" marks a cut.
func Snippet(text string, terms []string) string {
	runes := collapseSpace(text)
	lower := make([]rune, len(runes))
	for i, r := range runes {
		lower[i] = unicode.ToLower(r)
	}
	pos, length := firstMatch(lower, terms)

	// Show snippetBefore characters before the match, more when the text
	// ends soon after it.
	start := max(0, min(pos-snippetBefore, len(runes)-snippetLength))
	if start > 0 {
		// Begin at a word: after the first space from start, if before the match.
		if i := slices.Index(runes[start:pos], ' '); i >= 0 {
			start += i + 1
		}
	}
	end := min(len(runes), start+snippetLength)
	if end < len(runes) {
		// End at a word: at the last space before end, if after the match.
		from := min(pos+length, end)
		if i := lastIndexRune(runes[from:end], ' '); i >= 0 {
			end = from + i
		}
	}
	var b strings.Builder
	if start > 0 {
		b.WriteString("…")
	}
	b.WriteString(strings.TrimSpace(string(runes[start:end])))
	if end < len(runes) {
		b.WriteString("…")
	}
	return b.String()
}

// firstMatch returns the position and length of the first word of lower
// that begins with a term, else of the first term inside a word, else 0, 0.
func firstMatch(lower []rune, terms []string) (pos, length int) {
	tr := make([][]rune, len(terms))
	for i, t := range terms {
		tr[i] = []rune(t)
	}
	inside := -1
	insideLen := 0
	for i := range lower {
		for _, t := range tr {
			if len(t) == 0 || !hasPrefix(lower[i:], t) {
				continue
			}
			if i == 0 || !isWordRune(lower[i-1]) {
				return i, len(t)
			}
			if inside < 0 && len(t) >= MinSubstring {
				inside, insideLen = i, len(t)
			}
		}
	}
	if inside >= 0 {
		return inside, insideLen
	}
	return 0, 0
}

func hasPrefix(s, prefix []rune) bool {
	return len(s) >= len(prefix) && slices.Equal(s[:len(prefix)], prefix)
}

func lastIndexRune(s []rune, r rune) int {
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] == r {
			return i
		}
	}
	return -1
}

// collapseSpace returns text as runes with each run of white space one
// space and none at either end.
func collapseSpace(text string) []rune {
	out := make([]rune, 0, len(text))
	space := false
	for _, r := range text {
		if unicode.IsSpace(r) {
			space = true
			continue
		}
		if space && len(out) > 0 {
			out = append(out, ' ')
		}
		space = false
		out = append(out, r)
	}
	return out
}

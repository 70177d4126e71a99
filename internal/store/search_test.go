package store_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/grunnlag/grunnlag/internal/fault"
	"github.com/grunnlag/grunnlag/internal/store"
)

func TestSearchWords(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", ""},
		{"punctuation only", ` "*()-:^ `, ""},
		{"case folded, æøå kept", "ØVELSER på Bærum, Tromsø", "øvelser på bærum tromsø"},
		{"hyphen and colon split, hyphened joined too", "NOU 2018:14 IKT-sikkerhet", "nou 2018 14 ikt sikkerhet iktsikkerhet"},
		{"FTS syntax is separators", `"patch"* AND (NEAR kind:x)`, "patch and near kind x"},
		{"combining mark stays in the word", "o\u0338velse", "o\u0338velse"},
		{"percent and underscore split", "50%_andel", "50 andel"},
		{"white space runs", "a\t\n  b", "a b"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := store.SearchWords(tt.in); got != tt.want {
				t.Errorf("SearchWords(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestSearchTerms(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"", nil},
		{`"*()-:^`, nil},
		{"Patch patch PATCH", []string{"patch"}},
		{"øvelse Kommunene", []string{"øvelse", "kommunene"}},
	}
	for _, tt := range tests {
		got, err := store.SearchTerms(tt.in)
		if err != nil {
			t.Errorf("SearchTerms(%q) = %v", tt.in, err)
			continue
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("SearchTerms(%q) mismatch (-want +got):\n%s", tt.in, diff)
		}
	}

	many := strings.Repeat("a b c d e f g h ", 4) + "ni ti"
	if _, err := store.SearchTerms(many); err != nil {
		t.Errorf("SearchTerms(10 distinct words, 34 in all) = %v, want nil (duplicates count once)", err)
	}
	var words []string
	for i := range store.MaxSearchWords + 1 {
		words = append(words, "w"+strings.Repeat("x", i))
	}
	_, err := store.SearchTerms(strings.Join(words, " "))
	if fault.KindOf(err) != fault.Invalid {
		t.Errorf("SearchTerms(%d words) = %v, want kind %v", len(words), err, fault.Invalid)
	}
}

func TestSubstring(t *testing.T) {
	for in, want := range map[string]bool{"ab": false, "ros": false, "øve": false, "øvel": true, "kopi": true} {
		if got := store.Substring(in); got != want {
			t.Errorf("Substring(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestStem(t *testing.T) {
	for in, want := range map[string]string{
		"kommunene":    "kommun",
		"tiltakene":    "tiltak",
		"hendelser":    "hendels",
		"patcher":      "patch",
		"sikkerheten":  "sikkerhet",
		"rådet":        "rådet", // "råd" is too short a stem
		"tester":       "tester",
		"øvelser":      "øvels",
		"ros":          "ros",
		"backup":       "backup",
		"ansattes":     "ansattes",
		"rekruttering": "rekrutter",
		"opplæringen":  "opplær",
		"logging":      "logging",
	} {
		if got := store.Stem(in); got != want {
			t.Errorf("Stem(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestHitScore(t *testing.T) {
	// Any word hit scores above any substring hit; within a tier, rank
	// orders.
	low, high := store.HitScore(true, 0), store.HitScore(false, 1e12)
	if low <= high {
		t.Errorf("HitScore(true, 0) = %v, not above HitScore(false, 1e12) = %v", low, high)
	}
	if a, b := store.HitScore(true, 2), store.HitScore(true, 1); a <= b {
		t.Errorf("HitScore(true, 2) = %v, not above HitScore(true, 1) = %v", a, b)
	}
	if got := store.HitScore(false, -3); got != 0 {
		t.Errorf("HitScore(false, -3) = %v, want 0", got)
	}
}

func TestSnippet(t *testing.T) {
	filler := strings.Repeat("fyll ", 60) // 300 characters
	tests := []struct {
		name   string
		text   string
		terms  []string
		want   string
		prefix bool // want is only the beginning
	}{
		{"short text whole", "Kort tekst om øvelser.", []string{"øvelse"}, "Kort tekst om øvelser.", false},
		{"no match: the beginning", filler, []string{"patch"}, strings.TrimSpace(filler[:160]) + "…", false},
		{"white space collapsed", "a\n\n  b\tc", []string{"b"}, "a b c", false},
		{"word start before inside", "sikkerhetspatcher " + filler + "patch " + filler, []string{"patch"},
			"…" + strings.Repeat("fyll ", 7) + "patch fyll", true},
		{"upper case text", filler + "ØVELSER i Vestland", []string{"øvelser"},
			"…" + strings.TrimSpace(strings.Repeat("fyll ", 28)) + " ØVELSER i Vestland", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := store.Snippet(tt.text, tt.terms)
			if got != tt.want && !(tt.prefix && strings.HasPrefix(got, tt.want)) {
				t.Errorf("Snippet(%.20q…, %q) = %q, want %q", tt.text, tt.terms, got, tt.want)
			}
			if n := len([]rune(got)); n > 162 {
				t.Errorf("Snippet() = %d characters, want at most 162", n)
			}
		})
	}

	// A match in the middle: about 40 characters before it, cut at words.
	text := filler + "varsling av hendelser " + filler
	got := store.Snippet(text, []string{"hendelser"})
	if !strings.HasPrefix(got, "…fyll") || !strings.HasSuffix(got, "fyll…") || !strings.Contains(got, "varsling av hendelser") {
		t.Errorf("Snippet(match in the middle) = %q, want … words around the match …", got)
	}
	if i := strings.Index(got, "hendelser"); i < 30 || i > 60 {
		t.Errorf("Snippet(match in the middle) = %q: match at byte %d, want about 40 characters in", got, i)
	}
}

func TestSearchWordsJoined(t *testing.T) {
	for in, want := range map[string]string{
		"Tofaktor-autentisering for ansatte": "tofaktor autentisering tofaktorautentisering for ansatte",
		"back-up og IKT-sikkerhet":           "back up backup og ikt sikkerhet iktsikkerhet",
		"a - b":                              "a b",
		"2018-2019":                          "2018 2019",
		"ROS-analyse-arbeid.":                "ros analyse arbeid rosanalysearbeid",
		"x-":                                 "x",
	} {
		if got := store.SearchWords(in); got != want {
			t.Errorf("SearchWords(%q) = %q, want %q", in, got, want)
		}
	}
}

package postgres

import (
	"strings"
	"testing"
)

func TestTSVector(t *testing.T) {
	long := strings.Repeat("x", maxLexeme+1)
	tests := []struct {
		name, words, want string
	}{
		{"empty", "", ""},
		{"positions, sorted lexemes", "øvelse og øvelser og bærum", "'bærum':5 'og':2,4 'øvelse':1 'øvelser':3"},
		{"quotes and backslashes escaped", `it's a\b`, `'a\\b':2 'it''s':1`},
		{"too long a word left out", "kort " + long, "'kort':1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tsvector(tt.words); got != tt.want {
				t.Errorf("tsvector(%.30q) = %q, want %q", tt.words, got, tt.want)
			}
		})
	}

	// Positions stop at PostgreSQL's limits.
	many := strings.TrimSpace(strings.Repeat("ord ", maxPositions+10))
	if got := strings.Count(tsvector(many), ","); got != maxPositions-1 {
		t.Errorf("tsvector(%d times the same word) has %d positions, want %d", maxPositions+10, got+1, maxPositions)
	}
	far := strings.TrimSpace(strings.Repeat("a ", maxPosition+5)) + " slutt"
	if got := tsvector(far); !strings.HasSuffix(got, "'slutt':16383") {
		t.Errorf("tsvector(word at position %d) = …%s, want position %d", maxPosition+6, got[len(got)-20:], maxPosition)
	}
}

func TestEscapeLike(t *testing.T) {
	if got, want := escapeLike(`50%_a\b`), `50\%\_a\\b`; got != want {
		t.Errorf("escapeLike(%q) = %q, want %q", `50%_a\b`, got, want)
	}
}

// TestTableKey pins the lock keys: processes of different grunnlag
// versions that share a database must lock a table under the same key, so
// a change of the hash would let two of them store the same content twice.
func TestTableKey(t *testing.T) {
	for id, want := range map[string]int32{"12041": -1203335283, "12038": 827197901} {
		if got := tableKey(id); got != want {
			t.Errorf("tableKey(%q) = %d, want %d", id, got, want)
		}
	}
}

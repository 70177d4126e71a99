package storetest

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/grunnlag/grunnlag/internal/fault"
	"github.com/grunnlag/grunnlag/internal/store"
)

// testSearch searches constructedCatalog. The hits of a query are listed
// as kind/id, best first; within a tier (word and prefix hits, then hits
// inside longer words) the suite asks for no particular order unless the
// case says so, since each store ranks with its own engine.
func testSearch(t *testing.T, st store.Archive) {
	ctx := context.Background()
	replaceCatalog(t, st, constructedCatalog(), true)

	const (
		nsmDoc    = "document/nsm-grunnprinsipper"
		patch     = "finding/patch-rutiner"
		exercise  = "activity/beredskap-2022"
		exercises = "need/ovelser"
		guide     = "document/veileder"
		long      = "finding/lang-tekst"
		ros       = "finding/ros"
		process   = "finding/prosess"
	)
	tests := []struct {
		name  string
		query string
		limit int
		// tiers of hits, best tier first; the order within a tier is free.
		want [][]string
	}{
		{"word", "patch", 0, [][]string{{nsmDoc}, {patch}}},
		{"inside a longer word", "hetspatch", 0, [][]string{{}, {patch}}},
		{"prefix of a longer word", "sikkerhetspatch", 0, [][]string{{patch}}},
		{"prefix and inside", "øvelse", 0, [][]string{{exercises}, {exercise}}},
		{"inflected: the stem's prefix and inside", "øvelser", 0, [][]string{{exercises}, {exercise}}},
		{"definite plural", "tilfelle", 0, [][]string{{ros}}},
		{"inflected query, other form in the text", "patchene", 0, [][]string{{nsmDoc}, {patch}}},
		{"short stem kept whole", "tester", 0, [][]string{{}, {exercises}}},
		{"abbreviation not inside a word", "ROS", 0, [][]string{{ros}}},
		{"four letters inside a compound", "kopi", 0, [][]string{{}, {process}}},
		{"compound's last part", "kopiering", 0, [][]string{{}, {process}}},
		{"æøå kept apart from ao", "ovelse", 0, nil},
		{"æ kept apart from a", "barum", 0, nil},
		{"æ", "bærum", 0, [][]string{{guide}}},
		{"upper case query", "NSM", 0, [][]string{{nsmDoc, guide}}},
		{"lower case query", "nsm", 0, [][]string{{nsmDoc, guide}}},
		{"upper case æøå", "ØVELSER", 0, [][]string{{exercises}, {exercise}}},
		{"every word must match", "kommuner rutine", 0, [][]string{{patch}}},
		{"every word, mixed tiers", "øvelse kommunene", 0, [][]string{{exercises}, {exercise}}},
		{"one word missing", "patch vestland", 0, nil},
		{"prefix", "penetrasjon", 0, [][]string{{exercises}}},
		{"inside, end of a word", "tester", 0, [][]string{{}, {exercises}}},
		{"short word is a prefix only", "tc", 0, nil},
		{"short word prefix", "60", 0, [][]string{{patch}}},
		{"short and long word", "ov sikkerhetspatcher", 0, [][]string{{patch}}},
		{"short word with a word inside", "ov patch", 0, [][]string{{}, {patch}}},
		{"digits", "2022", 0, [][]string{{exercise}}},
		{"hyphen splits words", "ikt-sikkerhet", 0, [][]string{{nsmDoc}}},
		{"operators are words", "patch OR vestland", 0, nil},
		{"NOT is a word", "NOT patch", 0, nil},
		{"quotes and stars", `"patch*`, 0, [][]string{{nsmDoc}, {patch}}},
		{"column filter syntax", "text:patch", 0, nil},
		{"limit cuts the lower tier", "patch", 1, [][]string{{nsmDoc}}},
		{"limit", "kommune", 2, nil}, // checked below
		{"empty", "", 0, nil},
		{"blank", "  \t\n", 0, nil},
		{"only syntax", `"*()-:^`, 0, nil},
		{"more syntax", `NEAR( AND OR NOT ) {} [] + - ~ ' \ % _ ; --`, 0, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hits, err := st.SearchCatalog(ctx, tt.query, tt.limit)
			if err != nil {
				t.Fatalf("SearchCatalog(%q, %d) = %v, want nil error", tt.query, tt.limit, err)
			}
			if hits == nil {
				t.Errorf("SearchCatalog(%q, %d) = nil, want a list", tt.query, tt.limit)
			}
			if tt.name == "limit" {
				if len(hits) != 2 {
					t.Errorf("SearchCatalog(%q, 2) = %d hits, want 2", tt.query, len(hits))
				}
				return
			}
			if diff := cmp.Diff(normalTiers(tt.want), tiers(hits)); diff != "" {
				t.Errorf("SearchCatalog(%q, %d) mismatch (-want +got):\n%s", tt.query, tt.limit, diff)
			}
			for i, h := range hits {
				if i > 0 && h.Score > hits[i-1].Score {
					t.Errorf("SearchCatalog(%q) hit %d scores %v, above hit %d (%v)", tt.query, i, h.Score, i-1, hits[i-1].Score)
				}
			}
		})
	}

	// More words than any search allows.
	var many []string
	for i := range store.MaxSearchWords + 1 {
		many = append(many, fmt.Sprintf("ord%d", i))
	}
	_, err := st.SearchCatalog(ctx, strings.Join(many, " "), 0)
	wantKind(t, "SearchCatalog(too many words)", err, fault.Invalid)

	// A hit carries its entry without data, and a snippet around the match.
	want := constructedCatalog()
	hits, err := st.SearchCatalog(ctx, "sikkerhetspatcher", 0)
	if err != nil || len(hits) != 1 {
		t.Fatalf("SearchCatalog(sikkerhetspatcher) = %d hits, %v, want 1, nil", len(hits), err)
	}
	e := want.Entries[1]
	e.Data = nil
	if diff := cmp.Diff(e, hits[0].Entry); diff != "" {
		t.Errorf("SearchCatalog(sikkerhetspatcher) entry mismatch (-want +got):\n%s", diff)
	}
	if got := hits[0].Snippet; got != e.Text {
		t.Errorf("SearchCatalog(sikkerhetspatcher) snippet = %q, want the whole short text %q", got, e.Text)
	}

	hits, err = st.SearchCatalog(ctx, "varsling hendelser", 0)
	if err != nil || len(hits) != 1 || hits[0].Entry.Kind+"/"+hits[0].Entry.ID != long {
		t.Fatalf("SearchCatalog(varsling hendelser) = %v, %v, want %s", hits, err, long)
	}
	snip := hits[0].Snippet
	if !strings.HasPrefix(snip, "…") || !strings.HasSuffix(snip, "…") ||
		!strings.Contains(snip, "Til slutt: varsling av hendelser. Mer fylltekst") || len([]rune(snip)) > 170 {
		t.Errorf("SearchCatalog(varsling hendelser) snippet = %q, want about 160 characters around the match, cut with …", snip)
	}
}

// tiers splits hits into word hits (score 1 or more) and hits inside
// longer words, each sorted by kind/id.
func tiers(hits []store.SearchHit) [][]string {
	out := [][]string{{}, {}}
	for _, h := range hits {
		tier := 1
		if h.Score >= 1 {
			tier = 0
		}
		out[tier] = append(out[tier], h.Entry.Kind+"/"+h.Entry.ID)
	}
	return normalTiers(out)
}

// normalTiers sorts each tier and makes the list two tiers long.
func normalTiers(ts [][]string) [][]string {
	out := [][]string{{}, {}}
	for i, tier := range ts {
		out[i] = append(out[i], tier...)
		slices.Sort(out[i])
	}
	return out
}

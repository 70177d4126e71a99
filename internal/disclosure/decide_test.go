package disclosure

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"
)

func TestDecideRefusesBadInput(t *testing.T) {
	five := orgs("m", 5)
	many := make([]Group, MaxGroups+1)
	for i := range many {
		many[i] = Group{Kind: "provider", Key: fmt.Sprint(i)}
	}
	big := make([]string, MaxMemberships/2+1)
	for i := range big {
		big[i] = fmt.Sprint(i)
	}
	tests := []struct {
		name   string
		groups []Group
		k      int
		want   string
	}{
		{"k below 3", []Group{{Kind: "national", Members: five}}, 2, "k = 2; it must be at least 3"},
		{"empty kind", []Group{{Key: "03", Members: five}}, 5, `group 0 (key "03"): kind is empty`},
		{"same kind and key twice", []Group{{Kind: "county", Key: "03"}, {Kind: "county", Key: "03"}}, 5, `groups 0 and 1 are both county "03"`},
		{"empty member id", []Group{{Kind: "county", Key: "46", Members: []string{"4601", ""}}}, 5, `group 0 (county "46"): a member id is empty`},
		{"member twice", []Group{{Kind: "county", Key: "46", Members: []string{"4601", "4602", "4601"}}}, 5, `group 0 (county "46"): member "4601" is listed twice`},
		{"too many groups", many, 5, "1001 groups; at most 1000"},
		{"too many memberships", []Group{{Kind: "a", Members: big}, {Kind: "b", Members: big}}, 5, "more than 200000 group memberships"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Decide(tt.groups, tt.k)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Decide error = %v, want one containing %q", err, tt.want)
			}
			if got != nil {
				t.Errorf("Decide returned decisions with the error: %v", got)
			}
		})
	}
}

func TestDecideRefusesALeakAlreadyShown(t *testing.T) {
	x := orgs("x", 8)
	tests := []struct {
		name   string
		groups []Group
		want   string
	}{
		{"a shown group below k", []Group{
			{Kind: "county", Key: "03", Members: x[:2], Shown: true},
		}, `county "03" was shown with 2`},
		{"two shown groups one apart", []Group{
			{Kind: "county", Key: "46", Members: x, Shown: true},
			{Kind: "county", Key: "46 per 1. mars", Members: x[1:], Shown: true},
			{Kind: "national", Members: x},
		}, `combining county "46", county "46 per 1. mars"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Decide(tt.groups, 5)
			if !errors.Is(err, ErrShownLeak) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Decide error = %v, want ErrShownLeak mentioning %q", err, tt.want)
			}
		})
	}
}

func TestDecideReasons(t *testing.T) {
	a, b := orgs("a", 6), orgs("b", 2)
	groups := []Group{
		{Kind: "national", Members: join(a, b)},
		{Kind: "county", Key: "11", Members: a},
		{Kind: "county", Key: "03", Members: b},
		{Kind: "size_class", Key: "tom", Members: nil},
	}
	got, err := Decide(groups, 5)
	if err != nil {
		t.Fatal(err)
	}
	want := []Decision{
		{Published: true, Rule: RulePublish, N: 8},
		{Rule: RuleComplementary, N: 6, Reason: "skjult fordi tallet sammen med andre viste tall ville avsløre svar fra færre enn 5 kommuner"},
		{Rule: RuleTooFew, N: 2, Reason: "færre enn 5 kommuner"},
		{Rule: RuleTooFew, N: 0, Reason: "færre enn 5 kommuner"},
	}
	if diff := cmp.Diff(got, want); diff != "" {
		t.Errorf("decisions (-got +want):\n%s", diff)
	}
}

// TestDecideEconomical: a layout where no combination isolates fewer than
// k organisations publishes every group, and identical groups (a county
// served by one provider) do not hide each other.
func TestDecideEconomical(t *testing.T) {
	c1s1, c1s2, c2s1, c2s2 := orgs("a", 5), orgs("b", 5), orgs("c", 5), orgs("d", 5)
	groups := []Group{
		{Kind: "national", Members: join(c1s1, c1s2, c2s1, c2s2)},
		{Kind: "county", Key: "1", Members: join(c1s1, c1s2)},
		{Kind: "county", Key: "2", Members: join(c2s1, c2s2)},
		{Kind: "size_class", Key: "1", Members: join(c1s1, c2s1)},
		{Kind: "size_class", Key: "2", Members: join(c1s2, c2s2)},
		{Kind: "provider", Key: "fylkets", Members: join(c1s1, c1s2)},
	}
	got, err := Decide(groups, 5)
	if err != nil {
		t.Fatal(err)
	}
	for i, d := range got {
		if !d.Published {
			t.Errorf("%s %s hidden (%s); nothing needs hiding", groups[i].Kind, groups[i].Key, d.Reason)
		}
	}
}

// TestDecideSafeAtAnyWorkLimit: when the search gives up early, groups are
// hidden as a precaution, and what is published is still safe.
func TestDecideSafeAtAnyWorkLimit(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		groups, k := constructedRound(t)
		limit := rapid.IntRange(1, 40).Draw(t, "limit")
		decisions, err := decide(groups, k, config{fields: defaultConfig.fields, limit: limit})
		if errors.Is(err, ErrShownLeak) || errors.Is(err, ErrShownUnchecked) {
			return // what was shown is beyond repair; TestDecideProperties checks the error is honest
		}
		if err != nil {
			t.Fatal(err)
		}
		if breaches := publish(groups, decisions, constructedSecrets(groups), k).attack(); len(breaches) > 0 {
			t.Fatalf("attacker breaks the publication at work limit %d: %v", limit, breaches)
		}
	})
}

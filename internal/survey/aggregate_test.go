package survey_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/grunnlag/grunnlag/internal/audit"
	"github.com/grunnlag/grunnlag/internal/store"
	"github.com/grunnlag/grunnlag/internal/survey"
)

// submitConstructed makes the municipalities of the given codes answer
// principle 1.1 (Ja on the first measures, Nei on the rest: answer i of
// municipality n is Ja when i < yes(n)) and submit, through the command
// line's import and each lead's submission. The answers are constructed.
func (f *fixture) submitConstructed(t *testing.T, codes []string, yes func(n int) int) {
	t.Helper()
	ctx := context.Background()
	p11, _ := f.round.Principle("1.1")
	var b strings.Builder
	b.WriteString("org,measure,answer\n")
	for n, code := range codes {
		for i, m := range p11.Measures {
			a := "nei"
			if i < yes(n) {
				a = "ja"
			}
			fmt.Fprintf(&b, "%s,%s,%s\n", code, m.Measure, a)
		}
	}
	if _, err := f.svc.Import(ctx, audit.CLI, store.Operator, "2027", "konstruert.csv", strings.NewReader(b.String()), ""); err != nil {
		t.Fatal(err)
	}
	for _, code := range codes {
		lead := f.person(t, "leder."+code+"@example.invalid", store.RoleLead, code)
		if err := f.svc.Submit(ctx, lead, "2027", lead.OrgID, code); err != nil {
			t.Fatalf("submit %s: %v", code, err)
		}
	}
}

// vestland are municipalities of county 46 (Vestland), by their register
// codes; their answers in these tests are constructed.
var vestland = []string{"4601", "4602", "4611", "4612", "4613", "4614", "4615", "4616", "4617", "4618"}

func TestAggregates(t *testing.T) {
	f := newFixture(t, false)
	ctx := context.Background()
	// Ten in Vestland and four in Rogaland (fewer than k = 5).
	rogaland := []string{"1101", "1103", "1106", "1108"}
	f.submitConstructed(t, append(append([]string{}, vestland...), rogaland...), func(n int) int { return n % 4 })
	// While the round is open, no group has figures: each submission
	// would change them, and two days' figures side by side would give
	// the answers of whoever submitted in between.
	a, err := f.svc.Aggregates(ctx, "2027")
	if err != nil {
		t.Fatal(err)
	}
	if !a.Pending || len(a.Groups) != 0 || a.Submitted != 14 {
		t.Fatalf("open round: Pending %v, %d groups, %d submitted; want pending, none, 14", a.Pending, len(a.Groups), a.Submitted)
	}
	if err := f.svc.SetStatus(ctx, audit.CLI, "2027", store.RoundClosed); err != nil {
		t.Fatal(err)
	}
	if a, err = f.svc.Aggregates(ctx, "2027"); err != nil {
		t.Fatal(err)
	}
	if a.Submitted != 14 {
		t.Errorf("Submitted = %d, want 14", a.Submitted)
	}
	p11, _ := f.round.Principle("1.1")
	published := 0
	for _, g := range a.Groups {
		if g.Suppressed {
			continue
		}
		published++
		if g.N < a.K {
			t.Errorf("group %s/%s of %d is shown, k = %d", g.Kind, g.Key, g.N, a.K)
		}
		if st, ok := g.Scores["1.1"]; !ok || st.N != g.N || st.Q1 > st.Median || st.Median > st.Q3 {
			t.Errorf("group %s/%s: score of 1.1 = %+v, %v; want over all %d, Q1 ≤ median ≤ Q3", g.Kind, g.Key, st, ok, g.N)
		}
		// Counts of each answer sum to the group's size, unanswered included.
		for _, m := range p11.Measures {
			sum := 0
			for _, n := range g.Options[m.Measure] {
				sum += n
			}
			if sum != g.N {
				t.Errorf("group %s/%s: counts of %s sum to %d, want %d", g.Kind, g.Key, m.Measure, sum, g.N)
			}
		}
	}
	if published == 0 {
		t.Fatal("no group is shown")
	}
	// Rogaland has 4: suppressed. The country (14) and Vestland (10) side
	// by side would give Rogaland's 4 away by subtraction: one of them is
	// suppressed.
	nat, _ := find(a, survey.GroupNational, "")
	rog, _ := find(a, survey.GroupCounty, "11")
	ves, _ := find(a, survey.GroupCounty, "46")
	if !rog.Suppressed || rog.Scores != nil || rog.Options != nil {
		t.Errorf("Rogaland (4) = %+v, want suppressed without figures", rog)
	}
	if !nat.Suppressed && !ves.Suppressed {
		t.Errorf("the country (14) and Vestland (10) are both shown: the difference isolates Rogaland's 4")
	}
	for _, g := range a.Groups {
		if g.Suppressed && (g.Reason == "" || g.Scores != nil) {
			t.Errorf("suppressed group %s/%s = %+v, want a reason and no figures", g.Kind, g.Key, g)
		}
	}
}

func TestProfileAndPlan(t *testing.T) {
	f := newFixture(t, false)
	ctx := context.Background()
	codes := append(append([]string{}, vestland...), "0301", "1101", "1103", "1106", "1108", "1111")
	f.submitConstructed(t, codes, func(n int) int { return n % 5 })
	if err := f.svc.SetStatus(ctx, audit.CLI, "2027", store.RoundClosed); err != nil {
		t.Fatal(err)
	}
	lead := f.person(t, "leder2.4601@example.invalid", store.RoleLead, "4601")
	pr, err := f.svc.Profile(ctx, lead, "2027", f.bergen)
	if err != nil {
		t.Fatal(err)
	}
	if pr.SizeClass != "20 000 innbyggere eller flere" || len(pr.Peers) != 3 {
		t.Errorf("Bergen's profile: size class %q, %d peer groups, want the largest class and 3", pr.SizeClass, len(pr.Peers))
	}
	if pr.Scores["1.1"].Counted == 0 {
		t.Errorf("Bergen has no score for 1.1")
	}
	plan, err := f.svc.Plan(ctx, lead, "2027", f.bergen)
	if err != nil {
		t.Fatal(err)
	}
	if len(plan) == 0 {
		t.Fatal("Bergen answered Nei on every measure of 1.1 and has an empty plan")
	}
	for i := 1; i < len(plan); i++ {
		if plan[i].Weight > plan[i-1].Weight {
			t.Errorf("plan is not ranked: %v before %v", plan[i-1].Weight, plan[i].Weight)
		}
	}
	if len(plan[0].Services) == 0 {
		t.Errorf("the first plan item names no service type")
	}
	// An organisation that has not submitted has no profile yet.
	oslo2 := f.person(t, "ny.0301@example.invalid", store.RoleRespondent, "0301")
	if _, err := f.svc.Profile(ctx, oslo2, "2027", f.oslo); err != nil {
		// Oslo submitted in this test.
		t.Errorf("Oslo's profile = %v", err)
	}
	tromso, _ := f.st.Organisation(ctx, "5501")
	r := f.person(t, "svar.5501@example.invalid", store.RoleRespondent, "5501")
	if _, err := f.svc.Profile(ctx, r, "2027", tromso); err == nil {
		t.Errorf("Profile(before submission) = nil error, want a refusal")
	}
}

func find(a *survey.Aggregates, kind, key string) (survey.Group, bool) {
	for _, g := range a.Groups {
		if g.Kind == kind && g.Key == key {
			return g, true
		}
	}
	return survey.Group{}, false
}

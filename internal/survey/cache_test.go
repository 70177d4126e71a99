package survey_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/grunnlag/grunnlag/internal/audit"
	"github.com/grunnlag/grunnlag/internal/auth"
	"github.com/grunnlag/grunnlag/internal/fault"
	"github.com/grunnlag/grunnlag/internal/store"
	"github.com/grunnlag/grunnlag/internal/survey"
)

// countingStore is the real store, counting the reads a service makes of
// rounds, submissions and submitted answers. hook, when set, runs before
// SubmittedAnswers reads, and its error is returned instead.
type countingStore struct {
	store.Survey
	mu                                          sync.Mutex
	rounds, submissions, submittedRows, history int
	orgAnswers, roundInfos                      int
	hook                                        func() error
}

func (c *countingStore) AnswerHistory(ctx context.Context, actorID int64, roundID string, orgID int64, now time.Time) ([]store.AnswerChange, error) {
	c.mu.Lock()
	c.history++
	c.mu.Unlock()
	return c.Survey.AnswerHistory(ctx, actorID, roundID, orgID, now)
}

func (c *countingStore) OrgAnswers(ctx context.Context, actorID int64, roundID string, orgID int64, now time.Time) (store.OrgAnswers, error) {
	c.mu.Lock()
	c.orgAnswers++
	c.mu.Unlock()
	return c.Survey.OrgAnswers(ctx, actorID, roundID, orgID, now)
}

func (c *countingStore) RoundInfo(ctx context.Context, id string) (store.Round, error) {
	c.mu.Lock()
	c.roundInfos++
	c.mu.Unlock()
	return c.Survey.RoundInfo(ctx, id)
}

func (c *countingStore) Round(ctx context.Context, id string) (store.Round, []store.RoundMeasure, error) {
	c.mu.Lock()
	c.rounds++
	c.mu.Unlock()
	return c.Survey.Round(ctx, id)
}

func (c *countingStore) Submissions(ctx context.Context, roundID string) (map[int64]time.Time, error) {
	c.mu.Lock()
	c.submissions++
	c.mu.Unlock()
	return c.Survey.Submissions(ctx, roundID)
}

func (c *countingStore) SubmittedAnswers(ctx context.Context, roundID string) ([]store.SubmittedAnswer, error) {
	c.mu.Lock()
	c.submittedRows++
	hook := c.hook
	c.mu.Unlock()
	if hook != nil {
		if err := hook(); err != nil {
			return nil, err
		}
	}
	return c.Survey.SubmittedAnswers(ctx, roundID)
}

// reads are the counts so far: rounds, submissions, submitted answers,
// histories, one organisation's answers.
func (c *countingStore) reads() [5]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return [5]int{c.rounds, c.submissions, c.submittedRows, c.history, c.orgAnswers}
}

func (c *countingStore) setHook(h func() error) {
	c.mu.Lock()
	c.hook = h
	c.mu.Unlock()
}

// clock is a time the test moves.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// countedService is a second service over the fixture's store that
// counts its reads, on a clock of its own.
func (f *fixture) countedService(t *testing.T) (*survey.Service, *countingStore, *clock) {
	t.Helper()
	cs := &countingStore{Survey: f.st}
	clk := &clock{t: now}
	svc, err := survey.New(survey.Config{Store: cs, Accounts: f.st, Audit: f.auth.Audit(), Pack: f.pack, Now: clk.now})
	if err != nil {
		t.Fatal(err)
	}
	return svc, cs, clk
}

// A closed round never changes, so it is read from the store once; an
// open one's measures once and its status every time (it may close, on
// another server too).
func TestClosedRoundReadOnce(t *testing.T) {
	f := newFixture(t, false)
	ctx := context.Background()
	svc, cs, _ := f.countedService(t)
	infos := func() int {
		cs.mu.Lock()
		defer cs.mu.Unlock()
		return cs.roundInfos
	}
	for range 3 {
		r, err := svc.Round(ctx, "2027")
		if err != nil {
			t.Fatal(err)
		}
		if r.Status != store.RoundOpen || len(r.Measures) != len(f.round.Measures) {
			t.Fatalf("open round: status %q, %d measures", r.Status, len(r.Measures))
		}
	}
	if got := cs.reads()[0]; got != 1 || infos() != 2 {
		t.Errorf("three calls of the open round: %d reads of it whole and %d of its status, want 1 and 2", got, infos())
	}
	// Closed through another service (another server): seen at once.
	if err := f.svc.SetStatus(ctx, audit.CLI, "2027", store.RoundClosed); err != nil {
		t.Fatal(err)
	}
	var got []*survey.Round
	for range 3 {
		r, err := svc.Round(ctx, "2027")
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, r)
	}
	if n := cs.reads()[0]; n != 1 || infos() != 3 {
		t.Errorf("three calls of the closed round: %d reads of it whole and %d of its status in all, want 1 and 3", n, infos())
	}
	if _, err := svc.Round(ctx, "ingen"); !fault.Is(err, fault.NotFound) || fault.UserMessage(err) == "" {
		t.Errorf("a round that does not exist = %v, want kind %v with a message for people", err, fault.NotFound)
	}
	if got[0].Status != store.RoundClosed || got[2] != got[0] {
		t.Errorf("closed round: status %q, same each call: %v", got[0].Status, got[2] == got[0])
	}
	if diff := cmp.Diff(got[0].Measures, f.round.Measures); diff != "" {
		t.Errorf("closed round's measures (-got +want):\n%s", diff)
	}
}

// While a round is open its aggregates are pending: the submitted answers
// are not read for them.
func TestPendingAggregatesReadNoAnswers(t *testing.T) {
	f := newFixture(t, false)
	f.submitConstructed(t, vestland, func(n int) int { return n % 4 })
	svc, cs, _ := f.countedService(t)
	a, err := svc.Aggregates(context.Background(), "2027")
	if err != nil {
		t.Fatal(err)
	}
	if !a.Pending || a.Submitted != len(vestland) {
		t.Errorf("open round: Pending %v, Submitted %d; want pending, %d", a.Pending, a.Submitted, len(vestland))
	}
	if got := cs.reads(); got[1] != 1 || got[2] != 0 {
		t.Errorf("reads of submissions and submitted answers: %d and %d, want 1 and 0", got[1], got[2])
	}
}

// A closed round's aggregates are computed once a minute: in between,
// calls read nothing; after it, one call computes them anew while the
// others take the kept ones; a failed computation is tried again by the
// next call.
func TestClosedAggregatesKept(t *testing.T) {
	f := newFixture(t, false)
	ctx := context.Background()
	f.submitConstructed(t, vestland, func(n int) int { return n % 4 })
	if err := f.svc.SetStatus(ctx, audit.CLI, "2027", store.RoundClosed); err != nil {
		t.Fatal(err)
	}
	svc, cs, clk := f.countedService(t)
	first, err := svc.Aggregates(ctx, "2027")
	if err != nil {
		t.Fatal(err)
	}
	if first.Pending || first.Submitted != len(vestland) || len(first.Groups) == 0 {
		t.Fatalf("closed round: Pending %v, Submitted %d, %d groups; want figures of %d", first.Pending, first.Submitted, len(first.Groups), len(vestland))
	}
	before := cs.reads()
	clk.add(59 * time.Second)
	if again, err := svc.Aggregates(ctx, "2027"); err != nil || again != first {
		t.Fatalf("within the minute: %p, %v; want the kept %p", again, err, first)
	}
	if got := cs.reads(); got != before {
		t.Errorf("reads within the minute: %v, want none more than %v", got, before)
	}

	// After the minute: the refreshing call is held inside the store
	// while another call comes.
	clk.add(2 * time.Second)
	entered, release := make(chan struct{}), make(chan struct{})
	cs.setHook(func() error {
		close(entered)
		<-release
		return nil
	})
	type outcome struct {
		a   *survey.Aggregates
		err error
	}
	done := make(chan outcome)
	go func() {
		a, err := svc.Aggregates(ctx, "2027")
		done <- outcome{a, err}
	}()
	<-entered
	meanwhile, err := svc.Aggregates(ctx, "2027")
	if err != nil || meanwhile != first {
		t.Errorf("during the refresh: %p, %v; want the kept %p", meanwhile, err, first)
	}
	close(release)
	fresh := <-done
	if fresh.err != nil || fresh.a == first || fresh.a.Submitted != len(vestland) {
		t.Fatalf("refresh: %p (kept %p), %v", fresh.a, first, fresh.err)
	}
	if got, err := svc.Aggregates(ctx, "2027"); err != nil || got != fresh.a {
		t.Errorf("after the refresh: %p, %v; want the new %p", got, err, fresh.a)
	}

	// A refresh that fails leaves the kept figures to the next call,
	// which computes them.
	clk.add(61 * time.Second)
	cs.setHook(func() error { return errors.New("constructed failure") })
	if _, err := svc.Aggregates(ctx, "2027"); err == nil {
		t.Fatal("refresh with a failing store: no error")
	}
	cs.setHook(nil)
	n := cs.reads()[2]
	got, err := svc.Aggregates(ctx, "2027")
	if err != nil || got == fresh.a || cs.reads()[2] != n+1 {
		t.Errorf("after a failed refresh: %p (kept %p), %v, %d reads of the answers; want new figures, one read", got, fresh.a, err, cs.reads()[2]-n)
	}
}

// The history of changes grows with every save; only View reads it.
// Current, the profile and the plan have the same answers without it.
func TestCurrentReadsNoHistory(t *testing.T) {
	f := newFixture(t, false)
	ctx := context.Background()
	svc, cs, _ := f.countedService(t)
	lead := f.person(t, "leder@example.invalid", store.RoleLead, "0301")
	p11, _ := f.round.Principle("1.1")
	for i, answer := range []string{store.AnswerNo, store.AnswerYes} {
		in := []survey.Input{{Measure: p11.Measures[0].Measure, Answer: answer, Maturity: -1}}
		if _, err := svc.Save(ctx, lead, "2027", f.oslo.ID, "1.1", i, in); err != nil {
			t.Fatal(err)
		}
	}
	full, err := svc.View(ctx, lead, "2027", f.oslo)
	if err != nil {
		t.Fatal(err)
	}
	if len(full.Changes) != 2 || cs.reads()[3] != 1 {
		t.Fatalf("View: %d changes from %d reads of the history; want 2 from 1", len(full.Changes), cs.reads()[3])
	}
	cur, err := svc.Current(ctx, lead, "2027", f.oslo)
	if err != nil {
		t.Fatal(err)
	}
	if cur.Changes != nil {
		t.Errorf("Current has %d changes, want none", len(cur.Changes))
	}
	full.Changes = nil
	if diff := cmp.Diff(cur, full); diff != "" {
		t.Errorf("Current differs from View without its changes (-Current +View):\n%s", diff)
	}
	if err := svc.Submit(ctx, lead, "2027", f.oslo.ID, "0301"); err != nil {
		t.Fatal(err)
	}
	if pr, err := svc.Profile(ctx, lead, "2027", f.oslo); err != nil {
		t.Fatal(err)
	} else if pr.Kept() != nil {
		t.Errorf("a profile in an open round is kept")
	}
	if _, err := svc.Plan(ctx, lead, "2027", f.oslo); err != nil {
		t.Fatal(err)
	}
	if got := cs.reads()[3]; got != 1 {
		t.Errorf("reads of the history after Current, Profile and Plan: %d, want still 1", got)
	}
}

// A closed round's profile is made once per organisation from the
// aggregates kept, and read from the store again only for a reader the
// store has not yet let read that organisation's answers. Every call
// still checks the reader: a member by its roles, anyone else by a grant,
// audited each time.
func TestClosedProfileKept(t *testing.T) {
	f := newFixture(t, false)
	ctx := context.Background()
	f.submitConstructed(t, append(append([]string{}, vestland...), "0301"), func(n int) int { return n % 4 })
	if err := f.svc.SetStatus(ctx, audit.CLI, "2027", store.RoundClosed); err != nil {
		t.Fatal(err)
	}
	svc, cs, clk := f.countedService(t)
	orgReads := func() int { return cs.reads()[4] }
	lead := f.person(t, "leder2.4601@example.invalid", store.RoleLead, "4601")
	first, err := svc.Profile(ctx, lead, "2027", f.bergen)
	if err != nil {
		t.Fatal(err)
	}
	n := orgReads()
	again, err := svc.Profile(ctx, lead, "2027", f.bergen)
	if err != nil {
		t.Fatal(err)
	}
	if orgReads() != n {
		t.Errorf("the same lead's second look read the answers again (%d reads, want %d)", orgReads(), n)
	}
	if diff := cmp.Diff(first, again, cmpopts.IgnoreUnexported(survey.Aggregates{}, survey.Profile{})); diff != "" {
		t.Errorf("kept profile differs from the first (-first +kept):\n%s", diff)
	}
	if first.Kept() == nil || first.Kept() != again.Kept() {
		t.Errorf("the two looks at the kept profile name it %v and %v, want the same", first.Kept(), again.Kept())
	}
	// Another member: the store decides its first look.
	resp := f.person(t, "svar.4601@example.invalid", store.RoleRespondent, "4601")
	if _, err := svc.Profile(ctx, resp, "2027", f.bergen); err != nil {
		t.Fatal(err)
	}
	if orgReads() != n+1 {
		t.Errorf("another member's first look: %d reads of the answers, want %d", orgReads(), n+1)
	}
	// Someone of another municipality, and a member whose role is gone,
	// are refused although the profile is kept.
	oslo := f.person(t, "leder2.0301@example.invalid", store.RoleLead, "0301")
	gone := *lead
	gone.Roles = nil
	for name, p := range map[string]*auth.Principal{"Oslo's lead": oslo, "a lead without the role": &gone} {
		if _, err := svc.Profile(ctx, p, "2027", f.bergen); !fault.Is(err, fault.Forbidden) {
			t.Errorf("%s reads Bergen's profile: %v, want kind %v", name, err, fault.Forbidden)
		}
	}
	// An analyst: refused without a grant; under one, every look is
	// audited, kept or not; refused once the grant has run out.
	analyst := f.person(t, "analytiker@example.invalid", store.RoleAnalyst, "")
	if _, err := svc.Profile(ctx, analyst, "2027", f.bergen); !fault.Is(err, fault.Forbidden) {
		t.Fatalf("analyst without a grant: %v, want kind %v", err, fault.Forbidden)
	}
	if _, err := f.st.CreateGrant(ctx, store.Grant{UserID: analyst.User.ID, OrgID: f.bergen.ID, Reason: "konstruert kontroll",
		GrantedBy: analyst.User.ID, GrantedAt: now.Add(-time.Hour), ExpiresAt: now.Add(30 * time.Second)}); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		pr, err := svc.Profile(ctx, analyst, "2027", f.bergen)
		if err != nil {
			t.Fatal(err)
		}
		if pr.PreviousRound != nil || pr.Previous != nil {
			t.Errorf("a granted reader sees the change since an earlier round")
		}
	}
	if log, _ := f.auth.Audit().Entries(ctx, store.AuditFilter{Action: "answers.read"}); len(log) != 2 {
		t.Errorf("two looks under a grant wrote %d reads to the audit log, want 2", len(log))
	}
	clk.add(31 * time.Second)
	if _, err := svc.Profile(ctx, analyst, "2027", f.bergen); !fault.Is(err, fault.Forbidden) {
		t.Errorf("analyst after the grant ran out: %v, want kind %v", err, fault.Forbidden)
	}
	// A minute on, the aggregates are computed anew, and the profile with
	// them.
	clk.add(time.Minute)
	n = orgReads()
	if _, err := svc.Profile(ctx, lead, "2027", f.bergen); err != nil {
		t.Fatal(err)
	}
	if orgReads() != n+1 {
		t.Errorf("after the aggregates' minute: %d reads of the answers, want %d", orgReads(), n+1)
	}
}

package storetest

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/grunnlag/grunnlag/internal/fault"
	"github.com/grunnlag/grunnlag/internal/store"
)

// RunSurvey runs the suite of store.Survey. Rounds, answers and people here
// are constructed; the municipality codes are the registers'.
func RunSurvey(t *testing.T, open func(t *testing.T) Store) {
	tests := []struct {
		name string
		run  func(t *testing.T, s Store)
	}{
		{"Rounds", testRounds},
		{"AnswersScoped", testAnswersScoped},
		{"VersionCheck", testVersionCheck},
		{"Deadlines", testDeadlines},
		{"Inheritance", testInheritance},
		{"SubmitAndReopen", testSubmitAndReopen},
		{"ConcurrentSaves", testConcurrentSaves},
		{"Plan", testPlan},
		{"ServiceProviders", testServiceProviders},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := open(t)
			t.Cleanup(func() { s.Close() })
			tt.run(t, s)
		})
	}
}

// surveyNow is a day inside the constructed round's open days.
var surveyNow = time.Date(2027, 3, 10, 12, 0, 0, 0, time.UTC)

// constructedMeasures are the measures of a constructed round: two of
// principle 1.1, two of 2.1 (answered by IT providers).
func constructedMeasures() []store.RoundMeasure {
	return []store.RoundMeasure{
		{Measure: "1.1.1", Principle: "1.1", Category: "1", Summary: "Konstruert tiltak", Source: "konstruert"},
		{Measure: "1.1.2", Principle: "1.1", Category: "1", Summary: "Konstruert tiltak", Source: "konstruert"},
		{Measure: "2.1.1", Principle: "2.1", Category: "2", Summary: "Konstruert teknisk tiltak", Source: "konstruert", Provider: true},
		{Measure: "2.1.2", Principle: "2.1", Category: "2", Summary: "Konstruert teknisk tiltak", Source: "konstruert", Provider: true},
	}
}

// surveyFixture is a store with an open round, Oslo and Bergen, a provider
// serving Bergen, and people with roles.
type surveyFixture struct {
	s                              Store
	oslo, bergen, iks              store.Organisation
	leadOslo, respOslo, respBergen store.User
	leadBergen, provResp, analyst  store.User
}

func newSurveyFixture(t *testing.T, s Store) *surveyFixture {
	t.Helper()
	ctx := context.Background()
	f := &surveyFixture{s: s}
	orgs := seedOrgs(t, s)
	f.oslo, f.bergen = orgs["0301"], orgs["4601"]
	var err error
	if f.iks, err = s.AddOrganisation(ctx, store.Organisation{Code: "iks-konstruert", Kind: store.Provider, Name: "Konstruert IKT", Source: "test", CreatedAt: t0}); err != nil {
		t.Fatal(err)
	}
	if err := s.AddMembership(ctx, store.Membership{Parent: "iks-konstruert", Member: "4601", ValidFrom: "2020-01-01"}); err != nil {
		t.Fatal(err)
	}
	person := func(email string, r store.Role, org int64) store.User {
		u := mustUser(t, s, email)
		if err := s.GrantRole(ctx, u.ID, r, org, 0, t0); err != nil {
			t.Fatal(err)
		}
		return u
	}
	f.leadOslo = person("leder.oslo@example.invalid", store.RoleLead, f.oslo.ID)
	f.respOslo = person("svar.oslo@example.invalid", store.RoleRespondent, f.oslo.ID)
	f.leadBergen = person("leder.bergen@example.invalid", store.RoleLead, f.bergen.ID)
	f.respBergen = person("svar.bergen@example.invalid", store.RoleRespondent, f.bergen.ID)
	f.provResp = person("svar.iks@example.invalid", store.RoleProvider, f.iks.ID)
	f.analyst = person("analytiker@example.invalid", store.RoleAnalyst, 0)
	r := store.Round{ID: "2027", Name: "Konstruert runde 2027", Year: 2027, Framework: "konstruert", Settings: []byte(`{}`),
		OpensOn: "2027-03-01", ClosesOn: "2027-04-30", CreatedAt: t0}
	if err := s.CreateRound(ctx, r, constructedMeasures()); err != nil {
		t.Fatal(err)
	}
	if err := s.SetRoundStatus(ctx, "2027", store.RoundOpen, t0); err != nil {
		t.Fatal(err)
	}
	return f
}

func ans(measure, answer string) store.Answer {
	return store.Answer{Measure: measure, Answer: answer, Maturity: -1}
}

func testRounds(t *testing.T, s Store) {
	ctx := context.Background()
	r := store.Round{ID: "r1", Name: "Konstruert", Year: 2027, Framework: "konstruert", Settings: []byte(`{"a":1}`), OpensOn: "2027-03-01", ClosesOn: "2027-04-30", CreatedAt: t0}
	if err := s.CreateRound(ctx, r, constructedMeasures()); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateRound(ctx, r, constructedMeasures()); !fault.Is(err, fault.Conflict) {
		t.Errorf("CreateRound(same id) = %v, want kind %v", err, fault.Conflict)
	}
	got, ms, err := s.Round(ctx, "r1")
	if err != nil || got.Status != store.RoundDraft || string(got.Settings) != `{"a":1}` || len(ms) != 4 || !ms[2].Provider || ms[0].Measure != "1.1.1" {
		t.Errorf("Round() = %+v, %+v, %v", got, ms, err)
	}
	for _, tt := range []struct {
		status string
		kind   fault.Kind // 0: no error
	}{
		{store.RoundDraft, fault.Invalid},
		{store.RoundOpen, 0},
		{store.RoundOpen, fault.Conflict},
		{store.RoundClosed, 0},
		{store.RoundOpen, fault.Conflict},
		{store.RoundClosed, fault.Conflict},
	} {
		err := s.SetRoundStatus(ctx, "r1", tt.status, t0)
		if (tt.kind == 0) != (err == nil) || (err != nil && !fault.Is(err, tt.kind)) {
			t.Errorf("SetRoundStatus(%s) = %v, want kind %v", tt.status, err, tt.kind)
		}
		// RoundInfo is Round without the measures, and sees each move.
		whole, _, _ := s.Round(ctx, "r1")
		if info, err := s.RoundInfo(ctx, "r1"); err != nil || !cmp.Equal(info, whole) {
			t.Errorf("RoundInfo() after SetRoundStatus(%s) = %+v, %v; want %+v", tt.status, info, err, whole)
		}
	}
	if _, err := s.RoundInfo(ctx, "nei"); !fault.Is(err, fault.NotFound) {
		t.Errorf("RoundInfo(unknown) = %v, want kind %v", err, fault.NotFound)
	}
	if err := s.ExtendRound(ctx, "r1", 1, "2027-06-01", 0, t0); !fault.Is(err, fault.Conflict) {
		t.Errorf("ExtendRound(closed) = %v, want kind %v", err, fault.Conflict)
	}
	if list, err := s.Rounds(ctx); err != nil || len(list) != 1 || list[0].Status != store.RoundClosed {
		t.Errorf("Rounds() = %+v, %v", list, err)
	}
	if _, _, err := s.Round(ctx, "nei"); !fault.Is(err, fault.NotFound) {
		t.Errorf("Round(unknown) = %v, want kind %v", err, fault.NotFound)
	}
}

// testAnswersScoped asks for and writes answers as people who may and may
// not: the store refuses those without a role or a grant, however the
// call is made.
func testAnswersScoped(t *testing.T, s Store) {
	ctx := context.Background()
	f := newSurveyFixture(t, s)
	if _, err := s.SaveAnswers(ctx, f.respOslo.ID, "2027", f.oslo.ID, "1.1", 0, []store.Answer{ans("1.1.1", "nei")}, surveyNow); err != nil {
		t.Fatal(err)
	}
	read := func(who store.User, org int64, at time.Time) error {
		_, err := s.OrgAnswers(ctx, who.ID, "2027", org, at)
		return err
	}
	for _, tt := range []struct {
		name string
		who  store.User
		org  int64
		ok   bool
	}{
		{"respondent of Oslo", f.respOslo, f.oslo.ID, true},
		{"lead of Oslo", f.leadOslo, f.oslo.ID, true},
		{"respondent of Bergen", f.respBergen, f.oslo.ID, false},
		{"lead of Bergen", f.leadBergen, f.oslo.ID, false},
		{"provider respondent", f.provResp, f.oslo.ID, false},
		{"analyst without a grant", f.analyst, f.oslo.ID, false},
	} {
		err := read(tt.who, tt.org, surveyNow)
		if tt.ok != (err == nil) || (!tt.ok && !fault.Is(err, fault.Forbidden)) {
			t.Errorf("OrgAnswers(as %s) = %v, want allowed %v", tt.name, err, tt.ok)
		}
		if _, err := s.AnswerHistory(ctx, tt.who.ID, "2027", tt.org, surveyNow); tt.ok != (err == nil) {
			t.Errorf("AnswerHistory(as %s) = %v, want allowed %v", tt.name, err, tt.ok)
		}
	}
	if _, err := s.SaveAnswers(ctx, f.respBergen.ID, "2027", f.oslo.ID, "1.1", 1, []store.Answer{ans("1.1.1", "ja")}, surveyNow); !fault.Is(err, fault.Forbidden) {
		t.Errorf("SaveAnswers(Bergen's respondent into Oslo) = %v, want kind %v", err, fault.Forbidden)
	}
	// Nobody (id 0) may do anything; the command line (Operator) may.
	if _, err := s.OrgAnswers(ctx, 0, "2027", f.oslo.ID, surveyNow); !fault.Is(err, fault.Forbidden) {
		t.Errorf("OrgAnswers(anonymous) = %v, want kind %v", err, fault.Forbidden)
	}
	if err := s.ImportAnswers(ctx, 0, "2027", map[int64][]store.Answer{f.oslo.ID: {ans("1.1.2", "ja")}}, surveyNow); !fault.Is(err, fault.Forbidden) {
		t.Errorf("ImportAnswers(anonymous) = %v, want kind %v", err, fault.Forbidden)
	}
	if got, err := s.OrgAnswers(ctx, store.Operator, "2027", f.oslo.ID, surveyNow); err != nil || len(got.Own) != 1 {
		t.Errorf("OrgAnswers(operator) = %+v, %v", got, err)
	}
	if err := s.ImportAnswers(ctx, store.Operator, "2027", map[int64][]store.Answer{f.oslo.ID: {ans("1.1.2", "ja")}, f.bergen.ID: {ans("9.9.9", "ja")}}, surveyNow); !fault.Is(err, fault.Invalid) {
		t.Errorf("ImportAnswers(with an unknown measure) = %v, want kind %v", err, fault.Invalid)
	}
	if got, _ := s.OrgAnswers(ctx, store.Operator, "2027", f.oslo.ID, surveyNow); len(got.Own) != 1 {
		t.Errorf("a refused import stored %d answers for Oslo, want the 1 from before", len(got.Own))
	}
	if err := s.ImportAnswers(ctx, f.respBergen.ID, "2027", map[int64][]store.Answer{f.oslo.ID: {ans("1.1.2", "ja")}}, surveyNow); !fault.Is(err, fault.Forbidden) {
		t.Errorf("ImportAnswers(into another organisation) = %v, want kind %v", err, fault.Forbidden)
	}
	// A grant lets the analyst read for its days, never write.
	g, err := s.CreateGrant(ctx, store.Grant{UserID: f.analyst.ID, OrgID: f.oslo.ID, Reason: "konstruert kontroll", GrantedBy: f.leadOslo.ID,
		GrantedAt: surveyNow.Add(-time.Hour), ExpiresAt: surveyNow.Add(24 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	if err := read(f.analyst, f.oslo.ID, surveyNow); err != nil {
		t.Errorf("OrgAnswers(analyst with a grant) = %v", err)
	}
	if err := read(f.analyst, f.bergen.ID, surveyNow); !fault.Is(err, fault.Forbidden) {
		t.Errorf("OrgAnswers(analyst, another organisation) = %v, want kind %v", err, fault.Forbidden)
	}
	if err := read(f.analyst, f.oslo.ID, g.ExpiresAt); !fault.Is(err, fault.Forbidden) {
		t.Errorf("OrgAnswers(analyst, grant expired) = %v, want kind %v", err, fault.Forbidden)
	}
	if _, err := s.SaveAnswers(ctx, f.analyst.ID, "2027", f.oslo.ID, "1.1", 1, []store.Answer{ans("1.1.1", "ja")}, surveyNow); !fault.Is(err, fault.Forbidden) {
		t.Errorf("SaveAnswers(analyst with a grant) = %v, want kind %v", err, fault.Forbidden)
	}
	if _, err := s.PlanItems(ctx, f.respBergen.ID, "2027", f.oslo.ID, surveyNow); !fault.Is(err, fault.Forbidden) {
		t.Errorf("PlanItems(another organisation) = %v, want kind %v", err, fault.Forbidden)
	}
}

// testVersionCheck: two people editing one principle; the second save is
// told, and nothing of the first is overwritten. Every change is kept.
func testVersionCheck(t *testing.T, s Store) {
	ctx := context.Background()
	f := newSurveyFixture(t, s)
	v, err := s.SaveAnswers(ctx, f.respOslo.ID, "2027", f.oslo.ID, "1.1", 0, []store.Answer{ans("1.1.1", "nei"), ans("1.1.2", "ja")}, surveyNow)
	if err != nil || v != 1 {
		t.Fatalf("SaveAnswers() = %d, %v", v, err)
	}
	// The lead opened the form at version 0 too.
	if _, err := s.SaveAnswers(ctx, f.leadOslo.ID, "2027", f.oslo.ID, "1.1", 0, []store.Answer{ans("1.1.1", "ja")}, surveyNow); !fault.Is(err, fault.Conflict) {
		t.Errorf("SaveAnswers(stale version) = %v, want kind %v", err, fault.Conflict)
	}
	got, _ := s.OrgAnswers(ctx, f.leadOslo.ID, "2027", f.oslo.ID, surveyNow)
	if len(got.Own) != 2 || got.Own[0].Answer != "nei" || got.Versions["1.1"] != 1 {
		t.Errorf("after a refused save: %+v, versions %v", got.Own, got.Versions)
	}
	withComment := ans("1.1.1", "delvis")
	withComment.Comment, withComment.Maturity = "konstruert kommentar", 3
	if v, err = s.SaveAnswers(ctx, f.leadOslo.ID, "2027", f.oslo.ID, "1.1", 1, []store.Answer{withComment, ans("1.1.2", "ja")}, surveyNow.Add(time.Minute)); err != nil || v != 2 {
		t.Fatalf("SaveAnswers(current version) = %d, %v", v, err)
	}
	hist, err := s.AnswerHistory(ctx, f.leadOslo.ID, "2027", f.oslo.ID, surveyNow)
	if err != nil || len(hist) != 3 {
		t.Fatalf("AnswerHistory() = %d changes, %v, want 3 (the unchanged 1.1.2 is not a change)", len(hist), err)
	}
	last := hist[2]
	if last.Measure != "1.1.1" || string(last.Old) != `{"answer":"nei"}` || string(last.New) != `{"answer":"delvis","maturity":3,"comment":"konstruert kommentar"}` ||
		last.ByEmail != f.leadOslo.Email {
		t.Errorf("last change = %+v (%s → %s)", last, last.Old, last.New)
	}
	if _, err := s.SaveAnswers(ctx, f.leadOslo.ID, "2027", f.oslo.ID, "1.1", 2, []store.Answer{ans("2.1.1", "ja")}, surveyNow); !fault.Is(err, fault.Invalid) {
		t.Errorf("SaveAnswers(a measure of another principle) = %v, want kind %v", err, fault.Invalid)
	}
}

func testDeadlines(t *testing.T, s Store) {
	ctx := context.Background()
	f := newSurveyFixture(t, s)
	at := func(day string) time.Time {
		d, _ := time.ParseInLocation("2006-01-02 15:04", day+" 12:00", time.UTC)
		return d
	}
	try := func(day string, version int) error {
		_, err := s.SaveAnswers(ctx, f.respOslo.ID, "2027", f.oslo.ID, "1.1", version, []store.Answer{ans("1.1.1", "ja")}, at(day))
		return err
	}
	if err := try("2027-02-28", 0); !fault.Is(err, fault.Conflict) {
		t.Errorf("save before the round opens = %v, want kind %v", err, fault.Conflict)
	}
	if err := try("2027-04-30", 0); err != nil {
		t.Errorf("save on the last day = %v", err)
	}
	if err := try("2027-05-01", 1); !fault.Is(err, fault.Conflict) {
		t.Errorf("save after the last day = %v, want kind %v", err, fault.Conflict)
	}
	if err := s.ExtendRound(ctx, "2027", f.oslo.ID, "2027-04-01", 0, t0); !fault.Is(err, fault.Invalid) {
		t.Errorf("ExtendRound(earlier than the round) = %v, want kind %v", err, fault.Invalid)
	}
	if err := s.ExtendRound(ctx, "2027", f.oslo.ID, "2027-05-15", f.leadOslo.ID, t0); err != nil {
		t.Fatal(err)
	}
	if err := try("2027-05-01", 1); err != nil {
		t.Errorf("save after the round's last day, within the extension = %v", err)
	}
	if got, _ := s.OrgAnswers(ctx, f.respOslo.ID, "2027", f.oslo.ID, at("2027-05-01")); got.ClosesOn != "2027-05-15" {
		t.Errorf("ClosesOn with an extension = %q, want 2027-05-15", got.ClosesOn)
	}
	if _, err := s.SaveAnswers(ctx, f.respBergen.ID, "2027", f.bergen.ID, "1.1", 0, []store.Answer{ans("1.1.1", "ja")}, at("2027-05-01")); !fault.Is(err, fault.Conflict) {
		t.Errorf("Bergen, without an extension, after the last day = %v, want kind %v", err, fault.Conflict)
	}
	if err := s.SetRoundStatus(ctx, "2027", store.RoundClosed, t0); err != nil {
		t.Fatal(err)
	}
	if err := try("2027-05-02", 2); !fault.Is(err, fault.Conflict) {
		t.Errorf("save in a closed round = %v, want kind %v", err, fault.Conflict)
	}
}

// testInheritance: the provider answers its measures; Bergen sees them,
// overrides one, and at submission takes the rest over as its own; a later
// change by the provider does not change Bergen's submitted answers.
func testInheritance(t *testing.T, s Store) {
	ctx := context.Background()
	f := newSurveyFixture(t, s)
	if _, err := s.SaveAnswers(ctx, f.provResp.ID, "2027", f.iks.ID, "1.1", 0, []store.Answer{ans("1.1.1", "ja")}, surveyNow); !fault.Is(err, fault.Invalid) {
		t.Errorf("a provider answering a measure providers do not answer = %v, want kind %v", err, fault.Invalid)
	}
	if _, err := s.SaveAnswers(ctx, f.provResp.ID, "2027", f.iks.ID, "2.1", 0, []store.Answer{ans("2.1.1", "ja"), ans("2.1.2", "delvis")}, surveyNow); err != nil {
		t.Fatal(err)
	}
	got, err := s.OrgAnswers(ctx, f.respBergen.ID, "2027", f.bergen.ID, surveyNow)
	if err != nil || len(got.FromProvider) != 2 || got.FromProvider[0].ProviderCode != "iks-konstruert" || len(got.Own) != 0 {
		t.Fatalf("Bergen's answers = %+v, %v; want 2 from the provider, none of its own", got, err)
	}
	if oslo, _ := s.OrgAnswers(ctx, f.respOslo.ID, "2027", f.oslo.ID, surveyNow); len(oslo.FromProvider) != 0 {
		t.Errorf("Oslo, not a member, sees %d provider answers", len(oslo.FromProvider))
	}
	// Bergen overrides 2.1.2 with its own answer.
	if _, err := s.SaveAnswers(ctx, f.respBergen.ID, "2027", f.bergen.ID, "2.1", 0, []store.Answer{ans("2.1.2", "nei")}, surveyNow); err != nil {
		t.Fatal(err)
	}
	if err := s.Submit(ctx, f.leadBergen.ID, "2027", f.bergen.ID, surveyNow); err != nil {
		t.Fatal(err)
	}
	got, _ = s.OrgAnswers(ctx, f.leadBergen.ID, "2027", f.bergen.ID, surveyNow)
	own := map[string]store.Answer{}
	for _, a := range got.Own {
		own[a.Measure] = a
	}
	if a := own["2.1.1"]; a.Answer != "ja" || a.InheritedFrom != f.iks.ID {
		t.Errorf("2.1.1 after submission = %+v, want ja inherited from the provider", a)
	}
	if a := own["2.1.2"]; a.Answer != "nei" || a.InheritedFrom != 0 {
		t.Errorf("2.1.2 after submission = %+v, want Bergen's own nei", a)
	}
	// The provider changes its answer afterwards.
	if _, err := s.SaveAnswers(ctx, f.provResp.ID, "2027", f.iks.ID, "2.1", 1, []store.Answer{ans("2.1.1", "nei")}, surveyNow.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	got, _ = s.OrgAnswers(ctx, f.leadBergen.ID, "2027", f.bergen.ID, surveyNow.Add(time.Hour))
	for _, a := range got.Own {
		if a.Measure == "2.1.1" && a.Answer != "ja" {
			t.Errorf("Bergen's submitted 2.1.1 changed with the provider's to %s", a.Answer)
		}
	}
	for _, p := range got.FromProvider {
		if p.Measure == "2.1.1" && p.Answer.Answer != "nei" {
			t.Errorf("the provider's current 2.1.1 = %s, want nei, shown beside Bergen's", p.Answer.Answer)
		}
	}
	sub, err := s.SubmittedAnswers(ctx, "2027")
	if err != nil || len(sub) != 2 || sub[0].OrgCode != "4601" {
		t.Errorf("SubmittedAnswers() = %+v, %v; want Bergen's two answers", sub, err)
	}
}

func testSubmitAndReopen(t *testing.T, s Store) {
	ctx := context.Background()
	f := newSurveyFixture(t, s)
	if err := s.Submit(ctx, f.respOslo.ID, "2027", f.oslo.ID, surveyNow); !fault.Is(err, fault.Forbidden) {
		t.Errorf("Submit(as a respondent) = %v, want kind %v", err, fault.Forbidden)
	}
	if err := s.Submit(ctx, f.leadBergen.ID, "2027", f.oslo.ID, surveyNow); !fault.Is(err, fault.Forbidden) {
		t.Errorf("Submit(as another organisation's lead) = %v, want kind %v", err, fault.Forbidden)
	}
	if err := s.Submit(ctx, f.leadOslo.ID, "2027", f.oslo.ID, surveyNow); err != nil {
		t.Fatal(err)
	}
	if err := s.Submit(ctx, f.leadOslo.ID, "2027", f.oslo.ID, surveyNow); !fault.Is(err, fault.Conflict) {
		t.Errorf("Submit() twice = %v, want kind %v", err, fault.Conflict)
	}
	if _, err := s.SaveAnswers(ctx, f.respOslo.ID, "2027", f.oslo.ID, "1.1", 0, []store.Answer{ans("1.1.1", "ja")}, surveyNow); !fault.Is(err, fault.Conflict) {
		t.Errorf("SaveAnswers() after submission = %v, want kind %v", err, fault.Conflict)
	}
	subs, _ := s.Submissions(ctx, "2027")
	if _, ok := subs[f.oslo.ID]; !ok || len(subs) != 1 {
		t.Errorf("Submissions() = %v, want Oslo", subs)
	}
	if err := s.Reopen(ctx, "2027", f.oslo.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SaveAnswers(ctx, f.respOslo.ID, "2027", f.oslo.ID, "1.1", 0, []store.Answer{ans("1.1.1", "ja")}, surveyNow); err != nil {
		t.Errorf("SaveAnswers() after reopening = %v", err)
	}
	if err := s.Reopen(ctx, "2027", f.oslo.ID); !fault.Is(err, fault.NotFound) {
		t.Errorf("Reopen(not submitted) = %v, want kind %v", err, fault.NotFound)
	}
}

// testConcurrentSaves has many respondents of many organisations save at
// once, some on the same principle: every save either lands once or is
// told it lost, and the answers stored are exactly those of the saves
// that landed.
func testConcurrentSaves(t *testing.T, s Store) {
	ctx := context.Background()
	f := newSurveyFixture(t, s)
	type result struct {
		who     int64
		org     int64
		answer  string
		version int
		err     error
	}
	var wg sync.WaitGroup
	results := make(chan result, 64)
	people := []struct {
		u   store.User
		org int64
	}{{f.respOslo, f.oslo.ID}, {f.leadOslo, f.oslo.ID}, {f.respBergen, f.bergen.ID}, {f.leadBergen, f.bergen.ID}}
	for round := range 8 {
		for i, p := range people {
			wg.Add(1)
			go func() {
				defer wg.Done()
				a := []string{"ja", "nei", "delvis", "vet_ikke"}[(round+i)%4]
				got, _ := s.OrgAnswers(ctx, p.u.ID, "2027", p.org, surveyNow)
				v, err := s.SaveAnswers(ctx, p.u.ID, "2027", p.org, "1.1", got.Versions["1.1"], []store.Answer{ans("1.1.1", a)}, surveyNow)
				results <- result{p.u.ID, p.org, a, v, err}
			}()
		}
	}
	wg.Wait()
	close(results)
	last := map[int64]result{}
	landed := map[int64]int{}
	for r := range results {
		switch {
		case r.err == nil:
			landed[r.org]++
			if r.version > last[r.org].version {
				last[r.org] = r
			}
		case !fault.Is(r.err, fault.Conflict):
			t.Errorf("a concurrent save failed with %v, want success or a conflict", r.err)
		}
	}
	for org, r := range last {
		got, _ := s.OrgAnswers(ctx, r.who, "2027", org, surveyNow)
		if got.Versions["1.1"] != landed[org] || len(got.Own) != 1 || got.Own[0].Answer != r.answer {
			t.Errorf("organisation %d: version %d after %d saves landed, answer %+v, want the last landed save's %s",
				org, got.Versions["1.1"], landed[org], got.Own, r.answer)
		}
	}
	if len(landed) != 2 {
		t.Errorf("saves landed for %d organisations, want 2", len(landed))
	}
}

func testPlan(t *testing.T, s Store) {
	ctx := context.Background()
	f := newSurveyFixture(t, s)
	it := store.PlanItem{Measure: "1.1.1", Owner: "IT-sjefen (konstruert)", DueOn: "2027-09-01", Status: "planlagt", Note: "n"}
	if err := s.SavePlanItem(ctx, f.leadOslo.ID, "2027", f.oslo.ID, it, surveyNow); err != nil {
		t.Fatal(err)
	}
	it.Status = "i_gang"
	if err := s.SavePlanItem(ctx, f.respOslo.ID, "2027", f.oslo.ID, it, surveyNow); err != nil {
		t.Fatal(err)
	}
	if err := s.SavePlanItem(ctx, f.leadBergen.ID, "2027", f.oslo.ID, it, surveyNow); !fault.Is(err, fault.Forbidden) {
		t.Errorf("SavePlanItem(another organisation) = %v, want kind %v", err, fault.Forbidden)
	}
	it.Measure = "9.9.9"
	if err := s.SavePlanItem(ctx, f.leadOslo.ID, "2027", f.oslo.ID, it, surveyNow); !fault.Is(err, fault.NotFound) {
		t.Errorf("SavePlanItem(unknown measure) = %v, want kind %v", err, fault.NotFound)
	}
	got, err := s.PlanItems(ctx, f.leadOslo.ID, "2027", f.oslo.ID, surveyNow)
	if err != nil || len(got) != 1 || got[0].Status != "i_gang" || got[0].UpdatedBy != f.respOslo.ID {
		t.Errorf("PlanItems() = %+v, %v", got, err)
	}
}

func testServiceProviders(t *testing.T, s Store) {
	ctx := context.Background()
	if _, err := s.AddServiceProvider(ctx, store.ServiceProvider{Name: "Konstruert SOC", Services: []string{"soc"}}); !fault.Is(err, fault.Invalid) {
		t.Errorf("AddServiceProvider(no source) = %v, want kind %v", err, fault.Invalid)
	}
	p, err := s.AddServiceProvider(ctx, store.ServiceProvider{Name: "Konstruert SOC", URL: "https://example.invalid", Services: []string{"soc", "hendelseshandtering"},
		Source: "konstruert kilde", AddedAt: t0})
	if err != nil {
		t.Fatal(err)
	}
	if list, err := s.ServiceProviders(ctx); err != nil || len(list) != 1 || fmt.Sprint(list[0].Services) != "[soc hendelseshandtering]" {
		t.Errorf("ServiceProviders() = %+v, %v", list, err)
	}
	if err := s.RetireServiceProvider(ctx, p.ID, t0); err != nil {
		t.Fatal(err)
	}
	if list, _ := s.ServiceProviders(ctx); len(list) != 0 {
		t.Errorf("ServiceProviders() after retiring = %+v", list)
	}
}

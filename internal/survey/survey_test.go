package survey_test

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"

	"github.com/grunnlag/grunnlag/data"
	"github.com/grunnlag/grunnlag/internal/audit"
	"github.com/grunnlag/grunnlag/internal/auth"
	"github.com/grunnlag/grunnlag/internal/catalog"
	"github.com/grunnlag/grunnlag/internal/fault"
	"github.com/grunnlag/grunnlag/internal/org"
	"github.com/grunnlag/grunnlag/internal/store"
	"github.com/grunnlag/grunnlag/internal/store/sqlstore"
	"github.com/grunnlag/grunnlag/internal/survey"
)

// now is a day while the constructed round is open.
var now = time.Date(2027, 3, 10, 10, 0, 0, 0, time.UTC)

type fixture struct {
	st     *sqlstore.DB
	svc    *survey.Service
	auth   *auth.Service
	pack   *catalog.Pack
	round  *survey.Round
	oslo   store.Organisation
	bergen store.Organisation
	iks    store.Organisation
}

// newFixture is a SQLite store with the shipped pack's organisations, a
// constructed IT provider serving Bergen, and an open round of the pack's
// measures.
func newFixture(t *testing.T, maturity bool) *fixture {
	t.Helper()
	ctx := context.Background()
	st, err := sqlstore.Open(ctx, filepath.Join(t.TempDir(), "g.db"), sqlstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	pack, err := catalog.LoadDirs(catalog.Dir{FS: data.FS, Path: ".", Name: "grunnlag"})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := org.Sync(ctx, st, pack, now); err != nil {
		t.Fatal(err)
	}
	clock := func() time.Time { return now }
	f := &fixture{st: st, pack: pack, auth: auth.New(auth.Config{Store: st, Now: clock})}
	if f.svc, err = survey.New(survey.Config{Store: st, Accounts: st, Audit: f.auth.Audit(), Pack: pack, Now: clock}); err != nil {
		t.Fatal(err)
	}
	f.oslo, _ = st.Organisation(ctx, "0301")
	f.bergen, _ = st.Organisation(ctx, "4601")
	if f.iks, err = st.AddOrganisation(ctx, store.Organisation{Code: "iks-konstruert", Kind: store.Provider, Name: "Konstruert IKT IKS", Source: "test", CreatedAt: now}); err != nil {
		t.Fatal(err)
	}
	if err := st.AddMembership(ctx, store.Membership{Parent: "iks-konstruert", Member: "4601", ValidFrom: "2024-01-01"}); err != nil {
		t.Fatal(err)
	}
	set := survey.DefaultSettings(pack)
	set.Maturity = maturity
	if _, err := f.svc.CreateRound(ctx, audit.CLI, survey.RoundSpec{ID: "2027", Name: "Konstruert runde", OpensOn: "2027-03-01", ClosesOn: "2027-04-30", Settings: set}); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.SetStatus(ctx, audit.CLI, "2027", store.RoundOpen); err != nil {
		t.Fatal(err)
	}
	if f.round, err = f.svc.Round(ctx, "2027"); err != nil {
		t.Fatal(err)
	}
	return f
}

// person makes a user with a role and returns them signed in (a token's
// principal is enough for the service).
func (f *fixture) person(t *testing.T, email string, r store.Role, orgCode string) *auth.Principal {
	t.Helper()
	ctx := context.Background()
	u, _, err := f.auth.AddUser(ctx, audit.CLI, email, r, orgCode)
	if err != nil {
		t.Fatal(err)
	}
	secret, _, err := f.auth.CreateToken(ctx, audit.CLI, u.ID, "test", 0)
	if err != nil {
		t.Fatal(err)
	}
	p, err := f.auth.Token(ctx, secret, auth.Client{IP: "192.0.2.1"})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestCreateRound(t *testing.T) {
	f := newFixture(t, false)
	r := f.round
	if len(r.Measures) != len(f.pack.Measures) || len(r.Categories) != 4 || countPrinciples(r) != 21 {
		t.Errorf("round from the pack: %d measures (pack %d), %d categories, %d principles; want all, 4, 21",
			len(r.Measures), len(f.pack.Measures), len(r.Categories), countPrinciples(r))
	}
	m := r.Measures[0]
	// The pack has no NSM text yet, only its editors' summaries: the round
	// keeps them apart, with the source.
	if m.Measure != "1.1.1" || m.Title != "" || m.Summary == "" || !strings.HasPrefix(m.Source, "grunnlag/nsm.yaml:") || m.Provider {
		t.Errorf("first measure = %+v", m)
	}
	p, _ := r.Principle("2.1")
	if !p.Measures[0].Provider || p.Title == "" {
		t.Errorf("principle 2.1 = %+v, want a title and measures providers answer", p)
	}
	ctx := context.Background()
	for _, spec := range []survey.RoundSpec{
		{ID: "2027", Name: "x", OpensOn: "2027-01-01", ClosesOn: "2027-02-01"},
		{ID: "Store Bokstaver", Name: "x", OpensOn: "2027-01-01", ClosesOn: "2027-02-01"},
		{ID: "ny", Name: "x", OpensOn: "2027-02-01", ClosesOn: "2027-01-01"},
		{ID: "ny", Name: "x", OpensOn: "2027-01-01", ClosesOn: "2027-02-01", Principles: []string{"9.9"}},
	} {
		if _, err := f.svc.CreateRound(ctx, audit.CLI, spec); err == nil {
			t.Errorf("CreateRound(%+v) = nil error, want a refusal", spec)
		}
	}
}

func countPrinciples(r *survey.Round) int {
	n := 0
	for _, c := range r.Categories {
		n += len(c.Principles)
	}
	return n
}

func TestSaveValidates(t *testing.T) {
	f := newFixture(t, false)
	ctx := context.Background()
	resp := f.person(t, "svar@example.invalid", store.RoleRespondent, "0301")
	bad := []survey.Input{
		{Measure: "1.1.1", Answer: "kanskje", Maturity: -1},
		{Measure: "1.1.2", Answer: store.AnswerNotRelevant, Maturity: -1},
		{Measure: "1.1.3", Answer: store.AnswerYes, Maturity: 3},
		{Measure: "2.1.1", Answer: store.AnswerYes, Maturity: -1},
	}
	_, err := f.svc.Save(ctx, resp, "2027", f.oslo.ID, "1.1", 0, bad)
	msg := fault.UserMessage(err)
	for _, want := range []string{"tiltak 1.1.1: «kanskje» er ikke et av svarene", "tiltak 1.1.2: skriv hvorfor", "tiltak 1.1.3: runden spør ikke om modenhet", "tiltak 2.1.1 hører ikke til prinsipp 1.1"} {
		if !strings.Contains(msg, want) {
			t.Errorf("Save(bad answers) message %q lacks %q", msg, want)
		}
	}
	if v, _ := f.svc.View(ctx, resp, "2027", f.oslo); v.Progress[""].Answered != 0 {
		t.Errorf("a refused save stored %d answers", v.Progress[""].Answered)
	}
	good := []survey.Input{
		{Measure: "1.1.1", Answer: store.AnswerYes, Maturity: -1},
		{Measure: "1.1.2", Answer: store.AnswerNotRelevant, Reason: "Konstruert grunn", Maturity: -1},
		{Measure: "1.1.3", Answer: store.AnswerPartly, Maturity: -1, Comment: " konstruert "},
		{Measure: "1.1.4", Answer: "", Maturity: -1},
	}
	if v, err := f.svc.Save(ctx, resp, "2027", f.oslo.ID, "1.1", 0, good); err != nil || v != 1 {
		t.Fatalf("Save() = %d, %v", v, err)
	}
	view, err := f.svc.View(ctx, resp, "2027", f.oslo)
	if err != nil {
		t.Fatal(err)
	}
	p11, _ := f.round.Principle("1.1")
	if got := view.Progress["1.1"]; got.Answered != 3 || got.Total != len(p11.Measures) {
		t.Errorf("progress of 1.1 = %+v, want 3 of %d", got, len(p11.Measures))
	}
	// Ja 1, Delvis ½; ikke relevant does not count.
	if got := view.Scores["1.1"]; got.Counted != 2 || got.Value != 0.75 {
		t.Errorf("score of 1.1 = %+v, want 0,75 of 2", got)
	}
	if got := view.Answers["1.1.3"].Comment; got != "konstruert" {
		t.Errorf("comment = %q, want it trimmed", got)
	}
	if !view.Open || len(view.Changes) != 3 {
		t.Errorf("view: open %v, %d changes; want open and 3", view.Open, len(view.Changes))
	}
}

// TestInheritedBeforeAndAfterSubmission: Bergen sees its provider's
// answers as its own until it answers itself; after submission, a change
// by the provider is shown, not applied.
func TestInheritedBeforeAndAfterSubmission(t *testing.T) {
	f := newFixture(t, false)
	ctx := context.Background()
	prov := f.person(t, "iks@example.invalid", store.RoleProvider, "iks-konstruert")
	lead := f.person(t, "leder@example.invalid", store.RoleLead, "4601")
	p21, _ := f.round.Principle("2.1")
	var in []survey.Input
	for _, m := range p21.Measures {
		in = append(in, survey.Input{Measure: m.Measure, Answer: store.AnswerYes, Maturity: -1})
	}
	if _, err := f.svc.Save(ctx, prov, "2027", f.iks.ID, "2.1", 0, in); err != nil {
		t.Fatal(err)
	}
	v, err := f.svc.View(ctx, lead, "2027", f.bergen)
	if err != nil {
		t.Fatal(err)
	}
	first := p21.Measures[0].Measure
	if e := v.Answers[first]; !e.Given || e.From != "Konstruert IKT IKS" || e.Answer.Answer != store.AnswerYes {
		t.Errorf("%s before submission = %+v, want the provider's ja", first, e)
	}
	if got := v.Progress["2.1"].Answered; got != len(p21.Measures) {
		t.Errorf("progress of 2.1 counts %d inherited answers, want %d", got, len(p21.Measures))
	}
	if err := f.svc.Submit(ctx, lead, "2027", f.bergen.ID, "4601"); err != nil {
		t.Fatal(err)
	}
	in[0].Answer = store.AnswerNo
	if _, err := f.svc.Save(ctx, prov, "2027", f.iks.ID, "2.1", 1, in); err != nil {
		t.Fatal(err)
	}
	v, _ = f.svc.View(ctx, lead, "2027", f.bergen)
	if e := v.Answers[first]; e.Answer.Answer != store.AnswerYes || !e.ProviderChanged || e.Provider.Answer.Answer != store.AnswerNo {
		t.Errorf("%s after the provider's change = %+v, want ja kept and the change shown", first, e)
	}
	if v.Open {
		t.Errorf("a submitted organisation's view is open")
	}
}

// TestRawReadIsAudited: an analyst under a grant reads a municipality's
// answers; the read is in the audit log with the grant's reason, and
// without a grant there is no read.
func TestRawReadIsAudited(t *testing.T) {
	f := newFixture(t, false)
	ctx := context.Background()
	analyst := f.person(t, "analytiker@example.invalid", store.RoleAnalyst, "")
	if _, err := f.svc.View(ctx, analyst, "2027", f.oslo); !fault.Is(err, fault.Forbidden) {
		t.Fatalf("View(without a grant) = %v, want kind %v", err, fault.Forbidden)
	}
	if _, err := f.st.CreateGrant(ctx, store.Grant{UserID: analyst.User.ID, OrgID: f.oslo.ID, Reason: "konstruert kvalitetskontroll",
		GrantedBy: analyst.User.ID, GrantedAt: now.Add(-time.Hour), ExpiresAt: now.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	v, err := f.svc.View(ctx, analyst, "2027", f.oslo)
	if err != nil {
		t.Fatal(err)
	}
	if v.RawReadFor != "konstruert kvalitetskontroll" {
		t.Errorf("View(under a grant).RawReadFor = %q, want the grant's reason", v.RawReadFor)
	}
	log, _ := f.auth.Audit().Entries(ctx, store.AuditFilter{Action: "answers.read"})
	if len(log) != 1 || log[0].OrgCode != "0301" || log[0].Actor != "analytiker@example.invalid" || !strings.Contains(log[0].Detail, "konstruert kvalitetskontroll") {
		t.Errorf("audit of the read = %+v", log)
	}
}

// TestImport reads a spreadsheet of answers (CSV and XLSX); a file with
// mistakes stores nothing and names each by file, line and field.
func TestImport(t *testing.T) {
	f := newFixture(t, true)
	ctx := context.Background()
	badCSV := "\ufefforg;measure;answer;maturity;comment\n" +
		"0301;1.1.1;ja;3;konstruert\n" +
		"9999;1.1.2;ja;;\n" +
		"0301;9.9.9;nei;;\n" +
		"0301;1.1.3;kanskje;;\n" +
		"0301;1.1.4;delvis;7;\n" +
		"iks-konstruert;1.1.1;ja;;\n" +
		"0301;1.1.1;nei;;\n" +
		"0301;1.1.5;ikke relevant;;\n"
	_, err := f.svc.Import(ctx, audit.CLI, store.Operator, "2027", "svar.csv", strings.NewReader(badCSV), "")
	var ps survey.Problems
	if !errors.As(err, &ps) {
		t.Fatalf("Import(bad) = %v, want Problems", err)
	}
	var got []string
	for _, p := range ps {
		got = append(got, p.String())
	}
	want := []string{
		"svar.csv:3: org: «9999» er ikke en kjent organisasjon (kommune- eller fylkesnummer, eller leverandørens id)",
		"svar.csv:4: measure: «9.9.9» er ikke et tiltak i runden",
		"svar.csv:5: answer: «kanskje» er ikke ja, delvis, nei, vet ikke eller ikke relevant",
		"svar.csv:6: maturity: «7» er ikke et tall fra 0 til 5",
		"svar.csv:7: measure: en IT-leverandør svarer ikke på tiltak 1.1.1 i denne runden",
		"svar.csv:8: measure: 1.1.1 for 0301 står også på linje 2",
		"svar.csv:9: answer: tiltak 1.1.5: skriv hvorfor det ikke er relevant",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Import(bad) problems mismatch (-want +got):\n%s", diff)
	}
	subs, _ := f.st.SubmittedAnswers(ctx, "2027")
	if v, _ := f.svc.OperatorView(ctx, audit.CLI, "2027", f.oslo); v.Progress[""].Answered != 0 || len(subs) != 0 {
		t.Errorf("a refused import stored %d answers", v.Progress[""].Answered)
	}

	// The same answers, right, as XLSX with the columns in another order.
	x := excelize.NewFile()
	rows := [][]any{
		{"Comment", "Org", "Measure", "Answer", "Maturity", "Reason"},
		{"konstruert", "0301", "1.1.1", "Ja", 3, ""},
		{"", "0301", "1.1.5", "Ikke relevant", "", "konstruert grunn"},
		{"", "4601", "1.1.1", "vet ikke", "", ""},
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := x.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := x.Write(&buf); err != nil {
		t.Fatal(err)
	}
	res, err := f.svc.Import(ctx, audit.CLI, store.Operator, "2027", "svar.xlsx", &buf, "")
	if err != nil || res.Rows != 3 || res.Orgs != 2 {
		t.Fatalf("Import(xlsx) = %+v, %v", res, err)
	}
	v, _ := f.svc.OperatorView(ctx, audit.CLI, "2027", f.oslo)
	if e := v.Answers["1.1.1"]; e.Answer.Answer != store.AnswerYes || e.Maturity != 3 || e.Comment != "konstruert" {
		t.Errorf("imported 1.1.1 = %+v", e)
	}
	// Export and import again: the same answers, no change.
	var out bytes.Buffer
	if err := survey.Export(&out, "0301", v); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out.String(), "\ufefforg;measure;answer;maturity;comment;reason;evidence\n0301;1.1.1;Ja;3;konstruert;;\n") {
		t.Errorf("Export() = %q", out.String())
	}
	before := len(v.Changes)
	if _, err := f.svc.Import(ctx, audit.CLI, store.Operator, "2027", "eksport.csv", &out, ""); err != nil {
		t.Fatal(err)
	}
	if v2, _ := f.svc.OperatorView(ctx, audit.CLI, "2027", f.oslo); len(v2.Changes) != before {
		t.Errorf("importing the export changed %d answers, want none", len(v2.Changes)-before)
	}
	// A lead's upload holds only the lead's organisation.
	lead := f.person(t, "leder@example.invalid", store.RoleLead, "4601")
	_, err = f.svc.Import(ctx, lead.Actor(), lead.User.ID, "2027", "svar.csv", strings.NewReader("org,measure,answer\n0301,1.1.2,ja\n"), "4601")
	if !errors.As(err, &ps) || len(ps) != 1 || ps[0].Field != "org" {
		t.Errorf("a lead uploading another organisation's answers = %v", err)
	}
}

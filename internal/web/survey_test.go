package web

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/net/html"

	"github.com/grunnlag/grunnlag/internal/audit"
	"github.com/grunnlag/grunnlag/internal/auth"
	"github.com/grunnlag/grunnlag/internal/store"
	"github.com/grunnlag/grunnlag/internal/survey"
)

// surveyEnv is a server with the self-assessment: an open round "2027"
// of the pack's measures that asks for maturity, a draft round "utkast",
// and a constructed IT provider that serves Bergen. Both rounds and the
// provider are constructed for the tests; the dates put testNow inside
// the open round.
type surveyEnv struct {
	*env
	svc    *survey.Service
	oslo   store.Organisation
	bergen store.Organisation
	iks    store.Organisation
}

func newSurveyEnv(t *testing.T, opts ...envOption) *surveyEnv {
	t.Helper()
	base := newEnv(t, opts...)
	e := &surveyEnv{env: base, svc: base.survey}
	svc := e.svc
	ctx := context.Background()
	var err error
	if e.oslo, err = e.st.Organisation(ctx, "0301"); err != nil {
		t.Fatal(err)
	}
	if e.bergen, err = e.st.Organisation(ctx, "4601"); err != nil {
		t.Fatal(err)
	}
	if e.iks, err = e.st.AddOrganisation(ctx, store.Organisation{Code: "iks-konstruert", Kind: store.Provider, Name: "Konstruert IKT IKS", Source: "test", CreatedAt: testNow}); err != nil {
		t.Fatal(err)
	}
	if err := e.st.AddMembership(ctx, store.Membership{Parent: "iks-konstruert", Member: "4601", ValidFrom: "2024-01-01"}); err != nil {
		t.Fatal(err)
	}
	set := survey.DefaultSettings(e.srv.cfg.Pack)
	set.Maturity = true
	for _, spec := range []survey.RoundSpec{
		{ID: "2027", Name: "Konstruert runde", OpensOn: "2025-06-01", ClosesOn: "2025-06-30", Settings: set},
		{ID: "utkast", Name: "Konstruert utkast", OpensOn: "2025-09-01", ClosesOn: "2025-10-31", Settings: set},
	} {
		if _, err := svc.CreateRound(ctx, audit.CLI, spec); err != nil {
			t.Fatal(err)
		}
	}
	if err := svc.SetStatus(ctx, audit.CLI, "2027", store.RoundOpen); err != nil {
		t.Fatal(err)
	}
	return e
}

// postJSON posts a form as the page's script does: the form token in a
// header, asking for JSON.
func (e *env) postJSON(t *testing.T, s *session, path string, form url.Values) (*http.Response, saveReply) {
	t.Helper()
	h := http.Header{"Sec-Fetch-Site": {"same-origin"}, "Accept": {"application/json"}, "X-CSRF-Token": {s.csrf},
		"Content-Type": {"application/x-www-form-urlencoded"}, "Cookie": {s.cookie.String()}}
	resp, body := e.do(t, http.MethodPost, path, h, strings.NewReader(form.Encode()))
	var reply saveReply
	if err := json.Unmarshal([]byte(body), &reply); err != nil {
		t.Fatalf("POST %s answered %d with %q, not JSON: %v", path, resp.StatusCode, body, err)
	}
	return resp, reply
}

// formValues returns the values of a page's form controls: the checked
// radio buttons and check boxes, the selected options, text inputs and
// text areas.
func formValues(doc *html.Node) url.Values {
	v := url.Values{}
	walk(doc, func(n *html.Node) {
		name, ok := attr(n, "name")
		if !ok {
			return
		}
		switch n.Data {
		case "input":
			typ, _ := attr(n, "type")
			val, _ := attr(n, "value")
			if typ == "radio" || typ == "checkbox" {
				if _, on := attr(n, "checked"); !on {
					return
				}
			}
			v.Add(name, val)
		case "textarea":
			v.Add(name, text(n))
		case "select":
			walk(n, func(o *html.Node) {
				if _, sel := attr(o, "selected"); o.Data == "option" && sel {
					val, _ := attr(o, "value")
					v.Add(name, val)
				}
			})
		}
	})
	return v
}

// principleForm fetches a principle's form as s and returns its values,
// failing unless it is a 200 page that passes checkPage.
func (e *surveyEnv) principleForm(t *testing.T, s *session, path string) url.Values {
	t.Helper()
	resp, body := e.doAs(t, s, http.MethodGet, path, nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s = %d:\n%s", path, resp.StatusCode, body)
	}
	return formValues(checkPage(t, path, body))
}

func (e *surveyEnv) view(t *testing.T, org store.Organisation) *survey.OrgView {
	t.Helper()
	v, err := e.svc.OperatorView(context.Background(), audit.CLI, "2027", org)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// TestSurveyAnswerWithoutJavaScript answers a principle as a browser
// without JavaScript does: the form, a POST, a redirect, the form again
// with a notice and the answers in it.
func TestSurveyAnswerWithoutJavaScript(t *testing.T) {
	e := newSurveyEnv(t)
	resp := e.signIn(t, "svarer@example.invalid", store.RoleRespondent, "0301")
	for _, p := range []string{"/kartlegging", "/kartlegging/2027"} {
		r, body := e.doAs(t, resp, http.MethodGet, p, nil)
		if r.StatusCode != http.StatusOK {
			t.Fatalf("GET %s = %d", p, r.StatusCode)
		}
		checkPage(t, p, body)
		if !strings.Contains(body, "Konstruert runde") || strings.Contains(body, "Konstruert utkast") {
			t.Errorf("GET %s should show the open round and not the draft", p)
		}
	}
	form := e.principleForm(t, resp, "/kartlegging/2027/1.1")
	if got := form.Get("versjon"); got != "0" {
		t.Errorf("a new form's version = %q, want 0", got)
	}
	form.Set("svar-1-1-1", store.AnswerYes)
	form.Set("modenhet-1-1-1", "3")
	form.Set("kommentar-1-1-1", "Konstruert kommentar")
	form.Set("svar-1-1-2", store.AnswerNotRelevant)
	form.Set("grunn-1-1-2", "Konstruert grunn")
	form.Set("dok-1-1-2", "https://example.invalid/rutine")
	r, _ := e.doAs(t, resp, http.MethodPost, "/kartlegging/2027/1.1", form)
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/kartlegging/2027/1.1?lagret=1" {
		t.Fatalf("POST the form = %d to %q, want 303 to the form with a notice", r.StatusCode, r.Header.Get("Location"))
	}
	_, body := e.doAs(t, resp, http.MethodGet, "/kartlegging/2027/1.1?lagret=1", nil)
	if !strings.Contains(body, "Svarene er lagret. Sist endret 5. juni 2025 kl. 10.30 av svarer@example.invalid.") {
		t.Errorf("the form after saving lacks the notice with when and who")
	}
	got := formValues(checkPage(t, "form after saving", body))
	want := url.Values{"svar-1-1-1": {"ja"}, "modenhet-1-1-1": {"3"}, "kommentar-1-1-1": {"Konstruert kommentar"}, "svar-1-1-2": {"ikke_relevant"},
		"grunn-1-1-2": {"Konstruert grunn"}, "dok-1-1-2": {"https://example.invalid/rutine"}, "versjon": {"1"}}
	for k, w := range want {
		if diff := cmp.Diff(w, got[k]); diff != "" {
			t.Errorf("field %s after saving (-want +got):\n%s", k, diff)
		}
	}
	v := e.view(t, e.oslo)
	if a := v.Answers["1.1.1"]; a.Answer.Answer != store.AnswerYes || a.Maturity != 3 || a.Comment != "Konstruert kommentar" || a.UpdatedBy != resp.user.ID {
		t.Errorf("stored 1.1.1 = %+v", a.Answer)
	}
	if got := v.Progress["1.1"].Answered; got != 2 {
		t.Errorf("answered in 1.1 = %d, want 2", got)
	}
	// The history shows who changed what.
	_, hist := e.doAs(t, resp, http.MethodGet, "/kartlegging/2027/historikk", nil)
	checkPage(t, "history", hist)
	for _, want := range []string{"svarer@example.invalid", "ikke besvart", "Ja · modenhet 3 – definert · kommentar: «Konstruert kommentar»", "Ikke relevant · grunn: «Konstruert grunn»"} {
		if !strings.Contains(hist, want) {
			t.Errorf("the history lacks %q", want)
		}
	}
}

// TestSurveyFormProblems: a form with problems is shown again with an
// error summary that links to each field, the input kept, and nothing
// stored.
func TestSurveyFormProblems(t *testing.T) {
	e := newSurveyEnv(t)
	resp := e.signIn(t, "svarer@example.invalid", store.RoleRespondent, "0301")
	form := e.principleForm(t, resp, "/kartlegging/2027/1.1")
	form.Set("svar-1-1-1", store.AnswerYes)
	form.Set("svar-1-1-2", store.AnswerNotRelevant)
	form.Set("kommentar-1-1-3", "Konstruert kommentar uten svar")
	form.Set("svar-1-1-4", store.AnswerNo)
	form.Set("grunn-1-1-4", "grunn uten «Ikke relevant»")
	form.Set("svar-1-1-5", "kanskje")
	form.Set("modenhet-1-1-1", "9")
	r, body := e.doAs(t, resp, http.MethodPost, "/kartlegging/2027/1.1", form)
	if r.StatusCode != http.StatusBadRequest {
		t.Fatalf("POST a form with problems = %d, want 400", r.StatusCode)
	}
	doc := checkPage(t, "form with problems", body)
	var links []string
	for _, sum := range find(doc, "div", "feil") {
		walk(sum, func(n *html.Node) {
			if href, ok := attr(n, "href"); ok && n.Data == "a" {
				links = append(links, href+" "+text(n))
			}
		})
	}
	want := []string{
		"#modenhet-1-1-1 Tiltak 1.1.1: velg modenhet fra 0 til 5.",
		"#grunn-1-1-2 Tiltak 1.1.2: skriv hvorfor tiltaket ikke er relevant.",
		"#svar-1-1-3-ja Tiltak 1.1.3: velg et svar; uten svar blir ikke resten lagret.",
		"#grunn-1-1-4 Tiltak 1.1.4: grunnen lagres bare med svaret «Ikke relevant». Velg det, eller tøm feltet.",
		"#svar-1-1-5-ja Tiltak 1.1.5: velg et av svarene.",
	}
	if diff := cmp.Diff(want, links); diff != "" {
		t.Errorf("error summary (-want +got):\n%s", diff)
	}
	for _, l := range want {
		id := strings.TrimPrefix(strings.Fields(l)[0], "#")
		if !hasID(doc, id) {
			t.Errorf("the summary links to #%s, which is not on the page", id)
		}
	}
	got := formValues(doc)
	if got.Get("kommentar-1-1-3") != "Konstruert kommentar uten svar" || got.Get("svar-1-1-2") != store.AnswerNotRelevant || got.Get("grunn-1-1-4") != "grunn uten «Ikke relevant»" {
		t.Errorf("the input is not kept: %v", got)
	}
	if v := e.view(t, e.oslo); len(v.Changes) != 0 {
		t.Errorf("a form with problems stored %d changes", len(v.Changes))
	}
}

func hasID(doc *html.Node, id string) bool {
	found := false
	walk(doc, func(n *html.Node) {
		if v, _ := attr(n, "id"); v == id {
			found = true
		}
	})
	return found
}

// TestSurveyConflict: two people edit the same principle. The second to
// save is told, sees what the first stored beside their own input, and
// nothing of either is overwritten until they save again knowingly.
func TestSurveyConflict(t *testing.T) {
	e := newSurveyEnv(t)
	first := e.signIn(t, "forste@example.invalid", store.RoleRespondent, "0301")
	second := e.signIn(t, "andre@example.invalid", store.RoleLead, "0301")
	a := e.principleForm(t, first, "/kartlegging/2027/1.1")
	b := e.principleForm(t, second, "/kartlegging/2027/1.1")
	a.Set("svar-1-1-1", store.AnswerYes)
	a.Set("kommentar-1-1-1", "Den første sin kommentar")
	if r, _ := e.doAs(t, first, http.MethodPost, "/kartlegging/2027/1.1", a); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("the first save = %d", r.StatusCode)
	}
	b.Set("svar-1-1-1", store.AnswerNo)
	b.Set("kommentar-1-1-1", "Den andre sin kommentar")
	b.Set("svar-1-1-2", store.AnswerPartly)

	// With JavaScript: a 409 the script shows; nothing stored.
	r, reply := e.postJSON(t, second, "/kartlegging/2027/1.1", b)
	if r.StatusCode != http.StatusConflict || !reply.Conflict || !strings.Contains(reply.Message, "ikke overskrevet") {
		t.Errorf("the script's stale save = %d %+v, want 409 with the conflict", r.StatusCode, reply)
	}
	// Without: the form again, with the other's answer and the own input.
	r, body := e.doAs(t, second, http.MethodPost, "/kartlegging/2027/1.1", b)
	if r.StatusCode != http.StatusConflict {
		t.Fatalf("the stale save = %d, want 409", r.StatusCode)
	}
	doc := checkPage(t, "conflict", body)
	for _, want := range []string{"Noen andre har lagret i mellomtiden",
		"Lagret av forste@example.invalid 5. juni 2025 kl. 10.30: Ja · kommentar: «Den første sin kommentar».",
		"Svarene dine er ikke lagret, men står fortsatt i skjemaet"} {
		if !strings.Contains(text(doc), want) {
			t.Errorf("the conflict page lacks %q", want)
		}
	}
	kept := formValues(doc)
	if kept.Get("svar-1-1-1") != store.AnswerNo || kept.Get("kommentar-1-1-1") != "Den andre sin kommentar" || kept.Get("svar-1-1-2") != store.AnswerPartly {
		t.Errorf("the second person's input is not kept: %v", kept)
	}
	if kept.Get("versjon") != "1" {
		t.Errorf("the conflict form's version = %q, want the stored 1", kept.Get("versjon"))
	}
	if got := e.view(t, e.oslo).Answers["1.1.1"]; got.Comment != "Den første sin kommentar" {
		t.Errorf("after the refused saves 1.1.1 = %+v, want the first person's", got.Answer)
	}
	// Saving again, with the other answers seen, is a choice.
	r, reply = e.postJSON(t, second, "/kartlegging/2027/1.1", kept)
	if r.StatusCode != http.StatusOK || reply.Version != 2 || !strings.HasPrefix(reply.Message, "Lagret kl. 10.30") {
		t.Errorf("saving again = %d %+v, want version 2 and «Lagret kl. 10.30»", r.StatusCode, reply)
	}
	if got := e.view(t, e.oslo).Answers["1.1.1"]; got.Comment != "Den andre sin kommentar" {
		t.Errorf("after saving again 1.1.1 = %+v", got.Answer)
	}
	// The script's save with a problem: 400 with the problem, nothing stored.
	kept.Set("versjon", "2")
	kept.Set("svar-1-1-3", store.AnswerNotRelevant)
	r, reply = e.postJSON(t, second, "/kartlegging/2027/1.1", kept)
	if r.StatusCode != http.StatusBadRequest || len(reply.Errors) != 1 || reply.Errors[0].Field != "grunn-1-1-3" {
		t.Errorf("the script's save with a problem = %d %+v", r.StatusCode, reply)
	}
}

// TestSurveyRefusals: every page refuses who may not use it, and a
// refusal shows nothing of the answers.
func TestSurveyRefusals(t *testing.T) {
	e := newSurveyEnv(t)
	ctx := context.Background()
	oslo := e.signIn(t, "oslo@example.invalid", store.RoleRespondent, "0301")
	bergenLead := e.signIn(t, "bergen@example.invalid", store.RoleLead, "4601")
	analyst := e.signIn(t, "analytiker@example.invalid", store.RoleAnalyst, "")
	admin := e.signIn(t, "admin@example.invalid", store.RoleAdmin, "")
	provider := e.signIn(t, "iks@example.invalid", store.RoleProvider, "iks-konstruert")
	// Bergen's answers, with a comment that must not leak.
	const secret = "Bergens konstruerte hemmelighet"
	p11, _ := e.mustRound(t).Principle("1.1")
	in := []survey.Input{{Measure: p11.Measures[0].Measure, Answer: store.AnswerNo, Maturity: -1, Comment: secret}}
	if _, err := e.svc.Save(ctx, e.principal(t, bergenLead), "2027", e.bergen.ID, "1.1", 0, in); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		who    *session
		method string
		path   string
		want   int
	}{
		{"anonymous overview", nil, "GET", "/kartlegging/2027", http.StatusSeeOther},
		{"anonymous lead's page", nil, "GET", "/organisasjon", http.StatusSeeOther},
		{"anonymous save", nil, "POST", "/kartlegging/2027/1.1", http.StatusUnauthorized},
		{"another organisation's answers", oslo, "GET", "/kartlegging/2027/organisasjoner/4601", http.StatusForbidden},
		{"an organisation that does not exist", oslo, "GET", "/kartlegging/2027/organisasjoner/9999", http.StatusForbidden},
		{"a respondent submits", oslo, "POST", "/kartlegging/2027/send-inn", http.StatusForbidden},
		{"a respondent's confirmation page", oslo, "GET", "/kartlegging/2027/send-inn", http.StatusForbidden},
		{"a respondent uploads", oslo, "POST", "/kartlegging/2027/last-opp", http.StatusForbidden},
		{"a draft round", oslo, "GET", "/kartlegging/utkast", http.StatusNotFound},
		{"a draft round's form", oslo, "GET", "/kartlegging/utkast/1.1", http.StatusNotFound},
		{"a round that does not exist", oslo, "GET", "/kartlegging/1999", http.StatusNotFound},
		{"a principle the round lacks", oslo, "GET", "/kartlegging/2027/9.9", http.StatusNotFound},
		{"an analyst without an organisation", analyst, "GET", "/kartlegging/2027", http.StatusForbidden},
		{"an analyst without a grant", analyst, "GET", "/kartlegging/2027/organisasjoner/4601", http.StatusForbidden},
		{"an administrator without a grant", admin, "GET", "/kartlegging/2027/organisasjoner/4601", http.StatusForbidden},
		{"a respondent administers rounds", oslo, "GET", "/admin/runder", http.StatusForbidden},
		{"a lead opens a round", bergenLead, "POST", "/admin/runder/utkast/apne", http.StatusForbidden},
		{"anonymous export", nil, "GET", "/kartlegging/2027/eksport", http.StatusSeeOther},
		{"a respondent's upload page", oslo, "GET", "/kartlegging/2027/last-opp", http.StatusForbidden},
		{"an analyst's history without an organisation", analyst, "GET", "/kartlegging/2027/historikk", http.StatusForbidden},
		{"an analyst's export without an organisation", analyst, "GET", "/kartlegging/2027/eksport", http.StatusForbidden},
		{"an analyst saves without an organisation", analyst, "POST", "/kartlegging/2027/1.1", http.StatusForbidden},
		{"a respondent creates a round", oslo, "POST", "/admin/runder", http.StatusForbidden},
		{"a respondent reopens a submission", oslo, "POST", "/admin/runder/2027/gjenapne", http.StatusForbidden},
		{"a round the administrator does not have", admin, "GET", "/admin/runder/1999", http.StatusNotFound},
		{"a provider's principle it does not answer", provider, "GET", "/kartlegging/2027/1.1", http.StatusNotFound},
		{"a provider saves a principle it does not answer", provider, "POST", "/kartlegging/2027/1.1", http.StatusNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			form := url.Values{"versjon": {"0"}, "svar-1-1-1": {"ja"}}
			if tt.method == http.MethodGet {
				form = nil
			}
			r, body := e.doAs(t, tt.who, tt.method, tt.path, form)
			if r.StatusCode != tt.want {
				t.Errorf("%s %s = %d, want %d", tt.method, tt.path, r.StatusCode, tt.want)
			}
			if strings.Contains(body, secret) {
				t.Errorf("%s %s shows Bergen's comment", tt.method, tt.path)
			}
		})
	}
	if r, _ := e.doAs(t, oslo, http.MethodPost, "/kartlegging/2027/1.1", url.Values{"csrf": {"feil"}, "versjon": {"0"}, "svar-1-1-1": {"ja"}}); r.StatusCode != http.StatusForbidden {
		t.Errorf("a save with a wrong form token = %d, want 403", r.StatusCode)
	}
	if subs, _ := e.svc.Submissions(ctx, "2027"); len(subs) != 0 {
		t.Errorf("the refusals left %d submissions", len(subs))
	}
	if v := e.view(t, e.oslo); len(v.Changes) != 0 {
		t.Errorf("the refusals stored %d changes for Oslo", len(v.Changes))
	}
	if reads, _ := e.auth.Audit().Entries(ctx, store.AuditFilter{Action: "answers.read"}); len(reads) != 1 || reads[0].Detail != "eksport fra kommandolinjen" {
		t.Errorf("refused reads are in the audit log as reads: %+v", reads)
	}

	// Under a grant, the analyst reads, and the read is audited first.
	if _, err := e.st.CreateGrant(ctx, store.Grant{UserID: analyst.user.ID, OrgID: e.bergen.ID, Reason: "konstruert kvalitetskontroll",
		GrantedBy: admin.user.ID, GrantedAt: testNow.Add(-1), ExpiresAt: testNow.Add(24 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
	r, body := e.doAs(t, analyst, http.MethodGet, "/kartlegging/2027/organisasjoner/4601", nil)
	if r.StatusCode != http.StatusOK || !strings.Contains(body, secret) || !strings.Contains(body, "konstruert kvalitetskontroll") {
		t.Fatalf("the analyst's read under a grant = %d; shows the answers: %v", r.StatusCode, strings.Contains(body, secret))
	}
	checkPage(t, "read under a grant", body)
	reads, err := e.auth.Audit().Entries(ctx, store.AuditFilter{Action: "answers.read", OrgCode: "4601"})
	if err != nil {
		t.Fatal(err)
	}
	if len(reads) != 1 || reads[0].Actor != "analytiker@example.invalid" || !strings.Contains(reads[0].Detail, "konstruert kvalitetskontroll") {
		t.Errorf("the read under a grant in the audit log = %+v", reads)
	}
	// The grant is for Bergen only; and the analyst's round list offers it.
	if r, _ := e.doAs(t, analyst, http.MethodGet, "/kartlegging/2027/organisasjoner/0301", nil); r.StatusCode != http.StatusForbidden {
		t.Errorf("the analyst reads Oslo under Bergen's grant: %d", r.StatusCode)
	}
	if _, list := e.doAs(t, analyst, http.MethodGet, "/kartlegging", nil); !strings.Contains(list, `href="/kartlegging/2027/organisasjoner/4601"`) {
		t.Errorf("the analyst's /kartlegging does not offer the grant's organisation")
	}
}

func (e *surveyEnv) mustRound(t *testing.T) *survey.Round {
	t.Helper()
	r, err := e.svc.Round(context.Background(), "2027")
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// principal returns the signed-in principal of a test session.
func (e *surveyEnv) principal(t *testing.T, s *session) *auth.Principal {
	t.Helper()
	p, err := e.auth.Token(context.Background(), s.token, auth.Client{IP: "192.0.2.1"})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestSurveySubmit: the lead sees what is unanswered, submits, and the
// form then shows the answers instead of taking them.
func TestSurveySubmit(t *testing.T) {
	e := newSurveyEnv(t)
	resp := e.signIn(t, "svarer@example.invalid", store.RoleRespondent, "0301")
	lead := e.signIn(t, "leder@example.invalid", store.RoleLead, "0301")
	form := e.principleForm(t, resp, "/kartlegging/2027/1.1")
	form.Set("svar-1-1-1", store.AnswerYes)
	e.doAs(t, resp, http.MethodPost, "/kartlegging/2027/1.1", form)

	r, body := e.doAs(t, lead, http.MethodGet, "/kartlegging/2027/send-inn", nil)
	if r.StatusCode != http.StatusOK {
		t.Fatalf("GET send-inn as lead = %d", r.StatusCode)
	}
	doc := checkPage(t, "send-inn", body)
	total := len(e.mustRound(t).Measures)
	if !strings.Contains(text(doc), "1 av "+plural(total, "tiltak", "tiltak")+" er besvart") || !strings.Contains(body, `href="/kartlegging/2027/1.1">1.1 `) || !strings.Contains(text(doc), "1.1.2, 1.1.3") {
		t.Errorf("the confirmation page does not list the unanswered measures:\n%s", text(doc))
	}
	if r, _ := e.doAs(t, lead, http.MethodPost, "/kartlegging/2027/send-inn", nil); r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/kartlegging/2027?sendt=1" {
		t.Fatalf("POST send-inn = %d to %q", r.StatusCode, r.Header.Get("Location"))
	}
	if _, body := e.doAs(t, lead, http.MethodGet, "/kartlegging/2027?sendt=1", nil); !strings.Contains(body, "Svarene er sendt inn. Takk!") || !strings.Contains(body, "Svarene ble sendt inn 5. juni 2025 kl. 10.30.") {
		t.Errorf("the overview after submitting lacks the notice and the state")
	}
	_, body = e.doAs(t, resp, http.MethodGet, "/kartlegging/2027/1.1", nil)
	if doc := checkPage(t, "form after submission", body); len(find(doc, "form", "svarskjema")) != 0 || !strings.Contains(text(doc), "Svar: Ja") {
		t.Errorf("after submission the form still takes answers, or does not show them")
	}
	r, body = e.doAs(t, resp, http.MethodPost, "/kartlegging/2027/1.1", url.Values{"versjon": {"1"}, "svar-1-1-2": {"nei"}})
	if r.StatusCode != http.StatusConflict || !strings.Contains(body, "Svarene er sendt inn. En administrator kan åpne dem igjen.") {
		t.Errorf("a save after submission = %d, want 409 with the reason", r.StatusCode)
	}
	if r, body := e.doAs(t, lead, http.MethodPost, "/kartlegging/2027/send-inn", nil); r.StatusCode != http.StatusConflict || !strings.Contains(body, "Svarene er sendt inn") {
		t.Errorf("submitting twice = %d", r.StatusCode)
	}
	log, _ := e.auth.Audit().Entries(context.Background(), store.AuditFilter{Action: "answers.submit"})
	if len(log) != 1 || log[0].Actor != "leder@example.invalid" || log[0].OrgCode != "0301" {
		t.Errorf("the submission in the audit log = %+v", log)
	}
}

// TestSurveyInherited: Bergen sees the answers its IT provider gives as
// the provider's, its form leaves them out of its own answers, and a
// change by the provider after submission is shown, not applied.
func TestSurveyInherited(t *testing.T) {
	e := newSurveyEnv(t)
	prov := e.signIn(t, "iks@example.invalid", store.RoleProvider, "iks-konstruert")
	lead := e.signIn(t, "leder@example.invalid", store.RoleLead, "4601")
	// The provider's overview holds only the principles providers answer.
	_, body := e.doAs(t, prov, http.MethodGet, "/kartlegging/2027", nil)
	if doc := checkPage(t, "provider overview", body); strings.Contains(body, `href="/kartlegging/2027/1.1"`) || !strings.Contains(body, `href="/kartlegging/2027/2.1"`) {
		t.Errorf("the provider's overview should list 2.1 and not 1.1:\n%s", text(doc))
	}
	form := e.principleForm(t, prov, "/kartlegging/2027/2.1")
	form.Set("svar-2-1-1", store.AnswerYes)
	form.Set("modenhet-2-1-1", "2")
	if r, _ := e.doAs(t, prov, http.MethodPost, "/kartlegging/2027/2.1", form); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("the provider's save = %d", r.StatusCode)
	}
	_, body = e.doAs(t, lead, http.MethodGet, "/kartlegging/2027", nil)
	if !strings.Contains(body, "1 svar fra IT-leverandøren Konstruert IKT IKS") {
		t.Errorf("Bergen's overview does not say which answers come from the provider")
	}
	r, body := e.doAs(t, lead, http.MethodGet, "/kartlegging/2027/2.1", nil)
	doc := checkPage(t, "inherited form", body)
	if r.StatusCode != http.StatusOK || !strings.Contains(text(doc), "Fra IT-leverandøren Konstruert IKT IKS: Ja · modenhet 2 – gjentakbar.") {
		t.Errorf("Bergen's form does not show the provider's answer:\n%s", text(doc))
	}
	if got := formValues(doc).Get("svar-2-1-1"); got != "" {
		t.Errorf("the provider's answer is in Bergen's own form (%q): saving would make it Bergen's", got)
	}
	if r, _ := e.doAs(t, lead, http.MethodPost, "/kartlegging/2027/send-inn", nil); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("submit = %d", r.StatusCode)
	}
	form = e.principleForm(t, prov, "/kartlegging/2027/2.1")
	form.Set("svar-2-1-1", store.AnswerNo)
	if r, _ := e.doAs(t, prov, http.MethodPost, "/kartlegging/2027/2.1", form); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("the provider's change = %d", r.StatusCode)
	}
	_, body = e.doAs(t, lead, http.MethodGet, "/kartlegging/2027", nil)
	if doc := checkPage(t, "overview after the provider's change", body); !strings.Contains(text(doc), "Tiltak 2.1.1: dere sendte inn Ja; Konstruert IKT IKS svarer nå Nei.") {
		t.Errorf("Bergen's overview does not show the provider's change:\n%s", text(doc))
	}
	if a := e.view(t, e.bergen).Answers["2.1.1"]; a.Answer.Answer != store.AnswerYes {
		t.Errorf("the provider's change was applied to Bergen: %+v", a.Answer)
	}
}

// TestSurveyExportAndUpload: the lead downloads the answers, uploads a
// file with mistakes (each shown with line, column and problem; nothing
// stored) and then a right one.
func TestSurveyExportAndUpload(t *testing.T) {
	e := newSurveyEnv(t)
	lead := e.signIn(t, "leder@example.invalid", store.RoleLead, "0301")
	resp := e.signIn(t, "svarer@example.invalid", store.RoleRespondent, "0301")
	upload := func(s *session, name, content string) (*http.Response, string) {
		t.Helper()
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		mw.WriteField("csrf", s.csrf)
		fw, _ := mw.CreateFormFile("fil", name)
		io.WriteString(fw, content)
		mw.Close()
		h := http.Header{"Sec-Fetch-Site": {"same-origin"}, "Content-Type": {mw.FormDataContentType()}, "Cookie": {s.cookie.String()}}
		return e.do(t, http.MethodPost, "/kartlegging/2027/last-opp", h, &buf)
	}
	r, body := e.doAs(t, lead, http.MethodGet, "/kartlegging/2027/last-opp", nil)
	if r.StatusCode != http.StatusOK {
		t.Fatalf("GET last-opp = %d", r.StatusCode)
	}
	checkPage(t, "upload", body)
	bad := "org;measure;answer;maturity;comment\n0301;1.1.1;ja;2;konstruert\n4601;1.1.2;ja;;\n0301;1.1.3;kanskje;;\n"
	r, body = upload(lead, "svar.csv", bad)
	if r.StatusCode != http.StatusBadRequest {
		t.Fatalf("uploading a file with mistakes = %d, want 400", r.StatusCode)
	}
	doc := checkPage(t, "upload with problems", body)
	var rows [][]string
	for _, tb := range find(doc, "table", "") {
		walk(tb, func(n *html.Node) {
			if n.Data == "tr" && n.Parent.Data == "tbody" {
				var row []string
				for c := n.FirstChild; c != nil; c = c.NextSibling {
					if c.Type == html.ElementNode {
						row = append(row, text(c))
					}
				}
				rows = append(rows, row)
			}
		})
	}
	want := [][]string{{"3", "org", "«4601» er ikke din organisasjon (0301)"}, {"4", "answer", "«kanskje» er ikke ja, delvis, nei, vet ikke eller ikke relevant"}}
	if diff := cmp.Diff(want, rows); diff != "" {
		t.Errorf("problems of the upload (-want +got):\n%s", diff)
	}
	if v := e.view(t, e.oslo); len(v.Changes) != 0 {
		t.Errorf("a refused upload stored %d changes", len(v.Changes))
	}
	if r, _ := upload(resp, "svar.csv", bad); r.StatusCode != http.StatusForbidden {
		t.Errorf("a respondent's upload = %d, want 403", r.StatusCode)
	}
	if r, body := upload(lead, "stor.csv", strings.Repeat("x", maxUploadBytes+1)); r.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("an upload over the limit = %d, want 413:\n%s", r.StatusCode, body)
	}
	r, _ = upload(lead, "svar.csv", "org;measure;answer;maturity;comment\n0301;1.1.1;ja;2;konstruert\n0301;1.1.2;vet ikke;;\n")
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/kartlegging/2027?lastet-opp=1" {
		t.Fatalf("a right upload = %d to %q", r.StatusCode, r.Header.Get("Location"))
	}
	r, csv := e.doAs(t, resp, http.MethodGet, "/kartlegging/2027/eksport", nil)
	if r.StatusCode != http.StatusOK || r.Header.Get("Content-Disposition") != `attachment; filename="svar-2027-0301.csv"` {
		t.Fatalf("export = %d, %q", r.StatusCode, r.Header.Get("Content-Disposition"))
	}
	if want := "\ufefforg;measure;answer;maturity;comment;reason;evidence\n0301;1.1.1;Ja;2;konstruert;;\n0301;1.1.2;Vet ikke;;;;\n"; csv != want {
		t.Errorf("export = %q, want %q", csv, want)
	}
	for _, action := range []string{"answers.import", "answers.export"} {
		if log, _ := e.auth.Audit().Entries(context.Background(), store.AuditFilter{Action: action, OrgCode: "0301"}); len(log) != 1 {
			t.Errorf("%s in the audit log: %+v", action, log)
		}
	}
}

// TestAdminRounds: an administrator creates, opens, extends and closes a
// round and reopens a submission, each through the service and audited;
// mistakes are shown with the input kept.
func TestAdminRounds(t *testing.T) {
	e := newSurveyEnv(t)
	ctx := context.Background()
	admin := e.signIn(t, "admin@example.invalid", store.RoleAdmin, "")
	lead := e.signIn(t, "leder@example.invalid", store.RoleLead, "0301")
	r, body := e.doAs(t, admin, http.MethodGet, "/admin/runder", nil)
	if r.StatusCode != http.StatusOK || !strings.Contains(body, "Konstruert utkast") {
		t.Fatalf("GET /admin/runder = %d", r.StatusCode)
	}
	checkPage(t, "admin rounds", body)
	form := url.Values{"id": {"ny"}, "navn": {"Konstruert ny runde"}, "apner": {"2025-07-01"}, "frist": {"2025-06-01"}, "modenhet": {"1"}, "prinsipp": {"1.1", "2.1"}}
	r, body = e.doAs(t, admin, http.MethodPost, "/admin/runder", form)
	if r.StatusCode != http.StatusBadRequest || !strings.Contains(body, "fristen på eller etter åpningsdagen") {
		t.Errorf("creating with the deadline before the opening = %d", r.StatusCode)
	}
	if kept := formValues(parseHTML(t, body)); kept.Get("navn") != "Konstruert ny runde" || len(kept["prinsipp"]) != 2 || kept.Get("modenhet") != "1" {
		t.Errorf("the refused form's input is not kept: %v", kept)
	}
	form.Set("frist", "2025-08-31")
	if r, _ := e.doAs(t, admin, http.MethodPost, "/admin/runder", form); r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/admin/runder/ny" {
		t.Fatalf("create = %d to %q", r.StatusCode, r.Header.Get("Location"))
	}
	rd, err := e.svc.Round(ctx, "ny")
	if err != nil {
		t.Fatal(err)
	}
	if len(rd.Categories) != 2 || !rd.Settings.Maturity || rd.Status != store.RoundDraft {
		t.Errorf("the new round = %d categories, maturity %v, %s; want 2, true, draft", len(rd.Categories), rd.Settings.Maturity, rd.Status)
	}
	_, body = e.doAs(t, admin, http.MethodGet, "/admin/runder/ny", nil)
	checkPage(t, "admin round", body)
	steps := []struct {
		path string
		form url.Values
		want int
		text string
	}{
		{"/admin/runder/ny/apne", nil, http.StatusSeeOther, ""},
		{"/admin/runder/ny/apne", nil, http.StatusConflict, "Runden har allerede den statusen."},
		{"/admin/runder/2027/utsett", url.Values{"org": {"0301"}, "frist": {"2025-06-10"}}, http.StatusBadRequest, "Den nye fristen må være etter rundens frist."},
		{"/admin/runder/2027/utsett", url.Values{"org": {"9999"}, "frist": {"2025-07-10"}}, http.StatusNotFound, "Finner ingen organisasjon med koden «9999»."},
		{"/admin/runder/2027/utsett", url.Values{"org": {"0301"}, "frist": {"2025-07-10"}}, http.StatusSeeOther, ""},
		{"/admin/runder/2027/gjenapne", url.Values{"org": {"0301"}}, http.StatusBadRequest, "Organisasjonen har ikke sendt inn svar i denne runden."},
		{"/admin/runder/ny/lukk", nil, http.StatusBadRequest, "Kryss av for at du vil lukke runden."},
		{"/admin/runder/ny/lukk", url.Values{"bekreft": {"1"}}, http.StatusSeeOther, ""},
	}
	for _, st := range steps {
		r, body := e.doAs(t, admin, http.MethodPost, st.path, st.form)
		if r.StatusCode != st.want || !strings.Contains(body, st.text) {
			t.Errorf("POST %s %v = %d, want %d with %q", st.path, st.form, r.StatusCode, st.want, st.text)
		}
	}
	if _, body := e.doAs(t, lead, http.MethodGet, "/kartlegging/2027", nil); !strings.Contains(body, "Dere har fått utsatt frist til 10. juli 2025.") {
		t.Errorf("Oslo's overview does not show its extension")
	}
	if r, _ := e.doAs(t, lead, http.MethodPost, "/kartlegging/2027/send-inn", nil); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("submit = %d", r.StatusCode)
	}
	_, body = e.doAs(t, admin, http.MethodGet, "/admin/runder/2027", nil)
	if !strings.Contains(body, "Oslo") || !strings.Contains(body, `action="/admin/runder/2027/gjenapne"`) {
		t.Errorf("the round's page does not list Oslo's submission to reopen")
	}
	if r, _ := e.doAs(t, admin, http.MethodPost, "/admin/runder/2027/gjenapne", url.Values{"org": {"0301"}}); r.StatusCode != http.StatusSeeOther {
		t.Errorf("reopen = %d", r.StatusCode)
	}
	if subs, _ := e.svc.Submissions(ctx, "2027"); len(subs) != 0 {
		t.Errorf("after reopening, %d submissions", len(subs))
	}
	var got []string
	entries, _ := e.auth.Audit().Entries(ctx, store.AuditFilter{})
	for _, en := range entries {
		if en.Actor == "admin@example.invalid" && en.Action != "login" {
			got = append(got, en.Action+" "+en.Object+" "+en.OrgCode)
		}
	}
	want := []string{"round.create runde:ny ", "round.open runde:ny ", "round.extend runde:2027 0301", "round.closed runde:ny ", "answers.reopen runde:2027 0301"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("the administrator's actions in the audit log (-want +got):\n%s", diff)
	}
}

// TestSurveyFormSize: a principle's form with every comment at its
// longest, in letters percent-encoding makes six bytes, is larger than
// the site's other forms may be, and is saved; a body over the answer
// form's limit is refused with 413 and stores nothing.
func TestSurveyFormSize(t *testing.T) {
	e := newSurveyEnv(t)
	resp := e.signIn(t, "svarer@example.invalid", store.RoleRespondent, "0301")
	form := e.principleForm(t, resp, "/kartlegging/2027/1.1")
	long := strings.Repeat("æ", maxCommentChars)
	p11, _ := e.mustRound(t).Principle("1.1")
	for _, m := range p11.Measures {
		form.Set("svar-"+fieldKey(m.Measure), store.AnswerPartly)
		form.Set("kommentar-"+fieldKey(m.Measure), long)
	}
	if n := len(form.Encode()); n <= maxBodyBytes {
		t.Fatalf("the constructed form is %d bytes, not over the site's %d", n, maxBodyBytes)
	}
	if r, body := e.doAs(t, resp, http.MethodPost, "/kartlegging/2027/1.1", form); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("POST a form of %d bytes = %d:\n%s", len(form.Encode()), r.StatusCode, body)
	}
	if got := e.view(t, e.oslo).Answers["1.1.1"].Comment; got != long {
		t.Errorf("the longest comment was not stored whole: %d characters", len([]rune(got)))
	}
	form.Set("versjon", "1")
	form.Set("kommentar-1-1-1", strings.Repeat("x", maxAnswerFormBytes))
	if r, _ := e.doAs(t, resp, http.MethodPost, "/kartlegging/2027/1.1", form); r.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("POST a form over %d bytes = %d, want 413", maxAnswerFormBytes, r.StatusCode)
	}
	if v := e.view(t, e.oslo); v.Versions["1.1"] != 1 {
		t.Errorf("the refused form changed the version to %d", v.Versions["1.1"])
	}
}

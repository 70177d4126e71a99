package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/grunnlag/grunnlag/internal/analysis"
	"github.com/grunnlag/grunnlag/internal/audit"
	"github.com/grunnlag/grunnlag/internal/auth"
	"github.com/grunnlag/grunnlag/internal/catalog"
	"github.com/grunnlag/grunnlag/internal/store"
	"github.com/grunnlag/grunnlag/internal/survey"
)

// surveyRound creates and opens a constructed round from the shipped pack
// that takes answers on testNow's day, and has the municipalities of codes
// answer principle 1.1 (constructed answers: Ja on the first n % 3
// measures) and submit through their leads. It returns the leads.
func surveyRound(t *testing.T, e *env, codes []string) map[string]*session {
	t.Helper()
	ctx := context.Background()
	day := testNow.In(oslo()).Format("2006-01-02")
	spec := survey.RoundSpec{ID: "2027", Name: "Konstruert runde", OpensOn: day, ClosesOn: day, Settings: survey.DefaultSettings(e.srv.cfg.Pack)}
	if _, err := e.survey.CreateRound(ctx, audit.CLI, spec); err != nil {
		t.Fatal(err)
	}
	if err := e.survey.SetStatus(ctx, audit.CLI, "2027", store.RoundOpen); err != nil {
		t.Fatal(err)
	}
	r, _ := e.survey.Round(ctx, "2027")
	p, _ := r.Principle("1.1")
	var b strings.Builder
	b.WriteString("org,measure,answer\n")
	for n, code := range codes {
		for i, m := range p.Measures {
			a := "nei"
			if i < n%3 {
				a = "ja"
			}
			fmt.Fprintf(&b, "%s,%s,%s\n", code, m.Measure, a)
		}
	}
	if _, err := e.survey.Import(ctx, audit.CLI, store.Operator, "2027", "konstruert.csv", strings.NewReader(b.String()), ""); err != nil {
		t.Fatal(err)
	}
	leads := map[string]*session{}
	for _, code := range codes {
		s := e.signIn(t, "leder."+code+"@example.invalid", store.RoleLead, code)
		pr, err := e.auth.Token(ctx, s.token, authClient())
		if err != nil {
			t.Fatal(err)
		}
		if err := e.survey.Submit(ctx, pr, "2027", pr.OrgID, code); err != nil {
			t.Fatal(err)
		}
		leads[code] = s
	}
	return leads
}

// closeRound closes the round surveyRound opened: its groups get figures.
func closeRound(t *testing.T, e *env) {
	t.Helper()
	if err := e.survey.SetStatus(context.Background(), audit.CLI, "2027", store.RoundClosed); err != nil {
		t.Fatal(err)
	}
}

// vestlandCodes are twelve municipalities of Vestland by their register
// codes; their answers here are constructed.
var vestlandCodes = []string{"4601", "4602", "4611", "4612", "4613", "4614", "4615", "4616", "4617", "4618", "4619", "4620"}

func TestAggregatesAPI(t *testing.T) {
	e := newEnv(t)
	leads := surveyRound(t, e, append(append([]string{}, vestlandCodes...), "1101", "1103"))
	analyst := e.signIn(t, "analytiker@example.invalid", store.RoleAnalyst, "")
	resp := e.signIn(t, "svar@example.invalid", store.RoleRespondent, "0301")
	get := func(s *session, q string) (int, string) {
		h := http.Header{}
		if s != nil {
			h.Set("Authorization", "Bearer "+s.token)
		}
		r, body := e.do(t, http.MethodGet, "/api/v1/rounds/2027/aggregates"+q, h, nil)
		return r.StatusCode, body
	}
	// Before the round closes there are no figures to publish.
	if code, body := get(analyst, ""); code != http.StatusConflict || !strings.Contains(body, "ikke avsluttet") {
		t.Errorf("aggregates of an open round = %d\n%s\nwant 409", code, body)
	}
	closeRound(t, e)
	if code, _ := get(nil, ""); code != http.StatusUnauthorized {
		t.Errorf("anonymous = %d, want 401", code)
	}
	if code, _ := get(resp, ""); code != http.StatusForbidden {
		t.Errorf("a respondent = %d, want 403", code)
	}
	if code, _ := get(analyst, "?group=nonsense"); code != http.StatusBadRequest {
		t.Errorf("an unknown group = %d, want 400", code)
	}
	for _, as := range []*session{analyst, leads["4601"]} {
		for _, kind := range []string{"national", "size_class", "county"} {
			code, body := get(as, "?group="+kind)
			if code != http.StatusOK {
				t.Fatalf("group=%s = %d\n%s", kind, code, body)
			}
			var groups []apiGroup
			if err := json.Unmarshal([]byte(body), &groups); err != nil || len(groups) == 0 {
				t.Fatalf("group=%s: %v\n%s", kind, err, body)
			}
			for _, g := range groups {
				if g.Group != kind || (kind == "national") != (g.Key == "") {
					t.Errorf("group=%s answered %+v", kind, g)
				}
				if g.Suppressed && (g.Principles != nil || g.Options != nil || g.Reason == "") {
					t.Errorf("suppressed %s/%s carries figures or no reason: %s", g.Group, g.Key, body)
				}
				if !g.Suppressed && g.N < 5 {
					t.Errorf("%s/%s of %d shown, k = 5", g.Group, g.Key, g.N)
				}
				if strings.Contains(body, "comment") || strings.Contains(body, "konstruert.csv") {
					t.Errorf("aggregates carry free text: %s", body)
				}
			}
		}
	}
	// Rogaland has 2: suppressed; the country and Vestland cannot both be
	// shown, or their difference gives Rogaland away.
	_, body := get(analyst, "?group=county")
	var counties []apiGroup
	json.Unmarshal([]byte(body), &counties)
	_, body = get(analyst, "?group=national")
	var national []apiGroup
	json.Unmarshal([]byte(body), &national)
	shown := map[string]bool{}
	for _, g := range counties {
		shown[g.Key] = !g.Suppressed
	}
	if shown["11"] || (shown["46"] && !national[0].Suppressed) {
		t.Errorf("Rogaland shown %v; Vestland %v and the country %v both shown", shown["11"], shown["46"], !national[0].Suppressed)
	}
}

func TestProfileAndPlanPages(t *testing.T) {
	e := newEnv(t)
	leads := surveyRound(t, e, vestlandCodes)
	bergen := leads["4601"]
	// While the round is open the profile shows Bergen's own scores, and
	// says when the others' come.
	resp, body := e.doAs(t, bergen, http.MethodGet, "/kartlegging/2027/profil", nil)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "vises når runden er avsluttet") || strings.Contains(body, "Hele landet") {
		t.Errorf("profile in an open round = %d, want Bergen's scores and no groups\n%.600s", resp.StatusCode, body)
	}
	closeRound(t, e)
	resp, body = e.doAs(t, bergen, http.MethodGet, "/kartlegging/2027/profil", nil)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "Profil: Bergen") {
		t.Fatalf("profile = %d\n%.600s", resp.StatusCode, body)
	}
	checkPage(t, "/kartlegging/2027/profil", body)
	resp, body = e.doAs(t, bergen, http.MethodGet, "/kartlegging/2027/plan", nil)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "Tiltaksplan: Bergen") {
		t.Fatalf("plan = %d", resp.StatusCode)
	}
	checkPage(t, "/kartlegging/2027/plan", body)
	// A lead of another municipality that has not submitted: no profile.
	oslo := e.signIn(t, "leder.0301@example.invalid", store.RoleLead, "0301")
	if r, _ := e.doAs(t, oslo, http.MethodGet, "/kartlegging/2027/profil", nil); r.StatusCode != http.StatusConflict {
		t.Errorf("profile before submission = %d, want 409", r.StatusCode)
	}
	// Saving a plan item; another organisation's lead saves only into its own.
	r, _ := e.doAs(t, bergen, http.MethodPost, "/kartlegging/2027/plan/1.1.1", map[string][]string{"ansvarlig": {"IT-sjefen"}, "frist": {"2027-09-01"}, "status": {"i_gang"}})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("save plan item = %d", r.StatusCode)
	}
	_, body = e.doAs(t, bergen, http.MethodGet, "/kartlegging/2027/plan", nil)
	if !strings.Contains(body, `value="IT-sjefen"`) {
		t.Errorf("the saved owner is not on the plan")
	}
	_, body = e.doAs(t, oslo, http.MethodGet, "/kartlegging/2027/plan", nil)
	if strings.Contains(body, "IT-sjefen") {
		t.Errorf("Oslo's plan shows Bergen's owner")
	}
	r, xlsx := e.doAs(t, bergen, http.MethodGet, "/kartlegging/2027/plan.xlsx", nil)
	if r.StatusCode != http.StatusOK || !strings.HasPrefix(xlsx, "PK") {
		t.Errorf("plan.xlsx = %d, %q", r.StatusCode, xlsx[:min(4, len(xlsx))])
	}
	log, _ := e.auth.Audit().Entries(context.Background(), store.AuditFilter{Action: "export"})
	if len(log) != 1 || log[0].OrgCode != "4601" {
		t.Errorf("export audit = %+v", log)
	}
	// Analysts see the aggregates page; leads do not.
	analyst := e.signIn(t, "analytiker@example.invalid", store.RoleAnalyst, "")
	if r, body := e.doAs(t, analyst, http.MethodGet, "/analyse/2027", nil); r.StatusCode != http.StatusOK || !strings.Contains(body, "De vanligste gapene") {
		t.Errorf("analysis page = %d", r.StatusCode)
	}
	if r, _ := e.doAs(t, bergen, http.MethodGet, "/analyse/2027", nil); r.StatusCode != http.StatusForbidden {
		t.Errorf("analysis page as a lead = %d, want 403", r.StatusCode)
	}
}

func authClient() auth.Client { return auth.Client{IP: "127.0.0.1"} }

// TestProfileSSBContext shows, beside the profile, SSB's figures of the
// indicators the pack links to each principle: the country's and those of
// the table's size class the municipality's register population places it
// in, each equal to the analysis of the stored (constructed) 12041.
func TestProfileSSBContext(t *testing.T) {
	e, res := standingEnv(t)
	leads := surveyRound(t, e, vestlandCodes)
	closeRound(t, e)
	_, body := e.doAs(t, leads["4601"], http.MethodGet, "/kartlegging/2027/profil", nil)
	checkPage(t, "/kartlegging/2027/profil", body)
	const class = "20 000 eller flere innbyggere" // Bergen's class in the constructed table
	if want := "SSBs størrelsesklasse «" + class + "», som Bergen hører til"; !strings.Contains(body, want) {
		t.Errorf("the profile does not place Bergen: lacks %q", want)
	}
	shown := 0
	for _, ind := range res.Indicators {
		link := `<a href="` + indicatorPath(ind.Def.ID) + `">`
		linked := len(ind.Def.Principles) > 0 && ind.Def.Population == catalog.Municipalities
		if !linked || ind.Status != analysis.OK || ind.Headline == nil {
			if strings.Contains(body, link) {
				t.Errorf("%s is on the profile, but is not a municipalities' figure linked to a principle", ind.Def.ID)
			}
			continue
		}
		want := link + ind.Def.Title + "</a></th>\n<td class=\"num\">" + analysis.Percent(ind.Headline.Share) + ` <span class="muted">(` + ind.Headline.Year + ")</span></td>"
		i := slices.IndexFunc(ind.Classes, func(p analysis.Point) bool { return p.Class == class && p.OK })
		if i >= 0 {
			want += `<td class="num">` + analysis.Percent(ind.Classes[i].Share) + "</td>"
		}
		if !strings.Contains(body, want) {
			t.Errorf("%s: the profile lacks\n%s", ind.Def.ID, want)
			continue
		}
		if i >= 0 {
			shown++
		}
		// Under the principle it is linked to.
		p, _ := e.srv.cfg.Pack.Principle(ind.Def.Principles[0])
		head := strings.Index(body, ">"+p.ID+" "+p.Title+"</th></tr>")
		if at := strings.Index(body, want); head < 0 || at < head {
			t.Errorf("%s is not under principle %s", ind.Def.ID, p.ID)
		}
	}
	if shown == 0 {
		t.Fatal("no linked indicator has a class figure: the test shows nothing")
	}
}

// A closed round's profile, aggregates page and API answer are made once
// and kept (memo): each later look gets the same content, inside a layout
// made for whoever looks; each municipality gets its own profile.
func TestClosedRoundPagesKept(t *testing.T) {
	e := newEnv(t)
	leads := surveyRound(t, e, vestlandCodes)
	closeRound(t, e)
	main := func(body string) string {
		_, after, _ := strings.Cut(body, "<main")
		in, _, _ := strings.Cut(after, "</main>")
		return in
	}
	before := len(e.srv.memo.m)
	seen := map[string]string{}
	for _, code := range []string{"4601", "4602"} {
		var first string
		for i := range 2 {
			resp, body := e.doAs(t, leads[code], http.MethodGet, "/kartlegging/2027/profil", nil)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("%s's profile = %d", code, resp.StatusCode)
			}
			if !strings.Contains(body, "leder."+code+"@example.invalid") {
				t.Errorf("%s's look %d: the header does not name its own viewer", code, i)
			}
			if i == 0 {
				first = main(body)
			} else if main(body) != first {
				t.Errorf("%s's second look differs from its first", code)
			}
		}
		seen[code] = first
	}
	org := func(code string) store.Organisation {
		o, err := e.st.Organisation(context.Background(), code)
		if err != nil {
			t.Fatal(err)
		}
		return o
	}
	if !strings.Contains(seen["4601"], org("4601").Name) || strings.Contains(seen["4602"], "Profil: "+org("4601").Name) {
		t.Errorf("the profiles of 4601 and 4602 are not each their own")
	}
	analyst := e.signIn(t, "analytiker@example.invalid", store.RoleAnalyst, "")
	h := http.Header{"Authorization": {"Bearer " + analyst.token}}
	var page, api [2]string
	for i := range 2 {
		_, body := e.doAs(t, analyst, http.MethodGet, "/analyse/2027", nil)
		page[i] = main(body)
		_, api[i] = e.do(t, http.MethodGet, "/api/v1/rounds/2027/aggregates?group=county", h, nil)
	}
	if page[0] != page[1] || api[0] != api[1] || !strings.Contains(api[0], `"group": "county"`) {
		t.Errorf("the aggregates page or API differ between two looks, or the API answered\n%s", api[0])
	}
	if got := len(e.srv.memo.m) - before; got != 4 {
		t.Errorf("memo holds %d new parts, want 4 (two profiles, the page, one API group kind)", got)
	}
}

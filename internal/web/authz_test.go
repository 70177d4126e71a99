package web

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/oauth2-proxy/mockoidc"
	"github.com/pquerna/otp/totp"

	"github.com/grunnlag/grunnlag/internal/audit"
	"github.com/grunnlag/grunnlag/internal/auth"
	"github.com/grunnlag/grunnlag/internal/fault"
	"github.com/grunnlag/grunnlag/internal/report"
	"github.com/grunnlag/grunnlag/internal/store"
	"github.com/grunnlag/grunnlag/internal/survey"
)

// The authorisation matrix: one table (authzTable) declares, for every
// route of routeTable, who may use it, and TestAuthorizationMatrix asks
// every route as every kind of actor and compares. A route that is in
// routeTable but not here, or here but no longer in routeTable, fails the
// test: a new route must be given its row before it can be merged.

// who is a set of the actors of the matrix.
type who uint16

const (
	anonymous      who = 1 << iota
	factorPending      // an administrator whose password is right and whose code is not yet given
	respondentOslo     // a respondent of Oslo (0301)
	leadOslo           // the lead of Oslo
	leadBergen         // the lead of Bergen (4601): a member of another organisation
	providerResp       // a respondent of an IT provider
	analystActor       // an analyst
	adminActor         // an administrator
)

// The sets the route table's access levels stand for.
const (
	nobody      who = 0
	public          = anonymous | factorPending | signedInAll
	signedInAll     = respondentOslo | leadOslo | leadBergen | providerResp | analystActor | adminActor
	analystsSet     = analystActor | adminActor
	leadsSet        = leadOslo | leadBergen
	membersSet      = respondentOslo | leadOslo | leadBergen | providerResp
)

// actors in the order the test asks as them.
var actors = []struct {
	who  who
	name string
}{
	{anonymous, "anonym"},
	{factorPending, "halvveis innlogget administrator"},
	{respondentOslo, "respondent i Oslo"},
	{leadOslo, "leder i Oslo"},
	{leadBergen, "leder i Bergen"},
	{providerResp, "respondent for IT-leverandør"},
	{analystActor, "analytiker"},
	{adminActor, "administrator"},
}

// matrixReq is one request of the matrix: a path with valid values, the
// form of a POST (the session's form token and the anonymous form token
// are added by the test), and cookies it needs besides the session's.
type matrixReq struct {
	path    string
	form    url.Values
	cookies []*http.Cookie
}

// authzRow is who may use a route, and how to ask for it with valid
// values; a nil req asks for the pattern's path as it is.
type authzRow struct {
	allow who
	req   func(m *matrix, a who) matrixReq
}

// fixed returns a req that asks for a fixed path.
func fixed(p string) func(*matrix, who) matrixReq {
	return func(*matrix, who) matrixReq { return matrixReq{path: p} }
}

// authzTable is the declaration the matrix checks: for every route, who
// may use it. /metrics is asked from an address that is not on the
// machine and without its token, so nobody may read it (see TestMetricsAccess).
var authzTable = map[string]authzRow{
	"GET /{$}":                           {public, fixed("/")},
	"GET /tabeller":                      {public, nil},
	"GET /tabeller/{id}":                 {public, fixed("/tabeller/13615")},
	"GET /tabeller/{id}/csv":             {public, fixed("/tabeller/13615/csv")},
	"GET /tabeller/{id}/xlsx":            {public, fixed("/tabeller/13615/xlsx")},
	"GET /tabeller/{id}/json-stat":       {public, fixed("/tabeller/13615/json-stat")},
	"GET /temaer":                        {public, nil},
	"GET /indikatorer":                   {public, nil},
	"GET /indikatorer/{id}":              {public, fixed("/indikatorer/policy-mangler")},
	"GET /hvor-star-vi":                  {public, fixed("/hvor-star-vi?kommune=Bergen")},
	"GET /tabeller/{id}/versjoner":       {public, fixed("/tabeller/13615/versjoner")},
	"GET /tilgjengelighet":               {public, nil},
	"GET /temaer/{id}":                   {public, func(m *matrix, _ who) matrixReq { return matrixReq{path: "/temaer/" + m.pack.theme} }},
	"GET /dokumenter":                    {public, nil},
	"GET /dokumenter/{id}":               {public, func(m *matrix, _ who) matrixReq { return matrixReq{path: "/dokumenter/" + m.pack.document} }},
	"GET /funn":                          {public, nil},
	"GET /funn/{id}":                     {public, func(m *matrix, _ who) matrixReq { return matrixReq{path: "/funn/" + m.pack.finding} }},
	"GET /dialog":                        {public, nil},
	"GET /dialog/{id}":                   {public, func(m *matrix, _ who) matrixReq { return matrixReq{path: "/dialog/" + m.pack.activity} }},
	"GET /behov":                         {public, nil},
	"GET /behov/{id}":                    {public, func(m *matrix, _ who) matrixReq { return matrixReq{path: "/behov/" + m.pack.need} }},
	"GET /nsm":                           {public, nil},
	"GET /sok":                           {public, fixed("/sok?q=patch")},
	"GET /rapport":                       {public, nil},
	"GET /rapport/{file}":                {public, fixed("/rapport/" + report.MarkdownFile)},
	"GET /rapport/figurer/{file}":        {public, func(m *matrix, _ who) matrixReq { return matrixReq{path: "/rapport/figurer/" + m.pack.figure} }},
	"GET /synk":                          {public, nil},
	"POST /synk":                         {analystsSet, nil},
	"GET /logg-inn":                      {public, fixed("/logg-inn?neste=/konto")},
	"POST /logg-inn":                     {public, (*matrix).passwordSignIn},
	"GET /logg-inn/kode":                 {factorPending, nil},
	"POST /logg-inn/kode":                {factorPending, (*matrix).code},
	"POST /logg-inn/oidc/{provider}":     {public, fixed("/logg-inn/oidc/mock")},
	"GET /logg-inn/oidc/{provider}/svar": {public, (*matrix).oidcCallback},
	"POST /logg-ut":                      {signedInAll, nil},
	"POST /logg-ut/overalt":              {signedInAll, nil},
	"GET /konto/lenke/{secret}":          {public, (*matrix).link},
	"POST /konto/lenke/{secret}":         {public, (*matrix).linkSubmit},
	"GET /konto":                         {signedInAll, nil},
	"POST /konto/organisasjon":           {signedInAll, (*matrix).chooseOrg},
	"POST /konto/nokler": {signedInAll, func(*matrix, who) matrixReq {
		return matrixReq{path: "/konto/nokler", form: url.Values{"navn": {"matrise"}, "dager": {"30"}}}
	}},
	"POST /konto/nokler/{id}/trekk": {signedInAll, (*matrix).tokenRevoke},

	"GET /organisasjon": {leadsSet, nil},
	"POST /organisasjon/inviter": {leadsSet, func(m *matrix, _ who) matrixReq {
		return matrixReq{path: "/organisasjon/inviter", form: url.Values{"epost": {m.fresh("invitert")}}}
	}},

	"GET /admin":         {adminActor, nil},
	"GET /admin/brukere": {adminActor, nil},
	"POST /admin/brukere": {adminActor, func(m *matrix, _ who) matrixReq {
		return matrixReq{path: "/admin/brukere", form: url.Values{"epost": {m.fresh("ny")}, "rolle": {"respondent"}, "org": {"0301"}}}
	}},
	"GET /admin/brukere/{id}": {adminActor, func(m *matrix, _ who) matrixReq { return matrixReq{path: m.target("")} }},
	"POST /admin/brukere/{id}/roller": {adminActor, func(m *matrix, _ who) matrixReq {
		return matrixReq{path: m.target("/roller"), form: url.Values{"rolle": {"respondent"}, "org": {"4601"}}}
	}},
	"POST /admin/brukere/{id}/roller/fjern": {adminActor, func(m *matrix, _ who) matrixReq {
		return matrixReq{path: m.target("/roller/fjern"), form: url.Values{"rolle": {"respondent"}, "org": {strconv.FormatInt(m.oslo.ID, 10)}}}
	}},
	"POST /admin/brukere/{id}/steng": {adminActor, func(m *matrix, _ who) matrixReq { return matrixReq{path: m.target("/steng")} }},
	"POST /admin/brukere/{id}/lenke": {adminActor, func(m *matrix, _ who) matrixReq { return matrixReq{path: m.target("/lenke")} }},
	"GET /admin/organisasjoner":      {adminActor, nil},
	"POST /admin/organisasjoner": {adminActor, func(m *matrix, _ who) matrixReq {
		return matrixReq{path: "/admin/organisasjoner", form: url.Values{"type": {"network"}, "kode": {m.freshCode()}, "navn": {"Konstruert nettverk"}}}
	}},
	"POST /admin/organisasjoner/{code}/medlemmer": {adminActor, func(m *matrix, _ who) matrixReq {
		return matrixReq{path: "/admin/organisasjoner/" + m.provider.Code + "/medlemmer", form: url.Values{"medlem": {"4601"}, "fra": {"2025-01-01"}}}
	}},
	"GET /admin/tilganger": {adminActor, nil},
	"POST /admin/tilganger": {adminActor, func(m *matrix, _ who) matrixReq {
		return matrixReq{path: "/admin/tilganger", form: url.Values{"epost": {m.users[analystActor].Email}, "org": {"0301"},
			"til": {testNow.AddDate(0, 0, 30).Format("2006-01-02")}, "grunn": {"Konstruert grunn for testen"}}}
	}},
	"POST /admin/tilganger/{id}/trekk": {adminActor, (*matrix).grantRevoke},
	"GET /admin/logg":                  {adminActor, fixed("/admin/logg?handling=login")},
	"GET /static/{file}":               {public, fixed("/static/app.css")},

	// The self-assessment (round 2027, constructed, open on testNow's day).
	"GET /kartlegging/{round}/profil":    {membersSet, fixed("/kartlegging/2027/profil")},
	"GET /kartlegging/{round}/plan":      {membersSet, fixed("/kartlegging/2027/plan")},
	"GET /kartlegging/{round}/plan.xlsx": {membersSet, fixed("/kartlegging/2027/plan.xlsx")},
	"GET /kartlegging/{round}/plan.pdf":  {membersSet, fixed("/kartlegging/2027/plan.pdf")},
	"POST /kartlegging/{round}/plan/{measure}": {membersSet, func(m *matrix, _ who) matrixReq {
		return matrixReq{path: "/kartlegging/2027/plan/" + m.measure, form: url.Values{"status": {"planlagt"}, "ansvarlig": {"Konstruert ansvarlig"}}}
	}},
	// Answering: the active organisation's pages; the lead submits and
	// uploads. Oslo's lead submits in the matrix, so later saves by Oslo's
	// members are refused by the round's state (409), not by access.
	"GET /kartlegging":                     {signedInAll, nil},
	"GET /kartlegging/{round}":             {membersSet, fixed("/kartlegging/2027")},
	"GET /kartlegging/{round}/historikk":   {membersSet, fixed("/kartlegging/2027/historikk")},
	"GET /kartlegging/{round}/eksport":     {membersSet, fixed("/kartlegging/2027/eksport")},
	"GET /kartlegging/{round}/last-opp":    {leadsSet, fixed("/kartlegging/2027/last-opp")},
	"POST /kartlegging/{round}/last-opp":   {leadsSet, fixed("/kartlegging/2027/last-opp")},
	"GET /kartlegging/{round}/send-inn":    {leadsSet, fixed("/kartlegging/2027/send-inn")},
	"POST /kartlegging/{round}/send-inn":   {leadsSet, fixed("/kartlegging/2027/send-inn")},
	"GET /kartlegging/{round}/{principle}": {membersSet, fixed("/kartlegging/2027/1.1")},
	"POST /kartlegging/{round}/{principle}": {membersSet, func(m *matrix, _ who) matrixReq {
		return matrixReq{path: "/kartlegging/2027/1.1", form: url.Values{"versjon": {"0"}, "svar-" + m.measure: {"ja"}}}
	}},
	// Another organisation's raw answers: signed in, and then only an
	// analyst with a grant for it (the matrix grants Oslo to the analyst).
	"GET /kartlegging/{round}/organisasjoner/{code}": {signedInAll, (*matrix).rawRead},
	// Round administration, on a draft round of its own (2028) so the
	// matrix's open round stays open.
	"GET /admin/runder":            {adminActor, nil},
	"POST /admin/runder":           {adminActor, func(*matrix, who) matrixReq { return matrixReq{path: "/admin/runder", form: url.Values{"id": {""}}} }},
	"GET /admin/runder/{id}":       {adminActor, fixed("/admin/runder/2028")},
	"POST /admin/runder/{id}/apne": {adminActor, fixed("/admin/runder/2028/apne")},
	"POST /admin/runder/{id}/lukk": {adminActor, fixed("/admin/runder/2028/lukk")},
	"POST /admin/runder/{id}/utsett": {adminActor, func(*matrix, who) matrixReq {
		return matrixReq{path: "/admin/runder/2028/utsett", form: url.Values{"org": {"0301"}, "til": {"2099-12-31"}}}
	}},
	"POST /admin/runder/{id}/gjenapne": {adminActor, func(*matrix, who) matrixReq {
		return matrixReq{path: "/admin/runder/2028/gjenapne", form: url.Values{"org": {"0301"}}}
	}},
	"GET /analyse/{round}": {analystsSet, fixed("/analyse/2027")},
	"GET /tjenester":       {signedInAll, nil},
	"POST /tjenester": {analystsSet, func(*matrix, who) matrixReq {
		return matrixReq{path: "/tjenester", form: url.Values{"navn": {"Konstruert tjenesteleverandør"}, "url": {"https://tjenester.example.invalid"},
			"tjeneste": {survey.ServiceTypes()[0]}, "kilde": {"Konstruert for testen"}}}
	}},
	"POST /tjenester/{id}/fjern":         {analystsSet, (*matrix).serviceRetire},
	"GET /api/v1/rounds/{id}/aggregates": {leadsSet | analystsSet, fixed("/api/v1/rounds/2027/aggregates")},

	"GET /healthz": {public, nil},
	"GET /metrics": {nobody, nil},

	"GET /api/v1/openapi.json":                 {public, nil},
	"GET /api/v1/tables":                       {public, nil},
	"GET /api/v1/tables/{id}":                  {public, fixed("/api/v1/tables/13615")},
	"GET /api/v1/tables/{id}/data":             {public, fixed("/api/v1/tables/13615/data")},
	"GET /api/v1/tables/{id}/view":             {public, fixed("/api/v1/tables/13615/view")},
	"GET /api/v1/tables/{id}/versions":         {public, fixed("/api/v1/tables/13615/versions")},
	"GET /api/v1/tables/{id}/versions/compare": {public, fixed("/api/v1/tables/13615/versions/compare")},
	"GET /api/v1/indicators":                   {public, nil},
	"GET /api/v1/themes":                       {public, nil},
	"GET /api/v1/themes/{id}":                  {public, func(m *matrix, _ who) matrixReq { return matrixReq{path: "/api/v1/themes/" + m.pack.theme} }},
	"GET /api/v1/documents":                    {public, nil},
	"GET /api/v1/documents/{id}":               {public, func(m *matrix, _ who) matrixReq { return matrixReq{path: "/api/v1/documents/" + m.pack.document} }},
	"GET /api/v1/findings":                     {public, nil},
	"GET /api/v1/findings/{id}":                {public, func(m *matrix, _ who) matrixReq { return matrixReq{path: "/api/v1/findings/" + m.pack.finding} }},
	"GET /api/v1/dialogue":                     {public, nil},
	"GET /api/v1/dialogue/{id}":                {public, func(m *matrix, _ who) matrixReq { return matrixReq{path: "/api/v1/dialogue/" + m.pack.activity} }},
	"GET /api/v1/needs":                        {public, nil},
	"GET /api/v1/needs/{id}":                   {public, func(m *matrix, _ who) matrixReq { return matrixReq{path: "/api/v1/needs/" + m.pack.need} }},
	"GET /api/v1/nsm":                          {public, nil},
	"GET /api/v1/search":                       {public, fixed("/api/v1/search?q=patch")},
	"GET /api/v1/report":                       {public, nil},
	"GET /api/v1/sync":                         {public, nil},
	"POST /api/v1/sync":                        {analystsSet, nil},
}

// handlerRefusals are the answers 401 or 403 that come from a handler, not
// from the route's access, for an actor the route admits: the request is
// allowed, and what it asks for is refused. They are given per kind of
// credential.
var handlerRefusals = map[string]struct{ session, token who }{
	// Administrators and analysts have no organisation to choose (and an
	// API token chooses none: 400 for every actor).
	"POST /konto/organisasjon": {session: analystActor | adminActor},
	// Another organisation's raw answers need a grant, which only the
	// analyst has here; the organisation's own members are sent to their
	// own pages instead.
	"GET /kartlegging/{round}/organisasjoner/{code}": {
		session: leadBergen | providerResp | adminActor,
		token:   leadBergen | providerResp | adminActor,
	},
}

// accessMessages are what the route table's refusals say (identity.go).
func accessMessages() []string {
	return []string{
		fault.UserMessage(errSignInNeeded), fault.UserMessage(errNoAccess),
		fault.UserMessage(errFactorFirst), fault.UserMessage(errMetricsKey),
	}
}

// matrix is the server the matrix asks, with a user for each actor.
type matrix struct {
	t     *testing.T
	e     *env
	oidc  *mockoidc.MockOIDC
	users map[who]store.User
	totp  string // the factor-pending administrator's TOTP secret
	oslo  store.Organisation
	// provider is the constructed IT provider the provider respondent
	// answers for.
	provider store.Organisation
	pack     struct{ theme, document, finding, activity, need, figure string }
	measure  string // a measure of the round
	n        int
}

// fresh returns a new e-mail address for a constructed user.
func (m *matrix) fresh(prefix string) string {
	m.n++
	return fmt.Sprintf("%s-%d@example.invalid", prefix, m.n)
}

func (m *matrix) freshCode() string {
	m.n++
	return fmt.Sprintf("testnett-%d", m.n)
}

// throwaway makes a constructed user with a role in Oslo (and a
// password, when pw is not empty), for requests that change a user.
func (m *matrix) throwaway(pw string) store.User {
	m.t.Helper()
	ctx := context.Background()
	u, secret, err := m.e.auth.AddUser(ctx, audit.CLI, m.fresh("kast"), store.RoleRespondent, "0301")
	if err != nil {
		m.t.Fatal(err)
	}
	if pw != "" {
		if u, err = m.e.auth.SetPasswordWithLink(ctx, secret, pw, "192.0.2.1"); err != nil {
			m.t.Fatal(err)
		}
	}
	return u
}

// target is the path of an administrator's page of a throwaway user.
func (m *matrix) target(suffix string) string {
	return fmt.Sprintf("/admin/brukere/%d%s", m.throwaway("").ID, suffix)
}

func (m *matrix) passwordSignIn(who) matrixReq {
	u := m.throwaway("riktig hest batteri stift")
	return matrixReq{path: "/logg-inn", form: url.Values{"epost": {u.Email}, "passord": {"riktig hest batteri stift"}, "neste": {"/konto"}}}
}

func (m *matrix) code(who) matrixReq {
	code, err := totp.GenerateCode(m.totp, testNow)
	if err != nil {
		m.t.Fatal(err)
	}
	return matrixReq{path: "/logg-inn/kode", form: url.Values{"kode": {code}, "neste": {"/konto"}}}
}

// oidcCallback goes through the mock provider as a user who has an
// account, and returns the callback it sends the browser to, with the
// cookie that binds the sign-in to the browser that began it.
func (m *matrix) oidcCallback(who) matrixReq {
	m.t.Helper()
	u := m.throwaway("")
	m.oidc.QueueUser(&mockoidc.MockUser{Subject: "sub-" + u.Email, Email: u.Email, EmailVerified: true})
	to, state, err := m.e.srv.cfg.OIDC.Start(context.Background(), "mock", m.e.ts.URL+"/logg-inn/oidc/mock/svar", "/konto")
	if err != nil {
		m.t.Fatal(err)
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Get(to)
	if err != nil {
		m.t.Fatal(err)
	}
	resp.Body.Close()
	back, err := url.Parse(resp.Header.Get("Location"))
	if err != nil || !strings.HasPrefix(back.String(), m.e.ts.URL) {
		m.t.Fatalf("the mock provider sent the browser to %q, %v", resp.Header.Get("Location"), err)
	}
	return matrixReq{path: back.RequestURI(), cookies: []*http.Cookie{{Name: oidcCookie, Value: state}}}
}

func (m *matrix) link(who) matrixReq {
	secret, err := m.e.auth.NewLink(context.Background(), audit.CLI, m.throwaway("").ID, auth.LinkSetup)
	if err != nil {
		m.t.Fatal(err)
	}
	return matrixReq{path: "/konto/lenke/" + secret}
}

func (m *matrix) linkSubmit(a who) matrixReq {
	r := m.link(a)
	r.form = url.Values{"passord": {"riktig hest batteri stift"}, "gjenta": {"riktig hest batteri stift"}}
	return r
}

func (m *matrix) chooseOrg(a who) matrixReq {
	var org int64
	if u, ok := m.users[a]; ok {
		roles, err := m.e.st.RolesOf(context.Background(), u.ID)
		if err != nil {
			m.t.Fatal(err)
		}
		for _, g := range roles {
			if g.OrgID != 0 {
				org = g.OrgID
			}
		}
	}
	return matrixReq{path: "/konto/organisasjon", form: url.Values{"org": {strconv.FormatInt(org, 10)}, "neste": {"/konto"}}}
}

// tokenRevoke revokes a new token of the actor's own (for an anonymous
// request, one of the analyst's).
func (m *matrix) tokenRevoke(a who) matrixReq {
	u, ok := m.users[a]
	if !ok {
		u = m.users[analystActor]
	}
	_, tok, err := m.e.auth.CreateToken(context.Background(), audit.CLI, u.ID, "trekkes", 0)
	if err != nil {
		m.t.Fatal(err)
	}
	return matrixReq{path: fmt.Sprintf("/konto/nokler/%d/trekk", tok.ID)}
}

// serviceRetire retires a new service provider.
func (m *matrix) serviceRetire(who) matrixReq {
	ctx := context.Background()
	p, err := m.e.auth.Token(ctx, m.tokenOf(analystActor).bearer, auth.Client{})
	if err != nil {
		m.t.Fatal(err)
	}
	sp, err := m.e.survey.AddServiceProvider(ctx, p, store.ServiceProvider{Name: m.fresh("tjenester"), Services: survey.ServiceTypes()[:1],
		Source: "Konstruert for testen"})
	if err != nil {
		m.t.Fatal(err)
	}
	return matrixReq{path: fmt.Sprintf("/tjenester/%d/fjern", sp.ID)}
}

// rawRead asks for Oslo's answers; the analyst is given a grant for
// Oslo first.
func (m *matrix) rawRead(a who) matrixReq {
	if a == analystActor {
		if _, err := m.e.st.CreateGrant(context.Background(), store.Grant{UserID: m.users[analystActor].ID, OrgID: m.oslo.ID,
			Reason: "Konstruert grunn for testen", GrantedBy: m.users[adminActor].ID, GrantedAt: testNow, ExpiresAt: testNow.AddDate(0, 0, 7)}); err != nil {
			m.t.Fatal(err)
		}
	}
	return matrixReq{path: "/kartlegging/2027/organisasjoner/0301"}
}

func (m *matrix) grantRevoke(who) matrixReq {
	g, err := m.e.st.CreateGrant(context.Background(), store.Grant{UserID: m.users[analystActor].ID, OrgID: m.oslo.ID,
		Reason: "Konstruert grunn for testen", GrantedBy: m.users[adminActor].ID, GrantedAt: testNow, ExpiresAt: testNow.AddDate(0, 0, 7)})
	if err != nil {
		m.t.Fatal(err)
	}
	return matrixReq{path: fmt.Sprintf("/admin/tilganger/%d/trekk", g.ID)}
}

// newMatrix starts a server with an OIDC provider (mockoidc), a sync that
// does nothing, and a trusted proxy on loopback through which every
// request of the matrix comes from an address elsewhere (192.0.2.10).
func newMatrix(t *testing.T) *matrix {
	t.Helper()
	mock := startMockOIDC(t)
	e := newEnv(t, func(c *Config) {
		c.Sync = noopSync
		c.TrustedProxies = []*net.IPNet{{IP: net.IPv4(127, 0, 0, 1), Mask: net.CIDRMask(32, 32)}}
		c.MetricsToken = "konstruert-maalenokkel-for-testen"
		c.OIDC = mockProvider(t, c.Auth, mock)
	})
	m := &matrix{t: t, e: e, oidc: mock, users: map[who]store.User{}}
	ctx := context.Background()
	var err error
	if m.oslo, err = e.st.Organisation(ctx, "0301"); err != nil {
		t.Fatal(err)
	}
	if m.provider, err = e.st.AddOrganisation(ctx, store.Organisation{Code: "testleverandor", Kind: store.Provider,
		Name: "Konstruert IT-leverandør", Source: "test", CreatedAt: testNow}); err != nil {
		t.Fatal(err)
	}
	for _, u := range []struct {
		who   who
		email string
		role  store.Role
		org   string
	}{
		{factorPending, "halvveis@example.invalid", store.RoleAdmin, ""},
		{respondentOslo, "respondent.oslo@example.invalid", store.RoleRespondent, "0301"},
		{leadOslo, "leder.oslo@example.invalid", store.RoleLead, "0301"},
		{leadBergen, "leder.bergen@example.invalid", store.RoleLead, "4601"},
		{providerResp, "leverandor@example.invalid", store.RoleProvider, m.provider.Code},
		{analystActor, "analytiker@example.invalid", store.RoleAnalyst, ""},
		{adminActor, "admin@example.invalid", store.RoleAdmin, ""},
	} {
		usr, _, err := e.auth.AddUser(ctx, audit.CLI, u.email, u.role, u.org)
		if err != nil {
			t.Fatal(err)
		}
		m.users[u.who] = usr
	}
	secret, _, err := auth.NewTOTP("halvveis@example.invalid")
	if err != nil {
		t.Fatal(err)
	}
	if err := e.st.SetTOTP(ctx, m.users[factorPending].ID, secret); err != nil {
		t.Fatal(err)
	}
	m.totp = secret
	pk := e.srv.cfg.Pack
	m.pack.theme, m.pack.document, m.pack.finding = pk.Themes[0].ID, pk.Documents[0].ID, pk.Findings[0].ID
	m.pack.activity, m.pack.need = pk.Activities[0].ID, pk.Needs[0].ID
	// A round of the self-assessment, open today.
	day := testNow.In(oslo()).Format("2006-01-02")
	if _, err := e.survey.CreateRound(ctx, audit.CLI, survey.RoundSpec{ID: "2027", Name: "Konstruert runde", OpensOn: day, ClosesOn: day,
		Settings: survey.DefaultSettings(e.srv.cfg.Pack)}); err != nil {
		t.Fatal(err)
	}
	if err := e.survey.SetStatus(ctx, audit.CLI, "2027", store.RoundOpen); err != nil {
		t.Fatal(err)
	}
	// A draft round for the round administration's routes.
	if _, err := e.survey.CreateRound(ctx, audit.CLI, survey.RoundSpec{ID: "2028", Name: "Konstruert utkast", OpensOn: day, ClosesOn: day,
		Settings: survey.DefaultSettings(e.srv.cfg.Pack)}); err != nil {
		t.Fatal(err)
	}
	round, err := e.survey.Round(ctx, "2027")
	if err != nil {
		t.Fatal(err)
	}
	pr, ok := round.Principle("1.1")
	if !ok || len(pr.Measures) == 0 {
		t.Fatal("the round has no principle 1.1 with measures")
	}
	m.measure = pr.Measures[0].Measure
	rep, err := e.srv.reportOf(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if figs := rep.Figures(); len(figs) > 0 {
		m.pack.figure = figs[0].Name
	} else {
		t.Fatal("the report has no figures to ask for")
	}
	return m
}

// credential is how an actor proves who it is on one request.
type credential struct {
	cookie *http.Cookie
	csrf   string
	bearer string
}

// sessionOf starts a new session for the actor: every request gets its
// own, so that one that ends or renews its session (sign-out, the code,
// choosing an organisation) leaves the others alone.
func (m *matrix) sessionOf(a who) credential {
	m.t.Helper()
	if a == anonymous {
		return credential{}
	}
	level := store.SessionFull
	if a == factorPending {
		level = store.SessionFactor
	}
	value, sess, err := m.e.auth.StartSession(context.Background(), m.users[a], level, "password", auth.Client{IP: "192.0.2.10"})
	if err != nil {
		m.t.Fatal(err)
	}
	return credential{cookie: &http.Cookie{Name: sessionCookiePlain, Value: value}, csrf: sess.CSRF}
}

// tokenOf makes an API token for the actor.
func (m *matrix) tokenOf(a who) credential {
	m.t.Helper()
	secret, _, err := m.e.auth.CreateToken(context.Background(), audit.CLI, m.users[a].ID, "matrise", 0)
	if err != nil {
		m.t.Fatal(err)
	}
	return credential{bearer: secret}
}

// anonymousForm is the anonymous form token the matrix's browser holds.
const anonymousForm = "konstruert-skjemanokkel-for-testen-0123456789"

// ask sends one request of the matrix.
func (m *matrix) ask(method string, r matrixReq, c credential) (*http.Response, string) {
	m.t.Helper()
	h := http.Header{"Sec-Fetch-Site": {"same-origin"}, "X-Forwarded-For": {"192.0.2.10"}}
	cookies := append([]*http.Cookie{{Name: formCookie, Value: anonymousForm}}, r.cookies...)
	if c.cookie != nil {
		cookies = append(cookies, c.cookie)
	}
	var parts []string
	for _, ck := range cookies {
		parts = append(parts, ck.String())
	}
	h.Set("Cookie", strings.Join(parts, "; "))
	if c.bearer != "" {
		h.Set("Authorization", "Bearer "+c.bearer)
	}
	var body *strings.Reader
	if method == http.MethodPost {
		form := url.Values{}
		for k, v := range r.form {
			form[k] = v
		}
		form.Set("skjema", anonymousForm)
		if c.csrf != "" {
			form.Set("csrf", c.csrf)
		}
		h.Set("Content-Type", "application/x-www-form-urlencoded")
		body = strings.NewReader(form.Encode())
	}
	if body == nil {
		return m.e.do(m.t, method, r.path, h, nil)
	}
	return m.e.do(m.t, method, r.path, h, body)
}

// verdict is what the matrix makes of an answer.
type verdict int

const (
	allowed        verdict = iota
	refused                // by the route's access: 401, 403 or the sign-in page
	handlerRefused         // 401 or 403 from the handler, for what was asked
)

func (v verdict) String() string {
	return [...]string{"allowed", "refused", "refused by the handler"}[v]
}

func judge(resp *http.Response, body string) verdict {
	if resp.StatusCode == http.StatusSeeOther && strings.HasPrefix(resp.Header.Get("Location"), "/logg-inn?neste=") {
		return refused
	}
	if resp.StatusCode != http.StatusUnauthorized && resp.StatusCode != http.StatusForbidden {
		return allowed
	}
	for _, msg := range accessMessages() {
		if strings.Contains(body, msg) {
			return refused
		}
	}
	return handlerRefused
}

// TestAuthorizationMatrix asks every route as every actor, with a session
// and with an API token, and compares the answers with authzTable.
func TestAuthorizationMatrix(t *testing.T) {
	m := newMatrix(t)
	routes := m.e.srv.routeTable()
	inTable := map[string]bool{}
	for _, rt := range routes {
		inTable[rt.pattern] = true
		if _, ok := authzTable[rt.pattern]; !ok {
			t.Errorf("route %q is not in authzTable: declare who may use it", rt.pattern)
		}
	}
	for p := range authzTable {
		if !inTable[p] {
			t.Errorf("authzTable declares %q, which routeTable no longer has", p)
		}
	}
	// The declaration agrees with the access level the route table gives.
	levels := map[access]who{everyone: public, signedIn: signedInAll, secondFactor: factorPending,
		analysts: analystsSet, admins: adminActor, leads: leadsSet, members: membersSet, leadsOrAnalysts: leadsSet | analystsSet,
		operators: nobody}
	for _, rt := range routes {
		if row, ok := authzTable[rt.pattern]; ok && levels[rt.access] != row.allow {
			t.Errorf("%s: routeTable's access stands for %s, authzTable declares %s", rt.pattern, describe(levels[rt.access]), describe(row.allow))
		}
	}
	if t.Failed() {
		t.FailNow()
	}

	asks := 0
	for _, rt := range routes {
		method, _, _ := strings.Cut(rt.pattern, " ")
		row := authzTable[rt.pattern]
		t.Run(rt.pattern, func(t *testing.T) {
			m.t = t
			for _, a := range actors {
				for _, mode := range []string{"økt", "API-nøkkel"} {
					// A token is asked where access depends on who asks; a public
					// route answers everyone alike.
					if mode == "API-nøkkel" && (a.who == anonymous || a.who == factorPending || rt.access == everyone) {
						continue
					}
					c := m.sessionOf(a.who)
					if mode == "API-nøkkel" {
						c = m.tokenOf(a.who)
					}
					req := matrixReq{path: patternPath(rt.pattern)}
					if row.req != nil {
						req = row.req(m, a.who)
					}
					if strings.Contains(req.path, "{") {
						t.Fatalf("no path values for %s: give its row a req", rt.pattern)
					}
					resp, body := m.ask(method, req, c)
					asks++
					got := judge(resp, body)
					want := refused
					if row.allow&a.who != 0 {
						want = allowed
						hr := handlerRefusals[rt.pattern]
						if (mode == "økt" && hr.session&a.who != 0) || (mode == "API-nøkkel" && hr.token&a.who != 0) {
							want = handlerRefused
						}
					}
					if got != want {
						t.Errorf("%s %s as %s (%s) = %d %s, want %s\n%.400s", method, req.path, a.name, mode, resp.StatusCode, got, want, body)
						continue
					}
					if resp.StatusCode >= 500 {
						// A permitted request must work; a refused one must be refused,
						// not fail.
						t.Errorf("%s %s as %s (%s) = %d: a server error\n%.400s", method, req.path, a.name, mode, resp.StatusCode, body)
					}
					checkRefusal(t, method, req.path, a.who, mode, got, resp)
					checkFrameDenied(t, method+" "+req.path, resp)
				}
			}
		})
	}
	m.t = t
	m.e.srv.WaitSync(t.Context())
	t.Logf("%d routes, %d requests", len(routes), asks)
}

// checkRefusal checks how a refusal is said: a person who is not signed
// in is sent to sign in when they asked for a page, and gets 401 from the
// API and for a form; a signed-in person without the role gets 403.
func checkRefusal(t *testing.T, method, path string, a who, mode string, v verdict, resp *http.Response) {
	t.Helper()
	if v != refused {
		return
	}
	status := resp.StatusCode
	switch {
	case path == "/metrics":
		// Not a question of roles: the machine itself, or the key.
		if status != http.StatusForbidden {
			t.Errorf("%s %s as %v (%s) = %d, want 403", method, path, describe(a), mode, status)
		}
	case strings.HasPrefix(path, "/logg-inn/kode"):
		// Not a question of roles: the password first.
		if status != http.StatusUnauthorized {
			t.Errorf("%s %s as %v (%s) = %d, want 401", method, path, describe(a), mode, status)
		}
	case a == anonymous || a == factorPending:
		want := http.StatusUnauthorized
		if method == http.MethodGet && !isAPIPath(path) {
			want = http.StatusSeeOther
		}
		if status != want {
			t.Errorf("%s %s as %s (%s) = %d, want %d", method, path, describe(a), mode, status, want)
		}
	default:
		if status != http.StatusForbidden {
			t.Errorf("%s %s as %s (%s) = %d, want 403", method, path, describe(a), mode, status)
		}
	}
}

// checkFrameDenied is the clickjacking rule: no answer may be framed.
func checkFrameDenied(t *testing.T, what string, resp *http.Response) {
	t.Helper()
	if got := resp.Header.Get("X-Frame-Options"); got != "DENY" {
		t.Errorf("%s: X-Frame-Options = %q, want DENY", what, got)
	}
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors 'none'") {
		t.Errorf("%s: Content-Security-Policy %q lacks frame-ancestors 'none'", what, csp)
	}
}

// describe names the actors of a set.
func describe(w who) string {
	if w == nobody {
		return "nobody"
	}
	var names []string
	for _, a := range actors {
		if w&a.who != 0 {
			names = append(names, a.name)
		}
	}
	return strings.Join(names, ", ")
}

// startMockOIDC runs mockoidc on loopback, its clock set to the tests'.
func startMockOIDC(t testing.TB) *mockoidc.MockOIDC {
	t.Helper()
	m, err := mockoidc.Run()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Shutdown() })
	m.FastForward(time.Until(testNow))
	return m
}

// mockProvider configures the mock as the provider "mock".
func mockProvider(t testing.TB, svc *auth.Service, m *mockoidc.MockOIDC) *auth.OIDC {
	t.Helper()
	cfg := m.Config()
	o, err := auth.NewOIDC(svc, nil, []auth.Provider{{ID: "mock", Name: "Logg inn med testtjenesten", Issuer: cfg.Issuer,
		ClientID: cfg.ClientID, ClientSecret: cfg.ClientSecret}})
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// TestLeadOfAnotherOrganisation: the lead of Bergen sees only Bergen's
// people and invites only into Bergen, whatever the request says; the
// store gives Oslo's members to nobody but Oslo's lead and administrators.
func TestLeadOfAnotherOrganisation(t *testing.T) {
	m := newMatrix(t)
	ctx := context.Background()
	bergenLead, osloLead := m.users[leadBergen], m.users[leadOslo]
	bergen, err := m.e.st.Organisation(ctx, "4601")
	if err != nil {
		t.Fatal(err)
	}
	osloBefore, err := m.e.st.OrgMembers(ctx, osloLead.ID, m.oslo.ID)
	if err != nil || len(osloBefore) != 2 {
		t.Fatalf("Oslo's members as its lead = %d, %v; want 2 (lead, respondent)", len(osloBefore), err)
	}
	if got, err := m.e.st.OrgMembers(ctx, bergenLead.ID, m.oslo.ID); err != nil || len(got) != 0 {
		t.Errorf("OrgMembers(as Bergen's lead, Oslo) = %d members, %v; want none", len(got), err)
	}
	for _, path := range []string{"/organisasjon", "/organisasjon?org=0301", fmt.Sprintf("/organisasjon?org=%d", m.oslo.ID)} {
		resp, body := m.ask(http.MethodGet, matrixReq{path: path}, m.sessionOf(leadBergen))
		if resp.StatusCode != http.StatusOK || strings.Contains(body, "leder.oslo@") || strings.Contains(body, "respondent.oslo@") ||
			!strings.Contains(body, "leder.bergen@") {
			t.Errorf("GET %s as Bergen's lead = %d; shows Oslo's people, or not Bergen's own\n%.600s", path, resp.StatusCode, body)
		}
	}
	// Choosing Oslo as the active organisation is refused.
	resp, _ := m.ask(http.MethodPost, matrixReq{path: "/konto/organisasjon",
		form: url.Values{"org": {strconv.FormatInt(m.oslo.ID, 10)}}}, m.sessionOf(leadBergen))
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("Bergen's lead choosing Oslo = %d, want 403", resp.StatusCode)
	}
	// An invitation that names Oslo in every way a form could still goes
	// to Bergen; so does one with an API token.
	for i, c := range []credential{m.sessionOf(leadBergen), m.tokenOf(leadBergen)} {
		email := fmt.Sprintf("til-oslo-%d@example.invalid", i)
		resp, body := m.ask(http.MethodPost, matrixReq{path: "/organisasjon/inviter?org=0301", form: url.Values{
			"epost": {email}, "org": {"0301"}, "orgkode": {"0301"}, "kode": {"0301"}, "org_id": {strconv.FormatInt(m.oslo.ID, 10)},
		}}, c)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("invitation = %d\n%.400s", resp.StatusCode, body)
		}
		u, err := m.e.st.UserByEmail(ctx, email)
		if err != nil {
			t.Fatal(err)
		}
		roles, _ := m.e.st.RolesOf(ctx, u.ID)
		if len(roles) != 1 || roles[0].OrgID != bergen.ID || roles[0].Role != store.RoleRespondent {
			t.Errorf("the invited person's roles = %+v, want respondent in Bergen only", roles)
		}
	}
	after, _ := m.e.st.OrgMembers(ctx, osloLead.ID, m.oslo.ID)
	if len(after) != len(osloBefore) {
		t.Errorf("Oslo has %d members after Bergen's lead's requests, had %d", len(after), len(osloBefore))
	}
	// Oslo's lead sees Oslo's people and none of Bergen's.
	_, body := m.ask(http.MethodGet, matrixReq{path: "/organisasjon"}, m.sessionOf(leadOslo))
	if !strings.Contains(body, "respondent.oslo@") || strings.Contains(body, "til-oslo-") || strings.Contains(body, "leder.bergen@") {
		t.Errorf("Oslo's page as its lead:\n%.600s", body)
	}
	if slices.ContainsFunc(after, func(x store.OrgMember) bool { return strings.HasPrefix(x.User.Email, "til-oslo-") }) {
		t.Error("a person Bergen's lead invited is a member of Oslo")
	}
}

// TestNoOtherPeoplesTokens: a token is revoked only by its owner; another
// user's id in the path finds nothing, and the token still works.
func TestNoOtherPeoplesTokens(t *testing.T) {
	m := newMatrix(t)
	ctx := context.Background()
	secret, tok, err := m.e.auth.CreateToken(ctx, audit.CLI, m.users[analystActor].ID, "analytikerens", 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range []who{respondentOslo, leadBergen, adminActor} {
		resp, _ := m.ask(http.MethodPost, matrixReq{path: fmt.Sprintf("/konto/nokler/%d/trekk", tok.ID)}, m.sessionOf(a))
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("%s revoking the analyst's token = %d, want 404", describe(a), resp.StatusCode)
		}
	}
	if _, err := m.e.auth.Token(ctx, secret, auth.Client{}); err != nil {
		t.Errorf("the analyst's token after others tried to revoke it: %v", err)
	}
}

// TestGrantsAreSegregated: an administrator gives a grant to read a
// municipality's raw answers only to an analyst, and never to themselves:
// an administrator's own analyst rights do not reach raw answers.
func TestGrantsAreSegregated(t *testing.T) {
	m := newMatrix(t)
	ctx := context.Background()
	other, _, err := m.e.auth.AddUser(ctx, audit.CLI, "admin2@example.invalid", store.RoleAdmin, "")
	if err != nil {
		t.Fatal(err)
	}
	// The administrator is an analyst too, and still may not grant themselves.
	if _, _, err := m.e.auth.AddUser(ctx, audit.CLI, m.users[adminActor].Email, store.RoleAnalyst, ""); err != nil {
		t.Fatal(err)
	}
	until := testNow.AddDate(0, 0, 30).Format("2006-01-02")
	for _, tt := range []struct {
		name, email string
		want        int
	}{
		{"to oneself", m.users[adminActor].Email, http.StatusBadRequest},
		{"to another administrator", other.Email, http.StatusBadRequest},
		{"to a lead", m.users[leadOslo].Email, http.StatusBadRequest},
		{"to an analyst", m.users[analystActor].Email, http.StatusSeeOther},
	} {
		resp, body := m.ask(http.MethodPost, matrixReq{path: "/admin/tilganger", form: url.Values{"epost": {tt.email}, "org": {"0301"},
			"til": {until}, "grunn": {"Konstruert grunn for testen"}}}, m.sessionOf(adminActor))
		if resp.StatusCode != tt.want {
			t.Errorf("grant %s = %d, want %d\n%.300s", tt.name, resp.StatusCode, tt.want, body)
		}
	}
	gs, _ := m.e.st.Grants(ctx)
	if len(gs) != 1 || gs[0].UserID != m.users[analystActor].ID {
		t.Errorf("grants = %+v, want the analyst's only", gs)
	}
}

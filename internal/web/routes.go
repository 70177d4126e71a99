package web

import (
	"net/http"
	"strings"
)

// access says who may use a route. Deny by default: a request that matches
// no route gets the 404 page, and a route answers only the people its
// access allows (checkAccess in identity.go).
type access int

const (
	// everyone may read the published statistics, the catalogue, the
	// report, and sign in.
	everyone access = iota
	// signedIn: any user who is fully signed in (their own account).
	signedIn
	// secondFactor: a session whose password is checked and whose second
	// factor is not yet given (the code page only).
	secondFactor
	// analysts (and administrators) may start a sync and see aggregates.
	analysts
	// admins manage users, organisations, grants and read the audit log.
	admins
	// leads act for their active organisation: its members, invitations.
	leads
	// members have a role (lead, respondent, provider) in their active
	// organisation: its self-assessment, profile and plan.
	members
	// leadsOrAnalysts are analysts and the lead of any organisation: the
	// aggregates of the self-assessment.
	leadsOrAnalysts
	// operators may read /metrics: the configured bearer token, or a caller
	// on the machine itself (by its address).
	operators
)

// caching says whether the server may keep a route's answers in memory,
// and which query parameters its answers depend on (see keptQuery).
type caching struct {
	keep   bool
	params []string
}

var (
	// fresh answers are computed for every request.
	fresh = caching{}
	// cached answers (200 OK only) are kept until the data changes (a new
	// snapshot, a step of a sync) or the minute changes (pages show how
	// long ago data was fetched). They may be served up to a minute after
	// another process added a snapshot. The handler sees no query.
	cached = caching{keep: true}
)

// cachedBy is cached for a route that reads the query parameters named:
// "name" takes the parameter's first value, "name[]" all its values (in
// any order, once each), and a name ending in "." every parameter that
// starts with it ("d." or "v.[]").
func cachedBy(params ...string) caching { return caching{keep: true, params: params} }

// viewQuery are the query parameters of a table view (see parseView).
var viewQuery = []string{"d.", "v.[]"}

// route is one answer of the server: a ServeMux pattern, who may use it,
// whether its answers are kept, and the handler.
type route struct {
	pattern string
	access  access
	caching caching
	handle  handlerFunc
}

// api reports whether the route belongs to the JSON API, whose errors are
// RFC 7807 problems.
func (rt route) api() bool { return isAPIPath(patternPath(rt.pattern)) }

// patternPath returns the path part of a ServeMux pattern ("GET /x" → "/x").
func patternPath(pattern string) string {
	if _, p, ok := strings.Cut(pattern, " "); ok {
		return p
	}
	return pattern
}

func isAPIPath(p string) bool { return strings.HasPrefix(p, "/api/") }

// routeTable lists every route the server answers. Pages use Norwegian
// paths; the API uses English ones, as programs expect.
func (s *Server) routeTable() []route {
	return []route{
		// Pages.
		{"GET /{$}", everyone, cached, s.dashboard},
		{"GET /indikatorer", everyone, cached, s.indicatorList},
		{"GET /indikatorer/{id}", everyone, cached, s.indicatorPage},
		{"GET /hvor-star-vi", everyone, cachedBy("klasse", "kommune"), s.standing},
		{"GET /tabeller", everyone, cached, s.tableList},
		{"GET /tabeller/{id}", everyone, cachedBy(append(viewQuery, markParam+"[]", "diagram")...), s.explorer},
		{"GET /tabeller/{id}/versjoner", everyone, cachedBy("fra", "til"), s.versionsPage},
		{"GET /tabeller/{id}/csv", everyone, cachedBy(viewQuery...), s.downloadCSV},
		{"GET /tabeller/{id}/xlsx", everyone, cachedBy(viewQuery...), s.downloadXLSX},
		{"GET /tabeller/{id}/json-stat", everyone, cachedBy(viewQuery...), s.downloadJSONStat},
		{"GET /temaer", everyone, cached, s.themeList},
		{"GET /temaer/{id}", everyone, cached, s.themePage},
		{"GET /dokumenter", everyone, cachedBy("sorter", "type", "utgiver", "tekst", "lenke"), s.documentList},
		{"GET /dokumenter/{id}", everyone, cached, s.documentPage},
		{"GET /funn", everyone, cached, s.findingList},
		{"GET /funn/{id}", everyone, cached, s.findingPage},
		{"GET /dialog", everyone, cached, s.activityList},
		{"GET /dialog/{id}", everyone, cached, s.activityPage},
		{"GET /behov", everyone, cached, s.needList},
		{"GET /behov/{id}", everyone, cached, s.needPage},
		{"GET /nsm", everyone, cached, s.nsmPage},
		{"GET /sok", everyone, cachedBy("q"), s.searchPage},
		{"GET /rapport", everyone, cached, s.reportPage},
		{"GET /rapport/{file}", everyone, cached, s.reportDownload},
		{"GET /rapport/figurer/{file}", everyone, cached, s.reportFigure},
		{"GET /tilgjengelighet", everyone, cached, s.accessibility},
		{"GET /synk", everyone, fresh, s.syncPage},
		{"POST /synk", analysts, fresh, s.syncStart},

		// Signing in and out, and one's own account.
		{"GET /logg-inn", everyone, fresh, s.loginPage},
		{"POST /logg-inn", everyone, fresh, s.loginPassword},
		{"GET /logg-inn/kode", secondFactor, fresh, s.codePage},
		{"POST /logg-inn/kode", secondFactor, fresh, s.codeSubmit},
		{"POST /logg-inn/oidc/{provider}", everyone, fresh, s.oidcStart},
		{"GET /logg-inn/oidc/{provider}/svar", everyone, fresh, s.oidcCallback},
		{"POST /logg-ut", signedIn, fresh, s.logout},
		{"POST /logg-ut/overalt", signedIn, fresh, s.logoutEverywhere},
		{"GET /konto/lenke/{secret}", everyone, fresh, s.linkPage},
		{"POST /konto/lenke/{secret}", everyone, fresh, s.linkSubmit},
		{"GET /konto", signedIn, fresh, s.accountPage},
		{"POST /konto/organisasjon", signedIn, fresh, s.chooseOrg},
		{"POST /konto/nokler", signedIn, fresh, s.tokenCreate},
		{"POST /konto/nokler/{id}/trekk", signedIn, fresh, s.tokenRevoke},

		// A municipality's lead: its people.
		{"GET /organisasjon", leads, fresh, s.orgPage},
		{"POST /organisasjon/inviter", leads, fresh, s.orgInvite},

		// The self-assessment: one's profile and plan, analysts' aggregates,
		// the register of service providers.
		{"GET /kartlegging/{round}/profil", members, fresh, s.surveyProfile},
		{"GET /kartlegging/{round}/plan", members, fresh, s.surveyPlan},
		{"POST /kartlegging/{round}/plan/{measure}", members, fresh, s.surveyPlanSave},
		{"GET /kartlegging/{round}/plan.xlsx", members, fresh, s.surveyPlanXLSX},
		{"GET /kartlegging/{round}/plan.pdf", members, fresh, s.surveyPlanPDF},
		{"GET /analyse/{round}", analysts, fresh, s.surveyAnalysis},
		{"GET /tjenester", signedIn, fresh, s.servicesPage},
		{"POST /tjenester", analysts, fresh, s.serviceAdd},
		{"POST /tjenester/{id}/fjern", analysts, fresh, s.serviceRetire},
		{"GET /api/v1/rounds/{id}/aggregates", leadsOrAnalysts, fresh, s.apiAggregates},
		// The self-assessment (kartlegging) of the active organisation.
		// The store checks again, in its queries, that the user may read or
		// write the organisation's answers.
		{"GET /kartlegging", signedIn, fresh, s.surveyRounds},
		{"GET /kartlegging/{round}", members, fresh, s.surveyOverview},
		{"GET /kartlegging/{round}/historikk", members, fresh, s.surveyHistory},
		{"GET /kartlegging/{round}/eksport", members, fresh, s.surveyExport},
		{"GET /kartlegging/{round}/last-opp", leads, fresh, s.surveyUploadPage},
		{"POST /kartlegging/{round}/last-opp", leads, fresh, s.surveyUpload},
		{"GET /kartlegging/{round}/send-inn", leads, fresh, s.surveySubmitPage},
		{"POST /kartlegging/{round}/send-inn", leads, fresh, s.surveySubmit},
		{"GET /kartlegging/{round}/{principle}", members, fresh, s.surveyPrinciple},
		{"POST /kartlegging/{round}/{principle}", members, fresh, s.surveySave},
		// Another organisation's answers: an analyst under a grant (each
		// read audited by the service); anyone else is refused.
		{"GET /kartlegging/{round}/organisasjoner/{code}", signedIn, fresh, s.surveyRead},

		// Administration.
		{"GET /admin", admins, fresh, s.adminPage},
		{"GET /admin/brukere", admins, fresh, s.adminUsers},
		{"POST /admin/brukere", admins, fresh, s.adminUserAdd},
		{"GET /admin/brukere/{id}", admins, fresh, s.adminUser},
		{"POST /admin/brukere/{id}/roller", admins, fresh, s.adminRoleGrant},
		{"POST /admin/brukere/{id}/roller/fjern", admins, fresh, s.adminRoleRevoke},
		{"POST /admin/brukere/{id}/steng", admins, fresh, s.adminUserDisable},
		{"POST /admin/brukere/{id}/lenke", admins, fresh, s.adminUserLink},
		{"GET /admin/organisasjoner", admins, fresh, s.adminOrgs},
		{"POST /admin/organisasjoner", admins, fresh, s.adminOrgAdd},
		{"POST /admin/organisasjoner/{code}/medlemmer", admins, fresh, s.adminOrgMember},
		{"GET /admin/tilganger", admins, fresh, s.adminGrants},
		{"POST /admin/tilganger", admins, fresh, s.adminGrantAdd},
		{"POST /admin/tilganger/{id}/trekk", admins, fresh, s.adminGrantRevoke},
		{"GET /admin/logg", admins, fresh, s.adminAudit},
		{"GET /admin/runder", admins, fresh, s.adminRounds},
		{"POST /admin/runder", admins, fresh, s.adminRoundCreate},
		{"GET /admin/runder/{id}", admins, fresh, s.adminRound},
		{"POST /admin/runder/{id}/apne", admins, fresh, s.adminRoundOpen},
		{"POST /admin/runder/{id}/lukk", admins, fresh, s.adminRoundClose},
		{"POST /admin/runder/{id}/utsett", admins, fresh, s.adminRoundExtend},
		{"POST /admin/runder/{id}/gjenapne", admins, fresh, s.adminRoundReopen},
		{"GET /static/{file}", everyone, fresh, s.static},

		// Operations.
		{"GET /healthz", everyone, fresh, s.healthz},
		{"GET /metrics", operators, fresh, s.metricsPage},

		// JSON API; every route here is in the OpenAPI document (openapi.go).
		{"GET /api/v1/openapi.json", everyone, cached, s.apiOpenAPI},
		{"GET /api/v1/tables", everyone, cached, s.apiTables},
		{"GET /api/v1/tables/{id}", everyone, cached, s.apiTable},
		{"GET /api/v1/tables/{id}/data", everyone, cachedBy(viewQuery...), s.apiTableData},
		{"GET /api/v1/tables/{id}/view", everyone, cachedBy(viewQuery...), s.apiTableView},
		{"GET /api/v1/tables/{id}/versions", everyone, cached, s.apiVersions},
		{"GET /api/v1/tables/{id}/versions/compare", everyone, cachedBy("from", "to"), s.apiCompare},
		{"GET /api/v1/indicators", everyone, cached, s.apiIndicators},
		{"GET /api/v1/themes", everyone, cached, s.apiThemes},
		{"GET /api/v1/themes/{id}", everyone, cached, s.apiTheme},
		{"GET /api/v1/documents", everyone, cached, s.apiDocuments},
		{"GET /api/v1/documents/{id}", everyone, cached, s.apiDocument},
		{"GET /api/v1/findings", everyone, cached, s.apiFindings},
		{"GET /api/v1/findings/{id}", everyone, cached, s.apiFinding},
		{"GET /api/v1/dialogue", everyone, cached, s.apiActivities},
		{"GET /api/v1/dialogue/{id}", everyone, cached, s.apiActivity},
		{"GET /api/v1/needs", everyone, cached, s.apiNeeds},
		{"GET /api/v1/needs/{id}", everyone, cached, s.apiNeed},
		{"GET /api/v1/nsm", everyone, cached, s.apiNSM},
		{"GET /api/v1/search", everyone, cachedBy("q"), s.apiSearch},
		{"GET /api/v1/report", everyone, cached, s.apiReport},
		{"GET /api/v1/sync", everyone, fresh, s.apiSyncStatus},
		{"POST /api/v1/sync", analysts, fresh, s.apiSyncStart},
	}
}

// buildHandler registers every route and wraps the mux in the middleware
// every response passes through.
func (s *Server) buildHandler() http.Handler {
	mux := http.NewServeMux()
	s.routes = s.routeTable()
	for _, rt := range s.routes {
		mux.Handle(rt.pattern, s.adapt(rt))
	}
	// Everything else: 405 when the path exists for another method, else
	// the helpful 404.
	mux.Handle("/", s.adapt(route{pattern: "/", access: everyone, caching: fresh, handle: s.notFound(mux)}))
	return s.middleware(mux)
}

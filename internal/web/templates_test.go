package web

import (
	"bytes"
	"context"
	"html/template"
	"net/url"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/grunnlag/grunnlag/internal/analysis"
	"github.com/grunnlag/grunnlag/internal/auth"
	"github.com/grunnlag/grunnlag/internal/catalog"
	"github.com/grunnlag/grunnlag/internal/store"
	"github.com/grunnlag/grunnlag/internal/survey"
)

// samplePages returns page data for every template, built here for the
// test (not read from a request), with the branches a template has filled
// in: errors, empty lists, a running and a finished sync, a report.
// sampleRound is a constructed round for the samples.
var sampleRound = &survey.Round{Round: store.Round{ID: "2027", Name: "Konstruert runde"}, Categories: []survey.Category{{ID: "1", Title: "Identifisere og kartlegge"}}}

// viewerSample is a signed-in administrator in the header.
var viewerSample = &viewer{Email: "a@example.invalid", OrgName: "Oslo", CSRF: "c", Admin: true, Lead: true, Session: true}

func samplePages(t *testing.T, e *env) map[string][]page {
	t.Helper()
	s := e.srv
	pk := s.cfg.Pack
	ctx := context.Background()
	ts, err := s.tableStatuses(ctx)
	if err != nil {
		t.Fatal(err)
	}
	bv, err := s.view(ctx, "13615", url.Values{"v.Produkter": {"zz"}})
	if err != nil {
		t.Fatal(err)
	}
	ch := viewChart("diagram", bv.View, defaultLimits, false)
	truncated := *bv.View
	truncated.Truncated = true
	card, err := s.tableCard(ctx, ts[len(ts)-1])
	if err != nil {
		t.Fatal(err)
	}
	running := SyncStatus{Running: true, Reason: "knapp", StartedAt: testNow, Total: 7, Done: 2, Current: "12041", Stage: "henter data", PartsDone: 1, PartsTotal: 3,
		Results: []SyncResult{{TableID: "12038", Outcome: store.Added}, {TableID: "12019", Outcome: store.Failed, Error: "SSB svarte ikke."}}}
	finished := SyncStatus{FinishedAt: testNow, Total: 1, Done: 1, Message: "1 ny versjon.", Results: []SyncResult{{TableID: "12041", Outcome: store.Unchanged}}}
	stale := freshness{Tables: 2, Registered: 7, Missing: []string{"14559"}, Oldest: testNow.Add(-72 * time.Hour), Newest: testNow, LastFailed: true, FailedAt: testNow, Message: "Siste forsøk mislyktes."}
	summary, err := s.summaryBand(ctx)
	if err != nil {
		t.Fatal(err)
	}
	groups := pk.DocumentGroups()
	var findings []findingRow
	for _, f := range pk.Findings {
		label, u := s.sourceOf(f)
		findings = append(findings, findingRow{F: f, Source: label, URL: u})
	}
	withQty := pk.Findings[0]
	var qualitative *catalog.Finding
	for _, f := range pk.Findings {
		if f.Value == nil {
			qualitative = f
		}
	}
	indicators := s.indicatorSection(ctx, "")
	res, err := s.analysis(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var detail []page
	for _, ind := range res.Indicators[:3] {
		detail = append(detail, &indicatorDetailPage{base: base{Title: ind.Def.Title}, Card: s.indicatorCard("x", ind), X: analysis.Explain(pk, ind), ExplorerURL: indicatorViewURL(ind), PackRef: "grunnlag/indicators.yaml:1"})
	}
	pending := indicatorSection{Available: true, Pending: []indicatorCard{{ID: "x", Title: "Konstruert indikator", Error: "Tabell 14559 er ikke hentet ennå.", TableID: "14559", SourceURL: "/tabeller/14559"}}}

	return map[string][]page{
		"error": {
			&errorPage{base: base{Title: "Fant ikke siden"}, Status: 404, Message: "Vi fant ingen side.", NotFound: true, Query: "nou 2018"},
			&errorPage{base: base{Title: "Feil"}, Status: 500, Message: "Det oppstod en intern feil."},
		},
		"dashboard": {
			&dashboardPage{base: base{Title: "Situasjonsbilde"}, Fresh: s.freshnessOf(ts), Indicators: indicators, Themes: s.themeCards(), Tables: []tableCard{card}, Counts: s.packCounts(), Sync: running, Summary: summary},
			&dashboardPage{base: base{Title: "Situasjonsbilde"}, Fresh: freshness{Message: "Ingen statistikk er hentet ennå."}, Indicators: pending},
			&dashboardPage{base: base{Title: "Situasjonsbilde"}, Indicators: indicatorSection{Message: "Indikatorene kunne ikke beregnes akkurat nå."}},
		},
		"tables": {
			&tableListPage{base: base{Title: "Tabeller"}, Fresh: stale, Tables: ts, Sync: running, CanSync: true, HasSync: true},
			&tableListPage{base: base{Title: "Tabeller"}, Tables: ts, Sync: finished, HasSync: true},
			&tableListPage{base: base{Title: "Tabeller"}},
		},
		"explorer": {
			&explorerPage{base: base{Title: "Tabell 13615"}, Table: ts[len(ts)-2], DocID: "x", View: bv.View, Errors: bv.Choice.Problems, Chart: ch.SVG, ChartNote: ch.Note, ChartCut: ch.Cut(),
				Downloads: []download{{Label: "CSV", URL: "/tabeller/13615/csv", Note: "semikolon"}}, Versions: 1, RowDims: []string{"produkt"}, Head: [][]string{{"2020"}},
				Body: []bodyRow{{Labels: []string{"Bilbensin"}, Cells: bv.View.Pivot.Cells[0][:1]}}},
			&explorerPage{base: base{Title: "Tabell 13615"}, View: &truncated},
		},
		"indicators": {
			&indicatorListPage{base: base{Title: "Indikatorer"}, Rows: []indicatorRow{{Card: indicators.Items[0]}, {Card: pending.Pending[0]}}},
			&indicatorListPage{Message: "Indikatorene kunne ikke beregnes akkurat nå."},
		},
		"indicator": detail,
		"themes":    {&themeListPage{base: base{Title: "Temaer"}, Themes: s.themeCards(), Conclusions: pk.Conclusions}, &themeListPage{}},
		"theme": {
			&themeDetailPage{base: base{Title: pk.Themes[0].Title}, Theme: pk.Themes[0], Findings: pk.Findings, Needs: pk.Needs, Documents: pk.Documents, Indicators: indicators,
				Evidence: []evidenceRow{{Kind: "Funn", URL: "/funn/x", Summary: "x", Basis: "Dokument", Direction: "nøytral", Notes: "n"}, {Kind: "Behov", Summary: "y"}},
				Verdict:  "Hypotesen er underbygget."},
			&themeDetailPage{Theme: pk.Themes[1], Indicators: pending},
		},
		"documents": {
			&documentListPage{base: base{Title: "Dokumenter"}, Rows: []documentRow{{Doc: pk.Documents[0], Kind: "NOU"}, {Doc: &catalog.Document{ID: "x", AsWritten: "Konstruert", URL: "https://example.org/"}}},
				Total: len(pk.Documents), Sort: "type", Sorts: documentSorts, Kinds: []option{{"nou", "NOU"}}, Publishers: []option{{"-", "Ikke oppgitt"}},
				Tables: []catalogTable{{ID: "14559", Title: "Konstruert", English: true}, {ID: "12041", Title: "T", Stored: true, DocID: "ssb-12041", URL: "https://www.ssb.no/"}}},
			&documentListPage{Filtered: true, Text: "zz", LinkedOnly: true, Total: 3},
		},
		"document": {
			&documentDetailPage{Doc: pk.Documents[0], Kind: groups[0].Kind, Findings: pk.Findings, Themes: pk.Themes, TableURL: "/tabeller/12041"},
			&documentDetailPage{Doc: &catalog.Document{ID: "konstruert", AsWritten: "Konstruert dokument", ThemesInferred: true, Notes: "n"}, Themes: pk.Themes},
		},
		"findings": {&findingListPage{Findings: findings}},
		"finding": {
			&findingDetailPage{F: withQty, Source: "Kilde", SourceURL: "/dokumenter/x", Evidence: s.evidenceThemes(withQty.Evidence)},
			&findingDetailPage{F: qualitative, Source: "Kilde"},
		},
		"dialogue": {&activityListPage{Activities: pk.Activities}},
		"activity": {&activityDetailPage{A: pk.Activities[0], Kind: "Møter", Findings: pk.Findings[:1], Needs: pk.Needs}},
		"versions": {
			&versionsPage{TableID: "13615", TableTitle: "Konstruert", Versions: []versionRow{{ID: 2, Number: 2, Updated: "2025-05-01T06:00:00Z", FetchedAt: testNow, Origin: "hentet fra data.ssb.no", Lang: "norsk", Cells: 100, SHA256: "ab"},
				{ID: 1, Number: 1, Origin: "importert fra filen «x.json»"}}, From: 1, To: 2,
				Compare: &comparisonView{FromNumber: 1, ToNumber: 2, NChanged: 300, Same: 4, DimsDiffer: true, Tables: []diffTable{
					{ID: "endret", Title: "Endrede", Dims: []string{"år"}, Rows: []diffRow{{Labels: []string{"2020"}, Old: "1", New: "2", Change: "+1"}}, N: 300, Change: true},
					{ID: "lagt-til", Title: "Lagt til"}}}},
			&versionsPage{TableID: "13615", Versions: []versionRow{{ID: 1, Number: 1}}, Error: "Tabell 13615 har ingen versjon «x»."},
		},
		"accessibility": {&accessibilityPage{Contact: "https://example.org/kontakt"}, &accessibilityPage{Contact: "uu@example.org"}, &accessibilityPage{}},
		"needs":         {&needListPage{Needs: pk.Needs}},
		"need":          {&needDetailPage{N: pk.Needs[0], Activity: pk.Activities[0], Evidence: s.evidenceThemes(pk.Needs[0].Evidence), Principles: pk.Principles[:2]}},
		"nsm":           {&nsmPage{Categories: s.nsmCategories()}},
		"standing": {
			&standingPage{base: base{Title: "Hvor står vi?"}, Classes: []standingClass{{Label: "Under 5 000", Max: 4999, Known: true, N: 150}, {Label: "Konstruert klasse", Known: false}}},
			&standingPage{base: base{Title: "Hvor står vi?"}, Class: "Under 5 000", Municipality: "Konstruertby", Placed: "Konstruertby hadde 1 000 innbyggere.", Register: "kommuner 2024",
				Rows: []standingRow{{Title: "Konstruert indikator", URL: "/indikatorer/x", National: "10,0 %", Year: "2024", ClassValue: "12,0 %", Diff: "+2,0 prosentpoeng", Higher: true}, {Title: "Uten tall", Missing: "Tabellen har ikke tall for klassen."}}},
			&standingPage{base: base{Title: "Hvor står vi?"}, Problem: "Fant ingen kommune som heter «Konstruert»."},
		},
		"search": {
			&searchResultPage{Query: "patch", Hits: []searchHit{{Kind: "finding", KindLabel: "Funn", ID: "x", Summary: "s", Snippet: "…patch…", URL: "/funn/x"}, {Kind: "x", Summary: "no page"}}},
			&searchResultPage{Query: "zz"},
			&searchResultPage{Query: "\"", Error: "Ugyldige data."},
			&searchResultPage{},
		},
		"sync": {
			&syncPage{base: base{Refresh: 2}, Sync: running, CanSync: true, HasSync: true},
			&syncPage{Sync: finished, HasSync: true, LabelsChecked: true},
			&syncPage{Sync: finished, HasSync: true, CanSync: true, LabelsChecked: true, Labels: []labelRow{
				{Title: "Konstruert indikator", URL: "/indikatorer/x", Table: "12041", Problem: "ingen kategori heter «Har tiltaket».",
					Nearest: []string{"«Tiltaket er innført» (kode 1)"}, Fix: "indicators:\n  - id: x\n", FixResolves: true},
				{Title: "Konstruert etterfølger", URL: "/indikatorer/y", Table: "14559", Successor: true, Problem: "ingen dimensjon heter «Tid»."}}},
			&syncPage{},
		},
		// Accounts: constructed users and organisations.
		"login": {
			&loginPage{Form: "f", Next: "/", Providers: []auth.Provider{{ID: "idp", Name: "Konstruert innlogging"}}, Error: "Feil e-postadresse eller passord.", Email: "a@example.invalid"},
			&loginPage{Notice: "Du er logget ut."},
		},
		"code": {&codePage{Setup: true, Secret: "JBSWY3DPEHPK3PXP", Address: "otpauth://totp/x", Error: "Koden stemmer ikke."}, &codePage{Next: "/"}},
		"link": {&linkPage{Email: "a@example.invalid", Min: 12, Error: "Passordene er ikke like."}},
		"account": {
			&accountPage{base: base{Viewer: viewerSample}, Email: "a@example.invalid", Roles: []roleLine{{"administrator", "alle organisasjoner"}},
				Orgs: []store.RoleGrant{{OrgID: 1, OrgCode: "0301", OrgName: "Oslo"}, {OrgID: 2, OrgCode: "4601", OrgName: "Bergen"}}, ActiveID: 2,
				Tokens: []store.Token{{ID: 1, Name: "R", Prefix: "gl_abcdef", CreatedAt: testNow, ExpiresAt: testNow}, {ID: 2, Name: "x", RevokedAt: testNow}}, NewToken: "gl_x", Method: "password"},
			&accountPage{Email: "b@example.invalid", Error: "Velg hvor mange dager."},
		},
		"org":   {&orgPage{Org: store.Organisation{Code: "0301", Name: "Oslo"}, Members: []memberLine{{"a@example.invalid", "svarer", true}}, Invited: "http://x/konto/lenke/y", Error: "e"}},
		"admin": {&adminPage{}},
		"survey_profile": {&profilePage{Round: sampleRound, Org: store.Organisation{Code: "4601", Name: "Bergen"},
			Profile: &survey.Profile{K: 5, SizeClass: "20 000 innbyggere eller flere", PreviousRound: &store.Round{Name: "Konstruert 2026"}, Unmapped: []string{"1.1.9"}},
			Rows: []profileRow{{ID: "1", Title: "1 Identifisere", Category: true, Own: &survey.Score{Value: 0.5, Counted: 2}, Previous: &survey.Score{Value: 0.25},
				Peers: []peerCell{{Stat: &survey.Stat{N: 9, Median: 0.5, Q1: 0.25, Q3: 0.75}}, {Suppressed: true}}}},
			PeerNames: []string{"Like store", "Vestland"}}},
		"prerendered": {&prerendered{base: base{Title: "Konstruert"}, Content: template.HTML("<h1>Konstruert</h1>\n<p>Konstruert innhold</p>")}},
		"survey_plan": {&planPage{Round: sampleRound, Org: store.Organisation{Name: "Bergen"}, CanPDF: true, Saved: "1.1.1",
			Items: []survey.PlanItem{{Measure: store.RoundMeasure{Measure: "1.1.1", Summary: "Konstruert sammendrag", Source: "grunnlag/nsm.yaml:1"}, PeerShare: 0.4, PeerGroup: "Like store",
				Needs: pk.Needs[:1], Services: []string{"soc"}, Providers: []store.ServiceProvider{{Name: "Konstruert SOC"}}, Item: store.PlanItem{Owner: "o", Status: "i_gang"}},
				{Measure: store.RoundMeasure{Measure: "1.1.2"}, Answer: "nei", PeerShare: -1}}}, &planPage{Round: sampleRound}},
		"survey_analysis": {&analysisPage{Round: sampleRound, Agg: &survey.Aggregates{Submitted: 14, K: 5}, NationalN: 14,
			TopGaps: []gapLine{{store.RoundMeasure{Measure: "1.1.1", Summary: "s"}, 0.7}},
			Kinds: []analysisKind{{Kind: "national", Title: "Hele landet", Groups: []survey.Group{{Label: "Hele landet", N: 14, Scores: map[string]survey.Stat{"1": {N: 14, Median: 0.5}}},
				{Label: "Rogaland", N: 4, Suppressed: true, Reason: "færre enn 5"}}}, {Kind: "county", Title: "Etter fylke"}}}},
		"services": {&servicesPage{Providers: []store.ServiceProvider{{ID: 1, Name: "Konstruert SOC", URL: "https://example.invalid", Services: []string{"soc"}, Source: "konstruert", Notes: "n"}},
			Types: serviceTypes(), CanEdit: true, Error: "e"}, &servicesPage{}},
		"admin_users": {&adminUsersPage{Users: []adminUserLine{{ID: 1, Email: "a@example.invalid", Roles: []string{"administrator"}, Password: true}}, Link: "http://x/konto/lenke/y", Added: "a@example.invalid", Error: "e", Roles: roleOptions()}},
		"admin_user": {
			&adminUserPage{User: store.User{ID: 1, Email: "a@example.invalid", CreatedAt: testNow}, Roles: []store.RoleGrant{{Role: store.RoleAdmin}, {Role: store.RoleLead, OrgID: 3, OrgCode: "0301", OrgName: "Oslo"}},
				Link: "http://x/konto/lenke/y", Error: "e", Names: map[store.Role]string{store.RoleAdmin: "administrator", store.RoleLead: "leder"}, Opts: roleOptions()},
			&adminUserPage{User: store.User{ID: 2, Email: "b@example.invalid", DisabledAt: testNow, PasswordHash: "x"}},
		},
		"admin_orgs":   {&adminOrgsPage{Orgs: []orgLine{{store.Organisation{Code: "iks", Kind: store.Provider, Name: "Konstruert IKS", OrgNumber: "999999999"}, []store.Membership{{Parent: "iks", Member: "4601", ValidFrom: "2024-01-01"}}}}, Municipalities: 357, Counties: 15, Error: "e"}},
		"admin_grants": {&adminGrantsPage{Grants: []store.Grant{{ID: 1, UserEmail: "a@example.invalid", OrgCode: "0301", Reason: "r", ExpiresAt: testNow.Add(time.Hour)}, {ID: 2, RevokedAt: testNow}}, Now: testNow, Error: "e"}},
		"admin_audit": {
			&adminAuditPage{Entries: []store.AuditEntry{{Seq: 1, At: testNow, Actor: "cli", Action: "login", Object: "bruker:1"}}, Intact: true, Count: 1},
			&adminAuditPage{Broken: "audit entry 2: its content does not match its hash"},
		},
		// The self-assessment: constructed rounds, organisations and answers.
		"survey_rounds": {
			&surveyRoundsPage{OrgName: "Oslo", OtherOrgs: true, Admin: true,
				Rounds: []roundLine{{ID: "2027", Name: "Konstruert runde", State: "Runden er åpen.", Progress: survey.Progress{Answered: 3, Total: 10}, Percent: 30}},
				Grants: []grantLine{{OrgCode: "0301", OrgName: "Oslo", Until: "1. mai 2027", Reason: "r", Rounds: []store.Round{{ID: "2027", Name: "Konstruert runde"}}}, {OrgCode: "4601", OrgName: "Bergen"}}},
			&surveyRoundsPage{OrgName: "Oslo"},
			&surveyRoundsPage{},
		},
		"survey_round": {
			&surveyOverviewPage{base: base{Title: "Konstruert runde"}, RoundID: "2027", OrgName: "Bergen", State: "Runden er åpen.", Open: true, Extended: "1. juni 2027",
				Total: survey.Progress{Answered: 2, Total: 4}, Percent: 50, Lead: true, Provider: true, Notice: "Svarene er sendt inn.",
				Categories: []categoryLine{{ID: "1", Title: "Identifisere og kartlegge", Progress: survey.Progress{Answered: 2, Total: 4},
					Principles: []principleLine{{ID: "1.1", Title: "t", URL: "/kartlegging/2027/1.1", Progress: survey.Progress{Answered: 2, Total: 2}, Percent: 100,
						Inherited: []string{"2 svar fra IT-leverandøren Konstruert IKS"}, Changed: 1}, {ID: "1.2", Title: "u", URL: "/kartlegging/2027/1.2"}}}},
				Changed: []providerChange{{Measure: "2.1.1", URL: "/kartlegging/2027/2.1#tiltak-2-1-1", Provider: "Konstruert IKS", Own: "Ja", Current: "Nei"}}},
			&surveyOverviewPage{base: base{Title: "Konstruert runde"}, RoundID: "2027", State: "Runden er lukket."},
		},
		"survey_principle": {
			&surveyFormPage{base: base{Title: "1.1 t"}, RoundID: "2027", RoundName: "Konstruert runde", OrgName: "Oslo", Principle: "1.1", Category: "c",
				Action: "/kartlegging/2027/1.1", FormVersion: 2, Open: true, State: "Runden er åpen.", Maturity: true, Saved: "Svarene er lagret.",
				Errors: []fieldError{{Field: "grunn-1-1-1", Message: "Tiltak 1.1.1: skriv hvorfor."}}, Message: "m", Conflict: true,
				Differs: []fieldError{{Field: "lagret-1-1-1", Message: "Tiltak 1.1.1: Lagret nå: Ja."}},
				Prev:    &principleRef{ID: "1.0", Title: "p", URL: "/x"}, Next: &principleRef{ID: "1.2", Title: "n", URL: "/y"},
				Measures: []measureForm{
					{measureEntry: measureEntry{ID: "1.1.1", Text: "Konstruert tekst", Kind: "summary", Source: "grunnlag/nsm.yaml:1"}, Key: "1-1-1",
						Options: []choice{{ID: "svar-1-1-1-ja", Value: "ja", Label: "Ja", Checked: true}, {ID: "svar-1-1-1-nei", Value: "nei", Label: "Nei"}},
						Levels:  []choice{{Value: "", Label: "Ikke valgt"}, {Value: "0", Label: "0 – ikke påbegynt", Checked: true}},
						Reason:  "r", Comment: "c", Evidence: "https://example.invalid/x", Inherited: "Fra IT-leverandøren X: Ja.", Provider: "p", ProviderChanged: "pc", Stored: "s",
						Errors: map[string]string{"svar": "velg", "grunn": "skriv", "modenhet": "m", "kommentar": "k", "dok": "d"}},
					{measureEntry: measureEntry{ID: "1.1.2", Text: "NSMs konstruerte tekst", Kind: "nsm", Source: "grunnlag/nsm.yaml:2"}, Key: "1-1-2"},
					{measureEntry: measureEntry{ID: "1.1.3"}, Key: "1-1-3"},
				}},
			&surveyFormPage{base: base{Title: "1.1 t"}, RoundID: "2027", State: "Runden er lukket.",
				Measures: []measureForm{{measureEntry: measureEntry{ID: "1.1.1", Text: "t", Kind: "summary"}, Key: "1-1-1", Current: "Ja", Inherited: "i", Provider: "p", ProviderChanged: "pc"},
					{measureEntry: measureEntry{ID: "1.1.3"}, Key: "1-1-3"}}},
		},
		"survey_submit": {
			&surveySubmitPage{RoundID: "2027", OrgName: "Oslo", State: "s", Open: true, Total: survey.Progress{Answered: 1, Total: 3}, Inherited: 2, Error: "e",
				Missing: []missingPrinciple{{ID: "1.1", Title: "t", URL: "/kartlegging/2027/1.1", Measures: []measureEntry{{ID: "1.1.2"}, {ID: "1.1.3"}}}}},
			&surveySubmitPage{RoundID: "2027", Total: survey.Progress{Answered: 3, Total: 3}},
		},
		"survey_history": {
			&surveyHistoryPage{RoundID: "2027", OrgName: "Oslo", Rows: []historyRow{{When: "1. mars 2027 kl. 10.00", Who: "a@example.invalid", Measure: "1.1.1", URL: "/x", Old: "ikke besvart", New: "Ja"}, {Measure: "9.9.9"}}},
			&surveyHistoryPage{RoundID: "2027"},
		},
		"survey_upload": {
			&surveyUploadPage{RoundID: "2027", OrgName: "Oslo", OrgCode: "0301", Open: true, State: "s", MaxMB: 4, File: "svar.csv", Error: "e",
				Problems: []survey.Problem{{File: "svar.csv", Line: 3, Field: "answer", Msg: "«kanskje» er ikke ja"}, {File: "svar.csv", Line: 1, Msg: "filen er tom"}}},
			&surveyUploadPage{RoundID: "2027"},
		},
		"survey_answers": {
			&surveyAnswersPage{base: base{Title: "Svarene til Oslo"}, RoundID: "2027", OrgName: "Oslo", OrgCode: "0301", ReadFor: "konstruert grunn", State: "s",
				Categories: []answerCategory{{ID: "1", Title: "c", Principles: []answerPrinciple{{ID: "1.1", Title: "t",
					Measures: []answerLine{{measureEntry: measureEntry{ID: "1.1.1", Text: "t", Kind: "summary"}, Answer: "Ja", From: "fra IT-leverandøren X", Note: "n"}, {measureEntry: measureEntry{ID: "1.1.2"}, Answer: "ikke besvart"}}}}}}},
		},
		"survey_admin_rounds": {
			&adminRoundsPage{Rounds: []adminRoundLine{{ID: "2027", Name: "Konstruert runde", Status: "åpen", Opens: "1. mars 2027", Closes: "30. april 2027", Submitted: 2}},
				Form: roundForm{ID: "x", Name: "y", OpensOn: "2027-01-01", ClosesOn: "2027-02-01", Maturity: true}, Error: "e",
				Groups: []principleGroup{{ID: "1", Title: "c", Principles: []choice{{ID: "prinsipp-1-1", Value: "1.1", Label: "1.1 t", Checked: true}}}}},
			&adminRoundsPage{},
		},
		"survey_admin_round": {
			&adminRoundPage{base: base{Title: "Konstruert runde"}, ID: "2027", Name: "Konstruert runde", Status: "utkast", Opens: "o", Closes: "c", Framework: "f", Measures: 3,
				Principles: []string{"1.1"}, Maturity: true, ProviderPrinciples: "2.1", CanOpen: true, CanClose: true, ExtendOrg: "0301", ExtendDate: "2027-05-01",
				Submissions: []submissionLine{{OrgCode: "0301", OrgName: "Oslo", When: "w"}}, Notice: "n", Error: "e"},
			&adminRoundPage{base: base{Title: "Lukket"}, ID: "x", Closed: true, Submissions: []submissionLine{{OrgCode: "0301"}}},
		},
		"report": {
			&reportViewPage{Message: "Rapporten kunne ikke lages."},
			&reportViewPage{Available: true, ReadURL: "/rapport/rapport.html", Themes: []reportTheme{{ID: "x", Title: "Konstruert tema", Text: "t"}},
				Gaps: []string{"Tabell 14559 er ikke hentet ennå."}, Downloads: []download{{Label: "HTML", URL: "/rapport/rapport.html"}}, PDFNote: "Ingen PDF."},
		},
	}
}

// TestEveryTemplate executes every template with its typed page data, so a
// broken template fails here, not for a user.
func TestEveryTemplate(t *testing.T) {
	e := newEnv(t)
	samples := samplePages(t, e)
	var covered []string
	for name := range samples {
		covered = append(covered, name)
	}
	sort.Strings(covered)
	if diff := cmp.Diff(e.srv.pages.names(), covered); diff != "" {
		t.Errorf("templates without sample pages, or samples without templates (-templates +samples):\n%s", diff)
	}
	for name, ps := range samples {
		for i, p := range ps {
			if p.template() != name {
				t.Errorf("sample %s[%d] is a %T for template %s", name, i, p, p.template())
			}
			var buf bytes.Buffer
			if err := e.srv.pages.execute(&buf, p); err != nil {
				t.Errorf("template %s, sample %d: %v", name, i, err)
				continue
			}
			body := buf.String()
			checkPage(t, name, body)
			if strings.Contains(body, "<no value>") || strings.Contains(body, "%!") {
				t.Errorf("template %s, sample %d shows a missing value", name, i)
			}
		}
	}
}

// A page made from its content rendered before (what the memo keeps) is
// the page rendered whole, byte for byte, for every sample of every
// template.
func TestPrerenderedSameAsRendered(t *testing.T) {
	e := newEnv(t)
	for name, ps := range samplePages(t, e) {
		for i, p := range ps {
			p.pageBase().Viewer = viewerSample
			var whole bytes.Buffer
			if err := e.srv.pages.execute(&whole, p); err != nil {
				t.Fatalf("template %s, sample %d: %v", name, i, err)
			}
			content, err := e.srv.pages.content(p)
			if err != nil {
				t.Fatalf("content of %s, sample %d: %v", name, i, err)
			}
			var made bytes.Buffer
			if err := e.srv.pages.execute(&made, &prerendered{base: *p.pageBase(), Content: template.HTML(content)}); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(whole.String(), made.String()); diff != "" {
				t.Errorf("template %s, sample %d: prerendered differs (-whole +prerendered):\n%s", name, i, diff)
			}
		}
	}
}

func TestNewServerNeedsStoreAndPack(t *testing.T) {
	if _, err := NewServer(Config{}); err == nil {
		t.Error("NewServer(Config{}) = nil error, want one")
	}
}

package web

import (
	"bytes"
	"context"
	_ "embed"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/grunnlag/grunnlag/internal/analysis"
	"github.com/grunnlag/grunnlag/internal/fault"
	"github.com/grunnlag/grunnlag/internal/store"
	"github.com/grunnlag/grunnlag/internal/survey"
)

// The profile, the measure plan, and the analysts' aggregates of the
// self-assessment. Answering is in survey_*.go of the answer pages.

// activeOrg returns the signed-in person's active organisation.
func (s *Server) activeOrg(r *http.Request) (store.Organisation, error) {
	p := principalOf(r)
	for _, g := range p.Roles {
		if g.OrgID == p.OrgID && p.OrgID != 0 {
			return s.cfg.Accounts.Organisation(r.Context(), g.OrgCode)
		}
	}
	return store.Organisation{}, fault.WithUser(fault.Forbidden, "Velg organisasjonen du handler for under «Min konto».", errors.New("no active organisation"))
}

// surveyOff answers when the server has no self-assessment.
func (s *Server) surveyOn() error {
	if s.cfg.Survey == nil {
		return fault.WithUser(fault.NotFound, "Kartleggingen er ikke slått på på denne tjeneren.", errors.New("no survey service"))
	}
	return nil
}

// profileRow is one principle or category of the profile: the
// organisation's score and its peers' spread.
type profileRow struct {
	ID, Title string
	Category  bool
	Own       *survey.Score
	Previous  *survey.Score
	Peers     []peerCell
}

type peerCell struct {
	Stat       *survey.Stat
	Suppressed bool
}

type profilePage struct {
	base
	Round     *survey.Round
	Org       store.Organisation
	Profile   *survey.Profile
	Rows      []profileRow
	PeerNames []string
	SSB       profileContext
}

func (*profilePage) template() string { return "survey_profile" }

func (s *Server) surveyProfile(w http.ResponseWriter, r *http.Request) error {
	if err := s.surveyOn(); err != nil {
		return err
	}
	org, err := s.activeOrg(r)
	if err != nil {
		return err
	}
	pr, err := s.cfg.Survey.Profile(r.Context(), principalOf(r), r.PathValue("round"), org)
	if err != nil {
		return err
	}
	title := "Profil: " + org.Name
	// A closed round's kept profile cannot change, nor can the SSB figures
	// beside it while the analysis stays the same: its content is made
	// once (see memo).
	if kept := pr.Kept(); kept != nil {
		if res, err := s.analysis(r.Context()); err == nil {
			key := profileMemoKey{kept, res, org}
			body, err := s.memo.remember(key, func() ([]byte, error) {
				return s.pages.content(s.profilePage(r.Context(), pr, org, title))
			})
			if err != nil {
				return err
			}
			pg := &prerendered{Content: template.HTML(body)}
			pg.setBase(title, "kartlegging")
			return s.render(w, http.StatusOK, pg)
		}
	}
	return s.render(w, http.StatusOK, s.profilePage(r.Context(), pr, org, title))
}

// profileMemoKey is what a profile's content is made from.
type profileMemoKey struct {
	profile  any // survey.Profile.Kept
	analysis *analysis.Result
	org      store.Organisation
}

// profilePage lays out a profile: a row for all measures, each category
// and each principle, with the organisation's score, its previous one and
// its peers' spread; then the SSB context.
func (s *Server) profilePage(ctx context.Context, pr *survey.Profile, org store.Organisation, title string) *profilePage {
	pg := &profilePage{Round: pr.Round, Org: org, Profile: pr}
	for _, g := range pr.Peers {
		pg.PeerNames = append(pg.PeerNames, g.Label)
	}
	row := func(id, title string, cat bool) profileRow {
		pr := pg.Profile
		rw := profileRow{ID: id, Title: title, Category: cat}
		if sc, ok := pr.Scores[id]; ok {
			rw.Own = &sc
		}
		if sc, ok := pr.Previous[id]; ok {
			rw.Previous = &sc
		}
		for _, g := range pr.Peers {
			c := peerCell{Suppressed: g.Suppressed}
			if st, ok := g.Scores[id]; ok {
				c.Stat = &st
			}
			rw.Peers = append(rw.Peers, c)
		}
		return rw
	}
	pg.Rows = append(pg.Rows, row("", "Alle tiltak", true))
	for _, c := range pr.Round.Categories {
		pg.Rows = append(pg.Rows, row(c.ID, c.ID+" "+c.Title, true))
		for _, p := range c.Principles {
			pg.Rows = append(pg.Rows, row(p.ID, p.ID+" "+p.Title, false))
		}
	}
	pg.SSB = s.profileSSBContext(ctx, pr.Round, org)
	pg.setBase(title, "kartlegging")
	return pg
}

// planPage is the organisation's measure plan.
type planPage struct {
	base
	Round  *survey.Round
	Org    store.Organisation
	Items  []survey.PlanItem
	CanPDF bool
	Saved  string
}

func (*planPage) template() string { return "survey_plan" }

func (s *Server) plan(r *http.Request) (*survey.Round, store.Organisation, []survey.PlanItem, error) {
	if err := s.surveyOn(); err != nil {
		return nil, store.Organisation{}, nil, err
	}
	org, err := s.activeOrg(r)
	if err != nil {
		return nil, org, nil, err
	}
	round, err := s.cfg.Survey.Round(r.Context(), r.PathValue("round"))
	if err != nil {
		return nil, org, nil, err
	}
	items, err := s.cfg.Survey.Plan(r.Context(), principalOf(r), round.ID, org)
	return round, org, items, err
}

func (s *Server) surveyPlan(w http.ResponseWriter, r *http.Request) error {
	round, org, items, err := s.plan(r)
	if err != nil {
		return err
	}
	pg := &planPage{Round: round, Org: org, Items: items, CanPDF: s.cfg.PDF != nil, Saved: r.URL.Query().Get("lagret")}
	pg.setBase("Tiltaksplan: "+org.Name, "kartlegging")
	return s.render(w, http.StatusOK, pg)
}

// planStatuses are the statuses of a plan item.
func planStatuses() []string { return []string{"planlagt", "i_gang", "ferdig", "droppet"} }

func (s *Server) surveyPlanSave(w http.ResponseWriter, r *http.Request) error {
	if err := s.surveyOn(); err != nil {
		return err
	}
	org, err := s.activeOrg(r)
	if err != nil {
		return err
	}
	status := r.PostFormValue("status")
	if !slices.Contains(planStatuses(), status) {
		return fault.WithUser(fault.Invalid, "Velg en status for tiltaket.", fmt.Errorf("plan status %q", status))
	}
	due := strings.TrimSpace(r.PostFormValue("frist"))
	if due != "" && !isDate(due) {
		return fault.WithUser(fault.Invalid, "Skriv fristen som ÅÅÅÅ-MM-DD.", fmt.Errorf("plan due %q", due))
	}
	it := store.PlanItem{Measure: r.PathValue("measure"), Owner: limit(strings.TrimSpace(r.PostFormValue("ansvarlig")), 200),
		DueOn: due, Status: status, Note: limit(strings.TrimSpace(r.PostFormValue("notat")), 2000)}
	round := r.PathValue("round")
	if err := s.cfg.Survey.SavePlanItem(r.Context(), principalOf(r), round, org, it); err != nil {
		return err
	}
	http.Redirect(w, r, "/kartlegging/"+round+"/plan?lagret="+it.Measure+"#tiltak-"+it.Measure, http.StatusSeeOther)
	return nil
}

func isDate(s string) bool {
	return len(s) == 10 && s[4] == '-' && s[7] == '-' && strings.Trim(s[:4]+s[5:7]+s[8:], "0123456789") == ""
}

func limit(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n])
	}
	return s
}

// planXLSX downloads the plan as a workbook.
func (s *Server) surveyPlanXLSX(w http.ResponseWriter, r *http.Request) error {
	round, org, items, err := s.plan(r)
	if err != nil {
		return err
	}
	f := excelize.NewFile()
	defer f.Close()
	sheet := "Tiltaksplan"
	f.SetSheetName("Sheet1", sheet)
	header := []any{"Rangering", "Tiltak", "Prinsipp", "Svar nå", "Andel ja blant like store", "Tjenester som kan hjelpe", "Ansvarlig", "Frist", "Status", "Notat"}
	f.SetSheetRow(sheet, "A1", &header)
	for i, it := range items {
		share := ""
		if it.PeerShare >= 0 {
			share = fmt.Sprintf("%.0f %%", it.PeerShare*100)
		}
		var services []string
		for _, t := range it.Services {
			services = append(services, survey.ServiceLabel(t))
		}
		answer := "ubesvart"
		if it.Answer != "" {
			answer = survey.AnswerLabel(it.Answer)
		}
		row := []any{i + 1, it.Measure.Measure + " " + measureText(it.Measure), it.Measure.Principle, answer, share,
			strings.Join(services, ", "), safeXLSX(it.Item.Owner), it.Item.DueOn, it.Item.Status, safeXLSX(it.Item.Note)}
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		f.SetSheetRow(sheet, cell, &row)
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return err
	}
	if err := s.auditExport(r, org, round.ID, "tiltaksplan.xlsx"); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="tiltaksplan-%s-%s.xlsx"`, org.Code, round.ID))
	_, err = w.Write(buf.Bytes())
	return err
}

// safeXLSX keeps a cell from starting like a formula.
func safeXLSX(s string) string {
	if s != "" && strings.ContainsRune("=+-@", rune(s[0])) {
		return "'" + s
	}
	return s
}

// measureText is the text a measure is shown with: NSM's own, else the
// editors' summary, else nothing (the number alone).
func measureText(m store.RoundMeasure) string {
	if m.Title != "" {
		return m.Title
	}
	return m.Summary
}

// surveyPlanPDF prints the plan page to PDF in headless Chromium.
func (s *Server) surveyPlanPDF(w http.ResponseWriter, r *http.Request) error {
	if s.cfg.PDF == nil {
		return fault.WithUser(fault.NotFound, "Denne tjeneren kan ikke lage PDF (Chromium mangler). Last ned regnearket i stedet.", errors.New("no PDF printer"))
	}
	round, org, items, err := s.plan(r)
	if err != nil {
		return err
	}
	var page bytes.Buffer
	if err := s.printPlan.Execute(&page, planPrint{Round: round, Org: org, Items: items, Made: norDateTime(s.now(), s.loc)}); err != nil {
		return fault.E(fault.Internal, fmt.Errorf("render plan for print: %w", err))
	}
	dir, err := os.MkdirTemp("", "grunnlag-plan-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	htmlPath, pdfPath := filepath.Join(dir, "plan.html"), filepath.Join(dir, "plan.pdf")
	if err := os.WriteFile(htmlPath, page.Bytes(), 0o600); err != nil {
		return err
	}
	if err := s.cfg.PDF.PrintPDF(r.Context(), htmlPath, pdfPath); err != nil {
		return fault.WithUser(fault.Unavailable, "PDF-en kunne ikke lages nå. Prøv igjen, eller last ned regnearket.", err)
	}
	b, err := os.ReadFile(pdfPath)
	if err != nil {
		return err
	}
	if err := s.auditExport(r, org, round.ID, "tiltaksplan.pdf"); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="tiltaksplan-%s-%s.pdf"`, org.Code, round.ID))
	_, err = w.Write(b)
	return err
}

// auditExport records an export of an organisation's data.
func (s *Server) auditExport(r *http.Request, org store.Organisation, roundID, what string) error {
	return s.cfg.Auth.Audit().Record(r.Context(), principalOf(r).Actor(), "export", "runde:"+roundID, org.Code, what)
}

// analysisPage shows a round's aggregates to analysts.
type analysisPage struct {
	base
	Round     *survey.Round
	Agg       *survey.Aggregates
	Kinds     []analysisKind
	TopGaps   []gapLine
	NationalN int
}

type analysisKind struct {
	Kind, Title string
	Groups      []survey.Group
}

type gapLine struct {
	Measure store.RoundMeasure
	Share   float64 // of the country, not Ja
}

func (*analysisPage) template() string { return "survey_analysis" }

func (s *Server) surveyAnalysis(w http.ResponseWriter, r *http.Request) error {
	if err := s.surveyOn(); err != nil {
		return err
	}
	a, err := s.cfg.Survey.Aggregates(r.Context(), r.PathValue("round"))
	if err != nil {
		return err
	}
	title := "Kartlegging: " + a.Round.Name
	if a.Pending {
		return s.render(w, http.StatusOK, analysisPageOf(a, title))
	}
	// A closed round's aggregates never change while the service keeps
	// them: the page's content is made once.
	body, err := s.memo.remember(aggregatesMemoKey{"page", a}, func() ([]byte, error) {
		return s.pages.content(analysisPageOf(a, title))
	})
	if err != nil {
		return err
	}
	pg := &prerendered{Content: template.HTML(body)}
	pg.setBase(title, "kartlegging")
	return s.render(w, http.StatusOK, pg)
}

// analysisPageOf lays out a round's aggregates for analysts: the groups of
// each kind and the most common gaps.
func analysisPageOf(a *survey.Aggregates, title string) *analysisPage {
	pg := &analysisPage{Round: a.Round, Agg: a}
	titles := map[string]string{survey.GroupNational: "Hele landet", survey.GroupSizeClass: "Etter kommunestørrelse",
		survey.GroupCounty: "Etter fylke", survey.GroupProvider: "Etter IT-leverandør"}
	for _, k := range survey.GroupKinds() {
		pg.Kinds = append(pg.Kinds, analysisKind{Kind: k, Title: titles[k], Groups: a.Of(k)})
	}
	// The most common gaps: the measures most of the country has not
	// answered Ja, where the country may be shown.
	if nat := a.Of(survey.GroupNational); len(nat) == 1 && !nat[0].Suppressed && nat[0].N > 0 {
		pg.NationalN = nat[0].N
		for _, m := range a.Round.Measures {
			yes := nat[0].Options[m.Measure][store.AnswerYes] + nat[0].Options[m.Measure][store.AnswerNotRelevant]
			pg.TopGaps = append(pg.TopGaps, gapLine{m, 1 - float64(yes)/float64(nat[0].N)})
		}
		slices.SortStableFunc(pg.TopGaps, func(a, b gapLine) int {
			switch {
			case a.Share > b.Share:
				return -1
			case a.Share < b.Share:
				return 1
			}
			return 0
		})
		pg.TopGaps = pg.TopGaps[:min(10, len(pg.TopGaps))]
	}
	pg.setBase(title, "kartlegging")
	return pg
}

// apiGroup is one group of GET /api/v1/rounds/{id}/aggregates.
type apiGroup struct {
	Group      string                    `json:"group"`
	Key        string                    `json:"key"`
	Label      string                    `json:"label"`
	N          int                       `json:"n"`
	Suppressed bool                      `json:"suppressed"`
	Reason     string                    `json:"reason,omitempty"`
	Principles map[string]apiStat        `json:"principles,omitempty"`
	Categories map[string]apiStat        `json:"categories,omitempty"`
	Options    map[string]map[string]int `json:"options,omitempty"`
}

type apiStat struct {
	N      int     `json:"n"`
	Median float64 `json:"median"`
	Q1     float64 `json:"q1"`
	Q3     float64 `json:"q3"`
}

// apiAggregates answers analysts and leads: the round's groups of one
// kind, each suppressed or with its figures.
func (s *Server) apiAggregates(w http.ResponseWriter, r *http.Request) error {
	if err := s.surveyOn(); err != nil {
		return err
	}
	kind := r.URL.Query().Get("group")
	if kind == "" {
		kind = survey.GroupNational
	}
	if !slices.Contains(survey.GroupKinds(), kind) {
		return fault.WithUser(fault.Invalid, "group må være national, size_class, county eller provider.", fmt.Errorf("group %q", kind))
	}
	a, err := s.cfg.Survey.Aggregates(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	if a.Pending {
		return fault.WithUser(fault.Conflict, "Runden er ikke avsluttet; tall for grupper publiseres når den er det.",
			fmt.Errorf("aggregates of round %s before it closed", a.Round.ID))
	}
	// A closed round's aggregates never change while the service keeps
	// them: their answer is encoded once per group kind.
	body, err := s.memo.remember(aggregatesMemoKey{"api:" + kind, a}, func() ([]byte, error) {
		return encodeJSON(apiGroups(a, kind))
	})
	if err != nil {
		return err
	}
	writeJSONBytes(w, http.StatusOK, body)
	return nil
}

// aggregatesMemoKey is what a part made from a closed round's aggregates
// is made from: which part (a fixed name, with a group kind from the
// fixed list), and the aggregates.
type aggregatesMemoKey struct {
	part string
	agg  *survey.Aggregates
}

// apiGroups are the groups of one kind as the API gives them.
func apiGroups(a *survey.Aggregates, kind string) []apiGroup {
	cats := map[string]bool{}
	for _, c := range a.Round.Categories {
		cats[c.ID] = true
	}
	out := []apiGroup{}
	for _, g := range a.Of(kind) {
		ag := apiGroup{Group: g.Kind, Key: g.Key, Label: g.Label, N: g.N, Suppressed: g.Suppressed, Reason: g.Reason}
		if !g.Suppressed {
			ag.Principles, ag.Categories, ag.Options = map[string]apiStat{}, map[string]apiStat{}, g.Options
			for key, st := range g.Scores {
				v := apiStat{st.N, st.Median, st.Q1, st.Q3}
				switch {
				case key == "":
				case cats[key]:
					ag.Categories[key] = v
				default:
					ag.Principles[key] = v
				}
			}
		}
		out = append(out, ag)
	}
	return out
}

// planPrint is the plan as printed to PDF: a page of its own, with its
// styles in it, since the printer reads it from a file.
type planPrint struct {
	Round *survey.Round
	Org   store.Organisation
	Items []survey.PlanItem
	Made  string
}

//go:embed print/plan.html
var planPrintHTML string

// parsePrint parses the print template of the plan.
func parsePrint() (*template.Template, error) {
	return template.New("plan").Funcs(template.FuncMap{
		"measuretext": measureText,
		"answer":      survey.AnswerLabel,
		"service":     survey.ServiceLabel,
		"pct":         func(f float64) string { return fmt.Sprintf("%.0f %%", f*100) },
		"add":         func(a, b int) int { return a + b },
	}).Parse(planPrintHTML)
}

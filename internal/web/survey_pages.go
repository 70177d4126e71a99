package web

import (
	"fmt"
	"net/http"
	"slices"

	"github.com/grunnlag/grunnlag/internal/fault"
	"github.com/grunnlag/grunnlag/internal/store"
	"github.com/grunnlag/grunnlag/internal/survey"
)

// surveyRoundsPage lists the rounds for the active organisation with its
// progress in each, the organisations an analyst may read under a grant,
// and, for an administrator, the way to the rounds' administration.
type surveyRoundsPage struct {
	base
	OrgName   string // the active organisation; "" for none
	Rounds    []roundLine
	Grants    []grantLine
	Admin     bool
	OtherOrgs bool // the person has roles in other organisations too
}

type roundLine struct {
	ID, Name string
	State    string
	Progress survey.Progress
	Percent  int
}

// grantLine is an organisation an analyst may read, with the rounds to
// read it in.
type grantLine struct {
	OrgCode, OrgName string
	Until            string
	Reason           string
	Rounds           []store.Round
}

func (*surveyRoundsPage) template() string { return "survey_rounds" }

func (s *Server) surveyRounds(w http.ResponseWriter, r *http.Request) error {
	svc, err := s.surveyService()
	if err != nil {
		return err
	}
	p := principalOf(r)
	ctx := r.Context()
	all, err := svc.Rounds(ctx)
	if err != nil {
		return err
	}
	rounds := slices.DeleteFunc(slices.Clone(all), func(x store.Round) bool { return x.Status == store.RoundDraft })
	pg := &surveyRoundsPage{Admin: p.Has(store.RoleAdmin), OtherOrgs: len(p.Orgs()) > 1}
	if p.MemberOf(p.OrgID) {
		org, err := s.activeOrg(r)
		if err != nil {
			return err
		}
		pg.OrgName = org.Name
		for _, rd := range rounds {
			v, err := svc.Current(ctx, p, rd.ID, org)
			if err != nil {
				return err
			}
			o := &orgRound{p: p, org: org, view: v}
			prog := progressOf(o, "", answeredMeasures(org, v.Round))
			pg.Rounds = append(pg.Rounds, roundLine{ID: rd.ID, Name: rd.Name, State: s.roundState(v), Progress: prog, Percent: percent(prog)})
		}
	}
	if p.Has(store.RoleAnalyst) {
		grants, err := s.cfg.Accounts.Grants(ctx)
		if err != nil {
			return err
		}
		now := s.now()
		for _, g := range grants {
			if g.UserID != p.User.ID || !g.RevokedAt.IsZero() || !now.Before(g.ExpiresAt) || now.Before(g.GrantedAt) {
				continue
			}
			o, err := s.cfg.Accounts.Organisation(ctx, g.OrgCode)
			if err != nil {
				return err
			}
			pg.Grants = append(pg.Grants, grantLine{OrgCode: g.OrgCode, OrgName: o.Name, Until: norDate(g.ExpiresAt.Add(-1), s.loc), Reason: g.Reason, Rounds: rounds})
		}
	}
	pg.setBase("Kartlegging", "kartlegging")
	return s.render(w, http.StatusOK, pg)
}

// answeredMeasures returns the round's measures the organisation answers.
func answeredMeasures(org store.Organisation, rd *survey.Round) []store.RoundMeasure {
	var out []store.RoundMeasure
	for _, m := range rd.Measures {
		if answers(org, m) {
			out = append(out, m)
		}
	}
	return out
}

// surveyOverviewPage is the organisation's overview of a round: progress
// by category and principle, who answers what, the deadline, and what the
// lead can do.
type surveyOverviewPage struct {
	base
	RoundID    string
	OrgName    string
	State      string
	Open       bool
	Extended   string // the organisation's own last day, when later than the round's
	Total      survey.Progress
	Percent    int
	Categories []categoryLine
	// Changed lists the measures whose IT provider changed its answer
	// after the organisation submitted: shown, not applied.
	Changed   []providerChange
	Lead      bool
	Provider  bool // the organisation is an IT provider
	Submitted bool // the profile and the plan are there once submitted
	Notice    string
}

type categoryLine struct {
	ID, Title  string
	Progress   survey.Progress
	Principles []principleLine
}

type principleLine struct {
	ID, Title string
	URL       string
	Progress  survey.Progress
	Percent   int
	// Inherited says which answers come from IT providers, per provider:
	// "3 svar fra IT-leverandøren X".
	Inherited []string
	Changed   int
}

// providerChange is an answer an IT provider changed after the
// organisation took it over at submission.
type providerChange struct {
	Measure, URL string
	Provider     string
	Own, Current string // the organisation's answer and the provider's current one
}

func (*surveyOverviewPage) template() string { return "survey_round" }

func (s *Server) surveyOverview(w http.ResponseWriter, r *http.Request) error {
	o, err := s.memberView(r)
	if err != nil {
		return err
	}
	v := o.view
	rd := v.Round
	pg := &surveyOverviewPage{RoundID: rd.ID, OrgName: o.org.Name, State: s.roundState(v), Open: v.Open,
		Lead: o.p.HasIn(store.RoleLead, o.org.ID), Provider: o.org.Kind == store.Provider, Submitted: !v.Submitted.IsZero()}
	if v.ClosesOn > rd.ClosesOn {
		pg.Extended = s.dayText(v.ClosesOn)
	}
	pg.Total = progressOf(o, "", answeredMeasures(o.org, rd))
	pg.Percent = percent(pg.Total)
	for _, c := range principlesFor(o.org, rd) {
		var cms []store.RoundMeasure
		cl := categoryLine{ID: c.ID, Title: c.Title}
		for _, pr := range c.Principles {
			cms = append(cms, pr.Measures...)
			pl := principleLine{ID: pr.ID, Title: pr.Title, URL: "/kartlegging/" + rd.ID + "/" + pr.ID, Progress: progressOf(o, pr.ID, pr.Measures)}
			pl.Percent = percent(pl.Progress)
			from := map[string]int{}
			var names []string
			for _, m := range pr.Measures {
				e := v.Answers[m.Measure]
				if e == nil {
					continue
				}
				if e.From != "" {
					if from[e.From] == 0 {
						names = append(names, e.From)
					}
					from[e.From]++
				}
				if e.ProviderChanged {
					pl.Changed++
					pg.Changed = append(pg.Changed, providerChange{Measure: m.Measure, URL: pl.URL + "#tiltak-" + fieldKey(m.Measure),
						Provider: e.Provider.ProviderName, Own: survey.AnswerLabel(e.Answer.Answer), Current: survey.AnswerLabel(e.Provider.Answer.Answer)})
				}
			}
			for _, n := range names {
				pl.Inherited = append(pl.Inherited, plural(from[n], "svar", "svar")+" fra IT-leverandøren "+n)
			}
			cl.Principles = append(cl.Principles, pl)
		}
		cl.Progress = progressOf(o, c.ID, cms)
		pg.Categories = append(pg.Categories, cl)
	}
	q := r.URL.Query()
	switch {
	case q.Get("sendt") == "1" && !v.Submitted.IsZero():
		pg.Notice = "Svarene er sendt inn. Takk!"
	case q.Get("lastet-opp") == "1":
		pg.Notice = "Svarene i filen er lest inn."
	}
	pg.setBase(rd.Name, "kartlegging")
	return s.render(w, http.StatusOK, pg)
}

// errNoPrinciple is the answer for a principle the round does not have,
// or that the organisation does not answer (an IT provider answers only
// some).
func errNoPrinciple(roundID, id string) error {
	return fault.WithUser(fault.NotFound, "Runden har ikke prinsipp «"+id+"» for organisasjonen din.",
		fmt.Errorf("round %s has no principle %q the organisation answers", roundID, id))
}

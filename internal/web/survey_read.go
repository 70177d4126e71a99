package web

import (
	"errors"
	"net/http"

	"github.com/grunnlag/grunnlag/internal/fault"
	"github.com/grunnlag/grunnlag/internal/survey"
)

// surveyAnswersPage shows every answer of one organisation in a round,
// read only: to an analyst under a grant (the service writes the read to
// the audit log before it reads), or to a member of the organisation who
// is acting for another.
type surveyAnswersPage struct {
	base
	RoundID    string
	OrgName    string
	OrgCode    string
	ReadFor    string // the grant's reason, when the reader is not a member
	State      string
	Total      survey.Progress
	Categories []answerCategory
}

type answerCategory struct {
	ID, Title  string
	Principles []answerPrinciple
}

type answerPrinciple struct {
	ID, Title string
	Progress  survey.Progress
	Measures  []answerLine
}

type answerLine struct {
	measureEntry
	Answer string
	From   string // "fra IT-leverandøren X", or ""
	Note   string // the provider changed its answer after submission
}

func (*surveyAnswersPage) template() string { return "survey_answers" }

// errNoAnswers is the refusal of another organisation's answers. An
// organisation that does not exist gets the same answer as one the reader
// may not read, so the page tells nothing to someone without a grant.
var errNoAnswers = fault.WithUser(fault.Forbidden, "Du har ikke tilgang til denne organisasjonens svar.", errors.New("no such organisation, or no role or grant for it"))

func (s *Server) surveyRead(w http.ResponseWriter, r *http.Request) error {
	svc, rd, err := s.memberRound(r)
	if err != nil {
		return err
	}
	p := principalOf(r)
	org, err := s.cfg.Accounts.Organisation(r.Context(), r.PathValue("code"))
	if fault.Is(err, fault.NotFound) {
		return errNoAnswers
	}
	if err != nil {
		return err
	}
	if org.ID == p.OrgID {
		http.Redirect(w, r, "/kartlegging/"+rd.ID, http.StatusSeeOther)
		return nil
	}
	v, err := svc.View(r.Context(), p, rd.ID, org)
	if fault.Is(err, fault.Forbidden) || fault.Is(err, fault.NotFound) {
		return errNoAnswers
	}
	if err != nil {
		return err
	}
	o := &orgRound{svc: svc, p: p, org: org, view: v}
	pg := &surveyAnswersPage{RoundID: rd.ID, OrgName: org.Name, OrgCode: org.Code, ReadFor: v.RawReadFor, State: s.roundState(v),
		Total: progressOf(o, "", answeredMeasures(org, rd))}
	for _, c := range principlesFor(org, rd) {
		ac := answerCategory{ID: c.ID, Title: c.Title}
		for _, pr := range c.Principles {
			ap := answerPrinciple{ID: pr.ID, Title: pr.Title, Progress: progressOf(o, pr.ID, pr.Measures)}
			for _, m := range pr.Measures {
				l := answerLine{measureEntry: textOf(m), Answer: "ikke besvart"}
				if e := v.Answers[m.Measure]; e != nil && e.Given {
					l.Answer = answerText(e.Answer, rd.Settings.Levels)
					if e.From != "" {
						l.From = "fra IT-leverandøren " + e.From
					}
					if e.ProviderChanged {
						l.Note = "IT-leverandøren har endret svaret til " + answerText(e.Provider.Answer, rd.Settings.Levels) + " etter innsendingen."
					}
				}
				ap.Measures = append(ap.Measures, l)
			}
			ac.Principles = append(ac.Principles, ap)
		}
		pg.Categories = append(pg.Categories, ac)
	}
	pg.setBase("Svarene til "+org.Name, "kartlegging")
	return s.render(w, http.StatusOK, pg)
}

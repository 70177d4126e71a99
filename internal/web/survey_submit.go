package web

import (
	"net/http"

	"github.com/grunnlag/grunnlag/internal/fault"
	"github.com/grunnlag/grunnlag/internal/survey"
)

// surveySubmitPage asks the lead to confirm the submission, listing the
// measures still unanswered and the answers that come from IT providers
// (they become the organisation's own at submission).
type surveySubmitPage struct {
	base
	RoundID   string
	OrgName   string
	State     string
	Open      bool
	Total     survey.Progress
	Missing   []missingPrinciple
	Inherited int
	Error     string
}

type missingPrinciple struct {
	ID, Title, URL string
	Measures       []measureEntry
}

func (*surveySubmitPage) template() string { return "survey_submit" }

func (s *Server) surveySubmitPage(w http.ResponseWriter, r *http.Request) error {
	o, err := s.memberView(r)
	if err != nil {
		return err
	}
	return s.renderSubmit(w, http.StatusOK, o, "")
}

func (s *Server) renderSubmit(w http.ResponseWriter, status int, o *orgRound, errMsg string) error {
	v := o.view
	rd := v.Round
	pg := &surveySubmitPage{RoundID: rd.ID, OrgName: o.org.Name, State: s.roundState(v), Open: v.Open,
		Total: progressOf(o, "", answeredMeasures(o.org, rd)), Error: errMsg}
	for _, c := range principlesFor(o.org, rd) {
		for _, pr := range c.Principles {
			mp := missingPrinciple{ID: pr.ID, Title: pr.Title, URL: "/kartlegging/" + rd.ID + "/" + pr.ID}
			for _, m := range pr.Measures {
				e := v.Answers[m.Measure]
				switch {
				case e == nil || !e.Given:
					mp.Measures = append(mp.Measures, textOf(m))
				case e.From != "" && e.InheritedFrom == 0:
					pg.Inherited++
				}
			}
			if len(mp.Measures) > 0 {
				pg.Missing = append(pg.Missing, mp)
			}
		}
	}
	pg.setBase("Send inn svarene", "kartlegging")
	return s.render(w, status, pg)
}

// surveySubmit records the lead's submission (the service audits it).
func (s *Server) surveySubmit(w http.ResponseWriter, r *http.Request) error {
	o, err := s.memberView(r)
	if err != nil {
		return err
	}
	err = o.svc.Submit(r.Context(), o.p, o.view.Round.ID, o.org.ID, o.org.Code)
	if fault.Is(err, fault.Conflict) {
		return s.renderSubmit(w, http.StatusConflict, o, fault.UserMessage(err))
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/kartlegging/"+o.view.Round.ID+"?sendt=1", http.StatusSeeOther)
	return nil
}

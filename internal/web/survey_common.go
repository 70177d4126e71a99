package web

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/grunnlag/grunnlag/internal/auth"
	"github.com/grunnlag/grunnlag/internal/fault"
	"github.com/grunnlag/grunnlag/internal/store"
	"github.com/grunnlag/grunnlag/internal/survey"
)

// The self-assessment (kartlegging) pages. A person answers for their
// active organisation (chosen under «Min konto»): the organisation comes
// from the session, never from the address, so no address names another
// organisation's answers except the analyst's read under a grant
// (survey_read.go), which the service audits. Every read and write goes
// through survey.Service, whose store checks the role or grant again in
// its queries.

// surveyService returns the self-assessment service, or the answer of a
// server without one (surveyOn).
func (s *Server) surveyService() (*survey.Service, error) {
	if err := s.surveyOn(); err != nil {
		return nil, err
	}
	return s.cfg.Survey, nil
}

// roundNotFound is the answer for a round that does not exist or that
// members may not see yet (a draft): the same words, so a draft's id is
// not confirmed.
func roundNotFound(id string, err error) error {
	return fault.WithUser(fault.NotFound, fmt.Sprintf("Finner ingen runde med id «%s».", id), err)
}

// memberRound returns the round of the request's address as members see
// it: an open or closed round; a round in draft is not shown yet.
func (s *Server) memberRound(r *http.Request) (*survey.Service, *survey.Round, error) {
	svc, err := s.surveyService()
	if err != nil {
		return nil, nil, err
	}
	id := r.PathValue("round")
	rd, err := svc.Round(r.Context(), id)
	if err != nil {
		return nil, nil, err
	}
	if rd.Status == store.RoundDraft {
		return nil, nil, roundNotFound(id, fmt.Errorf("round %s is a draft", id))
	}
	return svc, rd, nil
}

// orgRound is what the member pages work from: who asks, for which
// organisation, in which round, and the organisation's answers as the
// service computes them.
type orgRound struct {
	svc  *survey.Service
	p    *auth.Principal
	org  store.Organisation
	view *survey.OrgView
}

// memberView loads the active organisation's view of the round in the
// address, without the history of changes (see memberViewOf).
func (s *Server) memberView(r *http.Request) (*orgRound, error) { return s.memberViewOf(r, false) }

// memberViewOf is memberView, with the history of changes when history is
// set (it grows with every save; only the pages that show it read it).
func (s *Server) memberViewOf(r *http.Request, history bool) (*orgRound, error) {
	svc, rd, err := s.memberRound(r)
	if err != nil {
		return nil, err
	}
	p := principalOf(r)
	org, err := s.activeOrg(r)
	if err != nil {
		return nil, err
	}
	view := svc.Current
	if history {
		view = svc.View
	}
	v, err := view(r.Context(), p, rd.ID, org)
	if err != nil {
		return nil, err
	}
	return &orgRound{svc: svc, p: p, org: org, view: v}, nil
}

// answers reports whether the organisation answers a measure: an IT
// provider answers only the measures providers answer for their members.
func answers(org store.Organisation, m store.RoundMeasure) bool {
	return org.Kind != store.Provider || m.Provider
}

// principles returns the round's principles the organisation answers,
// grouped by category; a category without any is left out.
func principlesFor(org store.Organisation, rd *survey.Round) []survey.Category {
	var out []survey.Category
	for _, c := range rd.Categories {
		cc := survey.Category{ID: c.ID, Title: c.Title}
		for _, p := range c.Principles {
			pp := survey.Principle{ID: p.ID, Title: p.Title}
			for _, m := range p.Measures {
				if answers(org, m) {
					pp.Measures = append(pp.Measures, m)
				}
			}
			if len(pp.Measures) > 0 {
				cc.Principles = append(cc.Principles, pp)
			}
		}
		if len(cc.Principles) > 0 {
			out = append(out, cc)
		}
	}
	return out
}

// progressOf counts the measures answered of those given. It is the
// service's own count (OrgView.Progress) when the organisation answers
// every measure; an IT provider's is counted over its measures only.
func progressOf(o *orgRound, key string, ms []store.RoundMeasure) survey.Progress {
	if o.org.Kind != store.Provider {
		return o.view.Progress[key]
	}
	var p survey.Progress
	for _, m := range ms {
		p.Total++
		if e := o.view.Answers[m.Measure]; e != nil && e.Given {
			p.Answered++
		}
	}
	return p
}

// percent is the share answered, for a progress bar.
func percent(p survey.Progress) int {
	if p.Total == 0 {
		return 0
	}
	return 100 * p.Answered / p.Total
}

// measureEntry is a measure's text as the round keeps it from the pack,
// with where it comes from: NSM's own wording when the pack has it, else
// the editors' summary, marked as such; a measure with neither has its
// number only. Nothing is written here that the pack does not hold.
type measureEntry struct {
	ID     string
	Text   string
	Kind   string // "nsm", "summary" or "" (no text)
	Source string // the pack reference, e.g. grunnlag/nsm.yaml:120
}

func textOf(m store.RoundMeasure) measureEntry {
	t := measureEntry{ID: m.Measure, Source: m.Source}
	switch {
	case strings.TrimSpace(m.Title) != "":
		t.Text, t.Kind = m.Title, "nsm"
	case strings.TrimSpace(m.Summary) != "":
		t.Text, t.Kind = m.Summary, "summary"
	}
	return t
}

// fieldKey turns a measure's number into a part of an HTML id or form
// field name: "1.1.3" → "1-1-3".
func fieldKey(measure string) string { return strings.ReplaceAll(measure, ".", "-") }

// dayText writes a round's date (YYYY-MM-DD) as a Norwegian reads it.
func (s *Server) dayText(d string) string {
	t, err := time.ParseInLocation("2006-01-02", d, s.loc)
	if err != nil {
		return d
	}
	return norDate(t, s.loc)
}

// clockText writes the time of day of t in Norway: "10.42".
func (s *Server) clockText(t time.Time) string {
	lt := t.In(s.loc)
	return fmt.Sprintf("%02d.%02d", lt.Hour(), lt.Minute())
}

// roundState says in a sentence where the organisation stands in the
// round: open until its last day, submitted, closed, or not yet open.
func (s *Server) roundState(v *survey.OrgView) string {
	rd := v.Round
	switch {
	case !v.Submitted.IsZero():
		return "Svarene ble sendt inn " + norDateTime(v.Submitted, s.loc) + "."
	case rd.Status == store.RoundClosed:
		return "Runden er lukket; svarene kan ikke endres."
	case v.Open:
		return "Runden er åpen. Siste dag for svar er " + s.dayText(v.ClosesOn) + "."
	case s.now().In(s.loc).Format("2006-01-02") < rd.OpensOn:
		return "Runden åpner " + s.dayText(rd.OpensOn) + "."
	}
	return "Fristen var " + s.dayText(v.ClosesOn) + ". Be en administrator om utsatt frist hvis dere trenger mer tid."
}

// answerText writes an answer as people read it: the answer, the
// maturity level, the reason and comment, the evidence.
func answerText(a store.Answer, levels []string) string {
	if a.Answer == "" {
		return "ikke besvart"
	}
	parts := []string{survey.AnswerLabel(a.Answer)}
	if a.Maturity >= 0 {
		parts = append(parts, "modenhet "+levelText(a.Maturity, levels))
	}
	if a.Reason != "" {
		parts = append(parts, "grunn: «"+a.Reason+"»")
	}
	if a.Comment != "" {
		parts = append(parts, "kommentar: «"+a.Comment+"»")
	}
	if a.Evidence != "" {
		parts = append(parts, "dokumentasjon: «"+a.Evidence+"»")
	}
	return strings.Join(parts, " · ")
}

// levelText names a maturity level with the round's wording of it.
func levelText(n int, levels []string) string {
	if n >= 0 && n < len(levels) {
		return levels[n]
	}
	return fmt.Sprint(n)
}

// lastChange returns the newest change of a measure among changes (oldest
// first), or nil.
func lastChange(changes []store.AnswerChange, measure string) *store.AnswerChange {
	for i := len(changes) - 1; i >= 0; i-- {
		if changes[i].Measure == measure {
			return &changes[i]
		}
	}
	return nil
}

// changedBy names who made a change: the person, or the command line.
func changedBy(c *store.AnswerChange) string {
	if c.ByEmail != "" {
		return c.ByEmail
	}
	return "en driftsansvarlig (kommandolinjen)"
}

package survey

import (
	"context"
	"fmt"
	"time"

	"github.com/grunnlag/grunnlag/internal/audit"
	"github.com/grunnlag/grunnlag/internal/auth"
	"github.com/grunnlag/grunnlag/internal/store"
)

// Effective is the answer that counts for an organisation: its own, or,
// before it submits, its IT provider's for the measures providers answer.
type Effective struct {
	store.Answer
	Given    bool   // there is an answer
	From     string // "" for the organisation's own; else the provider's name
	Provider *store.ProviderAnswer
	// ProviderChanged is set after submission when the provider's current
	// answer differs from the one the organisation took over: shown to the
	// organisation, never applied silently.
	ProviderChanged bool
}

// Progress counts the measures answered of all asked.
type Progress struct {
	Answered, Total int
}

// Done reports whether every measure is answered.
func (p Progress) Done() bool { return p.Total > 0 && p.Answered == p.Total }

// Score is the mean weight of the answers that count (see
// Settings.Weights); Counted is how many counted (not ikke relevant, not
// unanswered). Counted 0 means no score.
type Score struct {
	Value   float64
	Counted int
}

// OrgView is one organisation's state in a round: its effective answers,
// progress and scores by principle and category, versions for the forms,
// and its submission.
type OrgView struct {
	Round      *Round
	OrgID      int64
	Answers    map[string]*Effective // by measure
	Versions   map[string]int        // by principle
	Progress   map[string]Progress   // by principle and by category ("1"), and "" for all
	Scores     map[string]Score      // likewise
	Submitted  time.Time
	ClosesOn   string
	Open       bool // the organisation can still answer
	Changes    []store.AnswerChange
	RawReadFor string // set when the reader is not a member: the grant's reason
}

// View returns an organisation's view of a round, as p may see it. A read
// by someone who is not a member of the organisation (an analyst under a
// grant) is written to the audit log first.
func (s *Service) View(ctx context.Context, p *auth.Principal, roundID string, org store.Organisation) (*OrgView, error) {
	return s.view(ctx, p, roundID, org, true)
}

// Current is View without the history of changes (Changes is nil), for
// the pages and saves that show none: the history grows with every save
// of the round, and reading it all on every request made each request
// slower than the one before.
func (s *Service) Current(ctx context.Context, p *auth.Principal, roundID string, org store.Organisation) (*OrgView, error) {
	return s.view(ctx, p, roundID, org, false)
}

func (s *Service) view(ctx context.Context, p *auth.Principal, roundID string, org store.Organisation, history bool) (*OrgView, error) {
	r, err := s.Round(ctx, roundID)
	if err != nil {
		return nil, err
	}
	now := s.now()
	readFor := ""
	if !p.MemberOf(org.ID) {
		if readFor, err = s.rawRead(ctx, p, roundID, org); err != nil {
			return nil, err
		}
	}
	oa, err := s.st.OrgAnswers(ctx, p.User.ID, roundID, org.ID, now)
	if err != nil {
		return nil, err
	}
	var changes []store.AnswerChange
	if history {
		if changes, err = s.st.AnswerHistory(ctx, p.User.ID, roundID, org.ID, now); err != nil {
			return nil, err
		}
	}
	v := build(r, org.ID, oa)
	v.Changes, v.RawReadFor = changes, readFor
	today := now.In(oslo()).Format("2006-01-02")
	v.Open = r.Status == store.RoundOpen && v.Submitted.IsZero() && today >= r.OpensOn && today <= v.ClosesOn
	return v, nil
}

// rawRead lets p, who is not a member of org, read its answers in a round
// under an active grant, and writes the read to the audit log first. It
// returns the grant's reason.
func (s *Service) rawRead(ctx context.Context, p *auth.Principal, roundID string, org store.Organisation) (string, error) {
	g, err := s.acc.ActiveGrant(ctx, p.User.ID, org.ID, s.now())
	if err != nil {
		return "", err
	}
	if err := s.log.Record(ctx, p.Actor(), "answers.read", "runde:"+roundID, org.Code, fmt.Sprintf("tilgang %d: %s", g.ID, g.Reason)); err != nil {
		return "", err
	}
	return g.Reason, nil
}

// OperatorView returns an organisation's view of a round for the command
// line (an operator of the deployment), audited as a read of raw answers.
func (s *Service) OperatorView(ctx context.Context, by audit.Actor, roundID string, org store.Organisation) (*OrgView, error) {
	r, err := s.Round(ctx, roundID)
	if err != nil {
		return nil, err
	}
	if err := s.log.Record(ctx, by, "answers.read", "runde:"+roundID, org.Code, "eksport fra kommandolinjen"); err != nil {
		return nil, err
	}
	oa, err := s.st.OrgAnswers(ctx, store.Operator, roundID, org.ID, s.now())
	if err != nil {
		return nil, err
	}
	return build(r, org.ID, oa), nil
}

// build computes the effective answers, progress and scores.
func build(r *Round, orgID int64, oa store.OrgAnswers) *OrgView {
	v := &OrgView{Round: r, OrgID: orgID, Answers: map[string]*Effective{}, Versions: oa.Versions,
		Progress: map[string]Progress{}, Scores: map[string]Score{}, Submitted: oa.Submitted, ClosesOn: oa.ClosesOn}
	for _, m := range r.Measures {
		v.Answers[m.Measure] = &Effective{}
	}
	for _, a := range oa.Own {
		if e := v.Answers[a.Measure]; e != nil {
			e.Answer, e.Given = a, true
		}
	}
	for i := range oa.FromProvider {
		pa := &oa.FromProvider[i]
		e := v.Answers[pa.Measure]
		if e == nil || e.Provider != nil {
			continue // of two providers, the first (by code)
		}
		e.Provider = pa
		switch {
		case !e.Given && v.Submitted.IsZero():
			e.Answer, e.Given, e.From = pa.Answer, true, pa.ProviderName
		case e.Given && e.InheritedFrom == pa.ProviderID:
			e.From = pa.ProviderName
			e.ProviderChanged = pa.Answer.Answer != e.Answer.Answer || pa.Maturity != e.Maturity
		}
	}
	type acc struct {
		p       Progress
		sum     float64
		counted int
	}
	sums := map[string]*acc{}
	add := func(key string, e *Effective) {
		a := sums[key]
		if a == nil {
			a = &acc{}
			sums[key] = a
		}
		a.p.Total++
		if !e.Given {
			return
		}
		a.p.Answered++
		if w, ok := r.Settings.Weights[e.Answer.Answer]; ok {
			a.sum += w
			a.counted++
		}
	}
	for _, m := range r.Measures {
		e := v.Answers[m.Measure]
		add(m.Principle, e)
		add(m.Category, e)
		add("", e)
	}
	for k, a := range sums {
		v.Progress[k] = a.p
		if a.counted > 0 {
			v.Scores[k] = Score{Value: a.sum / float64(a.counted), Counted: a.counted}
		}
	}
	return v
}

// oslo is Norway's time zone: a round's dates are Norwegian days.
func oslo() *time.Location {
	if loc, err := time.LoadLocation("Europe/Oslo"); err == nil {
		return loc
	}
	return time.UTC
}

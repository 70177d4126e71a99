package survey

import (
	"context"
	"errors"

	"github.com/grunnlag/grunnlag/internal/auth"
	"github.com/grunnlag/grunnlag/internal/fault"
	"github.com/grunnlag/grunnlag/internal/store"
)

// Profile is a municipality's own picture after it submitted: its scores
// by category and principle, beside the spread of its peers — the same
// size class, its county, the country — where those groups may be shown,
// and the change since its previous round.
type Profile struct {
	View      *OrgView
	Org       store.Organisation
	SizeClass string
	Peers     []Group // size class, county, country (each may be suppressed)
	K         int
	// Pending: the round is open, so no group has figures yet (see
	// Aggregates).
	Pending bool
	// Previous is the organisation's scores in the newest earlier round it
	// submitted (nil when none), and Unmapped the measures of this round
	// that round did not ask (their change cannot be told).
	Previous      map[string]Score
	PreviousRound *store.Round
	Unmapped      []string
}

// errNotSubmitted answers a profile asked for before submission.
var errNotSubmitted = fault.WithUser(fault.Conflict,
	"Profilen viser dere ved siden av andre kommuner når svarene er sendt inn. Send inn svarene først.",
	errors.New("profile before submission"))

// Profile returns an organisation's profile in a round, as p may see it
// (the same checks as View: a member, or an analyst under an audited
// grant).
func (s *Service) Profile(ctx context.Context, p *auth.Principal, roundID string, org store.Organisation) (*Profile, error) {
	v, err := s.Current(ctx, p, roundID, org)
	if err != nil {
		return nil, err
	}
	if v.Submitted.IsZero() {
		return nil, errNotSubmitted
	}
	a, err := s.Aggregates(ctx, roundID)
	if err != nil {
		return nil, err
	}
	pr := &Profile{View: v, Org: org, SizeClass: v.Round.Settings.SizeClassOf(org.Population), K: a.K, Pending: a.Pending}
	for _, want := range []struct{ kind, key string }{
		{GroupSizeClass, pr.SizeClass}, {GroupCounty, org.County}, {GroupNational, ""},
	} {
		if want.kind != GroupNational && want.key == "" {
			continue
		}
		if g, ok := a.group(want.kind, want.key); ok {
			pr.Peers = append(pr.Peers, g)
		}
	}
	// The earlier rounds of a municipality are its members' to compare; a
	// reader under a grant sees the round the grant was used for.
	if p.MemberOf(org.ID) {
		if err := s.previous(ctx, p, v, org, pr); err != nil {
			return nil, err
		}
	}
	return pr, nil
}

// previous fills in the organisation's scores in its newest earlier round.
func (s *Service) previous(ctx context.Context, p *auth.Principal, v *OrgView, org store.Organisation, pr *Profile) error {
	rounds, err := s.st.Rounds(ctx)
	if err != nil {
		return err
	}
	for i := range rounds {
		r := rounds[i]
		if r.ID == v.Round.ID || r.ClosesOn >= v.Round.OpensOn {
			continue
		}
		old, err := s.Round(ctx, r.ID)
		if err != nil {
			return err
		}
		oa, err := s.st.OrgAnswers(ctx, p.User.ID, r.ID, org.ID, s.now())
		if err != nil {
			return err
		}
		if oa.Submitted.IsZero() {
			continue
		}
		pv := build(old, org.ID, oa)
		pr.Previous, pr.PreviousRound = pv.Scores, &rounds[i]
		asked := map[string]bool{}
		for _, m := range old.Measures {
			asked[m.Measure] = true
		}
		for _, m := range v.Round.Measures {
			if !asked[m.Measure] {
				pr.Unmapped = append(pr.Unmapped, m.Measure)
			}
		}
		return nil
	}
	return nil
}

package survey

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/grunnlag/grunnlag/internal/auth"
	"github.com/grunnlag/grunnlag/internal/fault"
	"github.com/grunnlag/grunnlag/internal/store"
)

// Profile is a municipality's own picture after it submitted: its scores
// by category and principle, beside the spread of its peers — the same
// size class, its county, the country — where those groups may be shown,
// and the change since its previous round. It holds no answer, comment or
// evidence: only scores.
type Profile struct {
	Round     *Round
	Org       store.Organisation
	Scores    map[string]Score // by principle, by category, and "" for all
	Submitted time.Time
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

	kept *keptProfile // set on a closed round's kept profile
}

// Kept returns the same value for every look at one kept profile of a
// closed round, and nil for a profile that is not kept: a page made from
// the profile may be kept under it, since the profile cannot change.
func (p *Profile) Kept() any {
	if p.kept == nil {
		return nil
	}
	return p.kept
}

// errNotSubmitted answers a profile asked for before submission.
var errNotSubmitted = fault.WithUser(fault.Conflict,
	"Profilen viser dere ved siden av andre kommuner når svarene er sendt inn. Send inn svarene først.",
	errors.New("profile before submission"))

// Profile returns an organisation's profile in a round, as p may see it
// (the same checks as View: a member, or an analyst under an audited
// grant). The *Profile may be shared: callers must not change it.
//
// A closed round's profile cannot change while its aggregates stay the
// same, and on the deadline's day after it every lead looks at theirs, so
// it is kept with the aggregates it was made from (see profiles). A
// reader is still checked on every call: a member by its roles, anyone
// else by a grant, audited; and each reader's first look is the store's
// own checked read.
func (s *Service) Profile(ctx context.Context, p *auth.Principal, roundID string, org store.Organisation) (*Profile, error) {
	r, err := s.Round(ctx, roundID)
	if err != nil {
		return nil, err
	}
	member := p.MemberOf(org.ID)
	var a *Aggregates
	if r.Status == store.RoundClosed {
		if a, err = s.Aggregates(ctx, roundID); err != nil {
			return nil, err
		}
		if kept, ok := a.kept.get(org.ID, member, p.User.ID); ok {
			if !member {
				if _, err := s.rawRead(ctx, p, roundID, org); err != nil {
					return nil, err
				}
			}
			pr := *kept
			pr.Org = org
			return &pr, nil
		}
	}
	v, err := s.Current(ctx, p, roundID, org)
	if err != nil {
		return nil, err
	}
	if v.Submitted.IsZero() {
		return nil, errNotSubmitted
	}
	if a == nil {
		if a, err = s.Aggregates(ctx, roundID); err != nil {
			return nil, err
		}
	}
	pr := &Profile{Round: v.Round, Org: org, Scores: v.Scores, Submitted: v.Submitted,
		SizeClass: v.Round.Settings.SizeClassOf(org.Population), K: a.K, Pending: a.Pending}
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
	if member {
		if err := s.previous(ctx, p, v, org, pr); err != nil {
			return nil, err
		}
	}
	if !a.Pending && v.Round.Status == store.RoundClosed {
		kept := *a.kept.put(org.ID, member, p.User.ID, pr)
		kept.Org = org
		return &kept, nil
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

// profiles are the profiles made from one state of a closed round's
// aggregates, by organisation and by whether the reader was a member (a
// member's profile has the change since the previous round; a granted
// reader's has not). Each remembers the readers the store let read the
// organisation's answers, so that another reader's first look goes to the
// store and its checks. They go with the aggregates: when those are
// computed anew (a minute on), so are the profiles.
type profiles struct {
	mu sync.Mutex
	m  map[profileKey]*keptProfile
}

type profileKey struct {
	org    int64
	member bool
}

type keptProfile struct {
	pr      *Profile
	readers map[int64]bool // user ids
}

// maxKeptProfiles bounds the profiles kept of one round: about three per
// organisation of the registers (member's, granted reader's, spare).
const maxKeptProfiles = 4096

func (ps *profiles) get(org int64, member bool, user int64) (*Profile, bool) {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	k := ps.m[profileKey{org, member}]
	if k == nil || !k.readers[user] {
		return nil, false
	}
	return k.pr, true
}

// put keeps pr for org, unless one is kept already, and lets user read
// it. It returns the profile kept.
func (ps *profiles) put(org int64, member bool, user int64, pr *Profile) *Profile {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	key := profileKey{org, member}
	k := ps.m[key]
	if k == nil {
		if len(ps.m) >= maxKeptProfiles {
			for other := range ps.m { // any one: the next look makes it again
				delete(ps.m, other)
				break
			}
		}
		k = &keptProfile{readers: map[int64]bool{}}
		kp := *pr
		kp.kept = k
		k.pr = &kp
		ps.m[key] = k
	}
	k.readers[user] = true
	return k.pr
}

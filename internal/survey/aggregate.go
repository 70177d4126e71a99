package survey

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"time"

	"github.com/grunnlag/grunnlag/internal/disclosure"
	"github.com/grunnlag/grunnlag/internal/store"
)

// Aggregates are what analysts, leads, the API and the report may see of a
// round: figures over groups of municipalities that submitted — the
// country, each size class, each county, each IT provider's members —
// never over fewer than k, directly or by subtracting one published figure
// from another (package disclosure decides, over every group at once).
// Free-text answers (comments, reasons, evidence) are never part of an
// aggregate.

// The kinds of groups.
const (
	GroupNational  = "national"
	GroupSizeClass = "size_class"
	GroupCounty    = "county"
	GroupProvider  = "provider"
)

// GroupKinds are the kinds of groups, in the order pages show them.
func GroupKinds() []string {
	return []string{GroupNational, GroupSizeClass, GroupCounty, GroupProvider}
}

// Stat is the spread of the organisations' scores in a group: the median
// and the quartiles (the middle half lies between Q1 and Q3), over N
// organisations.
type Stat struct {
	N              int
	Median, Q1, Q3 float64
}

// Group is one aggregate.
type Group struct {
	Kind  string
	Key   string // "" for the country; a size class label; a county number; a provider code
	Label string // for people: "Hele landet", "Vestland", ...
	N     int    // organisations in the group that submitted
	// Suppressed groups carry no figures; Reason says why in bokmål.
	Suppressed bool
	Reason     string
	// Scores by principle, by category and "" for all, when every
	// organisation of the group has a score there (else the cell is
	// absent: a figure over part of a group could rest on fewer than k).
	Scores map[string]Stat
	// Options counts, by measure, the organisations that gave each answer
	// ("" for unanswered), so that each measure's counts sum to N.
	Options map[string]map[string]int
}

// Aggregates are all the groups of a round. A round's groups are only
// computed once it is closed: while it is open, each new submission would
// change a group's figures, and yesterday's figure beside today's would
// give away the answers of whoever submitted in between. A closed round
// never changes, so its figures are published once.
type Aggregates struct {
	Round     *Round
	K         int
	Submitted int  // organisations that submitted (all kinds)
	Pending   bool // the round is not closed: no groups yet
	Groups    []Group
	// members and scores are kept for Profile and Plan: which group an
	// organisation is in, and each organisation's scores. Never shown.
	members map[string][]int64 // group key (kind/key) → organisation ids
	scores  map[int64]map[string]Score
	orgs    map[int64]store.Organisation
	// kept are the profiles made from these aggregates (closed rounds).
	kept *profiles
}

// Aggregates returns a round's aggregates, computed from the submitted
// answers. They are kept until a submission changes (checked on every
// call) or a minute has passed (organisations and memberships change
// rarely). A closed round's submissions never change, so its aggregates
// are not checked against them; once their minute has passed, the next
// call computes them anew while the calls that come meanwhile take the
// ones kept, instead of every request computing them at once.
func (s *Service) Aggregates(ctx context.Context, roundID string) (*Aggregates, error) {
	if a, ok := s.keptClosed(roundID); ok {
		return a, nil
	}
	subs, err := s.st.Submissions(ctx, roundID)
	if err != nil {
		s.refreshed(roundID, nil, "")
		return nil, err
	}
	stamp := submissionStamp(subs)
	s.mu.Lock()
	c, ok := s.aggs[roundID]
	s.mu.Unlock()
	if ok && c.stamp == stamp && s.now().Sub(c.at) < time.Minute {
		return c.a, nil
	}
	a, err := s.aggregates(ctx, roundID, subs)
	if err != nil {
		s.refreshed(roundID, nil, "")
		return nil, err
	}
	if a.Pending {
		return a, nil // not kept: the round may close any moment
	}
	s.refreshed(roundID, a, stamp)
	return a, nil
}

// keptClosed returns the aggregates kept of a closed round while they are
// less than a minute old, or while another call computes them anew. When
// they are older and nobody does, it reports false and leaves the
// computing to its caller.
func (s *Service) keptClosed(roundID string) (*Aggregates, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.aggs[roundID]
	if !ok || c.a.Round.Status != store.RoundClosed {
		return nil, false
	}
	if c.refreshing || s.now().Sub(c.at) < time.Minute {
		return c.a, true
	}
	c.refreshing = true
	s.aggs[roundID] = c
	return nil, false
}

// refreshed keeps a round's new aggregates (a nil a: computing them
// failed, and the old ones stay, to be computed anew by the next call).
func (s *Service) refreshed(roundID string, a *Aggregates, stamp string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if a != nil {
		s.aggs[roundID] = cachedAggregates{stamp: stamp, at: s.now(), a: a}
		return
	}
	if c, ok := s.aggs[roundID]; ok {
		c.refreshing = false
		s.aggs[roundID] = c
	}
}

// cachedAggregates are a round's aggregates as computed for a state of
// its submissions.
type cachedAggregates struct {
	stamp string
	at    time.Time
	a     *Aggregates
	// refreshing is set while a call computes a closed round's
	// aggregates anew.
	refreshing bool
}

// submissionStamp changes whenever the set of submissions does.
func submissionStamp(subs map[int64]time.Time) string {
	var sum int64
	var last time.Time
	for id, at := range subs {
		sum += id * 7919
		if at.After(last) {
			last = at
		}
	}
	return fmt.Sprintf("%d/%d/%d", len(subs), sum, last.UnixNano())
}

// aggregates computes a round's aggregates from its submissions (subs).
// An open round's are pending, and its answers are not read.
func (s *Service) aggregates(ctx context.Context, roundID string, subs map[int64]time.Time) (*Aggregates, error) {
	r, err := s.Round(ctx, roundID)
	if err != nil {
		return nil, err
	}
	a := &Aggregates{Round: r, K: s.k, Submitted: len(subs), members: map[string][]int64{},
		scores: map[int64]map[string]Score{}, orgs: map[int64]store.Organisation{},
		kept: &profiles{m: map[profileKey]*keptProfile{}}}
	if r.Status != store.RoundClosed {
		a.Pending = true
		return a, nil
	}
	rows, err := s.st.SubmittedAnswers(ctx, roundID)
	if err != nil {
		return nil, err
	}
	all, err := s.acc.Organisations(ctx, "")
	if err != nil {
		return nil, err
	}
	byOrg := map[int64][]store.Answer{}
	for _, row := range rows {
		byOrg[row.OrgID] = append(byOrg[row.OrgID], row.Answer)
	}
	answers := map[int64]map[string]string{}
	for _, o := range all {
		a.orgs[o.ID] = o
		if _, ok := subs[o.ID]; !ok || o.Kind != store.Municipality {
			continue
		}
		v := build(r, o.ID, store.OrgAnswers{Own: byOrg[o.ID], Submitted: subs[o.ID]})
		a.scores[o.ID] = v.Scores
		answers[o.ID] = map[string]string{}
		for m, e := range v.Answers {
			if e.Given {
				answers[o.ID][m] = e.Answer.Answer
			}
		}
	}
	counties := map[string]string{}
	for _, o := range all {
		if o.Kind == store.County {
			counties[o.Code] = o.Name
		}
	}
	// The groups every page and the API can show, all decided at once.
	type candidate struct {
		Group
		ids []int64
	}
	var cands []candidate
	add := func(kind, key, label string, ids []int64) {
		if len(ids) == 0 && kind != GroupNational {
			return
		}
		slices.Sort(ids)
		cands = append(cands, candidate{Group{Kind: kind, Key: key, Label: label, N: len(ids)}, ids})
	}
	var national []int64
	bySize, byCounty := map[string][]int64{}, map[string][]int64{}
	for id := range a.scores {
		o := a.orgs[id]
		national = append(national, id)
		if c := r.Settings.SizeClassOf(o.Population); c != "" {
			bySize[c] = append(bySize[c], id)
		}
		if o.County != "" {
			byCounty[o.County] = append(byCounty[o.County], id)
		}
	}
	add(GroupNational, "", "Hele landet", national)
	for _, c := range r.Settings.SizeClasses {
		add(GroupSizeClass, c.Label, c.Label, bySize[c.Label])
	}
	for _, code := range sortedKeys(byCounty) {
		label := counties[code]
		if label == "" {
			label = "Fylke " + code
		}
		add(GroupCounty, code, label, byCounty[code])
	}
	for _, o := range all {
		if o.Kind != store.Provider {
			continue
		}
		ms, err := s.acc.Memberships(ctx, o.Code)
		if err != nil {
			return nil, err
		}
		var ids []int64
		for _, m := range ms {
			if m.ValidFrom > r.ClosesOn || (m.ValidTo != "" && m.ValidTo < r.OpensOn) {
				continue
			}
			for id := range a.scores {
				if a.orgs[id].Code == m.Member && !slices.Contains(ids, id) {
					ids = append(ids, id)
				}
			}
		}
		add(GroupProvider, o.Code, o.Name, ids)
	}
	groups := make([]disclosure.Group, len(cands))
	for i, c := range cands {
		members := make([]string, len(c.ids))
		for j, id := range c.ids {
			members[j] = a.orgs[id].Code
		}
		groups[i] = disclosure.Group{Kind: c.Kind, Key: c.Key, Members: members}
	}
	decisions, err := disclosure.Decide(groups, s.k)
	if err != nil {
		return nil, err
	}
	for i, c := range cands {
		g := c.Group
		a.members[g.Kind+"/"+g.Key] = c.ids
		if !decisions[i].Published {
			g.Suppressed, g.Reason = true, decisions[i].Reason
			a.Groups = append(a.Groups, g)
			continue
		}
		g.Scores = map[string]Stat{}
		for _, key := range scoreKeys(r) {
			var vals []float64
			for _, id := range c.ids {
				if sc, ok := a.scores[id][key]; ok {
					vals = append(vals, sc.Value)
				}
			}
			// Only a figure over every member of the group: one over part
			// of it could rest on fewer than k.
			if len(vals) == len(c.ids) {
				g.Scores[key] = spread(vals)
			}
		}
		g.Options = map[string]map[string]int{}
		for _, m := range r.Measures {
			counts := map[string]int{}
			for _, id := range c.ids {
				counts[answers[id][m.Measure]]++
			}
			g.Options[m.Measure] = counts
		}
		a.Groups = append(a.Groups, g)
	}
	return a, nil
}

// scoreKeys are the keys of scores: each principle, each category, and ""
// for all.
func scoreKeys(r *Round) []string {
	keys := []string{""}
	for _, c := range r.Categories {
		keys = append(keys, c.ID)
		for _, p := range c.Principles {
			keys = append(keys, p.ID)
		}
	}
	return keys
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// spread returns the median and quartiles of vals (linear interpolation
// between order statistics, as spreadsheets compute them).
func spread(vals []float64) Stat {
	s := slices.Clone(vals)
	slices.Sort(s)
	q := func(p float64) float64 {
		if len(s) == 1 {
			return s[0]
		}
		x := p * float64(len(s)-1)
		i := int(x)
		if i+1 >= len(s) {
			return s[len(s)-1]
		}
		return s[i] + (x-float64(i))*(s[i+1]-s[i])
	}
	return Stat{N: len(s), Median: q(0.5), Q1: q(0.25), Q3: q(0.75)}
}

// Of returns the groups of one kind, in order.
func (a *Aggregates) Of(kind string) []Group {
	var out []Group
	for _, g := range a.Groups {
		if g.Kind == kind {
			out = append(out, g)
		}
	}
	return out
}

// group returns the group of a kind and key.
func (a *Aggregates) group(kind, key string) (Group, bool) {
	for _, g := range a.Groups {
		if g.Kind == kind && g.Key == key {
			return g, true
		}
	}
	return Group{}, false
}

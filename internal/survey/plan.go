package survey

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/grunnlag/grunnlag/internal/auth"
	"github.com/grunnlag/grunnlag/internal/catalog"
	"github.com/grunnlag/grunnlag/internal/store"
)

// The measure plan ranks what a municipality should do next: its gaps
// (measures not answered Ja or Ikke relevant), weighted by how large the
// gap is, by NSM's priority where the pack has it, and by how many peers
// already have the measure — where that share may be shown.

// Service types a provider can offer, and the NSM categories whose gaps
// they help with. A rule of thumb, not a fact of NSM's: identifying and
// mapping needs risk assessment; protecting needs testing and training;
// detecting needs monitoring (SOC); handling needs incident response.
const (
	ServiceSOC      = "soc"
	ServiceIncident = "hendelseshandtering"
	ServicePentest  = "penetrasjonstest"
	ServiceRisk     = "risikovurdering"
	ServiceTraining = "opplaering"
)

// ServiceTypes are the service types, in the order pages show them.
func ServiceTypes() []string {
	return []string{ServiceSOC, ServiceIncident, ServicePentest, ServiceRisk, ServiceTraining}
}

// ServiceLabel names a service type in bokmål.
func ServiceLabel(t string) string {
	switch t {
	case ServiceSOC:
		return "Overvåking (SOC)"
	case ServiceIncident:
		return "Hendelseshåndtering"
	case ServicePentest:
		return "Penetrasjonstesting"
	case ServiceRisk:
		return "Hjelp med risikovurdering"
	case ServiceTraining:
		return "Opplæring"
	}
	return t
}

// servicesFor returns the service types that help with gaps in a category.
func servicesFor(category string) []string {
	switch category {
	case "1":
		return []string{ServiceRisk}
	case "2":
		return []string{ServicePentest, ServiceTraining}
	case "3":
		return []string{ServiceSOC}
	case "4":
		return []string{ServiceIncident}
	}
	return nil
}

// gapWeight is how large a gap an answer leaves: none for Ja and Ikke
// relevant.
func gapWeight(answer string, given bool) float64 {
	switch {
	case !given, answer == store.AnswerNo:
		return 1
	case answer == store.AnswerDontKnow:
		return 0.8
	case answer == store.AnswerPartly:
		return 0.5
	}
	return 0
}

// priorityWeight weighs NSM's priority of a measure where the pack has it
// ("1" the highest); without it, every measure weighs the same.
func priorityWeight(p string) float64 {
	switch strings.TrimSpace(p) {
	case "1":
		return 1.5
	case "2":
		return 1.2
	}
	return 1
}

// PlanItem is one gap in the plan, ranked, with what the organisation has
// decided about it.
type PlanItem struct {
	Measure   store.RoundMeasure
	Answer    string // the effective answer; "" when unanswered
	Weight    float64
	PeerShare float64 // the share of the size class that answered Ja; -1 when it may not be shown
	PeerGroup string
	Needs     []*catalog.Need
	Services  []string
	Providers []store.ServiceProvider
	Item      store.PlanItem // owner, due date, status, note (empty when none yet)
}

// Plan returns the ranked plan of an organisation.
func (s *Service) Plan(ctx context.Context, p *auth.Principal, roundID string, org store.Organisation) ([]PlanItem, error) {
	v, err := s.Current(ctx, p, roundID, org)
	if err != nil {
		return nil, err
	}
	saved, err := s.st.PlanItems(ctx, p.User.ID, roundID, org.ID, s.now())
	if err != nil {
		return nil, err
	}
	providers, err := s.st.ServiceProviders(ctx)
	if err != nil {
		return nil, err
	}
	var peers *Group
	sizeClass := v.Round.Settings.SizeClassOf(org.Population)
	if a, err := s.Aggregates(ctx, roundID); err != nil {
		return nil, err
	} else if g, ok := a.group(GroupSizeClass, sizeClass); ok && !g.Suppressed {
		peers = &g
	}
	items := map[string]store.PlanItem{}
	for _, it := range saved {
		items[it.Measure] = it
	}
	var out []PlanItem
	for _, m := range v.Round.Measures {
		e := v.Answers[m.Measure]
		w := gapWeight(e.Answer.Answer, e.Given)
		if w == 0 {
			continue
		}
		it := PlanItem{Measure: m, Weight: w * priorityWeight(m.Priority), PeerShare: -1, Item: items[m.Measure]}
		if e.Given {
			it.Answer = e.Answer.Answer
		}
		if peers != nil && peers.N > 0 {
			it.PeerShare = float64(peers.Options[m.Measure][store.AnswerYes]) / float64(peers.N)
			it.PeerGroup = peers.Label
			// What most peers have done weighs more: it is within reach.
			it.Weight *= 1 + it.PeerShare
		}
		for _, n := range s.pack.Needs {
			if slices.Contains(n.Principles, m.Principle) {
				it.Needs = append(it.Needs, n)
			}
		}
		it.Services = servicesFor(m.Category)
		for _, sp := range providers {
			for _, t := range it.Services {
				if slices.Contains(sp.Services, t) && !slices.ContainsFunc(it.Providers, func(x store.ServiceProvider) bool { return x.ID == sp.ID }) {
					it.Providers = append(it.Providers, sp)
				}
			}
		}
		out = append(out, it)
	}
	slices.SortStableFunc(out, func(a, b PlanItem) int {
		if c := cmp.Compare(b.Weight, a.Weight); c != 0 {
			return c
		}
		return cmp.Compare(a.Measure.Measure, b.Measure.Measure) // NSM's order among equals
	})
	return out, nil
}

// SavePlanItem stores what an organisation decided about one measure of its
// plan (the store checks that p may).
func (s *Service) SavePlanItem(ctx context.Context, p *auth.Principal, roundID string, org store.Organisation, it store.PlanItem) error {
	return s.st.SavePlanItem(ctx, p.User.ID, roundID, org.ID, it, s.now())
}

// ServiceProviders lists the register of service providers.
func (s *Service) ServiceProviders(ctx context.Context) ([]store.ServiceProvider, error) {
	return s.st.ServiceProviders(ctx)
}

// AddServiceProvider adds a provider to the register (an analyst), with
// its source; audited.
func (s *Service) AddServiceProvider(ctx context.Context, p *auth.Principal, sp store.ServiceProvider) (store.ServiceProvider, error) {
	sp.AddedBy, sp.AddedAt = p.User.ID, s.now()
	sp, err := s.st.AddServiceProvider(ctx, sp)
	if err != nil {
		return sp, err
	}
	return sp, s.log.Record(ctx, p.Actor(), "service.add", fmt.Sprintf("leverandør:%d", sp.ID), "", sp.Name)
}

// RetireServiceProvider takes a provider off the register; audited.
func (s *Service) RetireServiceProvider(ctx context.Context, p *auth.Principal, id int64) error {
	if err := s.st.RetireServiceProvider(ctx, id, s.now()); err != nil {
		return err
	}
	return s.log.Record(ctx, p.Actor(), "service.retire", fmt.Sprintf("leverandør:%d", id), "", "")
}

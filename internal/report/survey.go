package report

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/grunnlag/grunnlag/internal/store"
	"github.com/grunnlag/grunnlag/internal/survey"
)

// The report's data from the self-assessment: the newest closed round,
// its aggregates as package survey publishes them (under disclosure
// control, and only once the round is closed), and how many
// municipalities the round asked. Reading them is the caller's I/O;
// Build only lays them out.

// Survey is a closed round of the self-assessment as the report shows it.
type Survey struct {
	// Aggregates are the round's groups as survey.Aggregates publishes
	// them: a suppressed group carries no figures.
	Aggregates *survey.Aggregates
	// Asked counts the municipalities the round asked, by the label of
	// their size class ("" for those whose population is not known).
	Asked map[string]int
	// Registers are the pack's registers the asked municipalities come
	// from (their ids), sorted.
	Registers []string
}

// SurveySource is the self-assessment as the report reads it;
// *survey.Service is one.
type SurveySource interface {
	Rounds(ctx context.Context) ([]store.Round, error)
	Aggregates(ctx context.Context, roundID string) (*survey.Aggregates, error)
}

// OrganisationLister lists the stored organisations of a kind;
// store.Accounts is one.
type OrganisationLister interface {
	Organisations(ctx context.Context, kind store.OrgKind) ([]store.Organisation, error)
}

// NewestClosed returns the newest closed round: the one whose answering
// period ended last, then the one closed last, then by id.
func NewestClosed(rounds []store.Round) (store.Round, bool) {
	var best store.Round
	found := false
	for _, r := range rounds {
		if r.Status != store.RoundClosed {
			continue
		}
		if !found || newer(r, best) {
			best, found = r, true
		}
	}
	return best, found
}

func newer(a, b store.Round) bool {
	if a.ClosesOn != b.ClosesOn {
		return a.ClosesOn > b.ClosesOn
	}
	if !a.ClosedAt.Equal(b.ClosedAt) {
		return a.ClosedAt.After(b.ClosedAt)
	}
	return a.ID > b.ID
}

// NewestClosedRound returns the newest closed round of the source; false
// when no round is closed.
func NewestClosedRound(ctx context.Context, src SurveySource) (store.Round, bool, error) {
	rounds, err := src.Rounds(ctx)
	if err != nil {
		return store.Round{}, false, err
	}
	r, ok := NewestClosed(rounds)
	return r, ok, nil
}

// LoadSurvey reads what the report shows of a round. It returns nil when
// the round is not closed: until then no group has figures.
func LoadSurvey(ctx context.Context, orgs OrganisationLister, src SurveySource, roundID string) (*Survey, error) {
	a, err := src.Aggregates(ctx, roundID)
	if err != nil {
		return nil, err
	}
	if a.Pending || a.Round.Status != store.RoundClosed {
		return nil, nil
	}
	ms, err := orgs.Organisations(ctx, store.Municipality)
	if err != nil {
		return nil, err
	}
	sv := &Survey{Aggregates: a, Asked: map[string]int{}}
	opened := a.Round.OpenedAt
	if opened.IsZero() { // closed straight from draft
		opened, _ = time.Parse("2006-01-02", a.Round.OpensOn)
	}
	for _, o := range ms {
		if !asked(o, opened, a.Round.ClosedAt) {
			continue
		}
		sv.Asked[a.Round.Settings.SizeClassOf(o.Population)]++
		if o.Source != "" && !slices.Contains(sv.Registers, o.Source) {
			sv.Registers = append(sv.Registers, o.Source)
		}
	}
	slices.Sort(sv.Registers)
	return sv, nil
}

// asked reports whether a round open from opened to closed asked a
// municipality: it was one of the registers' municipalities at some time
// in between (stored no later than the round closed, and not retired
// before it opened).
func asked(o store.Organisation, opened, closed time.Time) bool {
	if !closed.IsZero() && o.CreatedAt.After(closed) {
		return false
	}
	return o.RetiredAt.IsZero() || !o.RetiredAt.Before(opened)
}

// surveyFigures are the figures the section shows, taken from a Survey
// once, for the text and for rapport.json alike.
type surveyFigures struct {
	national survey.Group
	classes  []classFigures // the round's size classes in order, then the municipalities of unknown size when there are any
	asked    int
	answered int
}

// classFigures are one size class's municipalities: asked, answered, and
// its group (nil when none of them answered, so there is no group).
type classFigures struct {
	label    string
	asked    int
	answered int
	group    *survey.Group
}

// unknownSize labels the municipalities whose population is not known.
const unknownSize = "Folketall ikke kjent"

func figuresOf(sv *Survey) surveyFigures {
	a := sv.Aggregates
	var f surveyFigures
	if nat := a.Of(survey.GroupNational); len(nat) == 1 {
		f.national = nat[0]
	}
	f.answered = f.national.N
	bySize := map[string]survey.Group{}
	for _, g := range a.Of(survey.GroupSizeClass) {
		bySize[g.Key] = g
	}
	inClasses := 0
	for _, c := range a.Round.Settings.SizeClasses {
		cf := classFigures{label: c.Label, asked: sv.Asked[c.Label]}
		if g, ok := bySize[c.Label]; ok {
			cf.answered, cf.group = g.N, &g
		}
		inClasses += cf.answered
		f.classes = append(f.classes, cf)
	}
	if n := sv.Asked[""]; n > 0 || f.answered > inClasses {
		// Municipalities in no class: in the country's group, in no size
		// class's.
		f.classes = append(f.classes, classFigures{label: unknownSize, asked: n, answered: f.answered - inClasses})
	}
	for _, n := range sv.Asked {
		f.asked += n
	}
	return f
}

// responseRate is the share of asked that answered, in per cent; false
// when none was asked.
func responseRate(answered, asked int) (float64, bool) {
	if asked == 0 {
		return 0, false
	}
	return 100 * float64(answered) / float64(asked), true
}

// principleKeys are the score keys of a round in the order the report
// shows them: all measures (""), then each category followed by its
// principles.
func principleKeys(r *survey.Round) []scoreRow {
	rows := []scoreRow{{key: "", label: "Alle tiltak", category: true}}
	for _, c := range r.Categories {
		rows = append(rows, scoreRow{key: c.ID, label: strings.TrimSpace(c.ID + " " + c.Title), category: true})
		for _, p := range c.Principles {
			rows = append(rows, scoreRow{key: p.ID, label: strings.TrimSpace(p.ID + " " + p.Title)})
		}
	}
	return rows
}

// scoreRow is one row of the score table.
type scoreRow struct {
	key, label string
	category   bool
}

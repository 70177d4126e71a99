package report

import (
	"time"

	"github.com/grunnlag/grunnlag/internal/survey"
)

// SurveyData is the self-assessment's section in rapport.json: the round,
// how many municipalities it asked and how many answered (in all and by
// size class), and the groups the section shows — the country and each
// size class — each either suppressed, with its reason and no figures, or
// with the spread of its members' scores.
type SurveyData struct {
	Round       SurveyRoundData   `json:"round"`
	K           int               `json:"k"` // the fewest municipalities a group is shown for
	Asked       int               `json:"asked"`
	Answered    int               `json:"answered"`
	SizeClasses []SurveyClassData `json:"size_classes"`
	Groups      []SurveyGroupData `json:"groups"`
}

// SurveyRoundData describes a round.
type SurveyRoundData struct {
	ID        string    `json:"id"`
	Name      string    `json:"name"`
	Year      int       `json:"year"`
	Framework string    `json:"framework"`
	OpensOn   string    `json:"opens_on"`
	ClosesOn  string    `json:"closes_on"`
	ClosedAt  time.Time `json:"closed_at"`
}

// SurveyClassData counts the municipalities of a size class the round
// asked and those that answered; Label is "" for those whose population
// is not known.
type SurveyClassData struct {
	Label    string `json:"label"`
	Asked    int    `json:"asked"`
	Answered int    `json:"answered"`
}

// SurveyGroupData is one group: n municipalities answered; suppressed,
// with the reason, or with the spread of the scores in all (total), by
// category and by principle. A key a group has no figure for is absent.
type SurveyGroupData struct {
	Group      string                `json:"group"`
	Key        string                `json:"key"`
	Label      string                `json:"label"`
	N          int                   `json:"n"`
	Suppressed bool                  `json:"suppressed"`
	Reason     string                `json:"reason,omitempty"`
	Total      *SurveyStat           `json:"total,omitempty"`
	Categories map[string]SurveyStat `json:"categories,omitempty"`
	Principles map[string]SurveyStat `json:"principles,omitempty"`
}

// SurveyStat is the spread of a group's scores (0–1).
type SurveyStat struct {
	N      int     `json:"n"`
	Median float64 `json:"median"`
	Q1     float64 `json:"q1"`
	Q3     float64 `json:"q3"`
}

func surveyData(sv *Survey) *SurveyData {
	a, f := sv.Aggregates, figuresOf(sv)
	r := a.Round
	d := &SurveyData{
		Round: SurveyRoundData{ID: r.ID, Name: r.Name, Year: r.Year, Framework: r.Framework, OpensOn: r.OpensOn, ClosesOn: r.ClosesOn, ClosedAt: r.ClosedAt.UTC()},
		K:     a.K, Asked: f.asked, Answered: f.answered, SizeClasses: []SurveyClassData{}, Groups: []SurveyGroupData{},
	}
	for _, c := range f.classes {
		label := c.label
		if label == unknownSize {
			label = ""
		}
		d.SizeClasses = append(d.SizeClasses, SurveyClassData{Label: label, Asked: c.asked, Answered: c.answered})
	}
	cats := map[string]bool{}
	for _, c := range r.Categories {
		cats[c.ID] = true
	}
	for _, g := range append([]survey.Group{f.national}, a.Of(survey.GroupSizeClass)...) {
		gd := SurveyGroupData{Group: g.Kind, Key: g.Key, Label: g.Label, N: g.N, Suppressed: g.Suppressed, Reason: g.Reason}
		if !g.Suppressed {
			gd.Categories, gd.Principles = map[string]SurveyStat{}, map[string]SurveyStat{}
			for key, s := range g.Scores {
				st := SurveyStat{N: s.N, Median: s.Median, Q1: s.Q1, Q3: s.Q3}
				switch {
				case key == "":
					gd.Total = &st
				case cats[key]:
					gd.Categories[key] = st
				default:
					gd.Principles[key] = st
				}
			}
		}
		d.Groups = append(d.Groups, gd)
	}
	return d
}

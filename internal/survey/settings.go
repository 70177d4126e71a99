// Package survey is the self-assessment (kartlegging): each municipality
// assesses itself against NSM's Grunnprinsipper for IKT-sikkerhet in a
// round, sees its profile next to its peers without exposing anyone, and
// gets a plan. Rounds, answers and plans are kept through store.Survey,
// which checks who may read and write each organisation's answers in its
// queries; this package adds what the answers mean: the scale, validation,
// progress, scores, inheritance from IT providers, and the reads of raw
// answers that must be audited.
package survey

import (
	"encoding/json"
	"fmt"

	"github.com/grunnlag/grunnlag/internal/catalog"
	"github.com/grunnlag/grunnlag/internal/fault"
	"github.com/grunnlag/grunnlag/internal/store"
)

// Settings are what a round asks and how its answers count, kept with the
// round as data.
type Settings struct {
	// Scale is the answers offered, in order (store.AnswerYes, ...).
	Scale []string `json:"scale"`
	// Maturity says whether each measure also gets a maturity level 0..5;
	// Levels words each level.
	Maturity bool     `json:"maturity"`
	Levels   []string `json:"levels,omitempty"`
	// Weights is the score of each answer, from 0 to 1; an answer without a
	// weight (ikke relevant) does not count. A principle's score is the mean
	// weight of its measures that count.
	Weights map[string]float64 `json:"weights"`
	// ProviderPrinciples are the principles an IT provider answers for its
	// member municipalities.
	ProviderPrinciples []string `json:"provider_principles"`
	// SizeClasses group the municipalities into peers by population, with
	// the source of the grouping.
	SizeClasses     []catalog.SizeClass `json:"size_classes"`
	SizeClassesFrom string              `json:"size_classes_from"`
}

// DefaultSettings are the settings of a round unless the administrator
// chooses others: the five answers, no maturity, Ja 1 and Delvis ½, IT
// providers answering the principles of categories 2 (beskytte og
// opprettholde) and 3 (oppdage), and SSB's three documented size classes.
func DefaultSettings(pack *catalog.Pack) Settings {
	s := Settings{
		Scale:   []string{store.AnswerYes, store.AnswerPartly, store.AnswerNo, store.AnswerDontKnow, store.AnswerNotRelevant},
		Weights: map[string]float64{store.AnswerYes: 1, store.AnswerPartly: 0.5, store.AnswerNo: 0, store.AnswerDontKnow: 0},
		Levels: []string{
			"0 – ikke påbegynt", "1 – innledende", "2 – gjentakbar", "3 – definert", "4 – styrt og målt", "5 – kontinuerlig forbedret",
		},
		// SSB's StatBank glossary (kommunestørrelse) groups municipalities
		// so; the finer classes of tables 12041 and 14559 are not known here.
		SizeClasses: []catalog.SizeClass{
			{Label: "Under 5 000 innbyggere", Min: 0, Max: 4999},
			{Label: "5 000–19 999 innbyggere", Min: 5000, Max: 19999},
			{Label: "20 000 innbyggere eller flere", Min: 20000},
		},
		SizeClassesFrom: "SSB, ordforklaring «Kommunestørrelse» (statbank.ssb.no/ajax/ordforklaring?key=384037)",
	}
	for _, p := range pack.Principles {
		if p.Category == "2" || p.Category == "3" {
			s.ProviderPrinciples = append(s.ProviderPrinciples, p.ID)
		}
	}
	return s
}

// ParseSettings reads a round's settings.
func ParseSettings(b []byte) (Settings, error) {
	var s Settings
	if err := json.Unmarshal(b, &s); err != nil {
		return s, fmt.Errorf("round settings: %w", err)
	}
	return s, nil
}

// AnswerLabel is an answer as people read it.
func AnswerLabel(a string) string {
	switch a {
	case store.AnswerYes:
		return "Ja"
	case store.AnswerPartly:
		return "Delvis"
	case store.AnswerNo:
		return "Nei"
	case store.AnswerDontKnow:
		return "Vet ikke"
	case store.AnswerNotRelevant:
		return "Ikke relevant"
	}
	return a
}

// ParseAnswer reads an answer as people write it in a spreadsheet ("ja",
// "Vet ikke", "ikke relevant") or as the store keeps it.
func ParseAnswer(s string) (string, bool) {
	switch normalise(s) {
	case "ja":
		return store.AnswerYes, true
	case "delvis":
		return store.AnswerPartly, true
	case "nei":
		return store.AnswerNo, true
	case "vet ikke", "vet_ikke", "vetikke":
		return store.AnswerDontKnow, true
	case "ikke relevant", "ikke_relevant", "ikkerelevant", "ir":
		return store.AnswerNotRelevant, true
	}
	return "", false
}

// SizeClassOf returns the label of the size class of a population, or ""
// when the population is not known.
func (s Settings) SizeClassOf(population int) string {
	if population <= 0 {
		return ""
	}
	for _, c := range s.SizeClasses {
		if population >= c.Min && (c.Max == 0 || population <= c.Max) {
			return c.Label
		}
	}
	return ""
}

// errInvalid is a bokmål refusal of an answer.
func errInvalid(msg string, args ...any) error {
	m := fmt.Sprintf(msg, args...)
	return fault.WithUser(fault.Invalid, m, fmt.Errorf("%s", m))
}

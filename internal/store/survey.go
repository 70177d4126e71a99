package store

import (
	"context"
	"time"
)

// The self-assessment (kartlegging): rounds, answers, submissions, plans.

// Round statuses.
const (
	RoundDraft  = "draft"
	RoundOpen   = "open"
	RoundClosed = "closed"
)

// Round is one self-assessment against NSM's principles.
type Round struct {
	ID        string
	Name      string
	Year      int
	Framework string // the pack and NSM version the measures come from
	Settings  []byte // JSON, read by the survey package
	OpensOn   string // YYYY-MM-DD
	ClosesOn  string // YYYY-MM-DD, the last day answers are taken
	Status    string
	CreatedBy int64
	CreatedAt time.Time
	OpenedAt  time.Time
	ClosedAt  time.Time
}

// RoundMeasure is one measure a round asks, as the pack had it when the
// round was created.
type RoundMeasure struct {
	Measure   string // "1.1.3"
	Principle string
	Category  string
	Title     string // NSM's own text, when the pack has it
	Summary   string // the pack's summary in the editors' words, when it has one
	Source    string // where the text is from
	Priority  string
	Provider  bool // an IT provider answers it for its members
}

// The answers an organisation can give.
const (
	AnswerYes         = "ja"
	AnswerPartly      = "delvis"
	AnswerNo          = "nei"
	AnswerDontKnow    = "vet_ikke"
	AnswerNotRelevant = "ikke_relevant"
)

// Answer is an organisation's answer to a measure.
type Answer struct {
	Measure       string
	Answer        string
	Reason        string // why not relevant
	Maturity      int    // 0..5; -1 when not given
	Comment       string
	Evidence      string
	InheritedFrom int64 // set when taken over from the IT provider at submission
	Change        int64 // the id of the last change
	UpdatedBy     int64
	UpdatedAt     time.Time
}

// ProviderAnswer is an answer an IT provider gave for its members.
type ProviderAnswer struct {
	Answer
	ProviderID   int64
	ProviderCode string
	ProviderName string
}

// OrgAnswers is what an organisation has in a round: its own answers, the
// answers its IT providers give (for the measures providers answer), the
// version of each principle, and whether it has submitted.
type OrgAnswers struct {
	Own          []Answer
	FromProvider []ProviderAnswer
	Versions     map[string]int // principle → version
	Submitted    time.Time      // zero while not submitted
	SubmittedBy  int64
	ClosesOn     string // the organisation's last day: the round's, or its extension's
}

// AnswerChange is one change of an answer.
type AnswerChange struct {
	ID        int64
	Measure   string
	Old, New  []byte // JSON; Old empty for the first answer
	ChangedBy int64
	ByEmail   string
	ChangedAt time.Time
}

// SubmittedAnswer is one answer of a submitted organisation, for the
// aggregates (see Survey.SubmittedAnswers).
type SubmittedAnswer struct {
	OrgID   int64
	OrgCode string
	Answer
}

// PlanItem is one measure in an organisation's plan.
type PlanItem struct {
	Measure   string
	Owner     string
	DueOn     string // YYYY-MM-DD or ""
	Status    string // planlagt, i_gang, ferdig, droppet
	Note      string
	UpdatedBy int64
	UpdatedAt time.Time
}

// ServiceProvider is a provider of a security service, with its source.
type ServiceProvider struct {
	ID        int64
	Name      string
	URL       string
	Services  []string // service types: soc, hendelseshandtering, penetrasjonstest, risikovurdering, opplaering
	Source    string
	Notes     string
	AddedBy   int64
	AddedAt   time.Time
	RetiredAt time.Time
}

// Operator is the acting user id of the command line: an operator of the
// deployment, who has the database anyway. Every user of the web has an id
// of 1 or more; an anonymous request has 0 and may do nothing.
const Operator int64 = -1

// Survey keeps the self-assessment. Every method that reads or writes one
// organisation's answers takes the acting user, and the query itself
// checks that the user may: a role in the organisation (lead, respondent,
// or provider for an IT provider), or, for reading, a grant in force. Any
// other user gets fault.Forbidden, whatever the caller checked before.
type Survey interface {
	// CreateRound stores a round in draft with its measures; an id in use
	// is fault.Conflict.
	CreateRound(ctx context.Context, r Round, measures []RoundMeasure) error
	Round(ctx context.Context, id string) (Round, []RoundMeasure, error)
	// RoundInfo returns a round without its measures: its status moves
	// on, while its measures and settings never change.
	RoundInfo(ctx context.Context, id string) (Round, error)
	Rounds(ctx context.Context) ([]Round, error)
	// SetRoundStatus moves a round from draft to open or from open to
	// closed (and from draft to closed); a closed round never changes.
	SetRoundStatus(ctx context.Context, id, status string, at time.Time) error
	// ExtendRound gives one organisation a later last day.
	ExtendRound(ctx context.Context, roundID string, orgID int64, closesOn string, by int64, at time.Time) error

	// OrgAnswers returns an organisation's answers in a round, as actor
	// may see them.
	OrgAnswers(ctx context.Context, actorID int64, roundID string, orgID int64, now time.Time) (OrgAnswers, error)
	// SaveAnswers stores the answers to the measures of one principle, if
	// the principle is still at version expect, and returns its new
	// version; a later version is fault.Conflict. Every changed answer is
	// kept in the history. Only an open round, before the organisation's
	// last day and before it submitted, takes answers.
	SaveAnswers(ctx context.Context, actorID int64, roundID string, orgID int64, principle string, expect int, answers []Answer, now time.Time) (int, error)
	// ImportAnswers stores answers of several organisations in one
	// transaction: all or nothing. An actor other than Operator needs a
	// role in every organisation imported, as SaveAnswers does. Each organisation's
	// principles touched get a new version.
	ImportAnswers(ctx context.Context, actorID int64, roundID string, answers map[int64][]Answer, now time.Time) error
	// Submit records the lead's submission; the answers the organisation
	// inherits from its IT providers become its own then (marked so).
	Submit(ctx context.Context, actorID int64, roundID string, orgID int64, now time.Time) error
	// Reopen withdraws a submission (an administrator does it).
	Reopen(ctx context.Context, roundID string, orgID int64) error
	// AnswerHistory lists the changes of an organisation's answers, oldest
	// first, as actor may see them.
	AnswerHistory(ctx context.Context, actorID int64, roundID string, orgID int64, now time.Time) ([]AnswerChange, error)
	// Submissions lists the organisations that have submitted in a round,
	// with when. It holds no answers.
	Submissions(ctx context.Context, roundID string) (map[int64]time.Time, error)
	// SubmittedAnswers returns every answer of every submitted organisation
	// in a round. It is not scoped: only the aggregates (which publish
	// nothing about fewer than k organisations) may call it, never a
	// handler that shows its rows.
	SubmittedAnswers(ctx context.Context, roundID string) ([]SubmittedAnswer, error)

	// PlanItems and SavePlanItem keep an organisation's plan, as actor
	// may.
	PlanItems(ctx context.Context, actorID int64, roundID string, orgID int64, now time.Time) ([]PlanItem, error)
	SavePlanItem(ctx context.Context, actorID int64, roundID string, orgID int64, it PlanItem, now time.Time) error

	ServiceProviders(ctx context.Context) ([]ServiceProvider, error)
	AddServiceProvider(ctx context.Context, p ServiceProvider) (ServiceProvider, error)
	RetireServiceProvider(ctx context.Context, id int64, at time.Time) error
}

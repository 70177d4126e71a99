package survey

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/grunnlag/grunnlag/internal/audit"
	"github.com/grunnlag/grunnlag/internal/auth"
	"github.com/grunnlag/grunnlag/internal/catalog"
	"github.com/grunnlag/grunnlag/internal/fault"
	"github.com/grunnlag/grunnlag/internal/store"
)

// Config is what a Service needs.
type Config struct {
	Store    store.Survey
	Accounts store.Accounts
	Audit    *audit.Log
	Pack     *catalog.Pack
	Now      func() time.Time
	// K is the fewest organisations an aggregate may rest on (default 5,
	// never below 3).
	K int
}

// Service runs the self-assessment.
type Service struct {
	mu   sync.Mutex
	aggs map[string]cachedAggregates // by round
	// closed are the closed rounds read so far, by id: a closed round
	// never changes (the store refuses every change to it), and every
	// page of it reads it, several times. defs are the other rounds read
	// so far: their measures and settings never change either, only their
	// status, which is read anew each time.
	closed map[string]*Round
	defs   map[string]*Round

	st   store.Survey
	acc  store.Accounts
	log  *audit.Log
	pack *catalog.Pack
	now  func() time.Time
	k    int
}

// MinK is the smallest k a deployment may configure.
const MinK = 3

// New returns a Service.
func New(cfg Config) (*Service, error) {
	if cfg.K == 0 {
		cfg.K = 5
	}
	if cfg.K < MinK {
		return nil, fault.Errorf(fault.Invalid, "k = %d: aggregates must rest on at least %d organisations", cfg.K, MinK)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Service{st: cfg.Store, acc: cfg.Accounts, log: cfg.Audit, pack: cfg.Pack, now: cfg.Now, k: cfg.K,
		aggs: map[string]cachedAggregates{}, closed: map[string]*Round{}, defs: map[string]*Round{}}, nil
}

// K returns the fewest organisations an aggregate rests on.
func (s *Service) K() int { return s.k }

var roundIDRE = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,39}$`)

// RoundSpec is what an administrator gives to create a round.
type RoundSpec struct {
	ID, Name          string
	Year              int
	OpensOn, ClosesOn string // YYYY-MM-DD
	Settings          Settings
	// Principles limits the round to these principles; empty: all of the
	// pack's.
	Principles []string
}

// CreateRound creates a round in draft from the pack's principles and
// measures: each measure's text is the pack's own, with its source;
// a measure the pack has no text for keeps its number only.
func (s *Service) CreateRound(ctx context.Context, by audit.Actor, spec RoundSpec) (store.Round, error) {
	if !roundIDRE.MatchString(spec.ID) {
		return store.Round{}, errInvalid("Id-en må være små bokstaver, sifre og bindestrek (høyst 40 tegn), f.eks. 2027.")
	}
	if strings.TrimSpace(spec.Name) == "" {
		return store.Round{}, errInvalid("Runden trenger et navn.")
	}
	opens, err1 := time.Parse("2006-01-02", spec.OpensOn)
	closes, err2 := time.Parse("2006-01-02", spec.ClosesOn)
	if err1 != nil || err2 != nil || closes.Before(opens) {
		return store.Round{}, errInvalid("Skriv datoene som ÅÅÅÅ-MM-DD, og fristen på eller etter åpningsdagen.")
	}
	if spec.Year == 0 {
		spec.Year = opens.Year()
	}
	want := map[string]bool{}
	for _, p := range spec.Principles {
		want[p] = true
	}
	provider := map[string]bool{}
	for _, p := range spec.Settings.ProviderPrinciples {
		provider[p] = true
	}
	principles := map[string]*catalog.Principle{}
	for _, p := range s.pack.Principles {
		principles[p.ID] = p
	}
	var ms []store.RoundMeasure
	for _, m := range s.pack.Measures {
		p := principles[m.Principle]
		if p == nil || (len(want) > 0 && !want[m.Principle]) {
			continue
		}
		ms = append(ms, store.RoundMeasure{
			Measure: m.ID, Principle: m.Principle, Category: p.Category, Title: m.Title, Summary: m.Paraphrase,
			Source: m.Origin.String(), Priority: m.Priority, Provider: provider[m.Principle],
		})
	}
	if len(ms) == 0 {
		return store.Round{}, errInvalid("Runden har ingen tiltak: ingen av prinsippene finnes i kunnskapspakken.")
	}
	settings, err := json.Marshal(spec.Settings)
	if err != nil {
		return store.Round{}, err
	}
	r := store.Round{ID: spec.ID, Name: strings.TrimSpace(spec.Name), Year: spec.Year, Framework: s.framework(),
		Settings: settings, OpensOn: spec.OpensOn, ClosesOn: spec.ClosesOn, CreatedBy: by.ID, CreatedAt: s.now()}
	if err := s.st.CreateRound(ctx, r, ms); err != nil {
		return r, err
	}
	return r, s.log.Record(ctx, by, "round.create", "runde:"+r.ID, "", fmt.Sprintf("%s, %d tiltak, %s–%s", r.Name, len(ms), r.OpensOn, r.ClosesOn))
}

// framework names where a round's measures come from: the pack and the
// NSM catalogue's own version when the pack gives one.
func (s *Service) framework() string {
	var names []string
	for _, p := range s.pack.Packs {
		names = append(names, p.Name)
	}
	return "NSMs grunnprinsipper for IKT-sikkerhet, fra kunnskapspakken " + strings.Join(names, " + ")
}

// SetStatus opens or closes a round.
func (s *Service) SetStatus(ctx context.Context, by audit.Actor, id, status string) error {
	if err := s.st.SetRoundStatus(ctx, id, status, s.now()); err != nil {
		return err
	}
	return s.log.Record(ctx, by, "round."+status, "runde:"+id, "", "")
}

// Extend gives one organisation a later last day.
func (s *Service) Extend(ctx context.Context, by audit.Actor, roundID, orgCode, closesOn string) error {
	if _, err := time.Parse("2006-01-02", closesOn); err != nil {
		return errInvalid("Skriv fristen som ÅÅÅÅ-MM-DD.")
	}
	org, err := s.org(ctx, orgCode)
	if err != nil {
		return err
	}
	if err := s.st.ExtendRound(ctx, roundID, org.ID, closesOn, by.ID, s.now()); err != nil {
		return err
	}
	return s.log.Record(ctx, by, "round.extend", "runde:"+roundID, org.Code, "til "+closesOn)
}

func (s *Service) org(ctx context.Context, code string) (store.Organisation, error) {
	o, err := s.acc.Organisation(ctx, code)
	if fault.Is(err, fault.NotFound) {
		return o, fault.WithUser(fault.NotFound, fmt.Sprintf("Finner ingen organisasjon med koden «%s».", code), err)
	}
	return o, err
}

// Round is a round with its settings read and its measures grouped as
// NSM groups them.
type Round struct {
	store.Round
	Settings   Settings
	Measures   []store.RoundMeasure
	Categories []Category
}

// Category is one of NSM's four categories in a round.
type Category struct {
	ID, Title  string
	Principles []Principle
}

// Principle is one principle in a round, with its measures.
type Principle struct {
	ID, Title string
	Measures  []store.RoundMeasure
}

// Round returns a round, grouped. The *Round is shared: callers must not
// change it. A closed round is read from the store once; another round's
// measures once, and its status on every call (it may open or close any
// moment, on any server).
func (s *Service) Round(ctx context.Context, id string) (*Round, error) {
	s.mu.Lock()
	kept, def := s.closed[id], s.defs[id]
	s.mu.Unlock()
	if kept != nil {
		return kept, nil
	}
	if def != nil {
		r, err := s.st.RoundInfo(ctx, id)
		if err != nil {
			return nil, roundNotFound(id, err)
		}
		out := *def
		out.Round = r
		s.keepRound(&out)
		return &out, nil
	}
	r, ms, err := s.st.Round(ctx, id)
	if err != nil {
		return nil, roundNotFound(id, err)
	}
	set, err := ParseSettings(r.Settings)
	if err != nil {
		return nil, err
	}
	out := &Round{Round: r, Settings: set, Measures: ms}
	titles := map[string]string{}
	for _, c := range s.pack.Categories {
		titles["c"+c.ID] = c.Title
	}
	for _, p := range s.pack.Principles {
		titles["p"+p.ID] = p.Title
	}
	for _, m := range ms {
		if n := len(out.Categories); n == 0 || out.Categories[n-1].ID != m.Category {
			out.Categories = append(out.Categories, Category{ID: m.Category, Title: titles["c"+m.Category]})
		}
		c := &out.Categories[len(out.Categories)-1]
		if n := len(c.Principles); n == 0 || c.Principles[n-1].ID != m.Principle {
			c.Principles = append(c.Principles, Principle{ID: m.Principle, Title: titles["p"+m.Principle]})
		}
		p := &c.Principles[len(c.Principles)-1]
		p.Measures = append(p.Measures, m)
	}
	s.keepRound(out)
	return out, nil
}

// keepRound keeps a round read from the store: whole when it is closed,
// else its measures and settings.
func (s *Service) keepRound(r *Round) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if r.Status == store.RoundClosed {
		s.closed[r.ID] = r
		delete(s.defs, r.ID)
		return
	}
	s.defs[r.ID] = r
}

// roundNotFound names a round that does not exist for people.
func roundNotFound(id string, err error) error {
	if fault.Is(err, fault.NotFound) {
		return fault.WithUser(fault.NotFound, fmt.Sprintf("Finner ingen runde med id «%s».", id), err)
	}
	return err
}

// Principle returns one principle of the round.
func (r *Round) Principle(id string) (*Principle, bool) {
	for ci := range r.Categories {
		for pi := range r.Categories[ci].Principles {
			if r.Categories[ci].Principles[pi].ID == id {
				return &r.Categories[ci].Principles[pi], true
			}
		}
	}
	return nil, false
}

// Input is one answer as a person gives it.
type Input struct {
	Measure  string
	Answer   string // "" leaves the measure unanswered
	Reason   string
	Maturity int // -1: not given
	Comment  string
	Evidence string
}

// Limits of the free text of an answer.
const (
	maxComment  = 2000
	maxEvidence = 500
)

// validate checks answers to a principle against the round's settings, and
// names the measure of every problem.
func (r *Round) validate(p *Principle, in []Input) ([]store.Answer, error) {
	byID := map[string]bool{}
	for _, m := range p.Measures {
		byID[m.Measure] = true
	}
	var out []store.Answer
	var problems []string
	for _, a := range in {
		if !byID[a.Measure] {
			problems = append(problems, fmt.Sprintf("tiltak %s hører ikke til prinsipp %s", a.Measure, p.ID))
			continue
		}
		if a.Answer == "" {
			continue
		}
		if !slices.Contains(r.Settings.Scale, a.Answer) {
			problems = append(problems, fmt.Sprintf("tiltak %s: «%s» er ikke et av svarene", a.Measure, a.Answer))
			continue
		}
		a.Reason, a.Comment, a.Evidence = strings.TrimSpace(a.Reason), strings.TrimSpace(a.Comment), strings.TrimSpace(a.Evidence)
		switch {
		case a.Answer == store.AnswerNotRelevant && a.Reason == "":
			problems = append(problems, fmt.Sprintf("tiltak %s: skriv hvorfor det ikke er relevant", a.Measure))
		case !r.Settings.Maturity && a.Maturity >= 0:
			problems = append(problems, fmt.Sprintf("tiltak %s: runden spør ikke om modenhet", a.Measure))
		case a.Maturity > 5:
			problems = append(problems, fmt.Sprintf("tiltak %s: modenhet er 0 til 5", a.Measure))
		case utf8.RuneCountInString(a.Comment) > maxComment || utf8.RuneCountInString(a.Reason) > maxComment:
			problems = append(problems, fmt.Sprintf("tiltak %s: kommentaren kan ha høyst %d tegn", a.Measure, maxComment))
		case utf8.RuneCountInString(a.Evidence) > maxEvidence:
			problems = append(problems, fmt.Sprintf("tiltak %s: dokumentasjonen kan ha høyst %d tegn", a.Measure, maxEvidence))
		case !utf8.ValidString(a.Comment + a.Reason + a.Evidence):
			problems = append(problems, fmt.Sprintf("tiltak %s: teksten er ikke gyldig UTF-8", a.Measure))
		default:
			if a.Answer != store.AnswerNotRelevant {
				a.Reason = ""
			}
			if a.Maturity < 0 {
				a.Maturity = -1
			}
			out = append(out, store.Answer{Measure: a.Measure, Answer: a.Answer, Reason: a.Reason, Maturity: a.Maturity, Comment: a.Comment, Evidence: a.Evidence})
		}
	}
	if len(problems) > 0 {
		return nil, errInvalid("Svarene er ikke lagret: %s.", strings.Join(problems, "; "))
	}
	return out, nil
}

// Save stores p's answers to one principle of an organisation, checked
// against the round and against the version p's form was made from.
func (s *Service) Save(ctx context.Context, p *auth.Principal, roundID string, orgID int64, principle string, version int, in []Input) (int, error) {
	r, err := s.Round(ctx, roundID)
	if err != nil {
		return 0, err
	}
	pr, ok := r.Principle(principle)
	if !ok {
		return 0, fault.WithUser(fault.NotFound, fmt.Sprintf("Runden har ikke prinsipp %s.", principle), fmt.Errorf("round %s has no principle %s", roundID, principle))
	}
	answers, err := r.validate(pr, in)
	if err != nil {
		return 0, err
	}
	return s.st.SaveAnswers(ctx, p.User.ID, roundID, orgID, principle, version, answers, s.now())
}

// Submit records the lead's submission of an organisation's answers.
func (s *Service) Submit(ctx context.Context, p *auth.Principal, roundID string, orgID int64, orgCode string) error {
	if err := s.st.Submit(ctx, p.User.ID, roundID, orgID, s.now()); err != nil {
		return err
	}
	return s.log.Record(ctx, p.Actor(), "answers.submit", "runde:"+roundID, orgCode, "")
}

// Reopen withdraws an organisation's submission (an administrator).
func (s *Service) Reopen(ctx context.Context, by audit.Actor, roundID, orgCode string) error {
	org, err := s.org(ctx, orgCode)
	if err != nil {
		return err
	}
	if err := s.st.Reopen(ctx, roundID, org.ID); err != nil {
		return err
	}
	return s.log.Record(ctx, by, "answers.reopen", "runde:"+roundID, org.Code, "")
}

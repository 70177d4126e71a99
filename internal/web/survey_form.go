package web

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/grunnlag/grunnlag/internal/store"
	"github.com/grunnlag/grunnlag/internal/survey"
)

// surveyFormPage is the answer form of one principle: each measure with
// its text and source, the answers, maturity when the round asks, a
// comment and evidence. It is saved as a whole with the version it was
// made from (see surveySave); the page's script saves it after every
// change (static/survey.js). When the organisation cannot answer (closed,
// submitted, past its last day) the answers are shown, not offered.
type surveyFormPage struct {
	base
	RoundID     string
	RoundName   string
	OrgName     string
	Principle   string // "1.1"
	Category    string // the category's title
	Action      string
	FormVersion int // the principle's stored version the form was made from (not base.Version)
	Open        bool
	State       string
	Maturity    bool
	Progress    survey.Progress
	Measures    []measureForm
	// Errors is the error summary: each problem links to its field.
	Errors []fieldError
	// Message is a refusal not tied to one field: a conflict, a closed
	// round.
	Message  string
	Conflict bool
	// Differs links to each measure whose stored answer differs from
	// the person's, after a conflict.
	Differs []fieldError
	Saved   string // the notice after a save without JavaScript
	Prev    *principleRef
	Next    *principleRef
}

type principleRef struct{ ID, Title, URL string }

// measureForm is one measure of the form.
type measureForm struct {
	measureEntry
	Key      string
	Options  []choice // the answers offered, the chosen one checked
	Levels   []choice // the maturity levels, "" (not given) first
	Reason   string
	Comment  string
	Evidence string
	// Inherited is the IT provider's answer the organisation has until it
	// answers itself; Provider its provider's answer beside its own.
	Inherited string
	Provider  string
	// ProviderChanged tells that the provider changed its answer after
	// the organisation submitted.
	ProviderChanged string
	// Stored is what is saved now, after someone else saved while this
	// person edited (a conflict), when it differs from the input.
	Stored string
	// Current is the answer as text, for a form that cannot be answered.
	Current string
	Errors  map[string]string // field ("svar", "grunn", …) → problem
}

// choice is a radio button or an option of a select.
type choice struct {
	ID, Value, Label string
	Checked          bool
}

// fieldError is one problem of a form, with the id of its field.
type fieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

func (*surveyFormPage) template() string { return "survey_principle" }

// principleOf returns the principle of the address as the organisation
// answers it, with its category, and its neighbours.
func principleOf(o *orgRound, id string) (survey.Principle, string, *principleRef, *principleRef, error) {
	var flat []survey.Principle
	cats := map[string]string{}
	for _, c := range principlesFor(o.org, o.view.Round) {
		for _, p := range c.Principles {
			flat = append(flat, p)
			cats[p.ID] = c.Title
		}
	}
	ref := func(i int) *principleRef {
		if i < 0 || i >= len(flat) {
			return nil
		}
		return &principleRef{ID: flat[i].ID, Title: flat[i].Title, URL: "/kartlegging/" + o.view.Round.ID + "/" + flat[i].ID}
	}
	for i, p := range flat {
		if p.ID == id {
			return p, cats[id], ref(i - 1), ref(i + 1), nil
		}
	}
	return survey.Principle{}, "", nil, nil, errNoPrinciple(o.view.Round.ID, id)
}

func (s *Server) surveyPrinciple(w http.ResponseWriter, r *http.Request) error {
	saved := r.URL.Query().Get("lagret") == "1" // the notice names the last change
	o, err := s.memberViewOf(r, saved)
	if err != nil {
		return err
	}
	pg, err := s.formPage(o, r.PathValue("principle"), nil)
	if err != nil {
		return err
	}
	if saved {
		pg.Saved = "Svarene er lagret."
		if c := lastChangeOf(o.view.Changes, pg.Measures); c != nil {
			pg.Saved += fmt.Sprintf(" Sist endret %s av %s.", norDateTime(c.ChangedAt, s.loc), changedBy(c))
		}
	}
	return s.render(w, http.StatusOK, pg)
}

// lastChangeOf returns the newest change of the form's measures.
func lastChangeOf(changes []store.AnswerChange, ms []measureForm) *store.AnswerChange {
	var last *store.AnswerChange
	for _, m := range ms {
		if c := lastChange(changes, m.ID); c != nil && (last == nil || c.ID > last.ID) {
			last = c
		}
	}
	return last
}

// formPage builds the form of a principle from the organisation's
// answers, or, when input is not nil, from what the person sent (a form
// that is shown again with its problems or a conflict).
func (s *Server) formPage(o *orgRound, id string, input map[string]*answerInput) (*surveyFormPage, error) {
	pr, cat, prev, next, err := principleOf(o, id)
	if err != nil {
		return nil, err
	}
	v := o.view
	rd := v.Round
	pg := &surveyFormPage{RoundID: rd.ID, RoundName: rd.Name, OrgName: o.org.Name, Principle: pr.ID, Category: cat,
		Action: "/kartlegging/" + rd.ID + "/" + pr.ID, FormVersion: v.Versions[pr.ID], Open: v.Open, State: s.roundState(v),
		Maturity: rd.Settings.Maturity, Progress: progressOf(o, pr.ID, pr.Measures), Prev: prev, Next: next}
	for _, m := range pr.Measures {
		e := v.Answers[m.Measure]
		if e == nil {
			e = &survey.Effective{}
		}
		mf := measureForm{measureEntry: textOf(m), Key: fieldKey(m.Measure)}
		// The form holds the organisation's own answer (one taken over
		// from its IT provider at submission is its own); an answer it has
		// from its provider until it answers itself is shown beside the
		// form, so that saving the form does not make it its own.
		own := store.Answer{Maturity: -1}
		if e.Given && (e.From == "" || e.InheritedFrom != 0) {
			own = e.Answer
		}
		switch {
		case e.ProviderChanged:
			mf.ProviderChanged = fmt.Sprintf("IT-leverandøren %s har endret svaret til %s etter at dere sendte inn. Svaret dere sendte inn, %s, gjelder; endringen er ikke tatt inn.",
				e.Provider.ProviderName, answerText(e.Provider.Answer, rd.Settings.Levels), survey.AnswerLabel(e.Answer.Answer))
		case e.Given && e.From != "" && e.InheritedFrom == 0:
			mf.Inherited = fmt.Sprintf("Fra IT-leverandøren %s: %s.", e.From, answerText(e.Answer, rd.Settings.Levels))
		case e.Given && e.From != "":
			mf.Provider = fmt.Sprintf("Svaret er fra IT-leverandøren %s, tatt over da dere sendte inn.", e.From)
		case e.Provider != nil:
			mf.Provider = fmt.Sprintf("IT-leverandøren %s har svart: %s. Deres eget svar gjelder.", e.Provider.ProviderName, answerText(e.Provider.Answer, rd.Settings.Levels))
		}
		if e.Given {
			mf.Current = answerText(e.Answer, rd.Settings.Levels)
		}
		chosen := own
		if in := input[m.Measure]; in != nil {
			chosen = store.Answer{Answer: in.Answer, Reason: in.Reason, Maturity: in.Maturity, Comment: in.Comment, Evidence: in.Evidence}
			mf.Errors = in.errs
		}
		mf.Reason, mf.Comment, mf.Evidence = chosen.Reason, chosen.Comment, chosen.Evidence
		for _, a := range rd.Settings.Scale {
			mf.Options = append(mf.Options, choice{ID: "svar-" + mf.Key + "-" + a, Value: a, Label: survey.AnswerLabel(a), Checked: chosen.Answer == a})
		}
		if rd.Settings.Maturity {
			mf.Levels = append(mf.Levels, choice{Value: "", Label: "Ikke valgt", Checked: chosen.Maturity < 0})
			for n := 0; n <= 5; n++ {
				mf.Levels = append(mf.Levels, choice{Value: strconv.Itoa(n), Label: levelText(n, rd.Settings.Levels), Checked: chosen.Maturity == n})
			}
		}
		pg.Measures = append(pg.Measures, mf)
	}
	pg.setBase(pr.ID+" "+pr.Title, "kartlegging")
	return pg, nil
}

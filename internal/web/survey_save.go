package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/grunnlag/grunnlag/internal/fault"
	"github.com/grunnlag/grunnlag/internal/progress"
	"github.com/grunnlag/grunnlag/internal/store"
	"github.com/grunnlag/grunnlag/internal/survey"
)

// The limits of an answer's free text. The service checks them too; the
// form checks them first so that each problem names its field.
const (
	maxCommentChars  = 2000
	maxEvidenceChars = 500
)

// answerInput is one measure's answer as the form sent it, with the
// problems of its fields.
type answerInput struct {
	survey.Input
	errs map[string]string
}

// readAnswers reads the answers to a principle's measures from a posted
// form. Fields of other measures are ignored. Every problem is named with
// its measure and linked to its field; nothing the person wrote is
// dropped without a word (a comment without an answer would not be
// stored, so it is a problem).
func readAnswers(r *http.Request, rd *survey.Round, pr survey.Principle) (map[string]*answerInput, []survey.Input, []fieldError) {
	byMeasure := map[string]*answerInput{}
	var list []survey.Input
	var problems []fieldError
	for _, m := range pr.Measures {
		k := fieldKey(m.Measure)
		in := &answerInput{Input: survey.Input{Measure: m.Measure, Maturity: -1,
			Answer:   r.PostFormValue("svar-" + k),
			Reason:   strings.TrimSpace(r.PostFormValue("grunn-" + k)),
			Comment:  strings.TrimSpace(r.PostFormValue("kommentar-" + k)),
			Evidence: strings.TrimSpace(r.PostFormValue("dok-" + k))}}
		bad := func(field, id, msg string) {
			if in.errs == nil {
				in.errs = map[string]string{}
			}
			if _, dup := in.errs[field]; dup {
				return
			}
			in.errs[field] = msg
			problems = append(problems, fieldError{Field: id, Message: "Tiltak " + m.Measure + ": " + msg})
		}
		first := "svar-" + k
		if len(rd.Settings.Scale) > 0 {
			first += "-" + rd.Settings.Scale[0]
		}
		if v := r.PostFormValue("modenhet-" + k); v != "" && rd.Settings.Maturity {
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 || n > 5 {
				bad("modenhet", "modenhet-"+k, "velg modenhet fra 0 til 5.")
			} else {
				in.Maturity = n
			}
		}
		known := in.Answer == ""
		for _, a := range rd.Settings.Scale {
			known = known || in.Answer == a
		}
		switch {
		case !known:
			bad("svar", first, "velg et av svarene.")
		case in.Answer == "" && (in.Reason != "" || in.Comment != "" || in.Evidence != "" || in.Maturity >= 0):
			bad("svar", first, "velg et svar; uten svar blir ikke resten lagret.")
		case in.Answer == store.AnswerNotRelevant && in.Reason == "":
			bad("grunn", "grunn-"+k, "skriv hvorfor tiltaket ikke er relevant.")
		case in.Answer != store.AnswerNotRelevant && in.Reason != "":
			bad("grunn", "grunn-"+k, "grunnen lagres bare med svaret «Ikke relevant». Velg det, eller tøm feltet.")
		}
		for _, f := range []struct {
			field, label, text string
			max                int
		}{
			{"grunn", "grunnen", in.Reason, maxCommentChars},
			{"kommentar", "kommentaren", in.Comment, maxCommentChars},
			{"dok", "dokumentasjonen", in.Evidence, maxEvidenceChars},
		} {
			switch n := utf8.RuneCountInString(f.text); {
			case !utf8.ValidString(f.text):
				bad(f.field, f.field+"-"+k, f.label+" har tegn som ikke kan leses; skriv den inn på nytt.")
			case n > f.max:
				bad(f.field, f.field+"-"+k, fmt.Sprintf("%s kan ha høyst %s tegn; den har %s.", f.label, progress.Number(f.max), progress.Number(n)))
			}
		}
		byMeasure[m.Measure] = in
		list = append(list, in.Input)
	}
	return byMeasure, list, problems
}

// wantsJSON reports whether the request is the page's script saving
// (static/survey.js), which reads a JSON answer instead of a page.
func wantsJSON(r *http.Request) bool {
	return strings.Contains(r.Header.Get("Accept"), "application/json")
}

// saveReply is what the page's script gets back.
type saveReply struct {
	Version  int          `json:"version,omitempty"`
	Message  string       `json:"message"`
	Conflict bool         `json:"conflict,omitempty"`
	Errors   []fieldError `json:"errors,omitempty"`
}

// surveySave stores the answers to one principle, if nobody saved the
// principle since the form was made (its version). Without JavaScript it
// redirects to the form with a notice; with it (Accept: application/json)
// it answers with the new version. A form with problems, or one that
// meets a newer version, is shown again with what the person wrote kept,
// and with a conflict, what is stored now beside each measure that
// differs: nothing is overwritten that the person has not seen.
func (s *Server) surveySave(w http.ResponseWriter, r *http.Request) error {
	o, err := s.memberView(r)
	if err != nil {
		return err
	}
	pr, _, _, _, err := principleOf(o, r.PathValue("principle"))
	if err != nil {
		return err
	}
	version, err := strconv.Atoi(r.PostFormValue("versjon"))
	if err != nil || version < 0 {
		return fault.WithUser(fault.Invalid, "Skjemaet mangler versjonen sin. Last siden på nytt.", fmt.Errorf("version %q", r.PostFormValue("versjon")))
	}
	input, list, problems := readAnswers(r, o.view.Round, pr)
	if len(problems) > 0 {
		if wantsJSON(r) {
			return writeJSON(w, http.StatusBadRequest, saveReply{Message: "Ikke lagret: " + problems[0].Message, Errors: problems})
		}
		pg, err := s.formPage(o, pr.ID, input)
		if err != nil {
			return err
		}
		pg.FormVersion, pg.Errors = version, problems
		return s.render(w, http.StatusBadRequest, pg)
	}
	next, err := o.svc.Save(r.Context(), o.p, o.view.Round.ID, o.org.ID, pr.ID, version, list)
	switch {
	case err == nil:
		if wantsJSON(r) {
			return writeJSON(w, http.StatusOK, saveReply{Version: next, Message: "Lagret kl. " + s.clockText(s.now()) + "."})
		}
		http.Redirect(w, r, "/kartlegging/"+o.view.Round.ID+"/"+pr.ID+"?lagret=1", http.StatusSeeOther)
		return nil
	case fault.Is(err, fault.Conflict):
		return s.saveConflict(w, r, o, pr, version, input, err)
	case fault.Is(err, fault.Invalid):
		if wantsJSON(r) {
			return writeJSON(w, http.StatusBadRequest, saveReply{Message: fault.UserMessage(err)})
		}
		pg, perr := s.formPage(o, pr.ID, input)
		if perr != nil {
			return perr
		}
		pg.FormVersion, pg.Message = version, fault.UserMessage(err)
		return s.render(w, http.StatusBadRequest, pg)
	}
	return err
}

// saveConflict answers a save the store refused as a conflict: either
// someone saved the principle since the form was made, or the
// organisation can no longer answer (closed, submitted, past its last
// day). The form is shown again with the person's input; with a newer
// version, what is stored now is shown beside each measure that differs,
// and the form carries the new version, so saving again is a choice made
// with the other answers in view.
func (s *Server) saveConflict(w http.ResponseWriter, r *http.Request, o *orgRound, pr survey.Principle, version int, input map[string]*answerInput, cause error) error {
	fresh, err := o.svc.View(r.Context(), o.p, o.view.Round.ID, o.org)
	if err != nil {
		return err
	}
	stale := fresh.Versions[pr.ID] != version
	msg := fault.UserMessage(cause)
	if stale {
		msg = "Noen andre har lagret svar på dette prinsippet etter at du åpnet det. Svarene dine er ikke lagret, men står fortsatt i skjemaet. " +
			"Ved hvert tiltak der de lagrede svarene er andre enn dine, ser du hva som er lagret nå. Velg hva som skal gjelde, og lagre igjen."
	}
	if wantsJSON(r) {
		if stale {
			msg = "Noen andre har lagret svar på dette prinsippet etter at du åpnet det. Svarene dine er ikke lagret, og de andres er ikke overskrevet. " +
				"Vis de lagrede svarene ved siden av dine, og velg hva som skal gjelde."
		}
		return writeJSON(w, http.StatusConflict, saveReply{Message: msg, Conflict: stale})
	}
	o.view = fresh
	pg, err := s.formPage(o, pr.ID, input)
	if err != nil {
		return err
	}
	pg.Message, pg.Conflict = msg, stale
	if !stale {
		pg.FormVersion = version
	}
	for i := range pg.Measures {
		m := &pg.Measures[i]
		e := fresh.Answers[m.ID]
		if !stale || e == nil || !e.Given || (e.From != "" && e.InheritedFrom == 0) {
			continue
		}
		in := input[m.ID]
		if in == nil || sameInput(in.Input, e.Answer) {
			continue
		}
		m.Stored = "Lagret nå: " + answerText(e.Answer, fresh.Round.Settings.Levels) + "."
		if c := lastChange(fresh.Changes, m.ID); c != nil {
			m.Stored = fmt.Sprintf("Lagret av %s %s: %s.", changedBy(c), norDateTime(c.ChangedAt, s.loc), answerText(e.Answer, fresh.Round.Settings.Levels))
		}
		pg.Differs = append(pg.Differs, fieldError{Field: "lagret-" + m.Key, Message: "Tiltak " + m.ID + ": " + m.Stored})
	}
	return s.render(w, http.StatusConflict, pg)
}

// sameInput reports whether what a person sent is what is stored.
func sameInput(in survey.Input, a store.Answer) bool {
	return in.Answer == a.Answer && in.Reason == a.Reason && in.Maturity == a.Maturity && in.Comment == a.Comment && in.Evidence == a.Evidence
}

package web

import (
	"net/http"
	"slices"
	"sort"
	"strings"

	"github.com/grunnlag/grunnlag/internal/fault"
	"github.com/grunnlag/grunnlag/internal/store"
	"github.com/grunnlag/grunnlag/internal/survey"
)

// The administrator's pages of the self-assessment: the rounds, a new
// round, and one round with what can be done to it (open, close, extend
// the deadline for one organisation, reopen a submission). Every action
// goes through survey.Service, which writes it to the audit log.

// adminRoundsPage lists the rounds and makes new ones.
type adminRoundsPage struct {
	base
	Rounds []adminRoundLine
	Form   roundForm
	Groups []principleGroup
	Error  string
}

type adminRoundLine struct {
	ID, Name      string
	Status        string
	Opens, Closes string
	Submitted     int
}

// roundForm is the new round form's values, kept when it is shown again.
type roundForm struct {
	ID, Name          string
	OpensOn, ClosesOn string
	Maturity          bool
}

// principleGroup is a category with its principles, as check boxes.
type principleGroup struct {
	ID, Title  string
	Principles []choice
}

func (*adminRoundsPage) template() string { return "survey_admin_rounds" }

// statusText names a round's status in bokmål.
func statusText(status string) string {
	switch status {
	case store.RoundDraft:
		return "utkast"
	case store.RoundOpen:
		return "åpen"
	case store.RoundClosed:
		return "lukket"
	}
	return status
}

func (s *Server) adminRounds(w http.ResponseWriter, r *http.Request) error {
	return s.renderRounds(w, r, http.StatusOK, &adminRoundsPage{}, nil)
}

func (s *Server) renderRounds(w http.ResponseWriter, r *http.Request, status int, pg *adminRoundsPage, chosen []string) error {
	svc, err := s.surveyService()
	if err != nil {
		return err
	}
	rounds, err := svc.Rounds(r.Context())
	if err != nil {
		return err
	}
	for _, rd := range rounds {
		subs, err := svc.Submissions(r.Context(), rd.ID)
		if err != nil {
			return err
		}
		pg.Rounds = append(pg.Rounds, adminRoundLine{ID: rd.ID, Name: rd.Name, Status: statusText(rd.Status),
			Opens: s.dayText(rd.OpensOn), Closes: s.dayText(rd.ClosesOn), Submitted: len(subs)})
	}
	titles := map[string]string{}
	for _, c := range s.cfg.Pack.Categories {
		titles[c.ID] = c.Title
	}
	for _, p := range s.cfg.Pack.Principles {
		if n := len(pg.Groups); n == 0 || pg.Groups[n-1].ID != p.Category {
			pg.Groups = append(pg.Groups, principleGroup{ID: p.Category, Title: titles[p.Category]})
		}
		g := &pg.Groups[len(pg.Groups)-1]
		g.Principles = append(g.Principles, choice{ID: "prinsipp-" + fieldKey(p.ID), Value: p.ID, Label: p.ID + " " + p.Title, Checked: slices.Contains(chosen, p.ID)})
	}
	pg.setBase("Kartleggingsrunder", "")
	return s.render(w, status, pg)
}

func (s *Server) adminRoundCreate(w http.ResponseWriter, r *http.Request) error {
	svc, err := s.surveyService()
	if err != nil {
		return err
	}
	f := roundForm{ID: strings.TrimSpace(r.PostFormValue("id")), Name: strings.TrimSpace(r.PostFormValue("navn")),
		OpensOn: strings.TrimSpace(r.PostFormValue("apner")), ClosesOn: strings.TrimSpace(r.PostFormValue("frist")),
		Maturity: r.PostFormValue("modenhet") == "1"}
	chosen := r.PostForm["prinsipp"]
	set := survey.DefaultSettings(s.cfg.Pack)
	set.Maturity = f.Maturity
	_, err = svc.CreateRound(r.Context(), principalOf(r).Actor(), survey.RoundSpec{ID: f.ID, Name: f.Name, OpensOn: f.OpensOn, ClosesOn: f.ClosesOn,
		Settings: set, Principles: chosen})
	if fault.Is(err, fault.Invalid) || fault.Is(err, fault.Conflict) {
		return s.renderRounds(w, r, fault.KindOf(err).Status(), &adminRoundsPage{Form: f, Error: fault.UserMessage(err)}, chosen)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/admin/runder/"+f.ID, http.StatusSeeOther)
	return nil
}

// adminRoundPage is one round: its settings, its submissions, and the
// actions its status allows.
type adminRoundPage struct {
	base
	ID, Name           string
	Status             string
	Opens, Closes      string
	Framework          string
	Measures           int
	Principles         []string
	Maturity           bool
	ProviderPrinciples string
	CanOpen, CanClose  bool
	Closed             bool
	Submissions        []submissionLine
	ExtendOrg          string
	ExtendDate         string
	Notice             string
	Error              string
}

type submissionLine struct {
	OrgCode, OrgName string
	When             string
}

func (*adminRoundPage) template() string { return "survey_admin_round" }

// adminNotices are the notices after an action, by the key the action
// redirects with: fixed words, so an address cannot make the page say
// anything else.
var adminNotices = map[string]string{
	"apnet":     "Runden er åpnet. Kommunene kan svare fra åpningsdagen.",
	"lukket":    "Runden er lukket. Svarene kan ikke endres lenger.",
	"utsatt":    "Fristen er utsatt for organisasjonen.",
	"gjenapnet": "Innsendingen er åpnet igjen; organisasjonen kan endre svarene og sende inn på nytt.",
}

func (s *Server) adminRound(w http.ResponseWriter, r *http.Request) error {
	return s.renderRound(w, r, http.StatusOK, &adminRoundPage{Notice: adminNotices[r.URL.Query().Get("ok")]})
}

func (s *Server) renderRound(w http.ResponseWriter, r *http.Request, status int, pg *adminRoundPage) error {
	svc, err := s.surveyService()
	if err != nil {
		return err
	}
	ctx := r.Context()
	rd, err := svc.Round(ctx, r.PathValue("id"))
	if err != nil {
		return err
	}
	pg.ID, pg.Name, pg.Status, pg.Framework = rd.ID, rd.Name, statusText(rd.Status), rd.Framework
	pg.Opens, pg.Closes, pg.Measures, pg.Maturity = s.dayText(rd.OpensOn), s.dayText(rd.ClosesOn), len(rd.Measures), rd.Settings.Maturity
	pg.CanOpen, pg.CanClose, pg.Closed = rd.Status == store.RoundDraft, rd.Status != store.RoundClosed, rd.Status == store.RoundClosed
	for _, c := range rd.Categories {
		for _, p := range c.Principles {
			pg.Principles = append(pg.Principles, p.ID)
		}
	}
	pg.ProviderPrinciples = strings.Join(rd.Settings.ProviderPrinciples, ", ")
	subs, err := svc.Submissions(ctx, rd.ID)
	if err != nil {
		return err
	}
	if len(subs) > 0 {
		orgs, err := s.cfg.Accounts.Organisations(ctx, "")
		if err != nil {
			return err
		}
		for _, o := range orgs {
			if at, ok := subs[o.ID]; ok {
				pg.Submissions = append(pg.Submissions, submissionLine{OrgCode: o.Code, OrgName: o.Name, When: norDateTime(at, s.loc)})
			}
		}
		sort.Slice(pg.Submissions, func(i, j int) bool { return pg.Submissions[i].OrgCode < pg.Submissions[j].OrgCode })
	}
	pg.setBase(rd.Name, "")
	return s.render(w, status, pg)
}

// roundAction runs one administrator's action on a round; a refusal the
// person can act on is shown on the round's page.
func (s *Server) roundAction(w http.ResponseWriter, r *http.Request, ok string, pg *adminRoundPage, act func(*survey.Service) error) error {
	svc, err := s.surveyService()
	if err != nil {
		return err
	}
	err = act(svc)
	switch kind := fault.KindOf(err); {
	case err == nil:
		http.Redirect(w, r, "/admin/runder/"+r.PathValue("id")+"?ok="+ok, http.StatusSeeOther)
		return nil
	case kind == fault.Invalid || kind == fault.Conflict || (kind == fault.NotFound && pg.ExtendOrg != ""):
		pg.Error = fault.UserMessage(err)
		return s.renderRound(w, r, kind.Status(), pg)
	}
	return err
}

func (s *Server) adminRoundOpen(w http.ResponseWriter, r *http.Request) error {
	return s.roundAction(w, r, "apnet", &adminRoundPage{}, func(svc *survey.Service) error {
		return svc.SetStatus(r.Context(), principalOf(r).Actor(), r.PathValue("id"), store.RoundOpen)
	})
}

func (s *Server) adminRoundClose(w http.ResponseWriter, r *http.Request) error {
	if r.PostFormValue("bekreft") != "1" {
		return s.renderRound(w, r, http.StatusBadRequest, &adminRoundPage{Error: "Kryss av for at du vil lukke runden. En lukket runde kan ikke åpnes igjen."})
	}
	return s.roundAction(w, r, "lukket", &adminRoundPage{}, func(svc *survey.Service) error {
		return svc.SetStatus(r.Context(), principalOf(r).Actor(), r.PathValue("id"), store.RoundClosed)
	})
}

func (s *Server) adminRoundExtend(w http.ResponseWriter, r *http.Request) error {
	org, date := strings.TrimSpace(r.PostFormValue("org")), strings.TrimSpace(r.PostFormValue("frist"))
	pg := &adminRoundPage{ExtendOrg: org, ExtendDate: date}
	if org == "" {
		pg.Error = "Skriv koden til organisasjonen som skal få utsatt frist."
		return s.renderRound(w, r, http.StatusBadRequest, pg)
	}
	return s.roundAction(w, r, "utsatt", pg, func(svc *survey.Service) error {
		return svc.Extend(r.Context(), principalOf(r).Actor(), r.PathValue("id"), org, date)
	})
}

func (s *Server) adminRoundReopen(w http.ResponseWriter, r *http.Request) error {
	org := strings.TrimSpace(r.PostFormValue("org"))
	return s.roundAction(w, r, "gjenapnet", &adminRoundPage{}, func(svc *survey.Service) error {
		err := svc.Reopen(r.Context(), principalOf(r).Actor(), r.PathValue("id"), org)
		if fault.Is(err, fault.NotFound) && fault.UserMessage(err) == fault.NotFound.Message() {
			// The organisation exists, but has no submission to reopen.
			return fault.WithUser(fault.Invalid, "Organisasjonen har ikke sendt inn svar i denne runden.", err)
		}
		return err
	})
}

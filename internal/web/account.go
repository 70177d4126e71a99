package web

import (
	"crypto/subtle"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/grunnlag/grunnlag/internal/auth"
	"github.com/grunnlag/grunnlag/internal/fault"
	"github.com/grunnlag/grunnlag/internal/store"
)

func constantTimeEqual(a, b string) bool {
	return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}

// viewer is who the page header shows as signed in.
type viewer struct {
	Email   string
	OrgName string // the active organisation
	CSRF    string // the session's form token, for the forms of every page
	Admin   bool
	Lead    bool
	Session bool // signed in with a session (not a token): can sign out
}

func newViewer(p *auth.Principal) *viewer {
	if p == nil || !p.SignedIn() {
		return nil
	}
	v := &viewer{Email: p.User.Email, Admin: p.Has(store.RoleAdmin), Lead: p.HasIn(store.RoleLead, p.OrgID), Session: p.Session != nil}
	if p.Session != nil {
		v.CSRF = p.Session.CSRF
	}
	for _, g := range p.Roles {
		if g.OrgID == p.OrgID && p.OrgID != 0 {
			v.OrgName = g.OrgName
		}
	}
	return v
}

// roleNames says in bokmål what each role is.
func roleName(r store.Role) string {
	switch r {
	case store.RoleAdmin:
		return "administrator"
	case store.RoleAnalyst:
		return "analytiker"
	case store.RoleLead:
		return "ansvarlig for kartleggingen"
	case store.RoleRespondent:
		return "svarer i kartleggingen"
	case store.RoleProvider:
		return "svarer for IT-leverandøren"
	}
	return string(r)
}

// accountPage is one's own account: roles, the active organisation, API
// tokens, and signing out everywhere.
type accountPage struct {
	base
	Email    string
	Roles    []roleLine
	Orgs     []store.RoleGrant // the organisations one can act for
	ActiveID int64
	Tokens   []store.Token
	NewToken string // a token just made: shown once
	Method   string
	Error    string
}

type roleLine struct {
	Name string
	Org  string
}

func (*accountPage) template() string { return "account" }

func (s *Server) accountPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderAccount(w, r, http.StatusOK, "", "")
}

func (s *Server) renderAccount(w http.ResponseWriter, r *http.Request, status int, newToken, errMsg string) error {
	p := principalOf(r)
	tokens, err := s.cfg.Accounts.Tokens(r.Context(), p.User.ID)
	if err != nil {
		return err
	}
	pg := &accountPage{Email: p.User.Email, Orgs: p.Orgs(), ActiveID: p.OrgID, Tokens: tokens, NewToken: newToken, Error: errMsg}
	if p.Session != nil {
		pg.Method = p.Session.Method
	}
	for _, g := range p.Roles {
		org := "alle organisasjoner"
		if g.OrgID != 0 {
			org = g.OrgName + " (" + g.OrgCode + ")"
		}
		pg.Roles = append(pg.Roles, roleLine{roleName(g.Role), org})
	}
	pg.setBase("Min konto", "")
	return s.render(w, status, pg)
}

// chooseOrg makes another of one's organisations the active one, under a
// new session id (a change of privilege).
func (s *Server) chooseOrg(w http.ResponseWriter, r *http.Request) error {
	p := principalOf(r)
	if p.Session == nil {
		return fault.WithUser(fault.Invalid, "Velg organisasjon i nettleseren; en API-nøkkel gjelder alle dine organisasjoner.", errors.New("org choice with a token"))
	}
	id, err := strconv.ParseInt(r.PostFormValue("org"), 10, 64)
	if err != nil || !p.MemberOf(id) {
		return fault.WithUser(fault.Forbidden, "Du har ingen rolle i den organisasjonen.", fmt.Errorf("org %q not one of the user's", r.PostFormValue("org")))
	}
	cookie, err := s.cfg.Auth.Renew(r.Context(), p, store.SessionFull, id)
	if err != nil {
		return err
	}
	s.setSession(w, r, cookie)
	http.Redirect(w, r, auth.SafeReturn(r.PostFormValue("neste")), http.StatusSeeOther)
	return nil
}

func (s *Server) tokenCreate(w http.ResponseWriter, r *http.Request) error {
	p := principalOf(r)
	days, err := strconv.Atoi(r.PostFormValue("dager"))
	if err != nil || days < 1 || days > 365 {
		return s.renderAccount(w, r, http.StatusBadRequest, "", "Velg hvor mange dager nøkkelen skal virke: 1 til 365.")
	}
	secret, _, err := s.cfg.Auth.CreateToken(r.Context(), p.Actor(), p.User.ID, r.PostFormValue("navn"), time.Duration(days)*24*time.Hour)
	if err != nil {
		return err
	}
	// Shown once, on this answer; never stored in clear.
	return s.renderAccount(w, r, http.StatusOK, secret, "")
}

func (s *Server) tokenRevoke(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return fault.WithUser(fault.NotFound, "Fant ikke nøkkelen.", err)
	}
	if err := s.cfg.Auth.RevokeToken(r.Context(), principalOf(r), id); err != nil {
		if fault.Is(err, fault.NotFound) {
			return fault.WithUser(fault.NotFound, "Fant ikke nøkkelen blant dine nøkler i bruk.", err)
		}
		return err
	}
	http.Redirect(w, r, "/konto", http.StatusSeeOther)
	return nil
}

// orgPage is a lead's view of the active organisation's people.
type orgPage struct {
	base
	Org     store.Organisation
	Members []memberLine
	Invited string // the link of a respondent just invited
	Added   string // a person who had an account and was given the role
	Error   string
}

type memberLine struct {
	Email    string
	Role     string
	Password bool
}

func (*orgPage) template() string { return "org" }

func (s *Server) orgPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderOrg(w, r, http.StatusOK, &orgPage{})
}

func (s *Server) renderOrg(w http.ResponseWriter, r *http.Request, status int, pg *orgPage) error {
	p := principalOf(r)
	var org store.Organisation
	for _, g := range p.Roles {
		if g.OrgID == p.OrgID {
			org = store.Organisation{ID: g.OrgID, Code: g.OrgCode, Name: g.OrgName}
		}
	}
	// The store checks that the actor may see them (a lead of this
	// organisation); the route's access checked it too.
	members, err := s.cfg.Accounts.OrgMembers(r.Context(), p.User.ID, p.OrgID)
	if err != nil {
		return err
	}
	pg.Org = org
	for _, m := range members {
		pg.Members = append(pg.Members, memberLine{m.User.Email, roleName(m.Role), m.User.PasswordHash != ""})
	}
	pg.setBase(org.Name, "")
	return s.render(w, status, pg)
}

// orgInvite lets a lead invite a respondent to the active organisation:
// a new account is made with the role, and its set-up link is shown for
// the lead to pass on (grunnlag sends no e-mail). A person who has an
// account already just gets the role, and no link: the lead must never
// choose the password of an account that exists.
func (s *Server) orgInvite(w http.ResponseWriter, r *http.Request) error {
	p := principalOf(r)
	code := ""
	for _, g := range p.Roles {
		if g.OrgID == p.OrgID {
			code = g.OrgCode
		}
	}
	u, secret, err := s.cfg.Auth.Invite(r.Context(), p.Actor(), r.PostFormValue("epost"), code)
	if fault.Is(err, fault.Invalid) {
		return s.renderOrg(w, r, http.StatusBadRequest, &orgPage{Error: fault.UserMessage(err)})
	}
	if err != nil {
		return err
	}
	if secret == "" {
		return s.renderOrg(w, r, http.StatusOK, &orgPage{Added: u.Email})
	}
	return s.renderOrg(w, r, http.StatusOK, &orgPage{Invited: s.siteURL(r) + "/konto/lenke/" + secret})
}

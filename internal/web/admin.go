package web

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/grunnlag/grunnlag/internal/auth"
	"github.com/grunnlag/grunnlag/internal/fault"
	"github.com/grunnlag/grunnlag/internal/store"
)

// The administrator's pages: users and their roles, organisations (IT
// providers and regional networks with their members), grants to read a
// municipality's raw answers, and the audit log. Every change is audited.

type adminPage struct{ base }

func (*adminPage) template() string { return "admin" }

func (s *Server) adminPage(w http.ResponseWriter, r *http.Request) error {
	p := &adminPage{}
	p.setBase("Administrasjon", "")
	return s.render(w, http.StatusOK, p)
}

// adminUsersPage lists every user with their roles, and adds users.
type adminUsersPage struct {
	base
	Users []adminUserLine
	Link  string // the set-up link of a user just added
	Added string
	Error string
	Roles []roleOption
}

type adminUserLine struct {
	ID       int64
	Email    string
	Roles    []string
	Password bool
	TOTP     bool
	Disabled bool
}

type roleOption struct {
	Value, Label string
}

func roleOptions() []roleOption {
	var out []roleOption
	for _, r := range store.Roles() {
		out = append(out, roleOption{string(r), roleName(r)})
	}
	return out
}

func (*adminUsersPage) template() string { return "admin_users" }

func (s *Server) adminUsers(w http.ResponseWriter, r *http.Request) error {
	return s.renderUsers(w, r, http.StatusOK, &adminUsersPage{})
}

func (s *Server) renderUsers(w http.ResponseWriter, r *http.Request, status int, pg *adminUsersPage) error {
	users, err := s.cfg.Accounts.Users(r.Context())
	if err != nil {
		return err
	}
	for _, u := range users {
		roles, err := s.cfg.Accounts.RolesOf(r.Context(), u.ID)
		if err != nil {
			return err
		}
		l := adminUserLine{ID: u.ID, Email: u.Email, Password: u.PasswordHash != "", TOTP: u.TOTPSecret != "", Disabled: !u.DisabledAt.IsZero()}
		for _, g := range roles {
			name := roleName(g.Role)
			if g.OrgCode != "" {
				name += " i " + g.OrgName
			}
			l.Roles = append(l.Roles, name)
		}
		pg.Users = append(pg.Users, l)
	}
	pg.Roles = roleOptions()
	pg.setBase("Brukere", "")
	return s.render(w, status, pg)
}

func (s *Server) adminUserAdd(w http.ResponseWriter, r *http.Request) error {
	p := principalOf(r)
	u, secret, err := s.cfg.Auth.AddUser(r.Context(), p.Actor(), r.PostFormValue("epost"), store.Role(r.PostFormValue("rolle")), strings.TrimSpace(r.PostFormValue("org")))
	if fault.Is(err, fault.Invalid) || fault.Is(err, fault.NotFound) {
		return s.renderUsers(w, r, http.StatusBadRequest, &adminUsersPage{Error: fault.UserMessage(err)})
	}
	if err != nil {
		return err
	}
	pg := &adminUsersPage{Added: u.Email}
	if secret != "" {
		pg.Link = s.siteURL(r) + "/konto/lenke/" + secret
	}
	return s.renderUsers(w, r, http.StatusOK, pg)
}

// adminUserPage is one user: roles to revoke and grant, closing the
// account, a new link.
type adminUserPage struct {
	base
	User  store.User
	Roles []store.RoleGrant
	Link  string
	Error string
	Names map[store.Role]string
	Opts  []roleOption
}

func (*adminUserPage) template() string { return "admin_user" }

func (s *Server) userOf(r *http.Request) (store.User, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return store.User{}, fault.WithUser(fault.NotFound, "Fant ikke brukeren.", err)
	}
	u, err := s.cfg.Accounts.User(r.Context(), id)
	if fault.Is(err, fault.NotFound) {
		return u, fault.WithUser(fault.NotFound, "Fant ikke brukeren.", err)
	}
	return u, err
}

func (s *Server) adminUser(w http.ResponseWriter, r *http.Request) error {
	return s.renderUser(w, r, http.StatusOK, "", "")
}

func (s *Server) renderUser(w http.ResponseWriter, r *http.Request, status int, link, errMsg string) error {
	u, err := s.userOf(r)
	if err != nil {
		return err
	}
	roles, err := s.cfg.Accounts.RolesOf(r.Context(), u.ID)
	if err != nil {
		return err
	}
	names := map[store.Role]string{}
	for _, x := range store.Roles() {
		names[x] = roleName(x)
	}
	pg := &adminUserPage{User: u, Roles: roles, Link: link, Error: errMsg, Names: names, Opts: roleOptions()}
	pg.setBase(u.Email, "")
	return s.render(w, status, pg)
}

func (s *Server) adminRoleGrant(w http.ResponseWriter, r *http.Request) error {
	u, err := s.userOf(r)
	if err != nil {
		return err
	}
	_, _, err = s.cfg.Auth.AddUser(r.Context(), principalOf(r).Actor(), u.Email, store.Role(r.PostFormValue("rolle")), strings.TrimSpace(r.PostFormValue("org")))
	if fault.Is(err, fault.Invalid) || fault.Is(err, fault.NotFound) {
		return s.renderUser(w, r, http.StatusBadRequest, "", fault.UserMessage(err))
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("/admin/brukere/%d", u.ID), http.StatusSeeOther)
	return nil
}

func (s *Server) adminRoleRevoke(w http.ResponseWriter, r *http.Request) error {
	u, err := s.userOf(r)
	if err != nil {
		return err
	}
	p := principalOf(r)
	role := store.Role(r.PostFormValue("rolle"))
	var orgID int64
	if v := r.PostFormValue("org"); v != "" {
		if orgID, err = strconv.ParseInt(v, 10, 64); err != nil {
			return fault.WithUser(fault.Invalid, "Ugyldig organisasjon.", err)
		}
	}
	if u.ID == p.User.ID && role == store.RoleAdmin {
		return s.renderUser(w, r, http.StatusBadRequest, "", "Du kan ikke ta fra deg selv administratorrollen; be en annen administrator.")
	}
	if err := s.cfg.Accounts.RevokeRole(r.Context(), u.ID, role, orgID); err != nil {
		return err
	}
	// A change of privilege ends the user's sessions: they sign in again
	// with what they have now.
	if _, err := s.cfg.Accounts.DeleteSessions(r.Context(), u.ID); err != nil {
		return err
	}
	if err := s.cfg.Auth.Audit().Record(r.Context(), p.Actor(), "role.revoke", fmt.Sprintf("bruker:%d", u.ID), r.PostFormValue("orgkode"), string(role)); err != nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("/admin/brukere/%d", u.ID), http.StatusSeeOther)
	return nil
}

func (s *Server) adminUserDisable(w http.ResponseWriter, r *http.Request) error {
	u, err := s.userOf(r)
	if err != nil {
		return err
	}
	p := principalOf(r)
	if u.ID == p.User.ID {
		return s.renderUser(w, r, http.StatusBadRequest, "", "Du kan ikke stenge din egen konto.")
	}
	at, action := s.now(), "user.disable"
	if r.PostFormValue("apne") == "1" {
		at, action = time.Time{}, "user.enable"
	}
	if err := s.cfg.Accounts.SetDisabled(r.Context(), u.ID, at); err != nil {
		return err
	}
	if _, err := s.cfg.Accounts.DeleteSessions(r.Context(), u.ID); err != nil {
		return err
	}
	if err := s.cfg.Auth.Audit().Record(r.Context(), p.Actor(), action, fmt.Sprintf("bruker:%d", u.ID), "", ""); err != nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("/admin/brukere/%d", u.ID), http.StatusSeeOther)
	return nil
}

// adminUserLink makes a one-time link to (re)set the user's password.
func (s *Server) adminUserLink(w http.ResponseWriter, r *http.Request) error {
	u, err := s.userOf(r)
	if err != nil {
		return err
	}
	purpose := auth.LinkReset
	if u.PasswordHash == "" {
		purpose = auth.LinkSetup
	}
	secret, err := s.cfg.Auth.NewLink(r.Context(), principalOf(r).Actor(), u.ID, purpose)
	if err != nil {
		return err
	}
	return s.renderUser(w, r, http.StatusOK, s.siteURL(r)+"/konto/lenke/"+secret, "")
}

// adminOrgsPage lists the IT providers and regional networks, with their
// members, and adds them.
type adminOrgsPage struct {
	base
	Orgs           []orgLine
	Municipalities int
	Counties       int
	Error          string
}

type orgLine struct {
	store.Organisation
	Members []store.Membership
}

func (*adminOrgsPage) template() string { return "admin_orgs" }

func (s *Server) adminOrgs(w http.ResponseWriter, r *http.Request) error {
	return s.renderOrgs(w, r, http.StatusOK, "")
}

func (s *Server) renderOrgs(w http.ResponseWriter, r *http.Request, status int, errMsg string) error {
	all, err := s.cfg.Accounts.Organisations(r.Context(), "")
	if err != nil {
		return err
	}
	pg := &adminOrgsPage{Error: errMsg}
	for _, o := range all {
		if !o.RetiredAt.IsZero() {
			continue
		}
		switch o.Kind {
		case store.Municipality:
			pg.Municipalities++
		case store.County:
			pg.Counties++
		default:
			ms, err := s.cfg.Accounts.Memberships(r.Context(), o.Code)
			if err != nil {
				return err
			}
			pg.Orgs = append(pg.Orgs, orgLine{o, ms})
		}
	}
	pg.setBase("Organisasjoner", "")
	return s.render(w, status, pg)
}

func (s *Server) adminOrgAdd(w http.ResponseWriter, r *http.Request) error {
	kind := store.OrgKind(r.PostFormValue("type"))
	code, name := strings.TrimSpace(r.PostFormValue("kode")), strings.TrimSpace(r.PostFormValue("navn"))
	if (kind != store.Provider && kind != store.Network) || code == "" || name == "" {
		return s.renderOrgs(w, r, http.StatusBadRequest, "Velg type, og fyll inn kode og navn.")
	}
	p := principalOf(r)
	o, err := s.cfg.Accounts.AddOrganisation(r.Context(), store.Organisation{Code: code, Kind: kind, Name: name,
		OrgNumber: strings.TrimSpace(r.PostFormValue("orgnr")), Source: "lagt til av " + p.User.Email, CreatedAt: s.now()})
	if fault.Is(err, fault.Conflict) || fault.Is(err, fault.Invalid) {
		return s.renderOrgs(w, r, http.StatusBadRequest, fault.UserMessage(err))
	}
	if err != nil {
		return err
	}
	if err := s.cfg.Auth.Audit().Record(r.Context(), p.Actor(), "org.add", "org:"+o.Code, o.Code, o.Name); err != nil {
		return err
	}
	http.Redirect(w, r, "/admin/organisasjoner", http.StatusSeeOther)
	return nil
}

func (s *Server) adminOrgMember(w http.ResponseWriter, r *http.Request) error {
	parent, member, from := r.PathValue("code"), strings.TrimSpace(r.PostFormValue("medlem")), r.PostFormValue("fra")
	if _, err := time.Parse("2006-01-02", from); err != nil {
		return s.renderOrgs(w, r, http.StatusBadRequest, "Skriv datoen som ÅÅÅÅ-MM-DD.")
	}
	err := s.cfg.Accounts.AddMembership(r.Context(), store.Membership{Parent: parent, Member: member, ValidFrom: from})
	if fault.Is(err, fault.Invalid) || fault.Is(err, fault.NotFound) {
		return s.renderOrgs(w, r, http.StatusBadRequest, "Medlemmet må være en kommune eller fylkeskommune (nummeret, f.eks. 4204), og organisasjonen en leverandør eller et nettverk.")
	}
	if err != nil {
		return err
	}
	if err := s.cfg.Auth.Audit().Record(r.Context(), principalOf(r).Actor(), "org.member", "org:"+parent, member, "fra "+from); err != nil {
		return err
	}
	http.Redirect(w, r, "/admin/organisasjoner", http.StatusSeeOther)
	return nil
}

// adminGrantsPage lists the grants to read raw answers, and gives them.
type adminGrantsPage struct {
	base
	Grants []store.Grant
	Now    time.Time
	Error  string
}

func (*adminGrantsPage) template() string { return "admin_grants" }

func (s *Server) adminGrants(w http.ResponseWriter, r *http.Request) error {
	return s.renderGrants(w, r, http.StatusOK, "")
}

func (s *Server) renderGrants(w http.ResponseWriter, r *http.Request, status int, errMsg string) error {
	gs, err := s.cfg.Accounts.Grants(r.Context())
	if err != nil {
		return err
	}
	pg := &adminGrantsPage{Grants: gs, Now: s.now(), Error: errMsg}
	pg.setBase("Tilganger til svar", "")
	return s.render(w, status, pg)
}

func (s *Server) adminGrantAdd(w http.ResponseWriter, r *http.Request) error {
	p := principalOf(r)
	ctx := r.Context()
	u, err := s.cfg.Accounts.UserByEmail(ctx, r.PostFormValue("epost"))
	if err != nil {
		return s.renderGrants(w, r, http.StatusBadRequest, "Finner ingen bruker med den e-postadressen.")
	}
	roles, err := s.cfg.Accounts.RolesOf(ctx, u.ID)
	if err != nil {
		return err
	}
	// Only an analyst, by that role itself: an administrator's analyst
	// rights do not reach raw answers. And never to oneself: the one who
	// reads under a grant is not the one who gives it.
	if !slices.ContainsFunc(roles, func(g store.RoleGrant) bool { return g.Role == store.RoleAnalyst }) {
		return s.renderGrants(w, r, http.StatusBadRequest, "Tilgang til svar gis bare til analytikere.")
	}
	if u.ID == p.User.ID {
		return s.renderGrants(w, r, http.StatusBadRequest, "Du kan ikke gi deg selv tilgang til svar; be en annen administrator.")
	}
	org, err := s.cfg.Accounts.Organisation(ctx, strings.TrimSpace(r.PostFormValue("org")))
	if err != nil {
		return s.renderGrants(w, r, http.StatusBadRequest, "Finner ingen organisasjon med den koden.")
	}
	until, err := time.ParseInLocation("2006-01-02", r.PostFormValue("til"), s.loc)
	if err != nil {
		return s.renderGrants(w, r, http.StatusBadRequest, "Skriv sluttdatoen som ÅÅÅÅ-MM-DD.")
	}
	until = until.AddDate(0, 0, 1) // through the whole last day
	if until.Sub(s.now()) > 90*24*time.Hour {
		return s.renderGrants(w, r, http.StatusBadRequest, "En tilgang kan vare høyst 90 dager; gi en ny når den trengs.")
	}
	g, err := s.cfg.Accounts.CreateGrant(ctx, store.Grant{UserID: u.ID, OrgID: org.ID, Reason: strings.TrimSpace(r.PostFormValue("grunn")),
		GrantedBy: p.User.ID, GrantedAt: s.now(), ExpiresAt: until})
	if fault.Is(err, fault.Invalid) {
		return s.renderGrants(w, r, http.StatusBadRequest, fault.UserMessage(err))
	}
	if err != nil {
		return err
	}
	if err := s.cfg.Auth.Audit().Record(ctx, p.Actor(), "grant.add", fmt.Sprintf("tilgang:%d", g.ID), org.Code,
		fmt.Sprintf("%s til %s: %s", u.Email, until.Format("2006-01-02"), g.Reason)); err != nil {
		return err
	}
	http.Redirect(w, r, "/admin/tilganger", http.StatusSeeOther)
	return nil
}

func (s *Server) adminGrantRevoke(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return fault.WithUser(fault.NotFound, "Fant ikke tilgangen.", err)
	}
	if err := s.cfg.Accounts.RevokeGrant(r.Context(), id, s.now()); err != nil {
		return err
	}
	if err := s.cfg.Auth.Audit().Record(r.Context(), principalOf(r).Actor(), "grant.revoke", fmt.Sprintf("tilgang:%d", id), "", ""); err != nil {
		return err
	}
	http.Redirect(w, r, "/admin/tilganger", http.StatusSeeOther)
	return nil
}

// adminAuditPage shows the audit log, filtered.
type adminAuditPage struct {
	base
	Entries []store.AuditEntry
	Action  string
	Org     string
	Since   string
	Intact  bool
	Broken  string
	Count   int
}

func (*adminAuditPage) template() string { return "admin_audit" }

func (s *Server) adminAudit(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f := store.AuditFilter{Action: q.Get("handling"), OrgCode: q.Get("org"), Limit: 500}
	pg := &adminAuditPage{Action: f.Action, Org: f.OrgCode, Since: q.Get("siden")}
	if pg.Since != "" {
		t, err := time.ParseInLocation("2006-01-02", pg.Since, s.loc)
		if err != nil {
			return fault.WithUser(fault.Invalid, "Skriv datoen som ÅÅÅÅ-MM-DD.", err)
		}
		f.Since = t
	}
	entries, err := s.cfg.Auth.Audit().Entries(r.Context(), f)
	if err != nil {
		return err
	}
	// Newest first on the page.
	for i := len(entries) - 1; i >= 0; i-- {
		pg.Entries = append(pg.Entries, entries[i])
	}
	n, err := s.cfg.Auth.Audit().Verify(r.Context())
	pg.Count, pg.Intact = n, err == nil
	if err != nil {
		pg.Broken = strings.TrimPrefix(err.Error(), "the audit log is broken: ")
	}
	pg.setBase("Revisjonslogg", "")
	return s.render(w, http.StatusOK, pg)
}

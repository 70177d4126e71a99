// Package auth is who may use grunnlag: people (local accounts with
// argon2id passwords and TOTP, or OIDC sign-in at their organisation's
// identity provider), their roles, sessions kept in the store, personal API
// tokens and one-time links. What a role may do is decided here, below the
// web, so that every way in asks the same questions.
package auth

import (
	"github.com/grunnlag/grunnlag/internal/audit"
	"github.com/grunnlag/grunnlag/internal/store"
)

// Principal is who is asking: a signed-in user (through a session or an
// API token) with their roles. The zero Principal is anonymous.
type Principal struct {
	User    store.User
	Roles   []store.RoleGrant
	Session *store.Session // nil when signed in with a token
	Token   *store.Token   // nil when signed in with a session
	OrgID   int64          // the active organisation; 0 for none
	IP      string
}

// SignedIn reports whether p is a user, fully signed in.
func (p *Principal) SignedIn() bool {
	return p != nil && p.User.ID != 0 && (p.Token != nil || (p.Session != nil && p.Session.Level == store.SessionFull))
}

// Has reports whether p holds a global role. An administrator has what an
// analyst has, but never a grant to raw answers (see Grants).
func (p *Principal) Has(r store.Role) bool {
	if !p.SignedIn() {
		return false
	}
	for _, g := range p.Roles {
		if g.Role == r && g.OrgID == 0 {
			return true
		}
		if r == store.RoleAnalyst && g.Role == store.RoleAdmin {
			return true
		}
	}
	return false
}

// HasIn reports whether p holds a role in an organisation.
func (p *Principal) HasIn(r store.Role, orgID int64) bool {
	if !p.SignedIn() || orgID == 0 {
		return false
	}
	for _, g := range p.Roles {
		if g.Role == r && g.OrgID == orgID {
			return true
		}
	}
	return false
}

// MemberOf reports whether p has any role in an organisation.
func (p *Principal) MemberOf(orgID int64) bool {
	return p.HasIn(store.RoleLead, orgID) || p.HasIn(store.RoleRespondent, orgID) || p.HasIn(store.RoleProvider, orgID)
}

// Orgs returns the organisations p has a role in, each once, in the order
// of the roles.
func (p *Principal) Orgs() []store.RoleGrant {
	var out []store.RoleGrant
	seen := map[int64]bool{}
	for _, g := range p.Roles {
		if g.OrgID != 0 && !seen[g.OrgID] {
			seen[g.OrgID] = true
			out = append(out, g)
		}
	}
	return out
}

// Actor returns p as the audit log names it.
func (p *Principal) Actor() audit.Actor {
	if p == nil || p.User.ID == 0 {
		return audit.Actor{Name: "anonym", IP: ipOf(p)}
	}
	return audit.Actor{ID: p.User.ID, Name: p.User.Email, IP: p.IP}
}

func ipOf(p *Principal) string {
	if p == nil {
		return ""
	}
	return p.IP
}

// needsSecondFactor reports whether a user with these roles must give a
// second factor: administrators and analysts.
func needsSecondFactor(roles []store.RoleGrant) bool {
	for _, g := range roles {
		if g.Role == store.RoleAdmin || g.Role == store.RoleAnalyst {
			return true
		}
	}
	return false
}

// RolesOrNone returns p's roles; none for an anonymous (nil) principal.
func (p *Principal) RolesOrNone() []store.RoleGrant {
	if p == nil {
		return nil
	}
	return p.Roles
}

package auth

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/grunnlag/grunnlag/internal/audit"
	"github.com/grunnlag/grunnlag/internal/fault"
	"github.com/grunnlag/grunnlag/internal/store"
)

// touchEvery is how stale a session's last use may be before a request
// records it again: a write per request would be wasted, and the idle
// timeout is half an hour.
const touchEvery = time.Minute

// Client is where a request comes from: its address and browser.
type Client struct {
	IP        string
	UserAgent string
}

// StartSession signs a user in: a new session with a new id, at level
// (store.SessionFactor while the second factor is pending), by method. It
// returns the cookie's value. A sign-in into a session that existed (a
// previous cookie) never keeps that session's id.
func (s *Service) StartSession(ctx context.Context, u store.User, level, method string, c Client) (string, store.Session, error) {
	secret := newSecret()
	now := s.cfg.Now()
	sess := store.Session{
		IDHash: hashSecret(secret), UserID: u.ID, CSRF: newSecret(), Level: level, Method: method,
		CreatedAt: now, SeenAt: now, ExpiresAt: now.Add(s.cfg.AbsoluteTimeout), IP: c.IP, UserAgent: truncate(c.UserAgent, 256),
	}
	if level == store.SessionFull {
		roles, err := s.st.RolesOf(ctx, u.ID)
		if err != nil {
			return "", sess, err
		}
		if orgs := (&Principal{User: u, Roles: roles, Session: &sess}).Orgs(); len(orgs) == 1 {
			sess.OrgID = orgs[0].OrgID
		}
	}
	if err := s.st.CreateSession(ctx, sess); err != nil {
		return "", sess, err
	}
	action := "login"
	if level != store.SessionFull {
		action = "login.password"
	}
	if err := s.log.Record(ctx, audit.Actor{ID: u.ID, Name: u.Email, IP: c.IP}, action, userObject(u.ID), "", method); err != nil {
		return "", sess, err
	}
	return secret, sess, nil
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// errNoSession is the answer to a cookie that names no session in force.
var errNoSession = fault.Errorf(fault.Unauthorized, "no session in force")

// Session returns the principal of a session cookie's value: the session
// must be in force (within its absolute end, used within the idle
// timeout). It records the use now and then. A session at level
// store.SessionFactor is returned too, for the second-factor page; its
// principal is not SignedIn.
func (s *Service) Session(ctx context.Context, cookie string, c Client) (*Principal, error) {
	if cookie == "" {
		return nil, errNoSession
	}
	now := s.cfg.Now()
	su, err := s.st.SessionUser(ctx, hashSecret(cookie), now)
	if fault.Is(err, fault.NotFound) {
		return nil, errNoSession
	}
	if err != nil {
		return nil, err
	}
	sess, u, roles := su.Session, su.User, su.Roles
	if now.Sub(sess.SeenAt) > s.cfg.IdleTimeout {
		if err := s.st.DeleteSession(ctx, sess.IDHash); err != nil {
			return nil, err
		}
		return nil, errNoSession
	}
	if !u.DisabledAt.IsZero() {
		return nil, errNoSession
	}
	if now.Sub(sess.SeenAt) > touchEvery {
		if err := s.st.TouchSession(ctx, sess.IDHash, now); err != nil {
			return nil, err
		}
		sess.SeenAt = now
	}
	p := &Principal{User: u, Roles: roles, Session: &sess, OrgID: sess.OrgID, IP: c.IP}
	if p.OrgID != 0 && !p.MemberOf(p.OrgID) {
		p.OrgID = 0 // the role in it was taken away
	}
	return p, nil
}

// Renew gives a session a new id and returns the new cookie value: after
// the second factor (level becomes full) and at every change of privilege
// (the active organisation). The old id stops working at once.
func (s *Service) Renew(ctx context.Context, p *Principal, level string, orgID int64) (string, error) {
	if p == nil || p.Session == nil {
		return "", errNoSession
	}
	if orgID != 0 && !p.MemberOf(orgID) && level == store.SessionFull {
		// A full session may only choose an organisation it has a role in;
		// a factor session has no organisation yet.
		return "", fault.WithUser(fault.Forbidden, "Du har ingen rolle i den organisasjonen.", fmt.Errorf("user %d has no role in organisation %d", p.User.ID, orgID))
	}
	secret := newSecret()
	next := *p.Session
	next.IDHash, next.CSRF, next.Level, next.OrgID, next.SeenAt = hashSecret(secret), newSecret(), level, orgID, s.cfg.Now()
	if level == store.SessionFull && orgID == 0 {
		if orgs := (&Principal{User: p.User, Roles: p.Roles, Session: &next}).Orgs(); len(orgs) == 1 {
			next.OrgID = orgs[0].OrgID
		}
	}
	if err := s.st.ReplaceSession(ctx, p.Session.IDHash, next); err != nil {
		return "", err
	}
	*p.Session = next
	p.OrgID = next.OrgID
	return secret, nil
}

// Logout ends the session of a cookie on the server.
func (s *Service) Logout(ctx context.Context, p *Principal) error {
	if p == nil || p.Session == nil {
		return nil
	}
	if err := s.st.DeleteSession(ctx, p.Session.IDHash); err != nil {
		return err
	}
	return s.log.Record(ctx, p.Actor(), "logout", userObject(p.User.ID), "", "")
}

// LogoutEverywhere ends every session of the user and returns how many.
func (s *Service) LogoutEverywhere(ctx context.Context, p *Principal) (int, error) {
	if p == nil || p.User.ID == 0 {
		return 0, errNoSession
	}
	// Ended sessions first, so that the count is of those in force.
	if err := s.st.DeleteExpired(ctx, s.cfg.Now()); err != nil {
		return 0, err
	}
	n, err := s.st.DeleteSessions(ctx, p.User.ID)
	if err != nil {
		return 0, err
	}
	return n, s.log.Record(ctx, p.Actor(), "logout.everywhere", userObject(p.User.ID), "", fmt.Sprintf("%d økter", n))
}

// CheckCSRF reports whether token is the session's form token.
func CheckCSRF(p *Principal, token string) error {
	if p == nil || p.Session == nil || token == "" || !constantEqual(p.Session.CSRF, token) {
		return fault.WithUser(fault.Forbidden, "Skjemaet er utløpt eller kom ikke fra denne siden. Last siden på nytt og prøv igjen.",
			errors.New("CSRF token missing or wrong"))
	}
	return nil
}

// Token signs in with a personal API token (the value after "Bearer ").
func (s *Service) Token(ctx context.Context, bearer string, c Client) (*Principal, error) {
	unauthorized := fault.WithUser(fault.Unauthorized, "API-nøkkelen er ukjent, utløpt eller trukket tilbake.", errors.New("bad API token"))
	if bearer == "" {
		return nil, unauthorized
	}
	t, err := s.st.TokenByHash(ctx, hashSecret(bearer), s.cfg.Now())
	if fault.Is(err, fault.NotFound) {
		return nil, unauthorized
	}
	if err != nil {
		return nil, err
	}
	u, roles, err := s.st.UserRoles(ctx, t.UserID)
	if err != nil {
		return nil, err
	}
	if !u.DisabledAt.IsZero() {
		return nil, unauthorized
	}
	p := &Principal{User: u, Roles: roles, Token: &t, IP: c.IP}
	if orgs := p.Orgs(); len(orgs) == 1 {
		p.OrgID = orgs[0].OrgID
	}
	return p, nil
}

// TokenPrefix starts every API token, so that one found in a file or a
// log is recognised as grunnlag's.
const TokenPrefix = "gl_"

// CreateToken makes a personal API token for a user, valid for ttl (the
// default when 0), and returns its secret: shown once, kept only hashed.
func (s *Service) CreateToken(ctx context.Context, by audit.Actor, userID int64, name string, ttl time.Duration) (string, store.Token, error) {
	if ttl <= 0 {
		ttl = s.cfg.TokenTTL
	}
	if ttl > 366*24*time.Hour {
		return "", store.Token{}, fault.WithUser(fault.Invalid, "En API-nøkkel kan vare høyst ett år.", errors.New("token lifetime over a year"))
	}
	if name == "" {
		name = "API-nøkkel"
	}
	secret := TokenPrefix + newSecret()
	now := s.cfg.Now()
	t, err := s.st.CreateToken(ctx, store.Token{UserID: userID, Name: truncate(name, 100), Hash: hashSecret(secret),
		Prefix: secret[:len(TokenPrefix)+6], CreatedAt: now, ExpiresAt: now.Add(ttl)})
	if err != nil {
		return "", t, err
	}
	return secret, t, s.log.Record(ctx, by, "token.create", fmt.Sprintf("nøkkel:%d", t.ID), "", fmt.Sprintf("for bruker %d, %s", userID, name))
}

// RevokeToken revokes one of a user's own tokens.
func (s *Service) RevokeToken(ctx context.Context, p *Principal, tokenID int64) error {
	if err := s.st.RevokeToken(ctx, p.User.ID, tokenID, s.cfg.Now()); err != nil {
		return err
	}
	return s.log.Record(ctx, p.Actor(), "token.revoke", fmt.Sprintf("nøkkel:%d", tokenID), "", "")
}

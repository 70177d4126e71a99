package web

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/grunnlag/grunnlag/internal/auth"
	"github.com/grunnlag/grunnlag/internal/fault"
	"github.com/grunnlag/grunnlag/internal/store"
)

// Sign-in: a password form (then a TOTP code for administrators and
// analysts), buttons for the OIDC providers, and one-time links for
// setting a password. Before anyone is signed in, forms are protected by
// a form token of their own: a random cookie whose value the form repeats
// (double submit), besides the refusal of cross-origin posts.

// formCookie holds the anonymous form token.
const formCookie = "grunnlag-skjema"

// formToken returns the anonymous form token of the request, setting a
// new one when it has none.
func (s *Server) formToken(w http.ResponseWriter, r *http.Request) string {
	if c, err := r.Cookie(formCookie); err == nil && len(c.Value) >= 32 {
		return c.Value
	}
	b := make([]byte, 24)
	rand.Read(b)
	v := base64.RawURLEncoding.EncodeToString(b)
	http.SetCookie(w, &http.Cookie{Name: formCookie, Value: v, Path: "/", HttpOnly: true, Secure: s.secure(r), SameSite: http.SameSiteStrictMode})
	return v
}

// checkFormToken refuses an anonymous form post whose token does not
// match its cookie.
func checkFormToken(r *http.Request) error {
	c, err := r.Cookie(formCookie)
	if err != nil || c.Value == "" || !constantTimeEqual(c.Value, r.PostFormValue("skjema")) {
		return fault.WithUser(fault.Forbidden, "Skjemaet er utløpt eller kom ikke fra denne siden. Last siden på nytt og prøv igjen.",
			errors.New("anonymous form token missing or wrong"))
	}
	return nil
}

// sessionCSRF returns the form token of the session the request comes
// with, if any (a full session, or one waiting for its second factor):
// the forms of signing in carry it too, so that a browser that has a
// session can sign in again, as another person or after its code page
// was left.
func sessionCSRF(r *http.Request) string {
	if p := principalOf(r); p != nil && p.Session != nil {
		return p.Session.CSRF
	}
	return ""
}

// endPrevious ends the session a sign-in replaces: the browser's old
// session id never outlives a sign-in, whoever it belonged to.
func (s *Server) endPrevious(r *http.Request) error {
	if p := principalOf(r); p != nil && p.Session != nil {
		return s.cfg.Auth.Logout(r.Context(), p)
	}
	return nil
}

// loginPage is the sign-in form.
type loginPage struct {
	base
	CSRF      string // the form token of a session the browser has already
	Form      string // the anonymous form token
	Next      string // where to go after signing in
	Email     string
	Error     string
	Notice    string
	Providers []auth.Provider
}

func (*loginPage) template() string { return "login" }

func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) error {
	if s.cfg.Auth == nil {
		return fault.WithUser(fault.NotFound, "Denne tjeneren har ikke innlogging.", errors.New("no auth configured"))
	}
	p := &loginPage{CSRF: sessionCSRF(r), Form: s.formToken(w, r), Next: auth.SafeReturn(r.URL.Query().Get("neste")), Providers: s.cfg.OIDC.Providers()}
	if r.URL.Query().Get("satt") == "1" {
		p.Notice = "Passordet er satt. Logg inn med det."
	}
	if r.URL.Query().Get("ut") == "1" {
		p.Notice = "Du er logget ut."
	}
	return s.renderLogin(w, r, http.StatusOK, p)
}

// discoveryWait bounds how long the sign-in page waits for the discovery
// document of a provider it has not read yet.
const discoveryWait = 3 * time.Second

// renderLogin renders the sign-in page. Its Content-Security-Policy lets
// the provider buttons' forms lead to the providers: browsers apply
// form-action to the redirect that follows a form's post, and the
// site-wide policy allows only the site itself.
func (s *Server) renderLogin(w http.ResponseWriter, r *http.Request, status int, p *loginPage) error {
	if len(p.Providers) > 0 {
		ctx, cancel := context.WithTimeout(r.Context(), discoveryWait)
		defer cancel()
		if origins := s.cfg.OIDC.FormOrigins(ctx); len(origins) > 0 {
			w.Header().Set("Content-Security-Policy", strings.Replace(contentSecurityPolicy,
				"form-action 'self'", "form-action 'self' "+strings.Join(origins, " "), 1))
		}
	}
	p.setBase("Logg inn", "")
	return s.render(w, status, p)
}

// loginPassword checks the password form. Administrators and analysts go
// on to the code page; everyone else is signed in.
func (s *Server) loginPassword(w http.ResponseWriter, r *http.Request) error {
	if s.cfg.Auth == nil {
		return fault.WithUser(fault.NotFound, "Denne tjeneren har ikke innlogging.", errors.New("no auth configured"))
	}
	if err := checkFormToken(r); err != nil {
		return err
	}
	email, next := r.PostFormValue("epost"), auth.SafeReturn(r.PostFormValue("neste"))
	c := auth.Client{IP: s.clientIP(r), UserAgent: r.UserAgent()}
	u, err := s.cfg.Auth.PasswordLogin(r.Context(), email, r.PostFormValue("passord"), c.IP)
	if err != nil {
		if fault.Is(err, fault.Unauthorized) || fault.Is(err, fault.Unavailable) {
			p := &loginPage{CSRF: sessionCSRF(r), Form: s.formToken(w, r), Next: next, Email: email, Error: fault.UserMessage(err), Providers: s.cfg.OIDC.Providers()}
			status := http.StatusUnauthorized
			if fault.Is(err, fault.Unavailable) {
				status = http.StatusTooManyRequests
			}
			return s.renderLogin(w, r, status, p)
		}
		return err
	}
	roles, err := s.cfg.Accounts.RolesOf(r.Context(), u.ID)
	if err != nil {
		return err
	}
	level := store.SessionFull
	if needsFactor(roles) {
		level = store.SessionFactor
	}
	if err := s.endPrevious(r); err != nil {
		return err
	}
	cookie, _, err := s.cfg.Auth.StartSession(r.Context(), u, level, "password", c)
	if err != nil {
		return err
	}
	s.setSession(w, r, cookie)
	if level == store.SessionFactor {
		http.Redirect(w, r, "/logg-inn/kode?neste="+url.QueryEscape(next), http.StatusSeeOther)
		return nil
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
	return nil
}

// needsFactor reports whether roles require a second factor at sign-in
// with a password: administrators and analysts.
func needsFactor(roles []store.RoleGrant) bool {
	for _, g := range roles {
		if g.Role == store.RoleAdmin || g.Role == store.RoleAnalyst {
			return true
		}
	}
	return false
}

// codePage asks for the TOTP code; a user without one yet sets it up here,
// from the secret shown (and its otpauth address).
type codePage struct {
	base
	CSRF    string // the waiting session's form token (it has no viewer yet)
	Next    string
	Error   string
	Setup   bool   // the user has no TOTP yet
	Secret  string // the new secret, while setting up
	Address string // otpauth:// for the authenticator app
}

func (*codePage) template() string { return "code" }

func (s *Server) codePage(w http.ResponseWriter, r *http.Request) error {
	p := principalOf(r)
	pg := &codePage{CSRF: p.Session.CSRF, Next: auth.SafeReturn(r.URL.Query().Get("neste"))}
	if p.User.TOTPSecret == "" {
		secret, address, err := auth.NewTOTP(p.User.Email)
		if err != nil {
			return err
		}
		pg.Setup, pg.Secret, pg.Address = true, secret, address
	}
	pg.setBase("Engangskode", "")
	return s.render(w, http.StatusOK, pg)
}

// codeSubmit checks the code and signs the user in fully, under a new
// session id. While setting up, the secret comes back with the form and
// is kept once a code from it is right.
func (s *Server) codeSubmit(w http.ResponseWriter, r *http.Request) error {
	p := principalOf(r)
	next := auth.SafeReturn(r.PostFormValue("neste"))
	secret, setup := p.User.TOTPSecret, p.User.TOTPSecret == ""
	if setup {
		secret = strings.TrimSpace(r.PostFormValue("hemmelighet"))
		if len(secret) < 16 || len(secret) > 64 {
			return fault.WithUser(fault.Invalid, "Oppsettet av engangskoder mangler. Last siden på nytt.", errors.New("no TOTP secret in the set-up form"))
		}
	}
	if err := s.cfg.Auth.CheckTOTP(r.Context(), p.User, secret, r.PostFormValue("kode"), s.clientIP(r)); err != nil {
		if !fault.Is(err, fault.Unauthorized) && !fault.Is(err, fault.Unavailable) {
			return err
		}
		pg := &codePage{CSRF: p.Session.CSRF, Next: next, Error: fault.UserMessage(err), Setup: setup}
		if setup {
			pg.Secret = secret
			pg.Address = fmt.Sprintf("otpauth://totp/grunnlag:%s?issuer=grunnlag&secret=%s", url.PathEscape(p.User.Email), secret)
		}
		pg.setBase("Engangskode", "")
		return s.render(w, http.StatusUnauthorized, pg)
	}
	if setup {
		if err := s.cfg.Accounts.SetTOTP(r.Context(), p.User.ID, secret); err != nil {
			return err
		}
		if err := s.cfg.Auth.Audit().Record(r.Context(), p.Actor(), "totp.set", fmt.Sprintf("bruker:%d", p.User.ID), "", ""); err != nil {
			return err
		}
	}
	cookie, err := s.cfg.Auth.Renew(r.Context(), p, store.SessionFull, 0)
	if err != nil {
		return err
	}
	if err := s.cfg.Auth.Audit().Record(r.Context(), p.Actor(), "login", fmt.Sprintf("bruker:%d", p.User.ID), "", "passord og engangskode"); err != nil {
		return err
	}
	s.setSession(w, r, cookie)
	http.Redirect(w, r, next, http.StatusSeeOther)
	return nil
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) error {
	if err := s.cfg.Auth.Logout(r.Context(), principalOf(r)); err != nil {
		return err
	}
	s.clearSession(w, r)
	http.Redirect(w, r, "/logg-inn?ut=1", http.StatusSeeOther)
	return nil
}

func (s *Server) logoutEverywhere(w http.ResponseWriter, r *http.Request) error {
	if _, err := s.cfg.Auth.LogoutEverywhere(r.Context(), principalOf(r)); err != nil {
		return err
	}
	s.clearSession(w, r)
	http.Redirect(w, r, "/logg-inn?ut=1", http.StatusSeeOther)
	return nil
}

// linkPage is the form of a one-time link: choose a password.
type linkPage struct {
	base
	CSRF    string // the form token of a session the browser has already
	Form    string
	Email   string
	Purpose string
	Error   string
	Min     int
}

func (*linkPage) template() string { return "link" }

func (s *Server) linkPage(w http.ResponseWriter, r *http.Request) error {
	if s.cfg.Auth == nil {
		return fault.WithUser(fault.NotFound, "Denne tjeneren har ikke innlogging.", errors.New("no auth configured"))
	}
	l, u, err := s.cfg.Auth.PeekLink(r.Context(), r.PathValue("secret"))
	if err != nil {
		return err
	}
	// The link is a secret: keep it out of the Referer of what the page loads.
	w.Header().Set("Referrer-Policy", "no-referrer")
	p := &linkPage{CSRF: sessionCSRF(r), Form: s.formToken(w, r), Email: u.Email, Purpose: l.Purpose, Min: auth.MinPassword}
	p.setBase("Velg passord", "")
	return s.render(w, http.StatusOK, p)
}

func (s *Server) linkSubmit(w http.ResponseWriter, r *http.Request) error {
	if s.cfg.Auth == nil {
		return fault.WithUser(fault.NotFound, "Denne tjeneren har ikke innlogging.", errors.New("no auth configured"))
	}
	if err := checkFormToken(r); err != nil {
		return err
	}
	secret := r.PathValue("secret")
	pw, again := r.PostFormValue("passord"), r.PostFormValue("gjenta")
	var err error
	if pw != again {
		err = fault.WithUser(fault.Invalid, "Passordene er ikke like.", errors.New("passwords differ"))
	} else {
		_, err = s.cfg.Auth.SetPasswordWithLink(r.Context(), secret, pw, s.clientIP(r))
	}
	if fault.Is(err, fault.Invalid) {
		l, u, perr := s.cfg.Auth.PeekLink(r.Context(), secret)
		if perr != nil {
			return perr
		}
		w.Header().Set("Referrer-Policy", "no-referrer")
		p := &linkPage{CSRF: sessionCSRF(r), Form: s.formToken(w, r), Email: u.Email, Purpose: l.Purpose, Error: fault.UserMessage(err), Min: auth.MinPassword}
		p.setBase("Velg passord", "")
		return s.render(w, http.StatusBadRequest, p)
	}
	if err != nil {
		return err
	}
	s.clearSession(w, r) // a password set through a link ends the sessions
	http.Redirect(w, r, "/logg-inn?satt=1", http.StatusSeeOther)
	return nil
}

// oidcCookie binds a sign-in through a provider to the browser that began
// it: it holds the state, which the callback must bring back. SameSite=Lax
// lets it come along on the provider's redirect back (a top-level GET).
const oidcCookie = "grunnlag-oidc"

// oidcStart sends the browser to an identity provider.
func (s *Server) oidcStart(w http.ResponseWriter, r *http.Request) error {
	if err := checkFormToken(r); err != nil {
		return err
	}
	id := r.PathValue("provider")
	to, state, err := s.cfg.OIDC.Start(r.Context(), id, s.callbackURL(r, id), r.PostFormValue("neste"))
	if err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{Name: oidcCookie, Value: state, Path: "/logg-inn/oidc/", MaxAge: int(auth.OIDCStateTTL.Seconds()),
		HttpOnly: true, Secure: s.secure(r), SameSite: http.SameSiteLaxMode})
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}

// oidcCallback completes a sign-in at an identity provider. The session
// is full: the provider has done its own second factor.
func (s *Server) oidcCallback(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("provider")
	q := r.URL.Query()
	if e := q.Get("error"); e != "" {
		return fault.WithUser(fault.Unauthorized, "Innloggingstjenesten avbrøt innloggingen. Prøv igjen.", fmt.Errorf("provider %s: %s", id, e))
	}
	// The state is used up either way; the cookie goes with it.
	http.SetCookie(w, &http.Cookie{Name: oidcCookie, Value: "", Path: "/logg-inn/oidc/", MaxAge: -1,
		HttpOnly: true, Secure: s.secure(r), SameSite: http.SameSiteLaxMode})
	if c, err := r.Cookie(oidcCookie); err != nil || q.Get("state") == "" || !constantTimeEqual(c.Value, q.Get("state")) {
		return s.oidcFailed(r, id, auth.ErrOIDCBrowser)
	}
	in, err := s.cfg.OIDC.Finish(r.Context(), id, s.callbackURL(r, id), q.Get("state"), q.Get("code"))
	if err != nil {
		return s.oidcFailed(r, id, err)
	}
	u, err := s.cfg.Auth.SignInOIDC(r.Context(), in, s.clientIP(r))
	if err != nil {
		return err
	}
	if err := s.endPrevious(r); err != nil {
		return err
	}
	cookie, _, err := s.cfg.Auth.StartSession(r.Context(), u, store.SessionFull, "oidc:"+id, auth.Client{IP: s.clientIP(r), UserAgent: r.UserAgent()})
	if err != nil {
		return err
	}
	s.setSession(w, r, cookie)
	http.Redirect(w, r, auth.SafeReturn(in.ReturnTo), http.StatusSeeOther)
	return nil
}

// oidcFailed records a callback that could not be trusted in the audit
// log (a forged or replayed answer is an attack worth seeing) and returns
// err. The detail is the internal reason, which names no secret.
func (s *Server) oidcFailed(r *http.Request, provider string, err error) error {
	if !fault.Is(err, fault.Unauthorized) {
		return err
	}
	detail := "oidc:" + provider + ": " + err.Error()
	if len(detail) > 300 {
		detail = detail[:300]
	}
	actor := principalOf(r).Actor()
	if actor.IP == "" {
		actor.IP = s.clientIP(r)
	}
	if aerr := s.cfg.Auth.Audit().Record(r.Context(), actor, "login.failed", "", "", detail); aerr != nil {
		return aerr
	}
	return err
}

// callbackURL is grunnlag's OIDC callback for a provider, as registered
// there: under the configured public address, else this request's.
func (s *Server) callbackURL(r *http.Request, provider string) string {
	return s.siteURL(r) + "/logg-inn/oidc/" + url.PathEscape(provider) + "/svar"
}

// siteURL is the site's address: the configured one, else the scheme and
// host of the request.
func (s *Server) siteURL(r *http.Request) string {
	if s.cfg.PublicURL != "" {
		return strings.TrimRight(s.cfg.PublicURL, "/")
	}
	scheme := "http"
	if s.secure(r) {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

package web

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"

	"github.com/grunnlag/grunnlag/internal/auth"
	"github.com/grunnlag/grunnlag/internal/fault"
	"github.com/grunnlag/grunnlag/internal/store"
)

// Who is asking is settled once per request, by identify, and kept in the
// request's context: a session cookie for people, a bearer token for
// programs, or nobody.

type principalKey struct{}

// principalOf returns who is asking: nil for an anonymous request.
func principalOf(r *http.Request) *auth.Principal {
	p, _ := r.Context().Value(principalKey{}).(*auth.Principal)
	return p
}

// The session cookie's names. With the __Host- prefix the browser only
// keeps a cookie that is Secure, has Path=/ and no Domain: it cannot be set
// by a neighbouring site. Over plain HTTP (a laptop, a test), where a
// Secure cookie would not be sent back, the plain name is used.
const (
	sessionCookieSecure = "__Host-grunnlag"
	sessionCookiePlain  = "grunnlag"
)

// secure reports whether the request reached the site over HTTPS: TLS at
// this server, or a trusted proxy in front of it that says so, or a
// configured public address that is https.
func (s *Server) secure(r *http.Request) bool {
	return r.TLS != nil || s.cfg.SecureCookies || (s.trustedProxy(r) && strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https"))
}

// trustedProxy reports whether the request came straight from one of the
// configured reverse proxies, whose forwarding headers are believed.
func (s *Server) trustedProxy(r *http.Request) bool {
	ip := remoteIP(r)
	for _, n := range s.cfg.TrustedProxies {
		if ip != nil && n.Contains(ip) {
			return true
		}
	}
	return false
}

// remoteIP is the address of the peer of the connection.
func remoteIP(r *http.Request) net.IP {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	return net.ParseIP(host)
}

// clientIP is the address of the person or program asking: the peer's, or,
// behind a trusted proxy, the last address the proxies added to
// X-Forwarded-For that is not itself a trusted proxy.
func (s *Server) clientIP(r *http.Request) string {
	ip := remoteIP(r)
	if s.trustedProxy(r) {
		hops := strings.Split(r.Header.Get("X-Forwarded-For"), ",")
		for i := len(hops) - 1; i >= 0; i-- {
			h := net.ParseIP(strings.TrimSpace(hops[i]))
			if h == nil {
				break
			}
			ip = h
			trusted := false
			for _, n := range s.cfg.TrustedProxies {
				trusted = trusted || n.Contains(h)
			}
			if !trusted {
				break
			}
		}
	}
	if ip == nil {
		return ""
	}
	return ip.String()
}

// cookieName returns the session cookie's name for a request.
func (s *Server) cookieName(r *http.Request) string {
	if s.secure(r) {
		return sessionCookieSecure
	}
	return sessionCookiePlain
}

// setSession sets the session cookie: HttpOnly (no script reads it),
// SameSite=Lax (not sent with cross-site form posts), Secure over HTTPS,
// and no expiry (the server ends sessions; the browser forgets the cookie
// when it closes).
func (s *Server) setSession(w http.ResponseWriter, r *http.Request, value string) {
	http.SetCookie(w, &http.Cookie{
		Name: s.cookieName(r), Value: value, Path: "/", HttpOnly: true, Secure: s.secure(r), SameSite: http.SameSiteLaxMode,
	})
}

// clearSession removes the session cookie.
func (s *Server) clearSession(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{
		Name: s.cookieName(r), Value: "", Path: "/", MaxAge: -1, HttpOnly: true, Secure: s.secure(r), SameSite: http.SameSiteLaxMode,
	})
}

// identify finds who is asking and keeps it in the request's context. A
// bearer token that is not valid is refused at once (a program should hear
// that its token is wrong, not get anonymous answers); a session cookie
// that is not valid is dropped and the request goes on anonymous.
// Answers to signed-in requests are never kept by shared caches.
func (s *Server) identify(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.cfg.Auth == nil {
			h.ServeHTTP(w, r)
			return
		}
		c := auth.Client{IP: s.clientIP(r), UserAgent: r.UserAgent()}
		var p *auth.Principal
		if bearer, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok && !s.metricsBearer(r, bearer) {
			var err error
			if p, err = s.cfg.Auth.Token(r.Context(), strings.TrimSpace(bearer), c); err != nil {
				w.Header().Set("WWW-Authenticate", `Bearer realm="grunnlag"`)
				s.fail(w, r, err)
				return
			}
		} else if ck, err := r.Cookie(s.cookieName(r)); err == nil && ck.Value != "" {
			p, err = s.cfg.Auth.Session(r.Context(), ck.Value, c)
			switch {
			case fault.Is(err, fault.Unauthorized):
				s.clearSession(w, r)
				p = nil
			case err != nil:
				s.fail(w, r, err)
				return
			}
		}
		if p != nil {
			w.Header().Set("Cache-Control", "private, no-store")
			w.Header().Add("Vary", "Cookie, Authorization")
			r = r.WithContext(context.WithValue(r.Context(), principalKey{}, p))
		}
		h.ServeHTTP(w, r)
	})
}

// checkCSRF refuses a state-changing request made with a session cookie
// that does not carry the session's form token (the hidden field "csrf",
// or the X-CSRF-Token header from the site's own script). Requests with a
// bearer token carry no ambient credential and need none; anonymous form
// posts (sign-in) carry the form token of their own cookie (see
// checkFormToken).
func (s *Server) checkCSRF(r *http.Request) error {
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		return nil
	}
	p := principalOf(r)
	if p == nil || p.Session == nil {
		return nil
	}
	token := r.Header.Get("X-CSRF-Token")
	if token == "" {
		// A body over the limit is a 413, not a missing token.
		if err := r.ParseForm(); err != nil {
			return fault.E(fault.Invalid, fmt.Errorf("form: %w", err))
		}
		// A file upload's token is in its multipart body; a body over the
		// limit is a 413 here too.
		if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
			if err := r.ParseMultipartForm(maxUploadBytes); err != nil {
				return fault.E(fault.Invalid, fmt.Errorf("multipart form: %w", err))
			}
		}
		token = r.PostFormValue("csrf")
	}
	return auth.CheckCSRF(p, token)
}

// errSignInNeeded is the answer to an anonymous request for a route that
// needs a signed-in user.
var errSignInNeeded = fault.WithUser(fault.Unauthorized, "Du må logge inn for å bruke denne siden.", errors.New("not signed in"))

// errNoAccess is the answer to a signed-in user without the role a route
// needs.
var errNoAccess = fault.WithUser(fault.Forbidden, "Du har ikke tilgang til dette. Be en administrator om rollen du trenger.", errors.New("role missing"))

// errFactorFirst is the answer to a request for the code page without a
// session waiting for its second factor.
var errFactorFirst = fault.WithUser(fault.Unauthorized, "Logg inn med passordet ditt først.", errors.New("no session waiting for its second factor"))

// errMetricsKey is the answer to a request for /metrics from elsewhere
// without the metrics token. It is a 403, not a 401: a 401 to a page
// request sends the browser to sign in, and no account can read the
// metrics.
var errMetricsKey = fault.WithUser(fault.Forbidden, "Målingene kan bare leses fra maskinen tjeneren kjører på, eller med nøkkelen fra konfigurasjonen.",
	errors.New("metrics need the bearer token or a loopback caller"))

// checkAccess checks who may use a route of access level a. p is nil for
// an anonymous request; every question below answers false for it.
func (s *Server) checkAccess(r *http.Request, a access) error {
	p := principalOf(r)
	need := func(ok bool) error {
		switch {
		case ok:
			return nil
		case !p.SignedIn():
			return errSignInNeeded
		}
		return errNoAccess
	}
	switch a {
	case everyone:
		return nil
	case signedIn:
		return need(p.SignedIn())
	case secondFactor:
		if p != nil && p.Session != nil && p.Session.Level == store.SessionFactor {
			return nil
		}
		return errFactorFirst
	case analysts:
		return need(p.Has(store.RoleAnalyst))
	case admins:
		return need(p.Has(store.RoleAdmin))
	case leads:
		return need(p != nil && p.HasIn(store.RoleLead, p.OrgID))
	case members:
		return need(p != nil && p.MemberOf(p.OrgID))
	case leadsOrAnalysts:
		lead := false
		for _, g := range p.RolesOrNone() {
			lead = lead || (g.Role == store.RoleLead && p.SignedIn())
		}
		return need(lead || p.Has(store.RoleAnalyst))
	case operators:
		if s.metricsAllowed(r) {
			return nil
		}
		return errMetricsKey
	}
	return fault.Errorf(fault.Forbidden, "unknown access %d", a)
}

// metricsBearer reports whether the bearer token is the configured
// metrics token (which identify must not take for a user's token).
func (s *Server) metricsBearer(r *http.Request, bearer string) bool {
	return s.cfg.MetricsToken != "" && r.URL.Path == "/metrics" && constantTimeEqual(strings.TrimSpace(bearer), s.cfg.MetricsToken)
}

// metricsAllowed reports whether /metrics may answer: to the configured
// bearer token, or to a caller on this machine (by its address, never by
// the Host header, which anyone can set).
func (s *Server) metricsAllowed(r *http.Request) bool {
	if bearer, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok {
		return s.metricsBearer(r, bearer)
	}
	ip := net.ParseIP(s.clientIP(r))
	return ip != nil && ip.IsLoopback()
}

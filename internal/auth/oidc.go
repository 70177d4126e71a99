package auth

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/grunnlag/grunnlag/internal/audit"
	"github.com/grunnlag/grunnlag/internal/fault"
	"github.com/grunnlag/grunnlag/internal/store"
)

// Provider is an OpenID Connect identity provider people sign in with: a
// municipality's Entra ID, ID-porten, or any other that speaks OIDC.
type Provider struct {
	ID           string   // in paths and in the store: "kommune-idp"
	Name         string   // on the sign-in page: "Logg inn med Bergen kommune"
	Issuer       string   // the issuer URL; its /.well-known/openid-configuration is read
	ClientID     string   // grunnlag's client id at the provider
	ClientSecret string   // read from an environment variable or a file, never a flag
	EmailClaim   string   // the claim that holds the e-mail address; "email" when empty
	OrgClaim     string   // the claim that holds the organisation number, when the provider gives one
	Scopes       []string // beyond "openid"; "email" and "profile" when empty
}

// oidcState is how long a sign-in may take between the redirect to the
// provider and the callback.
const oidcStateTTL = 10 * time.Minute

// OIDC signs people in through providers. It reads each provider's
// discovery document when first used.
type OIDC struct {
	svc    *Service
	client *http.Client

	mu        sync.Mutex
	providers map[string]*oidcProvider
}

type oidcProvider struct {
	cfg      Provider
	provider *oidc.Provider // nil until discovered
}

// NewOIDC returns the OIDC sign-in of a service for the providers; client
// is used to reach them (nil: http.DefaultClient with a 10 s timeout).
func NewOIDC(svc *Service, client *http.Client, providers []Provider) (*OIDC, error) {
	if client == nil {
		client = &http.Client{Timeout: 10 * time.Second}
	}
	o := &OIDC{svc: svc, client: client, providers: map[string]*oidcProvider{}}
	for _, p := range providers {
		switch {
		case p.ID == "" || p.Issuer == "" || p.ClientID == "":
			return nil, fault.Errorf(fault.Invalid, "OIDC provider %q needs an id, an issuer and a client id", p.ID)
		case p.ClientSecret == "":
			return nil, fault.Errorf(fault.Invalid, "OIDC provider %s has no client secret (give it in an environment variable or a file)", p.ID)
		case o.providers[p.ID] != nil:
			return nil, fault.Errorf(fault.Invalid, "OIDC provider %s is configured twice", p.ID)
		}
		if p.EmailClaim == "" {
			p.EmailClaim = "email"
		}
		if len(p.Scopes) == 0 {
			p.Scopes = []string{"email", "profile"}
		}
		if p.Name == "" {
			p.Name = p.ID
		}
		o.providers[p.ID] = &oidcProvider{cfg: p}
	}
	return o, nil
}

// Providers lists the configured providers (id and name), by id order of
// configuration.
func (o *OIDC) Providers() []Provider {
	if o == nil {
		return nil
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	out := make([]Provider, 0, len(o.providers))
	for _, p := range o.providers {
		out = append(out, Provider{ID: p.cfg.ID, Name: p.cfg.Name})
	}
	sortProviders(out)
	return out
}

func sortProviders(ps []Provider) {
	for i := 1; i < len(ps); i++ {
		for j := i; j > 0 && ps[j].Name < ps[j-1].Name; j-- {
			ps[j], ps[j-1] = ps[j-1], ps[j]
		}
	}
}

// errUnknownProvider answers a sign-in through a provider that is not
// configured.
func errUnknownProvider(id string) error {
	return fault.WithUser(fault.NotFound, "Ukjent innloggingstjeneste.", fmt.Errorf("unknown OIDC provider %q", id))
}

// provider returns a provider with its discovery document read.
func (o *OIDC) provider(ctx context.Context, id string) (*oidcProvider, error) {
	if o == nil {
		return nil, errUnknownProvider(id)
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	p := o.providers[id]
	if p == nil {
		return nil, errUnknownProvider(id)
	}
	if p.provider == nil {
		dp, err := oidc.NewProvider(oidc.ClientContext(ctx, o.client), p.cfg.Issuer)
		if err != nil {
			return nil, fault.WithUser(fault.Unavailable,
				fmt.Sprintf("Får ikke kontakt med innloggingstjenesten %s. Prøv igjen senere, eller logg inn med passord.", p.cfg.Name),
				fmt.Errorf("discover OIDC provider %s: %w", id, err))
		}
		p.provider = dp
	}
	return p, nil
}

// FormOrigins returns the origins (scheme://host[:port]) a sign-in form
// may lead to: each provider's issuer and, once its discovery document is
// read, its authorisation endpoint. The sign-in page lists them in its
// Content-Security-Policy's form-action, since browsers apply form-action
// to the redirect that follows the form's post. A provider not yet
// discovered is discovered now, within ctx; one that cannot be reached
// gives its issuer's origin only (and says why when its button is used).
func (o *OIDC) FormOrigins(ctx context.Context) []string {
	if o == nil {
		return nil
	}
	var out []string
	add := func(raw string) {
		u, err := url.Parse(raw)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || strings.ContainsAny(u.Host, " ;,'\"") {
			return
		}
		if origin := u.Scheme + "://" + u.Host; !slices.Contains(out, origin) {
			out = append(out, origin)
		}
	}
	for _, p := range o.Providers() {
		cfg := o.config(p.ID)
		add(cfg.Issuer)
		if dp, err := o.provider(ctx, p.ID); err == nil {
			add(dp.provider.Endpoint().AuthURL)
		}
	}
	return out
}

// config returns a provider's configuration.
func (o *OIDC) config(id string) Provider {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.providers[id].cfg
}

func (p *oidcProvider) oauth2(redirectURL string) *oauth2.Config {
	return &oauth2.Config{
		ClientID: p.cfg.ClientID, ClientSecret: p.cfg.ClientSecret, RedirectURL: redirectURL,
		Endpoint: p.provider.Endpoint(), Scopes: append([]string{oidc.ScopeOpenID}, p.cfg.Scopes...),
	}
}

// Start begins a sign-in through provider id: it stores a single-use state
// with a nonce and a PKCE verifier, and returns the provider's
// authorisation URL to redirect to and the state. redirectURL is
// grunnlag's callback address, as registered at the provider. The caller
// keeps the state in the browser that began the sign-in (a cookie), so
// that the callback can refuse a state another browser began: without it
// an attacker could send a victim's browser the callback of the
// attacker's own sign-in and sign the victim in as the attacker.
func (o *OIDC) Start(ctx context.Context, id, redirectURL, returnTo string) (authURL, state string, err error) {
	p, err := o.provider(ctx, id)
	if err != nil {
		return "", "", err
	}
	state, nonce, verifier := newSecret(), newSecret(), oauth2.GenerateVerifier()
	if err := o.svc.st.SaveOIDCState(ctx, store.OIDCState{StateHash: hashSecret(state), Provider: id, Nonce: nonce,
		Verifier: verifier, ReturnTo: SafeReturn(returnTo), ExpiresAt: o.svc.cfg.Now().Add(oidcStateTTL)}); err != nil {
		return "", "", err
	}
	return p.oauth2(redirectURL).AuthCodeURL(state, oidc.Nonce(nonce), oauth2.S256ChallengeOption(verifier)), state, nil
}

// OIDCStateTTL is how long a sign-in through a provider may take.
const OIDCStateTTL = oidcStateTTL

// ErrOIDCBrowser is the answer to a callback in a browser that did not
// begin the sign-in (its state cookie is missing or another).
var ErrOIDCBrowser = errOIDC(errors.New("state not begun in this browser"))

// Identity is who a provider says signed in.
type Identity struct {
	Provider  string
	Subject   string
	Email     string
	OrgNumber string // from the provider's organisation claim, when it gives one
	ReturnTo  string // where the sign-in began
}

// errOIDC is the answer to a callback that cannot be trusted: a replayed
// or unknown state, a token from another issuer or for another client,
// an expired token, a bad signature, a missing or wrong nonce.
func errOIDC(err error) error {
	return fault.WithUser(fault.Unauthorized, "Innloggingen kunne ikke bekreftes. Prøv å logge inn på nytt.", err)
}

// Finish completes a sign-in at the callback: the state must be one Start
// stored and not used, the code is exchanged with the PKCE verifier, and
// the ID token is verified with the provider's keys (issuer, audience,
// expiry, signature) and must carry the nonce. It returns who signed in;
// SignInOIDC then finds the account.
func (o *OIDC) Finish(ctx context.Context, id, redirectURL, state, code string) (Identity, error) {
	p, err := o.provider(ctx, id)
	if err != nil {
		return Identity{}, err
	}
	st, err := o.svc.st.TakeOIDCState(ctx, hashSecret(state), o.svc.cfg.Now())
	if err != nil {
		return Identity{}, errOIDC(fmt.Errorf("state: %w", err))
	}
	if st.Provider != id {
		return Identity{}, errOIDC(fmt.Errorf("state of provider %s used at %s", st.Provider, id))
	}
	ctx = oidc.ClientContext(ctx, o.client)
	tok, err := p.oauth2(redirectURL).Exchange(ctx, code, oauth2.VerifierOption(st.Verifier))
	if err != nil {
		return Identity{}, errOIDC(fmt.Errorf("exchange code: %w", err))
	}
	raw, ok := tok.Extra("id_token").(string)
	if !ok || raw == "" {
		return Identity{}, errOIDC(errors.New("no id_token in the token response"))
	}
	idt, err := p.provider.VerifierContext(ctx, &oidc.Config{ClientID: p.cfg.ClientID, Now: o.svc.cfg.Now}).Verify(ctx, raw)
	if err != nil {
		return Identity{}, errOIDC(fmt.Errorf("verify id_token: %w", err))
	}
	if idt.Nonce == "" || subtle.ConstantTimeCompare([]byte(idt.Nonce), []byte(st.Nonce)) != 1 {
		return Identity{}, errOIDC(errors.New("id_token nonce missing or wrong"))
	}
	var claims map[string]any
	if err := idt.Claims(&claims); err != nil {
		return Identity{}, errOIDC(fmt.Errorf("claims: %w", err))
	}
	email, _ := claims[p.cfg.EmailClaim].(string)
	if verified, present := claims["email_verified"]; present && verified != true && p.cfg.EmailClaim == "email" {
		return Identity{}, fault.WithUser(fault.Unauthorized,
			"Innloggingstjenesten har ikke bekreftet e-postadressen din, så grunnlag kan ikke vite hvem du er.",
			errors.New("email_verified is false"))
	}
	in := Identity{Provider: id, Subject: idt.Subject, Email: store.NormalizeEmail(email), ReturnTo: st.ReturnTo}
	if p.cfg.OrgClaim != "" {
		in.OrgNumber, _ = claims[p.cfg.OrgClaim].(string)
	}
	return in, nil
}

// SignInOIDC finds the account of an identity: the one its subject is
// tied to, else the one with its e-mail address (then tied to it). An
// identity without an account is refused: accounts are given, never
// created by signing in.
func (s *Service) SignInOIDC(ctx context.Context, in Identity, ip string) (store.User, error) {
	now := s.cfg.Now()
	u, err := s.st.UserByIdentity(ctx, in.Provider, in.Subject)
	if fault.Is(err, fault.NotFound) && in.Email != "" {
		// Tie the identity to the account of its address, unless the
		// account is closed: a closed account gets no new ways in.
		if u, err = s.st.UserByEmail(ctx, in.Email); err == nil && u.DisabledAt.IsZero() {
			err = s.st.LinkIdentity(ctx, in.Provider, in.Subject, u.ID, now)
		}
	}
	name := in.Email
	if name == "" {
		name = in.Provider + ":" + in.Subject // a provider that gave no address
	}
	actor := audit.Actor{ID: u.ID, Name: name, IP: ip}
	if fault.Is(err, fault.NotFound) || (err == nil && !u.DisabledAt.IsZero()) {
		if err := s.log.Record(ctx, actor, "login.failed", userObject(u.ID), "", "oidc:"+in.Provider+": ingen konto"); err != nil {
			return store.User{}, err
		}
		return store.User{}, fault.WithUser(fault.Forbidden,
			"Du er logget inn hos innloggingstjenesten, men har ingen konto i grunnlag. Be en administrator om tilgang.",
			fmt.Errorf("no account for %s at %s", in.Email, in.Provider))
	}
	return u, err
}

func constantEqual(a, b string) bool { return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1 }

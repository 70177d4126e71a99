package auth_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/oauth2-proxy/mockoidc"

	"github.com/grunnlag/grunnlag/internal/auth"
	"github.com/grunnlag/grunnlag/internal/fault"
	"github.com/grunnlag/grunnlag/internal/store"
)

// The OIDC sign-in against mockoidc, a real provider on loopback whose ID
// tokens the tests can spoil one claim at a time.

const callback = "https://grunnlag.example.invalid/logg-inn/oidc/mock/svar"

// oidcFixture is a service with the mock as its provider "mock".
type oidcFixture struct {
	*fixture
	mock *mockoidc.MockOIDC
	oidc *auth.OIDC
	// forge, when set, makes the mock's token endpoint answer with an ID
	// token signed by another key under the mock's key id.
	forge  atomic.Bool
	forger *mockoidc.Keypair
}

func newOIDCFixture(t *testing.T) *oidcFixture {
	t.Helper()
	f := &oidcFixture{fixture: newFixture(t)}
	m, err := mockoidc.NewServer(nil)
	if err != nil {
		t.Fatal(err)
	}
	forgerKey, err := forgerKeypair()
	if err != nil {
		t.Fatal(err)
	}
	f.forger = &mockoidc.Keypair{PrivateKey: forgerKey.PrivateKey, PublicKey: forgerKey.PublicKey}
	if f.forger.Kid, err = m.Keypair.KeyID(); err != nil {
		t.Fatal(err)
	}
	if err := m.AddMiddleware(f.forgeTokens); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Start(ln, nil); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Shutdown() })
	// The mock's clock is the fixture's, so that tokens are fresh for it.
	m.FastForward(time.Until(f.clk.Now()))
	f.mock = m
	cfg := m.Config()
	if f.oidc, err = auth.NewOIDC(f.svc, nil, []auth.Provider{{ID: "mock", Name: "Testtjenesten", Issuer: cfg.Issuer,
		ClientID: cfg.ClientID, ClientSecret: cfg.ClientSecret}}); err != nil {
		t.Fatal(err)
	}
	return f
}

// forgerKeypair is one RSA key, not the mock's, made once: making one
// takes long under the race detector.
var forgerKeypair = sync.OnceValues(func() (*mockoidc.Keypair, error) { return mockoidc.RandomKeypair(2048) })

// forgeTokens re-signs the ID token of a token response with the forger's
// key while forge is set: the claims are the provider's, the signature
// is not.
func (f *oidcFixture) forgeTokens(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != mockoidc.TokenEndpoint || !f.forge.Load() {
			next.ServeHTTP(w, r)
			return
		}
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		var body map[string]any
		if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		raw, _ := body["id_token"].(string)
		parts := strings.Split(raw, ".")
		payload, err := base64.RawURLEncoding.DecodeString(parts[min(1, len(parts)-1)])
		claims := jwt.MapClaims{}
		if err == nil {
			err = json.Unmarshal(payload, &claims)
		}
		if err == nil {
			body["id_token"], err = f.forger.SignJWT(claims)
		}
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(body)
	})
}

// user is a person at the mock provider whose ID token claims tamper
// changes before they are signed.
type user struct {
	sub, email string
	verified   any // the email_verified claim; nil leaves it out
	tamper     func(jwt.MapClaims)
}

func (u *user) ID() string { return u.sub }

func (u *user) Userinfo([]string) ([]byte, error) {
	return json.Marshal(map[string]any{"sub": u.sub, "email": u.email})
}

func (u *user) Claims(_ []string, c *mockoidc.IDTokenClaims) (jwt.Claims, error) {
	m := jwt.MapClaims{
		"iss": c.Issuer, "aud": []string(c.Audience), "sub": c.Subject, "jti": c.ID,
		"iat": c.IssuedAt.Unix(), "nbf": c.NotBefore.Unix(), "exp": c.ExpiresAt.Unix(),
		"nonce": c.Nonce, "email": u.email,
	}
	if u.verified != nil {
		m["email_verified"] = u.verified
	}
	if u.tamper != nil {
		u.tamper(m)
	}
	return m, nil
}

// authorize begins a sign-in and lets the mock sign u in: it returns the
// state and the code the provider sends back to grunnlag's callback.
func (f *oidcFixture) authorize(t *testing.T, u mockoidc.User) (state, code string) {
	t.Helper()
	to, state, err := f.oidc.Start(context.Background(), "mock", callback, "/konto?x=1")
	if err != nil {
		t.Fatal(err)
	}
	q, _ := url.Parse(to)
	for _, p := range []string{"state", "nonce", "code_challenge"} {
		if q.Query().Get(p) == "" {
			t.Fatalf("the authorisation URL %s has no %s", to, p)
		}
	}
	if q.Query().Get("code_challenge_method") != "S256" || q.Query().Get("state") != state {
		t.Fatalf("the authorisation URL %s: want PKCE S256 and the state returned", to)
	}
	f.mock.QueueUser(u)
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Get(to)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	back, err := url.Parse(resp.Header.Get("Location"))
	if err != nil || back.Query().Get("code") == "" {
		t.Fatalf("the mock answered %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if back.Query().Get("state") != state {
		t.Fatalf("the mock returned state %q, want %q", back.Query().Get("state"), state)
	}
	return state, back.Query().Get("code")
}

func TestOIDCSignIn(t *testing.T) {
	f := newOIDCFixture(t)
	ctx := context.Background()
	kari := f.user(t, "kari@example.invalid", store.RoleLead, "0301", "riktig hest batteri stift")
	state, code := f.authorize(t, &user{sub: "kari-1", email: "Kari@Example.invalid", verified: true})
	in, err := f.oidc.Finish(ctx, "mock", callback, state, code)
	if err != nil {
		t.Fatalf("Finish() = %v", err)
	}
	if in.Email != "kari@example.invalid" || in.Subject != "kari-1" || in.Provider != "mock" || in.ReturnTo != "/konto?x=1" {
		t.Errorf("Finish() = %+v", in)
	}
	u, err := f.svc.SignInOIDC(ctx, in, "192.0.2.1")
	if err != nil || u.ID != kari.ID {
		t.Fatalf("SignInOIDC() = %+v, %v; want Kari", u, err)
	}
	// The identity is tied to the account: the next sign-in finds it by
	// its subject, even under another address.
	state, code = f.authorize(t, &user{sub: "kari-1", email: "kari.ny@example.invalid", verified: true})
	in, err = f.oidc.Finish(ctx, "mock", callback, state, code)
	if err != nil {
		t.Fatal(err)
	}
	if u, err := f.svc.SignInOIDC(ctx, in, "192.0.2.1"); err != nil || u.ID != kari.ID {
		t.Errorf("SignInOIDC(by subject) = %+v, %v; want Kari", u, err)
	}
	// A provider that gives no email_verified at all (as some do) is
	// trusted with the address.
	state, code = f.authorize(t, &user{sub: "kari-2", email: "kari@example.invalid"})
	if _, err := f.oidc.Finish(ctx, "mock", callback, state, code); err != nil {
		t.Errorf("Finish(no email_verified claim) = %v", err)
	}
}

// TestOIDCRejected: each way a callback can be false is refused, with the
// one message, and signs nobody in.
func TestOIDCRejected(t *testing.T) {
	good := func() *user { return &user{sub: "kari-1", email: "kari@example.invalid", verified: true} }
	with := func(tamper func(jwt.MapClaims)) *user {
		u := good()
		u.tamper = tamper
		return u
	}
	tests := []struct {
		name string
		user *user
		// spoil changes the callback after the provider's answer.
		spoil func(t *testing.T, f *oidcFixture, state, code string) (string, string)
		msg   string
	}{
		{name: "wrong issuer", user: with(func(c jwt.MapClaims) { c["iss"] = "https://angriper.example/oidc" })},
		{name: "wrong audience", user: with(func(c jwt.MapClaims) { c["aud"] = []string{"en-annen-klient"} })},
		{name: "audience of another client too", user: with(func(c jwt.MapClaims) { c["aud"] = "en-annen-klient" })},
		{name: "expired token", user: with(func(c jwt.MapClaims) {
			c["exp"] = c["iat"].(int64) - 60
		})},
		{name: "not yet valid", user: with(func(c jwt.MapClaims) { c["nbf"] = c["iat"].(int64) + 3600 })},
		{name: "missing nonce", user: with(func(c jwt.MapClaims) { delete(c, "nonce") })},
		{name: "wrong nonce", user: with(func(c jwt.MapClaims) { c["nonce"] = "en-annen-nonce" })},
		{name: "bad signature", user: good(), spoil: func(t *testing.T, f *oidcFixture, state, code string) (string, string) {
			f.forge.Store(true)
			t.Cleanup(func() { f.forge.Store(false) })
			return state, code
		}},
		{name: "unknown state", user: good(), spoil: func(t *testing.T, f *oidcFixture, state, code string) (string, string) {
			return "en-annen-state", code
		}},
		{name: "replayed state", user: good(), spoil: func(t *testing.T, f *oidcFixture, state, code string) (string, string) {
			if _, err := f.oidc.Finish(context.Background(), "mock", callback, state, code); err != nil {
				t.Fatalf("the first use of the state = %v", err)
			}
			// A new code from the provider, with the used state.
			_, code2 := f.authorize(t, good())
			return state, code2
		}},
		{name: "expired state", user: good(), spoil: func(t *testing.T, f *oidcFixture, state, code string) (string, string) {
			f.clk.Add(11 * time.Minute)
			t.Cleanup(func() { f.clk.Add(-11 * time.Minute) })
			return state, code
		}},
		{name: "email_verified false", user: &user{sub: "kari-1", email: "kari@example.invalid", verified: false},
			msg: "Innloggingstjenesten har ikke bekreftet e-postadressen din, så grunnlag kan ikke vite hvem du er."},
		{name: "email_verified \"false\"", user: &user{sub: "kari-1", email: "kari@example.invalid", verified: "false"},
			msg: "Innloggingstjenesten har ikke bekreftet e-postadressen din, så grunnlag kan ikke vite hvem du er."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newOIDCFixture(t)
			ctx := context.Background()
			f.user(t, "kari@example.invalid", store.RoleLead, "0301", "riktig hest batteri stift")
			state, code := f.authorize(t, tt.user)
			if tt.spoil != nil {
				state, code = tt.spoil(t, f, state, code)
			}
			in, err := f.oidc.Finish(ctx, "mock", callback, state, code)
			want := tt.msg
			if want == "" {
				want = "Innloggingen kunne ikke bekreftes. Prøv å logge inn på nytt."
			}
			if !fault.Is(err, fault.Unauthorized) || fault.UserMessage(err) != want {
				t.Fatalf("Finish() = %+v, %v (%q); want refused with %q", in, err, fault.UserMessage(err), want)
			}
			if n := len(identities(t, f)); n != 0 {
				t.Errorf("a refused sign-in tied %d identities", n)
			}
		})
	}
}

// identities lists the accounts tied to the mock's subjects.
func identities(t *testing.T, f *oidcFixture) []store.User {
	t.Helper()
	var out []store.User
	for _, sub := range []string{"kari-1", "kari-2", "ukjent-1", "stengt-1"} {
		if u, err := f.st.UserByIdentity(context.Background(), "mock", sub); err == nil {
			out = append(out, u)
		}
	}
	return out
}

// TestOIDCNoAccount: signing in never makes an account, and a closed
// account stays closed.
func TestOIDCNoAccount(t *testing.T) {
	f := newOIDCFixture(t)
	ctx := context.Background()
	closed := f.user(t, "stengt@example.invalid", store.RoleLead, "0301", "riktig hest batteri stift")
	if err := f.st.SetDisabled(ctx, closed.ID, f.clk.Now()); err != nil {
		t.Fatal(err)
	}
	before, _ := f.st.Users(ctx)
	for _, tt := range []struct {
		name string
		user *user
	}{
		{"unknown account", &user{sub: "ukjent-1", email: "ukjent@example.invalid", verified: true}},
		{"no e-mail address", &user{sub: "ukjent-1", verified: true}},
		{"disabled account", &user{sub: "stengt-1", email: "stengt@example.invalid", verified: true}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			state, code := f.authorize(t, tt.user)
			in, err := f.oidc.Finish(ctx, "mock", callback, state, code)
			if err != nil {
				t.Fatalf("Finish() = %v; the provider's answer is good", err)
			}
			u, err := f.svc.SignInOIDC(ctx, in, "192.0.2.1")
			if !fault.Is(err, fault.Forbidden) || !strings.Contains(fault.UserMessage(err), "har ingen konto i grunnlag") {
				t.Errorf("SignInOIDC(%s) = %+v, %v; want refused", tt.name, u, err)
			}
		})
	}
	after, _ := f.st.Users(ctx)
	if len(after) != len(before) {
		t.Errorf("signing in made %d accounts", len(after)-len(before))
	}
	if ids := identities(t, f); len(ids) != 0 {
		t.Errorf("refused sign-ins tied identities to %+v", ids)
	}
	failed, _ := f.svc.Audit().Entries(ctx, store.AuditFilter{Action: "login.failed"})
	if len(failed) != 3 {
		t.Errorf("audit log has %d failed sign-ins, want 3", len(failed))
	}
	var buf bytes.Buffer
	for _, e := range failed {
		buf.WriteString(e.Detail + "\n")
	}
	if !strings.Contains(buf.String(), "oidc:mock") {
		t.Errorf("failed sign-ins do not name the provider: %s", buf.String())
	}
}

package web

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/oauth2-proxy/mockoidc"
	"github.com/pquerna/otp/totp"
	"golang.org/x/net/html"

	"github.com/grunnlag/grunnlag/internal/audit"
	"github.com/grunnlag/grunnlag/internal/auth"
	"github.com/grunnlag/grunnlag/internal/store"
)

// The security rules of signing in, each through the real forms: session
// fixation, CSRF, clickjacking, open redirects, the cookie's flags, user
// enumeration, rate limits, /metrics and the Host header.

// password is the constructed password of the tests' users.
const password = "riktig hest batteri stift"

// client is an HTTP client with a cookie jar that does not follow redirects,
// as a person's browser against the test server.
type client struct {
	t      *testing.T
	base   *url.URL
	client *http.Client
	header http.Header // sent with every request
}

func newClient(t *testing.T, ts *httptest.Server) *client {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	c := *ts.Client() // a copy: the server's own client is shared
	c.Jar = jar
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	base, _ := url.Parse(ts.URL)
	return &client{t: t, base: base, client: &c, header: http.Header{}}
}

func (b *client) do(method, path string, form url.Values) (*http.Response, string) {
	b.t.Helper()
	var body *strings.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	} else {
		body = strings.NewReader("")
	}
	req, err := http.NewRequest(method, b.base.String()+path, body)
	if err != nil {
		b.t.Fatal(err)
	}
	for k, v := range b.header {
		req.Header[k] = v
	}
	if h := b.header.Get("Host"); h != "" {
		req.Host = h // the client sends req.Host, not a Host header
	}
	// What a browser sends with a form of the site itself.
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := b.client.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	all, err := io.ReadAll(resp.Body)
	if err != nil {
		b.t.Fatal(err)
	}
	return resp, string(all)
}

// followExternal asks another site (the identity provider) for a URL and
// returns its answer, without following redirects.
func (b *client) followExternal(to string) *http.Response {
	b.t.Helper()
	resp, err := b.client.Get(to)
	if err != nil {
		b.t.Fatal(err)
	}
	resp.Body.Close()
	return resp
}

// form fetches a page and returns the hidden fields of its form that
// posts to action.
func (b *client) form(page, action string) url.Values {
	b.t.Helper()
	resp, body := b.do(http.MethodGet, page, nil)
	if resp.StatusCode != http.StatusOK {
		b.t.Fatalf("GET %s = %d\n%.300s", page, resp.StatusCode, body)
	}
	v := url.Values{}
	found := false
	walk(parseHTML(b.t, body), func(n *html.Node) {
		if n.Data != "form" {
			return
		}
		if a, _ := attr(n, "action"); a != action {
			return
		}
		found = true
		walk(n, func(in *html.Node) {
			if typ, _ := attr(in, "type"); in.Data == "input" && typ == "hidden" {
				name, _ := attr(in, "name")
				val, _ := attr(in, "value")
				v.Set(name, val)
			}
		})
	})
	if !found {
		b.t.Fatalf("GET %s has no form posting to %s", page, action)
	}
	return v
}

// cookie returns the value of the browser's cookie name ("" without one).
func (b *client) cookie(name string) string {
	for _, c := range b.client.Jar.Cookies(b.base) {
		if c.Name == name {
			return c.Value
		}
	}
	return ""
}

// signIn fills in the sign-in form and returns the answer.
func (b *client) signIn(email, pw, next string) (*http.Response, string) {
	b.t.Helper()
	f := b.form("/logg-inn?neste="+url.QueryEscape(next), "/logg-inn")
	f.Set("epost", email)
	f.Set("passord", pw)
	return b.do(http.MethodPost, "/logg-inn", f)
}

// whoAmI returns the e-mail address /konto shows, or "" when the browser
// is not signed in.
func (b *client) whoAmI() string {
	b.t.Helper()
	resp, body := b.do(http.MethodGet, "/konto", nil)
	if resp.StatusCode != http.StatusOK {
		return ""
	}
	for _, n := range find(parseHTML(b.t, body), "strong", "") {
		if strings.Contains(text(n), "@") {
			return text(n)
		}
	}
	return ""
}

// user makes a constructed user with a role and a password, through the
// set-up link.
func (e *env) user(t *testing.T, email string, role store.Role, org string) store.User {
	t.Helper()
	ctx := context.Background()
	u, secret, err := e.auth.AddUser(ctx, audit.CLI, email, role, org)
	if err != nil {
		t.Fatal(err)
	}
	if secret != "" {
		if u, err = e.auth.SetPasswordWithLink(ctx, secret, password, "192.0.2.1"); err != nil {
			t.Fatal(err)
		}
	}
	return u
}

// TestSessionFixation: a session id the browser has before it signs in is
// never the one after, and the cookie's value changes at sign-in, at the
// second factor and at choosing an organisation; the old value is dead.
func TestSessionFixation(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.user(t, "kari@example.invalid", store.RoleLead, "0301")
	admin := e.user(t, "admin@example.invalid", store.RoleAdmin, "")
	secret, _, _ := auth.NewTOTP(admin.Email)
	if err := e.st.SetTOTP(ctx, admin.ID, secret); err != nil {
		t.Fatal(err)
	}
	two := e.user(t, "to@example.invalid", store.RoleLead, "0301")
	e.user(t, "to@example.invalid", store.RoleRespondent, "4601")
	attacker := e.user(t, "angriper@example.invalid", store.RoleRespondent, "4601")

	t.Run("a value chosen by an attacker", func(t *testing.T) {
		b := newClient(t, e.ts)
		b.client.Jar.SetCookies(b.base, []*http.Cookie{{Name: sessionCookiePlain, Value: "angriperens-egen-verdi-0123456789abcdef"}})
		if resp, body := b.signIn("kari@example.invalid", password, "/konto"); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("sign-in = %d\n%.300s", resp.StatusCode, body)
		}
		if got := b.cookie(sessionCookiePlain); got == "angriperens-egen-verdi-0123456789abcdef" || got == "" {
			t.Errorf("the session cookie after sign-in = %q, want a new value", got)
		}
		if p, err := e.auth.Session(ctx, "angriperens-egen-verdi-0123456789abcdef", auth.Client{}); err == nil {
			t.Errorf("the attacker's value is a session of %s", p.User.Email)
		}
	})

	t.Run("the attacker's own session planted", func(t *testing.T) {
		planted, _, err := e.auth.StartSession(ctx, attacker, store.SessionFull, "password", auth.Client{})
		if err != nil {
			t.Fatal(err)
		}
		b := newClient(t, e.ts)
		b.client.Jar.SetCookies(b.base, []*http.Cookie{{Name: sessionCookiePlain, Value: planted}})
		b.signIn("kari@example.invalid", password, "/konto")
		if got := b.cookie(sessionCookiePlain); got == planted {
			t.Error("signing in kept the planted session id")
		}
		if who := b.whoAmI(); who != "kari@example.invalid" {
			t.Errorf("after signing in the browser is %q", who)
		}
		// The attacker's cookie is still the attacker, never Kari.
		if p, err := e.auth.Session(ctx, planted, auth.Client{}); err == nil && p.User.ID != attacker.ID {
			t.Errorf("the planted session now belongs to %s", p.User.Email)
		}
	})

	t.Run("at the second factor", func(t *testing.T) {
		b := newClient(t, e.ts)
		resp, _ := b.signIn(admin.Email, password, "/konto")
		if loc := resp.Header.Get("Location"); !strings.HasPrefix(loc, "/logg-inn/kode") {
			t.Fatalf("an administrator's password sign-in went to %q, want the code page", loc)
		}
		factor := b.cookie(sessionCookiePlain)
		f := b.form("/logg-inn/kode?neste=%2Fkonto", "/logg-inn/kode")
		code, _ := totp.GenerateCode(secret, testNow)
		f.Set("kode", code)
		if resp, body := b.do(http.MethodPost, "/logg-inn/kode", f); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("code = %d\n%.300s", resp.StatusCode, body)
		}
		full := b.cookie(sessionCookiePlain)
		if full == factor || full == "" {
			t.Errorf("the cookie after the code = %q, want a new value", full)
		}
		if _, err := e.auth.Session(ctx, factor, auth.Client{}); err == nil {
			t.Error("the session id of the password step still works after the code")
		}
		if who := b.whoAmI(); who != admin.Email {
			t.Errorf("after the code the browser is %q", who)
		}
	})

	t.Run("at choosing an organisation", func(t *testing.T) {
		b := newClient(t, e.ts)
		b.signIn(two.Email, password, "/konto")
		before := b.cookie(sessionCookiePlain)
		f := b.form("/konto", "/konto/organisasjon")
		bergen, _ := e.st.Organisation(ctx, "4601")
		f.Set("org", itoa(bergen.ID))
		if resp, body := b.do(http.MethodPost, "/konto/organisasjon", f); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("choose organisation = %d\n%.300s", resp.StatusCode, body)
		}
		after := b.cookie(sessionCookiePlain)
		if after == before || after == "" {
			t.Errorf("the cookie after choosing an organisation = %q, want a new value", after)
		}
		if _, err := e.auth.Session(ctx, before, auth.Client{}); err == nil {
			t.Error("the session id from before the choice still works")
		}
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// TestCSRF: a state-changing request made with a session cookie needs the
// session's form token, and one from another site is refused whatever it
// carries; nothing is changed by a refused request.
func TestCSRF(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.Sync = noopSync })
	ctx := context.Background()
	analyst := e.signIn(t, "analytiker@example.invalid", store.RoleAnalyst, "")
	other := e.signIn(t, "annen@example.invalid", store.RoleRespondent, "0301")
	tokensBefore, _ := e.st.Tokens(ctx, analyst.user.ID)
	tests := []struct {
		name   string
		path   string
		header http.Header
		form   url.Values
		want   int
	}{
		{"form without the token", "/konto/nokler", nil, url.Values{"csrf": {""}, "navn": {"x"}, "dager": {"30"}}, http.StatusForbidden},
		{"form with a wrong token", "/konto/nokler", nil, url.Values{"csrf": {"feil"}, "navn": {"x"}, "dager": {"30"}}, http.StatusForbidden},
		{"form with another session's token", "/konto/nokler", nil, url.Values{"csrf": {other.csrf}, "navn": {"x"}, "dager": {"30"}}, http.StatusForbidden},
		{"form from another site with the right token", "/konto/nokler",
			http.Header{"Sec-Fetch-Site": {"cross-site"}, "Origin": {"https://angriper.example"}}, url.Values{"navn": {"x"}, "dager": {"30"}}, http.StatusForbidden},
		{"form from another origin (no Sec-Fetch-Site)", "/konto/nokler",
			http.Header{"Sec-Fetch-Site": nil, "Origin": {"https://angriper.example"}}, url.Values{"navn": {"x"}, "dager": {"30"}}, http.StatusForbidden},
		{"API with the cookie and no token", "/api/v1/sync", http.Header{"X-CSRF-Token": {""}}, url.Values{"csrf": {""}}, http.StatusForbidden},
		{"API with the cookie and a wrong header token", "/api/v1/sync", http.Header{"X-CSRF-Token": {"feil"}}, nil, http.StatusForbidden},
		{"API from another site", "/api/v1/sync", http.Header{"Sec-Fetch-Site": {"cross-site"}}, nil, http.StatusForbidden},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{"Sec-Fetch-Site": {"same-origin"}, "Cookie": {analyst.cookie.String()},
				"Content-Type": {"application/x-www-form-urlencoded"}}
			for k, v := range tt.header {
				if v == nil {
					delete(h, k) // an older browser, which sends no Sec-Fetch-Site
					continue
				}
				h[k] = v
			}
			form := url.Values{"csrf": {analyst.csrf}}
			for k, v := range tt.form {
				form[k] = v
			}
			resp, body := e.do(t, http.MethodPost, tt.path, h, strings.NewReader(form.Encode()))
			if resp.StatusCode != tt.want {
				t.Errorf("POST %s = %d, want %d\n%.300s", tt.path, resp.StatusCode, tt.want, body)
			}
		})
	}
	if after, _ := e.st.Tokens(ctx, analyst.user.ID); len(after) != len(tokensBefore) {
		t.Errorf("the refused posts made %d tokens", len(after)-len(tokensBefore))
	}
	if st := e.srv.sync.snapshot(); st.Running || !st.StartedAt.IsZero() {
		t.Errorf("a refused post started a sync: %+v", st)
	}
	// The same requests done right pass: the header token for the site's
	// own script, and a bearer token, which no browser sends by itself.
	h := http.Header{"Sec-Fetch-Site": {"same-origin"}, "Cookie": {analyst.cookie.String()}, "X-CSRF-Token": {analyst.csrf}}
	if resp, body := e.do(t, http.MethodPost, "/api/v1/sync", h, nil); resp.StatusCode >= 400 {
		t.Errorf("POST /api/v1/sync with the header token = %d\n%.300s", resp.StatusCode, body)
	}
	e.srv.WaitSync(t.Context())
	h = http.Header{"Authorization": {"Bearer " + analyst.token}}
	if resp, body := e.do(t, http.MethodPost, "/api/v1/sync", h, nil); resp.StatusCode >= 400 {
		t.Errorf("POST /api/v1/sync with a bearer token = %d\n%.300s", resp.StatusCode, body)
	}
	e.srv.WaitSync(t.Context())

	// Anonymous forms (sign-in, a link's password) carry a token of their
	// own cookie.
	e.user(t, "kari@example.invalid", store.RoleLead, "0301")
	for _, tt := range []struct {
		name   string
		cookie string
		field  string
	}{
		{"no form cookie", "", "x"},
		{"no field", "konstruert-skjemanokkel-for-testen-0123456789", ""},
		{"another value", "konstruert-skjemanokkel-for-testen-0123456789", "konstruert-skjemanokkel-for-testen-9876543210"},
	} {
		h := http.Header{"Sec-Fetch-Site": {"same-origin"}, "Content-Type": {"application/x-www-form-urlencoded"}}
		if tt.cookie != "" {
			h.Set("Cookie", formCookie+"="+tt.cookie)
		}
		form := url.Values{"skjema": {tt.field}, "epost": {"kari@example.invalid"}, "passord": {password}}
		resp, _ := e.do(t, http.MethodPost, "/logg-inn", h, strings.NewReader(form.Encode()))
		if resp.StatusCode != http.StatusForbidden || resp.Header.Get("Set-Cookie") != "" && strings.Contains(resp.Header.Get("Set-Cookie"), sessionCookiePlain+"=") {
			t.Errorf("sign-in with %s = %d, want 403 and no session", tt.name, resp.StatusCode)
		}
	}
}

// TestFramingDenied is the clickjacking rule for the pages of signing in,
// an error page and the report's own HTML (which has a CSP of its own);
// TestAuthorizationMatrix checks every other answer.
func TestFramingDenied(t *testing.T) {
	e := newEnv(t)
	secret, err := e.auth.NewLink(context.Background(), audit.CLI, e.signIn(t, "ny@example.invalid", store.RoleLead, "0301").user.ID, auth.LinkSetup)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"/logg-inn", "/logg-inn?neste=/konto", "/konto/lenke/" + secret, "/konto/lenke/ukjent", "/logg-inn/kode",
		"/finnes-ikke", "/rapport/rapport.html", "/api/v1/finnes-ikke"} {
		resp, _ := e.get(t, p)
		checkFrameDenied(t, "GET "+p, resp)
	}
}

// TestOpenRedirect: after signing in (password, code, an identity
// provider) and after choosing an organisation, the browser goes only to
// a path on this site, whatever the form or the link said.
func TestOpenRedirect(t *testing.T) {
	mock := startMockOIDC(t)
	e := newEnv(t, func(c *Config) { c.OIDC = mockProvider(t, c.Auth, mock) })
	ctx := context.Background()
	kari := e.user(t, "kari@example.invalid", store.RoleLead, "0301")
	e.user(t, "kari@example.invalid", store.RoleRespondent, "4601")
	tests := []struct{ next, want string }{
		{"/tabeller/13615?x=1", "/tabeller/13615?x=1"},
		{"//evil.example", "/"},
		{"///evil.example", "/"},
		{"https://evil.example/", "/"},
		{"http:evil.example", "/"},
		{`/\evil.example`, "/"},
		{`\\evil.example`, "/"},
		{"/\t/evil.example", "/"},
		{"javascript:alert(1)", "/"},
		{"/%2F%2Fevil.example", "/%2F%2Fevil.example"},
		{"/ok\r\nLocation: https://evil.example", "/"},
	}
	site, _ := url.Parse(e.ts.URL)
	// sameSite checks where a Location leads, resolved as a browser would.
	sameSite := func(t *testing.T, how, loc, want string) {
		t.Helper()
		to, err := site.Parse(loc)
		if err != nil || to.Host != site.Host || loc != want {
			t.Errorf("%s: Location %q (resolves to host %q), want %q on this site", how, loc, to.Host, want)
		}
	}
	admins := 0
	for _, tt := range tests {
		t.Run(tt.next, func(t *testing.T) {
			b := newClient(t, e.ts)
			resp, _ := b.signIn(kari.Email, password, tt.next)
			sameSite(t, "password sign-in", resp.Header.Get("Location"), tt.want)

			// The same through the form posted as is, without the page.
			b = newClient(t, e.ts)
			f := b.form("/logg-inn", "/logg-inn")
			f.Set("epost", kari.Email)
			f.Set("passord", password)
			f.Set("neste", tt.next)
			resp, _ = b.do(http.MethodPost, "/logg-inn", f)
			sameSite(t, "password sign-in, neste posted", resp.Header.Get("Location"), tt.want)

			// Choosing an organisation.
			f = b.form("/konto", "/konto/organisasjon")
			bergen, _ := e.st.Organisation(ctx, "4601")
			f.Set("org", itoa(bergen.ID))
			f.Set("neste", tt.next)
			resp, _ = b.do(http.MethodPost, "/konto/organisasjon", f)
			sameSite(t, "choosing an organisation", resp.Header.Get("Location"), tt.want)

			// Password and code: the code page keeps only a safe path. Each
			// code works once, so each case has an administrator of its own.
			admins++
			admin := e.user(t, "admin"+strconv.Itoa(admins)+"@example.invalid", store.RoleAdmin, "")
			secret, _, _ := auth.NewTOTP(admin.Email)
			if err := e.st.SetTOTP(ctx, admin.ID, secret); err != nil {
				t.Fatal(err)
			}
			b = newClient(t, e.ts)
			resp, _ = b.signIn(admin.Email, password, tt.next)
			loc := resp.Header.Get("Location")
			if !strings.HasPrefix(loc, "/logg-inn/kode?neste=") {
				t.Fatalf("administrator sign-in went to %q", loc)
			}
			sameSite(t, "password step", loc, "/logg-inn/kode?neste="+url.QueryEscape(tt.want))
			f = b.form(loc, "/logg-inn/kode")
			code, _ := totp.GenerateCode(secret, testNow)
			f.Set("kode", code)
			f.Set("neste", tt.next) // the raw value, as an attacker's form would send it
			resp, body := b.do(http.MethodPost, "/logg-inn/kode", f)
			if resp.StatusCode != http.StatusSeeOther {
				t.Fatalf("code = %d\n%.300s", resp.StatusCode, body)
			}
			sameSite(t, "code", resp.Header.Get("Location"), tt.want)

			// An identity provider: the place to return to is kept with the
			// state and checked again at the callback.
			b = newClient(t, e.ts)
			mock.QueueUser(&mockoidc.MockUser{Subject: "kari-sub", Email: kari.Email, EmailVerified: true})
			f = b.form("/logg-inn", "/logg-inn/oidc/mock")
			f.Set("neste", tt.next)
			resp, _ = b.do(http.MethodPost, "/logg-inn/oidc/mock", f)
			if resp.StatusCode != http.StatusSeeOther {
				t.Fatalf("OIDC start = %d", resp.StatusCode)
			}
			resp = b.followExternal(resp.Header.Get("Location"))
			back, _ := url.Parse(resp.Header.Get("Location"))
			resp, body = b.do(http.MethodGet, back.RequestURI(), nil)
			if resp.StatusCode != http.StatusSeeOther {
				t.Fatalf("OIDC callback = %d\n%.300s", resp.StatusCode, body)
			}
			sameSite(t, "OIDC callback", resp.Header.Get("Location"), tt.want)
		})
	}
}

// TestLeadCannotTakeOverAnAccount: a lead who invites the address of an
// account that exists gets no link for it: not for an administrator
// waiting for their own set-up link, nor for one who signs in through an
// identity provider and has no password. With such a link the lead could
// choose the password, set up the second factor and be the administrator.
func TestLeadCannotTakeOverAnAccount(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	lead := e.signIn(t, "leder@example.invalid", store.RoleLead, "0301")
	if _, _, err := e.auth.AddUser(ctx, audit.CLI, "ventende.admin@example.invalid", store.RoleAdmin, ""); err != nil {
		t.Fatal(err)
	}
	oidcAdmin, _, err := e.auth.AddUser(ctx, audit.CLI, "oidc.admin@example.invalid", store.RoleAdmin, "")
	if err != nil {
		t.Fatal(err)
	}
	if err := e.st.LinkIdentity(ctx, "kommune-idp", "sub-1", oidcAdmin.ID, testNow); err != nil {
		t.Fatal(err)
	}
	for _, email := range []string{"ventende.admin@example.invalid", "oidc.admin@example.invalid", "Oidc.Admin@Example.invalid"} {
		resp, body := e.doAs(t, lead, http.MethodPost, "/organisasjon/inviter", url.Values{"epost": {email}})
		if resp.StatusCode != http.StatusOK || strings.Contains(body, "/konto/lenke/") || !strings.Contains(body, "har allerede en konto") {
			t.Errorf("inviting %s = %d; the page shows a link, or does not say the account exists\n%.2000s", email, resp.StatusCode, body)
		}
	}
	made, _ := e.auth.Audit().Entries(ctx, store.AuditFilter{Action: "link", ActorID: lead.user.ID})
	if len(made) != 0 {
		t.Errorf("the lead made %d links for existing accounts: %+v", len(made), made)
	}
	// A new person gets a link, which sets that person's password only.
	resp, body := e.doAs(t, lead, http.MethodPost, "/organisasjon/inviter", url.Values{"epost": {"ny@example.invalid"}})
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "/konto/lenke/") {
		t.Errorf("inviting a new person = %d, want a link\n%.600s", resp.StatusCode, body)
	}
}

// TestSessionCookieFlags: the session cookie is HttpOnly, SameSite=Lax and
// Path=/ everywhere; over TLS, and behind a trusted proxy that says the
// request came over https, it is Secure and named __Host- (no Domain);
// over plain HTTP it is neither, also when an untrusted peer claims https.
func TestSessionCookieFlags(t *testing.T) {
	proxy := func(c *Config) {
		c.TrustedProxies = []*net.IPNet{{IP: net.IPv4(127, 0, 0, 1), Mask: net.CIDRMask(32, 32)}}
	}
	elsewhere := func(c *Config) {
		c.TrustedProxies = []*net.IPNet{{IP: net.IPv4(192, 0, 2, 1), Mask: net.CIDRMask(32, 32)}}
	}
	tests := []struct {
		name   string
		opts   []envOption
		tls    bool
		header http.Header
		secure bool
	}{
		{"plain HTTP", nil, false, nil, false},
		{"plain HTTP, https claimed by an untrusted peer", []envOption{elsewhere}, false, http.Header{"X-Forwarded-Proto": {"https"}}, false},
		{"TLS", nil, true, nil, true},
		{"behind a trusted proxy that says https", []envOption{proxy}, false, http.Header{"X-Forwarded-Proto": {"https"}}, true},
		{"behind a trusted proxy that says http", []envOption{proxy}, false, http.Header{"X-Forwarded-Proto": {"http"}}, false},
		{"public address is https", []envOption{func(c *Config) { c.SecureCookies = true }}, false, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, tt.opts...)
			e.user(t, "kari@example.invalid", store.RoleLead, "0301")
			ts := e.ts
			if tt.tls {
				ts = httptest.NewTLSServer(e.srv.Handler())
				t.Cleanup(ts.Close)
			}
			b := newClient(t, ts)
			b.header = tt.header
			// The jar would not send a Secure cookie back over plain HTTP;
			// read the form token from the page instead.
			resp, body := b.do(http.MethodGet, "/logg-inn", nil)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("GET /logg-inn = %d", resp.StatusCode)
			}
			formCk := findCookie(resp, formCookie)
			if formCk == nil {
				t.Fatal("no form cookie")
			}
			checkCookie(t, formCk, formCookie, tt.secure, http.SameSiteStrictMode)
			var token string
			walk(parseHTML(t, body), func(n *html.Node) {
				if name, _ := attr(n, "name"); n.Data == "input" && name == "skjema" {
					token, _ = attr(n, "value")
				}
			})
			form := url.Values{"skjema": {token}, "epost": {"kari@example.invalid"}, "passord": {password}}
			req, _ := http.NewRequest(http.MethodPost, ts.URL+"/logg-inn", strings.NewReader(form.Encode()))
			req.Header = tt.header.Clone()
			if req.Header == nil {
				req.Header = http.Header{}
			}
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Sec-Fetch-Site", "same-origin")
			req.AddCookie(&http.Cookie{Name: formCookie, Value: formCk.Value})
			c := ts.Client()
			c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
			resp, err := c.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusSeeOther {
				t.Fatalf("sign-in = %d", resp.StatusCode)
			}
			name := sessionCookiePlain
			if tt.secure {
				name = sessionCookieSecure
			}
			ck := findCookie(resp, name)
			if ck == nil {
				t.Fatalf("no cookie %s among %q", name, resp.Header.Values("Set-Cookie"))
			}
			checkCookie(t, ck, name, tt.secure, http.SameSiteLaxMode)
			if other := map[bool]string{true: sessionCookiePlain, false: sessionCookieSecure}[tt.secure]; findCookie(resp, other) != nil {
				t.Errorf("both %s and %s are set", name, other)
			}
		})
	}
}

func findCookie(resp *http.Response, name string) *http.Cookie {
	for _, c := range resp.Cookies() {
		if c.Name == name {
			return c
		}
	}
	return nil
}

func checkCookie(t *testing.T, c *http.Cookie, name string, secure bool, same http.SameSite) {
	t.Helper()
	if c.Name != name || c.Secure != secure || !c.HttpOnly || c.SameSite != same || c.Path != "/" || c.Domain != "" || c.MaxAge > 0 || !c.Expires.IsZero() {
		t.Errorf("cookie %s = %q; want HttpOnly, SameSite %v, Path=/, no Domain, no expiry, Secure %v", name, c.Raw, same, secure)
	}
}

// TestSignInSaysNothingOfAccounts: the sign-in form answers an unknown
// address, a wrong password, a closed account and one without a password
// the same: the same status and the same page but for the address typed.
func TestSignInSaysNothingOfAccounts(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.user(t, "kari@example.invalid", store.RoleLead, "0301")
	closed := e.user(t, "stengt@example.invalid", store.RoleLead, "0301")
	if err := e.st.SetDisabled(ctx, closed.ID, testNow); err != nil {
		t.Fatal(err)
	}
	if _, _, err := e.auth.AddUser(ctx, audit.CLI, "uten.passord@example.invalid", store.RoleLead, "0301"); err != nil {
		t.Fatal(err)
	}
	b := newClient(t, e.ts)
	var first string
	for i, tt := range []struct{ email, pw string }{
		{"ingen@example.invalid", password},
		{"kari@example.invalid", "feil passord her"},
		{"stengt@example.invalid", password},
		{"uten.passord@example.invalid", password},
		{"uten.passord@example.invalid", ""},
	} {
		resp, body := b.signIn(tt.email, tt.pw, "/konto")
		if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(body, "Feil e-postadresse eller passord.") {
			t.Errorf("sign-in as %s = %d, want 401 with the one message", tt.email, resp.StatusCode)
		}
		page := strings.ReplaceAll(body, tt.email, "ADRESSE")
		if i == 0 {
			first = page
		} else if page != first {
			t.Errorf("the page for %s differs from the page for an unknown address", tt.email)
		}
	}
}

// TestSignInRateLimitOnTheWeb: past the attempts allowed for an account,
// the form answers 429 with a message in bokmål, also to the right
// password, and signs nobody in.
func TestSignInRateLimitOnTheWeb(t *testing.T) {
	e := newEnv(t)
	e.user(t, "kari@example.invalid", store.RoleLead, "0301")
	b := newClient(t, e.ts)
	for i := range 10 {
		if resp, _ := b.signIn("kari@example.invalid", "feil passord her", "/"); resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("attempt %d = %d, want 401", i+1, resp.StatusCode)
		}
	}
	resp, body := b.signIn("kari@example.invalid", password, "/")
	if resp.StatusCode != http.StatusTooManyRequests || !strings.Contains(body, "For mange forsøk på å logge inn. Vent 15 minutter og prøv igjen.") {
		t.Errorf("the 11th attempt = %d, want 429 with the message\n%.600s", resp.StatusCode, body)
	}
	if b.cookie(sessionCookiePlain) != "" {
		t.Error("a limited sign-in set a session cookie")
	}
	checkPage(t, "/logg-inn (429)", body)
}

// TestMetricsAccess: /metrics answers a caller on the machine itself, or
// anyone with the configured token; not a caller elsewhere, whatever its
// Host header or X-Forwarded-For says; and the metrics token is no user's
// token.
func TestMetricsAccess(t *testing.T) {
	const token = "konstruert-maalenokkel-for-testen"
	e := newEnv(t, func(c *Config) {
		c.MetricsToken = token
		c.Sync = noopSync
		c.TrustedProxies = []*net.IPNet{{IP: net.IPv4(10, 9, 8, 7), Mask: net.CIDRMask(32, 32)}}
	})
	tests := []struct {
		name   string
		remote string
		header http.Header
		want   int
	}{
		{"loopback", "127.0.0.1:4000", nil, http.StatusOK},
		{"loopback IPv6", "[::1]:4000", nil, http.StatusOK},
		{"elsewhere", "192.0.2.7:4000", nil, http.StatusForbidden},
		{"elsewhere, Host localhost", "192.0.2.7:4000", http.Header{"Host": {"localhost"}}, http.StatusForbidden},
		{"elsewhere, Host 127.0.0.1", "192.0.2.7:4000", http.Header{"Host": {"127.0.0.1:8080"}}, http.StatusForbidden},
		{"elsewhere, claims loopback in X-Forwarded-For", "192.0.2.7:4000", http.Header{"X-Forwarded-For": {"127.0.0.1"}}, http.StatusForbidden},
		{"behind the trusted proxy, from elsewhere", "10.9.8.7:4000", http.Header{"X-Forwarded-For": {"192.0.2.7"}}, http.StatusForbidden},
		{"the trusted proxy itself, with no client named", "10.9.8.7:4000", nil, http.StatusForbidden},
		{"elsewhere, the token", "192.0.2.7:4000", http.Header{"Authorization": {"Bearer " + token}}, http.StatusOK},
		{"elsewhere, a wrong token", "192.0.2.7:4000", http.Header{"Authorization": {"Bearer feil"}}, http.StatusUnauthorized},
		{"elsewhere, the token without Bearer", "192.0.2.7:4000", http.Header{"Authorization": {token}}, http.StatusForbidden},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodGet, "/metrics", nil)
			req.RemoteAddr = tt.remote
			for k, v := range tt.header {
				req.Header[k] = v
			}
			if h := tt.header.Get("Host"); h != "" {
				req.Host = h
			}
			rec := httptest.NewRecorder()
			e.srv.Handler().ServeHTTP(rec, req)
			if rec.Code != tt.want {
				t.Errorf("GET /metrics = %d, want %d\n%.300s", rec.Code, tt.want, rec.Body.String())
			}
			if tt.want == http.StatusOK && !strings.Contains(rec.Body.String(), "grunnlag_build_info") {
				t.Errorf("GET /metrics answered without the metrics")
			}
		})
	}
	// The metrics token signs nobody in anywhere else.
	req := httptest.NewRequest(http.MethodPost, "/api/v1/sync", nil)
	req.RemoteAddr = "127.0.0.1:4000"
	req.Header.Set("Authorization", "Bearer "+token)
	rec := httptest.NewRecorder()
	e.srv.Handler().ServeHTTP(rec, req)
	if rec.Code != http.StatusUnauthorized {
		t.Errorf("POST /api/v1/sync with the metrics token = %d, want 401", rec.Code)
	}
}

// TestHostHeaderGrantsNothing: a Host header naming the machine itself
// opens nothing, and links and OIDC callbacks use the configured public
// address whatever Host says.
func TestHostHeaderGrantsNothing(t *testing.T) {
	mock := startMockOIDC(t)
	e := newEnv(t, func(c *Config) {
		c.Sync = noopSync
		c.PublicURL = "https://grunnlag.example.no"
		c.OIDC = mockProvider(t, c.Auth, mock)
	})
	admin := e.signIn(t, "admin@example.invalid", store.RoleAdmin, "")
	for _, host := range []string{"localhost", "127.0.0.1", "[::1]:8080", "grunnlag.example.no"} {
		for _, tt := range []struct {
			method, path string
			want         int
		}{
			{http.MethodPost, "/synk", http.StatusUnauthorized},
			{http.MethodPost, "/api/v1/sync", http.StatusUnauthorized},
			{http.MethodGet, "/admin", http.StatusSeeOther},
			{http.MethodGet, "/metrics", http.StatusForbidden},
		} {
			req := httptest.NewRequest(tt.method, tt.path, nil)
			req.RemoteAddr = "192.0.2.7:4000"
			req.Host = host
			req.Header.Set("Sec-Fetch-Site", "same-origin")
			rec := httptest.NewRecorder()
			e.srv.Handler().ServeHTTP(rec, req)
			if rec.Code != tt.want {
				t.Errorf("%s %s with Host %s from elsewhere = %d, want %d", tt.method, tt.path, host, rec.Code, tt.want)
			}
		}
	}
	// An administrator's new link, under a forged Host.
	h := http.Header{"Sec-Fetch-Site": {"same-origin"}, "Cookie": {admin.cookie.String()}, "Host": {"angriper.example"},
		"Content-Type": {"application/x-www-form-urlencoded"}}
	form := url.Values{"csrf": {admin.csrf}, "epost": {"ny@example.invalid"}, "rolle": {"respondent"}, "org": {"0301"}}
	resp, body := e.do(t, http.MethodPost, "/admin/brukere", h, strings.NewReader(form.Encode()))
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "https://grunnlag.example.no/konto/lenke/") || strings.Contains(body, "angriper.example") {
		t.Errorf("new user's link under a forged Host = %d\n%.300s", resp.StatusCode, body)
	}
	// The OIDC callback registered at the provider is the public one.
	b := newClient(t, e.ts)
	b.header = http.Header{"Host": {"angriper.example"}}
	f := b.form("/logg-inn", "/logg-inn/oidc/mock")
	resp, _ = b.do(http.MethodPost, "/logg-inn/oidc/mock", f)
	to, _ := url.Parse(resp.Header.Get("Location"))
	if got := to.Query().Get("redirect_uri"); got != "https://grunnlag.example.no/logg-inn/oidc/mock/svar" {
		t.Errorf("OIDC redirect_uri under a forged Host = %q", got)
	}
}

// TestSignInPagePolicy: the sign-in page's Content-Security-Policy lets the
// provider buttons' forms lead to the provider (browsers apply form-action
// to the redirect after the post; without it Chromium stays on the page)
// and is otherwise the site's own, framing denied included.
func TestSignInPagePolicy(t *testing.T) {
	mock := startMockOIDC(t)
	e := newEnv(t, func(c *Config) { c.OIDC = mockProvider(t, c.Auth, mock) })
	origin := strings.TrimSuffix(mock.Addr(), "/")
	want := strings.Replace(contentSecurityPolicy, "form-action 'self'", "form-action 'self' "+origin, 1)
	resp, _ := e.get(t, "/logg-inn")
	if got := resp.Header.Get("Content-Security-Policy"); got != want {
		t.Errorf("sign-in page CSP = %q, want %q", got, want)
	}
	// Every other page keeps the site's own form-action.
	resp, _ = e.get(t, "/")
	if got := resp.Header.Get("Content-Security-Policy"); got != contentSecurityPolicy {
		t.Errorf("dashboard CSP = %q, want the site's own", got)
	}
}

// TestOIDCCallbackRefusals: a callback in a browser that did not begin the
// sign-in (no state cookie, another state), or with a used state, is
// refused with a 401 and recorded in the audit log with the client's
// address; nobody is signed in.
func TestOIDCCallbackRefusals(t *testing.T) {
	mock := startMockOIDC(t)
	e := newEnv(t, func(c *Config) { c.OIDC = mockProvider(t, c.Auth, mock) })
	ctx := context.Background()
	kari := e.user(t, "kari@example.invalid", store.RoleLead, "0301")
	// begin starts a sign-in in a browser and returns the callback path
	// the provider sends it to.
	begin := func(b *client) string {
		t.Helper()
		mock.QueueUser(&mockoidc.MockUser{Subject: "kari-sub", Email: kari.Email, EmailVerified: true})
		f := b.form("/logg-inn", "/logg-inn/oidc/mock")
		resp, _ := b.do(http.MethodPost, "/logg-inn/oidc/mock", f)
		back, _ := url.Parse(b.followExternal(resp.Header.Get("Location")).Header.Get("Location"))
		return back.RequestURI()
	}
	// The attacker begins a sign-in with their own browser and sends the
	// victim the callback: the victim's browser has no state cookie.
	attacker, victim := newClient(t, e.ts), newClient(t, e.ts)
	cb := begin(attacker)
	if resp, _ := victim.do(http.MethodGet, cb, nil); resp.StatusCode != http.StatusUnauthorized || victim.cookie(sessionCookiePlain) != "" {
		t.Errorf("another browser's callback = %d (session %q), want 401 and no session", resp.StatusCode, victim.cookie(sessionCookiePlain))
	}
	// The victim's own sign-in under way does not accept the attacker's.
	begin(victim)
	if resp, _ := victim.do(http.MethodGet, cb, nil); resp.StatusCode != http.StatusUnauthorized || victim.cookie(sessionCookiePlain) != "" {
		t.Errorf("a callback with another state = %d, want 401 and no session", resp.StatusCode)
	}
	// A used callback does not work twice.
	b := newClient(t, e.ts)
	cb = begin(b)
	if resp, _ := b.do(http.MethodGet, cb, nil); resp.StatusCode != http.StatusSeeOther || b.cookie(sessionCookiePlain) == "" {
		t.Fatalf("the right callback = %d, want 303 and a session", resp.StatusCode)
	}
	replay := newClient(t, e.ts)
	q, _ := url.Parse(cb)
	replay.client.Jar.SetCookies(&url.URL{Scheme: "http", Host: replay.base.Host, Path: "/logg-inn/oidc/"},
		[]*http.Cookie{{Name: oidcCookie, Value: q.Query().Get("state"), Path: "/logg-inn/oidc/"}})
	if resp, _ := replay.do(http.MethodGet, cb, nil); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("the callback again = %d, want 401", resp.StatusCode)
	}
	failed, _ := e.auth.Audit().Entries(ctx, store.AuditFilter{Action: "login.failed"})
	if len(failed) != 3 {
		t.Fatalf("audit log has %d failed sign-ins, want 3: %+v", len(failed), failed)
	}
	for _, f := range failed {
		if !strings.HasPrefix(f.Detail, "oidc:mock: ") || f.IP != "127.0.0.1" || f.Actor != "anonym" {
			t.Errorf("audit entry %+v: want the provider, the reason and the client's address", f)
		}
	}
}

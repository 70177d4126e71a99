package auth_test

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"github.com/grunnlag/grunnlag/internal/audit"
	"github.com/grunnlag/grunnlag/internal/auth"
	"github.com/grunnlag/grunnlag/internal/fault"
	"github.com/grunnlag/grunnlag/internal/store"
	"github.com/grunnlag/grunnlag/internal/store/sqlstore"
)

// clock is a settable time for the tests.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// fixture is a service on a fresh SQLite file with Oslo and Bergen as
// organisations (real codes and names; everything else constructed).
type fixture struct {
	st  *sqlstore.DB
	svc *auth.Service
	clk *clock
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	ctx := context.Background()
	st, err := sqlstore.Open(ctx, filepath.Join(t.TempDir(), "g.db"), sqlstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	clk := &clock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	if _, _, err := st.SyncOrganisations(ctx, []store.Organisation{
		{Code: "0301", Kind: store.Municipality, Name: "Oslo", Source: "test"},
		{Code: "4601", Kind: store.Municipality, Name: "Bergen", Source: "test"},
	}, clk.Now()); err != nil {
		t.Fatal(err)
	}
	return &fixture{st: st, svc: auth.New(auth.Config{Store: st, Now: clk.Now}), clk: clk}
}

// user adds a user with a role and a password, through the set-up link
// as a person would.
func (f *fixture) user(t testing.TB, email string, role store.Role, org, password string) store.User {
	t.Helper()
	ctx := context.Background()
	u, secret, err := f.svc.AddUser(ctx, audit.CLI, email, role, org)
	if err != nil {
		t.Fatalf("AddUser(%s) = %v", email, err)
	}
	if secret == "" || password == "" {
		return u
	}
	if u, err = f.svc.SetPasswordWithLink(ctx, secret, password, "192.0.2.9"); err != nil {
		t.Fatalf("SetPasswordWithLink() = %v", err)
	}
	return u
}

func TestPassword(t *testing.T) {
	h, err := auth.HashPassword("riktig hest batteri stift")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("HashPassword() = %q, want an argon2id PHC string", h)
	}
	if h2, _ := auth.HashPassword("riktig hest batteri stift"); h2 == h {
		t.Errorf("two hashes of one password are equal: the salt is not random")
	}
	for _, tt := range []struct {
		hash, pw string
		want     bool
	}{
		{h, "riktig hest batteri stift", true},
		{h, "riktig hest batteri stifT", false},
		{h, "", false},
		{"", "", false},
		{"$argon2id$v=19$m=1,t=1,p=1$AA$AA", "x", false},
		{"$bcrypt$whatever", "riktig hest batteri stift", false},
		{"$argon2id$v=19$m=99999999999,t=2,p=1$7HusTjf3KHcPK+ssqPrndA$AAAA", "x", false},
	} {
		if got := auth.VerifyPassword(tt.hash, tt.pw); got != tt.want {
			t.Errorf("VerifyPassword(%.30q, %q) = %v, want %v", tt.hash, tt.pw, got, tt.want)
		}
	}
	for pw, ok := range map[string]bool{
		"kort":                   false,
		"aaaaaaaaaaaaaaaa":       false,
		"Passord123456":          false,
		"elleve tegn":            false,
		"tolv tegn ok":           true,
		strings.Repeat("æ", 128): true,
		strings.Repeat("æ", 129): false,
		"🐧🐧🐧 pingviner på isen 🐧🐧🐧": true,
	} {
		if err := auth.CheckPassword(pw); (err == nil) != ok {
			t.Errorf("CheckPassword(%q) = %v, want ok %v", pw, err, ok)
		}
	}
}

// TestSafeReturn is the open-redirect rule: after signing in, only a path
// on this site.
func TestSafeReturn(t *testing.T) {
	for in, want := range map[string]string{
		"":                          "/",
		"/tabeller/12041?x=1":       "/tabeller/12041?x=1",
		"//evil.example":            "/",
		"/\\evil.example":           "/",
		"https://evil.example/":     "/",
		"javascript:alert(1)":       "/",
		"evil.example":              "/",
		"/ok\r\nSet-Cookie: a=b":    "/",
		"/%2F%2Fevil.example":       "/%2F%2Fevil.example",
		"///evil.example":           "/",
		"/kartlegging#del-2":        "/kartlegging#del-2",
		"\t/evil":                   "/",
		"/\t/evil.example":          "/",
		"/https://evil.example/x/y": "/https://evil.example/x/y",
	} {
		if got := auth.SafeReturn(in); got != want {
			t.Errorf("SafeReturn(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestNoEnumeration signs in with an unknown address, a wrong password and
// a disabled account: the same error, the same message.
func TestNoEnumeration(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	u := f.user(t, "kari@example.invalid", store.RoleLead, "0301", "riktig hest batteri stift")
	closed := f.user(t, "stengt@example.invalid", store.RoleLead, "0301", "riktig hest batteri stift")
	if err := f.st.SetDisabled(ctx, closed.ID, f.clk.Now()); err != nil {
		t.Fatal(err)
	}
	var msgs []string
	for _, tt := range []struct{ email, pw string }{
		{"ingen@example.invalid", "riktig hest batteri stift"},
		{"kari@example.invalid", "feil passord her"},
		{"stengt@example.invalid", "riktig hest batteri stift"},
	} {
		_, err := f.svc.PasswordLogin(ctx, tt.email, tt.pw, "192.0.2.1")
		if !fault.Is(err, fault.Unauthorized) {
			t.Errorf("PasswordLogin(%s) = %v, want kind %v", tt.email, err, fault.Unauthorized)
		}
		msgs = append(msgs, fault.UserMessage(err))
	}
	if msgs[0] != msgs[1] || msgs[1] != msgs[2] {
		t.Errorf("sign-in errors differ: %q", msgs)
	}
	if got, err := f.svc.PasswordLogin(ctx, "KARI@example.invalid", "riktig hest batteri stift", "192.0.2.1"); err != nil || got.ID != u.ID {
		t.Errorf("PasswordLogin(right password) = %+v, %v", got, err)
	}
	log, _ := f.svc.Audit().Entries(ctx, store.AuditFilter{Action: "login.failed"})
	if len(log) != 3 {
		t.Errorf("audit log has %d failed sign-ins, want 3", len(log))
	}
}

// TestLoginRateLimit tries too often for one account, then from one
// address: refused with a clear message, also with the right password,
// until the window has passed.
func TestLoginRateLimit(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.user(t, "kari@example.invalid", store.RoleLead, "0301", "riktig hest batteri stift")
	for i := range 10 {
		if _, err := f.svc.PasswordLogin(ctx, "kari@example.invalid", "feil", "192.0.2.1"); !fault.Is(err, fault.Unauthorized) {
			t.Fatalf("attempt %d = %v", i+1, err)
		}
	}
	_, err := f.svc.PasswordLogin(ctx, "kari@example.invalid", "riktig hest batteri stift", "192.0.2.2")
	if !fault.Is(err, fault.Unavailable) || !strings.Contains(fault.UserMessage(err), "For mange forsøk") {
		t.Errorf("11th attempt = %v (%q), want too many", err, fault.UserMessage(err))
	}
	// The same for an unknown address: the limit tells nothing.
	for range 10 {
		f.svc.PasswordLogin(ctx, "ingen@example.invalid", "feil", "192.0.2.3")
	}
	if _, err := f.svc.PasswordLogin(ctx, "ingen@example.invalid", "feil", "192.0.2.4"); !fault.Is(err, fault.Unavailable) {
		t.Errorf("11th attempt for an unknown address = %v, want too many as for a known one", err)
	}
	f.clk.Add(16 * time.Minute)
	if _, err := f.svc.PasswordLogin(ctx, "kari@example.invalid", "riktig hest batteri stift", "192.0.2.2"); err != nil {
		t.Errorf("after the window: %v", err)
	}
	// One address trying many accounts.
	for i := range 50 {
		f.svc.PasswordLogin(ctx, "x"+strings.Repeat("y", i)+"@example.invalid", "feil", "198.51.100.7")
	}
	if _, err := f.svc.PasswordLogin(ctx, "kari@example.invalid", "riktig hest batteri stift", "198.51.100.7"); !fault.Is(err, fault.Unavailable) {
		t.Errorf("51st attempt from one address = %v, want too many", err)
	}
}

func TestTOTP(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	u := f.user(t, "analytiker@example.invalid", store.RoleAnalyst, "", "riktig hest batteri stift")
	secret, address, err := auth.NewTOTP(u.Email)
	if err != nil || !strings.HasPrefix(address, "otpauth://totp/grunnlag:analytiker@example.invalid?") {
		t.Fatalf("NewTOTP() = %q, %v", address, err)
	}
	code, _ := totp.GenerateCode(secret, f.clk.Now())
	if err := f.svc.CheckTOTP(ctx, u, secret, code, "192.0.2.1"); err != nil {
		t.Errorf("CheckTOTP(current code) = %v", err)
	}
	if err := f.svc.CheckTOTP(ctx, u, secret, code, "192.0.2.1"); !fault.Is(err, fault.Unauthorized) || !strings.Contains(fault.UserMessage(err), "brukt før") {
		t.Errorf("CheckTOTP(the same code again) = %v, want it refused as used", err)
	}
	f.clk.Add(30 * time.Second)
	old := code
	if err := f.svc.CheckTOTP(ctx, u, secret, old, "192.0.2.1"); !fault.Is(err, fault.Unauthorized) {
		t.Errorf("CheckTOTP(previous code, used) = %v, want refused", err)
	}
	next, _ := totp.GenerateCode(secret, f.clk.Now())
	if err := f.svc.CheckTOTP(ctx, u, secret, " "+next[:3]+" "+next[3:]+" ", "192.0.2.1"); err != nil {
		t.Errorf("CheckTOTP(next code with spaces) = %v", err)
	}
	if err := f.svc.CheckTOTP(ctx, u, secret, "000000", "192.0.2.1"); !fault.Is(err, fault.Unauthorized) {
		t.Errorf("CheckTOTP(wrong) = %v, want refused", err)
	}
}

// TestSessions: a new id at sign-in and at every renewal, the old id dead
// at once, the idle and absolute timeouts, logout and logout everywhere.
func TestSessions(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	u := f.user(t, "kari@example.invalid", store.RoleLead, "0301", "riktig hest batteri stift")
	c := auth.Client{IP: "192.0.2.1", UserAgent: "test"}
	cookie, sess, err := f.svc.StartSession(ctx, u, store.SessionFull, "password", c)
	if err != nil {
		t.Fatal(err)
	}
	if sess.OrgID == 0 {
		t.Errorf("a lead of one organisation starts with it active; OrgID = 0")
	}
	p, err := f.svc.Session(ctx, cookie, c)
	if err != nil || !p.SignedIn() || !p.HasIn(store.RoleLead, sess.OrgID) || p.Has(store.RoleAnalyst) {
		t.Fatalf("Session() = %+v, %v", p, err)
	}
	renewed, err := f.svc.Renew(ctx, p, store.SessionFull, p.OrgID)
	if err != nil || renewed == cookie {
		t.Fatalf("Renew() = %q, %v, want a new value", renewed, err)
	}
	if _, err := f.svc.Session(ctx, cookie, c); !fault.Is(err, fault.Unauthorized) {
		t.Errorf("the old cookie after Renew() = %v, want it dead", err)
	}
	bergen, _ := f.st.Organisation(ctx, "4601")
	if _, err := f.svc.Renew(ctx, p, store.SessionFull, bergen.ID); !fault.Is(err, fault.Forbidden) {
		t.Errorf("Renew(into an organisation without a role) = %v, want kind %v", err, fault.Forbidden)
	}
	f.clk.Add(29 * time.Minute)
	if _, err := f.svc.Session(ctx, renewed, c); err != nil {
		t.Errorf("Session() after 29 idle minutes = %v", err)
	}
	f.clk.Add(31 * time.Minute)
	if _, err := f.svc.Session(ctx, renewed, c); !fault.Is(err, fault.Unauthorized) {
		t.Errorf("Session() after 31 idle minutes = %v, want it ended", err)
	}
	// Absolute: used every 20 minutes, it still ends after 12 hours.
	cookie, _, _ = f.svc.StartSession(ctx, u, store.SessionFull, "password", c)
	for i := 0; i < 12*3-1; i++ {
		f.clk.Add(20 * time.Minute)
		if _, err := f.svc.Session(ctx, cookie, c); err != nil {
			t.Fatalf("Session() after %d minutes of use = %v", (i+1)*20, err)
		}
	}
	f.clk.Add(20 * time.Minute)
	if _, err := f.svc.Session(ctx, cookie, c); !fault.Is(err, fault.Unauthorized) {
		t.Errorf("Session() after 12 hours = %v, want it ended", err)
	}
	// Logout ends it on the server; logout everywhere ends all.
	a, _, _ := f.svc.StartSession(ctx, u, store.SessionFull, "password", c)
	b, _, _ := f.svc.StartSession(ctx, u, store.SessionFull, "password", c)
	pa, _ := f.svc.Session(ctx, a, c)
	if err := f.svc.Logout(ctx, pa); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Session(ctx, a, c); !fault.Is(err, fault.Unauthorized) {
		t.Errorf("Session() after Logout() = %v", err)
	}
	pb, _ := f.svc.Session(ctx, b, c)
	c2, _, _ := f.svc.StartSession(ctx, u, store.SessionFull, "password", c)
	if n, err := f.svc.LogoutEverywhere(ctx, pb); err != nil || n != 2 {
		t.Errorf("LogoutEverywhere() = %d, %v, want 2", n, err)
	}
	if _, err := f.svc.Session(ctx, c2, c); !fault.Is(err, fault.Unauthorized) {
		t.Errorf("another session after LogoutEverywhere() = %v", err)
	}
}

// TestFactorSession is a session between password and second factor: it
// is not signed in, so it may do nothing but give the code.
func TestFactorSession(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	u := f.user(t, "analytiker@example.invalid", store.RoleAnalyst, "", "riktig hest batteri stift")
	c := auth.Client{IP: "192.0.2.1"}
	cookie, _, _ := f.svc.StartSession(ctx, u, store.SessionFactor, "password", c)
	p, err := f.svc.Session(ctx, cookie, c)
	if err != nil || p.SignedIn() || p.Has(store.RoleAnalyst) {
		t.Errorf("a factor session: SignedIn %v, analyst %v, %v; want neither", p.SignedIn(), p.Has(store.RoleAnalyst), err)
	}
	full, err := f.svc.Renew(ctx, p, store.SessionFull, 0)
	if err != nil {
		t.Fatal(err)
	}
	if p, _ := f.svc.Session(ctx, full, c); !p.Has(store.RoleAnalyst) {
		t.Errorf("after the second factor: not an analyst")
	}
}

func TestTokens(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	u := f.user(t, "analytiker@example.invalid", store.RoleAnalyst, "", "riktig hest batteri stift")
	secret, tok, err := f.svc.CreateToken(ctx, audit.CLI, u.ID, "R", 0)
	if err != nil || !strings.HasPrefix(secret, "gl_") || tok.ExpiresAt.Sub(f.clk.Now()) != 90*24*time.Hour {
		t.Fatalf("CreateToken() = %q, %+v, %v", secret, tok, err)
	}
	p, err := f.svc.Token(ctx, secret, auth.Client{IP: "192.0.2.1"})
	if err != nil || !p.SignedIn() || !p.Has(store.RoleAnalyst) {
		t.Fatalf("Token() = %+v, %v", p, err)
	}
	for _, bad := range []string{"", "gl_feil", secret + "x", strings.TrimPrefix(secret, "gl_")} {
		if _, err := f.svc.Token(ctx, bad, auth.Client{}); !fault.Is(err, fault.Unauthorized) {
			t.Errorf("Token(%q) = %v, want kind %v", bad, err, fault.Unauthorized)
		}
	}
	if err := f.svc.RevokeToken(ctx, p, tok.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Token(ctx, secret, auth.Client{}); !fault.Is(err, fault.Unauthorized) {
		t.Errorf("Token() after revoking = %v", err)
	}
	s2, _, _ := f.svc.CreateToken(ctx, audit.CLI, u.ID, "kort", time.Hour)
	f.clk.Add(time.Hour)
	if _, err := f.svc.Token(ctx, s2, auth.Client{}); !fault.Is(err, fault.Unauthorized) {
		t.Errorf("Token() when expired = %v", err)
	}
	if _, _, err := f.svc.CreateToken(ctx, audit.CLI, u.ID, "lang", 400*24*time.Hour); !fault.Is(err, fault.Invalid) {
		t.Errorf("CreateToken(400 days) = %v, want kind %v", err, fault.Invalid)
	}
}

func TestAddUser(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	for _, tt := range []struct {
		email string
		role  store.Role
		org   string
		kind  fault.Kind
	}{
		{"ikke-en-adresse", store.RoleLead, "0301", fault.Invalid},
		{"a@example.invalid", "sjef", "0301", fault.Invalid},
		{"a@example.invalid", store.RoleLead, "", fault.Invalid},
		{"a@example.invalid", store.RoleAdmin, "0301", fault.Invalid},
		{"a@example.invalid", store.RoleLead, "9999", fault.NotFound},
		{"a@example.invalid", store.RoleProvider, "0301", fault.Invalid},
	} {
		if _, _, err := f.svc.AddUser(ctx, audit.CLI, tt.email, tt.role, tt.org); !fault.Is(err, tt.kind) {
			t.Errorf("AddUser(%s, %s, %q) = %v, want kind %v", tt.email, tt.role, tt.org, err, tt.kind)
		}
	}
	u, secret, err := f.svc.AddUser(ctx, audit.CLI, "Ny@Example.invalid", store.RoleAdmin, "")
	if err != nil || secret == "" || u.Email != "ny@example.invalid" {
		t.Fatalf("AddUser(admin) = %+v, %q, %v", u, secret, err)
	}
	// The link works for 24 hours, once.
	f.clk.Add(23 * time.Hour)
	if _, _, err := f.svc.PeekLink(ctx, secret); err != nil {
		t.Errorf("PeekLink() after 23 hours = %v", err)
	}
	if _, err := f.svc.SetPasswordWithLink(ctx, secret, "kort", ""); !fault.Is(err, fault.Invalid) {
		t.Errorf("SetPasswordWithLink(too short) = %v, want kind %v", err, fault.Invalid)
	}
	if _, err := f.svc.SetPasswordWithLink(ctx, secret, "riktig hest batteri stift", ""); err != nil {
		t.Fatalf("SetPasswordWithLink() = %v", err)
	}
	if _, err := f.svc.SetPasswordWithLink(ctx, secret, "riktig hest batteri stift", ""); !fault.Is(err, fault.NotFound) {
		t.Errorf("SetPasswordWithLink() again = %v, want kind %v", err, fault.NotFound)
	}
	_, late, _ := f.svc.AddUser(ctx, audit.CLI, "sen@example.invalid", store.RoleLead, "0301")
	f.clk.Add(24 * time.Hour)
	if _, _, err := f.svc.PeekLink(ctx, late); !fault.Is(err, fault.NotFound) {
		t.Errorf("PeekLink() after 24 hours = %v, want kind %v", err, fault.NotFound)
	}
	// A user who has a password gets a new role without a link.
	if _, secret, err := f.svc.AddUser(ctx, audit.CLI, "ny@example.invalid", store.RoleLead, "4601"); err != nil || secret != "" {
		t.Errorf("AddUser(existing user, new role) = %q, %v, want no link", secret, err)
	}
	n, err := f.svc.Audit().Verify(ctx)
	if err != nil || n == 0 {
		t.Errorf("Verify() = %d, %v", n, err)
	}
}

// TestInvite: a lead's invitation makes a link only for an account it
// creates. For one that exists (a password set, or none yet: waiting for
// its own link, or signing in through an identity provider) it gives the
// role and no link, so that no lead can choose another person's password.
func TestInvite(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	lead := f.user(t, "leder@example.invalid", store.RoleLead, "0301", "riktig hest batteri stift")
	by := audit.Actor{ID: lead.ID, Name: lead.Email}
	pending, _, err := f.svc.AddUser(ctx, audit.CLI, "ventende.admin@example.invalid", store.RoleAdmin, "")
	if err != nil {
		t.Fatal(err)
	}
	withPassword := f.user(t, "har.passord@example.invalid", store.RoleAnalyst, "", "riktig hest batteri stift")
	for _, tt := range []struct {
		email    string
		wantLink bool
	}{
		{"ny@example.invalid", true},
		{pending.Email, false},
		{"VENTENDE.ADMIN@example.invalid", false},
		{withPassword.Email, false},
	} {
		u, link, err := f.svc.Invite(ctx, by, tt.email, "0301")
		if err != nil {
			t.Fatalf("Invite(%s) = %v", tt.email, err)
		}
		if (link != "") != tt.wantLink {
			t.Errorf("Invite(%s) link = %q, want a link: %v", tt.email, link, tt.wantLink)
		}
		roles, _ := f.st.RolesOf(ctx, u.ID)
		if !slices.ContainsFunc(roles, func(g store.RoleGrant) bool { return g.Role == store.RoleRespondent && g.OrgCode == "0301" }) {
			t.Errorf("Invite(%s): roles %+v lack respondent in 0301", tt.email, roles)
		}
		if link != "" {
			l, lu, err := f.svc.PeekLink(ctx, link)
			if err != nil || lu.ID != u.ID || l.Purpose != auth.LinkInvite {
				t.Errorf("the invitation's link = %+v for %d, %v", l, lu.ID, err)
			}
		}
	}
	links, _ := f.svc.Audit().Entries(ctx, store.AuditFilter{Action: "link", ActorID: lead.ID})
	if len(links) != 1 {
		t.Errorf("the lead made %d links, want 1 (for the new account)", len(links))
	}
}

// TestPasswordNotTruncated: every character of a long password counts
// (ASVS 2.1.3).
func TestPasswordNotTruncated(t *testing.T) {
	long := strings.Repeat("riktig hest batteri stift ", 5)[:auth.MaxPassword-1]
	h, err := auth.HashPassword(long + "a")
	if err != nil {
		t.Fatal(err)
	}
	if !auth.VerifyPassword(h, long+"a") || auth.VerifyPassword(h, long+"b") || auth.VerifyPassword(h, long) {
		t.Error("a 128-character password is checked only in part")
	}
}

// TestPasswordLinkEndsSessions: a new password set through a link ends
// every session of the account, those through an identity provider too
// (ASVS 3.3.3).
func TestPasswordLinkEndsSessions(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	u := f.user(t, "kari@example.invalid", store.RoleLead, "0301", "riktig hest batteri stift")
	c := auth.Client{IP: "192.0.2.1"}
	a, _, _ := f.svc.StartSession(ctx, u, store.SessionFull, "password", c)
	b, _, _ := f.svc.StartSession(ctx, u, store.SessionFull, "oidc:kommune", c)
	secret, err := f.svc.NewLink(ctx, audit.CLI, u.ID, auth.LinkReset)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.SetPasswordWithLink(ctx, secret, "et helt nytt passord", "192.0.2.1"); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{a, b} {
		if _, err := f.svc.Session(ctx, s, c); !fault.Is(err, fault.Unauthorized) {
			t.Errorf("a session after the new password = %v, want it ended", err)
		}
	}
	if _, err := f.svc.PasswordLogin(ctx, u.Email, "riktig hest batteri stift", "192.0.2.1"); err == nil {
		t.Error("the old password still works")
	}
}

// TestAuditHoldsNoSecrets: after sign-ins that fail and succeed, a second
// factor, a link, a new password and a token, no entry of the audit log
// holds a password, a code, a session, a link or a token (ASVS 7.1.1).
func TestAuditHoldsNoSecrets(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	c := auth.Client{IP: "192.0.2.1"}
	_, setup, err := f.svc.AddUser(ctx, audit.CLI, "analytiker@example.invalid", store.RoleAnalyst, "")
	if err != nil {
		t.Fatal(err)
	}
	const pw, wrong = "riktig hest batteri stift", "nesten riktig hest batteri"
	u, err := f.svc.SetPasswordWithLink(ctx, setup, pw, c.IP)
	if err != nil {
		t.Fatal(err)
	}
	f.svc.PasswordLogin(ctx, u.Email, wrong, c.IP)
	if _, err := f.svc.PasswordLogin(ctx, u.Email, pw, c.IP); err != nil {
		t.Fatal(err)
	}
	secret, _, _ := auth.NewTOTP(u.Email)
	code, _ := totp.GenerateCode(secret, f.clk.Now())
	if err := f.svc.CheckTOTP(ctx, u, secret, code, c.IP); err != nil {
		t.Fatal(err)
	}
	f.svc.CheckTOTP(ctx, u, secret, "000000", c.IP)
	cookie, sess, err := f.svc.StartSession(ctx, u, store.SessionFull, "password", c)
	if err != nil {
		t.Fatal(err)
	}
	reset, err := f.svc.NewLink(ctx, audit.CLI, u.ID, auth.LinkReset)
	if err != nil {
		t.Fatal(err)
	}
	token, _, err := f.svc.CreateToken(ctx, audit.CLI, u.ID, "R", 0)
	if err != nil {
		t.Fatal(err)
	}
	entries, err := f.svc.Audit().Entries(ctx, store.AuditFilter{})
	if err != nil || len(entries) < 8 {
		t.Fatalf("audit log = %d entries, %v", len(entries), err)
	}
	for _, e := range entries {
		all := strings.Join([]string{e.Actor, e.IP, e.Action, e.Object, e.OrgCode, e.Detail}, "|")
		for name, s := range map[string]string{"password": pw, "wrong password": wrong, "TOTP secret": secret, "code": code,
			"set-up link": setup, "reset link": reset, "session": cookie, "form token": sess.CSRF, "API token": token} {
			if strings.Contains(all, s) {
				t.Errorf("audit entry %d (%s) holds the %s", e.Seq, e.Action, name)
			}
		}
	}
}

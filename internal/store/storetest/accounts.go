package storetest

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/grunnlag/grunnlag/internal/fault"
	"github.com/grunnlag/grunnlag/internal/store"
)

// Store is what the suite tests: the whole store.
type Store interface {
	store.Archive
	store.Accounts
	store.Survey
}

// RunAccounts runs the suite of store.Accounts. open must return a new,
// empty store each time; the suite closes it. The organisations and people
// here are constructed; the municipality codes are real codes, the names
// beside them too, the rest made up.
func RunAccounts(t *testing.T, open func(t *testing.T) Store) {
	tests := []struct {
		name string
		run  func(t *testing.T, s Store)
	}{
		{"Organisations", testOrganisations},
		{"Users", testUsers},
		{"Roles", testRoles},
		{"OrgMembersScoped", testOrgMembersScoped},
		{"Sessions", testSessions},
		{"Tokens", testTokens},
		{"Links", testLinks},
		{"OIDCState", testOIDCState},
		{"RateLimit", testRateLimit},
		{"Grants", testGrants},
		{"Audit", testAudit},
		{"AuditConcurrent", testAuditConcurrent},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := open(t)
			t.Cleanup(func() {
				if err := s.Close(); err != nil {
					t.Errorf("Close() = %v", err)
				}
			})
			tt.run(t, s)
		})
	}
}

var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

func municipality(code, name, county string, pop int) store.Organisation {
	return store.Organisation{Code: code, Kind: store.Municipality, Name: name, County: county, Population: pop, Source: "kommuner-2024"}
}

// seedOrgs stores two municipalities and a county and returns them by code.
func seedOrgs(t *testing.T, s Store) map[string]store.Organisation {
	t.Helper()
	ctx := context.Background()
	orgs := []store.Organisation{
		municipality("0301", "Oslo", "03", 717710),
		municipality("4601", "Bergen", "46", 291940),
		{Code: "46", Kind: store.County, Name: "Vestland", Source: "fylker-2024"},
	}
	if _, _, err := s.SyncOrganisations(ctx, orgs, t0); err != nil {
		t.Fatalf("SyncOrganisations() = %v", err)
	}
	out := map[string]store.Organisation{}
	for _, o := range orgs {
		got, err := s.Organisation(ctx, o.Code)
		if err != nil {
			t.Fatalf("Organisation(%s) = %v", o.Code, err)
		}
		out[o.Code] = got
	}
	return out
}

func mustUser(t *testing.T, s Store, email string) store.User {
	t.Helper()
	u, err := s.CreateUser(context.Background(), store.User{Email: email, CreatedAt: t0})
	if err != nil {
		t.Fatalf("CreateUser(%s) = %v", email, err)
	}
	return u
}

func testOrganisations(t *testing.T, s Store) {
	ctx := context.Background()
	orgs := []store.Organisation{municipality("0301", "Oslo", "03", 717710), municipality("4601", "Bergen", "46", 0)}
	added, changed, err := s.SyncOrganisations(ctx, orgs, t0)
	if err != nil || added != 2 || changed != 0 {
		t.Fatalf("SyncOrganisations() = %d, %d, %v, want 2 added", added, changed, err)
	}
	// Again: nothing changes.
	if added, changed, err = s.SyncOrganisations(ctx, orgs, t0.Add(time.Hour)); err != nil || added != 0 || changed != 0 {
		t.Errorf("SyncOrganisations() again = %d, %d, %v, want nothing", added, changed, err)
	}
	got, err := s.Organisation(ctx, "0301")
	want := store.Organisation{ID: got.ID, Code: "0301", Kind: store.Municipality, Name: "Oslo", County: "03",
		Population: 717710, Source: "kommuner-2024", CreatedAt: t0}
	if err != nil || !cmp.Equal(want, got) {
		t.Errorf("Organisation(0301) = %+v, %v, want %+v", got, err, want)
	}
	if b, _ := s.Organisation(ctx, "4601"); b.Population != 0 {
		t.Errorf("Organisation(4601).Population = %d, want 0 (unknown)", b.Population)
	}

	// A provider with a member; a register without Bergen retires it.
	p, err := s.AddOrganisation(ctx, store.Organisation{Code: "iks-test", Kind: store.Provider, Name: "Konstruert IKT IKS", Source: "admin", CreatedAt: t0})
	if err != nil || p.ID == 0 {
		t.Fatalf("AddOrganisation() = %+v, %v", p, err)
	}
	if _, err := s.AddOrganisation(ctx, store.Organisation{Code: "iks-test", Kind: store.Provider, Name: "x", Source: "admin"}); !fault.Is(err, fault.Conflict) {
		t.Errorf("AddOrganisation(same code) = %v, want kind %v", err, fault.Conflict)
	}
	if _, err := s.AddOrganisation(ctx, store.Organisation{Code: "9999", Kind: store.Municipality, Name: "x"}); !fault.Is(err, fault.Invalid) {
		t.Errorf("AddOrganisation(a municipality) = %v, want kind %v", err, fault.Invalid)
	}
	m := store.Membership{Parent: "iks-test", Member: "4601", ValidFrom: "2024-01-01"}
	if err := s.AddMembership(ctx, m); err != nil {
		t.Fatalf("AddMembership() = %v", err)
	}
	if err := s.AddMembership(ctx, store.Membership{Parent: "4601", Member: "0301", ValidFrom: "2024-01-01"}); !fault.Is(err, fault.Invalid) {
		t.Errorf("AddMembership(member of a municipality) = %v, want kind %v", err, fault.Invalid)
	}
	if ms, err := s.Memberships(ctx, "iks-test"); err != nil || !cmp.Equal([]store.Membership{m}, ms) {
		t.Errorf("Memberships(iks-test) = %+v, %v, want %+v", ms, err, m)
	}
	if _, _, err := s.SyncOrganisations(ctx, orgs[:1], t0.Add(2*time.Hour)); err != nil {
		t.Fatal(err)
	}
	b, _ := s.Organisation(ctx, "4601")
	if !b.RetiredAt.Equal(t0.Add(2 * time.Hour)) {
		t.Errorf("Organisation(4601).RetiredAt = %v, want it retired at the sync", b.RetiredAt)
	}
	all, err := s.Organisations(ctx, "")
	if err != nil || len(all) != 3 {
		t.Errorf("Organisations() = %d, %v, want 3 (a provider is not retired by the registers)", len(all), err)
	}
	if ps, err := s.Organisations(ctx, store.Provider); err != nil || len(ps) != 1 || ps[0].Code != "iks-test" {
		t.Errorf("Organisations(provider) = %+v, %v", ps, err)
	}
	if _, err := s.Organisation(ctx, "9999"); !fault.Is(err, fault.NotFound) {
		t.Errorf("Organisation(9999) = %v, want kind %v", err, fault.NotFound)
	}
}

func testUsers(t *testing.T, s Store) {
	ctx := context.Background()
	u := mustUser(t, s, " Kari.Nordmann@Example.Invalid ")
	if u.Email != "kari.nordmann@example.invalid" {
		t.Errorf("CreateUser() email = %q, want it lowercased and trimmed", u.Email)
	}
	if _, err := s.CreateUser(ctx, store.User{Email: "KARI.nordmann@example.invalid"}); !fault.Is(err, fault.Conflict) {
		t.Errorf("CreateUser(same address, other case) = %v, want kind %v", err, fault.Conflict)
	}
	if err := s.SetPassword(ctx, u.ID, "$argon2id$constructed"); err != nil {
		t.Fatal(err)
	}
	if err := s.SetTOTP(ctx, u.ID, "JBSWY3DPEHPK3PXP"); err != nil {
		t.Fatal(err)
	}
	got, err := s.UserByEmail(ctx, "KARI.NORDMANN@example.invalid")
	if err != nil || got.PasswordHash != "$argon2id$constructed" || got.TOTPSecret != "JBSWY3DPEHPK3PXP" || !got.CreatedAt.Equal(t0) {
		t.Errorf("UserByEmail() = %+v, %v", got, err)
	}
	if err := s.SetDisabled(ctx, u.ID, t0); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.User(ctx, u.ID); !got.DisabledAt.Equal(t0) {
		t.Errorf("User().DisabledAt = %v, want %v", got.DisabledAt, t0)
	}
	if err := s.SetDisabled(ctx, u.ID, time.Time{}); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.User(ctx, u.ID); !got.DisabledAt.IsZero() {
		t.Errorf("User().DisabledAt after enabling = %v, want zero", got.DisabledAt)
	}
	if err := s.SetPassword(ctx, u.ID+100, "x"); !fault.Is(err, fault.NotFound) {
		t.Errorf("SetPassword(unknown user) = %v, want kind %v", err, fault.NotFound)
	}
	if err := s.LinkIdentity(ctx, "idp", "sub-1", u.ID, t0); err != nil {
		t.Fatal(err)
	}
	if err := s.LinkIdentity(ctx, "idp", "sub-1", u.ID, t0); err != nil {
		t.Errorf("LinkIdentity() again = %v, want nil", err)
	}
	other := mustUser(t, s, "ola@example.invalid")
	if err := s.LinkIdentity(ctx, "idp", "sub-1", other.ID, t0); !fault.Is(err, fault.Conflict) {
		t.Errorf("LinkIdentity(taken subject) = %v, want kind %v", err, fault.Conflict)
	}
	if got, err := s.UserByIdentity(ctx, "idp", "sub-1"); err != nil || got.ID != u.ID {
		t.Errorf("UserByIdentity() = %+v, %v, want user %d", got, err, u.ID)
	}
	if _, err := s.UserByIdentity(ctx, "other-idp", "sub-1"); !fault.Is(err, fault.NotFound) {
		t.Errorf("UserByIdentity(other provider) = %v, want kind %v", err, fault.NotFound)
	}
	if list, err := s.Users(ctx); err != nil || len(list) != 2 || list[0].Email != "kari.nordmann@example.invalid" {
		t.Errorf("Users() = %+v, %v", list, err)
	}
}

func testRoles(t *testing.T, s Store) {
	ctx := context.Background()
	orgs := seedOrgs(t, s)
	admin := mustUser(t, s, "admin@example.invalid")
	u := mustUser(t, s, "leder@example.invalid")
	for _, tt := range []struct {
		role  store.Role
		org   int64
		error fault.Kind
	}{
		{store.RoleLead, 0, fault.Invalid},
		{store.RoleAdmin, orgs["0301"].ID, fault.Invalid},
		{"sjef", orgs["0301"].ID, fault.Invalid},
	} {
		if err := s.GrantRole(ctx, u.ID, tt.role, tt.org, admin.ID, t0); !fault.Is(err, tt.error) {
			t.Errorf("GrantRole(%s, org %d) = %v, want kind %v", tt.role, tt.org, err, tt.error)
		}
	}
	for range 2 { // the second time changes nothing
		if err := s.GrantRole(ctx, u.ID, store.RoleLead, orgs["0301"].ID, admin.ID, t0); err != nil {
			t.Fatal(err)
		}
		if err := s.GrantRole(ctx, u.ID, store.RoleAnalyst, 0, admin.ID, t0); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.GrantRole(ctx, u.ID, store.RoleRespondent, orgs["4601"].ID, 0, t0); err != nil {
		t.Fatal(err)
	}
	got, err := s.RolesOf(ctx, u.ID)
	want := []store.RoleGrant{
		{Role: store.RoleAnalyst, GrantedBy: admin.ID, GrantedAt: t0},
		{Role: store.RoleLead, OrgID: orgs["0301"].ID, OrgCode: "0301", OrgName: "Oslo", GrantedBy: admin.ID, GrantedAt: t0},
		{Role: store.RoleRespondent, OrgID: orgs["4601"].ID, OrgCode: "4601", OrgName: "Bergen", GrantedAt: t0},
	}
	if diff := cmp.Diff(want, got); err != nil || diff != "" {
		t.Errorf("RolesOf() = %v, mismatch (-want +got):\n%s", err, diff)
	}
	if err := s.RevokeRole(ctx, u.ID, store.RoleLead, orgs["0301"].ID); err != nil {
		t.Fatal(err)
	}
	if err := s.RevokeRole(ctx, u.ID, store.RoleLead, orgs["0301"].ID); !fault.Is(err, fault.NotFound) {
		t.Errorf("RevokeRole() twice = %v, want kind %v", err, fault.NotFound)
	}
	if got, _ := s.RolesOf(ctx, u.ID); len(got) != 2 {
		t.Errorf("RolesOf() after revoking = %+v, want 2 roles", got)
	}
}

// testOrgMembersScoped asks for an organisation's members as each kind of
// actor: the store answers only those who may see them.
func testOrgMembersScoped(t *testing.T, s Store) {
	ctx := context.Background()
	orgs := seedOrgs(t, s)
	oslo, bergen := orgs["0301"].ID, orgs["4601"].ID
	admin, leadOslo, respOslo, leadBergen := mustUser(t, s, "a@example.invalid"), mustUser(t, s, "lo@example.invalid"),
		mustUser(t, s, "ro@example.invalid"), mustUser(t, s, "lb@example.invalid")
	analyst := mustUser(t, s, "an@example.invalid")
	grant := func(u store.User, r store.Role, org int64) {
		t.Helper()
		if err := s.GrantRole(ctx, u.ID, r, org, 0, t0); err != nil {
			t.Fatal(err)
		}
	}
	grant(admin, store.RoleAdmin, 0)
	grant(analyst, store.RoleAnalyst, 0)
	grant(leadOslo, store.RoleLead, oslo)
	grant(respOslo, store.RoleRespondent, oslo)
	grant(leadBergen, store.RoleLead, bergen)
	tests := []struct {
		actor store.User
		org   int64
		want  int
	}{
		{admin, oslo, 2}, {admin, bergen, 1},
		{leadOslo, oslo, 2}, {leadOslo, bergen, 0},
		{leadBergen, oslo, 0}, {respOslo, oslo, 0},
		{analyst, oslo, 0},
	}
	for _, tt := range tests {
		got, err := s.OrgMembers(ctx, tt.actor.ID, tt.org)
		if err != nil || len(got) != tt.want {
			t.Errorf("OrgMembers(as %s, org %d) = %d members, %v; want %d", tt.actor.Email, tt.org, len(got), err, tt.want)
		}
	}
}

func session(id string, userID int64, at time.Time) store.Session {
	return store.Session{IDHash: id, UserID: userID, CSRF: "csrf-" + id, Level: store.SessionFull, Method: "password",
		CreatedAt: at, SeenAt: at, ExpiresAt: at.Add(12 * time.Hour), IP: "192.0.2.1", UserAgent: "test"}
}

func testSessions(t *testing.T, s Store) {
	ctx := context.Background()
	orgs := seedOrgs(t, s)
	u := mustUser(t, s, "kari@example.invalid")
	a := session("a", u.ID, t0)
	a.OrgID = orgs["0301"].ID
	if err := s.CreateSession(ctx, a); err != nil {
		t.Fatal(err)
	}
	got, err := s.SessionUser(ctx, "a", t0.Add(time.Minute))
	if diff := cmp.Diff(a, got.Session); err != nil || diff != "" {
		t.Errorf("Session() = %v, mismatch (-want +got):\n%s", err, diff)
	}
	if _, err := s.SessionUser(ctx, "a", a.ExpiresAt); !fault.Is(err, fault.NotFound) {
		t.Errorf("SessionUser() at its absolute end = %v, want kind %v", err, fault.NotFound)
	}
	// SessionUser and UserRoles read at once what Session, User and
	// RolesOf read one by one.
	if err := s.GrantRole(ctx, u.ID, store.RoleLead, orgs["0301"].ID, 0, t0); err != nil {
		t.Fatal(err)
	}
	wantUser, _ := s.User(ctx, u.ID)
	wantRoles, _ := s.RolesOf(ctx, u.ID)
	if len(wantRoles) != 1 {
		t.Fatalf("RolesOf() = %+v, want the one granted", wantRoles)
	}
	su, err := s.SessionUser(ctx, "a", t0.Add(time.Minute))
	want := store.SessionUser{Session: a, User: wantUser, Roles: wantRoles}
	if diff := cmp.Diff(want, su); err != nil || diff != "" {
		t.Errorf("SessionUser() = %v, mismatch (-want +got):\n%s", err, diff)
	}
	if _, err := s.SessionUser(ctx, "a", a.ExpiresAt); !fault.Is(err, fault.NotFound) {
		t.Errorf("SessionUser() at its absolute end = %v, want kind %v", err, fault.NotFound)
	}
	if _, err := s.SessionUser(ctx, "no such session", t0); !fault.Is(err, fault.NotFound) {
		t.Errorf("SessionUser(unknown) = %v, want kind %v", err, fault.NotFound)
	}
	gotUser, gotRoles, err := s.UserRoles(ctx, u.ID)
	if diff := cmp.Diff(want, store.SessionUser{Session: a, User: gotUser, Roles: gotRoles}); err != nil || diff != "" {
		t.Errorf("UserRoles() = %v, mismatch (-want +got):\n%s", err, diff)
	}
	if _, _, err := s.UserRoles(ctx, u.ID+1000); !fault.Is(err, fault.NotFound) {
		t.Errorf("UserRoles(unknown) = %v, want kind %v", err, fault.NotFound)
	}
	if err := s.RevokeRole(ctx, u.ID, store.RoleLead, orgs["0301"].ID); err != nil {
		t.Fatal(err)
	}
	if su, _ := s.SessionUser(ctx, "a", t0.Add(time.Minute)); len(su.Roles) != 0 {
		t.Errorf("SessionUser() after the role was revoked: roles %+v, want none", su.Roles)
	}
	if err := s.TouchSession(ctx, "a", t0.Add(5*time.Minute)); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.SessionUser(ctx, "a", t0); !got.Session.SeenAt.Equal(t0.Add(5 * time.Minute)) {
		t.Errorf("SeenAt after TouchSession = %v", got.Session.SeenAt)
	}
	b := session("b", u.ID, t0)
	if err := s.ReplaceSession(ctx, "a", b); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SessionUser(ctx, "a", t0); !fault.Is(err, fault.NotFound) {
		t.Errorf("the replaced session still works: %v", err)
	}
	if err := s.ReplaceSession(ctx, "a", session("c", u.ID, t0)); !fault.Is(err, fault.NotFound) {
		t.Errorf("ReplaceSession(gone) = %v, want kind %v", err, fault.NotFound)
	}
	if err := s.CreateSession(ctx, session("d", u.ID, t0.Add(-24*time.Hour))); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteExpired(ctx, t0); err != nil {
		t.Fatal(err)
	}
	if n, err := s.DeleteSessions(ctx, u.ID); err != nil || n != 1 {
		t.Errorf("DeleteSessions() = %d, %v, want 1 (the expired one was deleted before)", n, err)
	}
	if err := s.DeleteSession(ctx, "b"); err != nil {
		t.Errorf("DeleteSession(gone) = %v, want nil", err)
	}
}

func testTokens(t *testing.T, s Store) {
	ctx := context.Background()
	u, other := mustUser(t, s, "kari@example.invalid"), mustUser(t, s, "ola@example.invalid")
	tok, err := s.CreateToken(ctx, store.Token{UserID: u.ID, Name: "R-skript", Hash: "h1", Prefix: "gl_ab", CreatedAt: t0, ExpiresAt: t0.Add(90 * 24 * time.Hour)})
	if err != nil || tok.ID == 0 {
		t.Fatalf("CreateToken() = %+v, %v", tok, err)
	}
	got, err := s.TokenByHash(ctx, "h1", t0.Add(time.Hour))
	if err != nil || got.ID != tok.ID || got.UserID != u.ID {
		t.Errorf("TokenByHash() = %+v, %v", got, err)
	}
	if list, _ := s.Tokens(ctx, u.ID); len(list) != 1 || !list[0].LastUsedAt.Equal(t0.Add(time.Hour)) {
		t.Errorf("Tokens() = %+v, want the token with its last use", list)
	}
	// Uses are recorded to the minute: one 30 s later is not written, one
	// 2 minutes later is.
	for _, tt := range []struct{ use, want time.Duration }{{30 * time.Second, 0}, {2 * time.Minute, 2 * time.Minute}} {
		if _, err := s.TokenByHash(ctx, "h1", t0.Add(time.Hour+tt.use)); err != nil {
			t.Fatal(err)
		}
		if list, _ := s.Tokens(ctx, u.ID); len(list) != 1 || !list[0].LastUsedAt.Equal(t0.Add(time.Hour+tt.want)) {
			t.Errorf("after a use %v later: Tokens() = %+v, want the last use %v later", tt.use, list, tt.want)
		}
	}
	if _, err := s.TokenByHash(ctx, "h1", tok.ExpiresAt); !fault.Is(err, fault.NotFound) {
		t.Errorf("TokenByHash() when expired = %v, want kind %v", err, fault.NotFound)
	}
	if err := s.RevokeToken(ctx, other.ID, tok.ID, t0); !fault.Is(err, fault.NotFound) {
		t.Errorf("RevokeToken(another user's) = %v, want kind %v", err, fault.NotFound)
	}
	if err := s.RevokeToken(ctx, u.ID, tok.ID, t0); err != nil {
		t.Fatal(err)
	}
	if _, err := s.TokenByHash(ctx, "h1", t0.Add(time.Hour)); !fault.Is(err, fault.NotFound) {
		t.Errorf("TokenByHash() when revoked = %v, want kind %v", err, fault.NotFound)
	}
}

func testLinks(t *testing.T, s Store) {
	ctx := context.Background()
	u := mustUser(t, s, "kari@example.invalid")
	l := store.Link{Hash: "l1", UserID: u.ID, Purpose: "setup", CreatedAt: t0, ExpiresAt: t0.Add(24 * time.Hour)}
	if err := s.CreateLink(ctx, l); err != nil {
		t.Fatal(err)
	}
	if got, err := s.Link(ctx, "l1", t0.Add(time.Hour)); err != nil || got.UserID != u.ID {
		t.Errorf("Link() before use = %+v, %v", got, err)
	}
	// Eight at once: one wins.
	var wg sync.WaitGroup
	var mu sync.Mutex
	wins := 0
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if got, err := s.UseLink(ctx, "l1", t0.Add(time.Hour)); err == nil {
				mu.Lock()
				wins++
				mu.Unlock()
				if got.UserID != u.ID || got.Purpose != "setup" {
					t.Errorf("UseLink() = %+v", got)
				}
			} else if !fault.Is(err, fault.NotFound) {
				t.Errorf("UseLink() = %v, want kind %v", err, fault.NotFound)
			}
		}()
	}
	wg.Wait()
	if wins != 1 {
		t.Errorf("a link used by 8 at once worked %d times, want once", wins)
	}
	if _, err := s.Link(ctx, "l1", t0.Add(time.Hour)); !fault.Is(err, fault.NotFound) {
		t.Errorf("Link() after use = %v, want kind %v", err, fault.NotFound)
	}
	l.Hash = "l2"
	if err := s.CreateLink(ctx, l); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UseLink(ctx, "l2", l.ExpiresAt); !fault.Is(err, fault.NotFound) {
		t.Errorf("UseLink() when expired = %v, want kind %v", err, fault.NotFound)
	}
}

func testOIDCState(t *testing.T, s Store) {
	ctx := context.Background()
	st := store.OIDCState{StateHash: "s1", Provider: "idp", Nonce: "n", Verifier: "v", ReturnTo: "/", ExpiresAt: t0.Add(10 * time.Minute)}
	if err := s.SaveOIDCState(ctx, st); err != nil {
		t.Fatal(err)
	}
	got, err := s.TakeOIDCState(ctx, "s1", t0)
	if diff := cmp.Diff(st, got); err != nil || diff != "" {
		t.Errorf("TakeOIDCState() = %v, mismatch (-want +got):\n%s", err, diff)
	}
	if _, err := s.TakeOIDCState(ctx, "s1", t0); !fault.Is(err, fault.NotFound) {
		t.Errorf("TakeOIDCState() again (a replay) = %v, want kind %v", err, fault.NotFound)
	}
	st.StateHash = "s2"
	if err := s.SaveOIDCState(ctx, st); err != nil {
		t.Fatal(err)
	}
	if _, err := s.TakeOIDCState(ctx, "s2", st.ExpiresAt); !fault.Is(err, fault.NotFound) {
		t.Errorf("TakeOIDCState() when expired = %v, want kind %v", err, fault.NotFound)
	}
}

func testRateLimit(t *testing.T, s Store) {
	ctx := context.Background()
	const window = 15 * time.Minute
	for i := 1; i <= 3; i++ {
		if n, err := s.Hit(ctx, "login:kari", window, t0.Add(time.Duration(i)*time.Minute)); err != nil || n != i {
			t.Errorf("Hit() %d = %d, %v", i, n, err)
		}
	}
	if n, err := s.Hit(ctx, "login:kari", window, t0.Add(window+time.Minute)); err != nil || n != 1 {
		t.Errorf("Hit() in the next window = %d, %v, want 1", n, err)
	}
	// Concurrent hits are each counted once.
	var wg sync.WaitGroup
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := s.Hit(ctx, "ip:192.0.2.1", window, t0); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if n, _ := s.Hit(ctx, "ip:192.0.2.1", window, t0); n != 21 {
		t.Errorf("after 20 concurrent hits, Hit() = %d, want 21", n)
	}
	if err := s.ResetHits(ctx, "ip:192.0.2.1"); err != nil {
		t.Fatal(err)
	}
	if n, _ := s.Hit(ctx, "ip:192.0.2.1", window, t0); n != 1 {
		t.Errorf("Hit() after ResetHits = %d, want 1", n)
	}
}

func testGrants(t *testing.T, s Store) {
	ctx := context.Background()
	orgs := seedOrgs(t, s)
	admin, analyst := mustUser(t, s, "a@example.invalid"), mustUser(t, s, "an@example.invalid")
	g := store.Grant{UserID: analyst.ID, OrgID: orgs["0301"].ID, Reason: "Kvalitetskontroll (konstruert)", GrantedBy: admin.ID,
		GrantedAt: t0, ExpiresAt: t0.Add(7 * 24 * time.Hour)}
	if _, err := s.CreateGrant(ctx, store.Grant{UserID: analyst.ID, OrgID: orgs["0301"].ID, GrantedBy: admin.ID, GrantedAt: t0, ExpiresAt: t0.Add(time.Hour)}); !fault.Is(err, fault.Invalid) {
		t.Errorf("CreateGrant(no reason) = %v, want kind %v", err, fault.Invalid)
	}
	g, err := s.CreateGrant(ctx, g)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := s.ActiveGrant(ctx, analyst.ID, orgs["0301"].ID, t0.Add(time.Hour)); err != nil || got.ID != g.ID || got.OrgCode != "0301" || got.UserEmail != analyst.Email {
		t.Errorf("ActiveGrant() = %+v, %v", got, err)
	}
	for _, tt := range []struct {
		what string
		org  int64
		at   time.Time
	}{
		{"another organisation", orgs["4601"].ID, t0.Add(time.Hour)},
		{"before it starts", orgs["0301"].ID, t0.Add(-time.Hour)},
		{"when it has expired", orgs["0301"].ID, g.ExpiresAt},
	} {
		if _, err := s.ActiveGrant(ctx, analyst.ID, tt.org, tt.at); !fault.Is(err, fault.Forbidden) {
			t.Errorf("ActiveGrant(%s) = %v, want kind %v", tt.what, err, fault.Forbidden)
		}
	}
	if err := s.RevokeGrant(ctx, g.ID, t0.Add(2*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ActiveGrant(ctx, analyst.ID, orgs["0301"].ID, t0.Add(3*time.Hour)); !fault.Is(err, fault.Forbidden) {
		t.Errorf("ActiveGrant() after revoking = %v, want kind %v", err, fault.Forbidden)
	}
	if list, err := s.Grants(ctx); err != nil || len(list) != 1 || list[0].RevokedAt.IsZero() {
		t.Errorf("Grants() = %+v, %v, want the revoked grant", list, err)
	}
}

func testAudit(t *testing.T, s Store) {
	ctx := context.Background()
	u := mustUser(t, s, "kari@example.invalid")
	entries := []store.AuditEntry{
		{At: t0, ActorID: u.ID, Actor: u.Email, IP: "192.0.2.1", Action: "login", Object: "user:1"},
		{At: t0.Add(time.Second), Actor: "cli", Action: "role.grant", Object: "user:1", OrgCode: "0301", Detail: "lead"},
		{At: t0.Add(2 * time.Second), ActorID: u.ID, Actor: u.Email, IP: "192.0.2.1", Action: "login.failed", Object: "user:1", Detail: "feil passord"},
		{At: t0.Add(3 * time.Second).Add(123456789), Actor: "system", Action: "loginx", Object: "x"},
	}
	for i, e := range entries {
		got, err := s.AppendAudit(ctx, e)
		if err != nil {
			t.Fatalf("AppendAudit(%d) = %v", i, err)
		}
		if got.Seq != int64(i+1) || got.Hash == "" {
			t.Errorf("AppendAudit(%d) = seq %d, hash %q", i, got.Seq, got.Hash)
		}
	}
	if _, err := s.AppendAudit(ctx, store.AuditEntry{Actor: "cli"}); !fault.Is(err, fault.Invalid) {
		t.Errorf("AppendAudit(no action) = %v, want kind %v", err, fault.Invalid)
	}
	all, err := s.AuditLog(ctx, store.AuditFilter{})
	if err != nil || len(all) != 4 {
		t.Fatalf("AuditLog() = %d entries, %v", len(all), err)
	}
	if err := store.VerifyAudit(all); err != nil {
		t.Errorf("VerifyAudit() of what the store kept = %v", err)
	}
	for _, tt := range []struct {
		f    store.AuditFilter
		want []int64
	}{
		{store.AuditFilter{Action: "login"}, []int64{1, 3}},
		{store.AuditFilter{OrgCode: "0301"}, []int64{2}},
		{store.AuditFilter{ActorID: u.ID}, []int64{1, 3}},
		{store.AuditFilter{Since: t0.Add(time.Second)}, []int64{2, 3, 4}},
		{store.AuditFilter{Limit: 2}, []int64{3, 4}},
	} {
		got, err := s.AuditLog(ctx, tt.f)
		var seqs []int64
		for _, e := range got {
			seqs = append(seqs, e.Seq)
		}
		if err != nil || fmt.Sprint(seqs) != fmt.Sprint(tt.want) {
			t.Errorf("AuditLog(%+v) = %v, %v, want %v", tt.f, seqs, err, tt.want)
		}
	}
}

// testAuditConcurrent appends from many goroutines at once: the chain has
// every entry once, without a gap, and verifies.
func testAuditConcurrent(t *testing.T, s Store) {
	ctx := context.Background()
	var wg sync.WaitGroup
	const n = 40
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := s.AppendAudit(ctx, store.AuditEntry{At: t0, Actor: "system", Action: "test", Object: fmt.Sprint(i)}); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	all, err := s.AuditLog(ctx, store.AuditFilter{})
	if err != nil || len(all) != n {
		t.Fatalf("AuditLog() = %d entries, %v, want %d", len(all), err, n)
	}
	if err := store.VerifyAudit(all); err != nil {
		t.Errorf("VerifyAudit() after concurrent appends = %v", err)
	}
}

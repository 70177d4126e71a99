package store

import (
	"context"
	"time"
)

// Role is what a person may do, for every organisation (admin, analyst) or
// for one (lead, respondent, provider).
type Role string

// The roles.
const (
	RoleAdmin      Role = "admin"      // users, organisations, rounds, grants
	RoleAnalyst    Role = "analyst"    // all public data, aggregates, sync, pack; raw answers only under a grant
	RoleLead       Role = "lead"       // own organisation: invites respondents, submits
	RoleRespondent Role = "respondent" // own organisation: answers
	RoleProvider   Role = "provider"   // answers for an IT provider
)

// Roles returns every role, most powerful first.
func Roles() []Role {
	return []Role{RoleAdmin, RoleAnalyst, RoleLead, RoleRespondent, RoleProvider}
}

// Global reports whether the role holds for every organisation rather than
// for one.
func (r Role) Global() bool { return r == RoleAdmin || r == RoleAnalyst }

// Valid reports whether r is one of the roles.
func (r Role) Valid() bool {
	for _, x := range Roles() {
		if r == x {
			return true
		}
	}
	return false
}

// OrgKind is the kind of an organisation.
type OrgKind string

// The kinds of organisations.
const (
	Municipality OrgKind = "municipality"
	County       OrgKind = "county"   // a county municipality (fylkeskommune)
	Provider     OrgKind = "provider" // an inter-municipal IT provider (IKS, host municipality)
	Network      OrgKind = "network"  // a regional digitalisation network
)

// Organisation is a municipality, a county municipality, an IT provider or
// a regional network.
type Organisation struct {
	ID         int64
	Code       string // municipality or county number ("0301", "46"), or a provider's or network's id
	Kind       OrgKind
	Name       string
	OrgNumber  string // the organisation number, only where a source gives it
	County     string // a municipality's county number
	Population int    // from the register; 0 when not known
	Source     string // the register it came from, or who added it
	CreatedAt  time.Time
	RetiredAt  time.Time // zero while it is an organisation of the registers
}

// Membership says that a municipality belongs to a provider or network
// from ValidFrom to ValidTo (dates YYYY-MM-DD; ValidTo empty while it
// lasts).
type Membership struct {
	Parent, Member     string // organisation codes
	ValidFrom, ValidTo string
}

// User is a person who can sign in.
type User struct {
	ID           int64
	Email        string // lowercased
	Name         string
	PasswordHash string // argon2id, empty without a local password
	TOTPSecret   string // base32, empty before the second factor is set up
	CreatedAt    time.Time
	DisabledAt   time.Time // zero while the account is in use
}

// RoleGrant is one role of a user.
type RoleGrant struct {
	Role      Role
	OrgID     int64  // 0 for a global role
	OrgCode   string // "" for a global role
	OrgName   string
	GrantedBy int64 // 0 when given from the command line
	GrantedAt time.Time
}

// SessionUser is a session with its user and the user's roles.
type SessionUser struct {
	Session Session
	User    User
	Roles   []RoleGrant
}

// Session is a signed-in browser. The cookie holds a random value; the
// store keeps its SHA-256 only.
type Session struct {
	IDHash    string
	UserID    int64
	OrgID     int64  // the active organisation; 0 for none
	CSRF      string // the form token of the session
	Level     string // SessionFactor: second factor pending; SessionFull
	Method    string // "password", or "oidc:" and the provider's id
	CreatedAt time.Time
	SeenAt    time.Time
	ExpiresAt time.Time // the absolute end
	IP        string
	UserAgent string
}

// The levels of a session.
const (
	SessionFactor = "factor" // the password is right; the second factor is not yet given
	SessionFull   = "full"
)

// Token is a personal API token. The store keeps its SHA-256.
type Token struct {
	ID         int64
	UserID     int64
	Name       string
	Hash       string
	Prefix     string // the first characters, to tell tokens apart
	CreatedAt  time.Time
	ExpiresAt  time.Time
	RevokedAt  time.Time
	LastUsedAt time.Time
}

// Link is a one-time link: account set-up, invitation, password reset.
type Link struct {
	Hash      string
	UserID    int64
	Purpose   string
	CreatedBy int64
	CreatedAt time.Time
	ExpiresAt time.Time
	UsedAt    time.Time
}

// OIDCState is a sign-in through an OIDC provider between the redirect
// and the callback.
type OIDCState struct {
	StateHash string
	Provider  string
	Nonce     string
	Verifier  string // the PKCE code verifier
	ReturnTo  string
	ExpiresAt time.Time
}

// Grant lets an analyst read one organisation's raw answers until it
// expires or is revoked.
type Grant struct {
	ID        int64
	UserID    int64
	UserEmail string
	OrgID     int64
	OrgCode   string
	Reason    string
	GrantedBy int64
	GrantedAt time.Time
	ExpiresAt time.Time
	RevokedAt time.Time
}

// AuditEntry is one entry of the append-only audit log.
type AuditEntry struct {
	Seq      int64
	At       time.Time
	ActorID  int64  // 0 for the system or the command line
	Actor    string // the user's e-mail, "system" or "cli"
	IP       string
	Action   string // e.g. "login", "login.failed", "role.grant", "answers.read"
	Object   string // what the action was on, e.g. "user:3", "token:5"
	OrgCode  string
	Detail   string
	PrevHash string
	Hash     string
}

// AuditFilter selects audit entries; zero fields select all.
type AuditFilter struct {
	Since   time.Time
	Action  string // a prefix: "login" selects login and login.failed
	ActorID int64
	OrgCode string
	Limit   int // the newest Limit entries; 0 for all
}

// OrgMember is a user with a role in an organisation.
type OrgMember struct {
	User User
	Role Role
}

// Accounts is what grunnlag keeps about organisations, people, their
// sign-ins and the audit log. Every method is safe for concurrent use;
// methods that find nothing return fault.NotFound.
type Accounts interface {
	// SyncOrganisations makes the municipalities and county
	// municipalities of the registers (kind Municipality or County) the
	// stored ones: new codes are added, names, counties and populations
	// updated, and stored ones of those kinds that are not in orgs are
	// retired. Providers and networks are left alone.
	SyncOrganisations(ctx context.Context, orgs []Organisation, now time.Time) (added, changed int, err error)
	// AddOrganisation stores a provider or network; a code in use is
	// fault.Conflict.
	AddOrganisation(ctx context.Context, o Organisation) (Organisation, error)
	Organisation(ctx context.Context, code string) (Organisation, error)
	// Organisations lists the organisations of a kind (all when kind is
	// empty), retired ones included, by code.
	Organisations(ctx context.Context, kind OrgKind) ([]Organisation, error)
	// AddMembership and Memberships keep the members of a provider or
	// network.
	AddMembership(ctx context.Context, m Membership) error
	Memberships(ctx context.Context, parent string) ([]Membership, error)

	CreateUser(ctx context.Context, u User) (User, error)
	User(ctx context.Context, id int64) (User, error)
	UserByEmail(ctx context.Context, email string) (User, error)
	Users(ctx context.Context) ([]User, error)
	// SetPassword, SetTOTP and SetDisabled change one field of a user.
	SetPassword(ctx context.Context, userID int64, hash string) error
	SetTOTP(ctx context.Context, userID int64, secret string) error
	SetDisabled(ctx context.Context, userID int64, at time.Time) error
	// LinkIdentity ties an OIDC provider's subject to a user;
	// UserByIdentity finds the user.
	LinkIdentity(ctx context.Context, provider, subject string, userID int64, now time.Time) error
	UserByIdentity(ctx context.Context, provider, subject string) (User, error)

	// GrantRole gives a user a role (for an organisation unless the role is
	// global); giving one the user has is not an error. RevokeRole takes
	// it away.
	GrantRole(ctx context.Context, userID int64, role Role, orgID, by int64, now time.Time) error
	RevokeRole(ctx context.Context, userID int64, role Role, orgID int64) error
	RolesOf(ctx context.Context, userID int64) ([]RoleGrant, error)
	// UserRoles returns a user and the user's roles, read at once.
	UserRoles(ctx context.Context, userID int64) (User, []RoleGrant, error)
	// OrgMembers lists the users with a role in an organisation, as actor
	// may see them: an administrator sees every organisation's, a lead
	// only their own organisation's, anyone else nothing. The check is in
	// the query.
	OrgMembers(ctx context.Context, actorID, orgID int64) ([]OrgMember, error)

	CreateSession(ctx context.Context, s Session) error
	// SessionUser returns a session that has not expired at now, with its
	// user and the user's roles, read at once.
	SessionUser(ctx context.Context, idHash string, now time.Time) (SessionUser, error)
	// TouchSession records that the session was used at seen.
	TouchSession(ctx context.Context, idHash string, seen time.Time) error
	// ReplaceSession stores next in place of the session idHash, in one
	// transaction: a new id at sign-in and at every change of privilege.
	ReplaceSession(ctx context.Context, idHash string, next Session) error
	DeleteSession(ctx context.Context, idHash string) error
	// DeleteSessions ends every session of a user and returns how many.
	DeleteSessions(ctx context.Context, userID int64) (int, error)
	// DeleteExpired removes sessions, links, sign-in states and rate
	// counters that ended before now.
	DeleteExpired(ctx context.Context, now time.Time) error

	CreateToken(ctx context.Context, t Token) (Token, error)
	// TokenByHash returns a token that is neither expired nor revoked at
	// now, and records its use to the minute (a use within a minute of
	// the recorded one is not written).
	TokenByHash(ctx context.Context, hash string, now time.Time) (Token, error)
	Tokens(ctx context.Context, userID int64) ([]Token, error)
	// RevokeToken revokes one of a user's tokens: another user's token is
	// fault.NotFound.
	RevokeToken(ctx context.Context, userID, tokenID int64, now time.Time) error

	CreateLink(ctx context.Context, l Link) error
	// Link returns a link that is neither used nor expired at now, without
	// using it.
	Link(ctx context.Context, hash string, now time.Time) (Link, error)
	// UseLink marks a link used and returns it, once: a link used before,
	// expired at now, or unknown is fault.NotFound.
	UseLink(ctx context.Context, hash string, now time.Time) (Link, error)

	SaveOIDCState(ctx context.Context, s OIDCState) error
	// TakeOIDCState returns a sign-in's state and deletes it, once.
	TakeOIDCState(ctx context.Context, stateHash string, now time.Time) (OIDCState, error)

	// Hit counts an attempt under key in the current fixed window of the
	// given length and returns the count, this attempt included.
	Hit(ctx context.Context, key string, window time.Duration, now time.Time) (int, error)
	// ResetHits forgets the attempts under key.
	ResetHits(ctx context.Context, key string) error

	CreateGrant(ctx context.Context, g Grant) (Grant, error)
	Grants(ctx context.Context) ([]Grant, error)
	RevokeGrant(ctx context.Context, id int64, now time.Time) error
	// ActiveGrant returns the grant that lets a user read an
	// organisation's raw answers at now.
	ActiveGrant(ctx context.Context, userID, orgID int64, now time.Time) (Grant, error)

	// AppendAudit adds an entry to the audit log, its sequence number and
	// hashes set by the store, and returns it.
	AppendAudit(ctx context.Context, e AuditEntry) (AuditEntry, error)
	// AuditLog returns the entries the filter selects, oldest first.
	AuditLog(ctx context.Context, f AuditFilter) ([]AuditEntry, error)
}

package auth

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"github.com/grunnlag/grunnlag/internal/audit"
	"github.com/grunnlag/grunnlag/internal/fault"
	"github.com/grunnlag/grunnlag/internal/store"
)

// Config is what a Service needs; zero durations and limits take the
// defaults below.
type Config struct {
	Store  store.Accounts
	Audit  *audit.Log
	Now    func() time.Time
	Logger *slog.Logger

	IdleTimeout     time.Duration // a session unused this long ends: 30 min
	AbsoluteTimeout time.Duration // a session ends this long after sign-in: 12 h
	LinkTTL         time.Duration // a one-time link works this long: 24 h
	TokenTTL        time.Duration // an API token works this long unless asked otherwise: 90 days

	// Sign-in attempts allowed per account and per address in
	// LoginWindow (10 and 50 in 15 minutes).
	LoginPerAccount, LoginPerAddress int
	LoginWindow                      time.Duration
}

// Service signs people in and out and answers what they may do.
type Service struct {
	cfg Config
	st  store.Accounts
	log *audit.Log
}

// New returns a Service.
func New(cfg Config) *Service {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&cfg.IdleTimeout, 30*time.Minute)
	def(&cfg.AbsoluteTimeout, 12*time.Hour)
	def(&cfg.LinkTTL, 24*time.Hour)
	def(&cfg.TokenTTL, 90*24*time.Hour)
	def(&cfg.LoginWindow, 15*time.Minute)
	if cfg.LoginPerAccount <= 0 {
		cfg.LoginPerAccount = 10
	}
	if cfg.LoginPerAddress <= 0 {
		cfg.LoginPerAddress = 50
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Audit == nil {
		cfg.Audit = audit.New(cfg.Store, cfg.Now)
	}
	return &Service{cfg: cfg, st: cfg.Store, log: cfg.Audit}
}

// Audit returns the service's audit log.
func (s *Service) Audit() *audit.Log { return s.log }

// IdleTimeout returns how long an unused session lasts.
func (s *Service) IdleTimeout() time.Duration { return s.cfg.IdleTimeout }

// Link purposes.
const (
	LinkSetup  = "setup"  // a new account: choose a password (and the second factor)
	LinkReset  = "reset"  // a new password for an existing account
	LinkInvite = "invite" // a lead's invitation of a respondent
)

// AddUser creates the user with email unless it exists, gives it a role
// (in the organisation with code orgCode unless the role is global), and
// returns a one-time set-up link secret valid for LinkTTL when the user
// has no password yet ("" when it has one). by is who does it: an
// administrator or the command line, who may make a link for any account.
func (s *Service) AddUser(ctx context.Context, by audit.Actor, email string, role store.Role, orgCode string) (store.User, string, error) {
	u, _, err := s.addUser(ctx, by, email, role, orgCode)
	if err != nil || u.PasswordHash != "" {
		return u, "", err
	}
	secret, err := s.NewLink(ctx, by, u.ID, LinkSetup)
	return u, secret, err
}

// Invite is a lead's invitation of a respondent to the lead's
// organisation (code orgCode). It returns a set-up link only for an
// account it created: an account that exists already (with or without a
// password: one waiting for its own set-up link, or one that signs in
// through an identity provider) just gets the role. A link for an
// existing account would let the lead choose that person's password and
// sign in as them, administrators included.
func (s *Service) Invite(ctx context.Context, by audit.Actor, email, orgCode string) (u store.User, link string, err error) {
	u, created, err := s.addUser(ctx, by, email, store.RoleRespondent, orgCode)
	if err != nil || !created {
		return u, "", err
	}
	secret, err := s.NewLink(ctx, by, u.ID, LinkInvite)
	return u, secret, err
}

// addUser creates the user unless it exists and gives it the role; created
// says whether the account is new.
func (s *Service) addUser(ctx context.Context, by audit.Actor, email string, role store.Role, orgCode string) (store.User, bool, error) {
	email = store.NormalizeEmail(email)
	if !validEmail(email) {
		return store.User{}, false, fault.WithUser(fault.Invalid, "E-postadressen er ikke gyldig.", fmt.Errorf("invalid e-mail %q", email))
	}
	if !role.Valid() {
		return store.User{}, false, fault.WithUser(fault.Invalid,
			fmt.Sprintf("Ukjent rolle «%s»; bruk admin, analyst, lead, respondent eller provider.", role), fmt.Errorf("unknown role %q", role))
	}
	var org store.Organisation
	switch {
	case role.Global() && orgCode != "":
		return store.User{}, false, fault.WithUser(fault.Invalid,
			fmt.Sprintf("Rollen %s gjelder alle organisasjoner; oppgi ingen organisasjon.", role), errors.New("global role with an organisation"))
	case !role.Global() && orgCode == "":
		return store.User{}, false, fault.WithUser(fault.Invalid,
			fmt.Sprintf("Rollen %s gjelder én organisasjon; oppgi den (kommune- eller fylkesnummer, eller leverandørens id).", role), errors.New("role without an organisation"))
	case orgCode != "":
		var err error
		if org, err = s.st.Organisation(ctx, orgCode); err != nil {
			if fault.Is(err, fault.NotFound) {
				return store.User{}, false, fault.WithUser(fault.NotFound,
					fmt.Sprintf("Finner ingen organisasjon med koden «%s».", orgCode), err)
			}
			return store.User{}, false, err
		}
		if role == store.RoleProvider && org.Kind != store.Provider {
			return store.User{}, false, fault.WithUser(fault.Invalid,
				fmt.Sprintf("«%s» er ikke en IT-leverandør; rollen provider gjelder leverandører.", orgCode), errors.New("provider role outside a provider"))
		}
	}
	now := s.cfg.Now()
	created := false
	u, err := s.st.UserByEmail(ctx, email)
	if fault.Is(err, fault.NotFound) {
		if u, err = s.st.CreateUser(ctx, store.User{Email: email, CreatedAt: now}); err == nil {
			created = true
			err = s.log.Record(ctx, by, "user.add", userObject(u.ID), "", email)
		}
	}
	if err != nil {
		return u, created, err
	}
	if err := s.st.GrantRole(ctx, u.ID, role, org.ID, by.ID, now); err != nil {
		return u, created, err
	}
	return u, created, s.log.Record(ctx, by, "role.grant", userObject(u.ID), org.Code, string(role))
}

// validEmail is a light check: one @ with something on both sides and a
// dot in the domain. The provider or the person proves the rest.
func validEmail(e string) bool {
	local, domain, ok := strings.Cut(e, "@")
	return ok && local != "" && strings.Contains(domain, ".") && !strings.ContainsAny(e, " \t\r\n<>\"") && len(e) <= 254
}

func userObject(id int64) string { return fmt.Sprintf("bruker:%d", id) }

// NewLink creates a one-time link for a user and returns its secret, for
// the path /konto/lenke/{secret}.
func (s *Service) NewLink(ctx context.Context, by audit.Actor, userID int64, purpose string) (string, error) {
	secret := newSecret()
	now := s.cfg.Now()
	if err := s.st.CreateLink(ctx, store.Link{Hash: hashSecret(secret), UserID: userID, Purpose: purpose,
		CreatedBy: by.ID, CreatedAt: now, ExpiresAt: now.Add(s.cfg.LinkTTL)}); err != nil {
		return "", err
	}
	if err := s.log.Record(ctx, by, "link."+purpose, userObject(userID), "", ""); err != nil {
		return "", err
	}
	return secret, nil
}

// PeekLink returns the link and its user without using the link.
func (s *Service) PeekLink(ctx context.Context, secret string) (store.Link, store.User, error) {
	l, err := s.st.Link(ctx, hashSecret(secret), s.cfg.Now())
	if err != nil {
		return l, store.User{}, linkGone(err)
	}
	u, err := s.st.User(ctx, l.UserID)
	return l, u, err
}

func linkGone(err error) error {
	if fault.Is(err, fault.NotFound) {
		return fault.WithUser(fault.NotFound, "Lenken er brukt, utløpt eller ukjent. Be om en ny.", err)
	}
	return err
}

// SetPasswordWithLink uses a one-time link to give its user a password.
// The link works once; the user's sessions end.
func (s *Service) SetPasswordWithLink(ctx context.Context, secret, password, ip string) (store.User, error) {
	if err := CheckPassword(password); err != nil {
		return store.User{}, err
	}
	hash, err := HashPassword(password)
	if err != nil {
		return store.User{}, err
	}
	l, err := s.st.UseLink(ctx, hashSecret(secret), s.cfg.Now())
	if err != nil {
		return store.User{}, linkGone(err)
	}
	u, err := s.st.User(ctx, l.UserID)
	if err != nil {
		return u, err
	}
	if err := s.st.SetPassword(ctx, u.ID, hash); err != nil {
		return u, err
	}
	if _, err := s.st.DeleteSessions(ctx, u.ID); err != nil {
		return u, err
	}
	return u, s.log.Record(ctx, audit.Actor{ID: u.ID, Name: u.Email, IP: ip}, "password.set", userObject(u.ID), "", l.Purpose)
}

// ErrSignIn is the one answer to a failed sign-in, whatever failed: an
// unknown address, a wrong password, a disabled account. Telling them apart
// would tell an attacker which addresses have accounts.
var errSignIn = fault.WithUser(fault.Unauthorized, "Feil e-postadresse eller passord.", errors.New("sign-in failed"))

// errTooMany is the answer when the attempts of an account or an address
// are used up.
func (s *Service) errTooMany() error {
	return fault.WithUser(fault.Unavailable,
		fmt.Sprintf("For mange forsøk på å logge inn. Vent %d minutter og prøv igjen.", int(s.cfg.LoginWindow.Minutes())),
		errors.New("too many sign-in attempts"))
}

// PasswordLogin checks an e-mail address and a password from ip. It does
// the same work, and gives the same answer, for an unknown address as for
// a wrong password. The number of attempts is limited per account and per
// address.
func (s *Service) PasswordLogin(ctx context.Context, email, password, ip string) (store.User, error) {
	email = store.NormalizeEmail(email)
	now := s.cfg.Now()
	byAccount, err := s.st.Hit(ctx, "login:"+email, s.cfg.LoginWindow, now)
	if err != nil {
		return store.User{}, err
	}
	byAddress, err := s.st.Hit(ctx, "login-ip:"+ip, s.cfg.LoginWindow, now)
	if err != nil {
		return store.User{}, err
	}
	u, err := s.st.UserByEmail(ctx, email)
	if err != nil && !fault.Is(err, fault.NotFound) {
		return store.User{}, err
	}
	ok := VerifyPassword(u.PasswordHash, password) // the same work for every address
	actor := audit.Actor{ID: u.ID, Name: email, IP: ip}
	if byAccount > s.cfg.LoginPerAccount || byAddress > s.cfg.LoginPerAddress {
		if err := s.log.Record(ctx, actor, "login.limited", userObject(u.ID), "", ""); err != nil {
			return store.User{}, err
		}
		return store.User{}, s.errTooMany()
	}
	if !ok || u.ID == 0 || !u.DisabledAt.IsZero() {
		detail := "feil passord"
		switch {
		case u.ID == 0:
			detail = "ukjent adresse"
		case !u.DisabledAt.IsZero():
			detail = "kontoen er stengt"
		}
		if err := s.log.Record(ctx, actor, "login.failed", userObject(u.ID), "", detail); err != nil {
			return store.User{}, err
		}
		return store.User{}, errSignIn
	}
	if err := s.st.ResetHits(ctx, "login:"+email); err != nil {
		return store.User{}, err
	}
	return u, nil
}

// totpOpts are the TOTP settings every authenticator app takes: six digits
// every 30 seconds, SHA-1, one step of drift either way.
func totpOpts() totp.ValidateOpts {
	return totp.ValidateOpts{Period: 30, Skew: 1, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}
}

// NewTOTP returns a new TOTP secret for a user and the otpauth:// address
// an authenticator app reads (from a QR code or typed in).
func NewTOTP(email string) (secret, address string, err error) {
	key, err := totp.Generate(totp.GenerateOpts{Issuer: "grunnlag", AccountName: email, SecretSize: 20})
	if err != nil {
		return "", "", err
	}
	return key.Secret(), key.URL(), nil
}

// CheckTOTP reports whether code is the user's current code (one step of
// drift either way), and refuses a code that was used before: each code
// works once (ASVS 2.8.4).
func (s *Service) CheckTOTP(ctx context.Context, u store.User, secret, code, ip string) error {
	code = strings.TrimSpace(strings.ReplaceAll(code, " ", ""))
	now := s.cfg.Now()
	attempts, err := s.st.Hit(ctx, fmt.Sprintf("totp-try:%d", u.ID), s.cfg.LoginWindow, now)
	if err != nil {
		return err
	}
	wrong := fault.WithUser(fault.Unauthorized, "Koden stemmer ikke. Bruk koden som vises nå i autentiseringsappen.", errors.New("wrong TOTP code"))
	if attempts > s.cfg.LoginPerAccount {
		return s.errTooMany()
	}
	opts := totpOpts()
	step := int64(-1)
	for _, d := range []time.Duration{0, -30 * time.Second, 30 * time.Second} {
		want, err := totp.GenerateCodeCustom(secret, now.Add(d), totp.ValidateOpts{Period: opts.Period, Digits: opts.Digits, Algorithm: opts.Algorithm})
		if err != nil {
			return err
		}
		if subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			step = now.Add(d).Unix() / 30
		}
	}
	actor := audit.Actor{ID: u.ID, Name: u.Email, IP: ip}
	if step < 0 {
		if err := s.log.Record(ctx, actor, "login.failed", userObject(u.ID), "", "feil kode"); err != nil {
			return err
		}
		return wrong
	}
	used, err := s.st.Hit(ctx, fmt.Sprintf("totp-used:%d:%d", u.ID, step), 2*time.Minute, now)
	if err != nil {
		return err
	}
	if used > 1 {
		if err := s.log.Record(ctx, actor, "login.failed", userObject(u.ID), "", "brukt kode"); err != nil {
			return err
		}
		return fault.WithUser(fault.Unauthorized, "Koden er brukt før. Vent på neste kode i appen.", errors.New("TOTP code used before"))
	}
	return s.st.ResetHits(ctx, fmt.Sprintf("totp-try:%d", u.ID))
}

// SafeReturn returns where to go after signing in: a same-site path given
// by the request, else "/". Anything that could lead to another site
// ("//evil", "https://…", "/\evil") is refused.
func SafeReturn(to string) string {
	if to == "" || !strings.HasPrefix(to, "/") || strings.HasPrefix(to, "//") || strings.HasPrefix(to, `/\`) ||
		strings.ContainsAny(to, "\r\n\t\\") {
		return "/"
	}
	u, err := url.Parse(to)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil {
		return "/"
	}
	return to
}

package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/grunnlag/grunnlag/internal/audit"
	"github.com/grunnlag/grunnlag/internal/auth"
	"github.com/grunnlag/grunnlag/internal/fault"
	"github.com/grunnlag/grunnlag/internal/org"
	"github.com/grunnlag/grunnlag/internal/store"
	"github.com/grunnlag/grunnlag/internal/store/sqlstore"
)

// accounts opens the store for writing with the organisations of the
// registers stored, and returns it with an auth service on it.
func (a *app) accounts(ctx context.Context) (*sqlstore.DB, *auth.Service, error) {
	st, pack, err := a.openWithPack(ctx)
	if err != nil {
		return nil, nil, err
	}
	if _, _, err := org.Sync(ctx, st, pack, time.Now()); err != nil {
		st.Close()
		return nil, nil, err
	}
	return st, auth.New(auth.Config{Store: st, Logger: a.logger()}), nil
}

// subcommand splits args into a subcommand and its arguments, or reports
// the command's usage.
func (a *app) subcommand(fs *flag.FlagSet, args []string, names ...string) (string, []string, error) {
	if len(args) > 0 {
		for _, n := range names {
			if args[0] == n {
				return n, args[1:], nil
			}
		}
	}
	fmt.Fprintf(a.env.stderr, "grunnlag %s: oppgi en av %s\n", fs.Name(), strings.Join(names, ", "))
	a.commandUsage(fs)
	return "", nil, errUsage
}

func runUser(ctx context.Context, a *app, args []string) error {
	fs := flag.NewFlagSet("user", flag.ContinueOnError)
	sub, args, err := a.subcommand(fs, args, "add", "reset", "disable", "list")
	if err != nil {
		return err
	}
	admin := fs.Bool("admin", false, "administrator (brukere, organisasjoner, runder, tilganger)")
	role := fs.String("role", "", "rollen: admin, analyst, lead, respondent eller provider")
	orgCode := fs.String("org", "", "organisasjonen rollen gjelder: kommune- eller fylkesnummer (0301, 46) eller leverandørens id")
	asJSON := fs.Bool("json", false, "skriv JSON (list)")
	rest, err := a.parse(fs, args)
	if err != nil {
		return err
	}
	if (sub == "list") != (len(rest) == 0) || len(rest) > 1 {
		fmt.Fprintf(a.env.stderr, "grunnlag user %s: oppgi én e-postadresse\n", sub)
		a.commandUsage(fs)
		return errUsage
	}
	cfg, err := a.loadConfig()
	if err != nil {
		return err
	}
	st, svc, err := a.accounts(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	switch sub {
	case "list":
		return a.listUsers(ctx, st, *asJSON)
	case "add":
		r := store.Role(*role)
		if *admin {
			if r != "" && r != store.RoleAdmin {
				fmt.Fprintln(a.env.stderr, "grunnlag user add: gi enten --admin eller --role, ikke begge")
				return errUsage
			}
			r = store.RoleAdmin
		}
		if r == "" {
			fmt.Fprintln(a.env.stderr, "grunnlag user add: oppgi --admin, eller --role med --org")
			a.commandUsage(fs)
			return errUsage
		}
		u, secret, err := svc.AddUser(ctx, audit.CLI, rest[0], r, *orgCode)
		if err != nil {
			return err
		}
		where := "alle organisasjoner"
		if *orgCode != "" {
			where = *orgCode
		}
		fmt.Fprintf(a.env.stdout, "%s har rollen %s (%s).\n", u.Email, r, where)
		if secret != "" {
			a.printLink(cfg, "sette opp kontoen", secret)
		}
		return nil
	case "reset":
		u, err := st.UserByEmail(ctx, rest[0])
		if err != nil {
			return userNotFound(rest[0], err)
		}
		secret, err := svc.NewLink(ctx, audit.CLI, u.ID, auth.LinkReset)
		if err != nil {
			return err
		}
		a.printLink(cfg, "velge nytt passord", secret)
		return nil
	default: // disable
		u, err := st.UserByEmail(ctx, rest[0])
		if err != nil {
			return userNotFound(rest[0], err)
		}
		if err := st.SetDisabled(ctx, u.ID, time.Now()); err != nil {
			return err
		}
		n, err := st.DeleteSessions(ctx, u.ID)
		if err != nil {
			return err
		}
		if err := svc.Audit().Record(ctx, audit.CLI, "user.disable", fmt.Sprintf("bruker:%d", u.ID), "", ""); err != nil {
			return err
		}
		fmt.Fprintf(a.env.stdout, "%s er stengt; %d økter er avsluttet.\n", u.Email, n)
		return nil
	}
}

func userNotFound(email string, err error) error {
	if fault.Is(err, fault.NotFound) {
		return fault.WithUser(fault.NotFound, fmt.Sprintf("Finner ingen bruker med e-postadressen %s. Legg den til med «grunnlag user add».", email), err)
	}
	return err
}

// printLink writes a one-time link: grunnlag sends no e-mail, so whoever
// ran the command passes it on.
func (a *app) printLink(cfg config, what, secret string) {
	fmt.Fprintf(a.env.stdout, "Lenke for å %s (virker én gang, i 24 timer; send den til personen selv):\n%s/konto/lenke/%s\n",
		what, cfg.publicURL(), secret)
}

// userEntry is one user of `grunnlag user list --json`.
type userEntry struct {
	Email    string   `json:"email"`
	Roles    []string `json:"roles"`
	Password bool     `json:"has_password"`
	TOTP     bool     `json:"has_totp"`
	Disabled bool     `json:"disabled"`
}

func (a *app) listUsers(ctx context.Context, st *sqlstore.DB, asJSON bool) error {
	users, err := st.Users(ctx)
	if err != nil {
		return err
	}
	out := make([]userEntry, 0, len(users))
	for _, u := range users {
		roles, err := st.RolesOf(ctx, u.ID)
		if err != nil {
			return err
		}
		e := userEntry{Email: u.Email, Roles: []string{}, Password: u.PasswordHash != "", TOTP: u.TOTPSecret != "", Disabled: !u.DisabledAt.IsZero()}
		for _, r := range roles {
			if r.OrgCode != "" {
				e.Roles = append(e.Roles, string(r.Role)+"@"+r.OrgCode)
			} else {
				e.Roles = append(e.Roles, string(r.Role))
			}
		}
		out = append(out, e)
	}
	if asJSON {
		enc := json.NewEncoder(a.env.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	tw := tabwriter.NewWriter(a.env.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "E-POST\tROLLER\tPASSORD\tTOTP\tSTENGT")
	yes := map[bool]string{true: "ja", false: "nei"}
	for _, e := range out {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", e.Email, strings.Join(e.Roles, " "), yes[e.Password], yes[e.TOTP], yes[e.Disabled])
	}
	return tw.Flush()
}

func runToken(ctx context.Context, a *app, args []string) error {
	fs := flag.NewFlagSet("token", flag.ContinueOnError)
	_, args, err := a.subcommand(fs, args, "create")
	if err != nil {
		return err
	}
	name := fs.String("name", "API-nøkkel", "et navn som sier hva nøkkelen brukes til")
	expires := fs.String("expires", "90d", "hvor lenge nøkkelen virker: dager (90d) eller timer (12h); høyst ett år")
	rest, err := a.parse(fs, args)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		fmt.Fprintln(a.env.stderr, "grunnlag token create: oppgi én e-postadresse")
		a.commandUsage(fs)
		return errUsage
	}
	ttl, err := parseDays(*expires)
	if err != nil {
		fmt.Fprintf(a.env.stderr, "grunnlag token create: --expires %q: skriv for eksempel 90d eller 12h\n", *expires)
		return errUsage
	}
	st, svc, err := a.accounts(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	u, err := st.UserByEmail(ctx, rest[0])
	if err != nil {
		return userNotFound(rest[0], err)
	}
	secret, t, err := svc.CreateToken(ctx, audit.CLI, u.ID, *name, ttl)
	if err != nil {
		return err
	}
	fmt.Fprintf(a.env.stdout, "API-nøkkel for %s, virker til %s (Oslo-tid). Den vises bare nå; ta vare på den:\n%s\n",
		u.Email, osloTime(t.ExpiresAt), secret)
	return nil
}

// parseDays reads a duration as days ("90d") or anything time.ParseDuration takes.
func parseDays(s string) (time.Duration, error) {
	if d, ok := strings.CutSuffix(s, "d"); ok {
		var n int
		if _, err := fmt.Sscanf(d, "%d", &n); err != nil || n <= 0 || fmt.Sprint(n) != d {
			return 0, fmt.Errorf("bad days %q", s)
		}
		return time.Duration(n) * 24 * time.Hour, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("bad duration %q", s)
	}
	return d, nil
}

// osloTime formats a time as people in Norway read it.
func osloTime(t time.Time) string { return t.In(osloLocation()).Format("02.01.2006 kl. 15.04") }

package main

import (
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/grunnlag/grunnlag/data"
	"github.com/grunnlag/grunnlag/internal/audit"
	"github.com/grunnlag/grunnlag/internal/auth"
	"github.com/grunnlag/grunnlag/internal/catalog"
	"github.com/grunnlag/grunnlag/internal/org"
	"github.com/grunnlag/grunnlag/internal/store"
	"github.com/grunnlag/grunnlag/internal/store/sqlstore"
	"github.com/grunnlag/grunnlag/internal/survey"
	"github.com/grunnlag/grunnlag/internal/web"
)

// roundID is the benchmark's round, constructed for it.
const roundID = "frist"

// site is one store with everything the deadline needs, served on
// loopback.
type site struct {
	st      *sqlstore.DB
	survey  *survey.Service
	round   *survey.Round
	base    string // http://127.0.0.1:PORT
	logPath string // the server's warnings and errors

	municipalities []*orgPeople
	counties       []*orgPeople
	analyst        *person

	cleanup []func()
}

// orgPeople is an organisation and the people who answer for it; the
// first is its lead.
type orgPeople struct {
	org    store.Organisation
	people []*person
}

// person is a signed-in user: the session cookie and its form token, and
// an API token.
type person struct {
	user   store.User
	org    *orgPeople // nil for the analyst
	cookie string     // "grunnlag=..."
	csrf   string
	token  string
	// principles are the ones this person answers.
	principles []survey.Principle
}

func (s *site) close() {
	for i := len(s.cleanup) - 1; i >= 0; i-- {
		s.cleanup[i]()
	}
}

// openStore opens a fresh database of kind ("sqlite" or "postgres").
func openStore(ctx context.Context, cfg config, kind string, s *site) error {
	var dsn string
	switch kind {
	case "sqlite":
		dir, err := os.MkdirTemp("", "grunnlag-survey-bench-")
		if err != nil {
			return err
		}
		dsn = filepath.Join(dir, "grunnlag.db")
		if cfg.keep {
			fmt.Fprintln(os.Stderr, "survey: the SQLite database stays at", dsn)
		} else {
			s.cleanup = append(s.cleanup, func() { os.RemoveAll(dir) })
		}
	case "postgres":
		name := "grunnlag_bench_" + strings.ToLower(rand.Text())
		if err := pgExec(ctx, cfg.postgres, "CREATE DATABASE "+name); err != nil {
			return err
		}
		if cfg.keep {
			fmt.Fprintln(os.Stderr, "survey: the PostgreSQL database stays:", name)
		} else {
			s.cleanup = append(s.cleanup, func() {
				if err := pgExec(context.Background(), cfg.postgres, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
					fmt.Fprintln(os.Stderr, "survey: drop the benchmark's database:", err)
				}
			})
		}
		var err error
		if dsn, err = withDatabase(cfg.postgres, name); err != nil {
			return err
		}
	}
	st, err := sqlstore.Open(ctx, dsn, sqlstore.Options{})
	if err != nil {
		return err
	}
	s.cleanup = append(s.cleanup, func() { st.Close() })
	s.st = st
	return nil
}

// pgExec runs one statement on the server dsn names.
func pgExec(ctx context.Context, dsn, stmt string) error {
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return fmt.Errorf("connect to PostgreSQL: %w", err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, stmt); err != nil {
		return fmt.Errorf("%s: %w", stmt, err)
	}
	return nil
}

// withDatabase returns dsn with its database replaced by name.
func withDatabase(dsn, name string) (string, error) {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		u, err := url.Parse(dsn)
		if err != nil {
			return "", fmt.Errorf("-postgres: %w", err)
		}
		u.Path = "/" + name
		return u.String(), nil
	}
	return dsn + " dbname=" + name, nil // key=value settings: the last one counts
}

// setUp fills the store as an operator would before the round: the pack,
// the registers' organisations, the round (open from yesterday for 30
// days), and the people, signed in.
func setUp(ctx context.Context, cfg config, s *site) error {
	now := time.Now()
	pack, err := catalog.LoadDirs(catalog.Dir{FS: data.FS, Path: ".", Name: "grunnlag"})
	if err != nil {
		return err
	}
	load, err := pack.StoreLoadFrom(ctx, s.st, now)
	if err != nil {
		return err
	}
	if _, err := s.st.ReplaceCatalog(ctx, load); err != nil {
		return err
	}
	if _, _, err := org.Sync(ctx, s.st, pack, now); err != nil {
		return err
	}
	svc := auth.New(auth.Config{Store: s.st})
	if s.survey, err = survey.New(survey.Config{Store: s.st, Accounts: s.st, Audit: svc.Audit(), Pack: pack}); err != nil {
		return err
	}
	set := survey.DefaultSettings(pack)
	set.Maturity = true
	if _, err := s.survey.CreateRound(ctx, audit.CLI, survey.RoundSpec{
		ID: roundID, Name: "Konstruert runde for ytelsesmåling",
		OpensOn: now.AddDate(0, 0, -1).Format("2006-01-02"), ClosesOn: now.AddDate(0, 0, 30).Format("2006-01-02"), Settings: set,
	}); err != nil {
		return err
	}
	if err := s.survey.SetStatus(ctx, audit.CLI, roundID, store.RoundOpen); err != nil {
		return err
	}
	if s.round, err = s.survey.Round(ctx, roundID); err != nil {
		return err
	}

	orgs, err := s.st.Organisations(ctx, "")
	if err != nil {
		return err
	}
	var principles []survey.Principle
	for _, c := range s.round.Categories {
		principles = append(principles, c.Principles...)
	}
	for _, o := range orgs {
		switch o.Kind {
		case store.Municipality:
			op := &orgPeople{org: o}
			for i := range cfg.people {
				role := store.RoleRespondent
				if i == 0 {
					role = store.RoleLead
				}
				p, err := signIn(ctx, svc, fmt.Sprintf("person%d-%s@bench.invalid", i+1, o.Code), role, o.Code)
				if err != nil {
					return err
				}
				p.org = op
				for j, pr := range principles {
					if cfg.shared || j%cfg.people == i {
						p.principles = append(p.principles, pr)
					}
				}
				op.people = append(op.people, p)
			}
			s.municipalities = append(s.municipalities, op)
		case store.County:
			op := &orgPeople{org: o}
			p, err := signIn(ctx, svc, "lead-"+o.Code+"@bench.invalid", store.RoleLead, o.Code)
			if err != nil {
				return err
			}
			p.org, p.principles = op, principles
			op.people = []*person{p}
			s.counties = append(s.counties, op)
		}
	}
	if len(s.municipalities) == 0 || len(s.counties) == 0 {
		return fmt.Errorf("the registers gave %d municipalities and %d county municipalities", len(s.municipalities), len(s.counties))
	}
	if s.analyst, err = signIn(ctx, svc, "analytiker@bench.invalid", store.RoleAnalyst, ""); err != nil {
		return err
	}
	return serve(ctx, s, svc, pack)
}

// signIn makes a user (constructed for the benchmark) and signs them in
// as if password and code were given, with an API token besides.
func signIn(ctx context.Context, svc *auth.Service, email string, role store.Role, orgCode string) (*person, error) {
	u, _, err := svc.AddUser(ctx, audit.CLI, email, role, orgCode)
	if err != nil {
		return nil, fmt.Errorf("add %s: %w", email, err)
	}
	value, sess, err := svc.StartSession(ctx, u, store.SessionFull, "password", auth.Client{IP: "127.0.0.1", UserAgent: "bench/survey"})
	if err != nil {
		return nil, err
	}
	token, _, err := svc.CreateToken(ctx, audit.CLI, u.ID, "ytelsesmåling", 0)
	if err != nil {
		return nil, err
	}
	return &person{user: u, cookie: "grunnlag=" + value, csrf: sess.CSRF, token: token}, nil
}

// serve starts the web server on loopback, as `grunnlag serve --no-sync`
// wires it, with its log of warnings and errors in a file.
func serve(ctx context.Context, s *site, svc *auth.Service, pack *catalog.Pack) error {
	logFile, err := os.CreateTemp("", "grunnlag-survey-bench-*.log")
	if err != nil {
		return err
	}
	s.logPath = logFile.Name()
	s.cleanup = append(s.cleanup, func() {
		logFile.Close()
		os.Remove(logFile.Name())
	})
	srv, err := web.NewServer(web.Config{
		Store: s.st, Pack: pack, Auth: svc, Accounts: s.st, Survey: s.survey, Now: time.Now, Version: "bench",
		Logger: slog.New(slog.NewTextHandler(logFile, &slog.HandlerOptions{Level: slog.LevelWarn})),
	})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	sctx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- srv.Serve(sctx, ln) }()
	s.cleanup = append(s.cleanup, func() {
		cancel()
		if err := <-done; err != nil {
			fmt.Fprintln(os.Stderr, "survey: server:", err)
		}
		srv.Close()
	})
	s.base = "http://" + ln.Addr().String()
	return nil
}

// logTail returns the last lines of the server's log.
func (s *site) logTail(n int) string {
	f, err := os.Open(s.logPath)
	if err != nil {
		return ""
	}
	defer f.Close()
	b, _ := io.ReadAll(f)
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

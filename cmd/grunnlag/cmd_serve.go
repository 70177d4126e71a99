package main

import (
	"context"
	"crypto/rand"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"strings"
	"time"

	"github.com/grunnlag/grunnlag/internal/auth"
	"github.com/grunnlag/grunnlag/internal/fault"
	"github.com/grunnlag/grunnlag/internal/ingest"
	"github.com/grunnlag/grunnlag/internal/org"
	"github.com/grunnlag/grunnlag/internal/progress"
	"github.com/grunnlag/grunnlag/internal/report"
	"github.com/grunnlag/grunnlag/internal/store"
	"github.com/grunnlag/grunnlag/internal/survey"
	"github.com/grunnlag/grunnlag/internal/web"
)

func runServe(ctx context.Context, a *app, args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:8080", "adressen tjeneren lytter på (vert:port)")
	baseURL := fs.String("base-url", defaultBaseURL, "PxWebApi v2-adressen tabellene synkroniseres fra")
	noSync := fs.Bool("no-sync", false, "ikke synkroniser med SSB, verken ved start eller fra nettsiden")
	syncEvery := fs.Duration("sync-every", 24*time.Hour, "synkroniser så ofte mens tjeneren går (0: bare ved start)")
	var proxies cidrFlag
	fs.Var(&proxies, "trusted-proxy", "en omvendt proxy (IP eller CIDR) som får oppgi klientens adresse og https med X-Forwarded-For og X-Forwarded-Proto; kan gis flere ganger")
	lang := fs.String("lang", "no", "språk for tekstene fra SSB: bare no (norsk) støttes")
	timeout := fs.Duration("timeout", 60*time.Second, "tidsgrense per forespørsel til SSB")
	contact := fs.String("contact", "", "e-post- eller nettadresse der brukere kan melde fra om feil og mangler i tilgjengeligheten")
	limits := web.DefaultLimits()
	fs.IntVar(&limits.MaxViewCells, "max-view-cells", limits.MaxViewCells, "flest celler i ett utsnitt (utforskeren, API-et og nedlastingene)")
	cacheMB := fs.Int64("cache-mb", limits.CacheBytes>>20, "mest minne (MB) til mellomlagrede svar")
	rest, err := a.parse(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		fmt.Fprintf(a.env.stderr, "grunnlag serve: uventet argument %q\n", rest[0])
		a.commandUsage(fs)
		return errUsage
	}
	if err := a.checkBaseURL(fs, *baseURL); err != nil {
		return err
	}
	if err := a.checkLang(fs, *lang); err != nil {
		return err
	}
	if limits.MaxViewCells <= 0 || *cacheMB <= 0 {
		fmt.Fprintln(a.env.stderr, "grunnlag serve: --max-view-cells og --cache-mb må være større enn 0")
		a.commandUsage(fs)
		return errUsage
	}
	limits.CacheBytes = *cacheMB << 20
	log := a.serveLogger()
	cfg, err := a.loadConfig()
	if err != nil {
		return err
	}

	st, pack, err := a.openWithPack(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	if _, _, err := org.Sync(ctx, st, pack, time.Now()); err != nil {
		return err
	}
	svc := auth.New(auth.Config{Store: st, Logger: log})
	oidc, err := auth.NewOIDC(svc, nil, cfg.Providers)
	if err != nil {
		return err
	}
	kartlegging, err := survey.New(survey.Config{Store: st, Accounts: st, Audit: svc.Audit(), Pack: pack, K: cfg.DisclosureK})
	if err != nil {
		return err
	}

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fault.WithUser(fault.Invalid,
			fmt.Sprintf("Kan ikke lytte på %s. Er adressen i bruk, eller feil skrevet? Velg en annen med --addr.", *addr),
			fmt.Errorf("listen %s: %w", *addr, err))
	}

	var sync web.SyncFunc
	if !*noSync {
		var ids []string
		for _, t := range pack.Tables {
			ids = append(ids, t.ID)
		}
		// One client for every sync of this server, so they share its
		// rate limit.
		client, err := newClient(*baseURL, *lang, *timeout, log)
		if err != nil {
			ln.Close()
			return err
		}
		holder := leaseHolder()
		sync = func(ctx context.Context, obs ingest.Observer) []ingest.Result {
			// Of several servers on one database, one syncs at a time; the
			// others leave it to that one.
			ok, err := st.TryLease(ctx, "sync", holder, syncLeaseTTL, time.Now())
			if err != nil || !ok {
				if err != nil {
					log.Warn("sync lease", "err", err)
				}
				fmt.Fprintln(a.env.stdout, "En annen tjener på samme database synkroniserer nå; denne lar det være.")
				return nil
			}
			defer st.ReleaseLease(context.WithoutCancel(ctx), "sync", holder)
			rs := ingest.NewSyncer(ingest.SyncerConfig{
				Client: client, Store: st, Observer: obs, Logger: log, Lang: *lang,
			}).Sync(ctx, ids)
			if ctx.Err() == nil { // a sync cut short by the shutdown needs no words
				fmt.Fprintln(a.env.stdout, syncOutcome(rs))
			}
			if err := a.storePack(ctx, st, pack); err != nil && ctx.Err() == nil {
				log.Warn("search index after sync", "err", err) // the tables' new labels
			}
			return rs
		}
	}
	var pdf report.PDFPrinter
	if path, err := report.FindChromium(a.env.getenv, exec.LookPath); err == nil {
		pdf = report.Chromium{Path: path}
	} else {
		log.Info("no Chromium: the report page offers no PDF", "err", err)
	}
	bound := ln.Addr().String()
	srv, err := web.NewServer(web.Config{
		Store:          st,
		Pack:           pack,
		Sync:           sync,
		Auth:           svc,
		Accounts:       st,
		OIDC:           oidc,
		PublicURL:      cfg.PublicURL,
		SecureCookies:  strings.HasPrefix(cfg.PublicURL, "https://"),
		TrustedProxies: proxies,
		MetricsToken:   cfg.MetricsToken,
		Limits:         limits,
		Survey:         kartlegging,
		PDF:            pdf,
		Logger:         log,
		Now:            time.Now,
		Version:        version,
		Contact:        *contact,
	})
	if err != nil {
		ln.Close()
		return err
	}
	defer srv.Close()

	fmt.Fprintf(a.env.stdout, "grunnlag serverer på http://%s/\n", bound)
	if users, err := st.Users(ctx); err == nil && len(users) == 0 {
		fmt.Fprintln(a.env.stdout, "Ingen brukere ennå: lag den første administratoren med «grunnlag user add --admin EPOST».")
	}
	go a.sweep(ctx, st, log)
	if sync != nil {
		go scheduleSync(ctx, srv, *syncEvery, log)
	}
	if sync != nil {
		if err := srv.StartSync("oppstart"); err != nil {
			log.Warn("sync at start", "err", err)
		}
	}
	err = srv.Serve(ctx, ln)
	fmt.Fprintln(a.env.stdout, "grunnlag: tjeneren er stoppet.")
	return err
}

// syncLeaseTTL is how long a server may hold the sync without giving it
// back: longer than a sync takes; a server killed while syncing frees it
// when it expires.
const syncLeaseTTL = 2 * time.Hour

// leaseHolder names this process among the servers sharing a database.
func leaseHolder() string {
	host, _ := os.Hostname()
	b := make([]byte, 6)
	rand.Read(b)
	return fmt.Sprintf("%s/%d/%x", host, os.Getpid(), b)
}

// scheduleSync starts a sync every interval (0: never) until ctx ends; the
// lease keeps several servers from syncing at once.
func scheduleSync(ctx context.Context, srv *web.Server, every time.Duration, log *slog.Logger) {
	if every <= 0 {
		return
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := srv.StartSync("tidsplan"); err != nil {
				log.Info("scheduled sync not started", "err", err)
			}
		}
	}
}

// sweep removes ended sessions, links and sign-in states now and then.
func (a *app) sweep(ctx context.Context, st store.Accounts, log *slog.Logger) {
	t := time.NewTicker(10 * time.Minute)
	defer t.Stop()
	for {
		if err := st.DeleteExpired(ctx, time.Now()); err != nil && ctx.Err() == nil {
			log.Warn("delete expired sessions", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// cidrFlag collects repeated --trusted-proxy values: an address or a
// network in CIDR form.
type cidrFlag []*net.IPNet

func (c *cidrFlag) String() string {
	var s []string
	for _, n := range *c {
		s = append(s, n.String())
	}
	return strings.Join(s, ",")
}

func (c *cidrFlag) Set(v string) error {
	if !strings.Contains(v, "/") {
		ip := net.ParseIP(v)
		if ip == nil {
			return fmt.Errorf("%q er ikke en IP-adresse eller et nett (CIDR)", v)
		}
		bits := 32
		if ip.To4() == nil {
			bits = 128
		}
		v = fmt.Sprintf("%s/%d", v, bits)
	}
	_, n, err := net.ParseCIDR(v)
	if err != nil {
		return fmt.Errorf("%q er ikke en IP-adresse eller et nett (CIDR)", v)
	}
	*c = append(*c, n)
	return nil
}

// syncOutcome says in bokmål how a sync of the server went, and when it
// failed, why and that the site still shows what is stored.
func syncOutcome(rs []ingest.Result) string {
	msg := "Synkronisering ferdig: " + progress.Summary(rs) + "."
	if failed := ingest.Failed(rs); len(failed) > 0 {
		msg += "\n  " + fault.UserMessage(failed[0].Err) + "\n  Nettsiden viser det som er lagret; se /tabeller."
	}
	return msg
}

// serveLogger returns the server's logger: one line per request and event,
// info and up (debug with --verbose), whether or not stderr is a terminal.
func (a *app) serveLogger() *slog.Logger {
	level := slog.LevelInfo
	if a.verbose {
		level = slog.LevelDebug
	}
	return slog.New(slog.NewTextHandler(a.env.stderr, &slog.HandlerOptions{Level: level}))
}

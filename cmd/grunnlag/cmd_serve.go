package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"os/exec"
	"time"

	"github.com/grunnlag/grunnlag/internal/fault"
	"github.com/grunnlag/grunnlag/internal/ingest"
	"github.com/grunnlag/grunnlag/internal/progress"
	"github.com/grunnlag/grunnlag/internal/report"
	"github.com/grunnlag/grunnlag/internal/web"
)

func runServe(ctx context.Context, a *app, args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:8080", "adressen tjeneren lytter på (vert:port)")
	baseURL := fs.String("base-url", defaultBaseURL, "PxWebApi v2-adressen tabellene synkroniseres fra")
	noSync := fs.Bool("no-sync", false, "ikke synkroniser med SSB, verken ved start eller fra nettsiden")
	lang := fs.String("lang", "no", "språk for tekstene fra SSB: no eller en")
	timeout := fs.Duration("timeout", 60*time.Second, "tidsgrense per forespørsel til SSB")
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
	log := a.serveLogger()

	st, pack, err := a.openWithPack(ctx)
	if err != nil {
		return err
	}
	defer st.Close()

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
		sync = func(ctx context.Context, obs ingest.Observer) []ingest.Result {
			client := newClient(*baseURL, *lang, *timeout, log)
			rs := ingest.NewSyncer(ingest.SyncerConfig{
				Client: client, Store: st, Observer: obs, Logger: log, Lang: *lang,
			}).Sync(ctx, ids)
			if ctx.Err() == nil { // a sync cut short by the shutdown needs no words
				fmt.Fprintln(a.env.stdout, syncOutcome(rs))
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
		Store:     st,
		Pack:      pack,
		Sync:      sync,
		AllowSync: web.Loopback(bound),
		PDF:       pdf,
		Logger:    log,
		Now:       time.Now,
		Version:   version,
	})
	if err != nil {
		ln.Close()
		return err
	}
	defer srv.Close()

	fmt.Fprintf(a.env.stdout, "grunnlag serverer på http://%s/\n", bound)
	if sync != nil && !web.Loopback(bound) {
		fmt.Fprintln(a.env.stdout, "Synkroniseringsknappen er av fordi tjeneren lytter på mer enn localhost.")
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

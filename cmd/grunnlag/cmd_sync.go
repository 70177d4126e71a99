package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/grunnlag/grunnlag/internal/fault"
	"github.com/grunnlag/grunnlag/internal/ingest"
	"github.com/grunnlag/grunnlag/internal/progress"
	"github.com/grunnlag/grunnlag/internal/pxweb"
)

// defaultBaseURL is SSB's PxWebApi v2.
const defaultBaseURL = "https://data.ssb.no/api/pxwebapi/v2"

func runSync(ctx context.Context, a *app, args []string) error {
	fs := flag.NewFlagSet("sync", flag.ContinueOnError)
	baseURL := fs.String("base-url", defaultBaseURL, "PxWebApi v2-adressen")
	lang := fs.String("lang", "no", "språk for tekstene: no eller en")
	timeout := fs.Duration("timeout", 60*time.Second, "tidsgrense per forespørsel")
	ids, err := a.parse(fs, args)
	if err != nil {
		return err
	}
	if err := a.checkBaseURL(fs, *baseURL); err != nil {
		return err
	}
	st, pack, err := a.openWithPack(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	if len(ids) == 0 {
		for _, t := range pack.Tables {
			ids = append(ids, t.ID)
		}
	}

	client, err := newClient(*baseURL, *lang, *timeout, a.logger())
	if err != nil {
		return err
	}
	syncer := ingest.NewSyncer(ingest.SyncerConfig{
		Client:   client,
		Store:    st,
		Observer: a.observer(),
		Logger:   a.logger(),
		Lang:     *lang,
	})
	return a.finish("sync", syncer.Sync(ctx, ids))
}

// newClient returns the PxWeb client of a sync, the command's or the
// server's; an error when the base URL is not one it accepts.
func newClient(baseURL, lang string, timeout time.Duration, log *slog.Logger) (*pxweb.Client, error) {
	return pxweb.NewClient(baseURL, pxweb.Options{
		HTTPClient:     &http.Client{},
		Lang:           lang,
		Version:        version,
		RequestTimeout: timeout,
		Logger:         log,
	})
}

// checkBaseURL refuses a PxWeb address that is not a full http(s) URL, or
// that holds a user name or password, before any request is made: a
// missing scheme would otherwise be retried as if the server were down, and
// a password would be stored as the source of the figures. The address is
// not repeated, since it may hold a password.
func (a *app) checkBaseURL(fs *flag.FlagSet, raw string) error {
	err := pxweb.CheckBaseURL(raw)
	if err == nil {
		return nil
	}
	fmt.Fprintf(a.env.stderr, "grunnlag %s: --base-url: %s\n", fs.Name(), fault.UserMessage(err))
	a.commandUsage(fs)
	return errUsage
}

// finish reports the failures of a sync or import on stderr, a summary on
// stdout, and returns errReported when anything failed.
func (a *app) finish(cmd string, rs []ingest.Result) error {
	failed := ingest.Failed(rs)
	for _, r := range failed {
		what := "tabell " + r.TableID
		if r.TableID == "" || cmd == "import" {
			what = "fil " + r.Item
		}
		fmt.Fprintf(a.env.stderr, "grunnlag %s: %s: %s\n  detaljer: %v\n", cmd, what, fault.UserMessage(r.Err), r.Err)
	}
	fmt.Fprintln(a.env.stdout, progress.Summary(rs))
	if len(failed) > 0 {
		return errReported
	}
	return nil
}

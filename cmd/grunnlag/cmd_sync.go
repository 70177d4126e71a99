package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/grunnlag/grunnlag/internal/analysis"
	"github.com/grunnlag/grunnlag/internal/catalog"
	"github.com/grunnlag/grunnlag/internal/fault"
	"github.com/grunnlag/grunnlag/internal/ingest"
	"github.com/grunnlag/grunnlag/internal/progress"
	"github.com/grunnlag/grunnlag/internal/pxweb"
	"github.com/grunnlag/grunnlag/internal/store"
)

// defaultBaseURL is SSB's PxWebApi v2.
const defaultBaseURL = "https://data.ssb.no/api/pxwebapi/v2"

func runSync(ctx context.Context, a *app, args []string) error {
	fs := flag.NewFlagSet("sync", flag.ContinueOnError)
	baseURL := fs.String("base-url", defaultBaseURL, "PxWebApi v2-adressen")
	lang := fs.String("lang", "no", "språk for tekstene: bare no (norsk) støttes; se --help")
	timeout := fs.Duration("timeout", 60*time.Second, "tidsgrense per forespørsel")
	ids, err := a.parse(fs, args)
	if err != nil {
		return err
	}
	if err := a.checkBaseURL(fs, *baseURL); err != nil {
		return err
	}
	if err := a.checkLang(fs, *lang); err != nil {
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

	obs := a.observer()
	client, err := newClient(*baseURL, *lang, *timeout, a.logger())
	if err != nil {
		return err
	}
	syncer := ingest.NewSyncer(ingest.SyncerConfig{
		Client:   client,
		Store:    st,
		Observer: obs,
		Logger:   a.logger(),
		Lang:     *lang,
	})
	rs := syncer.Sync(ctx, ids)
	if err := a.storePack(ctx, st, pack); err != nil && ctx.Err() == nil { // the tables' new labels into the search
		return err
	}
	err = a.finish("sync", rs)
	a.labelHealth(ctx, st, pack)
	return err
}

// checkLang refuses labels in another language than Norwegian: the
// indicator definitions and the report read SSB's Norwegian labels, and a
// version with English labels would become the table's newest and stop
// every indicator of it.
func (a *app) checkLang(fs *flag.FlagSet, lang string) error {
	switch lang {
	case "no", "nb":
		return nil
	}
	fmt.Fprintf(a.env.stderr, "grunnlag %s: --lang %s støttes ikke: indikatorene og rapporten leser SSBs norske etiketter, og en versjon med etiketter på et annet språk ville bli tabellens nyeste versjon og stoppe indikatorene. Kjør uten --lang.\n", fs.Name(), lang)
	return errUsage
}

// labelHealth checks, after a sync, that every indicator definition still
// fits the stored tables, and prints the definitions that do not, with
// the nearest labels and the YAML that fixes each. The sync's result
// stands whatever the check finds.
func (a *app) labelHealth(ctx context.Context, st store.Store, pack *catalog.Pack) {
	data, err := analysis.Load(ctx, st, pack, time.Time{})
	if err == nil {
		var previous analysis.Data
		if previous, err = analysis.LoadPrevious(ctx, st, pack); err == nil {
			fmt.Fprint(a.env.stdout, analysis.LabelReport(analysis.LabelHealth(pack, data, previous)))
			return
		}
	}
	fmt.Fprintf(a.env.stderr, "grunnlag sync: etikettene er ikke sjekket: %s\n", fault.UserMessage(err))
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
// stdout, and returns errReported when anything failed. Each failure says
// what failed, why, what is kept and what to do; when the server could
// not be reached, one line says so for every table it left out.
func (a *app) finish(cmd string, rs []ingest.Result) error {
	failed := ingest.Failed(rs)
	// The table whose failure showed the server out of reach, and the
	// tables skipped after it, get one line between them.
	var cause *ingest.Result
	var unreached []string
	for i, r := range failed {
		if r.Skipped {
			if cause == nil {
				for j := range failed[:i] {
					if errors.Is(r.Err, failed[j].Err) {
						cause = &failed[j]
						unreached = append(unreached, failed[j].TableID)
					}
				}
			}
			unreached = append(unreached, r.TableID)
		}
	}
	for i, r := range failed {
		if r.Skipped || (cause != nil && &failed[i] == cause) {
			continue
		}
		what := "tabell " + r.TableID
		if r.TableID == "" || cmd == "import" {
			what = "filen " + r.Item
			if r.TableID != "" {
				what += " (tabell " + r.TableID + ")"
			}
		}
		kept := ingest.KeptText(r.Kept)
		if r.TableID == "" {
			kept = "Ingenting er endret i databasen."
		}
		fmt.Fprintf(a.env.stderr, "grunnlag %s: %s ble ikke lagret. %s %s\n", cmd, what, fault.UserMessage(r.Err), kept)
		a.details(r.Err)
	}
	if len(unreached) > 0 {
		msg := "Serveren kunne ikke nås."
		if cause != nil {
			msg = fault.UserMessage(cause.Err)
		}
		fmt.Fprintf(a.env.stderr, "grunnlag %s: %s ble ikke oppdatert (%s): %s Ingenting er endret i databasen; lagrede versjoner vises som før.\n",
			cmd, plural(len(unreached), "tabell", "tabeller"), strings.Join(unreached, ", "), msg)
		if cause != nil {
			a.details(cause.Err)
		}
	}
	fmt.Fprintln(a.env.stdout, progress.Summary(rs))
	if len(failed) > 0 {
		return errReported
	}
	return nil
}

// plural writes n with the singular or plural noun: "1 tabell", "3 tabeller".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

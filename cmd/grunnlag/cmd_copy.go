package main

import (
	"context"
	"flag"
	"fmt"
	"net/url"
	"strings"

	"github.com/grunnlag/grunnlag/internal/fault"
	"github.com/grunnlag/grunnlag/internal/store"
	"github.com/grunnlag/grunnlag/internal/store/sqlstore"
)

func runCopy(ctx context.Context, a *app, args []string) error {
	fs := flag.NewFlagSet("copy", flag.ContinueOnError)
	from := fs.String("from", "", "databasen det kopieres fra (SQLite-fil eller postgres://…)")
	to := fs.String("to", "", "databasen det kopieres til")
	if _, err := a.parse(fs, args); err != nil {
		return err
	}
	if *from == "" || *to == "" || *from == *to {
		fmt.Fprintln(a.env.stderr, "grunnlag copy: oppgi to ulike databaser med --from og --to")
		a.commandUsage(fs)
		return errUsage
	}
	// The source is only read.
	src, err := sqlstore.Open(ctx, *from, sqlstore.Options{ReadOnly: true})
	if err != nil {
		return fmt.Errorf("open %s: %w", redactDSN(*from), err)
	}
	defer src.Close()
	dst, err := openDSN(ctx, *to)
	if err != nil {
		return fmt.Errorf("open %s: %w", redactDSN(*to), err)
	}
	defer dst.Close()

	log := a.logger()
	stats, err := store.Copy(ctx, src, dst, func(done, total int) {
		log.Info("kopierer", "versjoner", done, "av", total)
	})
	if fault.Is(err, fault.Conflict) {
		return fault.WithUser(fault.Conflict, "Måldatabasen har allerede andre versjoner av en tabell; kopier til en tom database.", err)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(a.env.stdout, "Kopierte %d tabeller: %d nye versjoner (%d celler), %d fantes fra før, %d synkroniseringsforsøk, %d oppføringer i kunnskapspakken.\n",
		stats.Tables, stats.Snapshots, stats.Cells, stats.Skipped, stats.SyncAttempts, stats.CatalogEntries)
	return nil
}

// redactDSN hides the password of a PostgreSQL DSN before it is shown: a
// URL's, or the value of a password= setting.
func redactDSN(dsn string) string {
	if sqlstore.EngineOf(dsn) != sqlstore.Postgres {
		return dsn
	}
	if !strings.Contains(dsn, "://") {
		fields := strings.Fields(dsn)
		for i, f := range fields {
			if k, _, ok := strings.Cut(f, "="); ok && strings.TrimSpace(k) == "password" {
				fields[i] = "password=xxxxx"
			}
		}
		return strings.Join(fields, " ")
	}
	u, err := url.Parse(dsn)
	if err != nil {
		return "postgres://…"
	}
	return u.Redacted()
}

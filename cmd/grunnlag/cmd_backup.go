package main

import (
	"context"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"

	"github.com/grunnlag/grunnlag/internal/fault"
	"github.com/grunnlag/grunnlag/internal/store/sqlstore"
)

// runBackup writes a consistent copy of the database to FILE: SQLite's
// online backup, or PostgreSQL's pg_dump (custom format) when it is
// installed.
func runBackup(ctx context.Context, a *app, args []string) error {
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	rest, err := a.parse(fs, args)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		fmt.Fprintln(a.env.stderr, "grunnlag backup: oppgi filen sikkerhetskopien skal skrives til")
		a.commandUsage(fs)
		return errUsage
	}
	dsn, file := a.dsn(), rest[0]
	if sqlstore.EngineOf(dsn) == sqlstore.Postgres {
		return pgTool(ctx, a, "pg_dump", "--format=custom", "--no-owner", "--file", file, "--dbname", dsn)
	}
	st, err := a.openStore(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.Backup(ctx, file); err != nil {
		return err
	}
	fmt.Fprintf(a.env.stdout, "Sikkerhetskopien er skrevet til %s. Gjenopprett med «grunnlag --db NY.db restore %s».\n", file, file)
	return nil
}

// runRestore puts a backup in place as a new, empty database.
func runRestore(ctx context.Context, a *app, args []string) error {
	fs := flag.NewFlagSet("restore", flag.ContinueOnError)
	rest, err := a.parse(fs, args)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		fmt.Fprintln(a.env.stderr, "grunnlag restore: oppgi sikkerhetskopien; --db er databasen den gjenopprettes til (den må være ny)")
		a.commandUsage(fs)
		return errUsage
	}
	dsn, file := a.dsn(), rest[0]
	if _, err := os.Stat(file); err != nil {
		return fault.WithUser(fault.NotFound, fmt.Sprintf("Finner ikke sikkerhetskopien %s.", file), err)
	}
	if sqlstore.EngineOf(dsn) == sqlstore.Postgres {
		if err := pgEmpty(ctx, dsn); err != nil {
			return err
		}
		if err := pgTool(ctx, a, "pg_restore", "--no-owner", "--exit-on-error", "--dbname", dsn, file); err != nil {
			return err
		}
	} else if err := sqlstore.RestoreSQLite(ctx, file, dsn); err != nil {
		return err
	}
	// Open it as every command does: a backup of an older grunnlag is
	// migrated now, one of a newer refused.
	st, err := a.openStore(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	v, err := st.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(a.env.stdout, "Gjenopprettet %s til %s (skjemaversjon %d). Sjekk den med «grunnlag verify».\n", file, redactDSN(dsn), v)
	return nil
}

// pgEmpty refuses to restore into a PostgreSQL database that has tables.
func pgEmpty(ctx context.Context, dsn string) error {
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	var n int
	if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM pg_catalog.pg_tables WHERE schemaname = current_schema()`).Scan(&n); err != nil {
		return fault.WithUser(fault.Unavailable, "Får ikke kontakt med PostgreSQL-databasen i --db.", err)
	}
	if n > 0 {
		return fault.WithUser(fault.Conflict, "Databasen i --db er ikke tom; gjenoppretting skjer bare til en ny, tom database (createdb).",
			fmt.Errorf("database has %d tables", n))
	}
	return nil
}

// pgTool runs a PostgreSQL client program, or says how to get it.
func pgTool(ctx context.Context, a *app, name string, args ...string) error {
	path, err := exec.LookPath(name)
	if err != nil {
		return fault.WithUser(fault.NotFound,
			fmt.Sprintf("%s finnes ikke på maskinen. Installer PostgreSQLs klientprogrammer (Debian: postgresql-client) og prøv igjen.", name), err)
	}
	cmd := exec.CommandContext(ctx, path, args...)
	cmd.Stdout, cmd.Stderr = a.env.stdout, a.env.stderr
	if err := cmd.Run(); err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return fault.WithUser(fault.Invalid, fmt.Sprintf("%s feilet (se meldingen over); ingenting er endret av grunnlag.", name), err)
		}
		return err
	}
	fmt.Fprintf(a.env.stdout, "%s er ferdig.\n", name)
	return nil
}

// runVerify checks a database: its integrity, every snapshot's cells
// against its size and raw bodies against their SHA-256, and the audit
// log's chain. Exit status 1 when anything is wrong.
func runVerify(ctx context.Context, a *app, args []string) error {
	fs := flag.NewFlagSet("verify", flag.ContinueOnError)
	if _, err := a.parse(fs, args); err != nil {
		return err
	}
	st, err := a.openReader(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	checks, err := st.Verify(ctx)
	if err != nil {
		return err
	}
	names := map[string]string{"integrity": "databasens integritet", "cells": "cellene i hver versjon", "raw bodies": "råsvarene mot SHA-256", "audit log": "revisjonsloggens kjede"}
	bad := 0
	for _, c := range checks {
		if c.Problem == "" {
			fmt.Fprintf(a.env.stdout, "i orden: %s (%d sjekket)\n", names[c.What], c.Checked)
			continue
		}
		bad++
		fmt.Fprintf(a.env.stdout, "FEIL: %s: %s\n", names[c.What], c.Problem)
	}
	if bad > 0 {
		fmt.Fprintf(a.env.stderr, "grunnlag verify: %d feil\n", bad)
		return errReported
	}
	return nil
}

package main

import (
	"context"
	"flag"
	"fmt"
)

func runMigrate(ctx context.Context, a *app, args []string) error {
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	if _, err := a.parse(fs, args); err != nil {
		return err
	}
	st, err := a.openStore(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	v, err := st.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(a.env.stdout, "Databasen %s har skjemaversjon %d og er oppdatert.\n", redactDSN(a.dsn()), v)
	return nil
}

package main

import (
	"context"
	"flag"
	"fmt"

	"github.com/grunnlag/grunnlag/internal/ingest"
)

func runImport(ctx context.Context, a *app, args []string) error {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	table := fs.String("table", "", "tabell-ID for en fil som ikke selv sier hvilken tabell den er")
	force := fs.Bool("force", false, "lagre filen under --table selv om den selv sier at den er en annen tabell")
	files, err := a.parse(fs, args)
	if err != nil {
		return err
	}
	if len(files) == 0 {
		fmt.Fprintln(a.env.stderr, "grunnlag import: oppgi minst én fil")
		a.commandUsage(fs)
		return errUsage
	}
	st, pack, err := a.openWithPack(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	im := ingest.NewImporter(st, a.observer(), a.logger(), nil)
	im.Force = *force
	rs := im.Import(ctx, files, *table)
	if err := a.storePack(ctx, st, pack); err != nil && ctx.Err() == nil { // the tables' new labels into the search
		return err
	}
	return a.finish("import", rs)
}

package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/grunnlag/grunnlag/internal/catalog"
)

// runNSMImport reads NSM's official measure spreadsheet and writes it as a
// knowledge-pack folder that overrides the base pack's measures (see
// catalog.Pack.MeasuresPack); load it with --pack.
func runNSMImport(_ context.Context, a *app, args []string) error {
	fs := flag.NewFlagSet("nsm-import", flag.ContinueOnError)
	out := fs.String("out", catalog.NSMPackName, "mappen pakken skrives til")
	files, err := a.parse(fs, args)
	if err != nil {
		return err
	}
	if len(files) != 1 {
		fmt.Fprintln(a.env.stderr, "grunnlag nsm-import: oppgi NSMs regneark (XLSX)")
		a.commandUsage(fs)
		return errUsage
	}
	file := files[0]
	raw, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	measures, err := catalog.ReadMeasures(bytes.NewReader(raw), file)
	if err != nil {
		return err
	}
	pack, err := a.loadPack()
	if err != nil {
		return err
	}
	body, res, err := pack.MeasuresPack(measures, filepath.Base(file), raw, *out)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return err
	}
	path := filepath.Join(*out, "nsm.yaml")
	if err := os.WriteFile(path, body, 0o644); err != nil {
		return err
	}
	// The pack must load on top of the base pack as written.
	a.packs = append(a.packs, *out)
	if _, err := a.loadPack(); err != nil {
		return fmt.Errorf("the written pack %s does not load: %w", *out, err)
	}
	fmt.Fprintf(a.env.stdout, "Leste %d tiltak fra %s: %d fikk NSMs tekst og prioritet, %d var nye. Skrev %s; bruk «--pack %s».\n",
		len(measures), file, len(res.Updated), len(res.Added), path, *out)
	return nil
}

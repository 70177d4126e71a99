package main

import (
	"context"
	"flag"
	"fmt"
	"strings"
	"time"

	"github.com/grunnlag/grunnlag/data"
	"github.com/grunnlag/grunnlag/internal/catalog"
	"github.com/grunnlag/grunnlag/internal/fault"
	"github.com/grunnlag/grunnlag/internal/store"
	"github.com/grunnlag/grunnlag/internal/store/sqlstore"
)

// packFlag collects repeated --pack DIR flags in order.
type packFlag []string

func (p *packFlag) String() string { return strings.Join(*p, ",") }

func (p *packFlag) Set(v string) error {
	*p = append(*p, v)
	return nil
}

// builtinPack is the knowledge pack compiled into the binary.
func builtinPack() catalog.Dir { return catalog.Dir{FS: data.FS, Path: ".", Name: "grunnlag"} }

// loadPack loads and checks the run's knowledge pack: the built-in one and
// each --pack DIR (see catalog.Dirs).
func (a *app) loadPack() (*catalog.Pack, error) {
	return catalog.LoadDirs(catalog.Dirs(builtinPack(), a.packs...)...)
}

// storePack makes sure the store holds pack: loaded in one transaction
// when it changed, left alone when it did not. Only commands that write
// call it (serve, sync, import, pack load).
func (a *app) storePack(ctx context.Context, st store.Store, pack *catalog.Pack) error {
	load, err := pack.StoreLoadFrom(ctx, st, time.Now())
	if err != nil {
		return err
	}
	replaced, err := st.ReplaceCatalog(ctx, load)
	if err != nil {
		return err
	}
	if replaced {
		a.logger().Info("kunnskapspakken er lagret i databasen", "pakker", strings.Join(load.Packs, ","), "oppføringer", len(load.Entries))
	}
	return nil
}

// openWithPack loads the run's pack and opens the store for writing with
// that pack stored in it. A broken pack changes nothing and is an error.
func (a *app) openWithPack(ctx context.Context) (*sqlstore.DB, *catalog.Pack, error) {
	pack, err := a.loadPack()
	if err != nil {
		return nil, nil, err
	}
	st, err := a.openStore(ctx)
	if err != nil {
		return nil, nil, err
	}
	if err := a.storePack(ctx, st, pack); err != nil {
		st.Close()
		return nil, nil, err
	}
	return st, pack, nil
}

// openReaderWithPack loads the run's pack and opens the store read-only
// (see openReader). stored reports whether the store holds the same pack;
// when not, a line says so, and the caller goes on with the pack loaded.
func (a *app) openReaderWithPack(ctx context.Context) (st *sqlstore.DB, pack *catalog.Pack, stored bool, err error) {
	if pack, err = a.loadPack(); err != nil {
		return nil, nil, false, err
	}
	if st, err = a.openReader(ctx); err != nil {
		return nil, nil, false, err
	}
	if stored, err = a.packStored(ctx, st, pack); err != nil {
		st.Close()
		return nil, nil, false, err
	}
	return st, pack, stored, nil
}

// packStored reports whether the store holds the same knowledge pack as
// the one loaded; a command that only reads says so in one line when it
// does not, and goes on with the pack it loaded.
func (a *app) packStored(ctx context.Context, st store.Store, pack *catalog.Pack) (bool, error) {
	load, err := pack.StoreLoadFrom(ctx, st, time.Time{})
	if err != nil {
		return false, err
	}
	info, err := st.CatalogInfo(ctx)
	switch {
	case fault.Is(err, fault.NotFound):
		fmt.Fprintln(a.env.stderr, "grunnlag: databasen har ingen kunnskapspakke lagret; bruker den som er lastet nå (lagre den med «grunnlag pack load»).")
		return false, nil
	case err != nil:
		return false, err
	case info.Digest != load.Digest:
		fmt.Fprintln(a.env.stderr, "grunnlag: kunnskapspakken i databasen er en annen enn den som er lastet nå; bruker den lastede (lagre den med «grunnlag pack load»).")
		return false, nil
	}
	return true, nil
}

// runPack runs `grunnlag pack load`: the run's knowledge pack is checked
// and stored in the database, replacing the stored one.
func runPack(ctx context.Context, a *app, args []string) error {
	fs := flag.NewFlagSet("pack", flag.ContinueOnError)
	rest, err := a.parse(fs, args)
	if err != nil {
		return err
	}
	if len(rest) != 1 || rest[0] != "load" {
		fmt.Fprintln(a.env.stderr, "grunnlag pack: oppgi «load»")
		a.commandUsage(fs)
		return errUsage
	}
	st, _, err := a.openWithPack(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	info, err := st.CatalogInfo(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(a.env.stdout, "Kunnskapspakken (%s) er lagret i databasen: %d oppføringer.\n", strings.Join(info.Packs, ", "), info.Entries)
	return nil
}

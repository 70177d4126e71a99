package main

import (
	"context"
	"io/fs"
	"os"
	"strings"
	"time"

	"github.com/goccy/go-yaml"

	"github.com/grunnlag/grunnlag/data"
	"github.com/grunnlag/grunnlag/internal/catalog"
	"github.com/grunnlag/grunnlag/internal/store"
)

// packFlag collects repeated --pack DIR flags in order.
type packFlag []string

func (p *packFlag) String() string { return strings.Join(*p, ",") }

func (p *packFlag) Set(v string) error {
	*p = append(*p, v)
	return nil
}

// builtinPack names the knowledge pack compiled into the binary in origins
// and problems.
const builtinPack = "data (innebygd)"

// packDirs returns the pack directories of the run: the built-in base pack,
// then each --pack DIR in order. A DIR that is the base pack itself (same
// pack name, as when someone edits data/ in the repository) takes the
// built-in copy's place instead of overriding every entry of it.
func (a *app) packDirs() []catalog.Dir {
	base := catalog.Dir{FS: data.FS, Path: ".", Name: builtinPack}
	baseName := packName(data.FS)
	dirs := []catalog.Dir{base}
	for _, p := range a.packs {
		fsys := os.DirFS(p)
		if baseName != "" && packName(fsys) == baseName && len(dirs) > 0 && dirs[0] == base {
			dirs = dirs[1:]
		}
		dirs = append(dirs, catalog.Dir{FS: fsys, Path: ".", Name: p})
	}
	return dirs
}

// packName returns the name a pack directory gives itself in pack.yaml, or "".
func packName(fsys fs.FS) string {
	b, err := fs.ReadFile(fsys, "pack.yaml")
	if err != nil {
		return ""
	}
	var doc struct {
		Pack struct {
			Name string `yaml:"name"`
		} `yaml:"pack"`
	}
	if yaml.Unmarshal(b, &doc) != nil {
		return ""
	}
	return doc.Pack.Name
}

// loadPack loads and checks the run's knowledge pack.
func (a *app) loadPack() (*catalog.Pack, error) {
	return catalog.LoadDirs(a.packDirs()...)
}

// openStoreWithPack opens the store and makes sure it holds the run's
// knowledge pack: loaded in one transaction when it changed, left alone when
// it did not. A broken pack changes nothing and is an error.
func (a *app) openStoreWithPack(ctx context.Context) (store.Store, *catalog.Pack, error) {
	pack, err := a.loadPack()
	if err != nil {
		return nil, nil, err
	}
	st, err := a.openStore(ctx)
	if err != nil {
		return nil, nil, err
	}
	load, err := pack.StoreLoad(time.Now())
	if err == nil {
		var replaced bool
		replaced, err = st.ReplaceCatalog(ctx, load)
		if replaced {
			a.logger().Info("kunnskapspakken er lastet inn", "packs", strings.Join(load.Packs, ","), "entries", len(load.Entries))
		}
	}
	if err != nil {
		st.Close()
		return nil, nil, err
	}
	return st, pack, nil
}

package ingest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/grunnlag/grunnlag/internal/fault"
	"github.com/grunnlag/grunnlag/internal/jsonstat"
	"github.com/grunnlag/grunnlag/internal/store"
)

// MaxImportBytes is the largest file Import reads.
const MaxImportBytes = 2 << 30

// Importer stores downloaded JSON-stat files as snapshots.
type Importer struct {
	store    Store
	observer Observer
	log      *slog.Logger
	now      func() time.Time
}

// NewImporter returns an Importer. obs, log and now may be nil.
func NewImporter(st Store, obs Observer, log *slog.Logger, now func() time.Time) *Importer {
	im := &Importer{store: st, observer: obs, log: log, now: now}
	if im.observer == nil {
		im.observer = nopObserver{}
	}
	if im.log == nil {
		im.log = slog.New(slog.DiscardHandler)
	}
	if im.now == nil {
		im.now = time.Now
	}
	return im
}

// Import stores each file: a JSON-stat 2.0 dataset as SSB's "download as
// JSON-stat2" gives it, a JSON-stat 1.x response of SSB's old API (one
// dataset or a bundle), or a collection with embedded datasets. The table
// id comes from the dataset (extension.px.tableid, or a "12041: " label
// prefix); tableID overrides it for a file that holds one dataset.
func (im *Importer) Import(ctx context.Context, files []string, tableID string) []Result {
	im.observer.Start(len(files))
	defer im.observer.End()
	var results []Result
	for _, f := range files {
		started := stamp(im.now())
		for _, r := range im.importFile(ctx, f, tableID) {
			recordAttempt(ctx, im.store, im.log, started, stamp(im.now()), r)
			im.observer.Finish(r)
			results = append(results, r)
		}
	}
	return results
}

func (im *Importer) importFile(ctx context.Context, path, tableID string) []Result {
	fail := func(err error) []Result {
		return []Result{{Item: path, TableID: tableID, Outcome: store.Failed, Err: fmt.Errorf("file %s: %w", path, err)}}
	}
	if tableID != "" && !store.ValidTableID(tableID) {
		return fail(fault.Errorf(fault.Invalid, "%q is not a table id", tableID))
	}
	if err := ctx.Err(); err != nil {
		return fail(err)
	}
	im.observer.Stage(path, StageRead)
	body, err := readFile(path)
	if err != nil {
		return fail(err)
	}
	doc, err := jsonstat.Parse(body)
	if err != nil {
		return fail(err) // already fault.Invalid
	}
	sets := doc.Datasets
	switch {
	case len(sets) == 0:
		return fail(fault.Errorf(fault.Invalid, "no dataset in the file (a JSON-stat %s with links only)", doc.Class))
	case tableID != "" && len(sets) > 1:
		return fail(fault.Errorf(fault.Invalid, "the file holds %d datasets; --table works only for a file with one", len(sets)))
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		abs = path
	}
	sum := digest([][]byte{body})
	var results []Result
	for i, nd := range sets {
		d := nd.Dataset
		r := Result{Item: path, TableID: tableID, Outcome: store.Failed}
		id, lang := identify(d)
		if tableID != "" {
			id = tableID
		}
		where := path
		if len(sets) > 1 {
			where = fmt.Sprintf("%s, dataset %d (%q)", path, i+1, nd.Name)
		}
		switch {
		case id == "":
			r.Err = fault.Errorf(fault.Invalid, "file %s: cannot tell which table this is (no extension.px.tableid and the label %q does not start with a table id); name it with --table", where, d.Label)
		case !store.ValidTableID(id):
			r.Err = fault.Errorf(fault.Invalid, "file %s: %q is not a table id", where, id)
		case !d.HasValues():
			r.Err = fault.Errorf(fault.Invalid, "file %s: table %s: the file holds metadata only (no values); download the data as JSON-stat 2.0", where, id)
		}
		if r.Err != nil {
			results = append(results, r)
			continue
		}
		r.TableID = id
		snap := &store.Snapshot{
			TableID:   id,
			Title:     title(d.Label),
			Lang:      lang,
			Updated:   d.Updated,
			FetchedAt: stamp(im.now()),
			Source:    abs,
			SHA256:    sum,
			Raw:       [][]byte{body},
			Data:      d,
		}
		r.Parts = 1
		results = append(results, saveSnapshot(ctx, im.store, im.observer, r, snap))
	}
	return results
}

func readFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fault.E(fault.NotFound, err)
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, MaxImportBytes+1))
	if err != nil {
		return nil, err
	}
	if len(b) > MaxImportBytes {
		return nil, fault.Errorf(fault.TooLarge, "larger than %d bytes", MaxImportBytes)
	}
	return b, nil
}

package ingest

import (
	"bytes"
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

// Importer stores downloaded JSON-stat files as snapshots.
type Importer struct {
	// Limits bound each file and what it may declare (zero fields take
	// jsonstat's defaults): a file larger than Limits.MaxBodyBytes is
	// refused before or while it is read, never read whole.
	Limits jsonstat.Limits

	store    Store
	observer Observer
	log      *slog.Logger
	now      func() time.Time

	// Force stores a file under the table id given to Import even when the
	// file names another table itself (its extension.px.tableid or the
	// "13615: " prefix of its label). Without it such a file is refused:
	// storing it would put one table's figures under another's id.
	Force bool
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
			if r.Err != nil {
				r.Kept = kept(ctx, im.store, r.TableID)
			}
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
	lim := im.Limits.WithDefaults()
	body, err := readFile(path, lim.MaxBodyBytes)
	if fault.Is(err, fault.NotFound) {
		return fail(fault.WithUser(fault.NotFound, fmt.Sprintf(
			"Fant ikke filen «%s». Sjekk navnet og mappen; en nedlastet tabell fra ssb.no heter ofte noe som «12041_20250602.json».", path), err))
	}
	if err != nil {
		return fail(err)
	}
	doc, err := jsonstat.ParseLimited(body, lim)
	if err != nil {
		return fail(decodeError(err)) // already fault.Invalid
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
		own := id
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
		case tableID != "" && own != "" && own != tableID && !im.Force:
			r.Err = fault.WithUser(fault.Invalid,
				fmt.Sprintf("Filen %s sier selv at den er tabell %s, ikke %s. Ingenting er lagret. Sjekk at du har valgt riktig fil, eller bruk --force hvis du er sikker på at den er tabell %s.", path, own, tableID, tableID),
				fmt.Errorf("file %s: the file names table %s itself, not %s (--table); use --force to store it as %s anyway", where, own, tableID, tableID))
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

// sniffBytes is how much of a file is read before deciding whether it can
// be JSON at all.
const sniffBytes = 4 << 10

// readFile reads a file of at most max bytes that may be a JSON object.
// Memory stays bounded whatever the file is: a regular file's size is
// checked before reading, anything else (a device such as /dev/zero, a
// pipe) is read only up to max, and a file whose first bytes cannot start
// a JSON object is refused after those bytes.
func readFile(path string, max int) ([]byte, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fault.E(fault.NotFound, err)
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if fi.IsDir() {
		return nil, fault.WithUser(fault.Invalid, "Dette er en mappe, ikke en fil.", errors.New("is a directory"))
	}
	capacity := sniffBytes
	if fi.Mode().IsRegular() {
		if fi.Size() > int64(max) {
			return nil, tooLarge(fi.Size(), max)
		}
		capacity = int(fi.Size()) + 1 // +1: see the end of the file at once
	}
	buf := make([]byte, 0, capacity)
	r := io.LimitReader(f, int64(max)+1)
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)] // grow, as io.ReadAll does
		}
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if len(buf) > max {
			return nil, tooLarge(-1, max)
		}
		if len(buf) >= sniffBytes || err != nil {
			if serr := sniff(buf); serr != nil {
				return nil, serr
			}
		}
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return nil, err
		}
	}
}

// sniff refuses input whose first bytes show it is not a JSON object: after
// an optional byte order mark and white space the first byte must be '{'.
func sniff(b []byte) error {
	b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
	for i, c := range b {
		switch c {
		case ' ', '\t', '\n', '\r':
			continue
		case '{':
			return nil
		}
		return fault.WithUser(fault.Invalid, "Filen er ikke en JSON-stat-fil: den begynner ikke med «{».",
			fmt.Errorf("not JSON-stat: byte %d is %q, want '{'", i, c))
	}
	if len(b) == 0 {
		return fault.WithUser(fault.Invalid, "Filen er tom.", errors.New("empty file"))
	}
	return nil // only white space so far
}

// tooLarge is the error for a file over max bytes; size is -1 when the
// file has no size (a device, a pipe).
func tooLarge(size int64, max int) error {
	detail := fmt.Errorf("larger than the limit of %d bytes (MaxBodyBytes)", max)
	if size >= 0 {
		detail = fmt.Errorf("%d bytes, over the limit of %d (MaxBodyBytes)", size, max)
	}
	limit := fmt.Sprintf("%d byte", max)
	if max >= 1<<20 {
		limit = fmt.Sprintf("%d MB", max>>20)
	}
	return fault.WithUser(fault.TooLarge, "Filen er større enn grensen på "+limit+".", detail)
}

// decodeError gives a file beyond the decode limits the kind TooLarge; any
// other decode error stays as it is (fault.Invalid, naming the field).
func decodeError(err error) error {
	var le *jsonstat.LimitError
	if errors.As(err, &le) {
		return fault.WithUser(fault.TooLarge, "Filen beskriver en tabell som er større enn grensene grunnlag er satt opp med.", err)
	}
	return err
}

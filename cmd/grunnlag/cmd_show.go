package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net/url"
	"path/filepath"
	"strings"
	"time"

	"github.com/grunnlag/grunnlag/internal/fault"
	"github.com/grunnlag/grunnlag/internal/ingest"
	"github.com/grunnlag/grunnlag/internal/pivot"
	"github.com/grunnlag/grunnlag/internal/store"
)

// showDoc is the output of `grunnlag show --json`.
type showDoc struct {
	ID         string    `json:"id"`
	Title      string    `json:"title"`
	Updated    string    `json:"updated"`
	FetchedAt  time.Time `json:"fetched_at"`
	Source     string    `json:"source"`
	SHA256     string    `json:"sha256"`
	SnapshotID int64     `json:"snapshot_id"`
	Dimensions []showDim `json:"dimensions"`
	// Cells lists every cell in row-major order; codes follow Dimensions.
	Cells []showCell `json:"cells"`
}

type showDim struct {
	ID         string    `json:"id"`
	Label      string    `json:"label"`
	Categories []showCat `json:"categories"`
}

type showCat struct {
	Code  string `json:"code"`
	Label string `json:"label"`
}

type showCell struct {
	Codes  []string `json:"codes"`
	Value  *float64 `json:"value"`
	Text   string   `json:"text,omitempty"`
	Status string   `json:"status,omitempty"`
}

func runShow(ctx context.Context, a *app, args []string) error {
	fs := flag.NewFlagSet("show", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "skriv JSON")
	ids, err := a.parse(fs, args)
	if err != nil {
		return err
	}
	if len(ids) != 1 {
		fmt.Fprintln(a.env.stderr, "grunnlag show: oppgi én tabell")
		a.commandUsage(fs)
		return errUsage
	}
	id := ids[0]
	if !store.ValidTableID(id) {
		return fault.WithUser(fault.Invalid, fmt.Sprintf("«%s» er ikke en tabell-ID (den har bare bokstaver, sifre og _, som 12041).", id),
			fmt.Errorf("show: %q is not a table id", id))
	}
	st, err := a.openReader(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	snap, err := st.LatestSnapshot(ctx, id)
	if fault.Is(err, fault.NotFound) {
		return fault.WithUser(fault.NotFound, notStored(id), err)
	}
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(a.env.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(showJSON(snap))
	}
	fmt.Fprintf(a.env.stdout, "%s: %s\nOppdatert hos kilden %s · hentet %s · %s\n\n",
		snap.TableID, snap.Title, sourceDate(snap.Updated), ingest.When(snap.FetchedAt), origin(snap.Source))
	t, err := pivot.Build(snap.Data, pivot.Default(snap.Data))
	if err != nil {
		return fmt.Errorf("table %s: %w", id, err)
	}
	return t.WriteText(a.env.stdout)
}

func showJSON(s *store.Snapshot) showDoc {
	d := s.Data
	doc := showDoc{
		ID: s.TableID, Title: s.Title, Updated: s.Updated, FetchedAt: s.FetchedAt.UTC(),
		Source: ingest.ShownSource(s.Source), SHA256: s.SHA256, SnapshotID: s.ID,
	}
	for _, dim := range d.Dimensions {
		sd := showDim{ID: dim.ID, Label: dim.Label, Categories: make([]showCat, len(dim.Categories))}
		for i, c := range dim.Categories {
			sd.Categories[i] = showCat{Code: c.Code, Label: c.Label}
		}
		doc.Dimensions = append(doc.Dimensions, sd)
	}
	doc.Cells = make([]showCell, d.Len())
	coords := make([]int, len(d.Dimensions))
	for i := range doc.Cells {
		coords = d.Coords(i, coords)
		c := showCell{Codes: make([]string, len(coords)), Text: d.Text[i], Status: d.CellStatus(i)}
		for k, p := range coords {
			c.Codes[k] = d.Dimensions[k].Categories[p].Code
		}
		if v, ok := d.Value(i); ok {
			c.Value = &v
		}
		doc.Cells[i] = c
	}
	return doc
}

// notStored says that a table is not stored and what to do. Only an id
// that looks like SSB's (digits only) gets `grunnlag sync ID`: for another
// id a sync from SSB would fail too.
func notStored(id string) string {
	msg := fmt.Sprintf("Tabell %s er ikke lagret i databasen. «grunnlag tables» viser tabellene som er lagret.", id)
	if strings.Trim(id, "0123456789") == "" {
		return msg + fmt.Sprintf(" Hent den fra SSB med «grunnlag sync %s», eller importer en nedlastet fil med «grunnlag import FIL».", id)
	}
	return msg + " SSBs tabeller har bare sifre (som 12041); en tabell fra en annen PxWeb-tjeneste hentes med «grunnlag sync --base-url ADRESSE ID» eller importeres med «grunnlag import FIL»."
}

// origin says in bokmål where a snapshot came from, without the request
// URL or the folders of an imported file.
func origin(src string) string {
	if strings.HasPrefix(src, "https://") || strings.HasPrefix(src, "http://") {
		first, _, _ := strings.Cut(src, " ")
		if u, err := url.Parse(first); err == nil && u.Host != "" {
			return "hentet fra " + u.Host
		}
	}
	if src == "" {
		return "ukjent opphav"
	}
	return "importert fra filen «" + filepath.Base(src) + "»"
}

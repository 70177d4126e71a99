package catalog

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	"github.com/grunnlag/grunnlag/internal/fault"
	"github.com/grunnlag/grunnlag/internal/store"
)

// DimensionReader gives the dimensions of a table's newest stored data
// (store.Store does).
type DimensionReader interface {
	LatestDimensions(ctx context.Context, tableID string) (*store.Snapshot, error)
}

// StoreLoadFrom is StoreLoad with the words of each table's newest data in
// st (TableWords); a table not stored yet has none.
func (p *Pack) StoreLoadFrom(ctx context.Context, st DimensionReader, now time.Time) (store.CatalogLoad, error) {
	words := map[string]string{}
	for _, t := range p.Tables {
		s, err := st.LatestDimensions(ctx, t.ID)
		switch {
		case fault.Is(err, fault.NotFound):
			continue
		case err != nil:
			return store.CatalogLoad{}, err
		}
		words[t.ID] = TableWords(s.Data)
	}
	return p.StoreLoad(now, words)
}

// StoreLoad returns the pack as the store keeps it: every searchable entry
// with its text and JSON, and a digest that changes whenever any entry, its
// origin or the list of packs changes, so loading the same pack again is a
// no-op. Nothing in it depends on where the pack's folders lie on disk: the
// same pack from another checkout or machine has the same digest.
//
// tableWords adds to a table's text the words of its stored data, by
// table id (TableWords); they count in the digest, so a table whose
// labels changed is indexed anew.
func (p *Pack) StoreLoad(now time.Time, tableWords map[string]string) (store.CatalogLoad, error) {
	load := store.CatalogLoad{LoadedAt: now.UTC()}
	h := sha256.New()
	for _, info := range p.Packs {
		load.Packs = append(load.Packs, info.Name)
		fmt.Fprintf(h, "pack %s\n", info.Name)
	}
	for _, e := range p.Searchable() {
		data, err := json.Marshal(e)
		if err != nil {
			return store.CatalogLoad{}, fmt.Errorf("%s: %w", e.Ref(), err)
		}
		o := e.Provenance()
		ref := e.Ref()
		text := e.SearchText()
		if w := tableWords[ref.ID]; ref.Kind == KindTable && w != "" {
			text += "\n" + w
			fmt.Fprintf(h, "words %s %q\n", ref.ID, w)
		}
		load.Entries = append(load.Entries, store.CatalogEntry{
			Kind:    string(ref.Kind),
			ID:      ref.ID,
			Summary: e.Summary(),
			Text:    text,
			Pack:    o.Pack,
			File:    o.File,
			Line:    o.Line,
			Data:    data,
		})
		fmt.Fprintf(h, "%s %s:%d\n", ref, o.File, o.Line)
		h.Write(data)
		h.Write([]byte{'\n'})
	}
	load.Digest = hex.EncodeToString(h.Sum(nil))
	return load, nil
}

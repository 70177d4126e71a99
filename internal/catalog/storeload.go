package catalog

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	"github.com/grunnlag/grunnlag/internal/store"
)

// StoreLoad returns the pack as the store keeps it: every searchable entry
// with its text and JSON, and a digest that changes whenever any entry, its
// origin or the list of packs changes, so loading the same pack again is a
// no-op. Nothing in it depends on where the pack's folders lie on disk: the
// same pack from another checkout or machine has the same digest.
func (p *Pack) StoreLoad(now time.Time) (store.CatalogLoad, error) {
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
		load.Entries = append(load.Entries, store.CatalogEntry{
			Kind:    string(ref.Kind),
			ID:      ref.ID,
			Summary: e.Summary(),
			Text:    e.SearchText(),
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

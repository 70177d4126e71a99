package store

import (
	"encoding/json"
	"fmt"

	"github.com/grunnlag/grunnlag/internal/fault"
)

// Validate refuses a load that a store cannot keep, with an error of kind
// fault.Invalid: no digest, an entry without kind or id, two entries with
// the same kind and id, Data that is not JSON, a negative line, or text that
// is not valid UTF-8 or holds a NUL character. Every store calls it first in
// ReplaceCatalog, so a refused load leaves the stored pack as it was.
func (l *CatalogLoad) Validate() error {
	if l.Digest == "" {
		return fault.Errorf(fault.Invalid, "catalog load has no digest")
	}
	c := textCheck{}
	c.str("catalog digest", l.Digest)
	c.strs("catalog pack name", l.Packs)
	if c.err != nil {
		return fault.E(fault.Invalid, c.err)
	}
	type key struct{ kind, id string }
	seen := make(map[key]int, len(l.Entries))
	for i := range l.Entries {
		e := &l.Entries[i]
		if e.Kind == "" || e.ID == "" {
			return fault.Errorf(fault.Invalid, "catalog entry %d (%s:%d) has no kind or id", i, e.File, e.Line)
		}
		if j, dup := seen[key{e.Kind, e.ID}]; dup {
			f := &l.Entries[j]
			return fault.Errorf(fault.Invalid, "catalog entry %s %s appears twice (%s:%d and %s:%d)",
				e.Kind, e.ID, f.File, f.Line, e.File, e.Line)
		}
		seen[key{e.Kind, e.ID}] = i
		if e.Line < 0 {
			return fault.Errorf(fault.Invalid, "catalog entry %s %s: line %d", e.Kind, e.ID, e.Line)
		}
		if len(e.Data) > 0 && !json.Valid(e.Data) {
			return fault.Errorf(fault.Invalid, "catalog entry %s %s: data is not JSON", e.Kind, e.ID)
		}
		for _, f := range []struct{ what, s string }{
			{"kind", e.Kind}, {"id", e.ID}, {"summary", e.Summary}, {"text", e.Text},
			{"pack", e.Pack}, {"file", e.File},
		} {
			c.str(f.what, f.s)
		}
		c.raw("data", e.Data)
		if c.err != nil {
			return fault.E(fault.Invalid, fmt.Errorf("catalog entry %s %s: %w", e.Kind, e.ID, c.err))
		}
	}
	return nil
}

package ingest

import "github.com/grunnlag/grunnlag/internal/jsonstat"

// spellOutStatus turns a blanket status (d.StatusAll) into one entry per
// cell of d.Status, the only form the store keeps today, so that no status
// is lost on the way in. The decoder keeps it as one value; this is the one
// place it is multiplied, bounded by the cells the decode limits allow.
//
// Interim: once the store keeps StatusAll (or reads CellStatus), this goes.
func spellOutStatus(d *jsonstat.Dataset) {
	if d == nil || d.StatusAll == "" || d.Values == nil {
		return
	}
	st := make(map[int]string, len(d.Values))
	for i := range d.Values {
		sym, ok := d.Status[i]
		if !ok {
			sym = d.StatusAll
		}
		if sym != "" {
			st[i] = sym
		}
	}
	d.Status, d.StatusAll = st, ""
}

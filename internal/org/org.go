// Package org keeps the organisations grunnlag serves as data: the
// municipalities and county municipalities of the knowledge pack's
// registers, stored and kept current in the store, beside the IT providers
// and regional networks an administrator adds.
package org

import (
	"context"
	"fmt"
	"time"

	"github.com/grunnlag/grunnlag/internal/catalog"
	"github.com/grunnlag/grunnlag/internal/fault"
	"github.com/grunnlag/grunnlag/internal/store"
)

// FromRegisters returns the municipalities and county municipalities of
// the pack's registers valid in year, as organisations. Organisation
// numbers are left empty: no register at hand gives them, and one is never
// invented.
func FromRegisters(pack *catalog.Pack, year int) ([]store.Organisation, error) {
	var out []store.Organisation
	for _, unit := range []catalog.RegisterUnit{catalog.RegisterMunicipalities, catalog.RegisterCounties} {
		r, ok := pack.RegisterFor(unit, year)
		if !ok {
			return nil, fault.Errorf(fault.Invalid, "the pack has no register of %s valid in %d", unit, year)
		}
		kind := store.Municipality
		if unit == catalog.RegisterCounties {
			kind = store.County
		}
		for _, a := range r.Areas {
			out = append(out, store.Organisation{
				Code: a.Code, Kind: kind, Name: a.Name, County: a.Parent, Population: a.Population, Source: r.ID,
			})
		}
	}
	return out, nil
}

// Sync stores the registers' organisations valid at now (see
// store.Accounts.SyncOrganisations).
func Sync(ctx context.Context, st store.Accounts, pack *catalog.Pack, now time.Time) (added, changed int, err error) {
	orgs, err := FromRegisters(pack, now.Year())
	if err != nil {
		return 0, 0, err
	}
	added, changed, err = st.SyncOrganisations(ctx, orgs, now)
	if err != nil {
		return 0, 0, fmt.Errorf("organisations from the registers: %w", err)
	}
	return added, changed, nil
}

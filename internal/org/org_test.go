package org_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/grunnlag/grunnlag/data"
	"github.com/grunnlag/grunnlag/internal/catalog"
	"github.com/grunnlag/grunnlag/internal/org"
	"github.com/grunnlag/grunnlag/internal/store"
	"github.com/grunnlag/grunnlag/internal/store/sqlstore"
)

func TestFromRegisters(t *testing.T) {
	pack, err := catalog.LoadDirs(catalog.Dir{FS: data.FS, Path: ".", Name: "grunnlag"})
	if err != nil {
		t.Fatal(err)
	}
	orgs, err := org.FromRegisters(pack, 2026)
	if err != nil {
		t.Fatal(err)
	}
	n := map[store.OrgKind]int{}
	byCode := map[string]store.Organisation{}
	for _, o := range orgs {
		n[o.Kind]++
		byCode[o.Code] = o
		if o.OrgNumber != "" {
			t.Errorf("%s has organisation number %q, which no register gives", o.Code, o.OrgNumber)
		}
	}
	if n[store.Municipality] != 357 || n[store.County] != 15 {
		t.Errorf("FromRegisters(2026) = %v, want 357 municipalities and 15 county municipalities", n)
	}
	if o := byCode["4601"]; o.Name != "Bergen" || o.County != "46" || o.Population == 0 {
		t.Errorf("4601 = %+v, want Bergen in county 46 with its population", o)
	}
	if o := byCode["03"]; o.Kind != store.County || o.Name != "Oslo" {
		t.Errorf("03 = %+v, want the county municipality Oslo", o)
	}
	old, err := org.FromRegisters(pack, 2021)
	if err != nil || len(old) != 356+11 {
		t.Errorf("FromRegisters(2021) = %d organisations, %v, want 356 + 11", len(old), err)
	}
	if _, err := org.FromRegisters(pack, 2015); err == nil {
		t.Errorf("FromRegisters(2015) = nil error, want no register")
	}

	ctx := context.Background()
	st, err := sqlstore.Open(ctx, filepath.Join(t.TempDir(), "g.db"), sqlstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	now := time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)
	if added, _, err := org.Sync(ctx, st, pack, now); err != nil || added != 372 {
		t.Errorf("Sync() = %d added, %v, want 372", added, err)
	}
	if added, changed, err := org.Sync(ctx, st, pack, now); err != nil || added+changed != 0 {
		t.Errorf("Sync() again = %d, %d, %v, want nothing", added, changed, err)
	}
}

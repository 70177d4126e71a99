package storetest

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/grunnlag/grunnlag/internal/fault"
	"github.com/grunnlag/grunnlag/internal/store"
)

// constructedCatalog returns a knowledge pack made up for these tests: the
// texts read like the pack's, but no entry is a real document or finding.
func constructedCatalog() store.CatalogLoad {
	entry := func(kind, id, summary, text string, line int) store.CatalogEntry {
		return store.CatalogEntry{
			Kind: kind, ID: id, Summary: summary, Text: text,
			Pack: "konstruert", File: kind + "s.yaml", Line: line,
			Data: []byte(`{"id": "` + id + `", "constructed": true,` + "\n" + `"tekst": "æøå"}`),
		}
	}
	return store.CatalogLoad{
		Digest:   strings.Repeat("a1", 32),
		Packs:    []string{"konstruert", "regionalt nettverk (konstruert)"},
		LoadedAt: fetchedAt(5),
		Entries: []store.CatalogEntry{
			entry("document", "nsm-grunnprinsipper", "NSM Grunnprinsipper (konstruert)",
				"NSM Grunnprinsipper for IKT-sikkerhet: Patch-rutiner og oppdatering av programvare.", 3),
			entry("finding", "patch-rutiner", "Kommuner uten patcherutine (konstruert)",
				"Over 60 kommuner har ingen rutine for å installere sikkerhetspatcher.", 10),
			entry("activity", "beredskap-2022", "Beredskapsøvelse (konstruert)",
				"Beredskapsøvelse med kommunene i Vestland, høsten 2022.", 4),
			entry("need", "ovelser", "Flere øvelser (konstruert)",
				"Kommunene trenger flere øvelser og penetrasjonstester.", 7),
			entry("document", "veileder", "Veileder (konstruert)",
				"Veileder fra nsm om logging, for Tromsø og Bærum.", 20),
			entry("finding", "lang-tekst", "Lang tekst (konstruert)",
				strings.Repeat("Dette er fylltekst uten treff. ", 20)+"Til slutt: varsling av hendelser.\n\n"+
					strings.Repeat("Mer fylltekst etterpå. ", 20), 30),
			entry("finding", "ros", "ROS-analyse (konstruert)",
				"Helhetlig ROS-analyse er oppdatert i 80 prosent av tilfellene.", 40),
			entry("finding", "prosess", "Prosess (konstruert)",
				"En prosess for sikkerhetskopiering, målt i prosent.", 50),
		},
	}
}

// otherCatalog returns a second constructed pack that changes one entry of
// constructedCatalog, drops the others and adds one.
func otherCatalog() store.CatalogLoad {
	load := constructedCatalog()
	load.Digest = strings.Repeat("b2", 32)
	load.Packs = []string{"konstruert"}
	load.LoadedAt = fetchedAt(90)
	changed := load.Entries[1]
	changed.Text = "Over 70 kommuner har nå rutiner for oppdateringer (endret)."
	changed.Data = []byte(`{"id":"patch-rutiner","endret":true}`)
	load.Entries = []store.CatalogEntry{changed, {
		Kind: "need", ID: "kompetanse", Summary: "Kompetanse (konstruert)",
		Text: "Behov for kompetanse på hendelseshåndtering.", Pack: "konstruert", File: "needs.yaml", Line: 2,
	}}
	return load
}

// catalogView is everything a reader can see of the stored pack.
type catalogView struct {
	Info    *store.CatalogInfo
	Entries []store.CatalogEntry
	Hits    map[string][][]string // query: kind/id of each hit, by tier (see tiers)
}

// probeQueries are the searches catalogView runs.
var probeQueries = []string{"patch", "kommuner", "øvelse", "kompetanse", "nsm"}

func viewCatalog(t *testing.T, st store.Archive) catalogView {
	t.Helper()
	ctx := context.Background()
	var v catalogView
	info, err := st.CatalogInfo(ctx)
	switch {
	case err == nil:
		v.Info = &info
	case !fault.Is(err, fault.NotFound):
		t.Fatalf("CatalogInfo() = %v", err)
	}
	if v.Entries, err = st.CatalogEntries(ctx, ""); err != nil {
		t.Fatalf("CatalogEntries(\"\") = %v", err)
	}
	v.Hits = map[string][][]string{}
	for _, q := range probeQueries {
		hits, err := st.SearchCatalog(ctx, q, 0)
		if err != nil {
			t.Fatalf("SearchCatalog(%q, 0) = %v", q, err)
		}
		v.Hits[q] = tiers(hits)
	}
	return v
}

// wantView returns what viewCatalog must show once load is stored, hits
// left out.
func wantView(load store.CatalogLoad) catalogView {
	info := store.CatalogInfo{Digest: load.Digest, Packs: load.Packs, LoadedAt: load.LoadedAt.UTC(), Entries: len(load.Entries)}
	return catalogView{Info: &info, Entries: load.Entries}
}

func sameCatalog(t *testing.T, what string, want, got catalogView) {
	t.Helper()
	if diff := cmp.Diff(want.Info, got.Info); diff != "" {
		t.Errorf("%s: CatalogInfo() mismatch (-want +got):\n%s", what, diff)
	}
	if diff := cmp.Diff(want.Entries, got.Entries); diff != "" {
		t.Errorf("%s: CatalogEntries(\"\") mismatch (-want +got):\n%s", what, diff)
	}
	if want.Hits != nil {
		if diff := cmp.Diff(want.Hits, got.Hits); diff != "" {
			t.Errorf("%s: search hits mismatch (-want +got):\n%s", what, diff)
		}
	}
}

// testCatalog stores, re-stores and replaces a pack.
func testCatalog(t *testing.T, st store.Archive) {
	ctx := context.Background()
	if _, err := st.CatalogInfo(ctx); !fault.Is(err, fault.NotFound) {
		t.Errorf("CatalogInfo() before any load = %v, want kind %v", err, fault.NotFound)
	}
	empty := viewCatalog(t, st)
	if len(empty.Entries) != 0 || len(empty.Hits["nsm"][0]) != 0 {
		t.Errorf("before any load: %d entries, hits %v, want none", len(empty.Entries), empty.Hits)
	}

	first := constructedCatalog()
	replaceCatalog(t, st, first, true)
	sameCatalog(t, "after the first load", wantView(first), viewCatalog(t, st))

	// The same digest again: nothing changes, even if the entries differ
	// (the digest is the pack's identity).
	again := constructedCatalog()
	again.LoadedAt = fetchedAt(60)
	again.Entries = again.Entries[:1]
	replaceCatalog(t, st, again, false)
	sameCatalog(t, "after a load with the same digest", wantView(first), viewCatalog(t, st))

	byKind, err := st.CatalogEntries(ctx, "finding")
	if err != nil {
		t.Fatalf("CatalogEntries(finding) = %v", err)
	}
	if diff := cmp.Diff([]store.CatalogEntry{first.Entries[1], first.Entries[5], first.Entries[6], first.Entries[7]}, byKind); diff != "" {
		t.Errorf("CatalogEntries(finding) mismatch (-want +got):\n%s", diff)
	}
	if none, err := st.CatalogEntries(ctx, "theme"); err != nil || len(none) != 0 {
		t.Errorf("CatalogEntries(theme) = %v, %v, want none, nil", none, err)
	}

	// A new pack replaces the old one whole: old entries are gone, from
	// the list and from the search.
	second := otherCatalog()
	replaceCatalog(t, st, second, true)
	want := wantView(second)
	want.Hits = map[string][][]string{
		"patch":      {{}, {}},
		"kommuner":   {{"finding/patch-rutiner"}, {}},
		"øvelse":     {{}, {}},
		"kompetanse": {{"need/kompetanse"}, {}},
		"nsm":        {{}, {}},
	}
	sameCatalog(t, "after a new pack", want, viewCatalog(t, st))
}

// testCatalogRefused offers loads the store must refuse, and cuts a load off
// at many points; each leaves the stored pack as it was.
func testCatalogRefused(t *testing.T, st store.Archive) {
	ctx := context.Background()
	stored := constructedCatalog()
	replaceCatalog(t, st, stored, true)
	before := viewCatalog(t, st)

	tests := []struct {
		name   string
		change func(l *store.CatalogLoad)
	}{
		{"duplicate kind and id", func(l *store.CatalogLoad) { l.Entries = append(l.Entries, l.Entries[2]) }},
		{"no digest", func(l *store.CatalogLoad) { l.Digest = "" }},
		{"no kind", func(l *store.CatalogLoad) { l.Entries[1].Kind = "" }},
		{"no id", func(l *store.CatalogLoad) { l.Entries[1].ID = "" }},
		{"data not JSON", func(l *store.CatalogLoad) { l.Entries[0].Data = []byte(`{"id":`) }},
		{"NUL in text", func(l *store.CatalogLoad) { l.Entries[3].Text = "før\x00etter" }},
		{"text not UTF-8", func(l *store.CatalogLoad) { l.Entries[3].Summary = "\xff\xfe" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := otherCatalog()
			l.Entries = append(l.Entries, constructedCatalog().Entries[2:]...)
			tt.change(&l)
			replaced, err := st.ReplaceCatalog(ctx, l)
			wantKind(t, "ReplaceCatalog()", err, fault.Invalid)
			if replaced {
				t.Errorf("ReplaceCatalog() replaced = true, want false")
			}
			sameCatalog(t, "after a refused load", before, viewCatalog(t, st))
		})
	}

	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := st.ReplaceCatalog(cancelled, otherCatalog()); !isContextErr(err) {
		t.Errorf("ReplaceCatalog(cancelled context) = %v, want context.Canceled", err)
	}
	sameCatalog(t, "after a load with a cancelled context", before, viewCatalog(t, st))

	// Cut a large load off at many points of its work (see testCancelled).
	big := largeCatalog(300)
	probe := newCountdown(-1)
	if _, err := st.ReplaceCatalog(probe, big); err != nil {
		t.Fatalf("ReplaceCatalog(probe) = %v", err)
	}
	total := probe.Calls()
	replaceCatalog(t, st, stored, true)
	for _, n := range cutPoints(total) {
		replaced, err := st.ReplaceCatalog(newCountdown(n), big)
		if err == nil {
			// See testCancelled.
			if n < total/2 {
				t.Errorf("ReplaceCatalog(cut after %d of about %d calls of Done) = nil error, want context.Canceled", n, total)
			}
			replaceCatalog(t, st, stored, true)
			break
		}
		if !isContextErr(err) || replaced {
			t.Errorf("ReplaceCatalog(cut after %d of %d) = %v, %v, want false, context.Canceled", n, total, replaced, err)
		}
		sameCatalog(t, fmt.Sprintf("after a load cut after %d of %d", n, total), before, viewCatalog(t, st))
	}
}

// largeCatalog returns a constructed pack of n entries.
func largeCatalog(n int) store.CatalogLoad {
	load := store.CatalogLoad{Digest: strings.Repeat("c3", 32), Packs: []string{"stor (konstruert)"}, LoadedAt: fetchedAt(7)}
	for i := range n {
		id := strconv.Itoa(i)
		load.Entries = append(load.Entries, store.CatalogEntry{
			Kind: "finding", ID: "f" + id, Summary: "Funn " + id + " (konstruert)",
			Text: "Konstruert funn nummer " + id + " om sikkerhetskultur, øvelser og kompetanse i kommunene.",
			Pack: "stor", File: "findings.yaml", Line: 1 + 5*i, Data: []byte(`{"n":` + id + `}`),
		})
	}
	return load
}

func replaceCatalog(t *testing.T, st store.Archive, load store.CatalogLoad, want bool) {
	t.Helper()
	replaced, err := st.ReplaceCatalog(context.Background(), load)
	if err != nil {
		t.Fatalf("ReplaceCatalog(%s…) = %v", load.Digest[:6], err)
	}
	if replaced != want {
		t.Fatalf("ReplaceCatalog(%s…) replaced = %v, want %v", load.Digest[:6], replaced, want)
	}
}

// testCatalogConcurrent loads the same pack from several goroutines at
// once, as processes that start together do: one replaces, the others find
// it stored.
func testCatalogConcurrent(t *testing.T, st store.Archive) {
	const loaders = 4
	var (
		wg       sync.WaitGroup
		replaced [loaders]bool
		errs     [loaders]error
	)
	start := make(chan struct{})
	for i := range loaders {
		wg.Add(1)
		go func() {
			defer wg.Done()
			load := constructedCatalog()
			<-start
			replaced[i], errs[i] = st.ReplaceCatalog(context.Background(), load)
		}()
	}
	close(start)
	wg.Wait()
	n := 0
	for i := range loaders {
		if errs[i] != nil {
			t.Fatalf("loader %d: ReplaceCatalog() = %v", i, errs[i])
		}
		if replaced[i] {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d loaders of the same pack at once: %d replaced, want 1", loaders, n)
	}
	sameCatalog(t, "after concurrent loads", wantView(constructedCatalog()), viewCatalog(t, st))
}

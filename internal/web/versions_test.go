package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/grunnlag/grunnlag/internal/analysis/analysistest"
	"github.com/grunnlag/grunnlag/internal/store"
)

// addVersion stores a second version of table 13615: the recorded SSB
// data with three cells changed by the test (constructed, and labelled so
// in its title and source), fetched a day after the first.
func addVersion(t *testing.T, e *env) (old, new int64) {
	t.Helper()
	ctx := context.Background()
	snap, err := e.st.LatestSnapshot(ctx, "13615")
	if err != nil {
		t.Fatal(err)
	}
	d := snap.Data
	// Bilbensin in agriculture, 2024: 381 → 400 (+19); Bilbensin at sea,
	// 2020: 4752 → 4700 (−52); Autodiesel in agriculture, 2020: 544 → 0.
	idx := func(p, n, year int) int { return d.Index(p, n, 0, year) }
	d.Values[idx(0, 0, 4)] = 400
	d.Values[idx(0, 1, 0)] = 4700
	d.Values[idx(1, 0, 0)] = 0
	next := &store.Snapshot{TableID: "13615", Title: snap.Title + " (konstruert endring)", Lang: snap.Lang, Updated: "2025-05-01T06:00:00Z",
		FetchedAt: analysistest.FetchedAt(2), Source: "/tmp/konstruert/13615-endret.json", SHA256: strings.Repeat("ab", 32), Data: d}
	if _, err := e.st.SaveSnapshot(ctx, next); err != nil {
		t.Fatal(err)
	}
	e.srv.cache.invalidate()
	return snap.ID, next.ID
}

func TestVersionsPage(t *testing.T) {
	e := newEnv(t)
	old, new := addVersion(t, e)
	resp, body := e.get(t, "/tabeller/13615/versjoner")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d:\n%s", resp.StatusCode, body)
	}
	doc := checkPage(t, "/tabeller/13615/versjoner", body)
	list := text(find(doc, "table", "versjoner")[0])
	for _, want := range []string{"importert fra filen «13615-endret.json»", "importert fra filen «pxweb_ssb-v2_13615_data-GET.json»", "1. mai 2025", "kl."} {
		if !strings.Contains(list, want) {
			t.Errorf("the list of versions lacks %q:\n%s", want, list)
		}
	}
	if strings.Contains(body, "/tmp/") || strings.Contains(body, "T06:00:00Z") {
		t.Error("the page shows a machine path or a raw timestamp")
	}
	if len(find(doc, "div", "sammenligning")) != 0 {
		t.Error("the page compares before anyone asked")
	}
	_, body = e.get(t, fmt.Sprintf("/tabeller/13615/versjoner?fra=%d&til=%d", old, new))
	doc = checkPage(t, "compare", body)
	if got := strings.TrimSpace(text(find(doc, "p", "sammendrag")[0])); got != "3 celler endret, 0 lagt til, 0 fjernet og 97 uendret." {
		t.Errorf("summary = %q", got)
	}
	changed := tableText(doc, "endret")
	want := []string{
		"Autodiesel Jordbruk, skogbruk og fiske Sal av petroleumsprodukt (inkl. iblanda bio) 2020 544 0 −544",
		"Bilbensin Sjøfart Sal av petroleumsprodukt (inkl. iblanda bio) 2020 4 752 4 700 −52",
		"Bilbensin Jordbruk, skogbruk og fiske Sal av petroleumsprodukt (inkl. iblanda bio) 2024 381 400 +19",
	}
	for i, w := range want {
		if i >= len(changed) || changed[i] != w {
			t.Errorf("changed row %d = %q, want %q (largest change first)", i, at(changed, i), w)
		}
	}
	resp, _ = e.get(t, "/tabeller/13615/versjoner?fra=999999")
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("an unknown version answers %d, want 400", resp.StatusCode)
	}
	resp, body = e.get(t, "/tabeller/99999/versjoner")
	if resp.StatusCode != http.StatusNotFound || !strings.Contains(body, "ingen lagrede versjoner") {
		t.Errorf("a table without versions answers %d", resp.StatusCode)
	}
}

func at(s []string, i int) string {
	if i < len(s) {
		return s[i]
	}
	return ""
}

// tableText returns the body rows of the table labelled by the element
// with the given id, each row's cells joined by spaces.
func tableText(doc *html.Node, id string) []string {
	var out []string
	walk(doc, func(n *html.Node) {
		if v, _ := attr(n, "aria-labelledby"); v != id {
			return
		}
		for _, tr := range find(n, "tr", "") {
			if len(find(tr, "td", "")) == 0 {
				continue
			}
			var cells []string
			for c := tr.FirstChild; c != nil; c = c.NextSibling {
				if c.Type == html.ElementNode {
					cells = append(cells, strings.TrimSpace(text(c)))
				}
			}
			out = append(out, strings.Join(cells, " "))
		}
	})
	return out
}

func TestAPIVersions(t *testing.T) {
	e := newEnv(t)
	old, new := addVersion(t, e)
	_, body := e.get(t, "/api/v1/tables/13615/versions")
	var vs []map[string]any
	if err := json.Unmarshal([]byte(body), &vs); err != nil {
		t.Fatal(err)
	}
	if len(vs) != 2 {
		t.Fatalf("%d versions, want 2", len(vs))
	}
	for _, k := range []string{"id", "table_id", "sha256", "fetched_at", "origin", "cells"} {
		if _, ok := vs[0][k]; !ok {
			t.Errorf("a version lacks %q: %v", k, vs[0])
		}
	}
	if vs[0]["source"] != "13615-endret.json" {
		t.Errorf("source = %v, want the file's name without its folders", vs[0]["source"])
	}
	_, body = e.get(t, fmt.Sprintf("/api/v1/tables/13615/versions/compare?from=%d&to=%d", old, new))
	var c apiComparison
	if err := json.Unmarshal([]byte(body), &c); err != nil {
		t.Fatal(err)
	}
	if c.Counts != (apiDiffCounts{Changed: 3, Same: 97}) || len(c.Changed) != 3 {
		t.Fatalf("counts = %+v, %d changed cells", c.Counts, len(c.Changed))
	}
	if first := c.Changed[0]; first.Change == nil || *first.Change != -544 || first.Old == nil || *first.Old.Value != 544 {
		t.Errorf("first change = %+v, want 544 → 0", first)
	}
	resp, body := e.get(t, "/api/v1/tables/12041/versions/compare")
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "bare én lagret versjon") {
		t.Errorf("comparing a table with one version: %d %s", resp.StatusCode, body)
	}
}

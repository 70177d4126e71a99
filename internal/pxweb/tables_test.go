package pxweb

import (
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/grunnlag/grunnlag/internal/fixtures"
	"github.com/grunnlag/grunnlag/internal/pxweb/pxwebtest"
)

func TestTablesPageFixture(t *testing.T) {
	// The recorded SCB listing decodes, and says there is more.
	data, err := fs.ReadFile(fixtures.FS, "pxweb/scb-v2/tables-page1.json")
	if err != nil {
		t.Fatal(err)
	}
	var p tablesPage
	if err := json.Unmarshal(data, &p); err != nil {
		t.Fatal(err)
	}
	if got := [4]int{p.Page.PageNumber, p.Page.PageSize, p.Page.TotalElements, p.Page.TotalPages}; got != [4]int{1, 20, 4246, 213} {
		t.Errorf("page = %v, want [1 20 4246 213]", got)
	}
	if !p.more() {
		t.Errorf("more() = false on page 1 of 213")
	}
	if len(p.Tables) != 20 {
		t.Fatalf("%d tables, want 20", len(p.Tables))
	}
	first := p.Tables[0]
	if first.ID != "TAB4707" || first.Updated != "2026-05-29T06:00:00Z" || first.TimeUnit != "Monthly" ||
		first.FirstPeriod != "2015M04" || len(first.VariableNames) != 4 || len(first.Paths) != 1 || len(first.Paths[0]) != 3 {
		t.Errorf("first table = %+v", first)
	}
	last := tablesPage{}
	last.Page.PageNumber, last.Page.TotalPages = 213, 213
	if last.more() {
		t.Errorf("more() = true on the last page")
	}
}

func TestTableFixture(t *testing.T) {
	data, err := fs.ReadFile(fixtures.FS, "pxweb/ssb-v2/05810/table.json")
	if err != nil {
		t.Fatal(err)
	}
	var got Table
	if err := json.Unmarshal(data, &got); err != nil {
		t.Fatal(err)
	}
	if got.ID != "05810" || got.Updated != "2025-02-25T07:00:00Z" || got.TimeUnit != "Annual" ||
		len(got.Paths) != 3 || got.Paths[2][0].ID != "in" || len(got.Links) != 4 || got.Discontinued != nil {
		t.Errorf("05810 = %+v", got)
	}
}

func TestTables(t *testing.T) {
	clock := newClock() // 2025-10-29T07:00:00Z
	s := pxwebtest.New(pxwebtest.WithPageSize(20), pxwebtest.WithClock(clock.Now))
	defer s.Close()
	for i := range 45 {
		tb := pxwebtest.ConstructedTable(fmt.Sprintf("9%04d", i), 1, 1, 1)
		if i%10 == 0 {
			tb.Updated = "2025-10-27T07:00:00Z" // recently published
		}
		s.AddTable(tb)
	}
	c := newTestClient(s, clock, nil)
	tests := []struct {
		name      string
		q         TablesQuery
		wantIDs   int
		wantPages []int
	}{
		{"all, three pages", TablesQuery{}, 45, []int{1, 2, 3}},
		{"updated in the past 7 days", TablesQuery{PastDays: 7}, 5, []int{1}},
		{"query", TablesQuery{Query: "90001"}, 1, []int{1}},
		{"page size", TablesQuery{PageSize: 40}, 45, []int{1, 2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s.ResetRequests()
			got, err := c.Tables(context.Background(), tt.q)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != tt.wantIDs {
				t.Errorf("Tables(%+v) = %d tables, want %d", tt.q, len(got), tt.wantIDs)
			}
			seen := map[string]bool{}
			for _, tb := range got {
				if seen[tb.ID] {
					t.Errorf("table %s listed twice", tb.ID)
				}
				seen[tb.ID] = true
			}
			var pages []int
			for _, r := range s.Requests() {
				if r.Endpoint == pxwebtest.Tables {
					n, _ := strconv.Atoi(r.Query.Get("pageNumber"))
					pages = append(pages, n)
				}
			}
			if !cmp.Equal(pages, tt.wantPages) {
				t.Errorf("pages asked = %v, want %v", pages, tt.wantPages)
			}
		})
	}
}

func TestTableAndMetadata(t *testing.T) {
	s := pxwebtest.New()
	defer s.Close()
	s.AddTable(fixtureTable(t, "pxweb/ssb-v2/03024/data-POST.json"))
	c := newTestClient(s, newClock(), nil)
	ctx := context.Background()
	tb, err := c.Table(ctx, "03024")
	if err != nil {
		t.Fatal(err)
	}
	want := Table{
		ID:            "03024",
		Label:         "03024: Export of salmon, fish-farm bred, by commodity group, contents and week",
		Updated:       "2025-10-29T07:00:00Z",
		FirstPeriod:   "2025U01",
		LastPeriod:    "2025U43",
		Category:      "public",
		VariableNames: []string{"commodity group", "contents", "week"},
		Source:        "Statistics Norway",
		TimeUnit:      "Weekly",
		Paths:         [][]PathItem{},
	}
	if diff := cmp.Diff(want, tb, cmp.FilterPath(func(p cmp.Path) bool { return p.Last().String() == ".Links" }, cmp.Ignore())); diff != "" {
		t.Errorf("Table(03024) (-want +got):\n%s", diff)
	}
	meta, body, err := c.Metadata(ctx, "03024")
	if err != nil {
		t.Fatal(err)
	}
	if meta.HasValues() || len(body) == 0 || fmt.Sprint(meta.Size()) != "[2 2 43]" {
		t.Errorf("Metadata(03024): values %v, %d bytes, size %v; want no values, size [2 2 43]", meta.HasValues(), len(body), meta.Size())
	}
	r := s.Requests()
	last := r[len(r)-1]
	if last.Query.Get("outputFormat") != "json-stat2" || last.Query.Get("lang") != "no" {
		t.Errorf("metadata query = %s, want lang=no and outputFormat=json-stat2", last.Query.Encode())
	}
}

package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/grunnlag/grunnlag/internal/fault"
	"github.com/grunnlag/grunnlag/internal/jsonstat"
	"github.com/grunnlag/grunnlag/internal/store"
)

func intp(i int) *int { return &i }

// constructed returns a snapshot made up for these tests that uses every
// field the rows keep: 2 × 3 cells, one missing with a status, one with a
// text and no value.
func constructed() *store.Snapshot {
	nan := math.NaN()
	return &store.Snapshot{
		TableID: "12041", Title: "Konstruert tabell", Lang: "no", Updated: "2025-10-29T07:00:00Z",
		FetchedAt: time.Date(2025, 10, 29, 8, 0, 0, 123456000, time.FixedZone("CET", 3600)),
		Source:    "https://example.invalid/12041",
		Raw:       [][]byte{[]byte(`{"constructed":true}`), {0x00, 0xff}},
		Data: &jsonstat.Dataset{
			Label: "Konstruert", Source: "Konstruert for tester", Updated: "2025-10-29", Href: "https://example.invalid/x",
			Note:      []string{"Konstruerte tall."},
			Extension: json.RawMessage(`{"px":  {"decimals": 1}}`),
			Role:      jsonstat.Role{Time: []string{"Tid"}, Geo: []string{"Region"}},
			Dimensions: []jsonstat.Dimension{
				{ID: "Region", Label: "region", Child: map[string][]string{"04+05": {"3201"}},
					Link: json.RawMessage(`{"a":[1]}`), Categories: []jsonstat.Category{
						{Code: "04+05", Label: "Aggregat", Note: []string{"konstruert"}},
						{Code: "3201", Label: "Bærum", Unit: &jsonstat.Unit{Label: "prosent", Decimals: intp(0)}},
					}},
				{ID: "Tid", Label: "år", Note: []string{"år"}, Categories: []jsonstat.Category{
					{Code: "2022", Label: "2022"}, {Code: "2023", Label: "2023"}, {Code: "2024", Label: "2024"},
				}},
			},
			Values: []float64{1.5, nan, 0, nan, -2, 1e300},
			Text:   map[int]string{3: "tekst"},
			Status: map[int]string{1: "..", 5: "r"},
		},
	}
}

// TestRoundTrip encodes a snapshot and reads it back the way a store does,
// row by row, without a database.
func TestRoundTrip(t *testing.T) {
	s := constructed()
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	rows, err := encode(s)
	if err != nil {
		t.Fatalf("encode() = %v", err)
	}

	head := rows.Snapshot
	head.ID = 7
	got, err := head.Snapshot()
	if err != nil {
		t.Fatalf("Snapshot() = %v", err)
	}
	for _, r := range rows.Dimensions {
		if err := r.AddTo(got); err != nil {
			t.Fatalf("dimensionRow.AddTo() = %v", err)
		}
	}
	for _, r := range rows.Categories {
		if err := r.AddTo(got); err != nil {
			t.Fatalf("categoryRow.AddTo() = %v", err)
		}
	}
	if err := checkShape(got); err != nil {
		t.Fatalf("checkShape() = %v", err)
	}
	for cells := newCells(s.Data); cells.Next(); {
		c := cells.Cell()
		r := cellRow{Index: c.Index}
		if v, ok := c.Value.(float64); ok {
			r.Value.Float64, r.Value.Valid = v, true
		}
		if v, ok := c.Text.(string); ok {
			r.Text.String, r.Text.Valid = v, true
		}
		if v, ok := c.Status.(string); ok {
			r.Status.String, r.Status.Valid = v, true
		}
		if err := r.AddTo(got); err != nil {
			t.Fatalf("cellRow.AddTo() = %v", err)
		}
	}
	var raw [][]byte
	for _, r := range rows.Raw {
		b, err := r.Decode()
		if err != nil {
			t.Fatalf("rawRow.Decode() = %v", err)
		}
		raw = append(raw, b)
	}

	want := *s
	want.ID, want.FetchedAt, want.Raw = 7, s.FetchedAt.UTC(), nil
	if diff := cmp.Diff(&want, got, cmpopts.EquateNaNs()); diff != "" {
		t.Errorf("read back mismatch (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(s.Raw, raw); diff != "" {
		t.Errorf("raw bodies read back mismatch (-want +got):\n%s", diff)
	}
}

func TestCells(t *testing.T) {
	var got []cellValues
	for cells := newCells(constructed().Data); cells.Next(); {
		got = append(got, *cells.Cell())
	}
	// Cell 1 is missing but has a status, cell 3 a text; none is skipped
	// but those without value, text or status, and there are none here.
	want := []cellValues{
		{Index: 0, Value: 1.5},
		{Index: 1, Status: ".."},
		{Index: 2, Value: 0.0},
		{Index: 3, Text: "tekst"},
		{Index: 4, Value: -2.0},
		{Index: 5, Value: 1e300, Status: "r"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Cells mismatch (-want +got):\n%s", diff)
	}

	bare := &jsonstat.Dataset{
		Dimensions: []jsonstat.Dimension{{ID: "x", Categories: make([]jsonstat.Category, 3)}},
		Values:     []float64{math.NaN(), 2, math.NaN()},
	}
	got = nil
	for cells := newCells(bare); cells.Next(); {
		got = append(got, *cells.Cell())
	}
	if diff := cmp.Diff([]cellValues{{Index: 1, Value: 2.0}}, got); diff != "" {
		t.Errorf("Cells(missing cells without status) mismatch (-want +got):\n%s", diff)
	}
}

// TestCorruptRows reads rows that no store writes: each is an error that
// says where, not a panic or a wrong snapshot.
func TestCorruptRows(t *testing.T) {
	read := func(t *testing.T) *store.Snapshot {
		t.Helper()
		rows, err := encode(constructed())
		if err != nil {
			t.Fatal(err)
		}
		rows.Snapshot.ID = 7
		s, err := rows.Snapshot.Snapshot()
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows.Dimensions {
			if err := r.AddTo(s); err != nil {
				t.Fatal(err)
			}
		}
		return s
	}
	tests := []struct {
		name string
		run  func(s *store.Snapshot) error
		want string
	}{
		{"dimension out of order", func(s *store.Snapshot) error {
			r := dimensionRow{Pos: 5, ID: "x"}
			return r.AddTo(s)
		}, "snapshot 7: dimension at position 5, want 2"},
		{"category of no dimension", func(s *store.Snapshot) error {
			r := categoryRow{DimPos: 2, Pos: 0}
			return r.AddTo(s)
		}, "snapshot 7: category at 2/0 out of order"},
		{"category skipped", func(s *store.Snapshot) error {
			r := categoryRow{DimPos: 0, Pos: 1}
			return r.AddTo(s)
		}, "snapshot 7: category at 0/1 out of order"},
		{"unit not JSON", func(s *store.Snapshot) error {
			r := categoryRow{DimPos: 0, Code: "0301", Unit: sql.NullString{String: "{", Valid: true}}
			return r.AddTo(s)
		}, "category 0301 unit: unexpected end of JSON input"},
		{"fewer cells than dimensions give", func(s *store.Snapshot) error {
			return checkShape(s) // no categories read: dimensions give 0 cells
		}, "snapshot 7: 6 cells stored, dimensions give 0"},
		{"cell outside", func(s *store.Snapshot) error {
			r := cellRow{Index: 0}
			return r.AddTo(s)
		}, "snapshot 7: cell 0 outside 0..-1"},
		{"raw body shorter than its size", func(*store.Snapshot) error {
			z, _ := compress([]byte("abc"))
			r := rawRow{Seq: 1, Size: 4, Body: z}
			_, err := r.Decode()
			return err
		}, "body 1: 3 bytes, stored size 4"},
		{"raw body not gzip", func(*store.Snapshot) error {
			r := rawRow{Seq: 0, Size: 3, Body: []byte("abc")}
			_, err := r.Decode()
			return err
		}, "body 0: unexpected EOF"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.run(read(t))
			if err == nil || err.Error() != tt.want {
				t.Errorf("got %v, want %q", err, tt.want)
			}
		})
	}
}

func TestMigrations(t *testing.T) {
	file := func(sql string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(sql)} }
	tests := []struct {
		name  string
		fsys  fstest.MapFS
		want  []migration
		error string
	}{
		{"in order of number, not of name", fstest.MapFS{
			"0002_b.sql": file("B"),
			"1_a.sql":    file("A"),
			"notes.txt":  file("not a migration"),
		}, []migration{{1, "1_a.sql", "A"}, {2, "0002_b.sql", "B"}}, ""},
		{"none", fstest.MapFS{}, nil, ""},
		{"gap", fstest.MapFS{
			"0001_a.sql": file("A"),
			"0003_c.sql": file("C"),
		}, nil, "migration 0003_c.sql: expected number 2"},
		{"no number", fstest.MapFS{"first.sql": file("A")}, nil,
			"migration first.sql: name must start with a number and '_'"},
		{"number zero", fstest.MapFS{"0000_a.sql": file("A")}, nil,
			"migration 0000_a.sql: name must start with a number and '_'"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := readMigrations(tt.fsys)
			if tt.error != "" {
				if err == nil || err.Error() != tt.error {
					t.Errorf("readMigrations() = %v, want error %q", err, tt.error)
				}
				return
			}
			if err != nil {
				t.Fatalf("readMigrations() = %v", err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("readMigrations() mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCheckVersion(t *testing.T) {
	if err := checkVersion(3, 3); err != nil {
		t.Errorf("checkVersion(3, 3) = %v, want nil", err)
	}
	err := checkVersion(4, 3)
	want := "database schema version 4 is newer than this grunnlag (knows 3); upgrade grunnlag"
	if fault.KindOf(err) != fault.Invalid || !strings.Contains(err.Error(), want) {
		t.Errorf("checkVersion(4, 3) = %v, want kind %v and %q", err, fault.Invalid, want)
	}
}

func TestContextErr(t *testing.T) {
	done, cancel := context.WithCancel(context.Background())
	cancel()
	driver := errors.New("interrupted")
	classified := fault.Errorf(fault.NotFound, "snapshot 1 does not exist")
	tests := []struct {
		name     string
		ctx      context.Context
		err      error
		canceled bool // the result is context.Canceled
		same     bool // the result is err itself
	}{
		{"nil", done, nil, false, true},
		{"live context", context.Background(), driver, false, true},
		{"driver error after cancel", done, driver, true, false},
		{"context error", done, context.Canceled, true, true},
		{"classified error", done, classified, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := contextErr(tt.ctx, tt.err)
			if errors.Is(got, context.Canceled) != tt.canceled || (got == tt.err) != tt.same {
				t.Errorf("contextErr(%v) = %v, want canceled %v, unchanged %v", tt.err, got, tt.canceled, tt.same)
			}
		})
	}
	if got := contextErr(done, driver); !strings.Contains(got.Error(), "interrupted") {
		t.Errorf("contextErr(driver error) = %q, want the driver's text kept", got)
	}
}

// TestRunSearch runs a search whose tiers hand in constructed rows.
func TestRunSearch(t *testing.T) {
	row := func(id, text string, rank float64) *hitRow {
		return &hitRow{Entry: store.CatalogEntry{Kind: "finding", ID: id, Text: text}, Words: store.SearchWords(text), Rank: rank}
	}
	var split *searchTiers
	run := func(s *searchTiers) error {
		split = s
		s.AddWord(row("a", "patch her", 2))
		s.AddWord(row("b", "patch der", 1))
		if !s.Inside() {
			return nil
		}
		// Load order; c has the term once, d twice.
		s.AddInside(row("c", "sikkerhetspatch", 0))
		s.AddInside(row("d", "sikkerhetspatch og hotpatch", 0))
		return nil
	}
	ids := func(hits []store.SearchHit) []string {
		var out []string
		for _, h := range hits {
			out = append(out, h.Entry.ID)
		}
		return out
	}
	tests := []struct {
		limit int
		want  []string
	}{
		{0, []string{"a", "b", "d", "c"}},
		{3, []string{"a", "b", "d"}},
		{2, []string{"a", "b"}},
	}
	for _, tt := range tests {
		hits, err := runSearch("Patch, ov", tt.limit, run)
		if err != nil {
			t.Fatalf("runSearch(limit %d) = %v", tt.limit, err)
		}
		if diff := cmp.Diff(tt.want, ids(hits)); diff != "" {
			t.Errorf("runSearch(limit %d) mismatch (-want +got):\n%s", tt.limit, diff)
		}
	}
	if diff := cmp.Diff([]string{"patch"}, split.Long); diff != "" {
		t.Errorf("runSearch() long terms mismatch (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"ov"}, split.Short); diff != "" {
		t.Errorf("runSearch() short terms mismatch (-want +got):\n%s", diff)
	}

	called := false
	hits, err := runSearch(" ,. ", 0, func(*searchTiers) error { called = true; return nil })
	if err != nil || hits == nil || len(hits) != 0 || called {
		t.Errorf("runSearch(no words) = %v, %v, ran the tiers %v; want an empty list, nil, false", hits, err, called)
	}
	failure := errors.New("tier failed")
	if _, err := runSearch("patch", 0, func(*searchTiers) error { return failure }); !errors.Is(err, failure) ||
		!strings.HasPrefix(err.Error(), `search "patch": `) {
		t.Errorf("runSearch(failing tier) = %v, want %q wrapped with the query", err, failure)
	}
}

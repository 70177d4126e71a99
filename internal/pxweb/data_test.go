package pxweb

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/grunnlag/grunnlag/internal/fault"
	"github.com/grunnlag/grunnlag/internal/jsonstat"
	"github.com/grunnlag/grunnlag/internal/pxweb/pxwebtest"
)

// The brief's expected cells of 03024 (docs/pxweb-brief.md §8 B), read
// through the fake server, the client and the project's decoder.
func TestData03024(t *testing.T) {
	s := pxwebtest.New()
	defer s.Close()
	s.AddTable(fixtureTable(t, "pxweb/ssb-v2/03024/data-POST.json"))
	c := newTestClient(s, newClock(), nil)
	d := fetchAll(t, c, "03024")
	ds := d.Dataset
	if got, want := ds.Size(), []int{2, 2, 43}; !cmp.Equal(got, want) {
		t.Fatalf("Size() = %v, want %v", got, want)
	}
	if ds.Updated != "2025-10-29T07:00:00Z" {
		t.Errorf("Updated = %q, want 2025-10-29T07:00:00Z", ds.Updated)
	}
	tests := []struct {
		codes []string
		want  float64
	}{
		{[]string{"01", "Vekt", "2025U01"}, 11364},
		{[]string{"01", "Kilopris", "2025U01"}, 125.36},
		{[]string{"02", "Vekt", "2025U01"}, 255},
		{[]string{"01", "Kilopris", "2025U42"}, 73.74},
		{[]string{"02", "Kilopris", "2025U43"}, 74.86},
	}
	for _, tt := range tests {
		if got, ok, _ := cell(t, ds, tt.codes...); !ok || got != tt.want {
			t.Errorf("cell %v = %v (present %v), want %v", tt.codes, got, ok, tt.want)
		}
	}
	units := ds.Dimension("ContentsCode").Categories
	if u := units[0].Unit; u == nil || u.Decimals == nil || *u.Decimals != 0 || u.Label != "tonnes" {
		t.Errorf("Vekt unit = %+v, want tonnes with 0 decimals", u)
	}
	if u := units[1].Unit; u == nil || u.Decimals == nil || *u.Decimals != 2 || u.Label != "NOK" {
		t.Errorf("Kilopris unit = %+v, want NOK with 2 decimals", u)
	}
	if len(d.Bodies) != 1 || len(d.URLs) != 1 || d.Selections[0] != nil {
		t.Errorf("got %d bodies, %d URLs, selection %s; want one GET part", len(d.Bodies), len(d.URLs), d.Selections[0])
	}
	want := s.URL() + "/tables/03024/data?lang=no&outputFormat=json-stat2" +
		"&valueCodes%5BContentsCode%5D=%2A&valueCodes%5BTid%5D=%2A&valueCodes%5BVareGrupper2%5D=%2A"
	if d.URLs[0] != want {
		t.Errorf("URL = %s\nwant  %s", d.URLs[0], want)
	}
}

// The brief's expected cells of 13615 (§8 C): nulls with status ".".
func TestData13615Status(t *testing.T) {
	s := pxwebtest.New()
	defer s.Close()
	s.AddTable(fixtureTable(t, "pxweb/ssb-v2/13615/data-GET.json"))
	ds := fetchAll(t, newTestClient(s, newClock(), nil), "13615").Dataset
	if v, ok, st := cell(t, ds, "06", "01-03", "Petroleum", "2020"); ok || st != "." {
		t.Errorf("cell {06, 01-03, Petroleum, 2020} = %v %v %q, want missing with status .", v, ok, st)
	}
	if v, _, _ := cell(t, ds, "04+05", "50", "Petroleum", "2024"); v != 336 {
		t.Errorf("cell {04+05, 50, Petroleum, 2024} = %v, want 336", v)
	}
	if len(ds.Status) != 30 {
		t.Errorf("%d statuses, want 30", len(ds.Status))
	}
}

// unsplit fetches a table from a server without a cell limit.
func unsplit(t *testing.T, tb pxwebtest.Table) *jsonstat.Dataset {
	t.Helper()
	s := pxwebtest.New()
	defer s.Close()
	s.AddTable(tb)
	d := fetchAll(t, newTestClient(s, newClock(), nil), tb.ID)
	if len(d.Bodies) != 1 {
		t.Fatalf("unsplit fetch took %d parts", len(d.Bodies))
	}
	return d.Dataset
}

func TestSplitEqualsUnsplit(t *testing.T) {
	tests := []struct {
		name      string
		table     pxwebtest.Table
		opts      []pxwebtest.Option
		wantParts int
	}{
		{
			// 2400 cells; largest Statistikkvariabel (20), 120 cells per
			// value: 4 values per part, 5 parts.
			name:      "constructed, split on the largest variable",
			table:     pxwebtest.ConstructedTable("99001", 10, 4, 20),
			opts:      []pxwebtest.Option{pxwebtest.WithMaxCells(500)},
			wantParts: 5,
		},
		{
			// One value of Statistikkvariabel (120 cells) is over the limit,
			// so each is split again along Tid (10): 12 cells per year, 4
			// years per part, 3 parts per value.
			name:      "constructed, one value still too big",
			table:     pxwebtest.ConstructedTable("99001", 10, 4, 20),
			opts:      []pxwebtest.Option{pxwebtest.WithMaxCells(50)},
			wantParts: 60,
		},
		{
			name:      "ties go to time",
			table:     pxwebtest.ConstructedTable("99002", 6, 2, 6),
			opts:      []pxwebtest.Option{pxwebtest.WithMaxCells(100)},
			wantParts: 3,
		},
		{
			// 2772 cells; Region (21) has 132 cells per value: 7 per part.
			name:      "SCB TAB6471",
			table:     fixtureTable(t, "pxweb/scb-v2/TAB6471/data.json"),
			opts:      []pxwebtest.Option{pxwebtest.WithMaxCells(1000)},
			wantParts: 3,
		},
		{
			name:      "SSB 13615 with status",
			table:     fixtureTable(t, "pxweb/ssb-v2/13615/data-GET.json"),
			opts:      []pxwebtest.Option{pxwebtest.WithMaxCells(30)},
			wantParts: 4,
		},
		{
			// The server's real limit is lower than /config says; the
			// client halves what it refuses.
			name:  "server lies, 400 too many cells",
			table: pxwebtest.ConstructedTable("99001", 10, 4, 20),
			opts: []pxwebtest.Option{pxwebtest.WithMaxCells(500),
				pxwebtest.WithPublishedLimits(800_000, 0, 0)},
		},
		{
			name:  "server lies, 403 too many cells",
			table: fixtureTable(t, "pxweb/scb-v2/TAB6471/data.json"),
			opts: []pxwebtest.Option{pxwebtest.WithMaxCells(1000),
				pxwebtest.WithTooManyCellsStatus(403), pxwebtest.WithPublishedLimits(0, 0, 0)},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := unsplit(t, tt.table)
			s := pxwebtest.New(tt.opts...)
			defer s.Close()
			s.AddTable(tt.table)
			c := newTestClient(s, newClock(), nil)
			ctx := context.Background()
			meta, _, err := c.Metadata(ctx, tt.table.ID)
			if err != nil {
				t.Fatal(err)
			}
			var progress [][2]int
			d, err := c.Data(ctx, tt.table.ID, meta, func(done, total int) {
				progress = append(progress, [2]int{done, total})
			})
			if err != nil {
				t.Fatalf("Data: %v", err)
			}
			if diff := cmp.Diff(want, d.Dataset, cmpopts.EquateNaNs()); diff != "" {
				t.Errorf("split fetch differs from unsplit (-unsplit +split):\n%s", diff)
			}
			if tt.wantParts > 0 && len(d.Bodies) != tt.wantParts {
				t.Errorf("fetched in %d parts, want %d", len(d.Bodies), tt.wantParts)
			}
			if len(d.URLs) != len(d.Bodies) || len(progress) != len(d.Bodies) {
				t.Errorf("%d URLs, %d progress calls for %d parts", len(d.URLs), len(progress), len(d.Bodies))
			}
			if last := progress[len(progress)-1]; last[0] != last[1] {
				t.Errorf("last progress = %v, want done == total", last)
			}
		})
	}
}

func TestLyingServerRequests(t *testing.T) {
	// 2400 cells, published 800 000, enforced 1000: the whole table is
	// refused, its halves (1200) too, the quarters (600) pass. Every refusal
	// is one request, so 1 + 2 + 4 data requests.
	tb := pxwebtest.ConstructedTable("99001", 10, 4, 20)
	s := pxwebtest.New(pxwebtest.WithMaxCells(1000), pxwebtest.WithPublishedLimits(800_000, 0, 0))
	defer s.Close()
	s.AddTable(tb)
	d := fetchAll(t, newTestClient(s, newClock(), nil), tb.ID)
	if len(d.Bodies) != 4 {
		t.Errorf("fetched in %d parts, want 4", len(d.Bodies))
	}
	// After the whole table is refused, the client caps parts at 2399
	// cells, so the second half is split before it is sent: 1 + 1 + 2 + 2.
	if got := s.Count(pxwebtest.Data); got != 6 {
		t.Errorf("server saw %d data requests, want 6", got)
	}
}

func TestDimensionOrderFollowsResponse(t *testing.T) {
	// Metadata and data may list dimensions in different orders; the result
	// follows the data response.
	tb := pxwebtest.ConstructedTable("99001", 3, 2, 4)
	want := unsplit(t, tb)
	s := pxwebtest.New(pxwebtest.WithMaxCells(20))
	defer s.Close()
	s.AddTable(tb)
	c := newTestClient(s, newClock(), nil)
	ctx := context.Background()
	meta, _, err := c.Metadata(ctx, tb.ID)
	if err != nil {
		t.Fatal(err)
	}
	for i, j := 0, len(meta.Dimensions)-1; i < j; i, j = i+1, j-1 {
		meta.Dimensions[i], meta.Dimensions[j] = meta.Dimensions[j], meta.Dimensions[i]
	}
	d, err := c.Data(ctx, tb.ID, meta, nil)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, d.Dataset, cmpopts.EquateNaNs()); diff != "" {
		t.Errorf("Data with reordered metadata differs (-want +got):\n%s", diff)
	}
}

func TestPOSTForLongSelections(t *testing.T) {
	t.Run("whole table over a short URL limit", func(t *testing.T) {
		s := pxwebtest.New()
		defer s.Close()
		s.AddTable(fixtureTable(t, "pxweb/ssb-v2/03024/data-POST.json"))
		d := fetchAll(t, newTestClient(s, newClock(), func(o *Options) { o.MaxURLLength = 60 }), "03024")
		want := `{"selection":[{"variableCode":"VareGrupper2","valueCodes":["*"]},` +
			`{"variableCode":"ContentsCode","valueCodes":["*"]},{"variableCode":"Tid","valueCodes":["*"]}]}`
		if got := string(d.Selections[0]); got != want {
			t.Errorf("POST body = %s\nwant        %s", got, want)
		}
		for _, r := range s.Requests() {
			if r.Endpoint == pxwebtest.Data && (r.Method != "POST" || r.Query.Get("outputFormat") != "json-stat2") {
				t.Errorf("data request %s %s?%s, want POST with outputFormat=json-stat2", r.Method, r.Path, r.Query.Encode())
			}
		}
	})
	t.Run("long code lists of split parts", func(t *testing.T) {
		// 600 variables of 4-character codes: a part of 300 codes needs
		// more than 2000 characters of query, so it goes as POST.
		tb := pxwebtest.ConstructedTable("99003", 1, 1, 600)
		want := unsplit(t, tb)
		s := pxwebtest.New(pxwebtest.WithMaxCells(900))
		defer s.Close()
		s.AddTable(tb)
		d := fetchAll(t, newTestClient(s, newClock(), nil), tb.ID)
		if diff := cmp.Diff(want, d.Dataset, cmpopts.EquateNaNs()); diff != "" {
			t.Errorf("POSTed parts differ from unsplit (-want +got):\n%s", diff)
		}
		methods := map[string]int{}
		for _, r := range s.Requests() {
			if r.Endpoint == pxwebtest.Data {
				methods[r.Method]++
				if r.Method == "POST" && len(r.Body) == 0 {
					t.Errorf("POST without a body")
				}
			}
		}
		if methods["POST"] != 2 || methods["GET"] != 0 {
			t.Errorf("data requests by method = %v, want 2 POST", methods)
		}
		var body postBody
		if err := json.Unmarshal(d.Selections[1], &body); err != nil {
			t.Fatal(err)
		}
		if got := body.Selection[1].ValueCodes; len(got) != 300 || got[0] != "V301" {
			t.Errorf("second part selects %d variables from %v, want 300 from V301", len(got), got[:1])
		}
	})
}

func TestDataRejects(t *testing.T) {
	tests := []struct {
		name     string
		setup    func(s *pxwebtest.Server)
		meta     func(meta *jsonstat.Dataset)
		progress func(s *pxwebtest.Server) func(done, total int)
		wantKind fault.Kind
		wantText string
	}{
		{
			name: "part without values",
			setup: func(s *pxwebtest.Server) {
				s.Inject(pxwebtest.Fault{Kind: pxwebtest.EmptyValues, Path: "/tables/*/data"})
			},
			wantKind: fault.Invalid,
			wantText: "/tables/99001/data: response has no values",
		},
		{
			name: "size disagrees with value",
			setup: func(s *pxwebtest.Server) {
				s.Inject(pxwebtest.Fault{Kind: pxwebtest.SizeMismatch, Path: "/tables/*/data"})
			},
			wantKind: fault.Invalid,
			// The first of 5 parts of 480 cells.
			wantText: "/tables/99001/data: value: 479 entries, size says 480",
		},
		{
			name: "invalid JSON",
			setup: func(s *pxwebtest.Server) {
				s.Inject(pxwebtest.Fault{Kind: pxwebtest.InvalidJSON, Path: "/tables/*/data"})
			},
			wantKind: fault.Invalid,
			wantText: "unexpected end of input",
		},
		{
			name: "categories differ from the metadata",
			meta: func(meta *jsonstat.Dataset) {
				d := meta.Dimension("Tid")
				d.Categories = d.Categories[:len(d.Categories)-1]
			},
			wantKind: fault.Invalid,
			wantText: "dimension Tid: response has 10 categories, asked for 9",
		},
		{
			name: "table updated between parts",
			progress: func(s *pxwebtest.Server) func(int, int) {
				return func(done, _ int) {
					if done == 1 {
						s.SetUpdated("99001", "2025-11-01T07:00:00Z")
					}
				}
			},
			wantKind: fault.Conflict,
			wantText: "table was updated while its parts were fetched (2025-01-01T07:00:00Z, then 2025-11-01T07:00:00Z)",
		},
		{
			name: "too many cells even for one cell",
			setup: func(s *pxwebtest.Server) {
				s.Inject(pxwebtest.Fault{Kind: pxwebtest.StatusFault, Path: "/tables/*/data", Status: 403})
			},
			wantKind: fault.Invalid,
			wantText: "403 Forbidden",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := pxwebtest.New(pxwebtest.WithMaxCells(500))
			defer s.Close()
			s.AddTable(pxwebtest.ConstructedTable("99001", 10, 4, 20))
			c := newTestClient(s, newClock(), nil)
			ctx := context.Background()
			meta, _, err := c.Metadata(ctx, "99001")
			if err != nil {
				t.Fatal(err)
			}
			if tt.setup != nil {
				tt.setup(s)
			}
			if tt.meta != nil {
				tt.meta(meta)
			}
			var progress func(int, int)
			if tt.progress != nil {
				progress = tt.progress(s)
			}
			d, err := c.Data(ctx, "99001", meta, progress)
			if err == nil {
				t.Fatalf("Data = %d cells, want an error", d.Dataset.Len())
			}
			if got := fault.KindOf(err); got != tt.wantKind || !strings.Contains(err.Error(), tt.wantText) {
				t.Errorf("Data error = %v (%v), want %v containing %q", err, got, tt.wantKind, tt.wantText)
			}
		})
	}
}

func TestMergeMissingParts(t *testing.T) {
	tb := pxwebtest.ConstructedTable("99001", 10, 4, 20)
	s := pxwebtest.New()
	defer s.Close()
	s.AddTable(tb)
	c := newTestClient(s, newClock(), nil)
	ctx := context.Background()
	meta, _, err := c.Metadata(ctx, tb.ID)
	if err != nil {
		t.Fatal(err)
	}
	full := fullSelection(meta)
	// With 50 cells a part, each variable (120 cells) comes in 3 parts of
	// 4, 3 and 3 years, so most categories are in several parts.
	var parts []part
	for _, sel := range full.split(50, meta.Role.Time) {
		p, err := c.fetchPart(ctx, tb.ID, sel)
		if err != nil {
			t.Fatal(err)
		}
		parts = append(parts, p)
	}
	without := func(i int) []part {
		return append(append([]part(nil), parts[:i]...), parts[i+1:]...)
	}
	tests := []struct {
		name  string
		parts []part
		want  string
	}{
		{"one part missing", without(1), "merged data misses 36 of 2400 cells"},
		{"a category missing", parts[:57], "merged data lacks category V020 of dimension Statistikkvariabel"},
		{"only the first part", parts[:1], "merged data misses 2352 of 2400 cells"},
		{"a part twice", append(append([]part(nil), parts...), parts[2]), "parts overlap at cell"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := merge(full, tt.parts)
			if err == nil || !strings.Contains(err.Error(), tt.want) || fault.KindOf(err) != fault.Invalid {
				t.Errorf("merge = %v, want an invalid error containing %q", err, tt.want)
			}
		})
	}
	ds, err := merge(full, parts)
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(ds.Size()); got != "[4 20 3 1 10]" {
		t.Errorf("merged Size() = %s, want [4 20 3 1 10]", got)
	}
}

func TestSplitPlan(t *testing.T) {
	sel := func(sizes ...int) selection {
		s := make(selection, len(sizes))
		for i, n := range sizes {
			v := variableSelection{code: fmt.Sprintf("D%d", i), all: true}
			for k := range n {
				v.values = append(v.values, fmt.Sprint(k))
			}
			s[i] = v
		}
		return s
	}
	tests := []struct {
		name  string
		s     selection
		limit int
		want  []int // cells per part
	}{
		{"fits", sel(2, 2, 43), 800_000, []int{172}},
		{"even runs", sel(2, 2, 43), 100, []int{88, 84}},
		{"fewest parts", sel(10, 3), 9, []int{9, 9, 6, 6}},
		{"recursive", sel(5, 5, 5), 20, []int{15, 10, 15, 10, 15, 10, 15, 10, 15, 10}},
		{"single cells", sel(3, 1), 1, []int{1, 1, 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []int
			for _, p := range tt.s.split(tt.limit, nil) {
				got = append(got, p.cells())
				if p.cells() > tt.limit {
					t.Errorf("part of %d cells over the limit %d", p.cells(), tt.limit)
				}
			}
			if !cmp.Equal(got, tt.want) {
				t.Errorf("split(%d) cells = %v, want %v", tt.limit, got, tt.want)
			}
		})
	}
}

func TestQuoteCode(t *testing.T) {
	tests := []struct{ in, want string }{
		{"04+05", "04+05"},
		{"01.1,02.2", "[01.1,02.2]"},
		{"[ME01]", "[[ME01]]"},
	}
	for _, tt := range tests {
		if got := quoteCode(tt.in); got != tt.want {
			t.Errorf("quoteCode(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

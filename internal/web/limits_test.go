package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/grunnlag/grunnlag/internal/fault"
	"github.com/grunnlag/grunnlag/internal/jsonstat"
	"github.com/grunnlag/grunnlag/internal/store"
)

// constructedTable is constructed test data, not SSB's: a table id with
// one dimension per size in sizes (ids A, B, C, …, categories k0, k1, …)
// and made-up values.
func constructedTable(id string, sizes ...int) *store.Snapshot {
	d := &jsonstat.Dataset{Label: id + ": Konstruerte testdata", Source: "Konstruerte testdata"}
	for i, n := range sizes {
		dim := jsonstat.Dimension{ID: string(rune('A' + i)), Label: "dimensjon " + string(rune('A'+i))}
		for k := range n {
			dim.Categories = append(dim.Categories, jsonstat.Category{Code: fmt.Sprintf("k%d", k), Label: fmt.Sprintf("kategori %d", k)})
		}
		d.Dimensions = append(d.Dimensions, dim)
	}
	d.Values = make([]float64, d.Len())
	for i := range d.Values {
		d.Values[i] = float64(i % 1000)
	}
	return &store.Snapshot{TableID: id, Title: "Konstruerte testdata", Updated: "2025-01-01T00:00:00Z",
		FetchedAt: testNow, Source: "https://px.example/konstruert/" + id, SHA256: strings.Repeat("0", 64), Data: d}
}

func saveSnapshot(t *testing.T, e *env, s *store.Snapshot) {
	t.Helper()
	if _, err := e.st.SaveSnapshot(t.Context(), s); err != nil {
		t.Fatalf("save constructed %s: %v", s.TableID, err)
	}
}

// TestViewCellCap: a view larger than Limits.MaxViewCells is refused
// before it is built, in the API with a 4xx problem that says how to
// narrow it, on the explorer page with the form kept, and in every
// download; a narrowed view is answered.
func TestViewCellCap(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.Limits.MaxViewCells = 5000 })
	saveSnapshot(t, e, constructedTable("99970", 100, 100)) // 10 000 cells

	for _, path := range []string{
		"/api/v1/tables/99970/view",
		"/api/v1/tables/99970/data",
		"/tabeller/99970/csv",
		"/tabeller/99970/xlsx",
		"/tabeller/99970/json-stat",
	} {
		t.Run(path, func(t *testing.T) {
			resp, body := e.get(t, path)
			if resp.StatusCode != http.StatusBadRequest {
				t.Fatalf("GET %s = %d, want 400\n%.300s", path, resp.StatusCode, body)
			}
			if !strings.Contains(body, "Utsnittet har 10 000 celler, mer enn de 5 000 én visning kan ha") {
				t.Errorf("GET %s does not say how large the view is and the limit:\n%.500s", path, body)
			}
			if strings.HasPrefix(path, "/api/") {
				var p problem
				if err := json.Unmarshal([]byte(body), &p); err != nil || p.Status != 400 || !strings.Contains(p.Detail, "v.DIM=KODE") {
					t.Errorf("GET %s = %s, want a 400 problem that names the view parameters", path, body)
				}
			}
		})
	}
	t.Run("explorer keeps the form", func(t *testing.T) {
		resp, body := e.get(t, "/tabeller/99970")
		if resp.StatusCode != 200 {
			t.Fatalf("GET /tabeller/99970 = %d", resp.StatusCode)
		}
		doc := checkPage(t, "/tabeller/99970", body)
		if len(find(doc, "form", "utforsker")) != 1 || len(find(doc, "table", "datatabell")) != 0 {
			t.Errorf("the explorer of a too large view should have the form and no table")
		}
		if !strings.Contains(body, "Utsnittet har 10 000 celler") || !strings.Contains(body, "Velg færre verdier") {
			t.Errorf("the explorer does not say the view is too large")
		}
	})
	t.Run("narrowed", func(t *testing.T) {
		q := "?v.A=k1&v.A=k2&v.A=k3"
		for _, path := range []string{"/api/v1/tables/99970/view", "/api/v1/tables/99970/data", "/tabeller/99970", "/tabeller/99970/csv", "/tabeller/99970/xlsx", "/tabeller/99970/json-stat"} {
			if resp, body := e.get(t, path+q); resp.StatusCode != 200 {
				t.Errorf("GET %s%s = %d, want 200\n%.300s", path, q, resp.StatusCode, body)
			}
		}
	})
}

// TestAnswerCacheKeys: parameters a route does not read, and view
// parameters that name nothing in the table, add no kept answer: before,
// ?junk=N stored a new copy of a 47 MB answer per request.
func TestAnswerCacheKeys(t *testing.T) {
	e := newEnv(t)
	first, _ := e.get(t, "/api/v1/tables/13615/view")
	if first.StatusCode != 200 {
		t.Fatalf("GET view = %d", first.StatusCode)
	}
	n0, _ := e.srv.cache.usage()
	var bodies []string
	for i := range 30 {
		for _, q := range []string{"junk=%d", "v.junk%d=1", "d.Tid=junk%d", "v.Tid=junk%d"} {
			resp, body := e.get(t, "/api/v1/tables/13615/view?"+fmt.Sprintf(q, i))
			if resp.StatusCode != 200 {
				t.Fatalf("GET view?%s = %d", fmt.Sprintf(q, i), resp.StatusCode)
			}
			if strings.HasPrefix(q, "junk") {
				bodies = append(bodies, body)
			}
		}
	}
	if n, _ := e.srv.cache.usage(); n != n0 {
		t.Errorf("kept values after 120 requests with made-up parameters = %d, want %d as before", n, n0)
	}
	_, plain := e.get(t, "/api/v1/tables/13615/view")
	for _, b := range bodies {
		if b != plain {
			t.Fatalf("an ignored parameter changed the answer")
		}
	}
	// The same view asked for in another order is one kept answer.
	e.get(t, "/api/v1/tables/13615/view?v.Tid=2024&v.Tid=2023&d.Tid=col")
	n1, _ := e.srv.cache.usage()
	e.get(t, "/api/v1/tables/13615/view?d.Tid=col&v.Tid=2023&v.Tid=2024&v.Tid=2023")
	if n, _ := e.srv.cache.usage(); n != n1 {
		t.Errorf("the same view in another order was kept again (%d kept values, want %d)", n, n1)
	}
}

// TestXLSXBeyondExcel: a view that would not fit an Excel sheet is
// refused quickly with a message, not after building it (24 s and 2 GB
// past the row limit before, then a 500). The CSV of the same view works.
func TestXLSXBeyondExcel(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.Limits.MaxViewCells = 2_000_000 })
	saveSnapshot(t, e, constructedTable("99971", 20_000)) // one row, 20 000 columns
	const path, want = "/tabeller/99971/xlsx?d.A=col", "Utsnittet blir 5 rader og 20 000 kolonner i Excel, som kan vise høyst 1 048 576 rader og 16 384 kolonner."
	resp, body := e.get(t, path)
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, want) {
		t.Errorf("GET %s = %d, want 400 saying %q\n%s", path, resp.StatusCode, want, excerpt(body, "Utsnittet"))
	}
	if resp, _ := e.get(t, "/tabeller/99971/csv?d.A=col"); resp.StatusCode != 200 {
		t.Errorf("GET csv of the wide view = %d, want 200", resp.StatusCode)
	}
}

// TestFitsExcelRows: Excel's row limit, checked on the view's shape
// alone (the dataset here has no values, so nothing could be built).
func TestFitsExcelRows(t *testing.T) {
	s := constructedTable("99972", 1_100, 1_000)
	s.Data.Values = nil
	tests := []struct {
		query string
		want  string // "" fits
	}{
		{"d.A=row&d.B=row", "Utsnittet blir 1 100 004 rader og 3 kolonner i Excel"},
		{"d.A=col&d.B=col", "Utsnittet blir 5 rader og 1 100 000 kolonner i Excel"},
		{"d.A=row&d.B=row&v.A=k0&v.A=k1", ""},
		{"d.A=col&d.B=row", ""},
	}
	for _, tt := range tests {
		q, _ := url.ParseQuery(tt.query)
		vc := parseView(s.Data, q)
		err := fitsExcel("99972", &builtView{Choice: vc, Snapshot: s})
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("fitsExcel(%s) = %v, want nil", tt.query, err)
		case tt.want != "" && (err == nil || !strings.Contains(fault.UserMessage(err), tt.want)):
			t.Errorf("fitsExcel(%s) = %v, want %q", tt.query, err, tt.want)
		}
	}
}

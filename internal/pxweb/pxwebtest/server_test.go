package pxwebtest

import (
	"encoding/json"
	"io"
	"io/fs"
	"math"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/grunnlag/grunnlag/internal/fixtures"
)

// get sends a request and returns status, content type and body.
func get(t *testing.T, method, u string, body string) (int, string, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, u, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, u, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: read: %v", method, u, err)
	}
	return resp.StatusCode, resp.Header.Get("Content-Type"), data
}

func mustTable(t *testing.T, name string) Table {
	t.Helper()
	tb, err := FixtureTable(name)
	if err != nil {
		t.Fatalf("FixtureTable(%q): %v", name, err)
	}
	return tb
}

// decoded is what the tests read back from a data response.
type decoded struct {
	ID     []string
	Size   []int
	Codes  map[string][]string
	Value  []*float64
	Status map[string]string
}

func decode(t *testing.T, data []byte) decoded {
	t.Helper()
	var raw rawDataset
	if err := json.Unmarshal(data, &raw); err != nil {
		t.Fatalf("decode: %v\n%s", err, data)
	}
	d := decoded{ID: raw.ID, Size: raw.Size, Codes: map[string][]string{}}
	for i, id := range raw.ID {
		codes, err := categoryCodes(raw.Dimension[id], raw.Size[i])
		if err != nil {
			t.Fatalf("dimension %s: %v", id, err)
		}
		d.Codes[id] = codes
	}
	if err := json.Unmarshal(raw.Value, &d.Value); err != nil {
		t.Fatalf("value: %v", err)
	}
	if len(raw.Status) > 0 {
		if err := json.Unmarshal(raw.Status, &d.Status); err != nil {
			t.Fatalf("status: %v", err)
		}
	}
	return d
}

func TestFixtureRoundTrip(t *testing.T) {
	// Serving a recorded response as a whole table must give back the same
	// cells in the same order.
	for _, name := range []string{
		"pxweb/ssb-v2/03024/data-POST.json",
		"pxweb/ssb-v2/13615/data-GET.json",
		"pxweb/scb-v2/TAB6471/data.json",
	} {
		t.Run(name, func(t *testing.T) {
			s := New()
			defer s.Close()
			tb := mustTable(t, name)
			s.AddTable(tb)
			status, _, body := get(t, "GET", s.URL()+"/tables/"+tb.ID+"/data?lang=en&outputFormat=json-stat2", "")
			if status != 200 {
				t.Fatalf("status = %d, want 200: %s", status, body)
			}
			got := decode(t, body)
			raw, _ := fs.ReadFile(fixtures.FS, name)
			want := decode(t, raw)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("served data differs from the recording (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDataSelection(t *testing.T) {
	s := New()
	defer s.Close()
	s.AddTable(mustTable(t, "pxweb/ssb-v2/03024/data-POST.json"))
	s.AddTable(mustTable(t, "pxweb/ssb-v2/13615/data-GET.json"))
	tests := []struct {
		name   string
		method string
		path   string
		body   string
		want   map[string][]string
		cells  map[string]float64 // "code,code,code" -> value
	}{
		{
			name: "top of time takes the latest", method: "GET",
			path:  "/tables/03024/data?valueCodes[Tid]=top(2)&valueCodes[VareGrupper2]=02&valuecodes[ContentsCode]=Kilopris",
			want:  map[string][]string{"VareGrupper2": {"02"}, "ContentsCode": {"Kilopris"}, "Tid": {"2025U42", "2025U43"}},
			cells: map[string]float64{"02,Kilopris,2025U43": 74.86},
		},
		{
			name: "from and range", method: "GET",
			path:  "/tables/03024/data?valueCodes[Tid]=from(2025U42)&valueCodes[VareGrupper2]=*&valueCodes[ContentsCode]=[range(Vekt,Kilopris)]",
			want:  map[string][]string{"VareGrupper2": {"01", "02"}, "ContentsCode": {"Vekt", "Kilopris"}, "Tid": {"2025U42", "2025U43"}},
			cells: map[string]float64{"01,Kilopris,2025U42": 73.74},
		},
		{
			name: "post body as in the brief", method: "POST",
			path:  "/tables/03024/data?lang=en&outputFormat=json-stat2",
			body:  `{"selection":[{"variableCode":"VareGrupper2","valueCodes":["01","02"]},{"variableCode":"ContentsCode","valueCodes":["Vekt","Kilopris"]},{"variableCode":"Tid","valueCodes":["from(2025U43)"]}]}`,
			want:  map[string][]string{"VareGrupper2": {"01", "02"}, "ContentsCode": {"Vekt", "Kilopris"}, "Tid": {"2025U43"}},
			cells: map[string]float64{"02,Kilopris,2025U43": 74.86},
		},
		{
			name: "plus in a code, case-insensitive path", method: "GET",
			path:  "/TABLES/13615/DATA?valueCodes[Produkter]=" + url.QueryEscape("04+05") + "&valueCodes[NACE]=50&valueCodes[Tid]=2024",
			want:  map[string][]string{"Produkter": {"04+05"}, "NACE": {"50"}, "ContentsCode": {"Petroleum"}, "Tid": {"2024"}},
			cells: map[string]float64{"04+05,50,Petroleum,2024": 336},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, _, body := get(t, tt.method, s.URL()+tt.path, tt.body)
			if status != 200 {
				t.Fatalf("status = %d, want 200: %s", status, body)
			}
			d := decode(t, body)
			if diff := cmp.Diff(tt.want, d.Codes); diff != "" {
				t.Errorf("categories (-want +got):\n%s", diff)
			}
			for key, want := range tt.cells {
				codes := strings.Split(key, ",")
				idx := 0
				for i, id := range d.ID {
					idx = idx*d.Size[i] + slices.Index(d.Codes[id], codes[i])
				}
				if v := d.Value[idx]; v == nil || *v != want {
					t.Errorf("cell %s = %v, want %v", key, v, want)
				}
			}
		})
	}
}

func TestProblems(t *testing.T) {
	s := New(WithMaxCells(100), WithTooManyCellsStatus(http.StatusForbidden))
	defer s.Close()
	s.AddTable(mustTable(t, "pxweb/ssb-v2/03024/data-POST.json"))
	tests := []struct {
		name       string
		path       string
		wantStatus int
		wantTitle  string
	}{
		{"unknown table", "/tables/99999/data", 404, "Non-existent table"},
		{"unknown value", "/tables/03024/data?valueCodes[Tid]=2030U01&valueCodes[VareGrupper2]=01&valueCodes[ContentsCode]=Vekt", 400, "Non-existent value"},
		{"unknown variable", "/tables/03024/data?valueCodes[Region]=0301", 400, "Non-existent variable"},
		{"bad expression", "/tables/03024/data?valueCodes[Tid]=top(x)", 400, "Illegal selection expression"},
		{"too many cells", "/tables/03024/data?valueCodes[Tid]=*", 403, "Too many cells selected"},
		{"bad format", "/tables/03024/data?outputFormat=jsonstat2&valueCodes[Tid]=top(1)", 400, "Unsupported output format"},
		{"bad language", "/tables/03024?lang=xx", 400, "Unsupported language"},
		{"page past the end", "/tables?pageNumber=3", 404, "Non-existent page"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, ctype, body := get(t, "GET", s.URL()+tt.path, "")
			var p struct{ Type, Title string }
			json.Unmarshal(body, &p)
			if status != tt.wantStatus || p.Title != tt.wantTitle || !strings.HasPrefix(ctype, "application/problem+json") {
				t.Errorf("GET %s = %d %q (%s), want %d %q problem", tt.path, status, p.Title, ctype, tt.wantStatus, tt.wantTitle)
			}
		})
	}
}

func TestConfigPublishes(t *testing.T) {
	tests := []struct {
		name string
		opts []Option
		want [3]int
	}{
		{"enforced", []Option{WithMaxCells(500), WithRateLimit(3, 10*time.Second, false)}, [3]int{500, 3, 10}},
		{"zero like SSB", []Option{WithMaxCells(500), WithPublishedLimits(0, 0, 0)}, [3]int{0, 0, 0}},
		{"higher than enforced", []Option{WithMaxCells(500), WithPublishedLimits(800000, 30, time.Minute)}, [3]int{800000, 30, 60}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := New(tt.opts...)
			defer s.Close()
			_, _, body := get(t, "GET", s.URL()+"/config", "")
			var c struct{ MaxDataCells, MaxCallsPerTimeWindow, TimeWindow int }
			if err := json.Unmarshal(body, &c); err != nil {
				t.Fatal(err)
			}
			if got := [3]int{c.MaxDataCells, c.MaxCallsPerTimeWindow, c.TimeWindow}; got != tt.want {
				t.Errorf("/config limits = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestRateLimit(t *testing.T) {
	now := time.Date(2025, 10, 29, 7, 0, 0, 0, time.UTC)
	s := New(WithRateLimit(2, 10*time.Second, true), WithClock(func() time.Time { return now }))
	defer s.Close()
	s.AddTable(mustTable(t, "pxweb/ssb-v2/03024/data-POST.json"))
	var got []int
	for range 3 {
		status, _, _ := get(t, "GET", s.URL()+"/tables/03024", "")
		got = append(got, status)
	}
	status, _, _ := get(t, "GET", s.URL()+"/config", "")
	got = append(got, status)
	now = now.Add(10 * time.Second)
	status, _, _ = get(t, "GET", s.URL()+"/tables/03024", "")
	got = append(got, status)
	if want := []int{200, 200, 429, 200, 200}; !slices.Equal(got, want) {
		t.Errorf("statuses = %v, want %v", got, want)
	}
	if n := s.Count(TableDoc); n != 4 {
		t.Errorf("Count(TableDoc) = %d, want 4", n)
	}
}

func TestTablesShape(t *testing.T) {
	// The listing must have the keys of the recorded SCB answer.
	s := New(WithPageSize(2))
	defer s.Close()
	for _, name := range []string{"pxweb/ssb-v2/03024/data-POST.json", "pxweb/ssb-v2/13615/data-GET.json", "pxweb/scb-v2/TAB6471/data.json"} {
		s.AddTable(mustTable(t, name))
	}
	_, _, body := get(t, "GET", s.URL()+"/tables?lang=en", "")
	recorded, _ := fs.ReadFile(fixtures.FS, "pxweb/scb-v2/tables-page1.json")
	if diff := cmp.Diff(keys(t, recorded), keys(t, body)); diff != "" {
		t.Errorf("listing keys differ from the recording (-recorded +served):\n%s", diff)
	}
	var page struct {
		Tables []struct{ ID, TimeUnit, FirstPeriod, LastPeriod string }
		Page   struct{ PageNumber, TotalElements, TotalPages int }
	}
	json.Unmarshal(body, &page)
	if page.Page.TotalElements != 3 || page.Page.TotalPages != 2 || len(page.Tables) != 2 {
		t.Errorf("page = %+v, want 3 elements on 2 pages, 2 here", page.Page)
	}
	if got := page.Tables[0]; got.ID != "03024" || got.TimeUnit != "Weekly" || got.FirstPeriod != "2025U01" || got.LastPeriod != "2025U43" {
		t.Errorf("first table = %+v, want 03024 Weekly 2025U01-2025U43", got)
	}
}

// keys lists the object keys of a /tables answer, by level.
func keys(t *testing.T, data []byte) map[string][]string {
	t.Helper()
	var v struct {
		Tables []map[string]json.RawMessage
		Page   map[string]json.RawMessage
	}
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatal(err)
	}
	var top map[string]json.RawMessage
	json.Unmarshal(data, &top)
	names := func(m map[string]json.RawMessage) []string {
		var out []string
		for k := range m {
			out = append(out, k)
		}
		sort.Strings(out)
		return out
	}
	return map[string][]string{"top": names(top), "page": names(v.Page), "table": names(v.Tables[0])}
}

func TestConstructedTable(t *testing.T) {
	tb := ConstructedTable("99001", 3, 2, 4)
	if err := tb.validate(); err != nil {
		t.Fatal(err)
	}
	if got, want := tb.cells(), 3*2*4*3; got != want {
		t.Errorf("cells = %d, want %d", got, want)
	}
	if !math.IsNaN(tb.Values[12]) || tb.Status[12] != ".." {
		t.Errorf("cell 12 = %v %q, want missing with status ..", tb.Values[12], tb.Status[12])
	}
	if !strings.Contains(tb.Label, "Konstruerte testdata") {
		t.Errorf("label %q does not say the data are constructed", tb.Label)
	}
}

func TestFaults(t *testing.T) {
	s := New()
	defer s.Close()
	s.AddTable(mustTable(t, "pxweb/ssb-v2/03024/data-POST.json"))
	u := s.URL() + "/tables/03024/data"

	s.Inject(Fault{Kind: StatusFault, Path: "/tables/*/data", Status: 429, RetryAfter: "7", Times: 1})
	req, _ := http.NewRequest("GET", u, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 429 || resp.Header.Get("Retry-After") != "7" {
		t.Errorf("injected 429 = %d Retry-After %q, want 429 7", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	if status, _, _ := get(t, "GET", u, ""); status != 200 {
		t.Errorf("after the fault's one time: status %d, want 200", status)
	}

	s.Inject(Fault{Kind: TruncatedBody, Times: 1})
	resp, err = http.Get(u)
	if err == nil {
		_, err = io.ReadAll(resp.Body)
		resp.Body.Close()
	}
	if err == nil || !strings.Contains(err.Error(), "unexpected EOF") {
		t.Errorf("truncated body: err = %v, want unexpected EOF", err)
	}

	s.Inject(Fault{Kind: SizeMismatch, Times: 1})
	_, _, body := get(t, "GET", u, "")
	var raw rawDataset
	var values []*float64
	if err := json.Unmarshal(body, &raw); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw.Value, &values); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(raw.Size, []int{2, 2, 43}) || len(values) != 171 {
		t.Errorf("size mismatch: size %v with %d values, want [2 2 43] with 171", raw.Size, len(values))
	}

	s.Inject(Fault{Kind: NonJSONError, Times: 1})
	status, ctype, _ := get(t, "GET", u, "")
	if status != 502 || ctype != "text/html" {
		t.Errorf("non-JSON error = %d %s, want 502 text/html", status, ctype)
	}
	if got, want := s.Count(Data), 5; got != want {
		t.Errorf("Count(Data) = %d, want %d", got, want)
	}
}

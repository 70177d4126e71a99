// Package pxwebtest is a fake PxWebApi v2 server for tests. It serves
// /config, /tables, /tables/{id}, /tables/{id}/metadata and
// /tables/{id}/data (GET and POST) over real HTTP on loopback, answers with
// JSON-stat 2.0 and RFC 7807 problems the way PxWebApi does, enforces a cell
// limit and a rate limit, injects faults on request, and logs every request.
//
// Tables come from recorded responses (FixtureTable, ParseTable) or are
// constructed (ConstructedTable). The server reads and writes JSON-stat with
// encoding/json and does not use the project's decoder, so a test compares
// two independent implementations.
//
// Simplifications: a variable left out of a selection gets all its values
// (the real server eliminates it or applies the default selection);
// codelists, placement, saved queries and output formats other than
// json-stat2 are not served; the search query matches id and label text.
package pxwebtest

import (
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strings"
	"sync"
	"time"
)

// Prefix is the path of the API below the server's host, as at SSB.
const Prefix = "/api/pxwebapi/v2"

// Endpoint names what a request asked for, for counting.
type Endpoint string

// The endpoints the server knows.
const (
	Config   Endpoint = "config"
	Tables   Endpoint = "tables"
	TableDoc Endpoint = "table"
	Metadata Endpoint = "metadata"
	Data     Endpoint = "data"
	Other    Endpoint = "other"
)

// Request is one request the server received.
type Request struct {
	Method   string
	Path     string // below URL(), as sent
	Query    url.Values
	Body     []byte
	Header   http.Header
	Endpoint Endpoint
	Time     time.Time // by the server's clock (WithClock)
}

// Option configures a Server.
type Option func(*Server)

// WithMaxCells makes the server refuse data requests of more than n cells
// (0: no limit). /config states the same unless WithPublishedLimits says
// otherwise.
func WithMaxCells(n int) Option { return func(s *Server) { s.maxCells = n } }

// WithTooManyCellsStatus sets the status of the "Too many cells selected"
// answer: 400 as the reference server (the default) or 403 as SSB's
// documentation says.
func WithTooManyCellsStatus(status int) Option {
	return func(s *Server) { s.tooManyStatus = status }
}

// WithRateLimit makes the server answer 429 to calls beyond calls per window
// (sliding; /config is exempt). retryAfter adds a Retry-After header with
// the seconds until a call is allowed again.
func WithRateLimit(calls int, window time.Duration, retryAfter bool) Option {
	return func(s *Server) { s.maxCalls, s.window, s.retryAfter = calls, window, retryAfter }
}

// WithPublishedLimits makes /config state these limits instead of the
// enforced ones, e.g. 0/0 like SSB or a higher cell limit than enforced.
func WithPublishedLimits(maxCells, calls int, window time.Duration) Option {
	return func(s *Server) {
		s.published = &published{maxCells: maxCells, calls: calls, window: window}
	}
}

// WithClock replaces the clock of the rate limit and of pastDays.
func WithClock(now func() time.Time) Option { return func(s *Server) { s.now = now } }

// WithPageSize sets the default page size of /tables (20 if not set).
func WithPageSize(n int) Option { return func(s *Server) { s.pageSize = n } }

// WithLanguages sets the accepted languages (default no, en, sv).
func WithLanguages(langs ...string) Option { return func(s *Server) { s.languages = langs } }

type published struct {
	maxCells, calls int
	window          time.Duration
}

// Server is a running fake PxWebApi v2 server.
type Server struct {
	srv *httptest.Server

	// Settings, fixed after New.
	maxCells      int
	tooManyStatus int
	maxCalls      int
	window        time.Duration
	retryAfter    bool
	published     *published
	now           func() time.Time
	pageSize      int
	languages     []string

	mu       sync.Mutex
	tables   map[string]*Table // by lower-case id
	faults   []*injected
	requests []Request
	calls    []time.Time // accepted rate-limited calls inside the window
}

// New starts a server; Close it when done.
func New(opts ...Option) *Server {
	s := &Server{
		tooManyStatus: http.StatusBadRequest,
		now:           time.Now,
		pageSize:      20,
		languages:     []string{"no", "en", "sv"},
		tables:        map[string]*Table{},
	}
	for _, o := range opts {
		o(s)
	}
	s.srv = httptest.NewUnstartedServer(http.HandlerFunc(s.serve))
	// Cut connections and aborted handlers are part of the tests.
	s.srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	s.srv.Start()
	return s
}

// URL returns the API's base URL, e.g. "http://127.0.0.1:4711/api/pxwebapi/v2".
func (s *Server) URL() string { return s.srv.URL + Prefix }

// Close shuts the server down.
func (s *Server) Close() { s.srv.Close() }

// AddTable adds or replaces a table. It panics on a table whose values do
// not fit its dimensions (a mistake in the test). The server keeps t.
func (s *Server) AddTable(t Table) {
	if err := t.validate(); err != nil {
		panic("pxwebtest: " + err.Error())
	}
	t = t.withCatalogueDefaults()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tables[strings.ToLower(t.ID)] = &t
}

// SetUpdated changes a table's updated time, as when SSB publishes new
// figures. It panics if the table is unknown.
func (s *Server) SetUpdated(id, updated string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.tables[strings.ToLower(id)]
	if !ok {
		panic("pxwebtest: SetUpdated: no table " + id)
	}
	t.Updated = updated
}

// Requests returns the requests received so far, in order.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// Count returns how many requests asked for endpoint e.
func (s *Server) Count(e Endpoint) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, r := range s.requests {
		if r.Endpoint == e {
			n++
		}
	}
	return n
}

// ResetRequests forgets the logged requests.
func (s *Server) ResetRequests() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = nil
}

// route says which endpoint a path below Prefix is, and the table id.
func route(p string) (Endpoint, string) {
	parts := strings.Split(strings.Trim(p, "/"), "/")
	switch {
	case len(parts) == 1 && strings.EqualFold(parts[0], "config"):
		return Config, ""
	case len(parts) == 1 && strings.EqualFold(parts[0], "tables"):
		return Tables, ""
	case len(parts) == 2 && strings.EqualFold(parts[0], "tables"):
		return TableDoc, parts[1]
	case len(parts) == 3 && strings.EqualFold(parts[0], "tables") && strings.EqualFold(parts[2], "metadata"):
		return Metadata, parts[1]
	case len(parts) == 3 && strings.EqualFold(parts[0], "tables") && strings.EqualFold(parts[2], "data"):
		return Data, parts[1]
	}
	return Other, ""
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	p := r.URL.Path
	if len(p) >= len(Prefix) && strings.EqualFold(p[:len(Prefix)], Prefix) {
		p = p[len(Prefix):]
	} else {
		p = "/" // outside the API
	}
	endpoint, id := route(p)
	if p == "/" {
		endpoint = Other
	}
	s.mu.Lock()
	s.requests = append(s.requests, Request{
		Method: r.Method, Path: p, Query: r.URL.Query(), Body: body,
		Header: r.Header.Clone(), Endpoint: endpoint, Time: s.now(),
	})
	f := s.takeFault(r.Method, p)
	s.mu.Unlock()

	if f != nil {
		f.apply(w, r, func(w http.ResponseWriter) { s.answer(w, r, endpoint, id, body) })
		return
	}
	s.answer(w, r, endpoint, id, body)
}

// answer serves a request normally: rate limit, then the endpoint.
func (s *Server) answer(w http.ResponseWriter, r *http.Request, endpoint Endpoint, id string, body []byte) {
	if endpoint != Config && endpoint != Other {
		if wait, ok := s.admit(); !ok {
			if s.retryAfter {
				secs := int((wait + time.Second - 1) / time.Second)
				w.Header().Set("Retry-After", itoa(max(secs, 1)))
			}
			writeProblem(w, http.StatusTooManyRequests, "Too many requests",
				itoa(s.maxCalls)+" request per "+s.window.String())
			return
		}
	}
	lang := queryValue(r.URL.Query(), "lang")
	if lang != "" && !contains(s.languages, lang) {
		writeProblem(w, http.StatusBadRequest, "Unsupported language", "Unsupported language "+lang)
		return
	}
	if lang == "" {
		lang = s.languages[0]
	}
	switch endpoint {
	case Config:
		s.serveConfig(w, r, lang)
	case Tables:
		s.serveTables(w, r, lang)
	case TableDoc:
		s.serveTable(w, r, id, lang)
	case Metadata:
		s.serveMetadata(w, r, id)
	case Data:
		s.serveData(w, r, id, body)
	default:
		writeProblem(w, http.StatusNotFound, "Not found", "")
	}
}

// admit counts a rate-limited call; when over the limit it returns false
// and how long until a call would be admitted.
func (s *Server) admit() (time.Duration, bool) {
	if s.maxCalls <= 0 || s.window <= 0 {
		return 0, true
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	keep := 0
	for keep < len(s.calls) && now.Sub(s.calls[keep]) >= s.window {
		keep++
	}
	s.calls = s.calls[keep:]
	if len(s.calls) >= s.maxCalls {
		return s.calls[0].Add(s.window).Sub(now), false
	}
	s.calls = append(s.calls, now)
	return 0, true
}

// table returns a copy of the table with id (any case), or nil. The copy
// keeps SetUpdated from racing with a response being written.
func (s *Server) table(id string) *Table {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.tables[strings.ToLower(id)]
	if !ok {
		return nil
	}
	c := *t
	return &c
}

// tableList returns the tables sorted by id.
func (s *Server) tableList() []Table {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Table, 0, len(s.tables))
	for _, t := range s.tables {
		out = append(out, *t)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// queryValue returns the first value of parameter name, matched ignoring
// case as ASP.NET binds it.
func queryValue(q url.Values, name string) string {
	for k, v := range q {
		if strings.EqualFold(k, name) && len(v) > 0 {
			return v[0]
		}
	}
	return ""
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// Package web serves grunnlag to people and programs: the situational
// picture (dashboard), a table explorer with charts and downloads, the
// knowledge catalogue with search, the report, the status of each table with
// a sync button, and a JSON API under /api/v1 described by an OpenAPI 3.1
// document. Pages are server-rendered html/template views in bokmål that
// work without JavaScript; every asset is embedded in the binary.
//
// A Server is built from a Config that holds every dependency; it keeps no
// global state. Handlers are methods that return an error, and one adapter
// turns errors into a bokmål page or an RFC 7807 problem (see errors.go).
// All routes, with who may use each, are in routes.go.
package web

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/grunnlag/grunnlag/internal/auth"
	"github.com/grunnlag/grunnlag/internal/catalog"
	"github.com/grunnlag/grunnlag/internal/ingest"
	"github.com/grunnlag/grunnlag/internal/report"
	"github.com/grunnlag/grunnlag/internal/store"
	"github.com/grunnlag/grunnlag/internal/survey"
)

// SyncFunc syncs the registered tables from the statistics source, telling
// obs about its progress, and returns one result per table. The server calls
// it at most once at a time, in the background.
type SyncFunc func(ctx context.Context, obs ingest.Observer) []ingest.Result

// Config holds everything a Server depends on.
type Config struct {
	Store store.Store   // required
	Pack  *catalog.Pack // required: the knowledge pack the store was loaded with

	// Sync brings the statistics up to date; nil when this server cannot
	// sync (the pages then only show what is stored). Analysts start it.
	Sync SyncFunc

	// Auth signs people in; nil: nobody can, and only public pages answer.
	// Accounts is the store's accounts, for the pages that manage them.
	Auth     *auth.Service
	Accounts store.Accounts
	// OIDC is sign-in through identity providers; nil: passwords only.
	OIDC *auth.OIDC
	// PublicURL is the address people reach the site at, for links and
	// OIDC callbacks ("https://grunnlag.example.no"); empty: taken from
	// each request.
	PublicURL string
	// SecureCookies marks the session cookie Secure on every request (the
	// site is served over HTTPS, perhaps behind a proxy). Requests over TLS
	// get Secure cookies anyway.
	SecureCookies bool
	// TrustedProxies are the reverse proxies whose X-Forwarded-For and
	// X-Forwarded-Proto are believed.
	TrustedProxies []*net.IPNet
	// MetricsToken is the bearer token /metrics answers besides callers on
	// the machine itself; empty: those only.
	MetricsToken string

	// Survey is the self-assessment; nil: its pages answer that it is off.
	Survey *survey.Service

	// Limits bound what requests may cost; zero fields take the
	// defaults (DefaultLimits).
	Limits Limits

	// PDF prints the report to PDF (headless Chromium); nil when the
	// machine has none, and the report page offers the other formats.
	PDF report.PDFPrinter

	Logger  *slog.Logger     // nil: discard
	Now     func() time.Time // nil: time.Now
	Version string           // grunnlag's version, shown in the footer and the API document
	// Contact is where people report accessibility problems (an e-mail
	// address or a web address), shown in the accessibility statement;
	// empty when the operator has given none.
	Contact string
}

// Server is grunnlag's web server. Create it with NewServer, serve it with
// Serve (or mount Handler), and Close it before closing the store.
type Server struct {
	cfg     Config
	log     *slog.Logger
	now     func() time.Time
	loc     *time.Location // Norwegian time, for dates on pages
	pages   *pages
	assets  *assets
	cache   *cache
	memo    *memo
	heavy   *heavyGate
	sync    *syncState
	metrics *metrics
	handler http.Handler
	routes  []route
	// printPlan renders the measure plan for printing to PDF.
	printPlan *template.Template

	// ctx lives as long as the server; background syncs run under it.
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// NewServer returns a Server for cfg. It parses every template and fails
// if one is missing or broken, so a bad template stops the start, not a
// user's request.
func NewServer(cfg Config) (*Server, error) {
	if cfg.Store == nil || cfg.Pack == nil {
		return nil, errors.New("web: Config needs Store and Pack")
	}
	cfg.Limits = cfg.Limits.orDefault()
	s := &Server{cfg: cfg, log: cfg.Logger, now: cfg.Now, loc: oslo()}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.now == nil {
		s.now = time.Now
	}
	var err error
	if s.assets, err = newAssets(); err != nil {
		return nil, err
	}
	if s.pages, err = parsePages(s.funcs()); err != nil {
		return nil, err
	}
	if s.printPlan, err = parsePrint(); err != nil {
		return nil, err
	}
	// An eighth of the cache's budget goes to the memo.
	lim := cfg.Limits
	memoBytes := lim.CacheBytes / 8
	lim.CacheBytes -= memoBytes
	s.cache = newCache(cfg.Store, s.now, lim)
	s.memo = newMemo(memoBytes)
	s.heavy = newHeavyGate(cfg.Limits)
	s.sync = newSyncState()
	s.metrics = newMetrics(s)
	s.ctx, s.cancel = context.WithCancel(context.Background())
	s.handler = s.buildHandler()
	if co, ok := cfg.Store.(store.Coordination); ok {
		s.wg.Add(1)
		go s.watchChanges(co)
	}
	return s, nil
}

// Handler returns the server's HTTP handler with every middleware applied.
func (s *Server) Handler() http.Handler { return s.handler }

// Limits of the HTTP server that are not configuration: the time running
// requests get to finish at shutdown, and the size of a request's headers.
const (
	shutdownTimeout = 10 * time.Second
	maxHeaderBytes  = 64 << 10
)

// Serve answers requests on ln until ctx is done, then shuts down
// gracefully: it stops accepting, lets running requests finish for a few
// seconds, and returns. It does not Close the Server. The connection
// timeouts are those of Config.Limits.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	lim := s.cfg.Limits
	hs := &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: lim.ReadHeaderTimeout,
		ReadTimeout:       lim.ReadTimeout,
		WriteTimeout:      lim.WriteTimeout,
		IdleTimeout:       lim.IdleTimeout,
		MaxHeaderBytes:    maxHeaderBytes,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
		BaseContext:       func(net.Listener) context.Context { return s.ctx },
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	err := hs.Shutdown(sctx)
	if serr := <-errc; serr != nil && !errors.Is(serr, http.ErrServerClosed) && err == nil {
		err = serr
	}
	if err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}

// Close stops a running background sync and waits for it, so the store can
// be closed safely afterwards.
func (s *Server) Close() error {
	s.cancel()
	s.wg.Wait()
	return nil
}

// Loopback reports whether addr (host:port, as given to net.Listen or
// returned by Listener.Addr, or a request's Host, with or without a port)
// is a loopback address only. An empty host or an unspecified address
// (0.0.0.0, ::) listens on every interface and is not loopback.
func Loopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		host = strings.TrimSuffix(strings.TrimPrefix(addr, "["), "]")
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

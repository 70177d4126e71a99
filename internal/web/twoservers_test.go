package web

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/grunnlag/grunnlag/internal/audit"
	"github.com/grunnlag/grunnlag/internal/auth"
	"github.com/grunnlag/grunnlag/internal/org"
	"github.com/grunnlag/grunnlag/internal/store"
	"github.com/grunnlag/grunnlag/internal/store/sqlstore"
	"github.com/grunnlag/grunnlag/internal/store/sqlstore/pgtest"
)

// TestTwoServers runs two servers on one database, as two grunnlag serve
// processes behind a load balancer would: a table stored through one
// shows on the other's cached table list within a few seconds (its
// clock stands still, so only the change counter can make it re-read),
// and a session started through one is valid on the other.
func TestTwoServers(t *testing.T) {
	for _, engine := range []string{"SQLite", "PostgreSQL"} {
		t.Run(engine, func(t *testing.T) {
			dsn := filepath.Join(t.TempDir(), "grunnlag.db")
			if engine == "PostgreSQL" {
				dsn = pgtest.FreshDSN(t)
			}
			a, b := serverOn(t, dsn), serverOn(t, dsn)
			pack := a.srv.cfg.Pack
			if _, _, err := org.Sync(context.Background(), a.st, pack, testNow); err != nil {
				t.Fatal(err)
			}
			importFixtures(t, a.st, "pxweb/ssb-v2/13615/data-GET.json")

			// Both keep their table list; 03024 is not stored yet.
			for _, s := range []*twoServer{a, b} {
				if body := s.get(t, "/tabeller"); !strings.Contains(body, "13615") || strings.Contains(body, "/tabeller/03024") {
					t.Fatalf("before: the table list should have 13615 and not 03024")
				}
			}
			importFixtures(t, a.st, "pxweb/ssb-v2/03024/data-POST.json")
			start := time.Now()
			for !strings.Contains(b.get(t, "/tabeller"), "/tabeller/03024") {
				if time.Since(start) > 10*time.Second {
					t.Fatal("the other server's table list still lacks 03024 after 10 s")
				}
				time.Sleep(50 * time.Millisecond)
			}
			t.Logf("%s: the other server showed the new table after %v", engine, time.Since(start).Round(time.Millisecond))

			// A session started through one server is valid on the other.
			u, _, err := a.auth.AddUser(context.Background(), audit.CLI, "analytiker@example.invalid", store.RoleAnalyst, "")
			if err != nil {
				t.Fatal(err)
			}
			value, _, err := a.auth.StartSession(context.Background(), u, store.SessionFull, "password", auth.Client{IP: "127.0.0.1"})
			if err != nil {
				t.Fatal(err)
			}
			req, _ := http.NewRequest(http.MethodGet, b.ts.URL+"/konto", nil)
			req.AddCookie(&http.Cookie{Name: sessionCookiePlain, Value: value})
			resp, err := noRedirect.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "analytiker@example.invalid") {
				t.Errorf("the session from the first server on the second: %d", resp.StatusCode)
			}
		})
	}
}

// twoServer is one of the servers of TestTwoServers: its own store
// handle, services and HTTP server.
type twoServer struct {
	st   *sqlstore.DB
	srv  *Server
	auth *auth.Service
	ts   *httptest.Server
}

// noRedirect is a client that shows redirects instead of following them.
var noRedirect = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

func serverOn(t *testing.T, dsn string) *twoServer {
	t.Helper()
	st, err := sqlstore.Open(context.Background(), dsn, sqlstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	now := func() time.Time { return testNow }
	svc := auth.New(auth.Config{Store: st, Now: now})
	srv, err := NewServer(Config{Store: st, Pack: loadPack(t), Now: now, Version: "test", Auth: svc, Accounts: st,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(func() {
		ts.Close()
		srv.Close()
	})
	return &twoServer{st: st, srv: srv, auth: svc, ts: ts}
}

func (s *twoServer) get(t *testing.T, path string) string {
	t.Helper()
	resp, err := http.Get(s.ts.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s = %d", path, resp.StatusCode)
	}
	return string(body)
}

package web

import (
	"context"
	"encoding/json"
	"html"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/grunnlag/grunnlag/internal/ingest"
	"github.com/grunnlag/grunnlag/internal/pxweb"
	"github.com/grunnlag/grunnlag/internal/pxweb/pxwebtest"
	"github.com/grunnlag/grunnlag/internal/store"
)

// pxwebSync returns a SyncFunc like the one `grunnlag serve` builds: the
// pack's tables from the PxWeb server at baseURL.
func pxwebSync(st store.Store, ids []string, baseURL string) SyncFunc {
	return func(ctx context.Context, obs ingest.Observer) []ingest.Result {
		c, err := pxweb.NewClient(baseURL, pxweb.Options{HTTPClient: &http.Client{}, Version: "test", RequestTimeout: 5 * time.Second,
			MaxAttempts: 2, BackoffBase: time.Millisecond, BackoffMax: time.Millisecond})
		if err != nil {
			panic("NewClient(" + baseURL + "): " + err.Error())
		}
		return ingest.NewSyncer(ingest.SyncerConfig{Client: c, Store: st, Observer: obs}).Sync(ctx, ids)
	}
}

func TestSyncFromTheWeb(t *testing.T) {
	fake := pxwebtest.New()
	defer fake.Close()
	// Constructed test data, not SSB's figures.
	fake.AddTable(pxwebtest.ConstructedTable("12041", 3, 2, 4))
	var e *env
	e = newEnv(t, func(c *Config) {
		c.Sync = func(ctx context.Context, obs ingest.Observer) []ingest.Result {
			return pxwebSync(c.Store, []string{"12041", "12038"}, fake.URL())(ctx, obs)
		}
	})
	// Warm the cache, so the test sees it invalidated.
	var before apiTableDetail
	getJSON(t, e, "/api/v1/tables/12041", &before)

	analyst := e.signIn(t, "analytiker@example.invalid", store.RoleAnalyst, "")
	bearer := http.Header{"Authorization": {"Bearer " + analyst.token}}
	resp, body := e.do(t, http.MethodPost, "/api/v1/sync", bearer, nil)
	if resp.StatusCode != http.StatusAccepted {
		t.Fatalf("POST /api/v1/sync = %d\n%s", resp.StatusCode, body)
	}
	if err := e.srv.WaitSync(t.Context()); err != nil {
		t.Fatal(err)
	}
	var st SyncStatus
	getJSON(t, e, "/api/v1/sync", &st)
	if st.Running || st.Done != 2 || len(st.Results) != 2 || st.Results[0].Outcome != store.Added || st.Results[1].Outcome != store.Failed || st.Results[1].Error == "" {
		t.Errorf("sync status = %+v", st)
	}
	var after apiTableDetail
	getJSON(t, e, "/api/v1/tables/12041", &after)
	if len(after.Versions) != len(before.Versions)+1 || after.Updated == before.Updated && after.SHA256 == before.SHA256 {
		t.Errorf("after sync: %d versions (before %d), sha %s; the cache was not invalidated", len(after.Versions), len(before.Versions), after.SHA256)
	}
	// The table list and the sync's results give the same reason and say
	// what was kept.
	_, tables := e.get(t, "/tabeller")
	if why := html.EscapeString(st.Results[1].Error); !strings.Contains(tables, why) || !strings.Contains(why, "er beholdt") {
		t.Errorf("the table page does not say why 12038 failed and what was kept (%q)", why)
	}
	_, page := e.get(t, "/synk")
	if !strings.Contains(page, "Tabell 12041: ny versjon lagret") || !strings.Contains(page, "Tabell 12038: mislyktes") {
		t.Errorf("sync page does not show the results")
	}
	_, metrics := e.get(t, "/metrics")
	for _, want := range []string{`grunnlag_sync_results_total{outcome="added"} 1`, `grunnlag_sync_results_total{outcome="failed"} 1`} {
		if !strings.Contains(metrics, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	// A second start while one runs is a conflict.
	block := make(chan struct{})
	e.srv.cfg.Sync = func(ctx context.Context, obs ingest.Observer) []ingest.Result { <-block; return nil }
	if err := e.srv.StartSync("test"); err != nil {
		t.Fatal(err)
	}
	resp, _ = e.do(t, http.MethodPost, "/api/v1/sync", bearer, nil)
	if resp.StatusCode != http.StatusConflict {
		t.Errorf("POST while running = %d, want 409", resp.StatusCode)
	}
	_, page = e.get(t, "/synk")
	if !strings.Contains(page, "Synkronisering pågår") || !strings.Contains(page, `http-equiv="refresh"`) {
		t.Errorf("sync page while running lacks the progress or the refresh")
	}
	close(block)
	e.srv.WaitSync(t.Context())
}

// TestSSBUnreachable: the site keeps working with what is stored and says
// that the last sync failed.
func TestSSBUnreachable(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	dead := "http://" + ln.Addr().String() + "/api/pxwebapi/v2"
	ln.Close() // nothing listens there now
	e := newEnv(t, func(c *Config) {
		c.Sync = func(ctx context.Context, obs ingest.Observer) []ingest.Result {
			return pxwebSync(c.Store, []string{"12041", "12618"}, dead)(ctx, obs)
		}
		c.Now = time.Now // the attempts are recorded with the real clock
	})
	if err := e.srv.StartSync("oppstart"); err != nil {
		t.Fatal(err)
	}
	e.srv.WaitSync(t.Context())
	for _, path := range []string{"/", "/tabeller"} {
		resp, body := e.get(t, path)
		if resp.StatusCode != 200 {
			t.Fatalf("GET %s = %d", path, resp.StatusCode)
		}
		if !strings.Contains(body, "Siste forsøk på å hente fra SSB mislyktes") || !strings.Contains(body, "Sidene viser lagrede data") {
			t.Errorf("GET %s does not say the sync failed and stored data is shown", path)
		}
	}
	_, body := e.get(t, "/synk")
	if !strings.Contains(body, "Får ikke kontakt med statistikkserveren") {
		t.Errorf("sync page lacks the reason")
	}
}

func TestHealthz(t *testing.T) {
	e := newEnv(t)
	var h health
	if resp := getJSON(t, e, "/healthz", &h); resp.StatusCode != 200 || h.Status != "ok" || h.Schema == 0 {
		t.Errorf("healthz = %d %+v", resp.StatusCode, h)
	}
	e.st.Close()
	if resp := getJSON(t, e, "/healthz", &h); resp.StatusCode != 503 || h.Status != "feil" {
		t.Errorf("healthz with the store closed = %d %+v, want 503", resp.StatusCode, h)
	}
}

func TestMetrics(t *testing.T) {
	e := newEnv(t)
	e.get(t, "/tabeller")
	e.get(t, "/tabeller/13615")
	e.get(t, "/ingenting")
	resp, body := e.get(t, "/metrics")
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/plain") {
		t.Fatalf("GET /metrics = %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	for _, want := range []string{
		`grunnlag_http_requests_total{code="200",method="GET",route="GET /tabeller"} 1`,
		`grunnlag_http_requests_total{code="200",method="GET",route="GET /tabeller/{id}"} 1`,
		`grunnlag_http_requests_total{code="404",method="GET",route="/"} 1`,
		`grunnlag_http_request_duration_seconds_bucket{route="GET /tabeller",le="5"} 1`,
		`grunnlag_table_data_age_seconds{table="13615"}`,
		`grunnlag_table_data_age_seconds{table="12041"} 259200`,
		`grunnlag_sync_results_total{outcome="failed"} 0`,
		`grunnlag_build_info{version="test"} 1`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
}

// TestServeShutsDownGracefully serves on a real listener, answers a
// request, and returns when the context ends.
func TestServeShutsDownGracefully(t *testing.T) {
	e := newEnv(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- e.srv.Serve(ctx, ln) }()
	resp, err := http.Get("http://" + ln.Addr().String() + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	var h health
	json.NewDecoder(resp.Body).Decode(&h)
	resp.Body.Close()
	if h.Status != "ok" {
		t.Errorf("healthz over the listener = %+v", h)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Serve after cancel = %v, want nil", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("Serve did not return after the context ended")
	}
}

package web

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/grunnlag/grunnlag/internal/store"
)

// deadlineStore is the real store with a check on every read the web
// makes: the context must carry a deadline. block makes LatestSnapshot
// wait for its context to end, as a store stuck on a lock would.
type deadlineStore struct {
	store.Store
	block atomic.Bool

	mu      sync.Mutex
	calls   int
	missing []string
}

func (d *deadlineStore) check(ctx context.Context, call string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.calls++
	if _, ok := ctx.Deadline(); !ok {
		d.missing = append(d.missing, call)
	}
}

func (d *deadlineStore) LatestSnapshot(ctx context.Context, id string) (*store.Snapshot, error) {
	d.check(ctx, "LatestSnapshot")
	if d.block.Load() {
		<-ctx.Done()
		return nil, ctx.Err()
	}
	return d.Store.LatestSnapshot(ctx, id)
}

func (d *deadlineStore) Snapshot(ctx context.Context, id int64) (*store.Snapshot, error) {
	d.check(ctx, "Snapshot")
	return d.Store.Snapshot(ctx, id)
}

func (d *deadlineStore) Snapshots(ctx context.Context, id string) ([]store.SnapshotInfo, error) {
	d.check(ctx, "Snapshots")
	return d.Store.Snapshots(ctx, id)
}

func (d *deadlineStore) Tables(ctx context.Context) ([]store.TableSummary, error) {
	d.check(ctx, "Tables")
	return d.Store.Tables(ctx)
}

func (d *deadlineStore) SyncAttempts(ctx context.Context, id string, limit int) ([]store.SyncAttempt, error) {
	d.check(ctx, "SyncAttempts")
	return d.Store.SyncAttempts(ctx, id, limit)
}

func (d *deadlineStore) SnapshotAsOf(ctx context.Context, id string, t time.Time) (*store.Snapshot, error) {
	d.check(ctx, "SnapshotAsOf")
	return d.Store.SnapshotAsOf(ctx, id, t)
}

func (d *deadlineStore) CatalogInfo(ctx context.Context) (store.CatalogInfo, error) {
	d.check(ctx, "CatalogInfo")
	return d.Store.CatalogInfo(ctx)
}

func (d *deadlineStore) CatalogEntries(ctx context.Context, kind string) ([]store.CatalogEntry, error) {
	d.check(ctx, "CatalogEntries")
	return d.Store.CatalogEntries(ctx, kind)
}

func (d *deadlineStore) SearchCatalog(ctx context.Context, q string, limit int) ([]store.SearchHit, error) {
	d.check(ctx, "SearchCatalog")
	return d.Store.SearchCatalog(ctx, q, limit)
}

func (d *deadlineStore) SchemaVersion(ctx context.Context) (int, error) {
	d.check(ctx, "SchemaVersion")
	return d.Store.SchemaVersion(ctx)
}

// TestEveryStoreCallHasADeadline: every page, download and API answer
// reads the store under a context with the request's deadline.
func TestEveryStoreCallHasADeadline(t *testing.T) {
	ds := &deadlineStore{}
	e := newEnv(t, func(c *Config) {
		ds.Store = c.Store
		c.Store = ds
	})
	// The start pages, then every page they link to (one level).
	queue := []string{"/", "/tabeller", "/tabeller/13615", "/tabeller/13615/csv", "/tabeller/13615/xlsx", "/tabeller/13615/json-stat",
		"/sok?q=beredskap", "/rapport", "/rapport/rapport.json", "/healthz", "/metrics",
		"/api/v1/tables", "/api/v1/tables/13615", "/api/v1/tables/13615/view", "/api/v1/tables/13615/data",
		"/api/v1/indicators", "/api/v1/search?q=beredskap", "/api/v1/report", "/api/v1/sync"}
	seen := map[string]bool{}
	for i := 0; i < len(queue); i++ {
		path := queue[i]
		resp, body := e.get(t, path)
		if resp.StatusCode >= 500 {
			t.Errorf("GET %s = %d", path, resp.StatusCode)
		}
		if i >= 3 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
			continue // links are followed from the first pages only
		}
		walk(parseHTML(t, body), func(n *html.Node) {
			href, _ := attr(n, "href")
			u, err := url.Parse(href)
			if n.Data != "a" || err != nil || u.Host != "" || !strings.HasPrefix(u.Path, "/") || seen[u.RequestURI()] {
				return
			}
			seen[u.RequestURI()] = true
			queue = append(queue, u.RequestURI())
		})
	}
	ds.mu.Lock()
	defer ds.mu.Unlock()
	if ds.calls < 10 {
		t.Fatalf("only %d store calls; the check saw nothing", ds.calls)
	}
	if len(ds.missing) > 0 {
		t.Errorf("%d of %d store calls had no deadline: %v", len(ds.missing), ds.calls, ds.missing)
	}
}

// TestRequestDeadline: a request whose store call does not return in
// time is answered with 503 and a message, once its deadline passes.
func TestRequestDeadline(t *testing.T) {
	ds := &deadlineStore{}
	ds.block.Store(true)
	e := newEnv(t, func(c *Config) {
		ds.Store = c.Store
		c.Store = ds
		c.Limits.RequestTimeout = 200 * time.Millisecond
	})
	// Without the deadline the request waited for ever; the client's
	// own timeout turns that into a failure here.
	client := &http.Client{Timeout: 30 * time.Second}
	resp, err := client.Get(e.ts.URL + "/api/v1/tables/13615/view")
	if err != nil {
		t.Fatalf("GET view with a stuck store: %v", err)
	}
	defer resp.Body.Close()
	var p problem
	if err := json.NewDecoder(resp.Body).Decode(&p); err != nil || resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(p.Detail, "tok for lang tid") {
		t.Errorf("GET view with a stuck store = %d %+v (%v); want a 503 problem saying it took too long", resp.StatusCode, p, err)
	}
	// Nothing of the failed request is kept: the next one tries again.
	ds.block.Store(false)
	if resp, _ := e.get(t, "/api/v1/tables/13615/view"); resp.StatusCode != 200 {
		t.Errorf("GET view after the store recovered = %d, want 200", resp.StatusCode)
	}
}

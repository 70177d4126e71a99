package ingest_test

import (
	"context"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/grunnlag/grunnlag/internal/fault"
	"github.com/grunnlag/grunnlag/internal/ingest"
	"github.com/grunnlag/grunnlag/internal/jsonstat"
	"github.com/grunnlag/grunnlag/internal/pxweb"
	"github.com/grunnlag/grunnlag/internal/pxweb/pxwebtest"
	"github.com/grunnlag/grunnlag/internal/store"
	"github.com/grunnlag/grunnlag/internal/store/sqlstore"
)

// openStore opens a fresh SQLite file in the test's temporary folder.
func openStore(t *testing.T) *sqlstore.DB {
	t.Helper()
	db, err := sqlstore.Open(context.Background(), filepath.Join(t.TempDir(), "grunnlag.db"), sqlstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// newClient returns a client for srv that never really sleeps and gives up
// quickly, so fault tests run fast.
func newClient(srv *pxwebtest.Server, timeout time.Duration) *pxweb.Client {
	return mustClient(srv.URL(), pxweb.Options{
		HTTPClient:     &http.Client{},
		Version:        "test",
		MaxAttempts:    3,
		RequestTimeout: timeout,
		BackoffBase:    time.Millisecond,
		BackoffMax:     time.Millisecond,
		RetryAfterMax:  time.Millisecond,
		Sleep: func(ctx context.Context, d time.Duration) error {
			return ctx.Err()
		},
	})
}

func mustClient(baseURL string, opts pxweb.Options) *pxweb.Client {
	c, err := pxweb.NewClient(baseURL, opts)
	if err != nil {
		panic("NewClient(" + baseURL + "): " + err.Error())
	}
	return c
}

func newSyncer(srv *pxwebtest.Server, st ingest.Store) *ingest.Syncer {
	return ingest.NewSyncer(ingest.SyncerConfig{Client: newClient(srv, 2*time.Second), Store: st, Lang: "no"})
}

// server returns a fake SSB with the recorded table 03024 and a constructed
// table 99901 (constructed test data, not SSB figures).
func server(t *testing.T, opts ...pxwebtest.Option) *pxwebtest.Server {
	t.Helper()
	srv := pxwebtest.New(opts...)
	t.Cleanup(srv.Close)
	rec, err := pxwebtest.FixtureTable("pxweb/ssb-v2/03024/data-POST.json")
	if err != nil {
		t.Fatal(err)
	}
	srv.AddTable(rec)
	srv.AddTable(pxwebtest.ConstructedTable("99901", 4, 2, 6))
	return srv
}

func TestSyncStoresEachTable(t *testing.T) {
	srv := server(t)
	st := openStore(t)
	rs := newSyncer(srv, st).Sync(context.Background(), []string{"03024", "99901"})
	for _, r := range rs {
		if r.Err != nil || r.Outcome != store.Added {
			t.Fatalf("Sync %s = %v, %v; want added", r.TableID, r.Outcome, r.Err)
		}
	}

	snap, err := st.LatestSnapshot(context.Background(), "03024")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := snap.Cells(), 172; got != want {
		t.Errorf("03024 cells = %d, want %d", got, want)
	}
	if got, want := snap.Updated, "2025-10-29T07:00:00Z"; got != want {
		t.Errorf("03024 updated = %q, want %q", got, want)
	}
	if !strings.HasPrefix(snap.Source, srv.URL()+"/tables/03024/data") {
		t.Errorf("03024 source = %q, want the data URL", snap.Source)
	}
	if len(snap.SHA256) != 64 {
		t.Errorf("03024 sha256 = %q, want 64 hex digits", snap.SHA256)
	}
	// Section 8 B of docs/pxweb-brief.md: {02, Kilopris, 2025U43} is the last cell.
	d := snap.Data
	idx := d.Index(d.Dimension("VareGrupper2").Position("02"), d.Dimension("ContentsCode").Position("Kilopris"), d.Dimension("Tid").Position("2025U43"))
	if v, ok := d.Value(idx); !ok || v != 74.86 {
		t.Errorf("03024 {02, Kilopris, 2025U43} = %v (present %v), want 74.86", v, ok)
	}

	raw, err := st.SnapshotRaw(context.Background(), snap.ID)
	if err != nil {
		t.Fatal(err)
	}
	again, err := jsonstat.Decode(raw[0])
	if err != nil {
		t.Fatalf("stored raw body does not decode: %v", err)
	}
	if again.Len() != 172 {
		t.Errorf("re-decoded raw body has %d cells, want 172", again.Len())
	}

	attempts, err := st.SyncAttempts(context.Background(), "99901", 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(attempts) != 1 || attempts[0].Outcome != store.Added {
		t.Errorf("sync attempts for 99901 = %+v, want one added", attempts)
	}
}

func TestResyncUnchangedFetchesNothing(t *testing.T) {
	srv := server(t)
	st := openStore(t)
	ctx := context.Background()
	if rs := newSyncer(srv, st).Sync(ctx, []string{"99901"}); rs[0].Err != nil {
		t.Fatal(rs[0].Err)
	}
	srv.ResetRequests()

	rs := newSyncer(srv, st).Sync(ctx, []string{"99901"})
	if rs[0].Err != nil || rs[0].Outcome != store.Unchanged {
		t.Fatalf("second Sync = %v, %v; want unchanged", rs[0].Outcome, rs[0].Err)
	}
	if n := srv.Count(pxwebtest.Data) + srv.Count(pxwebtest.Metadata); n != 0 {
		t.Errorf("unchanged re-sync made %d metadata/data requests, want 0", n)
	}
	if n := snapshotCount(t, st, "99901"); n != 1 {
		t.Errorf("snapshots after unchanged re-sync = %d, want 1", n)
	}

	// SSB publishes: a new "updated" brings a new version.
	srv.SetUpdated("99901", "2030-05-02T06:00:00Z")
	rs = newSyncer(srv, st).Sync(ctx, []string{"99901"})
	if rs[0].Err != nil || rs[0].Outcome != store.Added {
		t.Fatalf("Sync after update = %v, %v; want added", rs[0].Outcome, rs[0].Err)
	}
	if n := snapshotCount(t, st, "99901"); n != 2 {
		t.Errorf("snapshots after update = %d, want 2", n)
	}
}

func TestSyncSplitEqualsUnsplit(t *testing.T) {
	ctx := context.Background()
	// Constructed test data: 8 years x 3 levels x 20 variables x 3 statuses = 1440 cells.
	table := pxwebtest.ConstructedTable("99902", 8, 3, 20)

	whole := pxwebtest.New()
	defer whole.Close()
	whole.AddTable(table)
	limited := pxwebtest.New(pxwebtest.WithMaxCells(200))
	defer limited.Close()
	limited.AddTable(table)

	a, b := openStore(t), openStore(t)
	if rs := newSyncer(whole, a).Sync(ctx, []string{"99902"}); rs[0].Err != nil {
		t.Fatal(rs[0].Err)
	}
	rs := newSyncer(limited, b).Sync(ctx, []string{"99902"})
	if rs[0].Err != nil {
		t.Fatal(rs[0].Err)
	}
	if rs[0].Parts < 8 {
		t.Errorf("split sync used %d parts, want at least 8 for 1440 cells at 200 per request", rs[0].Parts)
	}
	if n := limited.Count(pxwebtest.Data); n != rs[0].Parts {
		t.Errorf("server saw %d data requests, result says %d parts", n, rs[0].Parts)
	}
	sa, err := a.LatestSnapshot(ctx, "99902")
	if err != nil {
		t.Fatal(err)
	}
	sb, err := b.LatestSnapshot(ctx, "99902")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(sa.Data, sb.Data, cmpopts.EquateNaNs(), cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("split snapshot differs from unsplit (-unsplit +split):\n%s", diff)
	}
	raw, err := b.SnapshotRaw(ctx, sb.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(raw) != rs[0].Parts {
		t.Errorf("stored %d raw parts, want %d", len(raw), rs[0].Parts)
	}
}

// TestSyncFaults runs a sync against each fault the fake server injects. The
// first sync stores a good version; the faulty second sync (after SSB "publishes")
// must fail with a clear error and leave that version current, while another
// table in the same run still syncs.
func TestSyncFaults(t *testing.T) {
	tests := []struct {
		name    string
		fault   pxwebtest.Fault
		kind    fault.Kind
		message string // a part of the error text
	}{
		{"429 without Retry-After", pxwebtest.Fault{Kind: pxwebtest.StatusFault, Status: 429, Title: "Too many requests", Detail: "30 request per minute"}, fault.Unavailable, "429 Too Many Requests after 3 attempts"},
		{"429 with Retry-After", pxwebtest.Fault{Kind: pxwebtest.StatusFault, Status: 429, RetryAfter: "1"}, fault.Unavailable, "429 Too Many Requests after 3 attempts"},
		{"500", pxwebtest.Fault{Kind: pxwebtest.StatusFault, Status: 500}, fault.Unavailable, "500 Internal Server Error after 3 attempts"},
		{"503", pxwebtest.Fault{Kind: pxwebtest.StatusFault, Status: 503}, fault.Unavailable, "503 Service Unavailable after 3 attempts"},
		{"slow past the timeout", pxwebtest.Fault{Kind: pxwebtest.Slow, Delay: 5 * time.Second}, fault.Unavailable, "after 3 attempts"},
		{"truncated body", pxwebtest.Fault{Kind: pxwebtest.TruncatedBody}, fault.Unavailable, "after 3 attempts"},
		{"invalid JSON", pxwebtest.Fault{Kind: pxwebtest.InvalidJSON}, fault.Invalid, "unexpected end of input"},
		{"size disagrees with value", pxwebtest.Fault{Kind: pxwebtest.SizeMismatch}, fault.Invalid, "/tables/99901/data: value: 143 entries, size says 144"},
		{"metadata instead of data", pxwebtest.Fault{Kind: pxwebtest.EmptyValues}, fault.Invalid, "/tables/99901/data: response has no values"},
		{"proxy error page", pxwebtest.Fault{Kind: pxwebtest.NonJSONError, Status: 502}, fault.Unavailable, "502 Bad Gateway"},
		{"404", pxwebtest.Fault{Kind: pxwebtest.StatusFault, Status: 404, Title: "Non-existent table"}, fault.NotFound, "Non-existent table"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			srv := server(t)
			st := openStore(t)
			if rs := newSyncer(srv, st).Sync(ctx, []string{"99901"}); rs[0].Err != nil {
				t.Fatal(rs[0].Err)
			}
			before, err := st.LatestSnapshot(ctx, "99901")
			if err != nil {
				t.Fatal(err)
			}

			srv.SetUpdated("99901", "2031-01-01T07:00:00Z")
			f := tt.fault
			f.Path = "/tables/99901/data"
			if tt.kind == fault.NotFound {
				f.Path = "/tables/99901"
			}
			srv.Inject(f)
			syncer := ingest.NewSyncer(ingest.SyncerConfig{Client: newClient(srv, 300*time.Millisecond), Store: st})
			rs := syncer.Sync(ctx, []string{"99901", "03024"})

			bad, good := rs[0], rs[1]
			t.Logf("error: %v", bad.Err)
			if bad.Err == nil {
				t.Fatalf("Sync with fault %s succeeded (%v), want an error", tt.name, bad.Outcome)
			}
			if bad.Outcome != store.Failed {
				t.Errorf("outcome = %v, want failed", bad.Outcome)
			}
			if got := fault.KindOf(bad.Err); got != tt.kind {
				t.Errorf("error kind = %v, want %v (error: %v)", got, tt.kind, bad.Err)
			}
			msg := bad.Err.Error()
			if !strings.HasPrefix(msg, "table 99901: ") || !strings.Contains(msg, tt.message) {
				t.Errorf("error = %q, want it to start with the table and contain %q", msg, tt.message)
			}
			if good.Err != nil || good.Outcome != store.Added {
				t.Errorf("other table in the same run = %v, %v; want added", good.Outcome, good.Err)
			}

			after, err := st.LatestSnapshot(ctx, "99901")
			if err != nil {
				t.Fatal(err)
			}
			if after.ID != before.ID || after.Updated != before.Updated {
				t.Errorf("current snapshot changed to %d (%s), want %d (%s)", after.ID, after.Updated, before.ID, before.Updated)
			}
			if n := snapshotCount(t, st, "99901"); n != 1 {
				t.Errorf("snapshots = %d, want 1 (nothing partial stored)", n)
			}
			attempts, err := st.SyncAttempts(ctx, "99901", 1)
			if err != nil {
				t.Fatal(err)
			}
			if len(attempts) != 1 || attempts[0].Outcome != store.Failed || !strings.Contains(attempts[0].Error, tt.message) {
				t.Errorf("last attempt = %+v, want a failure recording %q", attempts, tt.message)
			}
		})
	}
}

func TestSyncCancelledStoresNothing(t *testing.T) {
	srv := server(t)
	st := openStore(t)
	srv.Inject(pxwebtest.Fault{Kind: pxwebtest.Slow, Path: "/tables/99901/data", Delay: 10 * time.Second})
	ctx, cancel := context.WithCancel(context.Background())
	obs := &cancelOnStage{stage: ingest.StageData, cancel: cancel}
	syncer := ingest.NewSyncer(ingest.SyncerConfig{Client: newClient(srv, 20*time.Second), Store: st, Observer: obs})
	rs := syncer.Sync(ctx, []string{"99901"})
	if rs[0].Err == nil {
		t.Fatal("Sync after cancel succeeded, want an error")
	}
	if _, err := st.LatestSnapshot(context.Background(), "99901"); !fault.Is(err, fault.NotFound) {
		t.Errorf("LatestSnapshot after cancelled sync: err = %v, want not found", err)
	}
	attempts, err := st.SyncAttempts(context.Background(), "99901", 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(attempts) != 1 || attempts[0].Outcome != store.Failed {
		t.Errorf("attempts = %+v, want the cancelled run recorded as failed", attempts)
	}
}

func TestSyncRejectsBadTableID(t *testing.T) {
	srv := server(t)
	st := openStore(t)
	rs := newSyncer(srv, st).Sync(context.Background(), []string{"../config"})
	if rs[0].Err == nil || fault.KindOf(rs[0].Err) != fault.Invalid {
		t.Fatalf("Sync(../config) err = %v, want invalid", rs[0].Err)
	}
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("bad id led to %d requests, want 0", n)
	}
}

// cancelOnStage cancels the run when a table reaches a stage, as Ctrl-C would.
type cancelOnStage struct {
	stage  ingest.Stage
	cancel context.CancelFunc
}

func (c *cancelOnStage) Start(int) {}
func (c *cancelOnStage) Stage(_ string, s ingest.Stage) {
	if s == c.stage {
		go func() { time.Sleep(50 * time.Millisecond); c.cancel() }()
	}
}
func (c *cancelOnStage) Parts(string, int, int) {}
func (c *cancelOnStage) Finish(ingest.Result)   {}
func (c *cancelOnStage) End()                   {}

func snapshotCount(t *testing.T, st store.Store, id string) int {
	t.Helper()
	infos, err := st.Snapshots(context.Background(), id)
	if err != nil && !fault.Is(err, fault.NotFound) {
		t.Fatal(err)
	}
	return len(infos)
}

func TestSyncUnreachableServerSkipsTheRest(t *testing.T) {
	srv := pxwebtest.New()
	url := srv.URL()
	srv.Close() // nothing listens there any more: as behind a firewall
	st := openStore(t)
	client := mustClient(url, pxweb.Options{
		HTTPClient: &http.Client{}, MaxAttempts: 2,
		Sleep: func(ctx context.Context, _ time.Duration) error { return ctx.Err() },
	})
	rs := ingest.NewSyncer(ingest.SyncerConfig{Client: client, Store: st}).Sync(context.Background(), []string{"12041", "12038"})
	if len(rs) != 2 {
		t.Fatalf("got %d results, want 2", len(rs))
	}
	for _, r := range rs {
		if fault.KindOf(r.Err) != fault.Unavailable || !strings.Contains(fault.UserMessage(r.Err), "grunnlag import") {
			t.Errorf("table %s: err = %v (user message %q), want unavailable pointing to import", r.TableID, r.Err, fault.UserMessage(r.Err))
		}
	}
	if !strings.Contains(rs[1].Err.Error(), "skipped") {
		t.Errorf("second table err = %v, want skipped after the first found the server unreachable", rs[1].Err)
	}
}

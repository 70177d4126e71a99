package web

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/grunnlag/grunnlag/internal/ingest"
	"github.com/grunnlag/grunnlag/internal/store"
)

// The cache keeps what the pages and the API need in memory: the list of
// tables, decoded snapshots and views computed from them. A snapshot never
// changes once stored, so the only event that makes cached data wrong is a
// new snapshot: the server's own sync invalidates the cache when it adds
// one, and the table list is re-read every tableListTTL so a snapshot
// added by another process (grunnlag import) shows up too.
const (
	tableListTTL = 15 * time.Second
	maxEntries   = 1024 // computed values kept before the cache starts afresh
)

type cache struct {
	st  store.Store
	now func() time.Time

	mu       sync.Mutex
	gen      uint64            // bumped by every invalidation
	entries  map[string]*entry // by key; replaced whole on invalidation
	tables   []store.TableSummary
	tablesAt time.Time // when tables was read; zero: not read
	tablesMu sync.Mutex
}

// entry is one cached value. The first caller loads it; callers that come
// while it loads wait for the same result.
type entry struct {
	done chan struct{}
	val  any
	err  error
}

func newCache(st store.Store, now func() time.Time) *cache {
	return &cache{st: st, now: now, entries: map[string]*entry{}}
}

// invalidate forgets everything; the next request reads the store again.
func (c *cache) invalidate() {
	c.mu.Lock()
	c.gen++
	c.entries = map[string]*entry{}
	c.mu.Unlock()
	c.tablesMu.Lock()
	c.tablesAt = time.Time{}
	c.tablesMu.Unlock()
}

// generation returns a number that changes whenever the cache is
// invalidated, for keys of values derived outside the cache.
func (c *cache) generation() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.gen
}

// get returns the value cached under key, loading it with load when it is
// not there. Errors are not kept: the next call tries again.
func (c *cache) get(ctx context.Context, key string, load func(context.Context) (any, error)) (any, error) {
	c.mu.Lock()
	m := c.entries
	e, ok := m[key]
	if !ok {
		if len(m) >= maxEntries {
			m = map[string]*entry{}
			c.entries = m
		}
		e = &entry{done: make(chan struct{})}
		m[key] = e
	}
	c.mu.Unlock()
	if ok {
		select {
		case <-e.done:
			return e.val, e.err
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	// Whatever happens in load, a panic included, the waiters are released
	// and a failed entry is dropped; otherwise a panicking handler would
	// leave every later request for the key waiting forever.
	loaded := false
	defer func() {
		if !loaded {
			e.err = fmt.Errorf("cache %s: load panicked", key)
		}
		if e.err != nil {
			c.mu.Lock()
			if m[key] == e {
				delete(m, key)
			}
			c.mu.Unlock()
		}
		close(e.done)
	}()
	// Load under a context that outlives this request, so one client
	// going away does not fail every request waiting for the same value.
	e.val, e.err = load(context.WithoutCancel(ctx))
	loaded = true
	return e.val, e.err
}

// forget drops one key.
func (c *cache) forget(key string) {
	c.mu.Lock()
	delete(c.entries, key)
	c.mu.Unlock()
}

// tableList returns the stored tables, re-read from the store at most every
// tableListTTL. When the newest snapshot of any table differs from what the
// cache last saw, everything derived from snapshots is forgotten.
func (c *cache) tableList(ctx context.Context) ([]store.TableSummary, error) {
	c.tablesMu.Lock()
	defer c.tablesMu.Unlock()
	now := c.now()
	if !c.tablesAt.IsZero() && now.Sub(c.tablesAt) < tableListTTL {
		return c.tables, nil
	}
	ts, err := c.st.Tables(ctx)
	if err != nil {
		return nil, err
	}
	if !c.tablesAt.IsZero() && !sameLatest(c.tables, ts) {
		c.mu.Lock()
		c.gen++
		c.entries = map[string]*entry{}
		c.mu.Unlock()
	}
	c.tables, c.tablesAt = ts, now
	return ts, nil
}

func sameLatest(a, b []store.TableSummary) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Latest.ID != b[i].Latest.ID || a[i].Snapshots != b[i].Snapshots {
			return false
		}
	}
	return true
}

// latest returns the newest snapshot of a table, decoded.
func (c *cache) latest(ctx context.Context, tableID string) (*store.Snapshot, error) {
	v, err := c.get(ctx, "snap:"+tableID, func(ctx context.Context) (any, error) {
		return c.st.LatestSnapshot(ctx, tableID)
	})
	if err != nil {
		return nil, err
	}
	return v.(*store.Snapshot), nil
}

// attempts returns the newest sync attempts of a table. An attempt adds no
// snapshot when it fails or finds nothing new, so attempts are cached for
// tableListTTL at most, whatever the snapshots do.
func (c *cache) attempts(ctx context.Context, tableID string) ([]store.SyncAttempt, error) {
	bucket := c.now().UnixNano() / int64(tableListTTL)
	v, err := c.get(ctx, fmt.Sprintf("attempts:%s:%d", tableID, bucket), func(ctx context.Context) (any, error) {
		return c.st.SyncAttempts(ctx, tableID, 5)
	})
	if err != nil {
		return nil, err
	}
	return v.([]store.SyncAttempt), nil
}

// versions returns the stored versions of a table, newest first, with
// their sources as people may see them (ingest.ShownSource).
func (c *cache) versions(ctx context.Context, tableID string) ([]store.SnapshotInfo, error) {
	v, err := c.get(ctx, "versions:"+tableID, func(ctx context.Context) (any, error) {
		vs, err := c.st.Snapshots(ctx, tableID)
		for i := range vs {
			vs[i].Source = ingest.ShownSource(vs[i].Source)
		}
		return vs, err
	})
	if err != nil {
		return nil, err
	}
	return v.([]store.SnapshotInfo), nil
}

package web

import (
	"container/list"
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/grunnlag/grunnlag/internal/ingest"
	"github.com/grunnlag/grunnlag/internal/store"
)

// The cache keeps what the pages and the API need in memory: the list of
// tables, decoded snapshots, views computed from them and whole answers.
// A snapshot never changes once stored, so the only event that makes
// cached data wrong is a new snapshot: the server's own sync invalidates
// the cache when it adds one, and the table list is re-read every
// tableListTTL so a snapshot added by another process (grunnlag import)
// shows up too.
//
// Anyone can make the server compute a new value (a view nobody asked for
// before), so the cache is bounded by the estimated bytes of its values
// (Limits.CacheBytes) as well as their number (Limits.CacheEntries); the
// least recently used values go first, and a value larger than the whole
// budget is handed to its callers but not kept.
const tableListTTL = 15 * time.Second

type cache struct {
	st         store.Store
	now        func() time.Time
	maxBytes   int64
	maxEntries int

	mu       sync.Mutex
	gen      uint64            // bumped by every invalidation
	entries  map[string]*entry // by key: loading and kept values
	lru      list.List         // kept values (*entry), most recently used first
	bytes    int64             // estimated size of the kept values
	tables   []store.TableSummary
	tablesAt time.Time // when tables was read; zero: not read
	tablesMu sync.Mutex
}

// entry is one cached value. The first caller loads it; callers that come
// while it loads wait for the same result.
type entry struct {
	key  string
	gen  uint64 // the generation it was loaded in
	done chan struct{}
	val  any
	err  error
	size int64
	elem *list.Element // in cache.lru once kept; nil while loading
}

func newCache(st store.Store, now func() time.Time, lim Limits) *cache {
	lim = lim.orDefault()
	return &cache{st: st, now: now, maxBytes: lim.CacheBytes, maxEntries: lim.CacheEntries, entries: map[string]*entry{}}
}

// invalidate forgets everything; the next request reads the store again.
func (c *cache) invalidate() {
	c.mu.Lock()
	c.dropAll()
	c.mu.Unlock()
	c.tablesMu.Lock()
	c.tablesAt = time.Time{}
	c.tablesMu.Unlock()
}

// dropAll forgets every value; loads under way finish for their callers
// but are not kept. c.mu must be held.
func (c *cache) dropAll() {
	c.gen++
	c.entries = map[string]*entry{}
	c.lru.Init()
	c.bytes = 0
}

// generation returns a number that changes whenever the cache is
// invalidated, for keys of values derived outside the cache.
func (c *cache) generation() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.gen
}

// get returns the value cached under key, loading it with load when it is
// not there. Errors are not kept: the next call tries again. load runs
// under a context that keeps ctx's deadline but not its cancellation, so
// one client going away does not fail every request waiting for the same
// value.
func (c *cache) get(ctx context.Context, key string, load func(context.Context) (any, error)) (any, error) {
	c.mu.Lock()
	e, ok := c.entries[key]
	if ok && e.elem != nil {
		c.lru.MoveToFront(e.elem)
	}
	if !ok {
		if len(c.entries) >= c.maxEntries {
			c.evictOldest()
		}
		e = &entry{key: key, gen: c.gen, done: make(chan struct{})}
		c.entries[key] = e
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
		c.settle(e)
		close(e.done)
	}()
	lctx, cancel := detach(ctx)
	defer cancel()
	e.val, e.err = load(lctx)
	loaded = true
	return e.val, e.err
}

// settle keeps a loaded entry, counting its size and making room for it,
// or drops it: when it failed, when the cache was invalidated while it
// loaded, or when it alone is larger than the whole budget.
func (c *cache) settle(e *entry) {
	c.mu.Lock()
	defer c.mu.Unlock()
	current := c.entries[e.key] == e && e.gen == c.gen
	if e.err == nil && current {
		e.size = sizeOf(e.val)
	}
	if e.err != nil || !current || e.size > c.maxBytes {
		if current {
			delete(c.entries, e.key)
		}
		return
	}
	e.elem = c.lru.PushFront(e)
	c.bytes += e.size
	for c.bytes > c.maxBytes && c.lru.Len() > 1 {
		c.evictOldest()
	}
}

// evictOldest drops the least recently used kept value. c.mu must be held.
func (c *cache) evictOldest() {
	back := c.lru.Back()
	if back == nil {
		return
	}
	old := back.Value.(*entry)
	c.lru.Remove(back)
	c.bytes -= old.size
	if c.entries[old.key] == old {
		delete(c.entries, old.key)
	}
}

// usage returns the number of kept values and their estimated bytes.
func (c *cache) usage() (int, int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.lru.Len(), c.bytes
}

// forget drops the value kept under key if it is v (a pointer): a newer
// value under the same key stays.
func (c *cache) forget(key string, v any) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[key]
	if !ok || e.elem == nil || e.val != v {
		return
	}
	c.lru.Remove(e.elem)
	c.bytes -= e.size
	delete(c.entries, key)
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
		c.dropAll()
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

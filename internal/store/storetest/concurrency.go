package storetest

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/grunnlag/grunnlag/internal/store"
)

// countdown is a context that cancels itself on the n-th call of Done. A
// store's code asks for Done before each statement (database/sql and the
// drivers do), so countdown cuts a save off at a reproducible point in its
// work without knowing how the store does that work.
type countdown struct {
	mu    sync.Mutex
	left  int
	calls int
	done  chan struct{}
	err   error
}

func newCountdown(n int) *countdown { return &countdown{left: n, done: make(chan struct{})} }

func (c *countdown) Deadline() (time.Time, bool) { return time.Time{}, false }
func (c *countdown) Value(any) any               { return nil }

func (c *countdown) Done() <-chan struct{} {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.calls++
	if c.left--; c.left == 0 {
		c.err = context.Canceled
		close(c.done)
	}
	return c.done
}

// Calls returns how many times Done has been called.
func (c *countdown) Calls() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.calls
}

func (c *countdown) Err() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.err
}

// testCancelled cuts a save off at many points of its work. Every cut-off
// save must fail with the context's error and leave the table as it was.
// The points are found by first saving the same data to another table and
// counting the calls of Done: then 1, 2, 4, ... calls (the start of the
// work) and every twentieth of the count (most of it is the cells).
func testCancelled(t *testing.T, st store.Archive) {
	old := version("12041", 1)
	save(t, st, old, true)
	before := tableState(t, st, "12041")

	// 10⁴ cells from 40 categories, so that the cells are much of the work.
	s := grid("12041", []int{10, 10, 10, 10}, "cancelled")
	probe := newCountdown(-1)
	if _, err := st.SaveSnapshot(probe, grid("probe", []int{10, 10, 10, 10}, "cancelled")); err != nil {
		t.Fatalf("SaveSnapshot(probe) = %v", err)
	}
	total := probe.Calls()
	for _, n := range cutPoints(total) {
		try := clone(s)
		added, err := st.SaveSnapshot(newCountdown(n), try)
		if err == nil {
			// Done may be asked for a little less often than in the probe,
			// but not half as often: that store would not watch ctx.
			if n < total/2 {
				t.Errorf("SaveSnapshot(cut after %d of about %d calls of Done) = nil error, want context.Canceled", n, total)
			}
			break
		}
		if !isContextErr(err) {
			t.Errorf("SaveSnapshot(cut after %d of %d) = %v, want context.Canceled", n, total, err)
		}
		if added || try.ID != 0 {
			t.Errorf("SaveSnapshot(cut after %d of %d) = added %v, ID %d, want false, 0", n, total, added, try.ID)
		}
		sameState(t, fmt.Sprintf("after a save cut after %d of %d", n, total), before, tableState(t, st, "12041"))
	}

	// The store is not left locked or broken: the save now goes through,
	// whole, unless a late cut let it finish.
	if _, err := st.SaveSnapshot(context.Background(), clone(s)); err != nil {
		t.Fatalf("SaveSnapshot() after cancelled saves = %v", err)
	}
	got := tableState(t, st, "12041")
	if len(got.Versions) != 2 || got.Latest == nil || got.Latest.SHA256 != s.SHA256 || !sameData(s.Data, got.Latest.Data) {
		t.Errorf("after the finished save: %d versions, want 2, and the new snapshot whole", len(got.Versions))
	}
}

// testConcurrentReaders reads a table while a large new version is saved:
// every read sees the old snapshot or the new one, whole.
func testConcurrentReaders(t *testing.T, st store.Archive) {
	ctx := context.Background()
	old := version("12041", 1)
	save(t, st, old, true)
	next := large("12041", 50_000, "readers")

	saved := make(chan struct{})
	var wg sync.WaitGroup
	for r := range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for reads := 0; ; reads++ {
				select {
				case <-saved:
					if reads > 0 {
						return
					}
				default:
				}
				if r == 2 {
					// One reader lists, the others load.
					list, err := st.Snapshots(ctx, "12041")
					if err != nil || len(list) < 1 || len(list) > 2 || list[len(list)-1].ID != old.ID {
						t.Errorf("Snapshots(12041) during a save = %v, %v, want the old version and perhaps the new", list, err)
						return
					}
					continue
				}
				got, err := st.LatestSnapshot(ctx, "12041")
				if err != nil {
					t.Errorf("LatestSnapshot(12041) during a save = %v", err)
					return
				}
				switch got.SHA256 {
				case old.SHA256:
					if !sameData(old.Data, got.Data) {
						t.Errorf("LatestSnapshot(12041) during a save: old snapshot with other data")
						return
					}
				case next.SHA256:
					if !sameData(next.Data, got.Data) {
						t.Errorf("LatestSnapshot(12041) during a save: new snapshot, partial or other data")
						return
					}
				default:
					t.Errorf("LatestSnapshot(12041) during a save = snapshot %s, want the old or the new", got.SHA256)
					return
				}
			}
		}()
	}
	added, err := st.SaveSnapshot(ctx, next)
	close(saved)
	wg.Wait()
	if err != nil || !added {
		t.Fatalf("SaveSnapshot(large) = %v, %v, want true, nil", added, err)
	}
}

// testConcurrentWriters saves the same content from several goroutines at
// once: one stores it, the others find it. Then it saves different tables
// at once: all are stored.
func testConcurrentWriters(t *testing.T, st store.Archive) {
	ctx := context.Background()
	save(t, st, version("12041", 1), true)
	content := large("12041", 5_000, "writers")

	const writers = 4
	type result struct {
		added bool
		id    int64
		err   error
	}
	results := make([]result, writers)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := clone(content)
			<-start
			added, err := st.SaveSnapshot(ctx, s)
			results[w] = result{added, s.ID, err}
		}()
	}
	close(start)
	wg.Wait()

	adds := 0
	for w, r := range results {
		if r.err != nil {
			t.Fatalf("writer %d: SaveSnapshot() = %v", w, r.err)
		}
		if r.added {
			adds++
		}
		if r.id != results[0].id {
			t.Errorf("writer %d: ID = %d, writer 0 got %d, want the same", w, r.id, results[0].id)
		}
	}
	if adds != 1 {
		t.Errorf("%d writers of the same content: %d added, want 1", writers, adds)
	}
	got := tableState(t, st, "12041")
	if len(got.Versions) != 2 || got.Latest == nil || got.Latest.ID != results[0].id || !sameData(content.Data, got.Latest.Data) {
		t.Errorf("after concurrent writers: %d versions, want 2, the newest whole", len(got.Versions))
	}

	// Different tables at once.
	tables := []string{"05810", "09654", "13615", "03024"}
	errs := make([]error, len(tables))
	start = make(chan struct{})
	for i, id := range tables {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := version(id, i+1)
			<-start
			added, err := st.SaveSnapshot(ctx, s)
			if err == nil && !added {
				t.Errorf("SaveSnapshot(%s) = not added, want added", id)
			}
			errs[i] = err
		}()
	}
	close(start)
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("SaveSnapshot(%s) concurrently = %v", tables[i], err)
		}
	}
	list, err := st.Tables(ctx)
	if err != nil || len(list) != 1+len(tables) {
		t.Errorf("Tables() = %d tables, %v, want %d, nil", len(list), err, 1+len(tables))
	}
}

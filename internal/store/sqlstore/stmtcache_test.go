package sqlstore

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"
)

// A query seen once is prepared in the background; from then on the
// transactions that ask for it use the prepared statement and get the
// same answers, on the readers' pool and on the writer's (whose one
// connection the asking transaction holds: preparing must not wait for
// it there).
func TestStatementsPrepared(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	const write = `INSERT INTO leases (name, holder, expires_at) VALUES (?, ?, '') ON CONFLICT (name) DO UPDATE SET holder = excluded.holder`
	const read = `SELECT holder FROM leases WHERE name = ?`
	for i := range 50 {
		want := strings.Repeat("x", i)
		if err := db.writeTx(ctx, func(tx *Tx) error {
			_, err := tx.exec(ctx, write, "konstruert", want)
			return err
		}); err != nil {
			t.Fatalf("write %d: %v", i, err)
		}
		var got string
		if err := db.readTx(ctx, func(tx *Tx) error {
			return tx.queryRow(ctx, read, "konstruert").Scan(&got)
		}); err != nil || got != want {
			t.Fatalf("read %d = %q, %v; want %q", i, got, err, want)
		}
		if i == 0 {
			waitPrepared(t, db.writeStmts, write)
			waitPrepared(t, db.readStmts, read)
		}
	}
}

func waitPrepared(t *testing.T, c *stmtCache, query string) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
		c.mu.Lock()
		st := c.stmts[query]
		c.mu.Unlock()
		if st != nil {
			return
		}
	}
	t.Fatalf("%q not prepared after 10 s", query)
}

// A query that cannot be prepared keeps failing where it runs, with
// SQLite's own message, and takes no prepared slot.
func TestStatementThatFailsToPrepare(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	for range 3 {
		err := db.readTx(ctx, func(tx *Tx) error {
			var n int
			return tx.queryRow(ctx, `SELECT COUNT(*) FROM no_such_table`).Scan(&n)
		})
		if err == nil || !strings.Contains(err.Error(), "no_such_table") {
			t.Fatalf("query of a missing table = %v, want SQLite's error naming it", err)
		}
	}
	db.readStmts.pending.Wait()
	if n := db.readStmts.size(); n != 0 {
		t.Errorf("%d statements prepared, want none", n)
	}
}

// Beyond maxCachedStatements, queries run unprepared; many transactions
// at once asking for the same new queries prepare each once; Close waits
// for the preparations under way.
func TestStatementCacheBounded(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range maxCachedStatements + 50 {
				var n int
				// Distinct texts of the same query (constructed).
				q := `SELECT ` + strings.Repeat(" ", i) + `COUNT(*) FROM leases`
				if err := db.readTx(ctx, func(tx *Tx) error { return tx.queryRow(ctx, q).Scan(&n) }); err != nil {
					t.Errorf("worker %d, query %d: %v", w, i, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	db.readStmts.pending.Wait()
	if n := db.readStmts.size(); n != maxCachedStatements {
		t.Errorf("%d statements prepared, want the bound %d", n, maxCachedStatements)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
}

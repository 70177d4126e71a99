package sqlstore

import (
	"context"
	"database/sql"
	"sync"
)

// stmtCache keeps a pool's statements prepared, by their SQL. SQLite
// parses a query every time it is asked unprepared, and on the
// self-assessment's pages the parsing cost as much as running the
// queries. A statement prepared on the pool is prepared once on each of
// its connections and reused by every transaction there (database/sql's
// Tx.StmtContext).
//
// A query is prepared in the background the first time it is seen, and
// runs unprepared until it is ready: preparing needs a connection of the
// pool, and the transaction that saw it holds one (the writers' pool has
// only one). The cache holds at most maxCachedStatements queries; further
// ones always run unprepared. PostgreSQL needs none of this: pgx keeps
// each connection's statements itself.
type stmtCache struct {
	pool *sql.DB

	mu      sync.Mutex
	stmts   map[string]*sql.Stmt // nil while being prepared or after it failed
	closed  bool
	pending sync.WaitGroup
}

// maxCachedStatements bounds the queries kept prepared. The store has a
// few hundred distinct queries; those built with a varying number of
// placeholders beyond the bound run unprepared.
const maxCachedStatements = 512

func newStmtCache(pool *sql.DB) *stmtCache {
	return &stmtCache{pool: pool, stmts: map[string]*sql.Stmt{}}
}

// get returns query's prepared statement, or nil when it is not ready:
// then the caller runs the query unprepared.
func (c *stmtCache) get(query string) *sql.Stmt {
	if c == nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	st, seen := c.stmts[query]
	if seen || c.closed || len(c.stmts) >= maxCachedStatements {
		return st
	}
	c.stmts[query] = nil
	c.pending.Add(1)
	go c.prepare(query)
	return nil
}

func (c *stmtCache) prepare(query string) {
	defer c.pending.Done()
	st, err := c.pool.PrepareContext(context.Background(), query)
	if err != nil {
		// The query stays unprepared: it fails or succeeds where it runs,
		// with the error named there.
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		st.Close()
		return
	}
	c.stmts[query] = st
}

// close closes the statements, after the pool is closed (which ends the
// preparations waiting for one of its connections).
func (c *stmtCache) close() {
	if c == nil {
		return
	}
	c.mu.Lock()
	c.closed = true
	c.mu.Unlock()
	c.pending.Wait()
	c.mu.Lock()
	defer c.mu.Unlock()
	for q, st := range c.stmts {
		if st != nil {
			st.Close()
		}
		delete(c.stmts, q)
	}
}

// size returns how many queries are prepared, for tests.
func (c *stmtCache) size() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for _, st := range c.stmts {
		if st != nil {
			n++
		}
	}
	return n
}

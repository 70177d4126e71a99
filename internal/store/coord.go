package store

import (
	"context"
	"time"
)

// Coordination is what several servers on one database need to share
// work: leases, so that one of them runs a job at a time, and a change
// counter that every write pages depend on raises, so that each drops what
// it keeps in memory when another writes.
type Coordination interface {
	// TryLease takes the lease name for holder until now+ttl when it is
	// free, expired or holder's already, and reports whether holder has it.
	TryLease(ctx context.Context, name, holder string, ttl time.Duration, now time.Time) (bool, error)
	// ReleaseLease gives a lease back, if holder has it.
	ReleaseLease(ctx context.Context, name, holder string) error
	// Changes sends the change counter whenever it changes (and once at
	// the start), until ctx ends: within a second on SQLite (it is polled),
	// at once on PostgreSQL (NOTIFY). Writes that change what the public
	// pages show raise it: a stored snapshot, a sync attempt, a new pack.
	Changes(ctx context.Context) <-chan int64
}

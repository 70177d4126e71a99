package pxweb

import (
	"context"
	"sync"
	"time"
)

// retryBudget is the wait between attempts that the calls sharing it may
// still use. Its size is the client's RetryBudget, taken at first use.
type retryBudget struct {
	mu    sync.Mutex
	total time.Duration
	left  time.Duration
	init  bool
}

// budgetKey is the context key of a shared retryBudget.
type budgetKey struct{}

// WithRetryBudget returns a context under which every call of a Client
// shares one retry budget (Options.RetryBudget): the total time spent
// waiting to retry, whatever the reason (Retry-After, backoff). Use it
// around everything done for one table, so a server that keeps answering
// "later" cannot hold that table for long. A context that has a budget
// already keeps it. Without one, each call has its own budget, and Data
// shares one over all the parts of a table.
func WithRetryBudget(ctx context.Context) context.Context {
	if _, ok := ctx.Value(budgetKey{}).(*retryBudget); ok {
		return ctx
	}
	return context.WithValue(ctx, budgetKey{}, &retryBudget{})
}

// budget returns the budget of ctx, or a new one for a single call, sized
// by the client.
func (c *Client) budget(ctx context.Context) *retryBudget {
	b, ok := ctx.Value(budgetKey{}).(*retryBudget)
	if !ok {
		b = &retryBudget{}
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if !b.init {
		b.total, b.left, b.init = c.retryBudget, c.retryBudget, true
	}
	return b
}

// take uses d of the budget and reports whether there was that much left;
// when there was not, nothing is taken.
func (b *retryBudget) take(d time.Duration) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if d > b.left {
		return false
	}
	b.left -= d
	return true
}

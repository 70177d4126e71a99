package pxweb

import (
	"context"
	"time"
)

// limiter keeps the client within the server's rate limit: at most max calls
// in any window (a sliding window over the start times of recent calls).
// Callers queue on a channel so that waiting honours their context; a caller
// that must wait sleeps until the oldest call leaves the window.
type limiter struct {
	now   func() time.Time
	sleep func(ctx context.Context, d time.Duration) error

	turn   chan struct{} // held by the caller that is taking a slot
	max    int
	window time.Duration
	calls  []time.Time // start times inside the window, oldest first
}

func newLimiter(now func() time.Time, sleep func(context.Context, time.Duration) error) *limiter {
	return &limiter{now: now, sleep: sleep, turn: make(chan struct{}, 1)}
}

// set configures the limit; max <= 0 or window <= 0 switches it off.
func (l *limiter) set(max int, window time.Duration) {
	l.turn <- struct{}{}
	l.max, l.window = max, window
	<-l.turn
}

// wait blocks until a call may start and records it.
func (l *limiter) wait(ctx context.Context) error {
	select {
	case l.turn <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-l.turn }()
	if l.max <= 0 || l.window <= 0 {
		return nil
	}
	for {
		now := l.now()
		// Forget calls that have left the window.
		keep := 0
		for keep < len(l.calls) && now.Sub(l.calls[keep]) >= l.window {
			keep++
		}
		l.calls = l.calls[keep:]
		if len(l.calls) < l.max {
			l.calls = append(l.calls, now)
			return nil
		}
		if err := l.sleep(ctx, l.calls[0].Add(l.window).Sub(now)); err != nil {
			return err
		}
	}
}

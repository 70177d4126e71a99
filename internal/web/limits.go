package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/grunnlag/grunnlag/internal/fault"
	"github.com/grunnlag/grunnlag/internal/progress"
)

// Limits bound what one request, and all of them together, may cost the
// server. Everyone may ask for any view of any table, so every limit is
// checked before the work (and the memory) is spent. A zero field takes
// its value from DefaultLimits.
type Limits struct {
	// MaxViewCells is the most cells one view of a table may have: the
	// explorer, the API's view and data, and every download. A larger
	// view is refused with a message that says how to narrow it.
	MaxViewCells int
	// HeavyViewCells is the size from which building a view counts as a
	// heavy request (see MaxHeavy).
	HeavyViewCells int
	// MaxHeavy is how many heavy requests (downloads, the report as PDF,
	// views of more than HeavyViewCells) may be worked on at once. More
	// get 503 with Retry-After at once, instead of queuing memory.
	MaxHeavy int
	// RetryAfter is what a refused heavy request is told to wait.
	RetryAfter time.Duration

	// CacheBytes bounds the memory of the values and answers kept in
	// memory (the estimated size of each); CacheEntries their number.
	// The least recently used go first.
	CacheBytes   int64
	CacheEntries int

	// RequestTimeout is each request's deadline. It is the context of
	// every store call the request makes, and a request that passes it
	// is answered with 503. It stays below WriteTimeout, so that answer
	// can still be written; printing the report to PDF on a busy machine
	// takes tens of seconds.
	RequestTimeout time.Duration

	// The HTTP server's timeouts (net/http.Server): a client that sends
	// its headers or body too slowly, or reads the answer too slowly, is
	// cut off instead of holding a connection.
	ReadHeaderTimeout time.Duration
	ReadTimeout       time.Duration
	WriteTimeout      time.Duration
	IdleTimeout       time.Duration
}

// DefaultLimits returns limits that keep one anonymous request within
// tens of megabytes and a few seconds on a small machine. A view of
// 200 000 cells is an answer of about 25 MB in the API's JSON.
func DefaultLimits() Limits {
	return Limits{
		MaxViewCells:      200_000,
		HeavyViewCells:    20_000,
		MaxHeavy:          4,
		RetryAfter:        10 * time.Second,
		CacheBytes:        256 << 20,
		CacheEntries:      4096,
		RequestTimeout:    50 * time.Second,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       15 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
	}
}

// orDefault fills every field left at zero (or below) from DefaultLimits.
func (l Limits) orDefault() Limits {
	d := DefaultLimits()
	set := func(v *int, def int) {
		if *v <= 0 {
			*v = def
		}
	}
	setD := func(v *time.Duration, def time.Duration) {
		if *v <= 0 {
			*v = def
		}
	}
	set(&l.MaxViewCells, d.MaxViewCells)
	set(&l.HeavyViewCells, d.HeavyViewCells)
	set(&l.MaxHeavy, d.MaxHeavy)
	set(&l.CacheEntries, d.CacheEntries)
	if l.CacheBytes <= 0 {
		l.CacheBytes = d.CacheBytes
	}
	setD(&l.RetryAfter, d.RetryAfter)
	setD(&l.RequestTimeout, d.RequestTimeout)
	setD(&l.ReadHeaderTimeout, d.ReadHeaderTimeout)
	setD(&l.ReadTimeout, d.ReadTimeout)
	setD(&l.WriteTimeout, d.WriteTimeout)
	setD(&l.IdleTimeout, d.IdleTimeout)
	return l
}

// Excel's own limits of a worksheet; a larger XLSX download would not
// open.
const (
	excelMaxRows = 1_048_576
	excelMaxCols = 16_384
)

// viewTooLarge is the error of a view with more cells than the limit.
type viewTooLarge struct {
	table        string
	cells, limit int
}

func (e *viewTooLarge) Error() string {
	return fmt.Sprintf("table %s: view of %d cells, more than the limit of %d", e.table, e.cells, e.limit)
}

// errViewTooLarge refuses a view of cells cells. The message names the
// view parameters, since programs meet it in the API; the explorer page
// words it for people (pageMessage).
func errViewTooLarge(table string, cells, limit int) error {
	return fault.WithUser(fault.Invalid, fmt.Sprintf(
		"Utsnittet har %s celler, mer enn de %s én visning kan ha. Velg færre verdier (v.DIM=KODE), "+
			"eller la flere dimensjoner stå fast med én verdi (d.DIM=fixed).",
		cellCount(cells), progress.Number(limit)),
		&viewTooLarge{table: table, cells: cells, limit: limit})
}

// pageMessage words a too-large view for the explorer's form.
func (e *viewTooLarge) pageMessage() string {
	return fmt.Sprintf("Utsnittet har %s celler, mer enn de %s én visning kan ha. "+
		"Velg færre verdier, eller la flere dimensjoner stå fast med én verdi, og vis utsnittet på nytt.",
		cellCount(e.cells), progress.Number(e.limit))
}

// cellCount writes a number of cells; a product that overflowed (see
// viewChoice.cells) is "over 1 000 000 000 000".
func cellCount(n int) string {
	if n >= maxCount {
		return "over " + progress.Number(1_000_000_000_000)
	}
	return progress.Number(n)
}

// heavyGate lets at most MaxHeavy heavy requests work at once.
type heavyGate struct {
	slots      chan struct{}
	retryAfter time.Duration
}

func newHeavyGate(l Limits) *heavyGate {
	return &heavyGate{slots: make(chan struct{}, l.MaxHeavy), retryAfter: l.RetryAfter}
}

// hold is a request's claim on the heavy gate: taken at most once, by
// whatever part of the request finds out that it is heavy, and given back
// when the handler returns (serveRoute).
type hold struct {
	gate *heavyGate
	held bool
}

type holdKey struct{}

// withHold returns ctx with a fresh, empty hold and the function that
// gives it back.
func (g *heavyGate) withHold(ctx context.Context) (context.Context, func()) {
	h := &hold{gate: g}
	return context.WithValue(ctx, holdKey{}, h), func() {
		if h.held {
			h.held = false
			<-g.slots
		}
	}
}

// heavy claims a slot of the heavy gate for the request of ctx, or
// refuses it with 503 and Retry-After when every slot is taken. A request
// claims at most one slot; a context without a hold (no request) is
// never refused.
func heavy(ctx context.Context) error {
	h, _ := ctx.Value(holdKey{}).(*hold)
	if h == nil || h.held {
		return nil
	}
	select {
	case h.gate.slots <- struct{}{}:
		h.held = true
		return nil
	default:
		return fault.WithUser(fault.Unavailable,
			"Tjeneren arbeider med mange store forespørsler (nedlastinger, PDF og store utsnitt) akkurat nå. Prøv igjen om litt.",
			&busyError{after: h.gate.retryAfter})
	}
}

// busyError marks a request refused because the server is busy; fail
// sends its Retry-After.
type busyError struct{ after time.Duration }

func (e *busyError) Error() string {
	return fmt.Sprintf("every heavy request slot is taken; retry after %s", e.after)
}

// retryAfter sets the Retry-After header for an error that has one.
func retryAfter(w http.ResponseWriter, err error) {
	if be := (*busyError)(nil); errors.As(err, &be) {
		w.Header().Set("Retry-After", strconv.Itoa(int((be.after+time.Second-1)/time.Second)))
	}
}

// heavyRoute reports whether every request of a route is heavy: the
// downloads build a whole view and encode it once more.
func heavyRoute(pattern string) bool {
	switch pattern {
	case "GET /tabeller/{id}/csv", "GET /tabeller/{id}/xlsx", "GET /tabeller/{id}/json-stat", "GET /api/v1/tables/{id}/data":
		return true
	}
	return false
}

// errTimedOut answers a request that passed its deadline.
func errTimedOut(err error) error {
	return fault.WithUser(fault.Unavailable,
		"Forespørselen tok for lang tid og ble avbrutt. Prøv igjen, eller velg et mindre utsnitt.", err)
}

// detach returns a context that is not cancelled with ctx but keeps its
// deadline: a value loaded for one request and shared with others must
// not fail them all when its first asker goes away, yet must not run
// longer than a request may.
func detach(ctx context.Context) (context.Context, context.CancelFunc) {
	d := context.WithoutCancel(ctx)
	if dl, ok := ctx.Deadline(); ok {
		return context.WithDeadline(d, dl)
	}
	return context.WithCancel(d)
}

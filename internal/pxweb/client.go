// Package pxweb is a client for PxWebApi v2, the statistics API that
// Statistics Norway (SSB) and Statistics Sweden (SCB) serve. It reads the
// server's limits from /config, lists tables, reads a table's catalogue entry
// and metadata, and fetches all of a table's data as one JSON-stat dataset,
// splitting the request into parts when the table is larger than the server
// allows in one call.
//
// Every request goes through one client-side rate limiter, is retried with
// backoff when the server is overloaded or a connection breaks, and has its
// response body capped. A host that cannot be reached at all (no such name,
// connection refused) is reported at once, redirects to another host are
// refused, and the waits of one table share a retry budget. Errors are
// *Error values classified with internal/fault.
package pxweb

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/grunnlag/grunnlag/internal/jsonstat"
)

// Defaults used when Options leaves a field zero.
const (
	DefaultLang           = "no"
	DefaultMaxBodyBytes   = 256 << 20
	DefaultMaxAttempts    = 5
	DefaultRequestTimeout = 60 * time.Second
	DefaultBackoffBase    = time.Second
	DefaultBackoffMax     = 30 * time.Second
	// DefaultRetryAfterMax fits SSB's rate-limit window of 60 s.
	DefaultRetryAfterMax = time.Minute
	// DefaultRetryBudget is the most one table (or one call outside
	// WithRetryBudget) waits between attempts in all: a server that keeps
	// saying "later" cannot hold a sync for minutes.
	DefaultRetryBudget = time.Minute
	// DefaultMaxParts is the most data requests one table may need. At
	// SSB's 800 000 cells a request it is 800 M cells, beyond any table
	// DecodeLimits allows, and at 30 calls a minute about half an hour.
	DefaultMaxParts = 1000
	// DefaultMaxURLLength is the longest GET URL the client sends; longer
	// selections go as POST. SSB answers 404 to URLs above about 2100
	// characters.
	DefaultMaxURLLength = 2000
)

// Options configure a Client. The zero value is usable: every zero field gets
// its default.
type Options struct {
	// HTTPClient sends the requests. Its Timeout should be zero: the client
	// sets a deadline per attempt (RequestTimeout).
	HTTPClient *http.Client
	// Lang is the response language, "no" or "en" at SSB.
	Lang string
	// Version is grunnlag's version, used in the default User-Agent.
	Version string
	// UserAgent replaces the default
	// "grunnlag/<Version> (+https://github.com/grunnlag/grunnlag)".
	UserAgent string
	// MaxBodyBytes caps every response body.
	MaxBodyBytes int64
	// MaxAttempts is how many times one request is tried before giving up.
	MaxAttempts int
	// RequestTimeout bounds one attempt, body included.
	RequestTimeout time.Duration
	// BackoffBase and BackoffMax bound the exponential backoff between
	// attempts; the wait is drawn uniformly from [0, min(BackoffMax,
	// BackoffBase*2^(attempt-1))] ("full jitter").
	BackoffBase time.Duration
	BackoffMax  time.Duration
	// RetryAfterMax caps a server's Retry-After.
	RetryAfterMax time.Duration
	// RetryBudget is the total wait between attempts that one table may
	// use (see WithRetryBudget); a wait beyond what is left ends the call.
	RetryBudget time.Duration
	// DecodeLimits bound every decoded response (zero fields take
	// jsonstat's defaults). Its MaxCells is also the most cells a table may
	// have in all, checked before the data requests are planned.
	DecodeLimits jsonstat.Limits
	// MaxParts is the most data requests one table may be split into.
	MaxParts int
	// MaxURLLength is the longest GET URL; longer data requests use POST.
	MaxURLLength int
	// Limits, when set, replaces what the server's /config says (which is
	// then never asked). Zero fields get the defaults of DefaultLimits.
	Limits *Limits
	// Logger receives retries and fallbacks. Nil discards.
	Logger *slog.Logger
	// Now and Sleep replace the clock, so tests can run without real
	// waiting. Sleep must return ctx.Err() when ctx ends first.
	Now   func() time.Time
	Sleep func(ctx context.Context, d time.Duration) error
}

// Client talks to one PxWebApi v2 server. It is safe for concurrent use; all
// its requests share one rate limiter.
type Client struct {
	base          string
	http          *http.Client
	lang          string
	userAgent     string
	maxBody       int64
	maxAttempts   int
	timeout       time.Duration
	backoffBase   time.Duration
	backoffMax    time.Duration
	retryAfterMax time.Duration
	retryBudget   time.Duration
	decodeLimits  jsonstat.Limits
	maxParts      int
	maxURL        int
	log           *slog.Logger
	now           func() time.Time
	sleep         func(ctx context.Context, d time.Duration) error

	// limitsMu guards limits and limitsSet; it is a channel so that waiting
	// for it honours the context.
	limitsMu  chan struct{}
	limits    Limits
	limitsSet bool
	limiter   *limiter
}

// NewClient returns a client for the API at baseURL, e.g.
// "https://data.ssb.no/api/pxwebapi/v2". The base URL must be a full http
// or https URL with a host, and without user name, password, query or
// fragment: it is recorded as the source of every snapshot, so a
// credential in it would be published. Otherwise NewClient returns a
// fault.Invalid error that says so (and does not repeat the credential).
//
// The client sends through a copy of opts.HTTPClient whose redirect policy
// refuses to leave the base URL's scheme and host.
func NewClient(baseURL string, opts Options) (*Client, error) {
	base, err := checkBase(baseURL)
	if err != nil {
		return nil, err
	}
	c := &Client{
		base:          strings.TrimRight(base.String(), "/"),
		lang:          opts.Lang,
		userAgent:     opts.UserAgent,
		maxBody:       opts.MaxBodyBytes,
		maxAttempts:   opts.MaxAttempts,
		timeout:       opts.RequestTimeout,
		backoffBase:   opts.BackoffBase,
		backoffMax:    opts.BackoffMax,
		retryAfterMax: opts.RetryAfterMax,
		retryBudget:   opts.RetryBudget,
		decodeLimits:  opts.DecodeLimits.WithDefaults(),
		maxParts:      opts.MaxParts,
		maxURL:        opts.MaxURLLength,
		log:           opts.Logger,
		now:           opts.Now,
		sleep:         opts.Sleep,
		limitsMu:      make(chan struct{}, 1),
	}
	c.http = sameHostOnly(opts.HTTPClient, base)
	if c.lang == "" {
		c.lang = DefaultLang
	}
	if c.userAgent == "" {
		v := opts.Version
		if v == "" {
			v = "dev"
		}
		c.userAgent = "grunnlag/" + v + " (+https://github.com/grunnlag/grunnlag)"
	}
	if c.maxBody <= 0 {
		c.maxBody = DefaultMaxBodyBytes
	}
	if c.maxAttempts <= 0 {
		c.maxAttempts = DefaultMaxAttempts
	}
	if c.timeout <= 0 {
		c.timeout = DefaultRequestTimeout
	}
	if c.backoffBase <= 0 {
		c.backoffBase = DefaultBackoffBase
	}
	if c.backoffMax <= 0 {
		c.backoffMax = DefaultBackoffMax
	}
	if c.backoffMax < c.backoffBase {
		c.backoffMax = c.backoffBase
	}
	if c.retryAfterMax <= 0 {
		c.retryAfterMax = DefaultRetryAfterMax
	}
	if c.retryBudget <= 0 {
		c.retryBudget = DefaultRetryBudget
	}
	if c.maxParts <= 0 {
		c.maxParts = DefaultMaxParts
	}
	if c.maxURL <= 0 {
		c.maxURL = DefaultMaxURLLength
	}
	if c.log == nil {
		c.log = slog.New(slog.DiscardHandler)
	}
	if c.now == nil {
		c.now = time.Now
	}
	if c.sleep == nil {
		c.sleep = sleepContext
	}
	if opts.Limits != nil {
		c.limits = opts.Limits.withDefaults()
		c.limitsSet = true
	}
	c.limiter = newLimiter(c.now, c.sleep)
	if c.limitsSet {
		c.limiter.set(c.limits.MaxCalls, c.limits.Window)
	}
	return c, nil
}

// sleepContext waits for d or until ctx ends.
func sleepContext(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

package pxweb

import (
	"bytes"
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/grunnlag/grunnlag/internal/fault"
)

// call is one logical request; do sends it as many times as needed.
type call struct {
	method string
	path   string     // below the base URL, e.g. "/tables/03024/data"
	query  url.Values // nil for none
	body   []byte     // JSON body of a POST
	exempt bool       // not counted by the rate limiter (/config)
}

// url returns the full request URL.
func (c *Client) url(cl call) string {
	u := c.base + cl.path
	if len(cl.query) > 0 {
		u += "?" + cl.query.Encode()
	}
	return u
}

// do sends cl until it succeeds, fails for good or runs out of attempts, and
// returns the response body. Errors are classified *Error values.
func (c *Client) do(ctx context.Context, cl call) ([]byte, error) {
	if !cl.exempt {
		if _, err := c.Limits(ctx); err != nil {
			return nil, ended(&Error{Op: cl.method, URL: c.base + cl.path}, err)
		}
	}
	u := c.url(cl)
	budget := c.budget(ctx)
	for attempt := 1; ; attempt++ {
		if !cl.exempt {
			if err := c.limiter.wait(ctx); err != nil {
				return nil, ended(&Error{Op: cl.method, URL: c.base + cl.path, Attempts: attempt - 1}, err)
			}
		}
		body, e, retry, wait := c.attempt(ctx, cl, u)
		if e == nil {
			return body, nil
		}
		e.Attempts = attempt
		if err := ctx.Err(); err != nil {
			return nil, ended(e, err)
		}
		if !retry || attempt >= c.maxAttempts {
			return nil, fault.E(e.kind(), e)
		}
		if wait <= 0 {
			wait = c.backoff(attempt)
		}
		if !budget.take(wait) {
			return nil, fault.E(fault.Unavailable, &budgetError{last: e, wait: wait, budget: budget.total})
		}
		c.log.Info("pxweb: retrying", "method", cl.method, "url", e.URL, "attempt", attempt, "wait", wait, "err", e.Error())
		if err := c.sleep(ctx, wait); err != nil {
			return nil, ended(e, err)
		}
	}
}

// ended returns the error for a call whose context ended (err is ctx.Err())
// while it waited or was under way, the same wherever that happened. A
// cancel is nobody's fault and stays unclassified; a deadline that ran out
// reads as a service too slow for it.
func ended(e *Error, err error) error {
	e.Err = err
	if errors.Is(err, context.DeadlineExceeded) {
		return fault.E(fault.Unavailable, e)
	}
	return e
}

// attempt sends the request once. It returns the body on success, else an
// error, whether trying again may help, and the wait the server asked for
// (0 if none).
func (c *Client) attempt(ctx context.Context, cl call, u string) (body []byte, e *Error, retry bool, wait time.Duration) {
	e = &Error{Op: cl.method, URL: c.base + cl.path}
	actx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	var rd io.Reader
	if cl.body != nil {
		rd = bytes.NewReader(cl.body)
	}
	req, err := http.NewRequestWithContext(actx, cl.method, u, rd)
	if err != nil {
		e.Err = err
		return nil, e, false, 0
	}
	req.Header.Set("User-Agent", c.userAgent)
	req.Header.Set("Accept", "application/json")
	if cl.body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.http.Do(req)
	if err != nil {
		e.Err = c.transportCause(ctx, actx, err)
		// A host without an address, or one that refuses the connection,
		// will not answer the next attempt either: say so at once instead
		// of waiting out the retries.
		var redirect *redirectError
		final := Unreachable(err) || errors.As(err, &redirect)
		return nil, e, !final, 0
	}
	defer resp.Body.Close()
	body, err = io.ReadAll(io.LimitReader(resp.Body, c.maxBody+1))
	if int64(len(body)) > c.maxBody {
		e.Err = &bodyTooLargeError{max: c.maxBody}
		return nil, e, false, 0
	}
	if err != nil {
		// A connection cut mid-body (io.ErrUnexpectedEOF) or a slow body.
		e.Err = c.transportCause(ctx, actx, err)
		return nil, e, true, 0
	}
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return body, nil, false, 0
	}
	e.Status = resp.StatusCode
	e.parseProblem(body)
	if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500 {
		return nil, e, true, c.retryAfter(resp.Header.Get("Retry-After"))
	}
	return nil, e, false, 0
}

// transportCause turns a failed round trip or body read into the cause to
// report: a per-attempt timeout reads as such instead of as the context's
// "deadline exceeded".
func (c *Client) transportCause(ctx, actx context.Context, err error) error {
	if ctx.Err() == nil && errors.Is(actx.Err(), context.DeadlineExceeded) {
		return &timeoutError{after: c.timeout.String()}
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err // the URL is already in the message
	}
	return err
}

// backoff returns the wait before attempt+1: full jitter over an
// exponentially growing cap.
func (c *Client) backoff(attempt int) time.Duration {
	d := c.backoffBase
	for i := 1; i < attempt && d < c.backoffMax; i++ {
		d *= 2
	}
	d = min(d, c.backoffMax)
	return time.Duration(rand.Int64N(int64(d) + 1))
}

// retryAfter parses a Retry-After header (seconds or an HTTP date) into a
// wait, capped at RetryAfterMax; 0 when absent or unusable.
func (c *Client) retryAfter(v string) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	var d time.Duration
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs <= 0 {
			return 0
		}
		d = time.Duration(min(secs, int64(c.retryAfterMax/time.Second)+1)) * time.Second
	} else if t, err := http.ParseTime(v); err == nil {
		d = t.Sub(c.now())
	}
	if d <= 0 {
		return 0
	}
	return min(d, c.retryAfterMax)
}

package pxweb

import (
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/grunnlag/grunnlag/internal/fault"
)

// Error is a failed request to the API. The returned errors wrap it in a
// *fault.Error that classifies it: fault.NotFound for 404, fault.Unavailable
// for 429, 5xx, timeouts and broken connections that persisted through all
// attempts and for the caller's deadline running out, fault.Invalid for
// other 4xx answers and undecodable bodies, and fault.TooLarge for a body
// over the cap. A cancelled context leaves it unclassified (it wraps
// context.Canceled). Use errors.As to reach it.
type Error struct {
	Op       string // HTTP method
	URL      string // without the query string
	Status   int    // HTTP status; 0 when no response was read
	Title    string // the RFC 7807 problem's title, if the body had one
	Detail   string // the problem's detail
	Attempts int    // how many times the request was sent
	Err      error  // the cause when there was no usable response
}

// Error reads like
// `GET https://…/tables/12041/data: 429 Too Many Requests after 5 attempts: "30 request per minute"`.
func (e *Error) Error() string {
	parts := []string{e.Op + " " + e.URL}
	text := http.StatusText(e.Status)
	switch {
	case e.Status != 0 && e.Attempts > 1:
		parts = append(parts, fmt.Sprintf("%d %s after %d attempts", e.Status, text, e.Attempts))
	case e.Status != 0:
		parts = append(parts, fmt.Sprintf("%d %s", e.Status, text))
	case e.Attempts > 1:
		parts = append(parts, fmt.Sprintf("gave up after %d attempts", e.Attempts))
	}
	if e.Title != "" && !strings.EqualFold(e.Title, text) {
		parts = append(parts, e.Title)
	}
	if e.Detail != "" && !strings.EqualFold(e.Detail, e.Title) && !strings.EqualFold(e.Detail, text) {
		parts = append(parts, strconv.Quote(e.Detail))
	}
	if e.Err != nil {
		parts = append(parts, e.Err.Error())
	}
	return strings.Join(parts, ": ")
}

// Unwrap returns the cause, if any.
func (e *Error) Unwrap() error { return e.Err }

// kind classifies a final error.
func (e *Error) kind() fault.Kind {
	var tooLarge *bodyTooLargeError
	var redirect *redirectError
	switch {
	case errors.As(e.Err, &tooLarge):
		return fault.TooLarge
	case errors.As(e.Err, &redirect):
		return fault.Invalid
	case e.Status == http.StatusNotFound:
		return fault.NotFound
	case e.Status == 0, e.Status == http.StatusTooManyRequests, e.Status >= 500:
		return fault.Unavailable
	default:
		return fault.Invalid
	}
}

// tooManyCells reports whether the server refused a data request for
// selecting too many cells. The OpenAPI spec and SSB's documentation say 403,
// the reference server answers 400 "Too many cells selected"; a bare 403
// without a problem body is taken to mean the same.
func (e *Error) tooManyCells() bool {
	if e.Status != http.StatusForbidden && e.Status != http.StatusBadRequest {
		return false
	}
	text := strings.ToLower(e.Title + " " + e.Detail)
	if strings.Contains(text, "too many cells") || strings.Contains(text, "cells selected") ||
		(strings.Contains(text, "cell") && strings.Contains(text, "limit")) {
		return true
	}
	return e.Status == http.StatusForbidden && e.Title == "" && e.Detail == ""
}

// bodyTooLargeError is the cause when a response exceeds MaxBodyBytes.
type bodyTooLargeError struct{ max int64 }

func (e *bodyTooLargeError) Error() string {
	return fmt.Sprintf("response body larger than %d bytes", e.max)
}

// timeoutError is the cause when one attempt ran past RequestTimeout while
// the caller's context was still alive. It deliberately does not wrap
// context.DeadlineExceeded, which would suggest the caller's own deadline.
type timeoutError struct{ after string }

func (e *timeoutError) Error() string { return "no complete response within " + e.after }

// problem is an RFC 7807 body as PxWebApi writes it.
type problem struct {
	Type     string `json:"type"`
	Title    string `json:"title"`
	Status   int    `json:"status"`
	Detail   string `json:"detail"`
	Instance string `json:"instance"`
}

// parseProblem fills e's Title and Detail from an error body when it is a
// JSON problem; anything else (an HTML page from a proxy, nothing) leaves
// them empty, so the status text stands alone.
func (e *Error) parseProblem(body []byte) {
	var p problem
	if json.Unmarshal(body, &p) != nil {
		return
	}
	e.Title, e.Detail = strings.TrimSpace(p.Title), strings.TrimSpace(p.Detail)
}

// Unreachable reports whether err means the server's host could not be
// reached at all: its name does not resolve, or nothing accepts the
// connection (refused, no route), as behind a firewall or with a wrong
// address. Such a failure is final for the request; retrying it only makes
// the user wait.
func Unreachable(err error) bool {
	var dns *net.DNSError
	return errors.As(err, &dns) ||
		errors.Is(err, syscall.ECONNREFUSED) ||
		errors.Is(err, syscall.ENETUNREACH) ||
		errors.Is(err, syscall.EHOSTUNREACH)
}

// budgetError is the cause when the next wait would exceed what is left of
// the retry budget.
type budgetError struct {
	last   *Error
	wait   time.Duration
	budget time.Duration
}

func (e *budgetError) Error() string {
	return fmt.Sprintf("%v: gave up: waiting %s more would exceed the retry budget of %s", e.last, e.wait, e.budget)
}

func (e *budgetError) Unwrap() error { return e.last }

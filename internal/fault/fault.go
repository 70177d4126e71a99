// Package fault is grunnlag's one error vocabulary: a small set of kinds,
// each with an HTTP status and a message in Norwegian bokmål that is safe to
// show a user. The English detail of the wrapped error is for logs and
// operators; it never reaches a web page.
package fault

import (
	"context"
	"errors"
	"fmt"
	"net/http"
)

// Kind classifies an error by what the user can do about it.
type Kind int

// The kinds. The zero value is Internal, so an unclassified error is never
// mistaken for the user's fault.
const (
	Internal     Kind = iota // a bug or an unexpected failure on our side
	Invalid                  // the input is wrong: a file, a form, a selection
	NotFound                 // the thing asked for does not exist
	Unavailable              // a remote service is down, overloaded or too slow; try later
	Conflict                 // the request clashes with the current state
	Unauthorized             // not logged in
	Forbidden                // logged in, but not allowed
	TooLarge                 // the request or response is bigger than we accept
)

// kindInfo is what belongs to a kind.
type kindInfo struct {
	name   string
	status int
	msg    string // bokmål, for users
}

// info returns what belongs to k, and false for a value that is not one of
// the kinds. A switch rather than a table, so the package keeps no
// variables.
func (k Kind) info() (kindInfo, bool) {
	switch k {
	case Internal:
		return kindInfo{"internal", http.StatusInternalServerError, "Det oppstod en intern feil."}, true
	case Invalid:
		return kindInfo{"invalid", http.StatusBadRequest, "Ugyldige data."}, true
	case NotFound:
		return kindInfo{"not found", http.StatusNotFound, "Fant ikke det du ba om."}, true
	case Unavailable:
		return kindInfo{"unavailable", http.StatusServiceUnavailable, "Tjenesten er ikke tilgjengelig nå. Prøv igjen senere."}, true
	case Conflict:
		return kindInfo{"conflict", http.StatusConflict, "Forespørselen er i konflikt med gjeldende tilstand."}, true
	case Unauthorized:
		return kindInfo{"unauthorized", http.StatusUnauthorized, "Du må logge inn."}, true
	case Forbidden:
		return kindInfo{"forbidden", http.StatusForbidden, "Du har ikke tilgang til dette."}, true
	case TooLarge:
		return kindInfo{"too large", http.StatusRequestEntityTooLarge, "Dataene er for store."}, true
	}
	return kindInfo{}, false
}

// String returns the kind's English name.
func (k Kind) String() string {
	if i, ok := k.info(); ok {
		return i.name
	}
	return fmt.Sprintf("kind(%d)", int(k))
}

// Status returns the HTTP status code for the kind; an unknown kind is
// internal.
func (k Kind) Status() int {
	if i, ok := k.info(); ok {
		return i.status
	}
	return http.StatusInternalServerError
}

// Message returns the kind's generic user message in bokmål; an unknown
// kind gets the internal one.
func (k Kind) Message() string {
	if i, ok := k.info(); ok {
		return i.msg
	}
	i, _ := Internal.info()
	return i.msg
}

// Error is an error with a kind and, optionally, a specific user message.
type Error struct {
	Kind Kind
	// User is a bokmål message safe to show a user. Empty means the kind's
	// generic message.
	User string
	Err  error // the English detail; may be nil
}

// E returns an error of kind k wrapping err.
func E(k Kind, err error) error {
	if err == nil {
		return nil
	}
	return &Error{Kind: k, Err: err}
}

// Errorf returns an error of kind k with an English message.
func Errorf(k Kind, format string, args ...any) error {
	return &Error{Kind: k, Err: fmt.Errorf(format, args...)}
}

// WithUser returns an error of kind k that shows user (bokmål) to people and
// keeps err as the detail.
func WithUser(k Kind, user string, err error) error {
	return &Error{Kind: k, User: user, Err: err}
}

func (e *Error) Error() string {
	switch {
	case e.Err != nil:
		return e.Err.Error()
	case e.User != "":
		return e.User
	default:
		return e.Kind.String()
	}
}

func (e *Error) Unwrap() error { return e.Err }

// KindOf returns the kind of the first *Error in err's chain, or Internal.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return Internal
}

// Is reports whether err has kind k.
func Is(err error, k Kind) bool {
	return err != nil && KindOf(err) == k
}

// UserMessage returns the bokmål message to show a person for err: the most
// specific user message in the chain, else the kind's generic one.
func UserMessage(err error) string {
	if errors.Is(err, context.Canceled) && KindOf(err) == Internal {
		return "Avbrutt før arbeidet var ferdig."
	}
	for e := err; e != nil; e = errors.Unwrap(e) {
		if fe, ok := e.(*Error); ok && fe.User != "" {
			return fe.User
		}
	}
	return KindOf(err).Message()
}

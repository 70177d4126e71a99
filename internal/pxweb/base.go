package pxweb

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/grunnlag/grunnlag/internal/fault"
)

// CheckBaseURL reports whether raw is a base URL NewClient accepts, with
// the same error NewClient would return; a command line can check its flag
// before it opens anything.
func CheckBaseURL(raw string) error {
	_, err := checkBase(raw)
	return err
}

// checkBase parses and checks a base URL (see NewClient). Error texts name
// the URL without its password.
func checkBase(raw string) (*url.URL, error) {
	const usage = "Adressen til statistikkserveren må være en full http- eller https-adresse uten spørredel, for eksempel https://data.ssb.no/api/pxwebapi/v2."
	u, err := url.Parse(raw)
	if err != nil {
		// url.Parse's message repeats the input, password and all.
		return nil, fault.WithUser(fault.Invalid, usage, errors.New("base URL is not a valid URL"))
	}
	shown := u.Redacted()
	switch {
	case u.User != nil:
		return nil, fault.WithUser(fault.Invalid,
			"Adressen til statistikkserveren kan ikke inneholde brukernavn eller passord; de ville bli lagret og vist som kilde for tallene.",
			fmt.Errorf("base URL %s holds user information; refused so that it is never stored as a source", shown))
	case u.Scheme != "http" && u.Scheme != "https":
		return nil, fault.WithUser(fault.Invalid, usage, fmt.Errorf("base URL %s: scheme %q, want http or https", shown, u.Scheme))
	case u.Host == "" || u.Hostname() == "":
		return nil, fault.WithUser(fault.Invalid, usage, fmt.Errorf("base URL %s has no host", shown))
	case u.RawQuery != "" || u.ForceQuery:
		return nil, fault.WithUser(fault.Invalid, usage, fmt.Errorf("base URL %s has a query", shown))
	case u.Fragment != "" || strings.Contains(raw, "#"):
		return nil, fault.WithUser(fault.Invalid, usage, fmt.Errorf("base URL %s has a fragment", shown))
	}
	return u, nil
}

// sameHostOnly returns a copy of hc (a new client when nil) that follows a
// redirect only within base's scheme and host: a server must not send the
// client, and what it fetches into a snapshot, somewhere else.
func sameHostOnly(hc *http.Client, base *url.URL) *http.Client {
	c := &http.Client{}
	if hc != nil {
		*c = *hc
	}
	next := c.CheckRedirect
	c.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if !strings.EqualFold(req.URL.Scheme, base.Scheme) || !strings.EqualFold(req.URL.Host, base.Host) {
			return &redirectError{to: req.URL.Redacted()}
		}
		if next != nil {
			return next(req, via)
		}
		if len(via) >= 10 {
			return errors.New("stopped after 10 redirects")
		}
		return nil
	}
	return c
}

// redirectError is the cause when the server redirects to another host.
type redirectError struct{ to string }

func (e *redirectError) Error() string {
	return "redirected to " + e.to + ", another host; not followed"
}

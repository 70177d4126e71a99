package web

import (
	"net/url"

	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/grunnlag/grunnlag/internal/auth"

	"github.com/grunnlag/grunnlag/internal/fault"
)

// handlerFunc is a handler that returns its error instead of writing it;
// adapt renders the error. A handler that returns an error must not have
// written anything.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// adapt turns a route's handler into an http.Handler: it answers from the
// kept answers where the route allows and nobody is signed in
// (respcache.go), else it checks the route's access and the form token,
// runs the handler and renders its error, if any.
func (s *Server) adapt(rt route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		noteRoute(r, rt.pattern)
		if rt.caching.keep && principalOf(r) == nil && (r.Method == http.MethodGet || r.Method == http.MethodHead) {
			s.serveCached(w, r, rt)
			return
		}
		s.serveRoute(w, r, rt)
	})
}

// serveRoute checks the route's access and the form token, runs its
// handler and renders its error, if any. A heavy route, or a handler that
// finds its work heavy, holds a slot of the heavy gate until the handler
// returns (limits.go).
func (s *Server) serveRoute(w http.ResponseWriter, r *http.Request, rt route) {
	if err := s.authorize(r, rt.access); err != nil {
		if fault.Is(err, fault.Unauthorized) && r.Method == http.MethodGet && !isAPIPath(r.URL.Path) && rt.access != secondFactor {
			// A person who is not signed in is sent to sign in, and back.
			http.Redirect(w, r, "/logg-inn?neste="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
			return
		}
		s.fail(w, r, err)
		return
	}
	if err := s.checkCSRF(r); err != nil {
		s.fail(w, r, err)
		return
	}
	ctx, release := s.heavy.withHold(r.Context())
	defer release()
	r = r.WithContext(ctx)
	if heavyRoute(rt.pattern) {
		if err := heavy(ctx); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	if err := rt.handle(&viewerWriter{ResponseWriter: w, p: principalOf(r)}, r); err != nil {
		s.fail(w, r, err)
	}
}

// viewerWriter carries who is asking to render, which shows them in the
// page's header.
type viewerWriter struct {
	http.ResponseWriter
	p *auth.Principal
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *viewerWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// errSyncOff is the answer to a sync request to a server started without
// sync.
var errSyncOff = fault.WithUser(fault.Forbidden,
	"Denne tjeneren synkroniserer ikke med SSB (den er startet med --no-sync). Kjør «grunnlag sync» på tjeneren i stedet.",
	errors.New("sync is off on this server"))

// authorize says whether the request may use a route of the given access:
// the route table's level (identity.go), and for a sync, that this server
// can sync at all.
func (s *Server) authorize(r *http.Request, a access) error {
	if err := s.checkAccess(r, a); err != nil {
		return err
	}
	if s.cfg.Sync == nil && (r.URL.Path == "/synk" || r.URL.Path == "/api/v1/sync") && r.Method == http.MethodPost {
		return errSyncOff
	}
	return nil
}

// problem is an RFC 7807 problem detail, the API's error body. Detail is
// the bokmål message a person may be shown; no internals.
type problem struct {
	Type     string `json:"type"`
	Title    string `json:"title"`
	Status   int    `json:"status"`
	Detail   string `json:"detail"`
	Instance string `json:"instance"`
	Kind     string `json:"kind"`
}

// fail writes err as the response: an RFC 7807 problem for the API, a
// bokmål page for people. Internal errors are logged with their detail;
// the user sees only the kind's message.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	if mbe := (*http.MaxBytesError)(nil); errors.As(err, &mbe) {
		err = fault.E(fault.TooLarge, err)
	}
	if errors.Is(err, context.DeadlineExceeded) && fault.KindOf(err) == fault.Internal {
		err = errTimedOut(err)
	}
	retryAfter(w, err)
	kind := fault.KindOf(err)
	status := kind.Status()
	if me := (*methodError)(nil); errors.As(err, &me) {
		status = http.StatusMethodNotAllowed
	}
	if status >= 500 {
		s.log.Error("request failed", "method", r.Method, "path", r.URL.Path, "status", status, "err", err)
	} else {
		s.log.Debug("request refused", "method", r.Method, "path", r.URL.Path, "status", status, "err", err)
	}
	msg := fault.UserMessage(err)
	if isAPIPath(r.URL.Path) {
		body, _ := json.Marshal(problem{
			Type: "about:blank", Title: http.StatusText(status), Status: status,
			Detail: msg, Instance: r.URL.Path, Kind: kind.String(),
		})
		w.Header().Set("Content-Type", "application/problem+json")
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(status)
		w.Write(append(body, '\n'))
		return
	}
	p := &errorPage{Status: status, Message: msg, Path: r.URL.Path, NotFound: status == http.StatusNotFound}
	p.setBase("Feil", "")
	if p.NotFound {
		p.Title = "Fant ikke siden"
		p.Query = searchGuess(r.URL.Path)
	}
	var buf bytes.Buffer
	if rerr := s.pages.execute(&buf, p); rerr != nil {
		s.log.Error("render error page", "err", rerr)
		http.Error(w, msg, status)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// searchGuess turns the last segment of a path that was not found into a
// search the 404 page offers: "/dokumenter/nou-2018" → "nou 2018".
func searchGuess(path string) string {
	seg := path[strings.LastIndex(path, "/")+1:]
	seg = strings.NewReplacer("-", " ", "_", " ", ".", " ").Replace(seg)
	seg = strings.Join(strings.Fields(seg), " ")
	if len(seg) > 60 {
		seg = seg[:60]
	}
	return strings.ToValidUTF8(seg, "")
}

// notFound answers every request no route matched: 405 with Allow when
// the path exists for other methods, else 404.
func (s *Server) notFound(mux *http.ServeMux) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		var allow []string
		for _, m := range []string{http.MethodGet, http.MethodPost} {
			if m == r.Method || (m == http.MethodGet && r.Method == http.MethodHead) {
				continue
			}
			probe := r.Clone(r.Context())
			probe.Method = m
			if _, pattern := mux.Handler(probe); pattern != "" && pattern != "/" {
				allow = append(allow, m)
			}
		}
		if len(allow) > 0 {
			if slices.Contains(allow, http.MethodGet) {
				allow = append(allow, http.MethodHead)
			}
			w.Header().Set("Allow", strings.Join(allow, ", "))
			return fault.WithUser(fault.Invalid, "Denne adressen kan ikke brukes på den måten.",
				&methodError{r.Method, r.URL.Path})
		}
		return fault.WithUser(fault.NotFound, "Vi fant ingen side på denne adressen.",
			fmt.Errorf("no route for %s %s", r.Method, r.URL.Path))
	}
}

// methodError marks a request whose path exists for other methods only;
// fail answers it with 405 (the error vocabulary has no kind for it, and
// Invalid's 400 would be wrong).
type methodError struct{ method, path string }

func (e *methodError) Error() string {
	return fmt.Sprintf("method %s not allowed for %s", e.method, e.path)
}

package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/grunnlag/grunnlag/internal/fault"
)

// handlerFunc is a handler that returns its error instead of writing it;
// adapt renders the error. A handler that returns an error must not have
// written anything.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// adapt turns a route's handler into an http.Handler: it answers from the
// kept answers where the route allows (respcache.go), else it checks the
// route's access, runs the handler and renders its error, if any.
func (s *Server) adapt(rt route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if rt.caching == cached && (r.Method == http.MethodGet || r.Method == http.MethodHead) {
			s.serveCached(w, r, rt)
			return
		}
		s.serveRoute(w, r, rt)
	})
}

// serveRoute checks the route's access, runs its handler and renders its
// error, if any.
func (s *Server) serveRoute(w http.ResponseWriter, r *http.Request, rt route) {
	if err := s.authorize(r, rt.access); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := rt.handle(w, r); err != nil {
		s.fail(w, r, err)
	}
}

// errSyncOff is the answer to a sync request the server does not allow.
var errSyncOff = fault.WithUser(fault.Forbidden,
	"Synkronisering fra nettsiden er bare slått på når tjeneren bare lytter på maskinen selv (localhost). Kjør «grunnlag sync» på tjeneren i stedet.",
	errors.New("sync from the web is off: the server does not listen on loopback only"))

// errNotLocalhost answers a sync request that names the server by
// another host than a loopback one.
var errNotLocalhost = fault.WithUser(fault.Forbidden,
	"Synkronisering fra nettsiden må startes fra adressen http://localhost eller http://127.0.0.1 på tjeneren selv.",
	errors.New("sync from the web refused: the request's Host is not a loopback address"))

// authorize says whether the request may use a route of the given access.
// There are no accounts yet, so the server's set-up decides, and for
// analysts the request must also name the server by a loopback host: a
// page from elsewhere that gets its own name resolved to 127.0.0.1 (DNS
// rebinding) sends a same-origin request with a foreign Host.
func (s *Server) authorize(r *http.Request, a access) error {
	switch a {
	case everyone:
		return nil
	case analysts:
		if !s.cfg.AllowSync || s.cfg.Sync == nil {
			return errSyncOff
		}
		if !Loopback(r.Host) {
			return errNotLocalhost
		}
		return nil
	}
	return fault.Errorf(fault.Forbidden, "unknown access %d", a)
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

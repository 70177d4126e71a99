package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"runtime/debug"
	"strings"
	"time"

	"github.com/grunnlag/grunnlag/internal/fault"
)

// maxBodyBytes caps every request body but the self-assessment's answer
// forms and uploads (bodyLimit, survey_files.go). The other bodies
// grunnlag accepts are small forms; nothing legitimate comes close.
const maxBodyBytes = 64 << 10

// contentSecurityPolicy allows only the server's own scripts, styles and
// images: no inline script, no inline style, no framing.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"

// middleware wraps h in what every response passes through, outermost
// first: logging and metrics, the request's deadline, recovery from
// panics, security headers, refusal of cross-origin form posts, who is
// asking, and the body size limit.
func (s *Server) middleware(h http.Handler) http.Handler {
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.fail(w, r, fault.WithUser(fault.Forbidden,
			"Skjemaet ble sendt fra et annet nettsted, og er avvist.",
			fmt.Errorf("cross-origin %s %s refused (Origin %q, Sec-Fetch-Site %q)", r.Method, r.URL.Path, r.Header.Get("Origin"), r.Header.Get("Sec-Fetch-Site"))))
	}))
	h = limitBody(h)
	h = s.identify(h)
	h = cop.Handler(h)
	h = securityHeaders(h)
	h = s.recoverPanics(h)
	h = s.deadline(h)
	return s.observe(h)
}

// deadline gives every request Limits.RequestTimeout: its context, which
// every store call of the request gets, ends then.
func (s *Server) deadline(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), s.cfg.Limits.RequestTimeout)
		defer cancel()
		h.ServeHTTP(w, r.WithContext(ctx))
	})
}

// routeName is where adapt writes the pattern of the route that answered,
// for observe: the middleware between them make new requests (with a
// deadline, with who is asking), so the one the mux marks with its
// pattern is not the one observe holds.
type routeName struct{ pattern string }

type routeKey struct{}

// noteRoute records the route that answers r, for observe.
func noteRoute(r *http.Request, pattern string) {
	if rn, ok := r.Context().Value(routeKey{}).(*routeName); ok {
		rn.pattern = pattern
	}
}

// securityHeaders sets the headers every response carries.
func securityHeaders(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("Content-Security-Policy", contentSecurityPolicy)
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("Referrer-Policy", "same-origin")
		hd.Set("X-Frame-Options", "DENY")
		hd.Set("Cross-Origin-Opener-Policy", "same-origin")
		hd.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
		h.ServeHTTP(w, r)
	})
}

func limitBody(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body != nil {
			r.Body = http.MaxBytesReader(w, r.Body, bodyLimit(r))
		}
		h.ServeHTTP(w, r)
	})
}

// recoverPanics turns a panic in a handler into a 500 (if nothing was
// written yet) and a log line with the stack, instead of a dropped
// connection. http.ErrAbortHandler keeps its meaning.
func (s *Server) recoverPanics(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			v := recover()
			if v == nil {
				return
			}
			if err, ok := v.(error); ok && errors.Is(err, http.ErrAbortHandler) {
				panic(v)
			}
			s.log.Error("panic", "method", r.Method, "path", r.URL.Path, "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
			if sw, ok := w.(*statusWriter); ok && sw.status != 0 {
				return
			}
			s.fail(w, r, fault.Errorf(fault.Internal, "panic: %v", v))
		}()
		h.ServeHTTP(w, r)
	})
}

// observe logs each request and counts it in the metrics, by the route
// pattern that answered it (noted by adapt).
func (s *Server) observe(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		rn := &routeName{}
		h.ServeHTTP(sw, r.WithContext(context.WithValue(r.Context(), routeKey{}, rn)))
		d := time.Since(start)
		status := sw.status
		if status == 0 {
			status = http.StatusOK
		}
		pattern := rn.pattern
		if pattern == "" {
			pattern = "unmatched"
		}
		s.metrics.observeRequest(pattern, r.Method, status, d)
		path := r.URL.Path
		if strings.Contains(pattern, "{secret}") {
			// A one-time link's secret is a password until used: the log
			// gets the route's pattern instead of the path.
			path = patternPath(pattern)
		}
		s.log.Info("request", "method", r.Method, "path", path, "route", pattern,
			"status", status, "bytes", sw.bytes, "duration", d, "client", s.clientIP(r))
	})
}

// statusWriter remembers the status and counts the bytes written.
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

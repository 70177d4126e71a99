package web

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// Answers of routes marked cached are kept whole (status, headers, body),
// so a repeated request costs a map lookup and a write. Only answers to
// people who are not signed in are kept (adapt), and those do not depend
// on who asks. The key holds what an answer depends on besides the data
// the cache already tracks: the path and the query as the route reads it
// (keptQuery), the step of the sync (pages show its progress) and the
// minute (pages say how long ago data was fetched). Before a kept answer is used, the table list is
// checked (re-read every tableListTTL), so a snapshot stored by another
// process drops every kept answer within tableListTTL, not only when the
// minute changes.
//
// Nothing else of the request goes into the key, so nobody can fill the
// cache with copies of one answer: the handler sees only the query the key
// holds, parameters the route does not read are dropped before it runs,
// and an answer to parameters that name nothing (a view of a dimension
// the table does not have) is not kept (dontKeep).

// recorded is a kept answer.
type recorded struct {
	status int
	header http.Header
	body   []byte
	keep   bool // false: serve it to the requests waiting for it, then forget it
}

// recorder captures an answer instead of sending it.
type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (r *recorder) Header() http.Header { return r.header }

func (r *recorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.body.Write(b)
}

// keepFlag says whether the answer being computed may be kept.
type keepFlag struct{ keep bool }

type keepKey struct{}

// dontKeep marks the answer being computed for ctx's request as one not
// to keep.
func dontKeep(ctx context.Context) {
	if f, ok := ctx.Value(keepKey{}).(*keepFlag); ok {
		f.keep = false
	}
}

// keptQuery returns the query parameters a cached route reads (params,
// see cachedBy), in one canonical order: parameters sorted by name, a
// single-valued one with its first value (as the handlers read it), a
// many-valued one with its values sorted, once each (the handlers do not
// depend on their order: parseView keeps a dimension's values in the
// dataset's order).
func keptQuery(params []string, q url.Values) string {
	out := url.Values{}
	for k, vs := range q {
		ok, many := reads(params, k)
		if !ok || len(vs) == 0 {
			continue
		}
		if many {
			out[k] = slices.Compact(slices.Sorted(slices.Values(vs)))
		} else {
			out[k] = vs[:1]
		}
	}
	return out.Encode() // sorted by name
}

// reads says whether a route with params reads the query parameter k,
// and whether it reads all of its values.
func reads(params []string, k string) (read, many bool) {
	for _, p := range params {
		name, all := strings.CutSuffix(p, "[]")
		if name == k || (strings.HasSuffix(name, ".") && strings.HasPrefix(k, name)) {
			return true, all
		}
	}
	return false, false
}

// serveCached answers from the kept answers, computing and keeping the
// answer when it is not there. Only 200 OK answers are kept.
func (s *Server) serveCached(w http.ResponseWriter, r *http.Request, rt route) {
	// An error here is the handler's to report, if it needs the list.
	s.cache.tableList(r.Context())
	query := keptQuery(rt.caching.params, r.URL.Query())
	key := fmt.Sprintf("resp:%d:%d:%s?%s", s.sync.version(), s.now().Unix()/60, r.URL.Path, query)
	v, err := s.cache.get(r.Context(), key, func(ctx context.Context) (any, error) {
		flag := &keepFlag{keep: true}
		u := *r.URL
		u.RawQuery = query
		req := r.WithContext(context.WithValue(ctx, keepKey{}, flag))
		req.URL, req.RequestURI = &u, u.RequestURI()
		rec := &recorder{header: http.Header{}}
		s.serveRoute(rec, req, rt)
		if rec.status == 0 {
			rec.status = http.StatusOK
		}
		return &recorded{status: rec.status, header: rec.header, body: rec.body.Bytes(),
			keep: flag.keep && rec.status == http.StatusOK}, nil
	})
	if err != nil { // the request ended while another one computed the answer
		s.fail(w, r, err)
		return
	}
	resp := v.(*recorded)
	if !resp.keep {
		s.cache.forget(key, v)
	}
	h := w.Header()
	for k, vs := range resp.header {
		h[k] = vs
	}
	w.WriteHeader(resp.status)
	w.Write(resp.body)
}

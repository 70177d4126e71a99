package web

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
)

// Answers of routes marked cached are kept whole (status, headers, body),
// so a repeated request costs a map lookup and a write. The key holds what
// an answer depends on besides the data the cache already tracks: the
// request's host (it decides whether the sync button shows, see
// authorize) and URI, the step of the sync (pages show its progress) and
// the minute (pages say how long ago data was fetched). Before a kept
// answer is used, the table list is checked (re-read every tableListTTL),
// so a snapshot stored by another process drops every kept answer within
// tableListTTL, not only when the minute changes.

// recorded is a kept answer.
type recorded struct {
	status int
	header http.Header
	body   []byte
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

// serveCached answers from the kept answers, computing and keeping the
// answer when it is not there. Only 200 OK answers are kept.
func (s *Server) serveCached(w http.ResponseWriter, r *http.Request, rt route) {
	// An error here is the handler's to report, if it needs the list.
	s.cache.tableList(r.Context())
	key := fmt.Sprintf("resp:%d:%d:%s:%s", s.sync.version(), s.now().Unix()/60, r.Host, r.URL.RequestURI())
	v, err := s.cache.get(r.Context(), key, func(ctx context.Context) (any, error) {
		rec := &recorder{header: http.Header{}}
		s.serveRoute(rec, r.WithContext(ctx), rt)
		if rec.status == 0 {
			rec.status = http.StatusOK
		}
		return &recorded{status: rec.status, header: rec.header, body: rec.body.Bytes()}, nil
	})
	if err != nil { // the request ended while another one computed the answer
		s.fail(w, r, err)
		return
	}
	resp := v.(*recorded)
	if resp.status != http.StatusOK {
		s.cache.forget(key)
	}
	h := w.Header()
	for k, vs := range resp.header {
		h[k] = vs
	}
	w.WriteHeader(resp.status)
	w.Write(resp.body)
}

package pxwebtest

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path"
	"strings"
	"time"
)

// FaultKind is a way the server misbehaves.
type FaultKind int

// The faults the server can inject.
const (
	// StatusFault answers Status (default 503) with a problem body built
	// from Title and Detail, and a Retry-After header when RetryAfter is set.
	StatusFault FaultKind = iota + 1
	// NonJSONError answers Status (default 502) with an HTML page, as a
	// proxy in front of the API would.
	NonJSONError
	// Slow waits Delay before answering normally, or until the client gives
	// up, whichever comes first.
	Slow
	// TruncatedBody promises the whole normal body in Content-Length, sends
	// half of it and cuts the connection.
	TruncatedBody
	// InvalidJSON answers 200 with the first half of the normal body.
	InvalidJSON
	// SizeMismatch answers with a dataset whose value has one entry fewer
	// than its size says (id, size and categories still agree).
	SizeMismatch
	// EmptyValues answers with the dataset's "value" emptied, as in a
	// metadata response.
	EmptyValues
	// Redirect answers Status (default 302 Found) with Location, as a
	// hostile or misconfigured server sending the client elsewhere.
	Redirect
	// Body answers Status (default 200) with Body verbatim as JSON: a
	// hostile server's own answer, e.g. metadata that claims a huge table.
	Body
)

// Fault is a misbehaviour for requests that match Path and Method.
type Fault struct {
	Kind FaultKind
	// Path is a path.Match pattern for the path below URL(), matched in
	// lower case, e.g. "/tables/*/data"; empty matches every path.
	Path string
	// Method matches the HTTP method; empty matches any.
	Method string
	// Times is how many matching requests get the fault before the server
	// behaves again; 0 means every one.
	Times int

	Status     int
	Title      string
	Detail     string
	RetryAfter string // Retry-After header value, verbatim
	Delay      time.Duration
	Location   string // for Redirect
	Body       []byte // for Body
}

type injected struct {
	f    Fault
	left int // -1: forever
}

// Inject adds a fault. Faults are tried in the order added; the first that
// matches a request applies to it.
func (s *Server) Inject(f Fault) {
	left := f.Times
	if left <= 0 {
		left = -1
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, &injected{f: f, left: left})
}

// ClearFaults removes every injected fault.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = nil
}

// takeFault returns the fault for a request and counts it; s.mu is held.
func (s *Server) takeFault(method, p string) *Fault {
	for i, in := range s.faults {
		if in.f.Method != "" && !strings.EqualFold(in.f.Method, method) {
			continue
		}
		if in.f.Path != "" {
			if ok, _ := path.Match(strings.ToLower(in.f.Path), strings.ToLower(p)); !ok {
				continue
			}
		}
		if in.left > 0 {
			in.left--
			if in.left == 0 {
				s.faults = append(s.faults[:i:i], s.faults[i+1:]...)
			}
		}
		f := in.f
		return &f
	}
	return nil
}

// apply answers r with the fault; serve writes the normal answer.
func (f *Fault) apply(w http.ResponseWriter, r *http.Request, serve func(http.ResponseWriter)) {
	switch f.Kind {
	case StatusFault:
		status := f.Status
		if status == 0 {
			status = http.StatusServiceUnavailable
		}
		title := f.Title
		if title == "" {
			title = http.StatusText(status)
		}
		if f.RetryAfter != "" {
			w.Header().Set("Retry-After", f.RetryAfter)
		}
		writeProblem(w, status, title, f.Detail)
	case NonJSONError:
		status := f.Status
		if status == 0 {
			status = http.StatusBadGateway
		}
		if f.RetryAfter != "" {
			w.Header().Set("Retry-After", f.RetryAfter)
		}
		page := "<html><body><h1>" + itoa(status) + " " + http.StatusText(status) + "</h1></body></html>"
		writeBody(w, status, "text/html", []byte(page))
	case Redirect:
		status := f.Status
		if status == 0 {
			status = http.StatusFound
		}
		w.Header().Set("Location", f.Location)
		w.WriteHeader(status)
	case Body:
		status := f.Status
		if status == 0 {
			status = http.StatusOK
		}
		writeBody(w, status, "application/json", f.Body)
	case Slow:
		t := time.NewTimer(f.Delay)
		defer t.Stop()
		select {
		case <-t.C:
			serve(w)
		case <-r.Context().Done():
		}
	case TruncatedBody, InvalidJSON, SizeMismatch, EmptyValues:
		rec := httptest.NewRecorder()
		serve(rec)
		body := rec.Body.Bytes()
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		switch f.Kind {
		case TruncatedBody:
			w.Header().Set("Content-Length", itoa(len(body)))
			w.WriteHeader(rec.Code)
			w.Write(body[:len(body)/2])
			if fl, ok := w.(http.Flusher); ok {
				fl.Flush()
			}
			panic(http.ErrAbortHandler) // cut the connection mid-body
		case InvalidJSON:
			body = body[:len(body)/2]
		case SizeMismatch:
			body = dropValue(body)
		case EmptyValues:
			body = emptyValues(body)
		}
		w.Header().Set("Content-Length", itoa(len(body)))
		w.WriteHeader(rec.Code)
		w.Write(body)
	default:
		serve(w)
	}
}

// emptyValues replaces a dataset's values (and status) with "value": [].
func emptyValues(body []byte) []byte {
	var m map[string]json.RawMessage
	if json.Unmarshal(body, &m) != nil || m["value"] == nil {
		return body
	}
	m["value"] = json.RawMessage("[]")
	delete(m, "status")
	out, err := json.Marshal(m)
	if err != nil {
		return body
	}
	return out
}

// dropValue removes the last entry of a dataset's dense "value" array.
func dropValue(body []byte) []byte {
	var m map[string]json.RawMessage
	if json.Unmarshal(body, &m) != nil {
		return body
	}
	var values []json.RawMessage
	if json.Unmarshal(m["value"], &values) != nil || len(values) == 0 {
		return body
	}
	m["value"], _ = json.Marshal(values[:len(values)-1])
	out, err := json.Marshal(m)
	if err != nil {
		return body
	}
	return out
}

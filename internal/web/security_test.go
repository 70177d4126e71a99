package web

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/grunnlag/grunnlag/internal/store"
)

func TestSecurityHeaders(t *testing.T) {
	e := newEnv(t)
	want := map[string]string{
		"Content-Security-Policy": contentSecurityPolicy,
		"X-Content-Type-Options":  "nosniff",
		"Referrer-Policy":         "same-origin",
		"X-Frame-Options":         "DENY",
	}
	for _, path := range []string{"/", "/tabeller/03024", "/api/v1/tables", "/api/v1/nope", "/nope", "/static/app.css", "/metrics", "/healthz", "/tabeller/03024/csv"} {
		t.Run(path, func(t *testing.T) {
			resp, _ := e.get(t, path)
			for k, v := range want {
				if got := resp.Header.Get(k); got != v {
					t.Errorf("GET %s header %s = %q, want %q", path, k, got, v)
				}
			}
		})
	}
	if !strings.Contains(contentSecurityPolicy, "script-src 'self';") || strings.Contains(contentSecurityPolicy, "unsafe-inline") {
		t.Errorf("CSP %q allows inline script", contentSecurityPolicy)
	}
}

func TestCrossOriginPostRefused(t *testing.T) {
	tests := []struct {
		name   string
		header http.Header
		path   string
		want   int
	}{
		{"cross-site form post", http.Header{"Sec-Fetch-Site": {"cross-site"}, "Origin": {"https://angriper.example"}}, "/synk", http.StatusForbidden},
		{"cross-origin by Origin only", http.Header{"Origin": {"https://angriper.example"}}, "/synk", http.StatusForbidden},
		{"cross-site API post", http.Header{"Sec-Fetch-Site": {"cross-site"}}, "/api/v1/sync", http.StatusForbidden},
		{"same-origin form post", http.Header{"Sec-Fetch-Site": {"same-origin"}}, "/synk", http.StatusSeeOther},
		{"same-origin under a foreign host name", http.Header{"Sec-Fetch-Site": {"same-origin"}, "Host": {"angriper.example:8080"}}, "/synk", http.StatusSeeOther},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, func(c *Config) { c.Sync = noopSync })
			analyst := e.signIn(t, "analytiker@example.invalid", store.RoleAnalyst, "")
			h := tt.header.Clone()
			h.Set("Cookie", analyst.cookie.String())
			h.Set("Content-Type", "application/x-www-form-urlencoded")
			resp, body := e.do(t, http.MethodPost, tt.path, h, strings.NewReader("csrf="+analyst.csrf))
			if resp.StatusCode != tt.want {
				t.Fatalf("POST %s = %d, want %d\n%s", tt.path, resp.StatusCode, tt.want, body)
			}
			if tt.want == http.StatusSeeOther {
				if loc := resp.Header.Get("Location"); loc != "/synk" {
					t.Errorf("POST %s Location = %q, want /synk", tt.path, loc)
				}
				e.srv.WaitSync(t.Context())
			}
			if tt.want == http.StatusForbidden && strings.HasPrefix(tt.path, "/api/") {
				var p problem
				if err := json.Unmarshal([]byte(body), &p); err != nil || p.Status != 403 || p.Detail == "" {
					t.Errorf("POST %s body = %s, want a 403 problem", tt.path, body)
				}
			}
		})
	}
}

// TestSyncNeedsAnAnalyst: anonymous, a municipality's lead and an analyst
// without the form token are refused; the sync of a server started
// without one says so, not something about addresses.
func TestSyncNeedsAnAnalyst(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.Sync = noopSync })
	lead := e.signIn(t, "leder@example.invalid", store.RoleLead, "0301")
	analyst := e.signIn(t, "analytiker@example.invalid", store.RoleAnalyst, "")
	for _, tt := range []struct {
		name string
		as   *session
		form url.Values
		want int
	}{
		{"anonymous", nil, nil, http.StatusUnauthorized},
		{"lead", lead, nil, http.StatusForbidden},
		{"analyst without the form token", analyst, url.Values{"csrf": {"feil"}}, http.StatusForbidden},
		{"analyst", analyst, nil, http.StatusSeeOther},
	} {
		resp, body := e.doAs(t, tt.as, http.MethodPost, "/synk", tt.form)
		if resp.StatusCode != tt.want {
			t.Errorf("%s: POST /synk = %d, want %d\n%.300s", tt.name, resp.StatusCode, tt.want, body)
		}
	}
	e.srv.WaitSync(t.Context())
	off := newEnv(t)
	a := off.signIn(t, "analytiker@example.invalid", store.RoleAnalyst, "")
	resp, body := off.doAs(t, a, http.MethodPost, "/synk", nil)
	if resp.StatusCode != http.StatusForbidden || !strings.Contains(body, "--no-sync") || strings.Contains(body, "localhost") {
		t.Errorf("POST /synk on a server without sync = %d, want 403 naming --no-sync\n%.500s", resp.StatusCode, body)
	}
}

func TestBodyLimit(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.Sync = noopSync })
	analyst := e.signIn(t, "analytiker@example.invalid", store.RoleAnalyst, "")
	big := strings.NewReader("csrf=" + analyst.csrf + "&x=" + strings.Repeat("a", maxBodyBytes+10))
	h := http.Header{"Sec-Fetch-Site": {"same-origin"}, "Content-Type": {"application/x-www-form-urlencoded"}, "Cookie": {analyst.cookie.String()}}
	resp, _ := e.do(t, http.MethodPost, "/synk", h, big)
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("POST /synk with %d bytes = %d, want 413", maxBodyBytes+10, resp.StatusCode)
	}
}

func TestErrors(t *testing.T) {
	e := newEnv(t)
	tests := []struct {
		name, method, path string
		status             int
		ctype              string
		allow              string
	}{
		{"page not found", "GET", "/ingenting", 404, "text/html; charset=utf-8", ""},
		{"api not found", "GET", "/api/v1/ingenting", 404, "application/problem+json", ""},
		{"api table not stored", "GET", "/api/v1/tables/14559", 404, "application/problem+json", ""},
		{"api entry not found", "GET", "/api/v1/findings/nei", 404, "application/problem+json", ""},
		{"page wrong method", "DELETE", "/tabeller", 405, "text/html; charset=utf-8", "GET, HEAD"},
		{"api wrong method", "PUT", "/api/v1/sync", 405, "application/problem+json", "GET, POST, HEAD"},
		{"post to a page", "POST", "/tabeller", 405, "text/html; charset=utf-8", "GET, HEAD"},
		{"search without query", "GET", "/api/v1/search", 400, "application/problem+json", ""},
		{"static missing", "GET", "/static/nope.js", 404, "text/html; charset=utf-8", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := e.do(t, tt.method, tt.path, http.Header{"Sec-Fetch-Site": {"same-origin"}}, nil)
			if resp.StatusCode != tt.status {
				t.Fatalf("%s %s = %d, want %d\n%s", tt.method, tt.path, resp.StatusCode, tt.status, body)
			}
			if ct := resp.Header.Get("Content-Type"); ct != tt.ctype {
				t.Errorf("%s %s Content-Type = %q, want %q", tt.method, tt.path, ct, tt.ctype)
			}
			if got := resp.Header.Get("Allow"); got != tt.allow {
				t.Errorf("%s %s Allow = %q, want %q", tt.method, tt.path, got, tt.allow)
			}
			if strings.Contains(body, "no route") || strings.Contains(body, "sqlite") || strings.Contains(body, ".go:") {
				t.Errorf("%s %s shows internals:\n%s", tt.method, tt.path, body)
			}
			if tt.ctype == "application/problem+json" {
				var p problem
				if err := json.Unmarshal([]byte(body), &p); err != nil {
					t.Fatalf("problem body is not JSON: %v\n%s", err, body)
				}
				if p.Status != tt.status || p.Title == "" || p.Detail == "" || p.Instance != tt.path {
					t.Errorf("problem = %+v", p)
				}
			} else if tt.method != "HEAD" {
				checkPage(t, tt.path, body)
			}
		})
	}
}

func TestPanicIsInternalError(t *testing.T) {
	e := newEnv(t)
	h := e.srv.middleware(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("boom in a handler") }))
	for _, path := range []string{"/x", "/api/v1/x"} {
		rec := newRecorder()
		h.ServeHTTP(rec, mustRequest(t, "GET", path))
		if rec.Code != 500 || strings.Contains(rec.Body.String(), "boom") {
			t.Errorf("panic at %s = %d %q, want 500 without the panic text", path, rec.Code, rec.Body.String())
		}
	}
}

func TestLoopback(t *testing.T) {
	tests := []struct {
		addr string
		want bool
	}{
		{"127.0.0.1:8080", true},
		{"[::1]:8080", true},
		{"localhost:8080", true},
		{"localhost", true},
		{"[::1]", true},
		{"127.0.0.1", true},
		{"127.0.0.5:80", true},
		{"0.0.0.0:8080", false},
		{"[::]:8080", false},
		{":8080", false},
		{"192.168.1.10:8080", false},
		{"example.org:80", false},
	}
	for _, tt := range tests {
		if got := Loopback(tt.addr); got != tt.want {
			t.Errorf("Loopback(%q) = %v, want %v", tt.addr, got, tt.want)
		}
	}
}

// TestSyncButtonForAnalystsOnly: the sync button shows to a signed-in
// analyst only, and a page kept for anonymous readers is never the one an
// analyst gets (or the other way round).
func TestSyncButtonForAnalystsOnly(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.Sync = noopSync })
	analyst := e.signIn(t, "analytiker@example.invalid", store.RoleAnalyst, "")
	lead := e.signIn(t, "leder@example.invalid", store.RoleLead, "0301")
	for _, tt := range []struct {
		name string
		as   *session
		want bool
	}{
		{"anonymous", nil, false},
		{"analyst", analyst, true},
		{"anonymous again", nil, false},
		{"lead", lead, false},
	} {
		resp, body := e.doAs(t, tt.as, http.MethodGet, "/tabeller", nil)
		if got := strings.Contains(body, `action="/synk"`); got != tt.want {
			t.Errorf("%s: GET /tabeller has a sync button: %v, want %v", tt.name, got, tt.want)
		}
		if tt.as != nil && resp.Header.Get("Cache-Control") != "private, no-store" {
			t.Errorf("%s: Cache-Control = %q, want private, no-store", tt.name, resp.Header.Get("Cache-Control"))
		}
	}
}

package web

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
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
		name      string
		allowSync bool
		header    http.Header
		path      string
		want      int
	}{
		{"cross-site form post", true, http.Header{"Sec-Fetch-Site": {"cross-site"}, "Origin": {"https://angriper.example"}}, "/synk", http.StatusForbidden},
		{"cross-origin by Origin only", true, http.Header{"Origin": {"https://angriper.example"}}, "/synk", http.StatusForbidden},
		{"cross-site API post", true, http.Header{"Sec-Fetch-Site": {"cross-site"}}, "/api/v1/sync", http.StatusForbidden},
		{"same-origin form post", true, http.Header{"Sec-Fetch-Site": {"same-origin"}}, "/synk", http.StatusSeeOther},
		{"same-origin, sync off (not loopback)", false, http.Header{"Sec-Fetch-Site": {"same-origin"}}, "/synk", http.StatusForbidden},
		{"same-origin under a foreign host name (DNS rebinding)", true, http.Header{"Sec-Fetch-Site": {"same-origin"}, "Host": {"angriper.example:8080"}}, "/api/v1/sync", http.StatusForbidden},
		{"localhost by name", true, http.Header{"Sec-Fetch-Site": {"same-origin"}, "Host": {"localhost:8080"}}, "/synk", http.StatusSeeOther},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, func(c *Config) {
				c.AllowSync = tt.allowSync
				c.Sync = noopSync
			})
			resp, body := e.do(t, http.MethodPost, tt.path, tt.header, nil)
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

func TestBodyLimit(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.AllowSync = true; c.Sync = noopSync })
	big := strings.NewReader("x=" + strings.Repeat("a", maxBodyBytes+10))
	h := http.Header{"Sec-Fetch-Site": {"same-origin"}, "Content-Type": {"application/x-www-form-urlencoded"}}
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

// TestSyncButtonOnlyUnderLoopbackHost: a page asked for under a foreign
// host name has no sync button, and that page is not kept for requests
// under the loopback address.
func TestSyncButtonOnlyUnderLoopbackHost(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.AllowSync = true; c.Sync = noopSync })
	for _, tt := range []struct {
		host string // "" is the test server's own 127.0.0.1:port
		want bool
	}{
		{"angriper.example:8080", false},
		{"", true},
	} {
		_, body := e.do(t, http.MethodGet, "/tabeller", http.Header{"Host": {tt.host}}, nil)
		if got := strings.Contains(body, `action="/synk"`); got != tt.want {
			t.Errorf("GET /tabeller with Host %q has a sync button: %v, want %v", tt.host, got, tt.want)
		}
	}
}

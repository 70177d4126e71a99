package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/grunnlag/grunnlag/internal/store"
	"github.com/grunnlag/grunnlag/internal/usertext"
)

// TestUserText scans the text of every page (what a browser shows, and the
// text alternatives screen readers read) and the human-readable fields of
// every API answer for what internal/usertext says must not reach a user.

// visibleText returns the text of a page as a person or a screen reader
// meets it: text nodes outside scripts and styles, and the attributes read
// aloud or shown (title, alt, aria-label, placeholder, value of buttons).
func visibleText(doc *html.Node) string {
	var b strings.Builder
	var f func(*html.Node)
	f = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.Data {
			case "script", "style":
				return
			}
			for _, a := range n.Attr {
				switch a.Key {
				case "title", "alt", "aria-label", "placeholder":
					b.WriteString(" " + a.Val + " ")
				}
			}
		}
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
			b.WriteByte(' ')
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			f(c)
		}
	}
	f(doc)
	return b.String()
}

// humanFields are the API's fields written for people.
var humanFields = map[string]bool{
	"title": true, "summary": true, "text": true, "detail": true, "message": true, "label": true,
	"statement": true, "problem": true, "reason": true, "origin_text": true, "snippet": true,
	"kind_label": true, "why": true, "heading": true, "stage": true, "verdict_text": true,
}

// scanJSON checks the human-readable fields of a JSON answer.
func scanJSON(t *testing.T, path string, v any, at string) {
	switch x := v.(type) {
	case map[string]any:
		for k, val := range x {
			if s, ok := val.(string); ok && humanFields[k] {
				for _, p := range usertext.Problems(s) {
					t.Errorf("%s %s.%s: %s", path, at, k, p)
				}
				continue
			}
			scanJSON(t, path, val, at+"."+k)
		}
	case []any:
		for i, val := range x {
			scanJSON(t, path, val, fmt.Sprintf("%s[%d]", at, i))
		}
	}
}

// sitePages returns a path of every page the site has: every list, every
// entry of the pack, every stored table with its versions.
func sitePages(t *testing.T, e *env) []string {
	t.Helper()
	pk := e.srv.cfg.Pack
	paths := []string{"/", "/tabeller", "/temaer", "/dokumenter", "/dokumenter?sorter=utgiver", "/funn", "/dialog", "/behov", "/nsm",
		"/sok?q=patch", "/sok?q=ROS", "/rapport", "/synk", "/tilgjengelighet", "/finnes-ikke", "/tabeller/14559"}
	for _, x := range pk.Themes {
		paths = append(paths, "/temaer/"+x.ID)
	}
	for _, x := range pk.Documents {
		paths = append(paths, "/dokumenter/"+x.ID)
	}
	for _, x := range pk.Findings {
		paths = append(paths, "/funn/"+x.ID)
	}
	for _, x := range pk.Activities {
		paths = append(paths, "/dialog/"+x.ID)
	}
	for _, x := range pk.Needs {
		paths = append(paths, "/behov/"+x.ID)
	}
	ts, err := e.srv.tableStatuses(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range ts {
		if x.Stored {
			paths = append(paths, "/tabeller/"+x.ID, "/tabeller/"+x.ID+"/versjoner")
		}
	}
	return paths
}

func TestUserText(t *testing.T) {
	e := newEnv(t)
	old, new := addVersion(t, e)
	pages := append(sitePages(t, e), fmt.Sprintf("/tabeller/13615/versjoner?fra=%d&til=%d", old, new))
	for _, p := range pages {
		resp, body := e.get(t, p)
		if resp.StatusCode >= 500 {
			t.Errorf("%s answers %d", p, resp.StatusCode)
			continue
		}
		for _, pr := range usertext.PageProblems(visibleText(parseHTML(t, body))) {
			t.Errorf("%s: %s", p, pr)
		}
	}
	admin := e.signIn(t, "admin@example.invalid", store.RoleAdmin, "")
	lead := e.signIn(t, "leder@example.invalid", store.RoleLead, "0301")
	for _, p := range signedInPages(admin.user) {
		who := map[string]*session{"admin": admin, "lead": lead}[p.who]
		resp, body := e.doAs(t, who, http.MethodGet, p.path, nil)
		if resp.StatusCode != http.StatusOK {
			t.Errorf("%s as %s answers %d", p.path, p.who, resp.StatusCode)
			continue
		}
		for _, pr := range usertext.PageProblems(visibleText(parseHTML(t, body))) {
			t.Errorf("%s: %s", p.path, pr)
		}
	}
	apis := []string{"/api/v1/tables", "/api/v1/tables/13615", "/api/v1/tables/13615/versions", "/api/v1/tables/13615/versions/compare",
		"/api/v1/tables/13615/view", "/api/v1/indicators", "/api/v1/themes", "/api/v1/documents", "/api/v1/findings",
		"/api/v1/dialogue", "/api/v1/needs", "/api/v1/nsm", "/api/v1/search?q=patch", "/api/v1/sync", "/api/v1/tables/99999"}
	for _, p := range apis {
		resp, body := e.get(t, p)
		if resp.StatusCode >= 500 {
			t.Errorf("%s answers %d", p, resp.StatusCode)
			continue
		}
		var v any
		if err := json.Unmarshal([]byte(body), &v); err != nil {
			t.Errorf("%s: %v", p, err)
			continue
		}
		scanJSON(t, p, v, "$")
	}
}

// TestAPISnakeCase checks that every field name of the API's answers is
// snake_case (the JSON-stat data and the OpenAPI document follow their own
// standards and are left out).
func TestAPISnakeCase(t *testing.T) {
	e := newEnv(t)
	addVersion(t, e)
	snake := regexp.MustCompile(`^[a-z][a-z0-9]*(_[a-z0-9]+)*$`)
	var walk func(path, at string, v any)
	walk = func(path, at string, v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, val := range x {
				if !snake.MatchString(k) && !strings.HasSuffix(at, ".labels") {
					t.Errorf("%s %s: field %q is not snake_case", path, at, k)
				}
				walk(path, at+"."+k, val)
			}
		case []any:
			for _, val := range x {
				walk(path, at+"[]", val)
			}
		}
	}
	for _, p := range []string{"/api/v1/tables", "/api/v1/tables/13615", "/api/v1/tables/13615/versions", "/api/v1/tables/13615/versions/compare",
		"/api/v1/tables/13615/view", "/api/v1/themes", "/api/v1/themes/" + e.srv.cfg.Pack.Themes[0].ID, "/api/v1/documents",
		"/api/v1/documents/" + e.srv.cfg.Pack.Documents[0].ID, "/api/v1/findings", "/api/v1/dialogue", "/api/v1/needs", "/api/v1/nsm",
		"/api/v1/search?q=patch", "/api/v1/sync", "/api/v1/indicators"} {
		resp, body := e.get(t, p)
		if resp.StatusCode != http.StatusOK {
			t.Errorf("%s answers %d", p, resp.StatusCode)
			continue
		}
		var v any
		if err := json.Unmarshal([]byte(body), &v); err != nil {
			t.Fatal(err)
		}
		walk(p, "$", v)
	}
}

func TestUserTextRewrites(t *testing.T) {
	e := newEnv(t)
	tests := []struct{ in, want string }{
		{"over 67,4 % (research-ssb-figures §4.3).", "over 67,4 % (kildenotatet «SSB-tall for tabellene i vedlegg E – det som kunne finnes uten tilgang til SSB», avsnitt 4.3)."},
		{"research-ssb-figures §2.8 knytter", "Kildenotatet «SSB-tall for tabellene i vedlegg E – det som kunne finnes uten tilgang til SSB», avsnitt 2.8 knytter"},
		{"er prosjektets (DESIGN, issue 3); vedlegget", "er prosjektets; vedlegget"},
		{"ligger i data/nsm.yaml.", "ligger i grunnlag/nsm.yaml."},
		{"Utvikle sikkert. Tittel ikke sett ordrett.", "Utvikle sikkert. Ordlyden er ikke bekreftet mot NSMs egen tekst."},
		{"(research-ukjent §1)", "(et kildenotat i prosjektet, avsnitt 1)"},
	}
	for _, tt := range tests {
		if got := e.srv.cfg.Pack.ForReaders(tt.in); got != tt.want {
			t.Errorf("ForReaders(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

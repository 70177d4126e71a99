package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

func TestPages(t *testing.T) {
	e := newEnv(t)
	pack := e.srv.cfg.Pack
	tests := []struct {
		name   string
		path   string
		status int
		want   []string // texts the page must contain
	}{
		{"dashboard", "/", 200, []string{"Situasjonsbilde", "Nøkkeltall", "Mer enn 50 kommuner har ikke rutiner", "I vedlegg E (2021): mer enn 60 kommuner; nyeste (2022): mer enn 50 kommuner.",
			`href="/indikatorer/sikkerhetspatcher-mangler"`, "Styringsevne", "Tabell 03024", "Konstruerte testdata"}},
		{"indicators", "/indikatorer", 200, []string{"Indikatorer", `href="/indikatorer/policy-mangler"`, "I vedlegg E (2021): mer enn 60 kommuner"}},
		{"indicator", "/indikatorer/sikkerhetspatcher-mangler", 200, []string{"Utregningen steg for steg", "17,4\u00a0% × 356 ≈ 61,9", "«mer enn 60»",
			"Vedlegget skrev «mer enn 60 kommuner» for 2021; tabellens tall for 2021 gir 61,9 kommuner, som stemmer med vedlegget.", "merk="}},
		{"unknown indicator", "/indikatorer/nei", 404, []string{"Fant ingen indikator med ID «nei»"}},
		{"tables", "/tabeller", 200, []string{"12041", "03024", "TAB6471", "importert", "Synkroniser"}},
		{"explorer", "/tabeller/13615", 200, []string{"Sal av petroleumsprodukt", "Velg utsnitt", "Last ned utsnittet", "Bilbensin"}},
		{"explorer constructed", "/tabeller/12618", 200, []string{"Konstruerte testdata"}},
		{"explorer of SCB's table", "/tabeller/TAB6471", 200, []string{"Kilde: SCB, tabell TAB6471"}},
		{"themes", "/temaer", 200, []string{"Styringsevne", "Løpende sikring", "Hypotese"}},
		{"theme", "/temaer/lopende-sikring", 200, []string{"Løpende sikring", "I vedlegg E (2021): mer enn 60 kommuner", "Belegg fra dokumenter og dialog", "Samlet vurdering", "Hypotesen er underbygget"}},
		{"documents", "/dokumenter", 200, []string{"NOU 2018:14"}},
		{"document", "/dokumenter/" + pack.Documents[0].ID, 200, []string{pack.Documents[0].AsWritten}},
		{"findings", "/funn", 200, []string{"86"}},
		{"finding", "/funn/" + pack.Findings[0].ID, 200, []string{"Sitat"}},
		{"dialogue", "/dialog", 200, []string{pack.Activities[0].Title}},
		{"activity", "/dialog/" + pack.Activities[0].ID, 200, []string{"Deltakere"}},
		{"needs", "/behov", 200, []string{pack.Needs[0].Title}},
		{"need", "/behov/" + pack.Needs[0].ID, 200, []string{pack.Needs[0].Text}},
		{"nsm", "/nsm", 200, []string{pack.Principles[0].Title}},
		{"search form", "/sok", 200, []string{"sikkerhetspatcher"}},
		{"search", "/sok?q=patch", 200, []string{"treff for «patch»", "<h2>Indikatorer", `href="/indikatorer/sikkerhetspatcher-mangler"`}},
		{"search a table's labels", "/sok?q=backup", 200, []string{"<h2>Tabeller", `href="/tabeller/12618"`}},
		{"search nothing", "/sok?q=zzzxxqq", 200, []string{"Ingen treff"}},
		{"report", "/rapport", 200, []string{"Rapport"}},
		{"sync", "/synk", 200, []string{"Ingen synkronisering er kjørt"}},
		{"not found", "/finnes/ikke-her", 404, []string{"Fant ikke siden", "Søk i kunnskapsgrunnlaget", `value="ikke her"`}},
		{"table not stored", "/tabeller/14559", 404, []string{"Tabell 14559 er ikke hentet ennå"}},
		{"invalid table id", "/tabeller/12%3B3", 404, []string{"Fant ikke"}},
		{"unknown document", "/dokumenter/nei", 404, []string{"Fant ingen dokument med ID «nei»"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := e.get(t, tt.path)
			if resp.StatusCode != tt.status {
				t.Fatalf("GET %s = %d, want %d\n%s", tt.path, resp.StatusCode, tt.status, body)
			}
			if ct := resp.Header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
				t.Errorf("GET %s Content-Type = %q", tt.path, ct)
			}
			checkPage(t, tt.path, body)
			for _, w := range tt.want {
				if !strings.Contains(body, w) {
					t.Errorf("GET %s lacks %q", tt.path, w)
				}
			}
		})
	}
}

// TestPagesLinkToPages follows every internal link of the main pages once:
// none may lead to a 404 or 500.
func TestPagesLinkToPages(t *testing.T) {
	e := newEnv(t)
	seen := map[string]bool{}
	for _, start := range []string{"/", "/tabeller", "/temaer", "/dokumenter", "/funn", "/dialog", "/behov", "/nsm", "/sok?q=beredskap"} {
		_, body := e.get(t, start)
		walk(parseHTML(t, body), func(n *html.Node) {
			if n.Data != "a" {
				return
			}
			href, _ := attr(n, "href")
			u, err := url.Parse(href)
			if err != nil || u.Host != "" || !strings.HasPrefix(u.Path, "/") || seen[u.Path+"?"+u.RawQuery] {
				return
			}
			seen[u.Path+"?"+u.RawQuery] = true
			resp, _ := e.get(t, u.RequestURI())
			if resp.StatusCode != http.StatusOK {
				t.Errorf("%s links to %s, which answers %d", start, href, resp.StatusCode)
			}
		})
	}
	if len(seen) < 50 {
		t.Errorf("followed %d links, want the pages to link at least 50 places", len(seen))
	}
}

func TestReport(t *testing.T) {
	e := newEnv(t)
	_, page := e.get(t, "/rapport")
	for _, want := range []string{"Les rapporten", "/rapport/rapport.md", "Konklusjonene per tema", "PDF er ikke tilgjengelig"} {
		if !strings.Contains(page, want) {
			t.Errorf("/rapport lacks %q", want)
		}
	}
	resp, body := e.get(t, "/rapport/rapport.html")
	csp := resp.Header.Get("Content-Security-Policy")
	if resp.StatusCode != 200 || !strings.Contains(body, "<h1>") || !strings.Contains(csp, "style-src 'sha256-") || strings.Contains(csp, "unsafe") {
		t.Errorf("rapport.html = %d, CSP %q", resp.StatusCode, csp)
	}
	resp, md := e.get(t, "/rapport/rapport.md")
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/markdown") {
		t.Fatalf("rapport.md = %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	// Every chart the Markdown refers to is served beside it.
	n := 0
	for _, line := range strings.Split(md, "\n") {
		i := strings.Index(line, "](figurer/")
		if i < 0 {
			continue
		}
		ref := line[i+2:]
		ref = ref[:strings.IndexAny(ref, ") ")]
		n++
		if resp, svg := e.get(t, "/rapport/"+ref); resp.StatusCode != 200 || !strings.Contains(svg, "<svg") {
			t.Errorf("figure %s = %d", ref, resp.StatusCode)
		}
	}
	if n == 0 {
		t.Error("the Markdown report has no charts")
	}
	var data map[string]any
	if resp := getJSON(t, e, "/rapport/rapport.json", &data); resp.StatusCode != 200 || data["indicators"] == nil {
		t.Errorf("rapport.json = %d", resp.StatusCode)
	}
	if resp, _ := e.get(t, "/rapport/rapport.pdf"); resp.StatusCode != 404 {
		t.Errorf("rapport.pdf without Chromium = %d, want 404", resp.StatusCode)
	}
	if resp, _ := e.get(t, "/rapport/annet.txt"); resp.StatusCode != 404 {
		t.Errorf("unknown report file = %d, want 404", resp.StatusCode)
	}
}

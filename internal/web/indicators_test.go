package web

import (
	"net/url"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// TestIndicatorExplorerMarks follows the indicator page's link to the
// explorer: the cell behind the newest figure is marked, and no other.
func TestIndicatorExplorerMarks(t *testing.T) {
	e := newEnv(t)
	_, body := e.get(t, "/indikatorer/sikkerhetspatcher-mangler")
	doc := checkPage(t, "/indikatorer/sikkerhetspatcher-mangler", body)
	var link string
	walk(doc, func(n *html.Node) {
		if href, ok := attr(n, "href"); ok && strings.Contains(href, "merk=") {
			link = href
		}
	})
	if link == "" {
		t.Fatal("the indicator page has no link to the explorer with marked cells")
	}
	u, err := url.Parse(link)
	if err != nil {
		t.Fatal(err)
	}
	if u.Path != "/tabeller/12618" || len(u.Query()["merk"]) != 1 {
		t.Fatalf("link %s, want table 12618 with one marked cell", link)
	}
	resp, page := e.get(t, link)
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s = %d", link, resp.StatusCode)
	}
	var marked []string
	walk(checkPage(t, link, page), func(n *html.Node) {
		if n.Data == "mark" && n.FirstChild != nil {
			marked = append(marked, n.FirstChild.Data)
		}
	})
	// 15,2 % without patch routines in 2022, the newest year.
	if len(marked) != 1 || marked[0] != "15,2" {
		t.Errorf("marked cells %q, want the 2022 cell 15,2", marked)
	}
	// Without the parameter nothing is marked; a wrong index is ignored.
	for _, q := range []string{"", "?merk=999999", "?merk=x"} {
		_, page := e.get(t, "/tabeller/12618"+q)
		if strings.Contains(page, "<mark>") {
			t.Errorf("GET /tabeller/12618%s marks a cell", q)
		}
	}
}

// TestIndicatorPageContradiction shows an indicator whose figure does not
// reproduce the appendix's reading (25,0 % of the county municipalities,
// where the appendix wrote «under 25 %»): the page says so, with the rule
// and where the definition is written.
func TestIndicatorPageContradiction(t *testing.T) {
	e := newEnv(t)
	_, body := e.get(t, "/indikatorer/beredskapsovelse-fylkeskommuner")
	checkPage(t, "/indikatorer/beredskapsovelse-fylkeskommuner", body)
	for _, want := range []string{
		"Vedlegget skrev «under 25 %» for 2018",
		"Definert i kunnskapspakken: grunnlag/indicators.yaml:",
		"Når tallet støtter hypotesen",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("indicator page lacks %q", want)
		}
	}
}

// TestAppendixReadingsOnWeb shows the appendix's reading of a table as the
// appendix's, with its mark when no source confirms the figure.
func TestAppendixReadingsOnWeb(t *testing.T) {
	e := newEnv(t)
	_, body := e.get(t, "/funn/ssb12019-skystrategi-2022")
	for _, want := range []string{"Tallet er ikke bekreftet", "Vedlegg E, med henvisning til tabell 12019"} {
		if !strings.Contains(body, want) {
			t.Errorf("/funn/ssb12019-skystrategi-2022 lacks %q", want)
		}
	}
	if _, body := e.get(t, "/funn"); !strings.Contains(body, "(ikke bekreftet)") {
		t.Error("/funn does not mark the unverified readings")
	}
}

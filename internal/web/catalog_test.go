package web

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/net/html"
)

// documentColumn returns one column of the document list's rows.
func documentColumn(t *testing.T, body string, col int) []string {
	t.Helper()
	var out []string
	for _, tr := range find(find(parseHTML(t, body), "table", "dokumenter")[0], "tr", "") {
		var cells []string
		for c := tr.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == html.ElementNode && (c.Data == "td" || c.Data == "th") {
				cells = append(cells, strings.TrimSpace(text(c)))
			}
		}
		if len(cells) > col && len(find(tr, "td", "")) > 0 {
			out = append(out, cells[col])
		}
	}
	return out
}

func TestDocumentList(t *testing.T) {
	e := newEnv(t)
	t.Run("newest first by default, undated last", func(t *testing.T) {
		_, body := e.get(t, "/dokumenter")
		checkPage(t, "/dokumenter", body)
		years := documentColumn(t, body, 3)
		if len(years) != len(e.srv.cfg.Pack.Documents) {
			t.Fatalf("%d documents listed, want all %d", len(years), len(e.srv.cfg.Pack.Documents))
		}
		last := 9999
		undated := false
		for _, y := range years {
			if y == "ikke oppgitt" {
				undated = true
				continue
			}
			if undated {
				t.Fatalf("a dated document (%s) after an undated one: %q", y, years)
			}
			n := 0
			for _, r := range y[:4] {
				n = n*10 + int(r-'0')
			}
			if n > last {
				t.Fatalf("years not newest first: %q", years)
			}
			last = n
		}
	})
	t.Run("oldest first", func(t *testing.T) {
		_, body := e.get(t, "/dokumenter?sorter=ar-eldst")
		if years := documentColumn(t, body, 3); years[0] != "2015" {
			t.Errorf("first year = %q, want 2015", years[0])
		}
	})
	t.Run("filter by kind and publisher", func(t *testing.T) {
		_, body := e.get(t, "/dokumenter?type=rapport&utgiver=NSM&sorter=ar-eldst")
		got := documentColumn(t, body, 0)
		if diff := cmp.Diff([]string{"Risiko 2021", "Risiko 2022"}, got); diff != "" {
			t.Errorf("NSM's reports (-want +got):\n%s", diff)
		}
		if !strings.Contains(body, "Viser 2 av ") {
			t.Error("the page does not say how many it shows")
		}
	})
	t.Run("only with a link: every link from the pack", func(t *testing.T) {
		_, body := e.get(t, "/dokumenter?lenke=ja")
		links := documentColumn(t, body, 4)
		want := 0
		for _, d := range e.srv.cfg.Pack.Documents {
			if d.URL != "" {
				want++
				if !strings.Contains(body, `href="`+d.URL+`"`) {
					t.Errorf("no link to %s", d.URL)
				}
			}
		}
		if len(links) != want {
			t.Errorf("%d documents with a link listed, want %d", len(links), want)
		}
	})
	t.Run("every table of the pack", func(t *testing.T) {
		_, body := e.get(t, "/dokumenter")
		tables := text(find(parseHTML(t, body), "table", "tabeller")[0])
		for _, pt := range e.srv.cfg.Pack.Tables {
			if !strings.Contains(tables, pt.ID) {
				t.Errorf("table %s is not listed", pt.ID)
			}
		}
		if !strings.Contains(tables, "14559") || !strings.Contains(tables, "ikke hentet ennå") {
			t.Errorf("14559 is not listed as not fetched:\n%s", tables)
		}
	})
}

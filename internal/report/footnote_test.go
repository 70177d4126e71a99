package report

import (
	"bytes"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/net/html"
)

// checkFootnotes parses a report page and returns every way in which a
// number in its running text is not traced to a footnote.
//
// Running text is every text node inside <main>, except:
//   - the footnotes themselves (<section id="fotnoter">) and the footnote
//     marks (<sup class="fn">);
//   - headings (<h1>–<h6>): they are the appendix's titles, not claims;
//   - charts (<svg>): each sits in a <figure> whose caption cites it, and
//     its numbers are repeated in a table or the text;
//   - identifiers and dates: <cite> (titles of works such as "NOU
//     2018:14"), <time>, <code> and <span class="id"> (table ids).
//
// A number is any decimal digit. It is traced when an enclosing element
// has data-fn="N …" and that element contains a link to #fn-N for each N;
// every N must be a footnote <li id="fn-N"> and every footnote must be
// cited somewhere.
func checkFootnotes(page []byte) []string {
	type frame struct {
		tag    string
		exempt bool
		fns    []int
		linked map[int]bool
	}
	var (
		stack    []*frame
		problems []string
		defined  = map[int]bool{}
		cited    = map[int]bool{}
		inMain   = 0
	)
	voids := []string{"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
	exemptTags := []string{"svg", "h1", "h2", "h3", "h4", "h5", "h6", "cite", "time", "code", "script", "style"}
	z := html.NewTokenizer(bytes.NewReader(page))
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			for n := range cited {
				if !defined[n] {
					problems = append(problems, fmt.Sprintf("data-fn cites footnote %d, which does not exist", n))
				}
			}
			for n := range defined {
				if !cited[n] {
					problems = append(problems, fmt.Sprintf("footnote %d is never cited", n))
				}
			}
			slices.Sort(problems)
			return problems
		case html.StartTagToken, html.SelfClosingTagToken:
			tok := z.Token()
			attr := map[string]string{}
			for _, a := range tok.Attr {
				attr[a.Key] = a.Val
			}
			if tok.Data == "a" && strings.HasPrefix(attr["href"], "#fn-") {
				n, err := strconv.Atoi(strings.TrimPrefix(attr["href"], "#fn-"))
				if err != nil {
					problems = append(problems, "bad footnote link "+attr["href"])
				}
				for _, f := range stack {
					if f.linked != nil {
						f.linked[n] = true
					}
				}
			}
			if tt == html.SelfClosingTagToken || slices.Contains(voids, tok.Data) {
				continue
			}
			classes := strings.Fields(attr["class"])
			f := &frame{tag: tok.Data}
			f.exempt = slices.Contains(exemptTags, tok.Data) || slices.Contains(classes, "id") ||
				(tok.Data == "sup" && slices.Contains(classes, "fn")) || (tok.Data == "section" && attr["id"] == "fotnoter")
			if v, ok := attr["data-fn"]; ok {
				f.linked = map[int]bool{}
				for _, s := range strings.Fields(v) {
					n, err := strconv.Atoi(s)
					if err != nil {
						problems = append(problems, fmt.Sprintf("<%s data-fn=%q> is not a list of numbers", tok.Data, v))
						continue
					}
					f.fns = append(f.fns, n)
					cited[n] = true
				}
			}
			if tok.Data == "li" && strings.HasPrefix(attr["id"], "fn-") {
				for _, g := range stack {
					if g.tag == "section" && g.exempt {
						n, _ := strconv.Atoi(strings.TrimPrefix(attr["id"], "fn-"))
						defined[n] = true
					}
				}
			}
			if tok.Data == "main" {
				inMain++
			}
			stack = append(stack, f)
		case html.EndTagToken:
			name, _ := z.TagName()
			tag := string(name)
			if slices.Contains(voids, tag) {
				continue
			}
			for len(stack) > 0 {
				f := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				for _, n := range f.fns {
					if !f.linked[n] {
						problems = append(problems, fmt.Sprintf("<%s data-fn> cites footnote %d but has no link to #fn-%d", f.tag, n, n))
					}
				}
				if f.tag == "main" {
					inMain--
				}
				if f.tag == tag {
					break
				}
			}
		case html.TextToken:
			text := string(z.Text())
			if inMain == 0 || !strings.ContainsFunc(text, unicode.IsDigit) {
				continue
			}
			exempt, traced := false, false
			for _, f := range stack {
				exempt = exempt || f.exempt
				traced = traced || len(f.fns) > 0
			}
			if !exempt && !traced {
				where := "?"
				if len(stack) > 0 {
					where = stack[len(stack)-1].tag
				}
				problems = append(problems, fmt.Sprintf("number without footnote in <%s>: %q", where, strings.TrimSpace(text)))
			}
		}
	}
}

// TestCheckFootnotes shows that the check finds what it looks for, on
// small constructed pages.
func TestCheckFootnotes(t *testing.T) {
	page := func(main, notes string) []byte {
		return []byte(`<!DOCTYPE html><html><head><title>T 1</title><style>p{margin:0 1px}</style></head><body><header><p>Utenfor main: 2025</p></header><main>` +
			main + `<section id="fotnoter"><ol>` + notes + `</ol></section></main></body></html>`)
	}
	const note1 = `<li id="fn-1">Kilde 12041</li>`
	tests := []struct {
		name string
		page []byte
		want []string
	}{
		{
			name: "traced figure, heading, identifiers and dates",
			page: page(`<h2>Møter 2022</h2><p><span data-fn="1"><data value="61.9">mer enn 60</data><sup class="fn"><a href="#fn-1">1</a></sup></span> i <time>2021</time>, tabell <span class="id">12041</span>, <cite>NOU 2018:14</cite>.</p><figure data-fn="1"><svg><text>75 %</text></svg><figcaption>Figur<sup class="fn"><a href="#fn-1">1</a></sup></figcaption></figure>`, note1),
		},
		{
			name: "number without footnote",
			page: page(`<p>Mer enn <data value="61.9">60</data> kommuner.</p><p data-fn="1">x<sup class="fn"><a href="#fn-1">1</a></sup></p>`, note1),
			want: []string{`number without footnote in <data>: "60"`},
		},
		{
			name: "data-fn without its link",
			page: page(`<p data-fn="1">61,9</p><p data-fn="1"><a href="#fn-1">1</a></p>`, note1),
			want: []string{"<p data-fn> cites footnote 1 but has no link to #fn-1"},
		},
		{
			name: "footnote that does not exist, and one never cited",
			page: page(`<p data-fn="2">61,9<a href="#fn-2">2</a></p>`, note1),
			want: []string{"data-fn cites footnote 2, which does not exist", "footnote 1 is never cited"},
		},
		{
			name: "table cells need the table's footnote",
			page: page(`<table><caption>T</caption><tr><td>63,9</td></tr></table><p data-fn="1"><a href="#fn-1">1</a></p>`, note1),
			want: []string{`number without footnote in <td>: "63,9"`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, checkFootnotes(tt.page)); diff != "" {
				t.Errorf("checkFootnotes mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

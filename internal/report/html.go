package report

import (
	"bufio"
	"fmt"
	"html"
	"io"
	"strconv"
	"strings"
)

// The HTML is one self-contained page: the stylesheet is inline, the charts
// are inline SVG, and nothing is loaded from anywhere. The links are to the
// page's own sections and footnotes, and, when the report is built for a
// site (Options.IndicatorURL), from the footnotes of figures to the pages
// that explain them.
//
// How figures are marked, which the footnote check in the tests relies on:
//
//   - A figure is a <data value="exact"> element.
//   - Every element that carries a figure's source has data-fn="N …" and
//     contains a link <sup class="fn"><a href="#fn-N">N</a></sup> to each
//     of its footnotes: a span around a statement, a paragraph, a list
//     item, a blockquote, a table (the link is in its caption) or a figure
//     (in its figcaption).
//   - Identifiers that look like numbers (table ids, document identifiers)
//     are <span class="id"> or <cite>; dates and years are <time>.
//   - The footnotes are <ol> items <li id="fn-N"> in <section id="fotnoter">.

const css = `
:root { color-scheme: light; }
body { font-family: Georgia, "Times New Roman", serif; line-height: 1.5; color: #1a1a1a; background: #fff; margin: 0; }
header, nav, main { max-width: 48rem; margin: 0 auto; padding: 0 1rem; }
header { padding-top: 2rem; }
h1 { font-size: 1.9rem; line-height: 1.2; margin-bottom: .3rem; }
.undertittel { font-size: 1.1rem; color: #444; margin-top: 0; }
h2 { font-size: 1.45rem; margin-top: 2.5rem; border-bottom: 1px solid #bbb; }
h3 { font-size: 1.2rem; margin-top: 2rem; }
h4 { font-size: 1.05rem; margin-top: 1.5rem; }
nav ol { padding-left: 1.2rem; }
blockquote { margin: .8rem 0 .8rem 1rem; padding-left: .8rem; border-left: 3px solid #0072B2; color: #333; }
sup.fn { font-size: .7em; line-height: 0; }
sup.fn a { text-decoration: none; }
.utsagn { font-size: 1.1rem; font-weight: bold; }
.mangler { color: #8a3b00; }
.merknad { background: #f3f3f3; padding: .5rem .8rem; }
table { border-collapse: collapse; margin: 1rem 0; font-family: Helvetica, Arial, sans-serif; font-size: .85rem; }
caption { text-align: left; font-weight: bold; padding-bottom: .3rem; }
th, td { border: 1px solid #ccc; padding: .2rem .4rem; vertical-align: top; }
td.tall { text-align: right; white-space: nowrap; }
thead th { background: #eef3f8; }
tbody th { text-align: left; font-weight: normal; }
figure { margin: 1.2rem 0; }
figure svg { max-width: 100%; height: auto; }
figcaption { font-size: .9rem; color: #333; }
#fotnoter { font-size: .85rem; }
#fotnoter li { margin-bottom: .3rem; overflow-wrap: anywhere; }
@page { size: A4; margin: 18mm 16mm; }
@media print {
  nav { display: none; }
  header, main { max-width: none; padding: 0; }
  h2, h3, h4 { break-after: avoid; }
  figure, table, blockquote { break-inside: avoid; }
  a { color: inherit; }
}
`

// WriteHTML writes the report as one HTML page.
func (r *Report) WriteHTML(w io.Writer) error {
	bw := bufio.NewWriter(w)
	h := &htmlWriter{w: bw}
	d := r.doc
	h.raw("<!DOCTYPE html>\n<html lang=\"nb\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
	h.raw("<title>" + esc(d.Title) + "</title>\n<style>" + css + "</style>\n</head>\n<body>\n")
	h.raw("<header>\n<h1>" + esc(d.Title) + "</h1>\n<p class=\"undertittel\">")
	h.inlines(d.Subtitle)
	h.raw("</p>\n</header>\n")
	h.raw("<nav aria-label=\"Innhold\">\n<h2>Innhold</h2>\n<ol>\n")
	for _, s := range d.Sections {
		if s.Level == 2 {
			h.raw("<li><a href=\"#" + esc(s.ID) + "\">" + esc(s.Heading) + "</a></li>\n")
		}
	}
	h.raw("<li><a href=\"#fotnoter\">" + headNotes + "</a></li>\n</ol>\n</nav>\n<main>\n")
	for _, s := range d.Sections {
		h.raw(fmt.Sprintf("<h%d id=\"%s\">%s</h%d>\n", s.Level, esc(s.ID), esc(s.Heading), s.Level))
		for _, bl := range s.Blocks {
			h.block(bl)
		}
	}
	h.raw("<section id=\"fotnoter\">\n<h2>" + headNotes + "</h2>\n<ol>\n")
	for i, n := range d.Notes {
		h.raw(fmt.Sprintf("<li id=\"fn-%d\">%s", i+1, esc(n.Text)))
		if n.Link != "" {
			h.raw(` <a href="` + esc(n.Link) + `">` + linkText + `</a>`)
		}
		h.raw("</li>\n")
	}
	h.raw("</ol>\n</section>\n</main>\n</body>\n</html>\n")
	if h.err != nil {
		return h.err
	}
	return bw.Flush()
}

type htmlWriter struct {
	w   *bufio.Writer
	err error
}

func (h *htmlWriter) raw(s string) {
	if h.err == nil {
		_, h.err = h.w.WriteString(s)
	}
}

func esc(s string) string { return html.EscapeString(s) }

func fnAttr(fn []int) string {
	s := make([]string, len(fn))
	for i, n := range fn {
		s[i] = strconv.Itoa(n)
	}
	return ` data-fn="` + strings.Join(s, " ") + `"`
}

// marks writes the footnote links.
func (h *htmlWriter) marks(fn []int) {
	h.raw(`<sup class="fn">`)
	for i, n := range fn {
		if i > 0 {
			h.raw(",")
		}
		h.raw(fmt.Sprintf(`<a href="#fn-%d" aria-label="fotnote %d">%d</a>`, n, n, n))
	}
	h.raw(`</sup>`)
}

func (h *htmlWriter) block(bl block) {
	switch x := bl.(type) {
	case para:
		if x.Class != "" {
			h.raw(`<p class="` + x.Class + `">`)
		} else {
			h.raw("<p>")
		}
		h.inlines(x.Inlines)
		h.raw("</p>\n")
	case list:
		h.raw("<ul>\n")
		for _, it := range x.Items {
			h.raw("<li>")
			h.inlines(it)
			h.raw("</li>\n")
		}
		h.raw("</ul>\n")
	case quote:
		h.raw("<blockquote" + fnAttr(x.Fn) + "><p>")
		h.inlines(x.Inlines)
		h.marks(x.Fn)
		h.raw("</p></blockquote>\n")
	case table:
		h.raw("<table" + fnAttr(x.Fn) + ">\n<caption>")
		h.inlines(x.Caption)
		h.marks(x.Fn)
		h.raw("</caption>\n<thead>\n")
		for _, row := range x.Head {
			h.raw("<tr>")
			for _, c := range row {
				h.raw(`<th scope="col">` + esc(c) + "</th>")
			}
			h.raw("</tr>\n")
		}
		h.raw("</thead>\n<tbody>\n")
		for _, row := range x.Rows {
			h.raw("<tr>")
			for i, c := range row {
				if i < x.RowHeads {
					h.raw(`<th scope="row">` + esc(c) + "</th>")
				} else {
					h.raw(`<td class="tall">` + esc(c) + "</td>")
				}
			}
			h.raw("</tr>\n")
		}
		h.raw("</tbody>\n</table>\n")
	case *figure:
		h.raw("<figure id=\"" + esc(strings.TrimSuffix(x.Name, ".svg")) + "\"" + fnAttr(x.Fn) + ">\n")
		h.raw(string(x.SVG))
		h.raw("<figcaption>")
		h.inlines(x.Caption)
		h.marks(x.Fn)
		h.raw("</figcaption>\n</figure>\n")
	}
}

func (h *htmlWriter) inlines(in []inline) {
	for _, x := range in {
		switch x.Kind {
		case textKind:
			h.raw(esc(x.Text))
		case numKind:
			h.raw(`<data value="` + esc(x.Value) + `">` + esc(x.Text) + `</data>`)
		case identKind:
			h.raw(`<span class="id">` + esc(x.Text) + `</span>`)
		case timeKind:
			h.raw(`<time datetime="` + esc(x.Value) + `">` + esc(x.Text) + `</time>`)
		case citeKind:
			h.raw(`<cite>` + esc(x.Text) + `</cite>`)
		case strongKind:
			h.raw(`<strong>` + esc(x.Text) + `</strong>`)
		case emKind:
			h.raw(`<em>` + esc(x.Text) + `</em>`)
		case groupKind:
			h.raw(`<span class="kilde"` + fnAttr(x.Fn) + `>`)
			h.inlines(x.Inner)
			h.marks(x.Fn)
			h.raw(`</span>`)
		}
	}
}

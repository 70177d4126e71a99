package report

import (
	"bufio"
	"fmt"
	"io"
	"regexp"
	"strings"
)

// FigureDir is the folder beside the Markdown that holds its charts.
const FigureDir = "figurer"

// Figure is a chart of the report as an SVG file.
type Figure struct {
	Name string // file name inside FigureDir
	SVG  []byte
}

// Figures returns the report's charts, in the order they appear.
func (r *Report) Figures() []Figure {
	out := make([]Figure, len(r.doc.Figures))
	for i, f := range r.doc.Figures {
		out[i] = Figure{Name: f.Name, SVG: f.SVG}
	}
	return out
}

// WriteMarkdown writes the report as Markdown (GitHub's flavour, with
// footnotes [^n]); the charts are images in FigureDir.
func (r *Report) WriteMarkdown(w io.Writer) error {
	bw := bufio.NewWriter(w)
	m := &mdWriter{w: bw}
	d := r.doc
	m.line("# " + mdEscape(d.Title))
	m.line("")
	m.line(m.inlines(d.Subtitle))
	for _, s := range d.Sections {
		m.line("")
		m.line(strings.Repeat("#", s.Level) + " " + mdEscape(s.Heading))
		for _, bl := range s.Blocks {
			m.line("")
			m.block(bl)
		}
	}
	m.line("")
	m.line("## " + headNotes)
	m.line("")
	for i, n := range d.Notes {
		line := fmt.Sprintf("[^%d]: %s", i+1, mdEscape(n.Text))
		if n.Link != "" {
			line += " [" + linkText + "](" + n.Link + ")"
		}
		m.line(line)
	}
	if m.err != nil {
		return m.err
	}
	return bw.Flush()
}

type mdWriter struct {
	w   *bufio.Writer
	err error
}

func (m *mdWriter) line(s string) {
	if m.err == nil {
		_, m.err = m.w.WriteString(s + "\n")
	}
}

func marksMD(fn []int) string {
	var b strings.Builder
	for _, n := range fn {
		fmt.Fprintf(&b, "[^%d]", n)
	}
	return b.String()
}

// listStart matches what would start a list at the beginning of a line:
// "- ", "+ ", "2021. " (the other markup characters are always escaped).
var listStart = regexp.MustCompile(`^([-+]|\d+[.)])(\s|$)`)

func (m *mdWriter) block(bl block) {
	switch x := bl.(type) {
	case para:
		s := m.inlines(x.Inlines)
		if x.Class == "mangler" || x.Class == "merknad" {
			s = "> " + s
		}
		m.line(s)
	case list:
		for _, it := range x.Items {
			m.line("- " + m.inlines(it))
		}
	case quote:
		m.line("> " + guillemets(m.inlines(x.Inlines)) + marksMD(x.Fn))
	case table:
		m.line("**" + m.inlines(x.Caption) + "**" + marksMD(x.Fn))
		m.line("")
		head := x.Head
		if len(head) == 0 {
			head = [][]string{make([]string, len(x.Rows[0]))}
		}
		// Markdown tables have one header row: join the header rows per column.
		cols := len(head[0])
		joined := make([]string, cols)
		for c := range cols {
			var parts []string
			for _, row := range head {
				if c < len(row) && row[c] != "" {
					parts = append(parts, row[c])
				}
			}
			joined[c] = strings.Join(parts, " / ")
		}
		m.line("| " + strings.Join(cellsMD(joined), " | ") + " |")
		seps := make([]string, cols)
		for c := range seps {
			seps[c] = "---"
			if c >= x.RowHeads {
				seps[c] = "---:"
			}
		}
		m.line("| " + strings.Join(seps, " | ") + " |")
		for _, row := range x.Rows {
			m.line("| " + strings.Join(cellsMD(row), " | ") + " |")
		}
	case *figure:
		m.line("![" + mdEscape(x.Title) + "](" + FigureDir + "/" + x.Name + ")")
		m.line("")
		m.line("*" + m.inlines(x.Caption) + "*" + marksMD(x.Fn))
	}
}

func cellsMD(cells []string) []string {
	out := make([]string, len(cells))
	for i, c := range cells {
		out[i] = strings.ReplaceAll(mdEscape(c), "|", `\|`)
	}
	return out
}

func (m *mdWriter) inlines(in []inline) string {
	var b strings.Builder
	for _, x := range in {
		switch x.Kind {
		case strongKind:
			b.WriteString(wrapMD("**", x.Text))
		case emKind, citeKind:
			b.WriteString(wrapMD("*", x.Text))
		case groupKind:
			b.WriteString(m.inlines(x.Inner))
			b.WriteString(marksMD(x.Fn))
		default:
			b.WriteString(mdEscape(x.Text))
		}
	}
	s := b.String()
	if m := listStart.FindStringSubmatchIndex(s); m != nil {
		// Escape the marker's last character: "\-", "2021\.".
		s = s[:m[3]-1] + `\` + s[m[3]-1:]
	}
	return s
}

// mdEscape escapes the characters Markdown would read as markup.
func mdEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '\\', '*', '_', '[', ']', '<', '>', '`', '#':
			b.WriteByte('\\')
		case '\n':
			r = ' '
		}
		b.WriteRune(r)
	}
	return b.String()
}

// wrapMD puts emphasis markers around text, keeping the text's leading and
// trailing spaces outside them: "**Merk:** ", as CommonMark requires.
func wrapMD(marker, text string) string {
	core := strings.TrimSpace(text)
	if core == "" {
		return text
	}
	i := strings.Index(text, core)
	return text[:i] + marker + mdEscape(core) + marker + text[i+len(core):]
}

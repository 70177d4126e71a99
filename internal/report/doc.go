package report

// The report is built once as a small document tree, then written as HTML
// and Markdown from that tree, so both formats carry the same text, the
// same figures and the same footnote numbers.

// document is the whole report.
type document struct {
	Title    string
	Subtitle []inline
	Sections []*section
	Notes    []note // footnote n is Notes[n-1]
	Figures  []*figure
}

// section is a heading with its content; sections nest by Level (2–5).
type section struct {
	ID      string
	Level   int
	Heading string
	Blocks  []block
}

// block is one of para, list, quote, table, figure.
type block interface{ isBlock() }

// para is a paragraph. Class "mangler" marks missing data, "merknad" a
// note about the data.
type para struct {
	Class   string
	Inlines []inline
}

// list is a bulleted list.
type list struct {
	Items [][]inline
}

// quote is text quoted from a source, with the footnotes that cite it.
type quote struct {
	Inlines []inline
	Fn      []int
}

// table is a table view. Its caption carries the footnotes that cover
// every cell.
type table struct {
	Caption []inline
	Fn      []int
	Head    [][]string // header rows
	Rows    [][]string
	// RowHeads is how many leading cells of a row are row headings.
	RowHeads int
}

// figure is a chart with its caption and footnotes.
type figure struct {
	Name    string // file name of the SVG beside the Markdown: "figur-….svg"
	Title   string
	SVG     []byte
	Caption []inline
	Fn      []int
}

func (para) isBlock()    {}
func (list) isBlock()    {}
func (quote) isBlock()   {}
func (table) isBlock()   {}
func (*figure) isBlock() {}

// inlineKind says how an inline is written.
type inlineKind int

const (
	textKind   inlineKind = iota // plain text
	numKind                      // a figure: <data value=…>
	identKind                    // an identifier (table id, document id): not a number to source
	timeKind                     // a date or year: <time>
	citeKind                     // the title of a work: <cite>
	strongKind                   // <strong>
	emKind                       // <em>
	groupKind                    // Inner, with footnotes Fn: the sourced span
)

// inline is a run of text. A group carries footnotes: every figure inside
// it is sourced by them.
type inline struct {
	Kind  inlineKind
	Text  string
	Value string // numKind: the exact value; timeKind: the datetime
	Inner []inline
	Fn    []int
}

func txt(s string) inline                      { return inline{Kind: textKind, Text: s} }
func num(shown, exact string) inline           { return inline{Kind: numKind, Text: shown, Value: exact} }
func ident(s string) inline                    { return inline{Kind: identKind, Text: s} }
func when(shown, datetime string) inline       { return inline{Kind: timeKind, Text: shown, Value: datetime} }
func cite(s string) inline                     { return inline{Kind: citeKind, Text: s} }
func strong(s string) inline                   { return inline{Kind: strongKind, Text: s} }
func em(s string) inline                       { return inline{Kind: emKind, Text: s} }
func sourced(fn int, in ...inline) inline      { return inline{Kind: groupKind, Inner: in, Fn: []int{fn}} }
func sourcedAll(fn []int, in ...inline) inline { return inline{Kind: groupKind, Inner: in, Fn: fn} }

// note is a footnote: its text and, for a figure of an indicator when the
// report knows where the site is, a link to the indicator's page, which
// shows every step of the figure.
type note struct {
	Text string
	Link string
}

// linkText is the words of a footnote's link.
const linkText = "Utregningen steg for steg"

// String returns the footnote as plain text, the link written out.
func (n note) String() string {
	if n.Link == "" {
		return n.Text
	}
	return n.Text + " " + linkText + ": " + n.Link
}

// footnotes collects the footnotes while the report is built, numbered in
// the order the builder first cites them (renumber puts them in reading
// order afterwards); citing the same source twice gives the same number.
type footnotes struct {
	keys  map[string]int
	notes []note
}

func newFootnotes() *footnotes { return &footnotes{keys: map[string]int{}} }

// add returns the number of the footnote with the key, adding it with the
// text if it is new.
func (f *footnotes) add(key, text string) int { return f.addLink(key, text, "") }

// addLink adds a footnote with a link to the page that explains it.
func (f *footnotes) addLink(key, text, link string) int {
	if n, ok := f.keys[key]; ok {
		return n
	}
	f.notes = append(f.notes, note{Text: text, Link: link})
	f.keys[key] = len(f.notes)
	return len(f.notes)
}

// renumber numbers the footnotes in the order a reader meets them. The
// builder numbers them in the order it writes the sections, which is not
// always the page's order (a section's own paragraphs are filled in while
// its subsections are built).
func (d *document) renumber() {
	order := map[int]int{} // old number → new
	var notes []note
	d.mapFootnotes(func(fn []int) []int {
		for _, n := range fn {
			if _, ok := order[n]; !ok {
				notes = append(notes, d.Notes[n-1])
				order[n] = len(notes)
			}
		}
		return fn
	})
	for n := 1; n <= len(d.Notes); n++ {
		if _, ok := order[n]; !ok { // never cited: kept, last
			notes = append(notes, d.Notes[n-1])
			order[n] = len(notes)
		}
	}
	d.mapFootnotes(func(fn []int) []int {
		out := make([]int, len(fn))
		for i, n := range fn {
			out[i] = order[n]
		}
		return out
	})
	d.Notes = notes
}

// mapFootnotes replaces every list of footnotes in the document, in page
// order, with what f returns for it.
func (d *document) mapFootnotes(f func([]int) []int) {
	d.Subtitle = mapInlines(d.Subtitle, f)
	for _, s := range d.Sections {
		for i, bl := range s.Blocks {
			switch x := bl.(type) {
			case para:
				x.Inlines = mapInlines(x.Inlines, f)
				s.Blocks[i] = x
			case list:
				items := make([][]inline, len(x.Items))
				for j, it := range x.Items {
					items[j] = mapInlines(it, f)
				}
				x.Items = items
				s.Blocks[i] = x
			case quote:
				x.Inlines = mapInlines(x.Inlines, f)
				x.Fn = f(x.Fn)
				s.Blocks[i] = x
			case table:
				x.Caption = mapInlines(x.Caption, f)
				x.Fn = f(x.Fn)
				s.Blocks[i] = x
			case *figure:
				x.Caption = mapInlines(x.Caption, f)
				x.Fn = f(x.Fn)
			}
		}
	}
}

// mapInlines returns a copy of in with each group's footnotes replaced by
// what f returns, inner text first, as the page shows them.
func mapInlines(in []inline, f func([]int) []int) []inline {
	out := make([]inline, len(in))
	for i, x := range in {
		if x.Kind == groupKind {
			x.Inner = mapInlines(x.Inner, f)
			x.Fn = f(x.Fn)
		}
		out[i] = x
	}
	return out
}

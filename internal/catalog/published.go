package catalog

import (
	"net/url"
	"strings"
)

// Published is a figure a statistics agency or another public body
// published on a web page, read there with the page and the words that
// give it. It stands in for a table's cell when no snapshot of the table
// is stored, so a fresh installation that cannot reach SSB still shows
// real figures; a synced snapshot always takes precedence. Only figures
// read on a page (not inferred, not unverified) belong here.
type Published struct {
	ID string `pack:"id,required" json:"id"`
	// Indicator is the indicator whose cell the figure is: the share it
	// reads before combining (for a complement, the share that has the
	// routine, as the table gives it).
	Indicator  string     `pack:"indicator,required" json:"indicator"`
	Table      string     `pack:"table,required" json:"table"`
	Year       int        `pack:"year,required" json:"year"`
	Population Population `pack:"population,required" json:"population"`
	// Variable and Category describe the cell in the words of the page (or
	// of the table's own Norwegian metadata, where the page is English).
	Variable string  `pack:"variable,required" json:"variable"`
	Category string  `pack:"category" json:"category,omitempty"`
	Value    float64 `pack:"value,required" json:"value"` // per cent, as published
	// Page is the address of the page the figure was read on, PageTitle
	// its title, and Quote the words on the page that give the figure.
	Page      string `pack:"page,required" json:"page"`
	PageTitle string `pack:"page_title" json:"page_title,omitempty"`
	// PageLang is the language of the page, its title and the quote: "no"
	// (default) or "en". A Norwegian text quotes only Norwegian words.
	PageLang string   `pack:"page_lang" json:"page_lang,omitempty"`
	Quote    string   `pack:"quote,required" json:"quote"`
	Source   Citation `pack:"source,required" json:"source"` // where the reading is recorded
	Notes    string   `pack:"notes" json:"notes,omitempty"`
	Origin   Origin   `pack:"-" json:"origin"`
}

// Site returns the web site the figure was read on, as a reader names it:
// "ssb.no" for statbank.ssb.no and www.ssb.no, "digdir.no".
func (f *Published) Site() string {
	u, err := url.Parse(f.Page)
	if err != nil {
		return ""
	}
	labels := strings.Split(strings.TrimSuffix(u.Hostname(), "."), ".")
	if len(labels) > 2 {
		labels = labels[len(labels)-2:]
	}
	return strings.Join(labels, ".")
}

// Norwegian reports whether the page, its title and the quote are in
// Norwegian.
func (f *Published) Norwegian() bool {
	return f.PageLang == "" || f.PageLang == "no" || f.PageLang == "nb"
}

// PublishedFor returns the published figures that stand for an
// indicator's cells in a table, in pack order.
func (p *Pack) PublishedFor(indicator, table string) []*Published {
	return filter(p.Published, func(f *Published) bool { return f.Indicator == indicator && f.Table == table })
}

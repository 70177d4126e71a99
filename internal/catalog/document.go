package catalog

// Citation names the source of a fact: a document or reference id and where
// in it (a section heading, a page, a table row).
type Citation struct {
	Ref string `pack:"ref,required" json:"ref"` // a document id or a reference id
	At  string `pack:"at" json:"at,omitempty"`  // section, page or row inside it
}

// DocumentKind is one of the appendix's categories of documents, with its
// Norwegian heading. The pack lists them in the appendix's order.
type DocumentKind struct {
	ID      string `pack:"id,required" json:"id"`
	Heading string `pack:"heading,required" json:"heading"` // the appendix's heading, bokmål
	Notes   string `pack:"notes" json:"notes,omitempty"`
	Origin  Origin `pack:"-" json:"origin"`
}

// Document is a document the appendix analysed.
type Document struct {
	ID   string `pack:"id,required" json:"id"`
	Kind string `pack:"kind,required" json:"kind"` // a DocumentKind id
	// AsWritten is the appendix's list item, word for word.
	AsWritten string `pack:"as_written,required" json:"as_written"`
	// Identifier is the official identifier ("NOU 2018:14", "Meld. St. 38
	// (2016–2017)", "Tabell 12041"); empty for documents that have none.
	Identifier string `pack:"identifier" json:"identifier,omitempty"`
	Title      string `pack:"title" json:"title,omitempty"`
	Publisher  string `pack:"publisher" json:"publisher,omitempty"` // empty where no source at hand names it
	Year       string `pack:"year" json:"year,omitempty"`           // as stated: "2018", "2016–2017", "2019–2025"
	URL        string `pack:"url" json:"url,omitempty"`
	// URLSource says which source at hand shows the URL; required with URL.
	URLSource *Citation `pack:"url_source" json:"url_source,omitempty"`
	Table     string    `pack:"table" json:"table,omitempty"` // an SSB table id in tables.yaml
	Themes    []string  `pack:"themes" json:"themes,omitempty"`
	// ThemesInferred is true when the appendix does not say which themes
	// the document bears on and the editor classified it from its title.
	ThemesInferred bool     `pack:"themes_inferred" json:"themes_inferred,omitempty"`
	Source         Citation `pack:"source,required" json:"source"`
	Notes          string   `pack:"notes" json:"notes,omitempty"`
	Origin         Origin   `pack:"-" json:"origin"`
}

// Label returns the best short name: identifier and title, else what the
// appendix wrote.
func (d *Document) Label() string {
	switch {
	case d.Identifier != "" && d.Title != "":
		return d.Identifier + " " + d.Title
	case d.Title != "":
		return d.Title
	case d.Identifier != "":
		return d.Identifier
	}
	return d.AsWritten
}

// Reference is a source that is not one of the appendix's documents: the
// appendix itself, research notes, reference files, web pages they cite.
type Reference struct {
	ID        string `pack:"id,required" json:"id"`
	Title     string `pack:"title,required" json:"title"`
	Publisher string `pack:"publisher" json:"publisher,omitempty"`
	Year      string `pack:"year" json:"year,omitempty"`
	URL       string `pack:"url" json:"url,omitempty"`
	Path      string `pack:"path" json:"path,omitempty"` // a file in the project, where the reference is one
	Notes     string `pack:"notes" json:"notes,omitempty"`
	Origin    Origin `pack:"-" json:"origin"`
}

// Table is an SSB statistics table grunnlag keeps in sync (data/tables.yaml).
type Table struct {
	ID        string `pack:"id,required" json:"id"`
	Title     string `pack:"title,required" json:"title"`
	TitleLang string `pack:"title_lang" json:"title_lang,omitempty"`
	// SuccessorOf is the table this one replaced (14559 replaced 12041).
	SuccessorOf string `pack:"successor_of" json:"successor_of,omitempty"`
	Source      string `pack:"source,required" json:"source"`
	Why         string `pack:"why" json:"why,omitempty"`
	Origin      Origin `pack:"-" json:"origin"`
}

// NorwegianTitle returns the title when the pack gives it in Norwegian;
// ok is false for a title in another language (title_lang), which a
// Norwegian text must not use.
func (t *Table) NorwegianTitle() (string, bool) {
	switch t.TitleLang {
	case "", "no", "nb", "nn":
		return t.Title, true
	}
	return "", false
}

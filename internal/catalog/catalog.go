// Package catalog loads and checks grunnlag's knowledge pack: the documents,
// findings, sector dialogue, needs and themes of KS' appendix E, NSM's
// Grunnprinsipper for IKT-sikkerhet, the registers of municipalities and
// counties, and the number of municipalities per year.
//
// A pack is a directory of YAML files (and the CSV files its registers name).
// Every file may hold any of the sections (documents, findings, …); the
// schema is strict, and Load reports every problem at once as
// "file:line: field: problem". Several packs load in order: a later pack adds
// entries or replaces an earlier entry with the same id, and every entry
// remembers the pack, file and line it came from. data/README.md documents
// the schema for the people who edit the YAML.
package catalog

import "fmt"

// Origin says where an entry was read: which pack, which file, which line.
type Origin struct {
	Pack string `json:"pack"` // the pack's name (pack.name, else the directory's base name)
	File string `json:"file"` // the pack's name and the file's name in it: "grunnlag/findings.yaml"
	Line int    `json:"line"` // 1-based line of the entry's first key (CSV: the record's line)
}

// String returns "file:line".
func (o Origin) String() string { return fmt.Sprintf("%s:%d", o.File, o.Line) }

// Kind names a kind of entry; with an id it identifies an entry (Ref).
type Kind string

// The kinds of entries in a pack.
const (
	KindDocumentKind Kind = "document-kind"
	KindDocument     Kind = "document"
	KindReference    Kind = "reference"
	KindTable        Kind = "table"
	KindTheme        Kind = "theme"
	KindConclusion   Kind = "conclusion"
	KindFinding      Kind = "finding"
	KindActivity     Kind = "activity"
	KindNeed         Kind = "need"
	KindNSMSource    Kind = "nsm-source"
	KindCategory     Kind = "nsm-category"
	KindPrinciple    Kind = "nsm-principle"
	KindMeasure      Kind = "nsm-measure"
	KindRegister     Kind = "register"
	KindCount        Kind = "count"
	KindIndicator    Kind = "indicator"
	KindPublished    Kind = "published-figure"
)

// Ref identifies one entry: its kind and its id. Ids are unique per kind.
type Ref struct {
	Kind Kind   `json:"kind"`
	ID   string `json:"id"`
}

// String returns "kind/id", e.g. "document/nou-2018-14".
func (r Ref) String() string { return string(r.Kind) + "/" + r.ID }

// Entry is what every entry of a pack offers to listings and full-text
// search: a stable identity, a one-line summary, the text to index and where
// it was read.
type Entry interface {
	Ref() Ref
	Summary() string    // one line for listings, bokmål as in the pack
	SearchText() string // every human text of the entry, newline-separated
	Provenance() Origin
}

// PackInfo describes a pack directory; the optional `pack:` section sets it.
type PackInfo struct {
	Name        string `pack:"name,required" json:"name"`
	Title       string `pack:"title" json:"title,omitempty"`
	Maintainer  string `pack:"maintainer" json:"maintainer,omitempty"`
	Description string `pack:"description" json:"description,omitempty"`
	// Dir is the directory as given to Load: for the person who gave it
	// (grunnlag check), never in what the pack shows others.
	Dir string `pack:"-" json:"-"`
}

// Override records that a later pack replaced an entry of an earlier one.
type Override struct {
	Ref      Ref    `json:"ref"`
	Replaced Origin `json:"replaced"`
	By       Origin `json:"by"`
}

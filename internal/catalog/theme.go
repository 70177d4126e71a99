package catalog

// Statement is a text with its source: a hypothesis or a conclusion.
type Statement struct {
	Text string `pack:"text,required" json:"text"`
	// Verbatim is true when Text is quoted word for word from the source
	// ("[…]" marks an omission); false when it is the editor's wording.
	Verbatim bool     `pack:"verbatim" json:"verbatim"`
	Source   Citation `pack:"source,required" json:"source"`
	Notes    string   `pack:"notes" json:"notes,omitempty"`
}

// Theme is an analysis theme of the appendix, with the hypothesis it tests
// and its own conclusion. Findings, needs and (later) indicators point at
// themes through their evidence.
type Theme struct {
	ID         string    `pack:"id,required" json:"id"`
	Title      string    `pack:"title,required" json:"title"` // short title, bokmål
	Heading    string    `pack:"heading" json:"heading"`      // the appendix's section heading, where it has one
	Hypothesis Statement `pack:"hypothesis,required" json:"hypothesis"`
	Conclusion Statement `pack:"conclusion,required" json:"conclusion"`
	Notes      string    `pack:"notes" json:"notes,omitempty"`
	Origin     Origin    `pack:"-" json:"origin"`
}

// Conclusion is a conclusion that cuts across themes, such as the
// appendix's summary: the needs are much the same, the situations differ.
type Conclusion struct {
	ID       string   `pack:"id,required" json:"id"`
	Title    string   `pack:"title,required" json:"title"`
	Text     string   `pack:"text,required" json:"text"`
	Verbatim bool     `pack:"verbatim" json:"verbatim"`
	Themes   []string `pack:"themes" json:"themes,omitempty"`
	Source   Citation `pack:"source,required" json:"source"`
	Notes    string   `pack:"notes" json:"notes,omitempty"`
	Origin   Origin   `pack:"-" json:"origin"`
}

// Evidence tags an entry with a theme it bears on and the direction it
// supports there.
type Evidence struct {
	Theme    string    `pack:"theme,required" json:"theme"`
	Supports Direction `pack:"supports,required" json:"supports"`
	Notes    string    `pack:"notes" json:"notes,omitempty"` // why this direction, where not obvious
}

// Quantity is a value or bound as a source states it: "under 65 %" is
// {Op: "<", Value: 65, Unit: "prosent"}, never just 65.
type Quantity struct {
	Op        Op      `pack:"op,required" json:"op"`
	Value     float64 `pack:"value,required" json:"value"`
	Unit      Unit    `pack:"unit,required" json:"unit"`
	Of        string  `pack:"of" json:"of,omitempty"`                 // what is counted: "kommuner", "møter"
	AsWritten string  `pack:"as_written" json:"as_written,omitempty"` // the words of the source: "under 65 %"
}

// Finding is a quantitative or qualitative finding the appendix quotes.
type Finding struct {
	ID string `pack:"id,required" json:"id"`
	// Document is the document the finding comes from; Activity the
	// dialogue activity. Exactly one of them is set.
	Document   string     `pack:"document" json:"document,omitempty"`
	Activity   string     `pack:"activity" json:"activity,omitempty"`
	Basis      Basis      `pack:"basis,required" json:"basis"`
	About      string     `pack:"about,required" json:"about"`    // what is described, short, bokmål
	Period     string     `pack:"period" json:"period,omitempty"` // "2018" or "2018–2020"; empty when not stated
	Population Population `pack:"population,required" json:"population"`
	Value      *Quantity  `pack:"value" json:"value,omitempty"` // nil for qualitative findings
	Quote      string     `pack:"quote,required" json:"quote"`  // word for word from the appendix
	// Unverified marks a figure no source at hand confirms: the appendix
	// states it, but it was not found in SSB's published figures. Every
	// place that shows the finding shows the mark.
	Unverified bool       `pack:"unverified" json:"unverified,omitempty"`
	Source     Citation   `pack:"source,required" json:"source"`
	Evidence   []Evidence `pack:"evidence,required" json:"evidence"`
	Notes      string     `pack:"notes" json:"notes,omitempty"`
	Origin     Origin     `pack:"-" json:"origin"`
}

// Years returns the first and last year of the finding's period; ok is
// false when the period is empty or malformed.
func (f *Finding) Years() (from, to int, ok bool) { return parsePeriod(f.Period) }

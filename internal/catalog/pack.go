package catalog

// Pack is the merged content of one or more pack directories. The slices
// keep the order of the files (first appearance of each id); an entry a
// later pack overrides keeps its place. Treat a Pack as read-only; only
// MergeMeasures changes one.
type Pack struct {
	Packs         []PackInfo      `json:"packs"`
	DocumentKinds []*DocumentKind `json:"document_kinds"`
	Documents     []*Document     `json:"documents"`
	References    []*Reference    `json:"references"`
	Tables        []*Table        `json:"tables"`
	Themes        []*Theme        `json:"themes"`
	Conclusions   []*Conclusion   `json:"conclusions"`
	Findings      []*Finding      `json:"findings"`
	Activities    []*Activity     `json:"dialogue"`
	Needs         []*Need         `json:"needs"`
	NSMSources    []*NSMSource    `json:"nsm_sources"`
	Categories    []*Category     `json:"nsm_categories"`
	Principles    []*Principle    `json:"nsm_principles"`
	Measures      []*Measure      `json:"nsm_measures"`
	Registers     []*Register     `json:"registers"`
	Counts        []*Count        `json:"counts"`
	Indicators    []*Indicator    `json:"indicators"`
	Published     []*Published    `json:"published"`
	// Overrides lists the entries a later pack replaced, in load order.
	Overrides []Override `json:"overrides,omitempty"`

	byRef map[Ref]Entry
}

// Lookup returns the entry with the ref.
func (p *Pack) Lookup(r Ref) (Entry, bool) {
	e, ok := p.byRef[r]
	return e, ok
}

func lookup[T Entry](p *Pack, k Kind, id string) (T, bool) {
	e, ok := p.byRef[Ref{k, id}]
	if !ok {
		var zero T
		return zero, false
	}
	return e.(T), true
}

// Document returns the document with the id.
func (p *Pack) Document(id string) (*Document, bool) { return lookup[*Document](p, KindDocument, id) }

// DocumentKind returns the document kind with the id.
func (p *Pack) DocumentKind(id string) (*DocumentKind, bool) {
	return lookup[*DocumentKind](p, KindDocumentKind, id)
}

// Reference returns the reference with the id.
func (p *Pack) Reference(id string) (*Reference, bool) {
	return lookup[*Reference](p, KindReference, id)
}

// Table returns the SSB table with the id.
func (p *Pack) Table(id string) (*Table, bool) { return lookup[*Table](p, KindTable, id) }

// Theme returns the theme with the id.
func (p *Pack) Theme(id string) (*Theme, bool) { return lookup[*Theme](p, KindTheme, id) }

// Conclusion returns the cross-cutting conclusion with the id.
func (p *Pack) Conclusion(id string) (*Conclusion, bool) {
	return lookup[*Conclusion](p, KindConclusion, id)
}

// Finding returns the finding with the id.
func (p *Pack) Finding(id string) (*Finding, bool) { return lookup[*Finding](p, KindFinding, id) }

// Activity returns the dialogue activity with the id.
func (p *Pack) Activity(id string) (*Activity, bool) { return lookup[*Activity](p, KindActivity, id) }

// Need returns the need with the id.
func (p *Pack) Need(id string) (*Need, bool) { return lookup[*Need](p, KindNeed, id) }

// Category returns the NSM category with the id ("1".."4").
func (p *Pack) Category(id string) (*Category, bool) { return lookup[*Category](p, KindCategory, id) }

// Principle returns the NSM principle with the id ("2.3").
func (p *Pack) Principle(id string) (*Principle, bool) {
	return lookup[*Principle](p, KindPrinciple, id)
}

// Measure returns the NSM measure with the id ("2.3.1").
func (p *Pack) Measure(id string) (*Measure, bool) { return lookup[*Measure](p, KindMeasure, id) }

// Indicator returns the indicator with the id.
func (p *Pack) Indicator(id string) (*Indicator, bool) {
	return lookup[*Indicator](p, KindIndicator, id)
}

// PublishedFigure returns the published figure with the id.
func (p *Pack) PublishedFigure(id string) (*Published, bool) {
	return lookup[*Published](p, KindPublished, id)
}

// Register returns the register with the id.
func (p *Pack) Register(id string) (*Register, bool) { return lookup[*Register](p, KindRegister, id) }

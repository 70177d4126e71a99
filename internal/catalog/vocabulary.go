package catalog

// The closed vocabularies of the schema. Each is a string type whose values
// are written in the YAML exactly as the constants below; data/README.md
// explains them to editors.

// Direction says which way a piece of evidence points for a theme, so the
// analysis can triangulate: does it support the theme's hypothesis, speak
// against it, or only describe?
type Direction string

// The directions of evidence.
const (
	Supports Direction = "hypotese" // supports the theme's hypothesis
	Against  Direction = "mot"      // speaks against the hypothesis
	Neutral  Direction = "noytral"  // bears on the theme without pointing either way
)

// Directions returns every direction, in the order the README lists them.
func Directions() []Direction { return []Direction{Supports, Against, Neutral} }

// Population is whom a finding or count is about.
type Population string

// The populations.
const (
	Municipalities       Population = "kommuner"
	CountyMunicipalities Population = "fylkeskommuner"
	Both                 Population = "begge" // kommuner and fylkeskommuner together
)

// Populations returns every population.
func Populations() []Population { return []Population{Municipalities, CountyMunicipalities, Both} }

// Basis is the kind of source a finding rests on; the analysis counts
// independent kinds of source that agree.
type Basis string

// The bases of findings.
const (
	FromDocument   Basis = "dokument"   // quoted from a published document
	FromStatistics Basis = "statistikk" // the appendix's own reading of an SSB table
	FromDialogue   Basis = "dialog"     // what came out of the sector dialogue
)

// Bases returns every basis.
func Bases() []Basis { return []Basis{FromDocument, FromStatistics, FromDialogue} }

// Op is how a stated value bounds the true one: "under 65 %" is {<, 65}.
type Op string

// The operators of a quantity.
const (
	Equal        Op = "="  // stated exactly ("86 %")
	Less         Op = "<"  // "under", "færre enn"
	Greater      Op = ">"  // "over", "mer enn", "flere"
	LessEqual    Op = "<=" // "høyst", "inntil"
	GreaterEqual Op = ">=" // "minst"
)

// Ops returns every operator.
func Ops() []Op { return []Op{Equal, Less, Greater, LessEqual, GreaterEqual} }

// Unit is the unit of a quantity.
type Unit string

// The units of a quantity.
const (
	Percent Unit = "prosent"
	Number  Unit = "antall" // a count of what Quantity.Of names
	Hours   Unit = "timer"
)

// Units returns every unit.
func Units() []Unit { return []Unit{Percent, Number, Hours} }

// OrgType classifies a participant in the sector dialogue.
type OrgType string

// The kinds of participating organisations.
const (
	OrgMunicipality       OrgType = "kommune"
	OrgCountyMunicipality OrgType = "fylkeskommune"
	OrgLocalSector        OrgType = "kommunal-sektor" // networks, groups and bodies of the local sector (SNIP, diginettverk, faggrupper)
	OrgKS                 OrgType = "ks"
	OrgGovernment         OrgType = "statlig"      // state agencies: NSM, DFØ, …
	OrgMinistry           OrgType = "departement"  // e.g. KDD
	OrgResponseTeam       OrgType = "responsmiljo" // CERT/CSIRT
)

// OrgTypes returns every organisation type.
func OrgTypes() []OrgType {
	return []OrgType{OrgMunicipality, OrgCountyMunicipality, OrgLocalSector, OrgKS, OrgGovernment, OrgMinistry, OrgResponseTeam}
}

// ActivityKind is the form of a dialogue activity.
type ActivityKind string

// The forms of dialogue activities.
const (
	Meetings             ActivityKind = "moter"
	MeetingsAndWorkshops ActivityKind = "moter-og-workshops"
	WorkingGroup         ActivityKind = "arbeidsgruppe"
	InputRound           ActivityKind = "innspillsrunde"
	Collaboration        ActivityKind = "samarbeid"
	Briefing             ActivityKind = "orientering"
)

// ActivityKinds returns every activity kind.
func ActivityKinds() []ActivityKind {
	return []ActivityKind{Meetings, MeetingsAndWorkshops, WorkingGroup, InputRound, Collaboration, Briefing}
}

// Confidence grades how well a NSM measure's id and summary are supported.
type Confidence string

// The confidence grades (from research/nsm.yaml, plus official).
const (
	High     Confidence = "high"     // two or more sources agree, or an official source
	Medium   Confidence = "medium"   // one good secondary source
	Low      Confidence = "low"      // id or order inferred, title not seen
	Official Confidence = "official" // read from NSM's own measure spreadsheet
)

// Confidences returns every confidence grade.
func Confidences() []Confidence { return []Confidence{High, Medium, Low, Official} }

// CountBasis says whether a count was read in a source or derived.
type CountBasis string

// The bases of counts.
const (
	Seen    CountBasis = "sett"    // the figure appears in the cited source
	Derived CountBasis = "avledet" // worked out from sources; the note says how
)

// CountBases returns every count basis.
func CountBases() []CountBasis { return []CountBasis{Seen, Derived} }

// RegisterUnit is what a register lists.
type RegisterUnit string

// The units of registers.
const (
	RegisterMunicipalities RegisterUnit = "kommuner"
	RegisterCounties       RegisterUnit = "fylker"
)

// RegisterUnits returns every register unit.
func RegisterUnits() []RegisterUnit { return []RegisterUnit{RegisterMunicipalities, RegisterCounties} }

// String returns the population's name as written in the pack.
func (p Population) String() string { return string(p) }

// IndicatorKind says how the report reads an indicator.
type IndicatorKind string

// The kinds of indicators.
const (
	// ShareKind is a share that has (or lacks) something.
	ShareKind IndicatorKind = "andel"
	// UnknownKind is the share answering "vet ikke" or "ukjent"; the
	// appendix reads it as a sign of weak detection and reporting.
	UnknownKind IndicatorKind = "ukjent"
)

// IndicatorKinds returns every indicator kind.
func IndicatorKinds() []IndicatorKind { return []IndicatorKind{ShareKind, UnknownKind} }

// Combine says how an indicator turns its cells into one share.
type Combine string

// The ways to combine cells.
const (
	Sum        Combine = "sum"        // the sum of the selected categories' shares (one category: its share)
	Complement Combine = "komplement" // 100 minus that sum: the share that lacks what the table counts
)

// Combines returns every way to combine cells.
func Combines() []Combine { return []Combine{Sum, Complement} }

// LabelBasis says where the labels of an indicator definition come from.
type LabelBasis string

// The bases of labels.
const (
	LabelsSeen     LabelBasis = "sett"   // read on SSB's own pages
	LabelsInferred LabelBasis = "antatt" // inferred from a related table or the appendix's wording
)

// LabelBases returns every label basis.
func LabelBases() []LabelBasis { return []LabelBasis{LabelsSeen, LabelsInferred} }

package web

import (
	"html/template"
	"time"

	"github.com/grunnlag/grunnlag/internal/catalog"
	"github.com/grunnlag/grunnlag/internal/pivot"
)

// This file holds the typed data of every page: one struct per template in
// templates/, each naming its template. The template test renders each one.

// errorPage is shown for every error a person meets.
type errorPage struct {
	base
	Status   int
	Message  string // bokmål, safe to show
	Path     string
	NotFound bool
	Query    string // a search the 404 page offers
}

func (*errorPage) template() string { return "error" }

// freshness says how old the statistics are, for the banner on the
// dashboard and the table list.
type freshness struct {
	Tables     int       // tables stored
	Registered int       // tables the pack lists
	Missing    []string  // registered tables not stored yet
	Oldest     time.Time // oldest newest-snapshot fetch time; zero when none stored
	Newest     time.Time
	LastFailed bool // the last sync attempt of some table failed
	FailedAt   time.Time
	Message    string // bokmål, when something needs saying
}

// dashboardPage is the situational picture.
type dashboardPage struct {
	base
	Summary    []summaryTheme
	Fresh      freshness
	Indicators indicatorSection
	Themes     []themeCard
	Tables     []tableCard
	Counts     packCounts
	Sync       SyncStatus
}

func (*dashboardPage) template() string { return "dashboard" }

// indicatorSection is the key indicators, or why there are none.
type indicatorSection struct {
	Available bool            // the analysis is wired in
	Message   string          // bokmål, when indicators cannot be shown
	Items     []indicatorCard // computed
	Pending   []indicatorCard // not computed, each saying why
}

// indicatorCard is one key indicator with its chart and source.
type indicatorCard struct {
	ID        string
	Title     string
	Statement string // the computed sentence, bokmål
	Value     string // the figure, formatted
	Year      string
	Change    string // since the previous measurement: "−2,2 prosentpoeng siden 2021"
	Reference string // the appendix's year: "I vedlegg E (2021): mer enn 60 kommuner; nyeste (2022): …"
	Published string // the mark of a published figure; "" for a stored snapshot
	Chart     template.HTML
	TableID   string
	PageURL   string // the indicator's own page, with every step of the figure
	SourceURL string // the explorer view of the cells behind the figure
	Source    string // "SSB tabell 12618, oppdatert …"
	Error     string // bokmål, when the indicator could not be computed
	Themes    []catalog.Theme
}

// themeCard is one analysis theme with the evidence counts.
type themeCard struct {
	Theme     *catalog.Theme
	Findings  int
	Needs     int
	Documents int
}

// tableCard is one stored table on the dashboard, with a small chart.
type tableCard struct {
	ID        string
	Title     string
	Updated   string
	FetchedAt time.Time
	Chart     template.HTML
	Caption   string
}

// packCounts counts the knowledge pack's entries.
type packCounts struct {
	Documents  int
	Kinds      []kindCount
	Findings   int
	Activities int
	Needs      int
	Themes     int
	Principles int
	Measures   int
}

type kindCount struct {
	Heading string
	ID      string
	N       int
}

// tableListPage lists every table with its status.
type tableListPage struct {
	base
	Fresh   freshness
	Tables  []tableStatus
	Sync    SyncStatus
	CanSync bool
	HasSync bool
}

func (*tableListPage) template() string { return "tables" }

// tableStatus is one table's line on the status page and in the API.
type tableStatus struct {
	ID         string    `json:"id"`
	Title      string    `json:"title"`
	Registered bool      `json:"registered"` // listed in the pack's tables.yaml
	Why        string    `json:"why,omitempty"`
	Stored     bool      `json:"stored"`
	Updated    string    `json:"updated,omitempty"` // SSB's "updated" of the newest snapshot
	FetchedAt  time.Time `json:"fetched_at,omitzero"`
	Source     string    `json:"source,omitempty"`
	SHA256     string    `json:"sha256,omitempty"`
	Cells      int       `json:"cells"`
	Snapshots  int       `json:"snapshots"`
	// LastAttempt is the newest sync or import attempt, if any.
	LastAttempt *attemptView `json:"last_attempt,omitempty"`
	// Problem says in bokmål why the last attempt failed; empty when it
	// did not.
	Problem string `json:"problem,omitempty"`
}

// attemptView is a sync attempt as pages and the API show it.
type attemptView struct {
	StartedAt  time.Time `json:"started_at"`
	FinishedAt time.Time `json:"finished_at"`
	Outcome    string    `json:"outcome"`
	// Text says in bokmål how the attempt went, with the reason and what
	// was kept, as `grunnlag tables` says it.
	Text   string `json:"text"`
	Reason string `json:"reason,omitempty"` // bokmål, for a failure
	Error  string `json:"error,omitempty"`  // English detail, for operators
}

// explorerPage is the table explorer.
type explorerPage struct {
	base
	Table     tableStatus
	DocID     string // the appendix document that is this table, if any
	View      *tableView
	Dims      []dimControl
	Chart     template.HTML
	ChartNote string // bokmål: what the chart leaves out, if anything
	// ChartCut says the chart leaves series or categories out; ChartAll
	// that the reader asked it to draw all it can.
	ChartCut  bool
	ChartAll  bool
	Errors    []string // bokmål: what was wrong with the selection
	Downloads []download
	Versions  int
	Query     string // the view's query string, for links
	// RowDims names the row dimensions; Head has one line per column
	// dimension with the label of each column; Body the rows shown.
	RowDims []string
	Head    [][]string
	Body    []bodyRow
}

// bodyRow is one row of the explorer's table.
type bodyRow struct {
	Labels []string
	Cells  []pivot.Cell
	Marked []bool // cells asked for with ?merk=; nil when none
}

// Mark reports whether the row's cell i is marked.
func (r bodyRow) Mark(i int) bool { return i < len(r.Marked) && r.Marked[i] }

func (*explorerPage) template() string { return "explorer" }

// dimControl is one dimension's part of the explorer form.
type dimControl struct {
	ID         string
	Label      string
	Place      string // "row", "col" or "fixed"
	Categories []catControl
	Kept       int
}

type catControl struct {
	Code    string
	Label   string
	Checked bool
}

type download struct {
	Label string
	URL   string
	Note  string
}

// themeListPage lists the analysis themes.
type themeListPage struct {
	base
	Themes      []themeCard
	Conclusions []*catalog.Conclusion
}

func (*themeListPage) template() string { return "themes" }

// themeDetailPage shows one theme with its evidence.
type themeDetailPage struct {
	base
	Theme      *catalog.Theme
	Findings   []*catalog.Finding
	Needs      []*catalog.Need
	Documents  []*catalog.Document
	Indicators indicatorSection
	Evidence   []evidenceRow
	Verdict    string // the analysis' triangulation in words, bokmål; "" when not computed
}

func (*themeDetailPage) template() string { return "theme" }

// evidenceRow is one piece of evidence for a theme.
type evidenceRow struct {
	Kind      string // bokmål: "Funn", "Behov"
	URL       string
	Summary   string
	Basis     string
	Direction string // bokmål
	Notes     string
}

// documentListPage lists the documents, sorted and filtered as the query
// asks, and every statistics table of the pack.
type documentListPage struct {
	base
	Rows       []documentRow
	Total      int // documents in the pack
	Linked     int // documents with a link
	Filtered   bool
	Sort       string // one of Sorts
	Kind       string // a document kind id; "" all
	Publisher  string // a publisher; "-" none given; "" all
	Text       string
	LinkedOnly bool
	Sorts      []option
	Kinds      []option
	Publishers []option
	Tables     []catalogTable
}

// option is one choice of a select.
type option struct {
	Value, Label string
}

// documentRow is one document of the list.
type documentRow struct {
	Doc  *catalog.Document
	Kind string // the kind's heading
}

// catalogTable is a statistics table of the pack in the catalogue.
type catalogTable struct {
	ID, Title string
	English   bool   // the title is SSB's English one
	Stored    bool   // a version is stored: the explorer has it
	DocID     string // the appendix document that is this table, if any
	URL       string // SSB's page, where a source gives it
}

func (*documentListPage) template() string { return "documents" }

// documentDetailPage shows one document.
type documentDetailPage struct {
	base
	Doc      *catalog.Document
	Kind     *catalog.DocumentKind
	Findings []*catalog.Finding
	Themes   []*catalog.Theme
	TableURL string // the explorer, when the document is a stored SSB table
}

func (*documentDetailPage) template() string { return "document" }

// findingListPage lists the findings.
type findingListPage struct {
	base
	Findings []findingRow
}

func (*findingListPage) template() string { return "findings" }

type findingRow struct {
	F      *catalog.Finding
	Source string // the document's or activity's label
	URL    string
}

// findingDetailPage shows one finding.
type findingDetailPage struct {
	base
	F         *catalog.Finding
	Source    string
	SourceURL string
	Evidence  []evidenceTheme
}

func (*findingDetailPage) template() string { return "finding" }

// evidenceTheme is a theme an entry bears on, with the direction.
type evidenceTheme struct {
	Theme     *catalog.Theme
	Direction string
	Notes     string
}

// activityListPage lists the sector dialogue.
type activityListPage struct {
	base
	Activities []*catalog.Activity
}

func (*activityListPage) template() string { return "dialogue" }

// activityDetailPage shows one dialogue activity.
type activityDetailPage struct {
	base
	A        *catalog.Activity
	Kind     string
	Findings []*catalog.Finding
	Needs    []*catalog.Need
}

func (*activityDetailPage) template() string { return "activity" }

// needListPage lists the needs.
type needListPage struct {
	base
	Needs []*catalog.Need
}

func (*needListPage) template() string { return "needs" }

// needDetailPage shows one need.
type needDetailPage struct {
	base
	N          *catalog.Need
	Activity   *catalog.Activity
	Evidence   []evidenceTheme
	Principles []*catalog.Principle
}

func (*needDetailPage) template() string { return "need" }

// nsmPage lists NSM's principles and the measures known for each.
type nsmPage struct {
	base
	Categories []nsmCategory
}

func (*nsmPage) template() string { return "nsm" }

type nsmCategory struct {
	C          *catalog.Category
	Principles []nsmPrinciple
}

type nsmPrinciple struct {
	P        *catalog.Principle
	Measures []*catalog.Measure
}

// searchResultPage shows the hits of a catalogue search.
type searchResultPage struct {
	base
	Query  string
	Hits   []searchHit
	Groups []hitGroup // Hits by kind, the kind of the best hit first
	Error  string     // bokmål
}

// hitGroup is the hits of one kind, best first.
type hitGroup struct {
	Kind, Label string // Label: the kind in the plural, bokmål
	Hits        []searchHit
}

// groupHits groups hits (best first) by kind: a kind's place is that of
// its best hit.
func groupHits(hits []searchHit) []hitGroup {
	var groups []hitGroup
	at := map[string]int{}
	for _, h := range hits {
		i, ok := at[h.Kind]
		if !ok {
			i = len(groups)
			at[h.Kind] = i
			groups = append(groups, hitGroup{Kind: h.Kind, Label: kindPlural(h.Kind)})
		}
		groups[i].Hits = append(groups[i].Hits, h)
	}
	return groups
}

func (*searchResultPage) template() string { return "search" }

// searchHit is one hit as pages and the API show it.
type searchHit struct {
	Kind      string  `json:"kind"`
	KindLabel string  `json:"kind_label"` // bokmål
	ID        string  `json:"id"`
	Summary   string  `json:"summary"`
	Snippet   string  `json:"snippet"`
	URL       string  `json:"url"` // the page of the entry
	Score     float64 `json:"score"`
}

// syncPage shows the sync's progress. Its fields are named as on
// tableListPage, which shares the "syncbutton" template.
type syncPage struct {
	base
	Sync    SyncStatus
	CanSync bool
	HasSync bool
	// Labels are the indicator definitions that no longer fit the stored
	// tables; LabelsChecked is false when the check could not run.
	Labels        []labelRow
	LabelsChecked bool
}

func (*syncPage) template() string { return "sync" }

// reportViewPage shows the report's conclusions and the ways to read it.
type reportViewPage struct {
	base
	Available bool
	Message   string        // bokmål, when the report cannot be built
	ReadURL   string        // the report's own HTML page
	Themes    []reportTheme // the verdict per theme
	Gaps      []string      // bokmål: data the report lacks
	Downloads []download
	PDFNote   string // bokmål, when there is no PDF
}

// reportTheme is one theme's conclusion in the report.
type reportTheme struct {
	ID, Title, Text string
}

func (*reportViewPage) template() string { return "report" }

// tableView is a built explorer view, shared by the page, the downloads
// and the API.
type tableView struct {
	TableID string
	Title   string
	Updated string
	Fetched time.Time
	Source  string // where the snapshot was fetched from: URLs, or an imported file's name (ingest.ShownSource)
	// Publisher names who published the table, from the dataset's own
	// "source" ("Statistisk sentralbyrå"), so a table imported from
	// elsewhere is never credited to SSB; "SSB" when the dataset is silent.
	Publisher string
	Spec      pivot.Spec
	Pivot     *pivot.Table
	TimeDim   string // the time dimension's id, "" when none
	MetricDim string // the statistic dimension's id, "" when none
	// Truncated is true when the page shows only the first maxPageRows rows
	// (downloads always have all of them).
	Truncated bool
	ShownRows int
}

// versionsPage lists the stored versions of a table with their
// provenance, and compares two of them.
type versionsPage struct {
	base
	TableID    string
	TableTitle string       // the newest version's title
	Versions   []versionRow // newest first
	From, To   int64        // the versions the form has chosen
	Compare    *comparisonView
	Error      string // bokmål, when the choice was wrong
}

func (*versionsPage) template() string { return "versions" }

// versionRow is one stored version.
type versionRow struct {
	ID        int64
	Number    int // 1 for the oldest
	Updated   string
	FetchedAt time.Time
	Origin    string // bokmål: "hentet fra data.ssb.no"
	Lang      string // bokmål
	Cells     int
	SHA256    string
}

// comparisonView is what changed from one version to another.
type comparisonView struct {
	FromNumber, ToNumber       int
	NChanged, NAdded, NRemoved int
	Same                       int
	DimsDiffer                 bool
	Tables                     []diffTable // changed, added, removed
}

// diffTable lists the cells of one kind of change.
type diffTable struct {
	ID, Title string
	Dims      []string // labels, in the order of each row's Labels
	Rows      []diffRow
	N         int  // cells of this kind; Rows may hold fewer
	Change    bool // show the change column
}

// diffRow is one cell of a comparison, formatted.
type diffRow struct {
	Labels           []string
	Old, New, Change string
}

// accessibilityPage is the accessibility statement: what was tested, how,
// what is known not to meet WCAG 2.1 AA, and how to report a problem.
type accessibilityPage struct {
	base
	Contact string // where to report, as Config.Contact gives it; "" none given
}

func (*accessibilityPage) template() string { return "accessibility" }

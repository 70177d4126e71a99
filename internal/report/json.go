package report

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/grunnlag/grunnlag/internal/analysis"
	"github.com/grunnlag/grunnlag/internal/catalog"
	"github.com/grunnlag/grunnlag/internal/fault"
)

// JSONFile is the machine-readable file every report writes beside its
// other formats; a later report reads it back for --compare.
const JSONFile = "rapport.json"

// jsonFormat names the layout of rapport.json, so a reader can refuse one
// it does not know.
const jsonFormat = "grunnlag-rapport/1"

// Data is the content of rapport.json: the analysis in machine-readable
// form, with every exact value.
type Data struct {
	Format      string             `json:"format"`
	AsOf        *time.Time         `json:"as_of,omitempty"` // set when the data is as of a date
	Packs       []catalog.PackInfo `json:"packs"`
	Tables      []TableData        `json:"tables"`
	Indicators  []analysis.Summary `json:"indicators"`
	Themes      []ThemeData        `json:"themes"`
	Conclusions []ConclusionData   `json:"conclusions"`
	Gaps        []GapData          `json:"gaps"`
	Compared    string             `json:"compared_with,omitempty"`
	Changes     []ChangeData       `json:"changes,omitempty"`
	Survey      *SurveyData        `json:"survey,omitempty"` // the newest closed round of the self-assessment, when there is one
	Footnotes   []string           `json:"footnotes"`
}

// TableData is a table and the snapshot the report read.
type TableData struct {
	ID       string        `json:"id"`
	Title    string        `json:"title"`
	Snapshot *SnapshotData `json:"snapshot"` // null when never synced
}

// SnapshotData describes a snapshot.
type SnapshotData struct {
	ID        int64     `json:"id"`
	Title     string    `json:"title"`
	Updated   string    `json:"updated"`
	FetchedAt time.Time `json:"fetched_at"`
	Source    string    `json:"source"`
	SHA256    string    `json:"sha256"`
	Cells     int       `json:"cells"`
}

// ThemeData is a theme's triangulation.
type ThemeData struct {
	ID       string            `json:"id"`
	Title    string            `json:"title"`
	Verdict  analysis.Verdict  `json:"verdict"`
	Strength analysis.Strength `json:"strength"`
	Agreeing int               `json:"agreeing_kinds"`
	Opposing int               `json:"opposing_kinds"`
	Text     string            `json:"text"`
	Tallies  []TallyData       `json:"tallies"`
	Evidence []EvidenceData    `json:"evidence"`
	// Shown are the appendix's readings and the needs: shown with the
	// theme, not counted.
	Shown   []EvidenceData `json:"shown_not_counted,omitempty"`
	LeftOut []string       `json:"left_out,omitempty"`
}

// TallyData counts one kind of source's evidence.
type TallyData struct {
	Basis    catalog.Basis `json:"basis"`
	Supports int           `json:"supports"`
	Against  int           `json:"against"`
	Neutral  int           `json:"neutral"`
	Missing  int           `json:"missing"` // indicators without a value (statistics only)
	Lean     analysis.Lean `json:"lean"`
}

// EvidenceData is one piece of evidence.
type EvidenceData struct {
	Kind     catalog.Kind      `json:"kind"`
	ID       string            `json:"id"`
	Basis    catalog.Basis     `json:"basis"`
	Supports catalog.Direction `json:"supports"`
}

// ConclusionData is a cross-cutting conclusion and whether it holds.
type ConclusionData struct {
	ID         string   `json:"id"`
	Holds      bool     `json:"holds"`
	NeedsAgree bool     `json:"needs_agree"`
	Themes     []string `json:"themes"`
	Spreads    []string `json:"size_class_spreads,omitempty"` // indicators with a difference between size classes
}

// GapData is missing data.
type GapData struct {
	Ref      string `json:"ref"`
	Message  string `json:"message"`
	Blocking bool   `json:"blocking"`
}

// ChangeData is an indicator that changed since the compared vintage.
type ChangeData struct {
	ID     string            `json:"id"`
	What   string            `json:"what"`
	Before *analysis.Summary `json:"before"`
	After  *analysis.Summary `json:"after"`
}

// Data returns the content of rapport.json.
func (r *Report) Data() Data {
	res := r.result
	d := Data{Format: jsonFormat, Packs: r.pack.Packs, Indicators: res.Summaries()}
	for _, n := range r.doc.Notes {
		d.Footnotes = append(d.Footnotes, n.String())
	}
	if d.Packs == nil {
		d.Packs = []catalog.PackInfo{}
	}
	if !res.AsOf.IsZero() {
		t := res.AsOf.UTC()
		d.AsOf = &t
	}
	for _, t := range res.Tables {
		td := TableData{ID: t.Table.ID, Title: t.Table.Title}
		if s := t.Snapshot; s != nil {
			td.Snapshot = &SnapshotData{ID: s.ID, Title: s.Title, Updated: s.Updated, FetchedAt: s.FetchedAt.UTC(), Source: s.Source, SHA256: s.SHA256, Cells: s.Cells()}
		}
		d.Tables = append(d.Tables, td)
	}
	for _, t := range res.Themes {
		td := ThemeData{ID: t.Theme.ID, Title: t.Theme.Title, Verdict: t.Verdict, Strength: t.Strength, Agreeing: t.Agreeing, Opposing: t.Opposing, Text: t.Text()}
		for _, k := range t.Tallies {
			td.Tallies = append(td.Tallies, TallyData{Basis: k.Basis, Supports: k.Supports, Against: k.Against, Neutral: k.Neutral, Missing: k.Missing, Lean: k.Lean()})
		}
		for _, e := range t.Evidence {
			td.Evidence = append(td.Evidence, EvidenceData{Kind: e.Ref.Kind, ID: e.Ref.ID, Basis: e.Basis, Supports: e.Supports})
		}
		for _, e := range append(append([]analysis.Evidence(nil), t.Readings...), t.Needs...) {
			td.Shown = append(td.Shown, EvidenceData{Kind: e.Ref.Kind, ID: e.Ref.ID, Basis: e.Basis, Supports: e.Supports})
		}
		for _, ind := range t.LeftOut {
			td.LeftOut = append(td.LeftOut, ind.Def.ID)
		}
		d.Themes = append(d.Themes, td)
	}
	for _, c := range res.Conclusions {
		cd := ConclusionData{ID: c.Conclusion.ID, Holds: c.Holds, NeedsAgree: c.NeedsAgree, Themes: c.Conclusion.Themes}
		for _, ind := range c.Spreads {
			cd.Spreads = append(cd.Spreads, ind.Def.ID)
		}
		d.Conclusions = append(d.Conclusions, cd)
	}
	d.Gaps = []GapData{}
	for _, g := range res.Gaps() {
		d.Gaps = append(d.Gaps, GapData{Ref: g.Ref.String(), Message: g.Message, Blocking: g.Blocking})
	}
	if r.survey != nil {
		d.Survey = surveyData(r.survey)
	}
	if r.compare != nil {
		d.Compared = r.compare.Label
		for _, c := range r.changes {
			d.Changes = append(d.Changes, ChangeData{ID: c.ID, What: c.What, Before: c.Before, After: c.After})
		}
	}
	return d
}

// WriteJSON writes rapport.json.
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r.Data())
}

// ReadPrevious reads the indicators of an earlier report from its folder's
// rapport.json, for --compare.
func ReadPrevious(dir string) ([]analysis.Summary, error) {
	path := filepath.Join(dir, JSONFile)
	b, err := os.ReadFile(path)
	if err != nil {
		if os.IsNotExist(err) {
			return nil, fault.WithUser(fault.NotFound, fmt.Sprintf("Fant ikke %s i %s: mappen er ikke en rapport laget av grunnlag.", JSONFile, dir), err)
		}
		return nil, fault.E(fault.Invalid, err)
	}
	var d Data
	if err := json.Unmarshal(b, &d); err != nil {
		return nil, fault.WithUser(fault.Invalid, fmt.Sprintf("%s kan ikke leses som en rapport fra grunnlag.", path), fmt.Errorf("%s: %w", path, err))
	}
	if d.Format != jsonFormat {
		return nil, fault.WithUser(fault.Invalid, fmt.Sprintf("%s har formatet «%s»; denne versjonen leser «%s».", path, d.Format, jsonFormat),
			fmt.Errorf("%s: format %q, want %q", path, d.Format, jsonFormat))
	}
	return d.Indicators, nil
}

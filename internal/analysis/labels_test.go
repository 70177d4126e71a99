package analysis

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/grunnlag/grunnlag/internal/analysis/analysistest"
	"github.com/grunnlag/grunnlag/internal/catalog"
)

// renamed12618 is a constructed 12618 whose labels differ from the ones
// the shipped definitions expect: SSB has reworded the status and the
// patch measure, as a real sync may show.
func renamed12618() analysistest.Spec {
	return analysistest.Spec{
		Table: "12618",
		Title: "Tiltak for IKT-sikkerheten med endrede etiketter",
		Dims: []analysistest.Dim{
			{ID: "ContentsCode", Label: "statistikkvariabel", Cats: []string{
				"Patch=Rutiner for installasjon av sikkerhetsoppdateringer (patcher) på systemer",
				"Pentest=Rutinemessige penetrasjonstester på interne systemer",
			}},
			{ID: "StatusTiltak", Label: "status for tiltak", Cats: []string{"1=Tiltaket er innført", "2=Tiltaket er ikke innført", "3=Vet ikke"}},
			analysistest.Levels(),
			{ID: "Tid", Label: "år", Cats: []string{"2021"}},
		},
	}
}

// TestLabelHealth lists the definitions that stopped resolving after a
// sync, with the nearest labels (found by what they matched in the version
// before) and a fix that resolves, and leaves out the ones that still fit
// and the tables never synced.
func TestLabelHealth(t *testing.T) {
	p := shippedPack(t)
	previous := dataOf(analysistest.Constructed12618(analysistest.FetchedAt(-30)))
	issues := LabelHealth(p, dataOf(analysistest.Snapshot(renamed12618())), previous)
	var ids []string
	for _, li := range issues {
		ids = append(ids, li.Indicator)
	}
	// sikkerhetspatcher-vet-ikke fails too: its pattern
	// "(?i)sikkerhetspatch" is not in the new label.
	want := []string{"sikkerhetspatcher-mangler", "penetrasjonstesting-mangler", "sikkerhetspatcher-vet-ikke"}
	if diff := cmp.Diff(want, ids); diff != "" {
		t.Fatalf("issues mismatch (-want +got):\n%s", diff)
	}
	li := issues[1]
	if li.Field != "select[1].category" || len(li.Nearest) == 0 || li.Nearest[0].Label != "Tiltaket er ikke innført" || li.Nearest[0].UsedBy != "" {
		t.Errorf("issue %+v, want select[1].category with «Tiltaket er ikke innført» nearest", li)
	}
	if !li.FixResolves || !strings.Contains(li.Fix, `label: Tiltaket er ikke innført`) {
		t.Errorf("fix (resolves %v):\n%s\nwant the nearest label, resolving", li.FixResolves, li.Fix)
	}
	// The fix, loaded as a pack over the shipped one, resolves.
	dir := t.TempDir()
	writeFile(t, dir+"/rettelse.yaml", li.Fix)
	fixed, err := catalog.LoadDirs(catalog.Dir{FS: packFS(t), Path: ".", Name: "data"}, catalog.Dir{FS: osDirFS(dir), Path: ".", Name: dir})
	if err != nil {
		t.Fatalf("loading the fix: %v\n%s", err, li.Fix)
	}
	r := Analyze(fixed, dataOf(analysistest.Snapshot(renamed12618())))
	if ind := mustIndicator(t, r, "penetrasjonstesting-mangler"); ind.Status != OK {
		t.Errorf("after the fix: status %s (%s)", ind.Status, ind.Problem)
	}
	if text := li.Text(); !strings.Contains(text, "Nærmeste etiketter i tabellen:") || !strings.Contains(text, "Denne rettelsen passer til tabellen.") {
		t.Errorf("Text() =\n%s", text)
	}
	if got := LabelHealth(p, dataOf(analysistest.Constructed12618(analysistest.FetchedAt(0))), Data{}); len(got) != 0 {
		t.Errorf("LabelHealth(matching 12618) = %+v, want nothing", got)
	}

	// Without the version before, the patch measure is still found by its
	// pattern's word.
	alone := LabelHealth(p, dataOf(analysistest.Snapshot(renamed12618())), Data{})
	if len(alone) != 3 || len(alone[0].Nearest) == 0 || alone[0].Nearest[0].Code != "Patch" {
		t.Errorf("LabelHealth without the version before = %+v, want the patch measure nearest", alone)
	}
}

func TestSimilarity(t *testing.T) {
	tests := []struct {
		a, b string
		more string // a label b must be nearer than
	}{
		{"har ikke", "Tiltaket er ikke innført", "Tiltaket er innført"},
		{"sikkerhetspatch", "Rutiner for installasjon av sikkerhetsoppdateringer (patcher)", "Brannmur"},
	}
	for _, tt := range tests {
		if similarity(tt.a, tt.b) <= similarity(tt.a, tt.more) {
			t.Errorf("similarity(%q, %q) = %v, not above %q (%v)", tt.a, tt.b, similarity(tt.a, tt.b), tt.more, similarity(tt.a, tt.more))
		}
	}
	if got := matchTexts(`pattern "(?i)^har ikke|vet ikke$"`); !cmp.Equal(got, []string{"har ikke", "vet ikke"}) {
		t.Errorf("matchTexts() = %q", got)
	}
}

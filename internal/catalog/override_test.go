package catalog

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// regionalPack is a constructed second pack: it overrides one document of
// the shipped pack and adds one finding, as a regional network would.
const regionalPack = `pack:
  name: vestland
  title: "Konstruert testpakke for et regionalt nettverk"
documents:
  - id: nou-2018-14
    kind: nou
    as_written: "NOU 2018:14 IKT-sikkerhet i alle ledd."
    identifier: "NOU 2018:14"
    title: "IKT-sikkerhet i alle ledd (regional merknad)"
    year: "2018"
    themes: [styringsevne]
    source: {ref: vedlegg-e, at: "Norges offentlige utredninger"}
findings:
  - id: vestland-ovelser
    document: nou-2018-14
    basis: dokument
    about: "Konstruert testfunn"
    period: "2023"
    population: kommuner
    value: {op: "<", value: 20, unit: prosent, as_written: "under 20 %"}
    quote: "konstruert sitat"
    source: {ref: vedlegg-e}
    evidence:
      - {theme: lopende-sikring, supports: hypotese}
`

func TestLoad_secondPackOverridesAndAdds(t *testing.T) {
	base := loadShipped(t)
	dir := writeDir(t, map[string]string{"vestland.yaml": regionalPack})
	p, err := Load(shippedPack, dir)
	if err != nil {
		t.Fatalf("Load(shipped, regional) = %v", err)
	}

	d, _ := p.Document("nou-2018-14")
	wantOrigin := Origin{Pack: "vestland", File: "vestland/vestland.yaml", Line: 5}
	if diff := cmp.Diff(wantOrigin, d.Origin); diff != "" {
		t.Errorf("overridden document origin mismatch (-want +got):\n%s", diff)
	}
	if got, want := d.Title, "IKT-sikkerhet i alle ledd (regional merknad)"; got != want {
		t.Errorf("overridden document title = %q, want %q", got, want)
	}
	// The override keeps the document's place in its category.
	if got, want := slices.Index(p.Documents, d), slices.IndexFunc(base.Documents, func(x *Document) bool { return x.ID == d.ID }); got != want {
		t.Errorf("overridden document at index %d, want %d", got, want)
	}
	if got, want := len(p.Documents), len(base.Documents); got != want {
		t.Errorf("len(Documents) = %d, want %d", got, want)
	}

	baseDoc, _ := base.Document("nou-2018-14")
	wantOverrides := []Override{{Ref: Ref{KindDocument, "nou-2018-14"}, Replaced: baseDoc.Origin, By: wantOrigin}}
	if diff := cmp.Diff(wantOverrides, p.Overrides); diff != "" {
		t.Errorf("Overrides mismatch (-want +got):\n%s", diff)
	}
	if baseDoc.Origin.Pack != "grunnlag" {
		t.Errorf("base document pack = %q, want grunnlag", baseDoc.Origin.Pack)
	}

	f, ok := p.Finding("vestland-ovelser")
	if !ok {
		t.Fatal("added finding missing")
	}
	if got, want := f.Origin, (Origin{Pack: "vestland", File: "vestland/vestland.yaml", Line: 14}); got != want {
		t.Errorf("added finding origin = %+v, want %+v", got, want)
	}
	if got, want := len(p.Findings), len(base.Findings)+1; got != want {
		t.Errorf("len(Findings) = %d, want %d", got, want)
	}
	byTheme := p.FindingsByTheme("lopende-sikring")
	if byTheme[len(byTheme)-1] != f {
		t.Errorf("FindingsByTheme(lopende-sikring) does not end with the added finding")
	}
	if got := p.FindingsOfDocument("nou-2018-14"); len(got) != 1 || got[0] != f {
		t.Errorf("FindingsOfDocument(nou-2018-14) = %v, want the added finding", got)
	}
	var names []string
	for _, info := range p.Packs {
		names = append(names, info.Name+" "+info.Dir)
	}
	if diff := cmp.Diff([]string{"grunnlag " + shippedPack, "vestland " + dir}, names); diff != "" {
		t.Errorf("Packs mismatch (-want +got):\n%s", diff)
	}
}

// TestLoad_secondPackProblems shows that references from a later pack
// resolve against earlier packs, and that its problems name its own file.
func TestLoad_secondPackProblems(t *testing.T) {
	dir := writeDir(t, map[string]string{"extra.yaml": `findings:
  - id: ekstra
    document: nou-2099-1
    basis: dokument
    about: A
    population: kommuner
    quote: q
    source: {ref: vedlegg-e}
    evidence: [{theme: kompetanse, supports: hypotese}]
`})
	_, err := Load(shippedPack, dir)
	got := problemsOf(t, err, dir)
	want := []string{`DIR/extra.yaml:3: document: unknown document "nou-2099-1"`}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("problems mismatch (-want +got):\n%s", diff)
	}
}

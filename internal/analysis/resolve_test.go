package analysis

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/grunnlag/grunnlag/internal/analysis/analysistest"
	"github.com/grunnlag/grunnlag/internal/catalog"
	"github.com/grunnlag/grunnlag/internal/store"
)

// TestResolve_errors shows that a definition that does not fit a table
// fails with a message that lists what the table has.
func TestResolve_errors(t *testing.T) {
	ds := analysistest.Constructed12618(analysistest.FetchedAt(0)).Data
	measure := catalog.Selector{Dimension: catalog.DimensionMatch{Label: "statistikkvariabel"}, Category: &catalog.CategoryMatch{Code: "Patch"}}
	level := catalog.Selector{Dimension: catalog.DimensionMatch{Pattern: "forvaltningsniv"}, Category: &catalog.CategoryMatch{Label: "kommuner"}}
	status := func(m catalog.CategoryMatch) catalog.Selector {
		return catalog.Selector{Dimension: catalog.DimensionMatch{ID: "StatusTiltak"}, Category: &m}
	}
	const statuses = "«Har tiltaket» (1), «Har ikke tiltaket» (2), «Vet ikke» (3)"
	const dims = "«statistikkvariabel» (ContentsCode), «status for tiltak» (StatusTiltak), «forvaltningsnivå» (Forvaltningsniva), «år» (Tid)"
	tests := []struct {
		name   string
		sel    []catalog.Selector
		time   *catalog.DimensionMatch
		want   string
		wantEn string
	}{
		{
			name:   "label matches no category",
			sel:    []catalog.Selector{measure, status(catalog.CategoryMatch{Label: "Har ikke"}), level},
			want:   `Definisjonen select[1].category (label "Har ikke") passer ikke til noen kategori i dimensjonen «status for tiltak» (StatusTiltak). Tabellen har: ` + statuses + ".",
			wantEn: `indicator x: table 12618: select[1].category: label "Har ikke" matches no category in dimension «status for tiltak» (StatusTiltak); available: ` + statuses,
		},
		{
			name: "pattern matches more than one category",
			sel:  []catalog.Selector{measure, status(catalog.CategoryMatch{Pattern: "(?i)^har"}), level},
			want: `Definisjonen select[1].category (pattern "(?i)^har") passer til flere kategorier i dimensjonen «status for tiltak» (StatusTiltak): «Har tiltaket» (1), «Har ikke tiltaket» (2). Tabellen har: ` + statuses + ".",
		},
		{
			name: "dimension matches nothing",
			sel:  []catalog.Selector{measure, {Dimension: catalog.DimensionMatch{Label: "status"}, Category: &catalog.CategoryMatch{Code: "2"}}, level},
			want: `Definisjonen select[1].dimension (label "status") passer ikke til noen dimensjon. Tabellen har: ` + dims + ".",
		},
		{
			name: "dimension pattern matches more than one",
			sel:  []catalog.Selector{measure, {Dimension: catalog.DimensionMatch{Pattern: "(?i)s"}, Category: &catalog.CategoryMatch{Code: "2"}}, level},
			want: `Definisjonen select[1].dimension (pattern "(?i)s") passer til flere dimensjoner: «statistikkvariabel» (ContentsCode), «status for tiltak» (StatusTiltak), «forvaltningsnivå» (Forvaltningsniva). Tabellen har: ` + dims + ".",
		},
		{
			name: "a dimension left open",
			sel:  []catalog.Selector{measure, status(catalog.CategoryMatch{Code: "2"})},
			want: "Definisjonen select (—) velger ikke kategori i dimensjonen «forvaltningsnivå» (Forvaltningsniva). Tabellen har: «Kommuner» (K), «Fylkeskommuner» (F).",
		},
		{
			name: "a dimension named twice",
			sel:  []catalog.Selector{measure, status(catalog.CategoryMatch{Code: "2"}), level, {Dimension: catalog.DimensionMatch{ID: "Forvaltningsniva"}, Category: &catalog.CategoryMatch{Code: "F"}}},
			want: "Definisjonen select[3].dimension (id \"Forvaltningsniva\") peker på en dimensjon som select[2].dimension alt bruker: «forvaltningsnivå» (Forvaltningsniva). Tabellen har: " + dims + ".",
		},
		{
			name: "no such time dimension",
			sel:  []catalog.Selector{measure, status(catalog.CategoryMatch{Code: "2"}), level},
			time: &catalog.DimensionMatch{ID: "Aar"},
			want: `Definisjonen time (id "Aar") passer ikke til noen dimensjon. Tabellen har: ` + dims + ".",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			def := &catalog.Indicator{ID: "x", Table: "12618", Select: tt.sel, Time: tt.time}
			_, err := resolve(def.ID, def.Readings()[0], ds)
			var re *ResolveError
			if !errors.As(err, &re) {
				t.Fatalf("resolve() = %v, want a *ResolveError", err)
			}
			if diff := cmp.Diff(tt.want, re.Message()); diff != "" {
				t.Errorf("Message() mismatch (-want +got):\n%s", diff)
			}
			if tt.wantEn != "" && err.Error() != tt.wantEn {
				t.Errorf("Error() = %q, want %q", err.Error(), tt.wantEn)
			}
		})
	}
}

// TestResolve_sum resolves a definition that sums two statuses, as the
// appendix might have counted "har ikke" and "vet ikke" together.
func TestResolve_sum(t *testing.T) {
	snap := analysistest.Constructed12618(analysistest.FetchedAt(0))
	def := &catalog.Indicator{
		ID: "sum", Table: "12618", Population: catalog.Municipalities, Appendix: &catalog.AppendixRef{Year: 2021},
		Select: []catalog.Selector{
			{Dimension: catalog.DimensionMatch{Label: "statistikkvariabel"}, Category: &catalog.CategoryMatch{Pattern: "patch"}},
			{Dimension: catalog.DimensionMatch{Label: "status for tiltak"}, Categories: []catalog.CategoryMatch{{Label: "Har ikke tiltaket"}, {Label: "vet ikke"}}},
			{Dimension: catalog.DimensionMatch{Label: "forvaltningsnivå"}, Category: &catalog.CategoryMatch{Label: "Kommuner"}},
		},
		Statement: "{antall} kommuner har ikke eller vet ikke om de har rutiner ({år}).",
	}
	ind := compute(shippedPack(t), def, map[string]*store.Snapshot{"12618": snap})
	if ind.Status != OK {
		t.Fatalf("status %s: %s", ind.Status, ind.Problem)
	}
	h := ind.Headline
	if h.Share != 20.5 || len(h.Cells) != 2 || h.Estimate.Exact != 72.98 {
		t.Errorf("headline = %v %% from %d cells, %v municipalities; want 17.4 + 3.1 = 20.5 from 2 cells, 72.98", h.Share, len(h.Cells), h.Estimate.Exact)
	}
	if got, want := ind.StatementText(), "Mer enn 70 kommuner har ikke eller vet ikke om de har rutiner (2021)."; got != want {
		t.Errorf("StatementText() = %q, want %q", got, want)
	}
	if got := ind.Resolved[1].Codes; !cmp.Equal(got, []string{"2", "3"}) {
		t.Errorf("resolved status codes = %v, want [2 3]", got)
	}
}

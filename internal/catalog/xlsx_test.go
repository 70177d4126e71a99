package catalog

import (
	"bytes"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"
)

// constructedWorkbook writes an XLSX in memory: sheet name → rows. It is
// constructed test data shaped like NSM's measure spreadsheet, not NSM's
// content.
func constructedWorkbook(t *testing.T, sheets []string, rows map[string][][]any) *bytes.Reader {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, name := range sheets {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", name); err != nil {
				t.Fatal(err)
			}
		} else if _, err := f.NewSheet(name); err != nil {
			t.Fatal(err)
		}
		for r, row := range rows[name] {
			cell, _ := excelize.CoordinatesToCellName(1, r+1)
			if err := f.SetSheetRow(name, cell, &row); err != nil {
				t.Fatal(err)
			}
		}
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return bytes.NewReader(buf.Bytes())
}

func TestReadMeasures_andMerge(t *testing.T) {
	wb := constructedWorkbook(t, []string{"Oversikt", "Tiltak"}, map[string][][]any{
		"Oversikt": {{"Konstruert testark uten tabell"}},
		"Tiltak": {
			{"NSMs grunnprinsipper – tiltak (konstruert testdata)"},
			{},
			{"Prinsipp", " Prioritet ", "ID", "Beskrivelse", "ISO/IEC 27002"},
			{"2.3 Ivareta en sikker konfigurasjon", "", "2.3", "", ""},
			{"2.3", "1", "2.3.1", "Konstruert tekst for 2.3.1", "8.8"},
			{"3.3", "2", "3.3.5", "Konstruert tekst for 3.3.5", ""},
			{},
			{"", "", "", "Konstruert fotnote", ""},
		},
	})
	ms, err := ReadMeasures(wb, "nsm.xlsx")
	if err != nil {
		t.Fatalf("ReadMeasures = %v", err)
	}
	want := []Measure{
		{ID: "2.3.1", Principle: "2.3", Title: "Konstruert tekst for 2.3.1", Priority: "1", ISO27002: "8.8",
			Confidence: Official, Origin: Origin{Pack: "nsm-xlsx", File: "nsm.xlsx", Line: 5}},
		{ID: "3.3.5", Principle: "3.3", Title: "Konstruert tekst for 3.3.5", Priority: "2",
			Confidence: Official, Origin: Origin{Pack: "nsm-xlsx", File: "nsm.xlsx", Line: 6}},
	}
	if diff := cmp.Diff(want, ms); diff != "" {
		t.Fatalf("ReadMeasures mismatch (-want +got):\n%s", diff)
	}

	p := loadShipped(t)
	before, _ := p.Measure("2.3.1")
	res, err := p.MergeMeasures(ms)
	if err != nil {
		t.Fatalf("MergeMeasures = %v", err)
	}
	if diff := cmp.Diff(MergeResult{Updated: []string{"2.3.1"}, Added: []string{"3.3.5"}}, res); diff != "" {
		t.Errorf("MergeMeasures result mismatch (-want +got):\n%s", diff)
	}
	m, _ := p.Measure("2.3.1")
	if m.Title != "Konstruert tekst for 2.3.1" || m.Priority != "1" || m.Confidence != Official ||
		m.Paraphrase != before.Paraphrase || !cmp.Equal(m.Sources, before.Sources) {
		t.Errorf("merged 2.3.1 = %+v, want NSM's title and priority with the pack's paraphrase and sources", m)
	}
	if before.Title != "" {
		t.Errorf("MergeMeasures changed the measure it replaced: %+v", before)
	}
	var ids []string
	for _, x := range p.MeasuresOf("3.3") {
		ids = append(ids, x.ID)
	}
	if diff := cmp.Diff([]string{"3.3.1", "3.3.2", "3.3.3", "3.3.4", "3.3.5", "3.3.7"}, ids); diff != "" {
		t.Errorf("MeasuresOf(3.3) mismatch (-want +got):\n%s", diff)
	}
	if got, want := len(p.Measures), 101; got != want {
		t.Errorf("len(Measures) = %d, want %d", got, want)
	}
	last := p.Overrides[len(p.Overrides)-1]
	if last.Ref != (Ref{KindMeasure, "2.3.1"}) || last.By.File != "nsm.xlsx" || last.Replaced != before.Origin {
		t.Errorf("last override = %+v, want 2.3.1 replaced from nsm.xlsx", last)
	}
}

func TestReadMeasures_problems(t *testing.T) {
	tests := []struct {
		name   string
		sheets []string
		rows   map[string][][]any
		want   []string
	}{
		{
			name:   "no header row",
			sheets: []string{"Ark1"},
			rows:   map[string][][]any{"Ark1": {{"ID", "Tekst"}, {"1.1.1", "x"}}},
			want:   []string{"nsm.xlsx: no sheet has a header row with columns for id, text and priority (see the catalog package documentation for the accepted names)"},
		},
		{
			name:   "two columns for one role",
			sheets: []string{"Ark1"},
			rows:   map[string][][]any{"Ark1": {{"ID", "Tiltak nr", "Tiltak", "Prioritet"}}},
			want:   []string{`nsm.xlsx: sheet "Ark1" row 1 column B: Tiltak nr: column A is already the id column; keep one`},
		},
		{
			name:   "bad rows",
			sheets: []string{"Tiltak"},
			rows: map[string][][]any{"Tiltak": {
				{"Tiltak", "Prioritering", "Tiltak-ID", "Grunnprinsipp"},
				{"Konstruert", "Høy", "2.3.x", ""},
				{"Konstruert", "", "2.3.2", ""},
				{"", "Lav", "2.3.3", ""},
				{"Konstruert", "Lav", "2.10.1", 2.1},
				{"Konstruert", "Lav", "2.3.4", ""},
				{"Konstruert", "Lav", "2.3.4", ""},
			}},
			want: []string{
				`nsm.xlsx: sheet "Tiltak" row 2 column C: id: "2.3.x" is not a measure id (want principle.number, e.g. 2.3.1)`,
				`nsm.xlsx: sheet "Tiltak" row 3 column B: priority: empty priority`,
				`nsm.xlsx: sheet "Tiltak" row 4 column A: text: empty measure text`,
				`nsm.xlsx: sheet "Tiltak" row 5 column D: principle: "2.1" does not match measure 2.10.1 (a number cell may have lost a trailing zero; format the column as text)`,
				`nsm.xlsx: sheet "Tiltak" row 7 column C: id: duplicate measure 2.3.4 (first at sheet "Tiltak" row 6)`,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadMeasures(constructedWorkbook(t, tt.sheets, tt.rows), "nsm.xlsx")
			got := problemsOf(t, err, "unused")
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ReadMeasures problems mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestMergeMeasures_unknownPrinciple(t *testing.T) {
	p := loadShipped(t)
	n := len(p.Measures)
	_, err := p.MergeMeasures([]Measure{{ID: "9.1.1", Principle: "9.1", Title: "x", Priority: "1", Confidence: Official,
		Origin: Origin{Pack: "nsm-xlsx", File: "nsm.xlsx", Line: 5}}})
	got := problemsOf(t, err, "unused")
	want := []string{`nsm.xlsx:5: principle: measure 9.1.1: principle "9.1" is not in the pack`}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("MergeMeasures problems mismatch (-want +got):\n%s", diff)
	}
	if len(p.Measures) != n {
		t.Errorf("MergeMeasures changed the pack despite the error")
	}
}

func TestImportMeasures_missingFile(t *testing.T) {
	if _, err := ImportMeasures(t.TempDir() + "/nsm.xlsx"); err == nil {
		t.Error("ImportMeasures(missing) = nil error")
	}
}

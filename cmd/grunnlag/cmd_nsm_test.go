package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// writeWorkbook writes a small XLSX shaped like NSM's measure spreadsheet.
// Its texts are constructed test data, not NSM's wording.
func writeWorkbook(t *testing.T, rows [][]any) string {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, row := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &row); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(t.TempDir(), "nsm.xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestNSMImport(t *testing.T) {
	xlsx := writeWorkbook(t, [][]any{
		{"Konstruert testark"},
		{"ID", "Tiltak", "Prioritet", "ISO/IEC 27002"},
		{"2.3.1", "Konstruert tekst for tiltak 2.3.1 (testdata)", "1", "8.8"},
		{"3.3.5", "Konstruert tekst for tiltak 3.3.5 (testdata)", "2", ""},
	})
	out := filepath.Join(t.TempDir(), "nsm-pakke")
	code, stdout, errOut := runCLI(t, nil, "nsm-import", "--out", out, xlsx)
	if code != 0 {
		t.Fatalf("nsm-import exit %d: %s", code, errOut)
	}
	if !strings.Contains(stdout, "Leste 2 tiltak") || !strings.Contains(stdout, "1 fikk NSMs tekst og prioritet, 1 var nye") {
		t.Errorf("nsm-import output = %q", stdout)
	}
	body, err := os.ReadFile(filepath.Join(out, "nsm.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"name: nsm-regneark", "id: 2.3.1", "priority: \"1\"", "confidence: official", "SHA-256"} {
		if !strings.Contains(string(body), want) {
			t.Errorf("nsm.yaml lacks %q:\n%s", want, body)
		}
	}

	code, stdout, errOut = runCLI(t, nil, "check", "--pack", out)
	if code != 0 || !strings.Contains(stdout, "Overstyrt: nsm-measure/2.3.1") {
		t.Errorf("check --pack %s exit %d:\n%s%s", out, code, stdout, errOut)
	}
	env := map[string]string{"GRUNNLAG_DB": filepath.Join(t.TempDir(), "g.db")}
	code, stdout, _ = runCLI(t, env, "search", "--pack", out, "Konstruert tekst for tiltak")
	if code != 0 || !strings.Contains(stdout, "2.3.1") || !strings.Contains(stdout, "3.3.5") {
		t.Errorf("search for the imported measures:\n%s", stdout)
	}
}

func TestNSMImportRefusesBadSheet(t *testing.T) {
	xlsx := writeWorkbook(t, [][]any{
		{"ID", "Tiltak", "Prioritet"},
		{"9.9.1", "Konstruert tiltak under et prinsipp som ikke finnes", "1"},
	})
	out := filepath.Join(t.TempDir(), "nsm-pakke")
	code, _, errOut := runCLI(t, nil, "nsm-import", "--out", out, xlsx)
	if code != 1 || !strings.Contains(errOut, "9.9") {
		t.Errorf("nsm-import of an unknown principle exit %d, stderr %q; want 1 naming it", code, errOut)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("a refused import wrote %s", out)
	}
}

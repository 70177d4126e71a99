package web

import (
	"os"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestImportedFilePathNotShown: a table imported from a file shows only
// the file's name, never the folder it was imported from, on the pages,
// in the API and in the downloads.
func TestImportedFilePathNotShown(t *testing.T) {
	e := newEnv(t)
	const name = "pxweb_ssb-v2_03024_data-POST.json" // as importFixtures names it
	tmp := os.TempDir()
	for _, path := range []string{"/tabeller", "/tabeller/03024", "/api/v1/tables", "/api/v1/tables/03024", "/api/v1/tables/03024/view"} {
		t.Run(path, func(t *testing.T) {
			resp, body := e.get(t, path)
			if resp.StatusCode != 200 {
				t.Fatalf("GET %s = %d", path, resp.StatusCode)
			}
			if strings.Contains(body, tmp) || strings.Contains(body, "/"+name) {
				t.Errorf("GET %s shows the imported file's folder:\n%s", path, excerpt(body, name))
			}
		})
	}
	t.Run("explorer names the file", func(t *testing.T) {
		_, body := e.get(t, "/tabeller/03024")
		if !strings.Contains(body, name) {
			t.Errorf("the explorer does not name the imported file %s", name)
		}
	})
	t.Run("xlsx", func(t *testing.T) {
		resp, body := e.get(t, "/tabeller/03024/xlsx")
		if resp.StatusCode != 200 {
			t.Fatalf("GET xlsx = %d", resp.StatusCode)
		}
		f, err := excelize.OpenReader(strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		rows, err := f.GetRows("Kilde")
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, r := range rows {
			if len(r) == 2 && r[0] == "Hentet fra" {
				found = true
				if r[1] != name {
					t.Errorf("xlsx Hentet fra = %q, want %q", r[1], name)
				}
			}
		}
		if !found {
			t.Errorf("xlsx sheet Kilde has no row Hentet fra: %q", rows)
		}
	})
}

// excerpt returns the text around the first occurrence of s in body.
func excerpt(body, s string) string {
	i := strings.Index(body, s)
	if i < 0 {
		return "(not found)"
	}
	return body[max(0, i-120):min(len(body), i+len(s)+20)]
}

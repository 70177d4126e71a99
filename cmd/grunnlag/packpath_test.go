package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestPackFolderNeverShown loads the pack from a folder on disk (a copy of
// data/, as a checkout or a --pack folder is) and reads everything a user
// can see: the report, search, every page the web site links to and the
// API. The folder's path appears in none of it; references read
// grunnlag/file.yaml:line.
func TestPackFolderNeverShown(t *testing.T) {
	parent := filepath.Join(t.TempDir(), "hemmelig-mappe-på-disken")
	folder := filepath.Join(parent, "data")
	if err := os.CopyFS(folder, os.DirFS("../../data")); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(t.TempDir(), "g.db")
	env := map[string]string{"GRUNNLAG_DB": db}
	leaks := func(what, text string) {
		t.Helper()
		for _, p := range []string{parent, "hemmelig-mappe"} {
			if strings.Contains(text, p) {
				i := strings.Index(text, p)
				t.Errorf("%s shows the pack's folder: …%s…", what, text[max(i-60, 0):min(i+80, len(text))])
				return
			}
		}
	}
	if code, _, errOut := runCLI(t, env, "--pack", folder, "import", fixturePath(t, "pxweb/ssb-v2/03024/data-POST.json")); code != 0 {
		t.Fatalf("import exit %d: %s", code, errOut)
	}

	out := t.TempDir()
	code, stdout, stderr := runCLI(t, env, "--pack", folder, "report", "--out", out, "--format", "html,md")
	if code != 0 {
		t.Fatalf("report exit %d: %s", code, stderr)
	}
	leaks("report output", stdout+stderr)
	files, _ := filepath.Glob(filepath.Join(out, "*"))
	sawRef := false
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		leaks("report file "+filepath.Base(f), string(b))
		sawRef = sawRef || regexp.MustCompile(`grunnlag/[a-z]+\.yaml:\d+`).Match(b)
	}
	if !sawRef {
		t.Errorf("the report has no reference of the form grunnlag/file.yaml:line")
	}

	code, stdout, stderr = runCLI(t, env, "--pack", folder, "search", "--json", "patch")
	if code != 0 {
		t.Fatalf("search exit %d: %s", code, stderr)
	}
	leaks("search", stdout+stderr)
	var hits []searchHit
	if err := json.Unmarshal([]byte(stdout), &hits); err != nil || len(hits) == 0 || !strings.HasPrefix(hits[0].File, "grunnlag/") {
		t.Errorf("search --json = %v, %v; want hits with files grunnlag/…", hits, err)
	}

	base, stop, _ := serve(t, db, "--pack", folder, "--no-sync")
	defer stop()
	seen := map[string]bool{}
	queue := []string{"/", "/tabeller", "/temaer", "/dokumenter", "/funn", "/dialog", "/behov", "/nsm", "/sok?q=patch",
		"/rapport", "/synk", "/api/v1/tables", "/api/v1/indicators", "/api/v1/themes", "/api/v1/documents",
		"/api/v1/findings", "/api/v1/dialogue", "/api/v1/needs", "/api/v1/nsm", "/api/v1/search?q=patch", "/api/v1/report"}
	link := regexp.MustCompile(`href="(/[^"#?]*)"`)
	for len(queue) > 0 && len(seen) < 400 {
		p := queue[0]
		queue = queue[1:]
		if seen[p] || strings.HasPrefix(p, "/static/") || strings.Contains(p, "/xlsx") || strings.HasSuffix(p, ".pdf") {
			continue
		}
		seen[p] = true
		status, body := getBody(t, base+p)
		if status != 200 {
			continue
		}
		leaks(p, body)
		for _, m := range link.FindAllStringSubmatch(body, -1) {
			queue = append(queue, m[1])
		}
	}
	if len(seen) < 50 {
		t.Errorf("read %d pages, want the whole site (50 or more)", len(seen))
	}
}

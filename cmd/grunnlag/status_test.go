package main

import (
	"bytes"
	"context"
	"html"
	"path/filepath"
	"strings"
	"testing"

	"github.com/grunnlag/grunnlag/internal/pxweb/pxwebtest"
)

// TestStatusAgrees checks that a sync that fails for a stored table says,
// on the command line, in `grunnlag tables` and on the web's status page
// alike, when it failed, why, and that the previous version was kept.
func TestStatusAgrees(t *testing.T) {
	fake := pxwebtest.New()
	defer fake.Close()
	fake.AddTable(pxwebtest.ConstructedTable("99901", 3, 2, 4)) // constructed test data
	db := filepath.Join(t.TempDir(), "g.db")
	env := map[string]string{"GRUNNLAG_DB": db}
	if code, _, errOut := runCLI(t, env, "sync", "--base-url", fake.URL(), "99901"); code != 0 {
		t.Fatalf("first sync exit %d: %s", code, errOut)
	}
	// The table changes at the source, and its data comes back broken.
	fake.SetUpdated("99901", "2030-01-01T00:00:00Z")
	fake.Inject(pxwebtest.Fault{Kind: pxwebtest.InvalidJSON, Path: "/tables/*/data"})
	code, _, errOut := runCLI(t, env, "sync", "--base-url", fake.URL(), "99901")
	if code != 1 || !strings.Contains(errOut, "tabell 99901 ble ikke lagret") || !strings.Contains(errOut, "Forrige versjon (hentet ") {
		t.Fatalf("failing sync = exit %d, stderr %q; want the table, the cause and the kept version", code, errOut)
	}
	_, out, _ := runCLI(t, env, "tables")
	_, line, ok := strings.Cut(out, "99901: mislyktes ")
	if !ok {
		t.Fatalf("`grunnlag tables` does not show the failed attempt:\n%s", out)
	}
	line, _, _ = strings.Cut(line, "\n")
	if !strings.Contains(line, "er beholdt.") {
		t.Errorf("`grunnlag tables` does not say the version was kept: %q", line)
	}
	base, stop, _ := serve(t, db, "--no-sync")
	defer stop()
	_, body := getBody(t, base+"/tabeller")
	if !strings.Contains(html.UnescapeString(body), "mislyktes "+line) {
		t.Errorf("the status page does not say what `grunnlag tables` says: %q", "mislyktes "+line)
	}
	// The sync part of a server started with --no-sync says so, and
	// does not blame the address the server listens on.
	if _, page := getBody(t, base+"/tabeller"); !strings.Contains(page, "--no-sync") || strings.Contains(page, "lytter på localhost") {
		t.Error("the tables page of a --no-sync server must name --no-sync and not blame localhost")
	}
}

// TestSyncUnreachableOnce checks that a server that cannot be reached is
// reported in one line for every table it kept from being synced, not once
// per table. (How fast the client gives up is the PxWeb client's concern.)
func TestSyncUnreachableOnce(t *testing.T) {
	t.Parallel()
	fake := pxwebtest.New()
	url := fake.URL()
	fake.Close() // nothing listens there any more: connection refused
	env := map[string]string{"GRUNNLAG_DB": filepath.Join(t.TempDir(), "g.db")}
	code, out, errOut := runCLI(t, env, "sync", "--base-url", url, "12041", "12038", "12019")
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	var lines []string
	for _, l := range strings.Split(errOut, "\n") {
		if strings.HasPrefix(l, "grunnlag sync:") {
			lines = append(lines, l)
		}
	}
	if len(lines) != 1 || !strings.Contains(lines[0], "3 tabeller ble ikke oppdatert (12041, 12038, 12019)") ||
		!strings.Contains(lines[0], "Får ikke kontakt") || !strings.Contains(lines[0], "Ingenting er endret") {
		t.Errorf("stderr lines = %q, want one line naming the three tables, the cause and what is kept", lines)
	}
	if n := strings.Count(out, "Får ikke kontakt"); n > 1 {
		t.Errorf("stdout repeats the cause %d times:\n%s", n, out)
	}
}

// TestSyncOnATerminal checks the terminal display: the progress bar is
// drawn and cleared on stderr, and no log line lands inside it (beside a
// bar only errors are logged, through the bar's writer).
func TestSyncOnATerminal(t *testing.T) {
	fake := pxwebtest.New()
	defer fake.Close()
	fake.AddTable(pxwebtest.ConstructedTable("99901", 3, 2, 4)) // constructed test data
	// The data request fails twice with 503 before it answers: the client
	// retries, which it logs as a warning.
	fake.Inject(pxwebtest.Fault{Kind: pxwebtest.StatusFault, Path: "/tables/*/data", Times: 2})
	var out, errb bytes.Buffer
	code := run(context.Background(), []string{"sync", "--base-url", fake.URL(), "99901", "99999"}, environment{
		stdout: &out, stderr: &errb, getenv: func(k string) string {
			if k == "GRUNNLAG_DB" {
				return filepath.Join(t.TempDir(), "g.db")
			}
			return ""
		}, stderrTTY: true,
	})
	if code != 1 {
		t.Errorf("exit %d, want 1 (99999 does not exist)", code)
	}
	e := errb.String()
	if !strings.Contains(e, "\r\033[K[") {
		t.Errorf("no progress bar on the terminal: %q", e)
	}
	for _, l := range strings.Split(e, "\n") {
		// What is left of a line after the bar's last clearing is what
		// the terminal shows.
		if i := strings.LastIndex(l, "\r\033[K"); i >= 0 {
			l = l[i+len("\r\033[K"):]
		}
		if strings.Contains(l, "level=") {
			t.Errorf("a log line on the terminal: %q", l)
		}
		if strings.Contains(l, "[") && strings.Contains(l, "grunnlag sync:") {
			t.Errorf("the bar and a message share a line: %q", l)
		}
	}
	if !strings.Contains(out.String(), "ny    99901") || !strings.Contains(e, "tabell 99999 ble ikke lagret") {
		t.Errorf("stdout %q, stderr %q: want the result lines and the failure", out.String(), e)
	}
}

package progress

import (
	"bytes"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/grunnlag/grunnlag/internal/fault"
	"github.com/grunnlag/grunnlag/internal/ingest"
	"github.com/grunnlag/grunnlag/internal/store"
)

func TestNumber(t *testing.T) {
	tests := map[int]string{0: "0", 999: "999", 1000: "1 000", 1234567: "1 234 567", -45000: "-45 000"}
	for n, want := range tests {
		if got := Number(n); got != want {
			t.Errorf("Number(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestBarRedrawsAndPrintsResults(t *testing.T) {
	var status, results bytes.Buffer
	clock := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	b := NewBar(&status, &results, func() time.Time { return clock })
	b.Start(3)
	b.Stage("12041", ingest.StageData)
	b.Parts("12041", 2, 3)
	if !strings.Contains(status.String(), "0/3  12041: henter data (del 2 av 3)") {
		t.Errorf("status line = %q, want table, stage and parts", status.String())
	}
	b.Finish(ingest.Result{TableID: "12041", Outcome: store.Added, Cells: 1234, Updated: "2020-05-04", Title: "Tiltak"})
	kept := &store.SnapshotInfo{FetchedAt: time.Date(2025, 6, 3, 8, 30, 0, 0, time.UTC)}
	b.Finish(ingest.Result{TableID: "12038", Outcome: store.Failed, Err: fault.Errorf(fault.Unavailable, "503"), Kept: kept})
	// A table skipped because the server was out of reach gets no line.
	b.Finish(ingest.Result{TableID: "12019", Outcome: store.Failed, Err: fault.Errorf(fault.Unavailable, "503"), Skipped: true})
	b.End()
	want := "ny    12041    1 234 celler, oppdatert 2020-05-04 – Tiltak\n" +
		"feil  12038    Tjenesten er ikke tilgjengelig nå. Prøv igjen senere. Forrige versjon (hentet 3. juni 2025 kl. 10.30) er beholdt.\n"
	if results.String() != want {
		t.Errorf("results = %q, want %q", results.String(), want)
	}
	if !strings.HasSuffix(status.String(), "\r\033[K") {
		t.Errorf("status does not end by clearing its line: %q", status.String())
	}
}

func TestLog(t *testing.T) {
	var logs, results bytes.Buffer
	l := NewLog(slog.New(slog.NewTextHandler(&logs, nil)), &results)
	l.Start(1)
	l.Stage("f.json", ingest.StageRead)
	l.Finish(ingest.Result{Item: "f.json", Outcome: store.Failed, Err: errors.New("boom")})
	if !strings.Contains(logs.String(), `msg="leser filen" item=f.json`) || !strings.Contains(logs.String(), "err=boom") {
		t.Errorf("logs = %q", logs.String())
	}
	if !strings.HasPrefix(results.String(), "feil  f.json") {
		t.Errorf("results = %q", results.String())
	}
}

func TestSummary(t *testing.T) {
	rs := []ingest.Result{{Outcome: store.Added}, {Outcome: store.Unchanged}, {Outcome: store.Failed, Err: errors.New("x")}}
	if got, want := Summary(rs), "3 tabeller: 1 ny versjon, 1 uendret, 1 feilet"; got != want {
		t.Errorf("Summary = %q, want %q", got, want)
	}
}

func TestSummarySingular(t *testing.T) {
	rs := []ingest.Result{{Outcome: store.Added}}
	if got, want := Summary(rs), "1 tabell: 1 ny versjon, 0 uendret, 0 feilet"; got != want {
		t.Errorf("Summary = %q, want %q", got, want)
	}
}

// TestBarWriter checks that a log line written while the bar is drawn
// clears the bar's line first and draws the bar again after it, so the
// two never share a line.
func TestBarWriter(t *testing.T) {
	var term, results bytes.Buffer
	clock := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	b := NewBar(&term, &results, func() time.Time { return clock })
	log := slog.New(slog.NewTextHandler(b.Writer(), nil))
	b.Start(2)
	b.Stage("12041", ingest.StageData)
	log.Warn("en logglinje")
	got := term.String()
	i := strings.Index(got, "time=")
	if i < 0 {
		t.Fatalf("no log line: %q", got)
	}
	if !strings.HasSuffix(got[:i], "\r\033[K") {
		t.Errorf("the bar was not cleared before the log line: %q", got[:i])
	}
	rest := got[i:]
	nl := strings.Index(rest, "\n")
	if nl < 0 || !strings.Contains(rest[nl:], "0/2  12041: henter data") {
		t.Errorf("the bar was not drawn again after the log line: %q", rest)
	}
	b.End()
	term.Reset()
	log.Warn("etter slutt")
	if strings.Contains(term.String(), "[") && strings.Contains(term.String(), "0/2") {
		t.Errorf("the bar came back after End: %q", term.String())
	}
}

// TestBarEscapesItem: the status line is written with the bar's own
// control sequences, so an item name with escapes (a file name here) must
// be made visible text before it joins them.
func TestBarEscapesItem(t *testing.T) {
	var status, results bytes.Buffer
	b := NewBar(&status, &results, func() time.Time { return time.Unix(0, 0) })
	b.Start(1)
	b.Stage("fil\x1b]0;tittel\x07.json", ingest.StageRead)
	out := strings.ReplaceAll(status.String(), "\r\x1b[K", "")
	if strings.ContainsAny(out, "\x1b\x07") {
		t.Errorf("status line writes the item's escapes raw: %q", status.String())
	}
	if !strings.Contains(out, `fil\u001b]0;tittel\u0007.json`) {
		t.Errorf("status line %q does not show the item as text", out)
	}
}

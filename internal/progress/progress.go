// Package progress shows what a long sync or import is doing: a status line
// redrawn in place on a terminal, plain log lines otherwise. Either way each
// finished table gets one result line on the result writer, in bokmål.
package progress

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/grunnlag/grunnlag/internal/fault"
	"github.com/grunnlag/grunnlag/internal/ingest"
	"github.com/grunnlag/grunnlag/internal/store"
	"github.com/grunnlag/grunnlag/internal/terminal"
)

// IsTerminal reports whether f is a character device (a terminal).
func IsTerminal(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// ResultLine returns the one-line bokmål summary of a result.
func ResultLine(r ingest.Result) string {
	name := r.TableID
	if name == "" {
		name = r.Item
	}
	switch r.Outcome {
	case store.Added:
		return fmt.Sprintf("ny    %-8s %s celler, oppdatert %s – %s", name, Number(r.Cells), orDash(r.Updated), r.Title)
	case store.Unchanged:
		return fmt.Sprintf("lik   %-8s uendret (oppdatert %s) – %s", name, orDash(r.Updated), r.Title)
	default:
		return fmt.Sprintf("feil  %-8s %s %s", name, fault.UserMessage(r.Err), ingest.KeptText(r.Kept))
	}
}

func orDash(s string) string {
	if s == "" {
		return "–"
	}
	return s
}

// Number formats n the Norwegian way, with spaces between thousands.
func Number(n int) string {
	s := fmt.Sprint(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// Bar is the terminal display: one status line on status, redrawn in place.
type Bar struct {
	mu      sync.Mutex
	status  io.Writer
	results io.Writer
	now     func() time.Time

	total, done int
	item        string
	stage       string
	parts       string
	started     time.Time
	drawn       bool
	ended       bool
}

// NewBar returns a terminal display writing its status line to status and
// result lines to results.
func NewBar(status, results io.Writer, now func() time.Time) *Bar {
	if now == nil {
		now = time.Now
	}
	return &Bar{status: status, results: results, now: now}
}

// Start begins a run of total items; it implements ingest.Observer, as
// do Stage, Parts, Finish and End.
func (b *Bar) Start(total int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.total, b.done, b.started = total, 0, b.now()
	b.draw()
}

// Stage shows the step item has reached.
func (b *Bar) Stage(item string, s ingest.Stage) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.item, b.stage, b.parts = item, s.Text(), ""
	b.draw()
}

// Parts shows how far the data requests of item have come.
func (b *Bar) Parts(item string, done, total int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if total > 1 {
		b.parts = fmt.Sprintf("del %d av %d", done, total)
	}
	b.draw()
}

// Finish writes the result line of an item and counts it done. A table
// skipped because the server could not be reached gets no line of its own:
// the command says once that the server is out of reach.
func (b *Bar) Finish(r ingest.Result) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.clear()
	if !r.Skipped {
		fmt.Fprintln(b.results, ResultLine(r))
	}
	b.done++
	b.item, b.stage, b.parts = "", "", ""
	b.draw()
}

// End clears the status line.
func (b *Bar) End() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.clear()
	b.ended = true
}

// Writer returns a writer for log lines that share the terminal with the
// bar: each write clears the status line, writes the text and draws the
// line again below it, so a log line never breaks the bar.
func (b *Bar) Writer() io.Writer { return barWriter{b} }

type barWriter struct{ b *Bar }

func (w barWriter) Write(p []byte) (int, error) {
	b := w.b
	b.mu.Lock()
	defer b.mu.Unlock()
	redraw := b.drawn
	b.clear()
	n, err := b.status.Write(p)
	if redraw && !b.ended {
		b.draw()
	}
	return n, err
}

const barWidth = 20

func (b *Bar) draw() {
	filled := 0
	if b.total > 0 {
		filled = min(b.done*barWidth/b.total, barWidth)
	}
	// The status line goes to the terminal as it is (it redraws itself
	// with control sequences), so the item's name is made safe here.
	line := fmt.Sprintf("[%s%s] %d/%d  %s", strings.Repeat("#", filled), strings.Repeat("-", barWidth-filled), b.done, b.total, terminal.Line(b.item))
	if b.stage != "" {
		line += ": " + b.stage
	}
	if b.parts != "" {
		line += " (" + b.parts + ")"
	}
	line += fmt.Sprintf("  %s", b.now().Sub(b.started).Round(time.Second))
	fmt.Fprintf(b.status, "\r\033[K%s", line)
	b.drawn = true
}

func (b *Bar) clear() {
	if b.drawn {
		fmt.Fprint(b.status, "\r\033[K")
		b.drawn = false
	}
}

// Log is the display for logs and pipes: a log line per stage and result.
type Log struct {
	log     *slog.Logger
	results io.Writer
	total   int
	done    int
}

// NewLog returns a display that logs progress to log and writes result
// lines to results.
func NewLog(log *slog.Logger, results io.Writer) *Log {
	return &Log{log: log, results: results}
}

// Start begins a run of total items; it implements ingest.Observer, as
// do Stage, Parts, Finish and End.
func (l *Log) Start(total int) { l.total, l.done = total, 0 }

// Stage logs the step item has reached.
func (l *Log) Stage(item string, s ingest.Stage) {
	l.log.Info(s.Text(), "item", item, "progress", fmt.Sprintf("%d/%d", l.done, l.total))
}

// Parts logs each data request of an item fetched in several.
func (l *Log) Parts(item string, done, total int) {
	if total > 1 {
		l.log.Info("henter data", "item", item, "part", done, "parts", total)
	}
}

// Finish logs the outcome of an item and writes its result line (none
// for a table skipped because the server could not be reached).
func (l *Log) Finish(r ingest.Result) {
	l.done++
	if r.Skipped {
		l.log.Info("hoppet over: serveren kan ikke nås", "item", r.Item)
		return
	}
	if r.Err != nil {
		l.log.Error("mislyktes", "item", r.Item, "table", r.TableID, "err", r.Err)
	} else {
		l.log.Info("ferdig", "item", r.Item, "table", r.TableID, "outcome", string(r.Outcome), "cells", r.Cells, "snapshot", r.SnapshotID)
	}
	fmt.Fprintln(l.results, ResultLine(r))
}

// End does nothing: log lines need no clearing.
func (l *Log) End() {}

// Summary returns a bokmål line counting the outcomes.
func Summary(rs []ingest.Result) string {
	var added, same, failed int
	for _, r := range rs {
		switch {
		case r.Err != nil:
			failed++
		case r.Outcome == store.Added:
			added++
		default:
			same++
		}
	}
	tables, versions := "tabeller", "nye versjoner"
	if len(rs) == 1 {
		tables = "tabell"
	}
	if added == 1 {
		versions = "ny versjon"
	}
	return fmt.Sprintf("%d %s: %d %s, %d uendret, %d feilet", len(rs), tables, added, versions, same, failed)
}

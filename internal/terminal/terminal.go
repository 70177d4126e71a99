// Package terminal makes text that comes from outside grunnlag safe to
// print on a terminal. Titles, labels and error messages come from SSB,
// from downloaded files and from knowledge packs; a control character in
// one of them (ESC starts a sequence that can set the window title, clear
// the screen or rewrite what was printed before) must reach the terminal
// as visible text, never as a command.
//
// Control characters (C0, DEL, C1), the Unicode bidirectional overrides
// and isolates (which reorder what the reader sees) and bytes that are not
// UTF-8 are the unsafe ones. Each becomes a \uXXXX escape, or U+FFFD for a
// byte that is not UTF-8, so the result is also valid inside a JSON string
// and means the same there.
package terminal

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"unicode/utf8"
)

// unsafe reports whether r must not reach a terminal as it is. keepLines
// lets newline and tab through, for text of several lines.
func unsafe(r rune, keepLines bool) bool {
	switch {
	case r == '\n' || r == '\t':
		return !keepLines
	case r < 0x20, r == 0x7f, r >= 0x80 && r <= 0x9f:
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x200e, r == 0x200f, r == 0x061c:
		return true
	}
	return false
}

// Line returns s made safe to print as one line: newlines and tabs are
// escaped too, so a label cannot break a table's layout.
func Line(s string) string { return clean(s, false) }

// Text returns s made safe to print; it keeps newlines and tabs, for
// messages of several lines.
func Text(s string) string { return clean(s, true) }

func clean(s string, keepLines bool) string {
	if isSafe(s, keepLines) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			b.WriteRune(utf8.RuneError)
		case unsafe(r, keepLines):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

func isSafe(s string, keepLines bool) bool {
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c < 0x7f {
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && n == 1) || unsafe(r, keepLines) {
			return false
		}
		i += n
	}
	return true
}

// Writer passes what is written to it on to an underlying writer, made
// safe as Text makes it. A character split across two writes is held
// back until the next write or Flush, so it is judged whole. A Writer may
// be used by several goroutines at once (a server logs from each
// request's).
type Writer struct {
	mu      sync.Mutex
	w       io.Writer
	pending []byte // the start of a UTF-8 sequence that a write cut off
}

// NewWriter returns a Writer that writes to w.
func NewWriter(w io.Writer) *Writer { return &Writer{w: w} }

// Write makes p safe and writes it. It reports len(p) when the
// underlying write succeeds, as callers of an io.Writer expect, though
// escapes make the bytes written differ.
func (w *Writer) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	buf := p
	if len(w.pending) > 0 {
		buf = append(append([]byte(nil), w.pending...), p...)
		w.pending = w.pending[:0]
	}
	// Hold back an incomplete sequence at the end.
	cut := len(buf)
	for k := 1; k <= utf8.UTFMax-1 && k <= len(buf); k++ {
		c := buf[len(buf)-k]
		if c < 0x80 {
			break
		}
		if utf8.RuneStart(c) {
			if !utf8.FullRune(buf[len(buf)-k:]) {
				cut = len(buf) - k
			}
			break
		}
	}
	w.pending = append(w.pending, buf[cut:]...)
	if _, err := io.WriteString(w.w, Text(string(buf[:cut]))); err != nil {
		return 0, err
	}
	return len(p), nil
}

// Flush writes what a write left incomplete, as U+FFFD: no more bytes
// will complete it.
func (w *Writer) Flush() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.pending) == 0 {
		return nil
	}
	s := Text(string(w.pending))
	w.pending = w.pending[:0]
	_, err := io.WriteString(w.w, s)
	return err
}

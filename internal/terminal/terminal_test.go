package terminal

import (
	"bytes"
	"encoding/json"
	"testing"
)

func TestLineAndText(t *testing.T) {
	tests := []struct {
		name, in, line, text string
	}{
		{"plain bokmål", "Kommuner i Østfold – andel", "Kommuner i Østfold – andel", "Kommuner i Østfold – andel"},
		{"window title (OSC)", "\x1b]0;pwned\x07Tittel", `\u001b]0;pwned\u0007Tittel`, `\u001b]0;pwned\u0007Tittel`},
		{"clear screen (CSI)", "a\x1b[2Jb", `a\u001b[2Jb`, `a\u001b[2Jb`},
		{"8-bit CSI (C1)", "a\u009b2Jb", `a\u009b2Jb`, `a\u009b2Jb`},
		{"carriage return overwrites", "ok\rFEIL", `ok\u000dFEIL`, `ok\u000dFEIL`},
		{"DEL", "a\x7fb", `a\u007fb`, `a\u007fb`},
		{"bidi override", "abc\u202edcba", `abc\u202edcba`, `abc\u202edcba`},
		{"newline and tab", "to\tlinjer\nher", `to\u0009linjer\u000aher`, "to\tlinjer\nher"},
		{"not UTF-8", "a\xffb", "a\uFFFDb", "a\uFFFDb"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Line(tt.in); got != tt.line {
				t.Errorf("Line(%q) = %q, want %q", tt.in, got, tt.line)
			}
			if got := Text(tt.in); got != tt.text {
				t.Errorf("Text(%q) = %q, want %q", tt.in, got, tt.text)
			}
		})
	}
}

// TestWriterSplitSequence: a C1 control written one byte at a time is
// still escaped, and an incomplete sequence at the end becomes U+FFFD (one per byte) on
// Flush.
func TestWriterSplitSequence(t *testing.T) {
	var buf bytes.Buffer
	w := NewWriter(&buf)
	for _, b := range []byte("x\u009b2J – ø\n") {
		if _, err := w.Write([]byte{b}); err != nil {
			t.Fatal(err)
		}
	}
	w.Write([]byte{0xe2, 0x80}) // the first two bytes of "–"
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if got, want := buf.String(), "x\\u009b2J – ø\n\uFFFD\uFFFD"; got != want {
		t.Errorf("written byte by byte: %q, want %q", got, want)
	}
}

// TestWriterKeepsJSON: JSON written through a Writer is still JSON with
// the same strings, so `--json` output can be made safe too.
func TestWriterKeepsJSON(t *testing.T) {
	in := map[string]string{"label": "a\x1b[2J\u009b\u202e\x7f – ø"}
	var buf bytes.Buffer
	w := NewWriter(&buf)
	if err := json.NewEncoder(w).Encode(in); err != nil {
		t.Fatal(err)
	}
	w.Flush()
	if bytes.ContainsAny(buf.Bytes(), "\x1b\x7f") || bytes.Contains(buf.Bytes(), []byte("\u009b")) || bytes.Contains(buf.Bytes(), []byte("\u202e")) {
		t.Errorf("output %q still holds control characters", buf.String())
	}
	var out map[string]string
	if err := json.Unmarshal(buf.Bytes(), &out); err != nil {
		t.Fatalf("output %q is not JSON: %v", buf.String(), err)
	}
	if out["label"] != in["label"] {
		t.Errorf("label read back = %q, want %q", out["label"], in["label"])
	}
}

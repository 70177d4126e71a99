package web

import (
	"bytes"
	"testing"
)

// The memo keeps what it is given until it holds more than its bound,
// then forgets the oldest first; a part too large is not kept.
func TestMemoBounded(t *testing.T) {
	m := newMemo(100)
	for i := range 5 {
		m.put(i, bytes.Repeat([]byte{'x'}, 20))
	}
	for i := range 5 {
		if _, ok := m.get(i); !ok {
			t.Errorf("entry %d forgotten while the memo holds 100 bytes", i)
		}
	}
	m.put(5, bytes.Repeat([]byte{'y'}, 20))
	if _, ok := m.get(0); ok {
		t.Errorf("the oldest entry is kept beyond the bound")
	}
	if b, ok := m.get(5); !ok || len(b) != 20 {
		t.Errorf("the newest entry = %q, %v", b, ok)
	}
	if m.bytes > m.maxBytes {
		t.Errorf("memo holds %d bytes, bound %d", m.bytes, m.maxBytes)
	}
	m.put("large", bytes.Repeat([]byte{'z'}, 26))
	if _, ok := m.get("large"); ok {
		t.Errorf("a part over a quarter of the bound was kept")
	}
	made := 0
	for range 3 {
		b, err := m.remember("made", func() ([]byte, error) { made++; return []byte("konstruert"), nil })
		if err != nil || string(b) != "konstruert" {
			t.Fatalf("remember = %q, %v", b, err)
		}
	}
	if made != 1 {
		t.Errorf("remember made the part %d times, want once", made)
	}
}

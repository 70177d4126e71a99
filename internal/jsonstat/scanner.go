package jsonstat

import (
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// maxDepth bounds the nesting of arrays and objects, so a hostile input of
// a million brackets fails cleanly instead of growing the stack.
const maxDepth = 1000

// scanner is a JSON tokenizer over a byte slice. It reads values in place:
// strings without escapes come back as sub-slices of the input, numbers are
// parsed without building strings, and any value can be skipped (and still
// checked) to get its raw bytes. Offsets are always into the whole input,
// so errors can name a line and column.
type scanner struct {
	data []byte
	pos  int
	// lim bounds the strings read; nil for none (a number inside a
	// string). inNote switches the bound from labels to notes.
	lim    *Limits
	inNote bool
}

// at returns a scanner over the same input at offset pos.
func (s *scanner) at(pos int) *scanner {
	return &scanner{data: s.data, pos: pos, lim: s.lim}
}

// maxStr returns the longest string the scanner accepts now; 0 means any.
func (s *scanner) maxStr() int {
	switch {
	case s.lim == nil:
		return 0
	case s.inNote:
		return s.lim.MaxNoteBytes
	}
	return s.lim.MaxLabelBytes
}

// tooLong returns the error for a string at offset start that is longer
// than max bytes.
func (s *scanner) tooLong(start, n, max int) *Error {
	e := s.errAt(start, "")
	le := &LimitError{Limit: "MaxLabelBytes", What: "bytes in a string", Max: max, Got: n}
	if s.inNote {
		le.Limit = "MaxNoteBytes"
	}
	e.Msg, e.Err = le.Error(), le
	return e
}

// badUTF8 returns the error for the first byte of b (which starts at
// offset start) that is not valid UTF-8.
func (s *scanner) badUTF8(start int, b []byte) *Error {
	i := 0
	for i < len(b) {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			break
		}
		i += n
	}
	return s.errAt(start+i, "invalid UTF-8 in string")
}

func (s *scanner) errAt(off int, msg string) *Error { return syntaxErr(s.data, off, msg) }

// unexpected reports the byte at the current position, or the end of input.
func (s *scanner) unexpected(want string) *Error {
	if s.pos >= len(s.data) {
		return s.errAt(s.pos, "unexpected end of input")
	}
	c := s.data[s.pos]
	if c < utf8.RuneSelf {
		return s.errAt(s.pos, "unexpected "+strconv.QuoteRune(rune(c))+", want "+want)
	}
	r, _ := utf8.DecodeRune(s.data[s.pos:])
	return s.errAt(s.pos, "unexpected "+strconv.QuoteRune(r)+", want "+want)
}

// ws skips white space.
func (s *scanner) ws() {
	for s.pos < len(s.data) {
		switch s.data[s.pos] {
		case ' ', '\n', '\r', '\t':
			s.pos++
		default:
			return
		}
	}
}

// peek skips white space and returns the next byte without consuming it,
// or 0 at the end of input.
func (s *scanner) peek() byte {
	s.ws()
	if s.pos >= len(s.data) {
		return 0
	}
	return s.data[s.pos]
}

// expect skips white space and consumes c.
func (s *scanner) expect(c byte, want string) error {
	if s.peek() != c {
		return s.unexpected(want)
	}
	s.pos++
	return nil
}

// literal consumes the keyword lit (null, true, false) at the position.
func (s *scanner) literal(lit string) error {
	if len(s.data)-s.pos >= len(lit) && string(s.data[s.pos:s.pos+len(lit)]) == lit {
		s.pos += len(lit)
		return nil
	}
	for i := 0; i < len(lit); i++ {
		if s.pos+i >= len(s.data) {
			return s.errAt(s.pos+i, "unexpected end of input")
		}
		if s.data[s.pos+i] != lit[i] {
			return s.errAt(s.pos+i, "invalid literal, want "+lit)
		}
	}
	return nil
}

// end checks that nothing but white space follows the top-level value.
func (s *scanner) end() error {
	if s.peek() != 0 || s.pos < len(s.data) {
		return s.errAt(s.pos, "unexpected data after the top-level value")
	}
	return nil
}

// object iterates over the members of the object at the position, calling
// fn with each key; fn must consume the member's value.
func (s *scanner) object(fn func(key []byte) error) error {
	if err := s.expect('{', "'{'"); err != nil {
		return err
	}
	if s.peek() == '}' {
		s.pos++
		return nil
	}
	for {
		if s.peek() != '"' {
			return s.unexpected("a string key")
		}
		k, err := s.str()
		if err != nil {
			return err
		}
		if err := s.expect(':', "':'"); err != nil {
			return err
		}
		s.ws()
		if err := fn(k); err != nil {
			return err
		}
		switch s.peek() {
		case ',':
			s.pos++
		case '}':
			s.pos++
			return nil
		default:
			return s.unexpected("',' or '}'")
		}
	}
}

// array iterates over the elements of the array at the position, calling
// fn with each element's index; fn must consume the element.
func (s *scanner) array(fn func(i int) error) error {
	if err := s.expect('[', "'['"); err != nil {
		return err
	}
	if s.peek() == ']' {
		s.pos++
		return nil
	}
	for i := 0; ; i++ {
		s.ws()
		if err := fn(i); err != nil {
			return err
		}
		switch s.peek() {
		case ',':
			s.pos++
		case ']':
			s.pos++
			return nil
		default:
			return s.unexpected("',' or ']'")
		}
	}
}

// str reads the string at the position. Without escapes the result is a
// sub-slice of the input (copy it before keeping it); otherwise it is a new
// slice. Invalid UTF-8 is an error at its position (JSON text is UTF-8,
// and a replaced byte would change a code or a label unseen), and so is a
// string longer than the limits allow.
func (s *scanner) str() ([]byte, error) {
	if s.pos >= len(s.data) || s.data[s.pos] != '"' {
		return nil, s.unexpected("a string")
	}
	start := s.pos + 1
	ascii := true
	for i := start; i < len(s.data); i++ {
		c := s.data[i]
		switch {
		case c == '"':
			b := s.data[start:i]
			if max := s.maxStr(); max > 0 && len(b) > max {
				return nil, s.tooLong(start, len(b), max)
			}
			if !ascii && !utf8.Valid(b) {
				return nil, s.badUTF8(start, b)
			}
			s.pos = i + 1
			return b, nil
		case c == '\\':
			return s.strEscaped(start, i)
		case c < 0x20:
			return nil, s.errAt(i, "control character in string")
		case c >= utf8.RuneSelf:
			ascii = false
		}
	}
	return nil, s.errAt(len(s.data), "unexpected end of input in string")
}

// strEscaped finishes a string that has an escape at esc.
func (s *scanner) strEscaped(start, esc int) ([]byte, error) {
	max := s.maxStr()
	if prefix := s.data[start:esc]; !utf8.Valid(prefix) {
		return nil, s.badUTF8(start, prefix)
	}
	out := make([]byte, 0, esc-start+16)
	out = append(out, s.data[start:esc]...)
	i := esc
	runStart := -1 // offset where the current run of raw non-ASCII bytes began
	for i < len(s.data) {
		if max > 0 && len(out) > max {
			return nil, s.tooLong(start, len(out), max)
		}
		c := s.data[i]
		if c >= utf8.RuneSelf {
			if runStart < 0 {
				runStart = i
			}
			out = append(out, c)
			i++
			continue
		}
		if runStart >= 0 {
			if run := s.data[runStart:i]; !utf8.Valid(run) {
				return nil, s.badUTF8(runStart, run)
			}
			runStart = -1
		}
		switch {
		case c == '"':
			if max > 0 && len(out) > max {
				return nil, s.tooLong(start, len(out), max)
			}
			s.pos = i + 1
			return out, nil
		case c < 0x20:
			return nil, s.errAt(i, "control character in string")
		case c != '\\':
			out = append(out, c)
			i++
			continue
		}
		if i+1 >= len(s.data) {
			return nil, s.errAt(len(s.data), "unexpected end of input in string")
		}
		switch e := s.data[i+1]; e {
		case '"', '\\', '/':
			out = append(out, e)
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			r, ok := hex4(s.data, i+2)
			if !ok {
				return nil, s.errAt(i, "invalid \\u escape in string")
			}
			i += 6
			if utf16.IsSurrogate(r) {
				r2, ok2 := rune(-1), false
				if i+1 < len(s.data) && s.data[i] == '\\' && s.data[i+1] == 'u' {
					r2, ok2 = hex4(s.data, i+2)
				}
				if dec := utf16.DecodeRune(r, r2); ok2 && dec != utf8.RuneError {
					i += 6
					r = dec
				} else {
					r = utf8.RuneError
				}
			}
			out = utf8.AppendRune(out, r)
			continue
		default:
			return nil, s.errAt(i, "invalid escape in string")
		}
		i += 2
	}
	return nil, s.errAt(len(s.data), "unexpected end of input in string")
}

func hex4(b []byte, at int) (rune, bool) {
	if at+4 > len(b) {
		return 0, false
	}
	var r rune
	for _, c := range b[at : at+4] {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			c = c - 'A' + 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}

// skipStr moves past the string at the position, checking it: a skipped
// string may still be kept verbatim (in extension), so it must be UTF-8.
// Its length is bounded by the body only.
func (s *scanner) skipStr() error {
	start := s.pos + 1
	ascii := true
	for i := start; i < len(s.data); i++ {
		c := s.data[i]
		if c == '"' {
			if b := s.data[start:i]; !ascii && !utf8.Valid(b) {
				return s.badUTF8(start, b)
			}
			s.pos = i + 1
			return nil
		}
		if c == '\\' || c < 0x20 {
			lim := s.lim
			s.lim = nil
			_, err := s.str()
			s.lim = lim
			return err
		}
		if c >= utf8.RuneSelf {
			ascii = false
		}
	}
	return s.errAt(len(s.data), "unexpected end of input in string")
}

// skip moves past the value at the position, checking its syntax, and
// returns its raw bytes.
func (s *scanner) skip() ([]byte, error) {
	s.ws()
	start := s.pos
	if err := s.skipValue(0); err != nil {
		return nil, err
	}
	return s.data[start:s.pos], nil
}

func (s *scanner) skipValue(depth int) error {
	switch s.peek() {
	case '{':
		if depth >= maxDepth {
			return s.errAt(s.pos, "nesting too deep")
		}
		return s.object(func([]byte) error { return s.skipValue(depth + 1) })
	case '[':
		if depth >= maxDepth {
			return s.errAt(s.pos, "nesting too deep")
		}
		return s.array(func(int) error { return s.skipValue(depth + 1) })
	case '"':
		return s.skipStr()
	case 'n':
		return s.literal("null")
	case 't':
		return s.literal("true")
	case 'f':
		return s.literal("false")
	case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		return s.skipNumber()
	}
	return s.unexpected("a value")
}

// strValue reads a string value into a new Go string.
func (s *scanner) strValue() (string, error) {
	if s.peek() != '"' {
		return "", s.unexpected("a string")
	}
	b, err := s.str()
	return string(b), err
}

// strOrNull reads a string or null; null gives "".
func (s *scanner) strOrNull() (string, error) {
	if s.peek() == 'n' {
		return "", s.literal("null")
	}
	return s.strValue()
}

// strings reads an array of strings; null elements are refused. An empty
// array gives nil. More than MaxCategories elements is an error (counted
// as they come, so a huge array fails before it is held).
func (s *scanner) strings() ([]string, error) {
	var out []string
	err := s.array(func(i int) error {
		if s.lim != nil && i >= s.lim.MaxCategories {
			return limitErr("", "MaxCategories", "entries", s.lim.MaxCategories, i+1)
		}
		v, err := s.strValue()
		out = append(out, v)
		return err
	})
	return out, err
}

// raw reads any value and returns a compacted copy of its bytes (white
// space outside strings removed), or nil for null, for members kept
// verbatim. Compacting keeps re-encoded output tidy and makes the bytes the
// same however the source was indented.
func (s *scanner) raw() ([]byte, error) {
	b, err := s.skip()
	if err != nil || string(b) == "null" {
		return nil, err
	}
	return compact(b), nil
}

// compact copies the well-formed JSON b without insignificant white space.
func compact(b []byte) []byte {
	out := make([]byte, 0, len(b))
	inStr := false
	for i := 0; i < len(b); i++ {
		c := b[i]
		switch {
		case inStr:
			out = append(out, c)
			if c == '\\' && i+1 < len(b) {
				i++
				out = append(out, b[i])
			} else if c == '"' {
				inStr = false
			}
		case c == ' ' || c == '\n' || c == '\r' || c == '\t':
		default:
			out = append(out, c)
			inStr = c == '"'
		}
	}
	return out
}

// boolean reads true or false.
func (s *scanner) boolean() (bool, error) {
	switch s.peek() {
	case 't':
		return true, s.literal("true")
	case 'f':
		return false, s.literal("false")
	}
	return false, s.unexpected("true or false")
}

// digitsErr reports digits missing at offset i of a number: a body cut
// short there ("44.") says so rather than blame the number.
func (s *scanner) digitsErr(i int, msg string) *Error {
	if i >= len(s.data) {
		return s.errAt(i, "unexpected end of input in number")
	}
	return s.errAt(i, msg)
}

// skipNumber moves past the number at the position, checking its grammar
// but not its range: a skipped or verbatim member may hold 1e400.
func (s *scanner) skipNumber() error {
	data := s.data
	i := s.pos
	if i < len(data) && data[i] == '-' {
		i++
	}
	digits := func() int {
		first := i
		for i < len(data) && data[i] >= '0' && data[i] <= '9' {
			i++
		}
		return i - first
	}
	switch {
	case i >= len(data):
		return s.errAt(i, "unexpected end of input in number")
	case data[i] == '0':
		i++
	case data[i] >= '1' && data[i] <= '9':
		digits()
	default:
		return s.errAt(i, "invalid character in number")
	}
	if i < len(data) && data[i] == '.' {
		i++
		if digits() == 0 {
			return s.digitsErr(i, "missing digits after the decimal point")
		}
	}
	if i < len(data) && (data[i] == 'e' || data[i] == 'E') {
		i++
		if i < len(data) && (data[i] == '+' || data[i] == '-') {
			i++
		}
		if digits() == 0 {
			return s.digitsErr(i, "missing digits in exponent")
		}
	}
	s.pos = i
	return nil
}

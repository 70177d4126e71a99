package jsonstat

import (
	"encoding/json"
	"io"
	"math"
	"slices"
	"strconv"
	"unicode/utf8"
)

// Encode writes d as one JSON-stat 2.0 dataset: compact, with members in a
// fixed order (version, class, href, label, source, updated, note, role,
// id, size, dimension, value, status, extension, link), category indices
// as arrays, value as a dense array with null for missing cells, and status
// in object form (left out when empty). A unit is written with PxWeb's
// base and decimals and the specification's label, symbol, position and
// multiplier where set. Extension and link go out verbatim.
//
// The same Dataset always gives the same bytes, and Decode gives back an
// equal Dataset. A Dataset that cannot be written that way (duplicate ids
// or codes, an empty dimension, values that do not fit the size, infinite
// values, invalid raw JSON) is refused with a fault.Invalid *Error before
// anything is written.
func Encode(w io.Writer, d *Dataset) error {
	if err := checkEncodable(d); err != nil {
		return invalid(err)
	}
	e := &encoder{w: w, buf: make([]byte, 0, 64<<10)}
	e.dataset(d)
	e.flush()
	return e.err
}

// checkEncodable refuses datasets that would not decode to themselves.
func checkEncodable(d *Dataset) error {
	ids := make(map[string]bool, len(d.Dimensions))
	cells := 1
	for i := range d.Dimensions {
		dim := &d.Dimensions[i]
		path := join("dimension", dim.ID)
		if ids[dim.ID] {
			return semErr("id", "dimension %q listed twice", dim.ID)
		}
		ids[dim.ID] = true
		n := len(dim.Categories)
		if n == 0 {
			return semErr(join(path, "category"), "no categories")
		}
		if cells > math.MaxInt/n {
			return semErr("size", "the number of cells overflows")
		}
		cells *= n
		codes := make(map[string]bool, n)
		for _, c := range dim.Categories {
			if codes[c.Code] {
				return semErr(join(join(path, "category"), "index"), "code %q listed twice", c.Code)
			}
			codes[c.Code] = true
		}
		if err := checkRaw(join(path, "extension"), dim.Extension); err != nil {
			return err
		}
		if err := checkRaw(join(path, "link"), dim.Link); err != nil {
			return err
		}
	}
	for _, r := range []struct {
		name string
		ids  []string
	}{{"time", d.Role.Time}, {"geo", d.Role.Geo}, {"metric", d.Role.Metric}} {
		for i, id := range r.ids {
			if !ids[id] {
				return semErr(elem(join("role", r.name), i), "no dimension %q", id)
			}
		}
	}
	if d.Values != nil && len(d.Values) != cells {
		return semErr("value", "%d entries, size says %d", len(d.Values), cells)
	}
	for i, v := range d.Values {
		if math.IsInf(v, 0) {
			return semErr(elem("value", i), "infinite")
		}
	}
	for i := range d.Text {
		if i < 0 || i >= len(d.Values) {
			return semErr(key("value", strconv.Itoa(i)), "text for a cell out of range (%d values)", len(d.Values))
		}
	}
	for i := range d.Status {
		if i < 0 || i >= cells {
			return semErr(key("status", strconv.Itoa(i)), "cell index out of range (size %d)", cells)
		}
	}
	if err := checkRaw("extension", d.Extension); err != nil {
		return err
	}
	return checkRaw("link", d.Link)
}

func checkRaw(path string, raw json.RawMessage) error {
	if raw != nil && !json.Valid(raw) {
		return semErr(path, "not valid JSON")
	}
	return nil
}

// encoder appends to a buffer and hands it to the writer in chunks; the
// first write error sticks.
type encoder struct {
	w   io.Writer
	buf []byte
	err error
}

func (e *encoder) flush() {
	if e.err == nil && len(e.buf) > 0 {
		_, e.err = e.w.Write(e.buf)
	}
	e.buf = e.buf[:0]
}

func (e *encoder) maybeFlush() {
	if len(e.buf) >= 60<<10 {
		e.flush()
	}
}

func (e *encoder) raw(s string) { e.buf = append(e.buf, s...) }

func (e *encoder) str(s string) { e.buf = appendString(e.buf, s) }

// member writes `,"name":` (without the comma for the first member).
func (e *encoder) member(first bool, name string) {
	if !first {
		e.buf = append(e.buf, ',')
	}
	e.buf = appendString(e.buf, name)
	e.buf = append(e.buf, ':')
}

func (e *encoder) strMember(name, v string) {
	if v != "" {
		e.member(false, name)
		e.str(v)
	}
}

func (e *encoder) strings(v []string) {
	e.buf = append(e.buf, '[')
	for i, s := range v {
		if i > 0 {
			e.buf = append(e.buf, ',')
		}
		e.str(s)
	}
	e.buf = append(e.buf, ']')
}

func (e *encoder) dataset(d *Dataset) {
	e.raw(`{"version":"2.0","class":"dataset"`)
	e.strMember("href", d.Href)
	e.strMember("label", d.Label)
	e.strMember("source", d.Source)
	e.strMember("updated", d.Updated)
	if len(d.Note) > 0 {
		e.member(false, "note")
		e.strings(d.Note)
	}
	if len(d.Role.Time)+len(d.Role.Geo)+len(d.Role.Metric) > 0 {
		e.member(false, "role")
		e.buf = append(e.buf, '{')
		first := true
		for _, r := range []struct {
			name string
			ids  []string
		}{{"time", d.Role.Time}, {"geo", d.Role.Geo}, {"metric", d.Role.Metric}} {
			if len(r.ids) > 0 {
				e.member(first, r.name)
				e.strings(r.ids)
				first = false
			}
		}
		e.buf = append(e.buf, '}')
	}
	e.member(false, "id")
	e.buf = append(e.buf, '[')
	for i := range d.Dimensions {
		if i > 0 {
			e.buf = append(e.buf, ',')
		}
		e.str(d.Dimensions[i].ID)
	}
	e.buf = append(e.buf, ']')
	e.member(false, "size")
	e.buf = append(e.buf, '[')
	for i := range d.Dimensions {
		if i > 0 {
			e.buf = append(e.buf, ',')
		}
		e.buf = strconv.AppendInt(e.buf, int64(len(d.Dimensions[i].Categories)), 10)
	}
	e.buf = append(e.buf, ']')
	e.member(false, "dimension")
	e.buf = append(e.buf, '{')
	for i := range d.Dimensions {
		e.dimension(i == 0, &d.Dimensions[i])
		e.maybeFlush()
	}
	e.buf = append(e.buf, '}')
	e.values(d)
	e.status(d)
	if d.Extension != nil {
		e.member(false, "extension")
		e.buf = append(e.buf, d.Extension...)
	}
	if d.Link != nil {
		e.member(false, "link")
		e.buf = append(e.buf, d.Link...)
	}
	e.raw("}\n")
}

func (e *encoder) dimension(first bool, dim *Dimension) {
	e.member(first, dim.ID)
	e.buf = append(e.buf, '{')
	e.raw(`"category":{"index":`)
	e.buf = append(e.buf, '[')
	for i, c := range dim.Categories {
		if i > 0 {
			e.buf = append(e.buf, ',')
		}
		e.str(c.Code)
	}
	e.raw(`],"label":{`)
	for i, c := range dim.Categories {
		e.member(i == 0, c.Code)
		e.str(c.Label)
	}
	e.buf = append(e.buf, '}')

	first = true
	for _, c := range dim.Categories {
		if len(c.Note) == 0 {
			continue
		}
		if first {
			e.raw(`,"note":{`)
		}
		e.member(first, c.Code)
		e.strings(c.Note)
		first = false
	}
	if !first {
		e.buf = append(e.buf, '}')
	}

	first = true
	for _, c := range dim.Categories {
		if c.Unit == nil {
			continue
		}
		if first {
			e.raw(`,"unit":{`)
		}
		e.member(first, c.Code)
		e.unit(c.Unit)
		first = false
	}
	if !first {
		e.buf = append(e.buf, '}')
	}

	e.child(dim)
	e.buf = append(e.buf, '}') // category
	e.strMember("label", dim.Label)
	e.strMember("href", dim.Href)
	if len(dim.Note) > 0 {
		e.member(false, "note")
		e.strings(dim.Note)
	}
	if dim.Extension != nil {
		e.member(false, "extension")
		e.buf = append(e.buf, dim.Extension...)
	}
	if dim.Link != nil {
		e.member(false, "link")
		e.buf = append(e.buf, dim.Link...)
	}
	e.buf = append(e.buf, '}')
}

// child writes the hierarchy: parents in category order, then any parent
// that is not a category of the dimension, sorted.
func (e *encoder) child(dim *Dimension) {
	var parents []string
	known := make(map[string]bool, len(dim.Child))
	for _, c := range dim.Categories {
		if len(dim.Child[c.Code]) > 0 {
			parents = append(parents, c.Code)
			known[c.Code] = true
		}
	}
	var rest []string
	for p, kids := range dim.Child {
		if !known[p] && len(kids) > 0 {
			rest = append(rest, p)
		}
	}
	slices.Sort(rest)
	parents = append(parents, rest...)
	if len(parents) == 0 {
		return
	}
	e.raw(`,"child":{`)
	for i, p := range parents {
		e.member(i == 0, p)
		e.strings(dim.Child[p])
	}
	e.buf = append(e.buf, '}')
}

func (e *encoder) unit(u *Unit) {
	e.buf = append(e.buf, '{')
	first := true
	field := func(name string) {
		e.member(first, name)
		first = false
	}
	if u.Label != "" {
		field("base")
		e.str(u.Label)
		field("label")
		e.str(u.Label)
	}
	if u.Decimals != nil {
		field("decimals")
		e.buf = strconv.AppendInt(e.buf, int64(*u.Decimals), 10)
	}
	if u.Symbol != "" {
		field("symbol")
		e.str(u.Symbol)
	}
	if u.Position != "" {
		field("position")
		e.str(u.Position)
	}
	if u.Multiplier != nil {
		field("multiplier")
		e.buf = strconv.AppendInt(e.buf, int64(*u.Multiplier), 10)
	}
	e.buf = append(e.buf, '}')
}

func (e *encoder) values(d *Dataset) {
	e.member(false, "value")
	e.buf = append(e.buf, '[')
	for i, v := range d.Values {
		if i > 0 {
			e.buf = append(e.buf, ',')
		}
		if t, ok := d.Text[i]; ok {
			e.str(t)
		} else if math.IsNaN(v) {
			e.raw("null")
		} else {
			e.buf = appendFloat(e.buf, v)
		}
		if len(e.buf) >= 60<<10 {
			e.flush()
		}
	}
	e.buf = append(e.buf, ']')
}

// status writes the status member: a blanket status alone as one string,
// as the document it came from had it; otherwise an object by cell index,
// with the blanket written out for the cells without their own symbol.
func (e *encoder) status(d *Dataset) {
	st := d.Status
	all := d.StatusAll
	if d.Values == nil {
		all = "" // no cells to carry it
	}
	idx := make([]int, 0, len(st))
	for i, sym := range st {
		if sym != "" || all != "" {
			idx = append(idx, i)
		}
	}
	if all != "" && len(idx) == 0 {
		e.member(false, "status")
		e.str(all)
		return
	}
	if len(idx) == 0 {
		return
	}
	slices.Sort(idx)
	e.member(false, "status")
	e.buf = append(e.buf, '{')
	first := true
	write := func(i int, sym string) {
		if sym == "" {
			return
		}
		if !first {
			e.buf = append(e.buf, ',')
		}
		first = false
		e.buf = append(e.buf, '"')
		e.buf = strconv.AppendInt(e.buf, int64(i), 10)
		e.raw(`":`)
		e.str(sym)
		e.maybeFlush()
	}
	if all == "" {
		for _, i := range idx {
			write(i, st[i])
		}
	} else {
		for i := range d.Values {
			write(i, d.CellStatus(i))
		}
	}
	e.buf = append(e.buf, '}')
}

// appendFloat writes f as encoding/json does: the shortest text that
// parses back to the same bits, in exponent form only for very small or
// very large magnitudes.
func appendFloat(b []byte, f float64) []byte {
	// Fast path for what statistics hold: whole numbers and up to two
	// decimals. Decimal strings of at most 15 significant digits map to
	// distinct float64s, so when m/100 (m below 1e15) is exactly f, its
	// digits are the shortest that round-trip, and they are what the
	// general path below would write.
	if f != 0 && math.Abs(f) < 1e13 {
		if m := math.Round(f * 100); m/100 == f {
			return appendCents(b, int64(m))
		}
	}
	abs := math.Abs(f)
	format := byte('f')
	if abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' {
		// e-09 -> e-9
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b
}

// appendCents writes m/100 in decimal, without trailing zeros.
func appendCents(b []byte, m int64) []byte {
	if m < 0 {
		b = append(b, '-')
		m = -m
	}
	b = strconv.AppendInt(b, m/100, 10)
	switch c := m % 100; {
	case c == 0:
	case c%10 == 0:
		b = append(b, '.', byte('0'+c/10))
	default:
		b = append(b, '.', byte('0'+c/10), byte('0'+c%10))
	}
	return b
}

// appendString writes s as a JSON string. Invalid UTF-8 becomes U+FFFD;
// U+2028 and U+2029 are escaped, as encoding/json does, so the output is
// also safe inside JavaScript.
func appendString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

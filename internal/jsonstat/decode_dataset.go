package jsonstat

import (
	"encoding/binary"
	"math"
	"strconv"
)

// datasetDecoder turns the members of one JSON-stat dataset object (2.0, or
// 1.x where id, size and role live under dimension) into a Dataset.
//
// Members arrive in document order, which the format leaves free. The value
// array is the bulk of a document, so it is parsed in place the moment it is
// met if size is already known (PxWeb puts it near the end) and otherwise
// skipped and parsed again at the end. Status is always parsed at the end,
// when the number of cells and the values are known.
type datasetDecoder struct {
	data   []byte
	lim    *Limits
	prefix string // path of the dataset object; "" at the root
	v1     bool
	limit  int // most cells a sparse value object may describe

	ds Dataset

	ids     []string
	hasID   bool
	sizes   []int
	hasSize bool
	product int // product of sizes; -1 on overflow
	dims    map[string]*dimInput
	hasDim  bool

	hasValue  bool
	valueAt   int // offset of a value member deferred to finish; -1 if none
	valuesLen int // entries of the value member, for the size check
	statusAt  int // offset of the status member; -1 if none

	intern map[string]string // status symbols, shared by all cells
}

func newDatasetDecoder(root *scanner, prefix string, v1 bool) *datasetDecoder {
	return &datasetDecoder{
		data:     root.data,
		lim:      root.lim,
		prefix:   prefix,
		v1:       v1,
		limit:    min(sparseLimit(len(root.data)), root.lim.MaxCells),
		valueAt:  -1,
		statusAt: -1,
		product:  -1,
	}
}

// sparseLimit is the most cells a sparse value object (or a px-json table,
// which is sparse too) may describe in an input of n bytes. A dense array
// pays for its cells in bytes; a sparse one does not, so without a bound a
// tiny document could ask for gigabytes.
func sparseLimit(n int) int {
	return min(1<<28, max(1<<16, 16*n))
}

// scan returns a scanner over the document at offset pos.
func (d *datasetDecoder) scan(pos int) *scanner {
	return &scanner{data: d.data, pos: pos, lim: d.lim}
}

// path returns the JSON path of a member of the dataset.
func (d *datasetDecoder) path(name string) string { return join(d.prefix, name) }

// dimPath returns the path of a member that 1.x keeps under dimension.
func (d *datasetDecoder) dimPath(name string) string {
	if d.v1 {
		return join(d.path("dimension"), name)
	}
	return d.path(name)
}

// replay feeds members recorded before the decoder existed.
func (d *datasetDecoder) replay(members []span) error {
	for _, m := range members {
		s := d.scan(m.at)
		if err := d.member([]byte(m.key), s); err != nil {
			return err
		}
	}
	return nil
}

// member consumes the value of the dataset member k. Unknown members are
// skipped. A member given twice counts once: the last one wins.
func (d *datasetDecoder) member(k []byte, s *scanner) error {
	var err error
	switch string(k) {
	case "label":
		d.ds.Label, err = s.strOrNull()
	case "source":
		d.ds.Source, err = s.strOrNull()
	case "updated":
		d.ds.Updated, err = s.strOrNull()
	case "href":
		d.ds.Href, err = s.strOrNull()
	case "note":
		d.ds.Note, err = notesOrNull(s)
	case "version":
		err = checkVersion(s, d.path("version"))
	case "extension":
		d.ds.Extension, err = s.raw()
	case "link":
		d.ds.Link, err = s.raw()
	case "id", "size", "role":
		if d.v1 {
			_, err = s.skip()
			break
		}
		err = d.structural(string(k), s)
	case "dimension":
		err = d.dimensions(s)
	case "value":
		err = d.value(s)
	case "status":
		d.statusAt = s.pos
		_, err = s.skip()
	default:
		_, err = s.skip()
	}
	if err != nil {
		return atPath(err, d.path(string(k)))
	}
	return nil
}

// structural reads id, size or role.
func (d *datasetDecoder) structural(k string, s *scanner) error {
	switch k {
	case "id":
		path := d.dimPath("id")
		var ids []string
		err := s.array(func(i int) error {
			if i >= d.lim.MaxDimensions {
				return limitErr(path, "MaxDimensions", "dimensions", d.lim.MaxDimensions, i+1)
			}
			id, err := s.strValue()
			ids = append(ids, id)
			return atElem(err, path, i)
		})
		if err != nil {
			return atPath(err, path)
		}
		d.ids, d.hasID = ids, true
	case "size":
		return d.size(s)
	case "role":
		return d.role(s)
	}
	return nil
}

func (d *datasetDecoder) size(s *scanner) error {
	path := d.dimPath("size")
	var sizes []int
	product := 1 // -1 once it overflows
	err := s.array(func(i int) error {
		if i >= d.lim.MaxDimensions {
			return limitErr(path, "MaxDimensions", "dimensions", d.lim.MaxDimensions, i+1)
		}
		n, err := s.integer(elem(path, i), math.MaxInt32)
		if err != nil {
			return err
		}
		switch {
		case n == 0:
			return semErr(elem(path, i), "zero; a dimension needs at least one category")
		case n > d.lim.MaxCategories:
			return limitErr(elem(path, i), "MaxCategories", "categories", d.lim.MaxCategories, n)
		}
		sizes = append(sizes, n)
		if product >= 0 && product <= math.MaxInt/n {
			product *= n
		} else {
			product = -1
		}
		return nil
	})
	if err != nil {
		return atPath(err, path)
	}
	// The number of cells is checked here, before the value array (which
	// may follow) is sized by it, and for a metadata response too: it
	// describes a table that would have that many cells.
	if product < 0 || product > d.lim.MaxCells {
		return limitErr(path, "MaxCells", "cells", d.lim.MaxCells, product)
	}
	d.sizes, d.hasSize = sizes, true
	d.product = product
	return nil
}

func (d *datasetDecoder) role(s *scanner) error {
	path := d.dimPath("role")
	var r Role
	err := s.object(func(k []byte) error {
		var dst *[]string
		switch string(k) {
		case "time":
			dst = &r.Time
		case "geo":
			dst = &r.Geo
		case "metric":
			dst = &r.Metric
		default:
			_, err := s.skip()
			return err
		}
		v, err := stringsOrNull(s)
		*dst = v
		return atPath(err, join(path, string(k)))
	})
	if err != nil {
		return atPath(err, path)
	}
	d.ds.Role = r
	return nil
}

// dimensions reads the dimension object; in 1.x it also holds id, size and
// role.
func (d *datasetDecoder) dimensions(s *scanner) error {
	path := d.path("dimension")
	dims := make(map[string]*dimInput)
	err := s.object(func(k []byte) error {
		if d.v1 {
			switch string(k) {
			case "id", "size", "role":
				return d.structural(string(k), s)
			}
		}
		id := string(k)
		if _, again := dims[id]; !again && len(dims) >= d.lim.MaxDimensions {
			return limitErr(path, "MaxDimensions", "dimensions", d.lim.MaxDimensions, len(dims)+1)
		}
		in, err := parseDimension(s, join(path, id), d.lim.MaxCategories)
		if err != nil {
			return err
		}
		dims[id] = in
		return nil
	})
	if err != nil {
		return err
	}
	d.dims, d.hasDim = dims, true
	return nil
}

// value parses the value member now if the number of cells is known, and
// otherwise leaves it for finish.
func (d *datasetDecoder) value(s *scanner) error {
	d.hasValue = true
	d.ds.Values, d.ds.Text, d.valuesLen = nil, nil, 0
	if !d.hasSize || d.product < 0 {
		d.valueAt = s.pos
		_, err := s.skip()
		return err
	}
	d.valueAt = -1
	return d.parseValue(s)
}

func (d *datasetDecoder) parseValue(s *scanner) error {
	switch s.peek() {
	case '[':
		return d.dense(s)
	case '{':
		return d.sparseValues(s)
	}
	return s.unexpected("an array or object")
}

// dense parses a value array. It is the hot loop of the package. The
// common element, an unsigned number of at most 7 integer and 7 fraction
// digits with room to spare behind it, is parsed inline with SWAR
// arithmetic on 8-byte loads and stored by index into values allocated
// once; anything else (signs, exponents, long numbers, null, strings,
// white space, errors, the last bytes of the input) takes the general
// path below it.
func (d *datasetDecoder) dense(s *scanner) error {
	data := s.data
	s.pos++ // '['
	if s.peek() == ']' {
		s.pos++
		return nil // metadata: "value": []
	}
	// Each entry takes at least two bytes ("1,"), so a size product beyond
	// that cannot be right; do not trust it for the allocation.
	capHint := 0
	if d.product <= (len(data)-s.pos)/2+1 {
		capHint = d.product
	}
	vals := allocValues(capHint)
	n := 0 // entries read
	var text map[int]string
	nan := math.NaN()
	pos := s.pos
	for {
		var c byte
		if pos < len(data) {
			c = data[pos]
		}
		// The fast path. 16 bytes from pos are in the input, so both
		// loads below stay inside it.
		if c-'0' <= 9 && pos+16 <= len(data) {
			w := binary.LittleEndian.Uint64(data[pos:])
			k := leadingDigits(w)
			if k < 8 && (k == 1 || c != '0') {
				mant := eightDigits(w << (8 * (8 - k)))
				end := pos + k
				frac := 0
				if data[end] == '.' {
					w = binary.LittleEndian.Uint64(data[end+1:])
					frac = leadingDigits(w)
					mant = mant*uint64pow10(frac) + eightDigits(w<<(8*(8-frac)))
					end += 1 + frac
				}
				// Below 10^14, so exact in a float64, and divided by an
				// exact power of ten: correctly rounded, as strconv.
				if next := data[end]; frac < 8 && next != 'e' && next != 'E' && (frac > 0 || data[end-1] != '.') {
					f := float64(mant)
					if frac > 0 {
						f /= pow10(frac)
					}
					if n < len(vals) {
						vals[n] = f
					} else {
						vals = append(vals, f)
					}
					n++
					pos = end
					if next == ',' {
						pos++
						continue
					}
					goto separator
				}
			}
		}
		switch {
		case c >= '0' && c <= '9' || c == '-':
			f, end, ok := fastNumber(data, pos)
			if !ok {
				s.pos = pos
				var err error
				if f, err = s.number(); err != nil {
					return atPath(err, elem(d.path("value"), n))
				}
				end = s.pos
			}
			vals = putValue(vals, n, f)
			n++
			pos = end
		case c == 'n' && pos+4 <= len(data) && string(data[pos:pos+4]) == "null":
			vals = putValue(vals, n, nan)
			n++
			pos += 4
		case c == '"':
			s.pos = pos
			b, err := s.str()
			if err != nil {
				return atPath(err, elem(d.path("value"), n))
			}
			pos = s.pos
			if text == nil {
				text = make(map[int]string)
			}
			text[n] = string(b)
			vals = putValue(vals, n, nan)
			n++
		case c == ' ' || c == '\n' || c == '\r' || c == '\t':
			s.pos = pos
			s.ws()
			pos = s.pos
			continue
		default:
			s.pos = pos
			return atPath(s.unexpected("a number, string or null"), elem(d.path("value"), n))
		}
	separator:
		// Usually a comma right after the element.
		if pos < len(data) && data[pos] == ',' {
			pos++
			continue
		}
		s.pos = pos
		switch s.peek() {
		case ',':
			pos = s.pos + 1
			continue
		case ']':
			s.pos++
		default:
			return atPath(s.unexpected("',' or ']'"), d.path("value"))
		}
		break
	}
	d.ds.Values, d.ds.Text, d.valuesLen = vals[:n], text, n
	return nil
}

// putValue stores f as entry n of vals, which holds n entries or has room
// for them already.
func putValue(vals []float64, n int, f float64) []float64 {
	if n < len(vals) {
		vals[n] = f
		return vals
	}
	return append(vals, f)
}

// sparseValues parses a value object {"<cell index>": value}; absent cells
// are missing.
func (d *datasetDecoder) sparseValues(s *scanner) error {
	path := d.path("value")
	n := d.product
	if n > d.limit {
		return semErr(path, "object form for %d cells is implausible in a %d-byte document", n, len(d.data))
	}
	vals := allocValues(n)
	nan := math.NaN()
	for i := range vals {
		vals[i] = nan
	}
	var text map[int]string
	err := s.object(func(k []byte) error {
		idx, err := cellIndex(k, n, path)
		if err != nil {
			return err
		}
		switch c := s.peek(); {
		case c == 'n':
			vals[idx] = nan
			delete(text, idx)
			return atKey(s.literal("null"), path, k)
		case c == '"':
			b, err := s.str()
			if err != nil {
				return atKey(err, path, k)
			}
			if text == nil {
				text = make(map[int]string)
			}
			vals[idx] = nan
			text[idx] = string(b)
		case c == '-' || c >= '0' && c <= '9':
			f, err := s.number()
			if err != nil {
				return atKey(err, path, k)
			}
			vals[idx] = f
			delete(text, idx)
		default:
			return atKey(s.unexpected("a number, string or null"), path, k)
		}
		return nil
	})
	if err != nil {
		return err
	}
	d.ds.Values, d.ds.Text, d.valuesLen = vals, text, len(vals)
	return nil
}

// cellIndex reads an object key that names a cell: a decimal integer
// without sign or leading zeros, below n.
func cellIndex(k []byte, n int, path string) (int, error) {
	if len(k) == 0 || (k[0] == '0' && len(k) > 1) {
		return 0, semErr(key(path, string(k)), "not a cell index")
	}
	idx := 0
	for _, c := range k {
		if c < '0' || c > '9' {
			return 0, semErr(key(path, string(k)), "not a cell index")
		}
		if idx <= n { // beyond n the exact value no longer matters
			idx = idx*10 + int(c-'0')
		}
	}
	if idx >= n {
		return 0, semErr(key(path, string(k)), "cell index out of range (size %d)", n)
	}
	return idx, nil
}

// finish checks the dataset as a whole and assembles it.
func (d *datasetDecoder) finish() (*Dataset, error) {
	idPath, sizePath, dimPath := d.dimPath("id"), d.dimPath("size"), d.path("dimension")
	switch {
	case !d.hasDim:
		return nil, semErr(dimPath, "missing")
	case !d.hasID:
		return nil, semErr(idPath, "missing")
	case !d.hasSize:
		return nil, semErr(sizePath, "missing")
	case !d.hasValue:
		return nil, semErr(d.path("value"), "missing")
	}
	if len(d.ids) == 0 {
		return nil, semErr(idPath, "no dimensions; a dataset needs at least one")
	}
	seen := make(map[string]bool, len(d.ids))
	for _, id := range d.ids {
		if seen[id] {
			return nil, semErr(idPath, "dimension %q listed twice", id)
		}
		seen[id] = true
	}
	if len(d.sizes) != len(d.ids) {
		return nil, semErr(sizePath, "%d entries, id has %d", len(d.sizes), len(d.ids))
	}
	if d.product < 0 {
		return nil, semErr(sizePath, "the number of cells overflows")
	}
	d.ds.Dimensions = make([]Dimension, len(d.ids))
	for i, id := range d.ids {
		in := d.dims[id]
		if in == nil {
			return nil, semErr(dimPath, "no entry for id %q", id)
		}
		dim, err := in.build(id, d.sizes[i])
		if err != nil {
			return nil, err
		}
		d.ds.Dimensions[i] = dim
	}
	if err := d.checkRole(seen); err != nil {
		return nil, err
	}

	if d.valueAt >= 0 {
		if err := d.parseValue(d.scan(d.valueAt)); err != nil {
			return nil, atPath(err, d.path("value"))
		}
	}
	if d.ds.Values != nil && d.valuesLen != d.product {
		return nil, semErr(d.path("value"), "%d entries, size says %d", d.valuesLen, d.product)
	}
	if d.statusAt >= 0 {
		if err := d.status(d.scan(d.statusAt)); err != nil {
			return nil, atPath(err, d.path("status"))
		}
	}
	ds := d.ds
	return &ds, nil
}

func (d *datasetDecoder) checkRole(ids map[string]bool) error {
	path := d.dimPath("role")
	for _, r := range []struct {
		name string
		ids  []string
	}{{"time", d.ds.Role.Time}, {"geo", d.ds.Role.Geo}, {"metric", d.ds.Role.Metric}} {
		for i, id := range r.ids {
			if !ids[id] {
				return semErr(elem(join(path, r.name), i), "no dimension %q", id)
			}
		}
	}
	return nil
}

// status reads the status member: one string for all cells, an array
// parallel to value (one element meaning all cells), or an object by cell
// index. Null and empty symbols mean no status. A blanket status stays one
// value (StatusAll), however many cells it covers; a metadata dataset has
// no cells to carry it.
func (d *datasetDecoder) status(s *scanner) error {
	path := d.path("status")
	st := make(map[int]string)
	switch s.peek() {
	case 'n':
		if err := s.literal("null"); err != nil {
			return err
		}
	case '"':
		sym, err := s.strValue()
		if err != nil {
			return err
		}
		d.blanket(sym)
	case '[':
		var syms []string
		err := s.array(func(i int) error {
			if i >= d.product {
				return semErr(path, "more entries than the %d cells", d.product)
			}
			sym, err := s.strOrNull()
			syms = append(syms, sym)
			return atElem(err, path, i)
		})
		if err != nil {
			return err
		}
		switch {
		case len(syms) == 1:
			d.blanket(syms[0])
		case len(syms) == d.product:
			for i, sym := range syms {
				if sym != "" {
					st[i] = d.symbol(sym)
				}
			}
		case len(syms) > 0:
			return semErr(path, "%d entries for %d cells", len(syms), d.product)
		}
	case '{':
		err := s.object(func(k []byte) error {
			idx, err := cellIndex(k, d.product, path)
			if err != nil {
				return err
			}
			if s.peek() == 'n' {
				delete(st, idx)
				return atKey(s.literal("null"), path, k)
			}
			b, err := s.str()
			if err != nil {
				return atKey(err, path, k)
			}
			if len(b) == 0 {
				delete(st, idx)
				return nil
			}
			st[idx] = d.symbolBytes(b)
			return nil
		})
		if err != nil {
			return err
		}
	default:
		return s.unexpected("a string, array or object")
	}
	if len(st) > 0 {
		d.ds.Status = st
	}
	return nil
}

// blanket records sym as the status of every cell.
func (d *datasetDecoder) blanket(sym string) {
	if d.ds.Values == nil {
		return
	}
	d.ds.StatusAll = sym
}

// symbolBytes returns the status symbol b as a string shared by every cell
// that carries it; a large table has few distinct symbols.
func (d *datasetDecoder) symbolBytes(b []byte) string {
	if sym, ok := d.intern[string(b)]; ok {
		return sym
	}
	return d.symbol(string(b))
}

func (d *datasetDecoder) symbol(sym string) string {
	if d.intern == nil {
		d.intern = make(map[string]string)
	}
	if v, ok := d.intern[sym]; ok {
		return v
	}
	d.intern[sym] = sym
	return sym
}

// notesOrNull reads an array of notes: stringsOrNull with the longer
// bound of MaxNoteBytes.
func notesOrNull(s *scanner) ([]string, error) {
	s.inNote = true
	defer func() { s.inNote = false }()
	return stringsOrNull(s)
}

// stringsOrNull reads an array of strings (notes, role ids); null and []
// give nil.
func stringsOrNull(s *scanner) ([]string, error) {
	if s.peek() == 'n' {
		return nil, s.literal("null")
	}
	return s.strings()
}

// signedInt reads a whole number that may be negative (a unit multiplier).
func signedInt(s *scanner, path string) (int, error) {
	if c := s.peek(); c != '-' && (c < '0' || c > '9') {
		return 0, atPath(s.unexpected("a number"), path)
	}
	f, err := s.number()
	if err != nil {
		return 0, atPath(err, path)
	}
	if f != math.Trunc(f) || math.Abs(f) > math.MaxInt32 {
		return 0, semErr(path, "%s is not a whole number in range", strconv.FormatFloat(f, 'g', -1, 64))
	}
	return int(f), nil
}

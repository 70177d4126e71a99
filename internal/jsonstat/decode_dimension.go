package jsonstat

import (
	"encoding/json"
	"math"
)

// dimInput is a dimension as read, before it is checked against id and
// size (which may come later in the document).
type dimInput struct {
	path      string
	maxCats   int
	label     string
	href      string
	note      []string
	extension json.RawMessage
	link      json.RawMessage

	hasCategory bool
	indexForm   indexForm
	indexCodes  []string  // array form
	indexPos    []codePos // object form, in document order
	labels      []codeText
	units       []codeUnit
	notes       []codeNotes
	child       map[string][]string
}

type indexForm int

const (
	noIndex indexForm = iota
	indexArray
	indexObject
)

type codePos struct {
	code string
	pos  int
}

type codeText struct{ code, text string }

type codeUnit struct {
	code string
	unit *Unit
}

type codeNotes struct {
	code  string
	notes []string
}

// parseDimension reads one member of the dimension object. Each object or
// array per category may have at most maxCats entries, counted as they
// come.
func parseDimension(s *scanner, path string, maxCats int) (*dimInput, error) {
	in := &dimInput{path: path, maxCats: maxCats}
	err := s.object(func(k []byte) error {
		var err error
		switch string(k) {
		case "label":
			in.label, err = s.strOrNull()
		case "href":
			in.href, err = s.strOrNull()
		case "note":
			in.note, err = notesOrNull(s)
		case "extension":
			in.extension, err = s.raw()
		case "link":
			in.link, err = s.raw()
		case "category":
			err = in.category(s, join(path, "category"))
		default:
			_, err = s.skip()
		}
		return atPath(err, join(path, string(k)))
	})
	if err != nil {
		return nil, atPath(err, path)
	}
	return in, nil
}

func (in *dimInput) category(s *scanner, path string) error {
	if s.peek() == 'n' {
		return s.literal("null")
	}
	in.hasCategory = true
	in.indexForm, in.indexCodes, in.indexPos = noIndex, nil, nil
	in.labels, in.units, in.notes, in.child = nil, nil, nil, nil
	return s.object(func(k []byte) error {
		p := join(path, string(k))
		n := 0
		// count refuses a per-category object with more entries than a
		// dimension may have categories, before it is held.
		count := func() error {
			n++
			if n > in.maxCats {
				return limitErr(p, "MaxCategories", "entries", in.maxCats, n)
			}
			return nil
		}
		var err error
		switch string(k) {
		case "index":
			err = in.index(s, p)
		case "label":
			err = s.object(func(code []byte) error {
				if err := count(); err != nil {
					return err
				}
				text, err := s.strOrNull()
				in.labels = append(in.labels, codeText{string(code), text})
				return atKey(err, p, code)
			})
		case "unit":
			err = s.object(func(code []byte) error {
				if err := count(); err != nil {
					return err
				}
				u, err := parseUnit(s, key(p, string(code)))
				if u != nil {
					in.units = append(in.units, codeUnit{string(code), u})
				}
				return err
			})
		case "note":
			err = s.object(func(code []byte) error {
				if err := count(); err != nil {
					return err
				}
				n, err := notesOrNull(s)
				in.notes = append(in.notes, codeNotes{string(code), n})
				return atKey(err, p, code)
			})
		case "child":
			err = s.object(func(code []byte) error {
				if err := count(); err != nil {
					return err
				}
				kids, err := stringsOrNull(s)
				if len(kids) > 0 {
					if in.child == nil {
						in.child = make(map[string][]string)
					}
					in.child[string(code)] = kids
				}
				return atKey(err, p, code)
			})
		default:
			_, err = s.skip()
		}
		return atPath(err, p)
	})
}

func (in *dimInput) index(s *scanner, path string) error {
	in.indexCodes, in.indexPos = nil, nil
	switch s.peek() {
	case '[':
		in.indexForm = indexArray
		codes, err := s.strings()
		in.indexCodes = codes
		return err
	case '{':
		in.indexForm = indexObject
		return s.object(func(code []byte) error {
			if len(in.indexPos) >= in.maxCats {
				return limitErr(path, "MaxCategories", "entries", in.maxCats, len(in.indexPos)+1)
			}
			p, err := s.integer("", math.MaxInt32)
			in.indexPos = append(in.indexPos, codePos{string(code), p})
			return atKey(err, path, code)
		})
	}
	return s.unexpected("an array or object")
}

// parseUnit reads a category unit. PxWeb's "base" is the unit text where
// the specification says "label"; label wins when both are there.
func parseUnit(s *scanner, path string) (*Unit, error) {
	if s.peek() == 'n' {
		return nil, s.literal("null")
	}
	u := &Unit{}
	var base string
	err := s.object(func(k []byte) error {
		p := join(path, string(k))
		var err error
		switch string(k) {
		case "label":
			u.Label, err = s.strOrNull()
		case "base":
			base, err = s.strOrNull()
		case "symbol":
			u.Symbol, err = s.strOrNull()
		case "position":
			u.Position, err = s.strOrNull()
		case "decimals":
			u.Decimals, err = optInt(s, p, false)
		case "multiplier":
			u.Multiplier, err = optInt(s, p, true)
		default:
			_, err = s.skip()
		}
		return atPath(err, p)
	})
	if u.Label == "" {
		u.Label = base
	}
	return u, atPath(err, path)
}

// optInt reads a whole number or null.
func optInt(s *scanner, path string, signed bool) (*int, error) {
	if s.peek() == 'n' {
		return nil, s.literal("null")
	}
	var n int
	var err error
	if signed {
		n, err = signedInt(s, path)
	} else {
		n, err = s.integer(path, math.MaxInt32)
	}
	if err != nil {
		return nil, err
	}
	return &n, nil
}

// build checks the dimension against its size and lays the categories out
// in position order.
func (in *dimInput) build(id string, size int) (Dimension, error) {
	dim := Dimension{
		ID:        id,
		Label:     in.label,
		Note:      in.note,
		Extension: in.extension,
		Link:      in.link,
		Href:      in.href,
		Child:     in.child,
	}
	catPath := join(in.path, "category")
	idxPath := join(catPath, "index")
	if !in.hasCategory {
		return dim, semErr(catPath, "missing")
	}
	// size is only a claim: compare it with the entries the body holds
	// before allocating anything by it.
	switch in.indexForm {
	case indexArray:
		if len(in.indexCodes) != size {
			return dim, semErr(idxPath, "%d entries, size says %d", len(in.indexCodes), size)
		}
	case indexObject:
		if len(in.indexPos) != size {
			return dim, semErr(idxPath, "%d entries, size says %d", len(in.indexPos), size)
		}
	default:
		// The specification lets a one-category dimension leave out the
		// index; the code is then the single key of label.
		switch {
		case size != 1:
			return dim, semErr(idxPath, "missing (size says %d)", size)
		case len(in.labels) != 1:
			return dim, semErr(catPath, "no index, and label has %d entries instead of 1", len(in.labels))
		}
	}
	cats := make([]Category, size)
	pos := make(map[string]int, size)
	switch in.indexForm {
	case indexArray:
		for i, code := range in.indexCodes {
			if _, dup := pos[code]; dup {
				return dim, semErr(elem(idxPath, i), "code %q listed twice", code)
			}
			pos[code] = i
			cats[i].Code = code
		}
	case indexObject:
		taken := make([]bool, size)
		for _, cp := range in.indexPos {
			p := key(idxPath, cp.code)
			switch _, dup := pos[cp.code]; {
			case dup:
				return dim, semErr(p, "code listed twice")
			case cp.pos >= size:
				return dim, semErr(p, "position %d out of range (%d categories)", cp.pos, size)
			case taken[cp.pos]:
				return dim, semErr(p, "position %d already taken by %q", cp.pos, cats[cp.pos].Code)
			}
			taken[cp.pos] = true
			pos[cp.code] = cp.pos
			cats[cp.pos].Code = cp.code
		}
	default:
		pos[in.labels[0].code] = 0
		cats[0].Code = in.labels[0].code
	}
	// Labels, units and notes for codes that are not categories are
	// ignored: they describe nothing in this dataset.
	for _, l := range in.labels {
		if p, ok := pos[l.code]; ok {
			cats[p].Label = l.text
		}
	}
	for _, u := range in.units {
		if p, ok := pos[u.code]; ok {
			cats[p].Unit = u.unit
		}
	}
	for _, n := range in.notes {
		if p, ok := pos[n.code]; ok {
			cats[p].Note = n.notes
		}
	}
	for i := range cats {
		if cats[i].Label == "" {
			cats[i].Label = cats[i].Code
		}
	}
	dim.Categories = cats
	return dim, nil
}

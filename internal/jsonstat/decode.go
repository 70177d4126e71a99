package jsonstat

import (
	"bytes"
	"fmt"
	"strings"
)

// Format names the shape a document came in.
type Format int

// The formats Parse understands.
const (
	// JSONStat2 is JSON-stat 2.0: a dataset or a collection (PxWebApi v2).
	JSONStat2 Format = iota + 1
	// JSONStat1 is a JSON-stat 1.x bundle: datasets by name, such as the
	// {"dataset": {...}} of PxWeb v1 "json-stat" and SSB's old API.
	JSONStat1
	// PxJSON is PxWeb v1 "json" data: columns, and rows of keys and values.
	PxJSON
	// PxMetadata is PxWeb v1 table metadata: title and variables.
	PxMetadata
)

func (f Format) String() string {
	switch f {
	case JSONStat2:
		return "JSON-stat 2.0"
	case JSONStat1:
		return "JSON-stat 1.x"
	case PxJSON:
		return "PxWeb json"
	case PxMetadata:
		return "PxWeb metadata"
	}
	return fmt.Sprintf("format(%d)", int(f))
}

// Document is a parsed document: one or more datasets, and for a
// collection the items that are links only.
type Document struct {
	Format Format
	// Class is "dataset" or "collection"; JSON-stat 1.x bundles and PxWeb
	// v1 documents hold datasets and say "dataset".
	Class string
	// Label, Href and Updated describe a collection; for a single dataset
	// they repeat the dataset's own.
	Label   string
	Href    string
	Updated string
	// Datasets are the datasets in document order.
	Datasets []NamedDataset
	// Links are collection items that only point to a dataset elsewhere.
	Links []Link
}

// NamedDataset is a dataset with the name it has in its document: the key
// of a JSON-stat 1.x bundle ("dataset" for PxWeb v1), the href of a
// collection item, empty for a lone JSON-stat 2.0 dataset.
type NamedDataset struct {
	Name    string
	Dataset *Dataset
}

// Link is a collection item that is a link only.
type Link struct {
	Class string
	Href  string
	Label string
}

// span records where a member's value starts, for members read before the
// decoder knows what the document is.
type span struct {
	key string
	at  int
}

// Decode decodes a document that holds exactly one dataset: JSON-stat 2.0,
// a JSON-stat 1.x bundle of one, PxWeb v1 json data or PxWeb v1 metadata.
// A collection, a bundle of several datasets or anything else is an error.
// Errors are fault.Invalid and wrap an *Error.
//
// The checks: id, size, dimension and value are present; ids are unique
// and each has a dimension; each size is a whole number of at least 1 and
// equals the number of categories; an index object's positions are a
// permutation of 0..n-1 (the key order does not matter); codes are unique;
// role names existing dimensions; a dense value array has one entry per
// cell, except the empty array of a metadata response, which gives nil
// Values; sparse value and status keys are cell indices in range; a status
// array has one entry per cell or exactly one. Numbers must fit a float64
// (1e400 is refused in value, kept as written in extension).
//
// Duplicate keys of a JSON object are allowed and the last one wins, except
// where that would hide a contradiction: a code given twice in an index
// object, or a row given twice in PxWeb json, is an error. Unknown members
// are ignored. A leading UTF-8 byte order mark is skipped. Strings must be
// valid UTF-8, and a "version" other than 1.x or 2.x is refused.
//
// Decode applies DefaultLimits; DecodeLimited takes others.
func Decode(data []byte) (*Dataset, error) {
	return DecodeLimited(data, DefaultLimits())
}

// DecodeLimited is Decode with the given limits (zero fields take the
// defaults). A document beyond them is refused with an *Error whose cause
// is a *LimitError, before anything is allocated for what it declares.
func DecodeLimited(data []byte, lim Limits) (*Dataset, error) {
	doc, err := parse(data, lim.WithDefaults())
	if err != nil {
		return nil, invalid(err)
	}
	switch {
	case doc.Class == "collection":
		return nil, invalid(semErr("", "document is a collection; want one dataset"))
	case len(doc.Datasets) != 1:
		names := make([]string, len(doc.Datasets))
		for i, nd := range doc.Datasets {
			names[i] = fmt.Sprintf("%q", nd.Name)
		}
		return nil, invalid(semErr("", "document holds %d datasets (%s); want one", len(doc.Datasets), strings.Join(names, ", ")))
	}
	return doc.Datasets[0].Dataset, nil
}

// Parse decodes any document Decode accepts, and also JSON-stat 2.0
// collections (datasets embedded in link.item are decoded; the other items
// are listed as links) and JSON-stat 1.x bundles of several datasets.
// It applies DefaultLimits; ParseLimited takes others.
func Parse(data []byte) (*Document, error) {
	return ParseLimited(data, DefaultLimits())
}

// ParseLimited is Parse with the given limits (zero fields take the
// defaults).
func ParseLimited(data []byte, lim Limits) (*Document, error) {
	doc, err := parse(data, lim.WithDefaults())
	return doc, invalid(err)
}

func parse(data []byte, lim Limits) (*Document, error) {
	if len(data) > lim.MaxBodyBytes {
		return nil, limitErr("", "MaxBodyBytes", "bytes", lim.MaxBodyBytes, len(data))
	}
	s := &scanner{data: data, lim: &lim}
	if bytes.HasPrefix(data, []byte("\xef\xbb\xbf")) {
		s.pos = 3 // a byte order mark, as some PxWeb v1 servers send
	}
	switch c := s.peek(); c {
	case '{':
	case 0:
		return nil, s.errAt(s.pos, "unexpected end of input")
	default:
		if _, err := s.skip(); err != nil {
			return nil, err
		}
		if err := s.end(); err != nil {
			return nil, err
		}
		return nil, semErr("", "not a JSON-stat document: the top-level value is not an object")
	}

	// Read the top-level members. A JSON-stat 2.0 dataset says so in
	// "class", which comes first in practice; from then on its members
	// are decoded as they come, so the value array is read once.
	var pending []span
	var dec *datasetDecoder
	err := s.object(func(k []byte) error {
		if dec != nil {
			return dec.member(k, s)
		}
		at := s.pos
		pending = append(pending, span{string(k), at})
		if string(k) == "class" && s.peek() == '"' {
			class, err := s.strValue()
			if err != nil {
				return atPath(err, "class")
			}
			if class == "dataset" {
				dec = newDatasetDecoder(s, "", false)
				return dec.replay(pending)
			}
			return nil
		}
		_, err := s.skip()
		return atPath(err, join("", string(k)))
	})
	if err == nil {
		err = s.end()
	}
	if err != nil {
		return nil, err
	}
	if dec != nil {
		ds, err := dec.finish()
		return single(JSONStat2, ds, err)
	}

	members := make(map[string]int, len(pending))
	for _, m := range pending {
		members[m.key] = m.at
	}
	str := func(k string) string {
		at, ok := members[k]
		if !ok {
			return ""
		}
		v, err := s.at(at).strOrNull()
		if err != nil {
			return ""
		}
		return v
	}
	if _, ok := members["class"]; ok {
		switch class := str("class"); class {
		case "collection":
			return collection(s, pending)
		case "dimension":
			return nil, semErr("class", "%q documents are not supported", class)
		default:
			return nil, semErr("class", "unknown class %q", class)
		}
	}
	_, hasDimension := members["dimension"]
	if at, ok := members["error"]; ok && !hasDimension {
		raw, _ := s.at(at).skip()
		return nil, semErr("error", "the document reports an error: %s", excerpt(raw))
	}
	version := str("version")
	if _, ok := members["version"]; ok {
		if err := checkVersion(s.at(members["version"]), "version"); err != nil {
			return nil, err
		}
	}
	if strings.HasPrefix(version, "2") {
		dec := newDatasetDecoder(s, "", false)
		if err := dec.replay(pending); err != nil {
			return nil, err
		}
		ds, err := dec.finish()
		return single(JSONStat2, ds, err)
	}
	_, hasColumns := members["columns"]
	_, hasData := members["data"]
	if hasColumns && hasData {
		ds, err := decodePxJSON(s, members)
		return single(PxJSON, ds, err)
	}
	if _, ok := members["variables"]; ok {
		ds, err := decodePxMetadata(s, members)
		return single(PxMetadata, ds, err)
	}
	return bundle(s, pending)
}

// checkVersion reads the version member at s: JSON-stat 1.x and 2.x are
// understood; any other version may mean anything, so it is refused
// rather than read as if it were 2.0.
func checkVersion(s *scanner, path string) error {
	if s.peek() == 'n' {
		return atPath(s.literal("null"), path)
	}
	v, err := s.strValue()
	if err != nil {
		return atPath(err, path)
	}
	major, _, _ := strings.Cut(v, ".")
	if major != "1" && major != "2" {
		return semErr(path, "unknown JSON-stat version %q; want 2.0 (or 1.x)", v)
	}
	return nil
}

// single wraps a lone dataset in a Document.
func single(f Format, ds *Dataset, err error) (*Document, error) {
	if err != nil {
		return nil, err
	}
	return &Document{
		Format:   f,
		Class:    "dataset",
		Label:    ds.Label,
		Href:     ds.Href,
		Updated:  ds.Updated,
		Datasets: []NamedDataset{{Dataset: ds}},
	}, nil
}

// bundle decodes a JSON-stat 1.x document: each top-level member whose
// value is an object with a dimension member is a dataset.
func bundle(root *scanner, pending []span) (*Document, error) {
	doc := &Document{Format: JSONStat1, Class: "dataset"}
	for _, m := range pending {
		if !hasMember(root, m.at, "dimension") {
			continue
		}
		dec := newDatasetDecoder(root, join("", m.key), true)
		s := root.at(m.at)
		if err := s.object(func(k []byte) error { return dec.member(k, s) }); err != nil {
			return nil, err
		}
		ds, err := dec.finish()
		if err != nil {
			return nil, err
		}
		doc.Datasets = append(doc.Datasets, NamedDataset{Name: m.key, Dataset: ds})
	}
	if len(doc.Datasets) == 0 {
		return nil, semErr("", "not a JSON-stat document: no class, version, dimension, columns or variables")
	}
	if len(doc.Datasets) == 1 {
		ds := doc.Datasets[0].Dataset
		doc.Label, doc.Href, doc.Updated = ds.Label, ds.Href, ds.Updated
	}
	return doc, nil
}

// hasMember reports whether the value at offset at is an object with a
// member named name. The value has been checked already.
func hasMember(root *scanner, at int, name string) bool {
	s := root.at(at)
	if s.peek() != '{' {
		return false
	}
	found := false
	err := s.object(func(k []byte) error {
		if string(k) == name {
			found = true
		}
		_, err := s.skip()
		return err
	})
	return err == nil && found
}

// collection decodes a JSON-stat 2.0 collection.
func collection(root *scanner, pending []span) (*Document, error) {
	doc := &Document{Format: JSONStat2, Class: "collection"}
	for _, m := range pending {
		s := root.at(m.at)
		var err error
		switch m.key {
		case "label":
			doc.Label, err = s.strOrNull()
		case "href":
			doc.Href, err = s.strOrNull()
		case "updated":
			doc.Updated, err = s.strOrNull()
		case "link":
			err = s.object(func(k []byte) error {
				if string(k) != "item" {
					_, err := s.skip()
					return err
				}
				return s.array(func(i int) error { return item(doc, s, elem("link.item", i)) })
			})
		}
		if err != nil {
			return nil, atPath(err, join("", m.key))
		}
	}
	return doc, nil
}

// item reads one collection item: an embedded dataset (it has a dimension
// member) or a link.
func item(doc *Document, s *scanner, path string) error {
	at := s.pos
	if s.peek() != '{' {
		return atPath(s.unexpected("an object"), path)
	}
	var pending []span
	var l Link
	err := s.object(func(k []byte) error {
		pending = append(pending, span{string(k), s.pos})
		var err error
		switch string(k) {
		case "class":
			l.Class, err = s.strOrNull()
		case "href":
			l.Href, err = s.strOrNull()
		case "label":
			l.Label, err = s.strOrNull()
		default:
			_, err = s.skip()
		}
		return atPath(err, join(path, string(k)))
	})
	if err != nil {
		return err
	}
	if (l.Class != "dataset" && l.Class != "") || !hasMember(s, at, "dimension") {
		doc.Links = append(doc.Links, l)
		return nil
	}
	dec := newDatasetDecoder(s, path, false)
	if err := dec.replay(pending); err != nil {
		return err
	}
	ds, err := dec.finish()
	if err != nil {
		return err
	}
	doc.Datasets = append(doc.Datasets, NamedDataset{Name: l.Href, Dataset: ds})
	return nil
}

// excerpt shortens raw JSON for an error message.
func excerpt(raw []byte) string {
	const n = 200
	if len(raw) > n {
		return string(raw[:n]) + "..."
	}
	return string(raw)
}

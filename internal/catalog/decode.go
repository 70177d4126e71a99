package catalog

import (
	"errors"
	"fmt"
	"reflect"
	"strings"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
	"github.com/goccy/go-yaml/token"
)

// The decoder maps a YAML syntax tree onto the schema's Go types, reading
// field names from `pack:"name[,required]"` tags. It works on the AST, not
// through yaml.Unmarshal, so that it knows the line of every value and can
// report every problem of a file instead of stopping at the first.

// lineKey locates a field inside an entry: the entry is known by its file
// and first line, the field by its path relative to the entry.
type lineKey struct {
	file  string
	entry int
	field string
}

type decoder struct {
	file     string
	problems *Problems
	lines    map[lineKey]int  // filled for every field of every entry
	bad      map[lineKey]bool // fields that could not be decoded; later checks skip them
	entry    int              // line of the entry being decoded; 0 outside entries
}

var originType = reflect.TypeFor[Origin]()

// content is the shape of one pack file: a mapping of sections. A file may
// hold any of them.
type content struct {
	Pack          *PackInfo      `pack:"pack"`
	DocumentKinds []DocumentKind `pack:"document_kinds"`
	Documents     []Document     `pack:"documents"`
	References    []Reference    `pack:"references"`
	Tables        []Table        `pack:"tables"`
	Themes        []Theme        `pack:"themes"`
	Conclusions   []Conclusion   `pack:"conclusions"`
	Findings      []Finding      `pack:"findings"`
	Activities    []Activity     `pack:"dialogue"`
	Needs         []Need         `pack:"needs"`
	NSMSources    []NSMSource    `pack:"nsm_sources"`
	Categories    []Category     `pack:"nsm_categories"`
	Principles    []Principle    `pack:"nsm_principles"`
	Measures      []Measure      `pack:"nsm_measures"`
	Registers     []Register     `pack:"registers"`
	Counts        []Count        `pack:"counts"`
	Indicators    []Indicator    `pack:"indicators"`
	Published     []Published    `pack:"published"`
}

// decodeChecked decodes src into c after checking it against lim: a
// file beyond a limit is one problem and leaves c empty.
func (d *decoder) decodeChecked(src []byte, lim Limits, c *content) {
	if line, msg := checkYAML(src, lim); msg != "" {
		d.add(line, "", msg)
		return
	}
	d.decodeFile(src, c)
}

// decodeFile parses src and decodes it into c, adding every problem found.
func (d *decoder) decodeFile(src []byte, c *content) {
	f, err := parser.ParseBytes(src, 0)
	if err != nil {
		d.syntax(err)
		return
	}
	for i, doc := range f.Docs {
		if i > 0 {
			d.add(nodeLine(doc), "", "a pack file holds one YAML document")
			return
		}
		if doc.Body == nil {
			return // an empty file is allowed
		}
		d.decode(doc.Body, reflect.ValueOf(c).Elem(), "")
	}
}

// syntax turns a parser error into a problem at the error's line.
func (d *decoder) syntax(err error) {
	line, msg := 0, err.Error()
	var ye interface {
		GetToken() *token.Token
		GetMessage() string
	}
	if errors.As(err, &ye) {
		msg = ye.GetMessage()
		if tk := ye.GetToken(); tk != nil && tk.Position != nil {
			line = tk.Position.Line
		}
	}
	d.add(line, "", "invalid YAML: "+msg)
}

// typeError reports a value of the wrong type and marks the field, so the
// checks after decoding do not report the resulting zero value again.
func (d *decoder) typeError(line int, field, msg string) {
	if d.entry != 0 {
		d.bad[lineKey{d.file, d.entry, field}] = true
	}
	d.add(line, field, msg)
}

func (d *decoder) add(line int, field, msg string) {
	*d.problems = append(*d.problems, Problem{File: d.file, Line: line, Field: field, Msg: msg})
}

func nodeLine(n ast.Node) int {
	if m, ok := n.(*ast.MappingNode); ok && len(m.Values) > 0 {
		n = m.Values[0].Key
	}
	// A document's token is its body's; an empty document ("---" at the
	// end of a file, found by FuzzLoadYAML) has only its start.
	if doc, ok := n.(*ast.DocumentNode); ok {
		if doc.Body == nil {
			if doc.Start != nil && doc.Start.Position != nil {
				return doc.Start.Position.Line
			}
			return 0
		}
		n = doc.Body
	}
	if tk := n.GetToken(); tk != nil && tk.Position != nil {
		return tk.Position.Line
	}
	return 0
}

// typeName describes a node's type for messages: "expected a string, got a list".
func typeName(n ast.Node) string {
	switch n.(type) {
	case *ast.StringNode, *ast.LiteralNode:
		return "a string"
	case *ast.IntegerNode:
		return "an integer"
	case *ast.FloatNode, *ast.InfinityNode, *ast.NanNode:
		return "a number"
	case *ast.BoolNode:
		return "a boolean"
	case *ast.MappingNode, *ast.MappingValueNode:
		return "a mapping"
	case *ast.SequenceNode:
		return "a list"
	}
	return strings.ToLower(n.Type().String())
}

func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

// decode sets v from n. path names the field relative to the current entry.
func (d *decoder) decode(n ast.Node, v reflect.Value, path string) {
	line := nodeLine(n)
	if d.entry != 0 && path != "" {
		d.lines[lineKey{d.file, d.entry, path}] = line
	}
	switch n.(type) {
	case *ast.NullNode:
		return // the zero value; required fields are checked by the caller
	case *ast.AnchorNode, *ast.AliasNode, *ast.TagNode, *ast.MergeKeyNode:
		d.typeError(line, path, "anchors, aliases, tags and merge keys are not supported")
		return
	}
	switch v.Kind() {
	case reflect.String:
		switch s := n.(type) {
		case *ast.StringNode:
			v.SetString(s.Value)
		case *ast.LiteralNode:
			v.SetString(s.Value.Value)
		case *ast.IntegerNode, *ast.FloatNode, *ast.BoolNode:
			d.typeError(line, path, fmt.Sprintf("expected a string, got %s %s (quote it)", typeName(n), n.String()))
		default:
			d.typeError(line, path, "expected a string, got "+typeName(n))
		}
	case reflect.Int:
		i, ok := n.(*ast.IntegerNode)
		if !ok {
			d.typeError(line, path, "expected an integer, got "+typeName(n))
			return
		}
		switch x := i.Value.(type) {
		case int64:
			v.SetInt(x)
		case uint64:
			v.SetInt(int64(x))
		}
	case reflect.Float64:
		switch x := n.(type) {
		case *ast.IntegerNode:
			switch y := x.Value.(type) {
			case int64:
				v.SetFloat(float64(y))
			case uint64:
				v.SetFloat(float64(y))
			}
		case *ast.FloatNode:
			v.SetFloat(x.Value)
		default:
			d.typeError(line, path, "expected a number, got "+typeName(n))
		}
	case reflect.Bool:
		b, ok := n.(*ast.BoolNode)
		if !ok {
			d.typeError(line, path, "expected true or false, got "+typeName(n))
			return
		}
		v.SetBool(b.Value)
	case reflect.Slice:
		seq, ok := n.(*ast.SequenceNode)
		if !ok {
			d.typeError(line, path, "expected a list, got "+typeName(n))
			return
		}
		out := reflect.MakeSlice(v.Type(), 0, len(seq.Values))
		for i, e := range seq.Values {
			at := fmt.Sprintf("%s[%d]", path, i)
			if isEntry(v.Type().Elem()) && !isMapping(e) {
				// An entry that is not a mapping would have no file and
				// line to report its problems at (found by FuzzLoadYAML).
				if isNull(e) {
					d.add(nodeLine(e), at, "empty entry: a \"-\" with nothing after it")
				} else {
					d.add(nodeLine(e), at, "expected a mapping, got "+typeName(e))
				}
				continue
			}
			out = reflect.Append(out, reflect.Zero(v.Type().Elem()))
			d.decode(e, out.Index(out.Len()-1), at)
		}
		v.Set(out)
	case reflect.Pointer:
		p := reflect.New(v.Type().Elem())
		d.decode(n, p.Elem(), path)
		v.Set(p)
	case reflect.Struct:
		d.decodeStruct(n, v, path)
	default:
		panic(fmt.Sprintf("catalog: field type %s not supported by the decoder", v.Type()))
	}
}

// isEntry reports whether t is an entry type: a struct with an Origin.
func isEntry(t reflect.Type) bool {
	if t.Kind() != reflect.Struct {
		return false
	}
	f, ok := t.FieldByName("Origin")
	return ok && f.Type == originType
}

// field is one tagged struct field.
type field struct {
	name     string
	index    int
	required bool
}

func fieldsOf(t reflect.Type) []field {
	var fs []field
	for i := range t.NumField() {
		tag, ok := t.Field(i).Tag.Lookup("pack")
		if !ok || tag == "-" {
			continue
		}
		name, opt, _ := strings.Cut(tag, ",")
		fs = append(fs, field{name: name, index: i, required: opt == "required"})
	}
	return fs
}

func (d *decoder) decodeStruct(n ast.Node, v reflect.Value, path string) {
	var pairs []*ast.MappingValueNode
	switch m := n.(type) {
	case *ast.MappingNode:
		pairs = m.Values
	case *ast.MappingValueNode:
		pairs = []*ast.MappingValueNode{m}
	default:
		d.typeError(nodeLine(n), path, "expected a mapping, got "+typeName(n))
		return
	}
	line := nodeLine(n)
	t := v.Type()
	topLevel := d.entry == 0 && path == "" && t == reflect.TypeFor[content]()

	// An entry (a struct with an Origin) starts a new frame: its fields are
	// named relative to it, and its lines are recorded under its own line.
	if of, ok := t.FieldByName("Origin"); ok && of.Type == originType {
		saved := d.entry
		d.entry = line
		v.FieldByIndex(of.Index).Set(reflect.ValueOf(Origin{File: d.file, Line: line}))
		defer func() { d.entry = saved }()
		path = ""
	}

	fs := fieldsOf(t)
	seen := make(map[string]bool, len(pairs))
	for _, p := range pairs {
		key, ok := p.Key.(*ast.StringNode)
		if !ok {
			d.add(nodeLine(p.Key), path, "keys must be plain names, got "+typeName(p.Key))
			continue
		}
		i := indexOf(fs, key.Value)
		if i < 0 {
			if topLevel {
				d.add(nodeLine(p.Key), key.Value, "unknown section")
			} else {
				d.add(nodeLine(p.Key), join(path, key.Value), "unknown field")
			}
			continue
		}
		f := fs[i]
		seen[f.name] = true
		fv := v.Field(f.index)
		d.decode(p.Value, fv, join(path, f.name))
		if f.required && empty(fv) && !isNull(p.Value) && !wrongKind(p.Value, fv) {
			d.add(nodeLine(p.Value), join(path, f.name), "must not be empty")
		}
		if f.required && isNull(p.Value) {
			d.add(nodeLine(p.Key), join(path, f.name), "required field has no value")
		}
	}
	for _, f := range fs {
		if f.required && !seen[f.name] {
			d.add(line, join(path, f.name), "missing required field")
		}
	}
}

func indexOf(fs []field, name string) int {
	for i, f := range fs {
		if f.name == name {
			return i
		}
	}
	return -1
}

func isMapping(n ast.Node) bool {
	switch n.(type) {
	case *ast.MappingNode, *ast.MappingValueNode:
		return true
	}
	return false
}

func isNull(n ast.Node) bool {
	_, ok := n.(*ast.NullNode)
	return ok
}

// empty reports whether a decoded required value is empty: a blank string
// or a list without entries. Numbers and booleans are never empty.
func empty(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.String:
		return strings.TrimSpace(v.String()) == ""
	case reflect.Slice:
		return v.Len() == 0
	}
	return false
}

// wrongKind reports whether n could not be decoded into v at all, so an
// "empty" follow-up message would only repeat the type error.
func wrongKind(n ast.Node, v reflect.Value) bool {
	switch v.Kind() {
	case reflect.String:
		switch n.(type) {
		case *ast.StringNode, *ast.LiteralNode:
			return false
		}
		return true
	case reflect.Slice:
		_, ok := n.(*ast.SequenceNode)
		return !ok
	}
	return false
}

package jsonstat

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/grunnlag/grunnlag/internal/fault"
)

// Error is a problem with a document, located by the JSON path of the
// member at fault and, for syntax errors, by its position in the input.
// Decode, Parse and Encode return it wrapped as a fault.Invalid error, so
// callers use errors.As to reach it.
type Error struct {
	// Path is the JSON path of the offending member, for example
	// `dimension.Tid.category.index` or `value["9"]`. Empty for the document
	// as a whole.
	Path string
	// Msg says what is wrong, in English.
	Msg string
	// Offset is the byte offset of a syntax error in the input, -1 for an
	// error in the meaning of well-formed JSON.
	Offset int
	// Line and Column (1-based, column in characters) locate Offset; zero
	// when Offset is -1.
	Line, Column int
	// Err is the cause when there is one, such as a *LimitError.
	Err error
}

// Unwrap returns the cause, if any.
func (e *Error) Unwrap() error { return e.Err }

func (e *Error) Error() string {
	var b strings.Builder
	if e.Path != "" {
		b.WriteString(e.Path)
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	if e.Offset >= 0 {
		fmt.Fprintf(&b, " at line %d, column %d (byte %d)", e.Line, e.Column, e.Offset)
	}
	return b.String()
}

// invalid wraps a decoding error in the project's error vocabulary.
func invalid(err error) error {
	if err == nil {
		return nil
	}
	return fault.E(fault.Invalid, err)
}

// semErr returns an error about well-formed JSON that breaks a rule.
func semErr(path, format string, args ...any) *Error {
	return &Error{Path: path, Msg: fmt.Sprintf(format, args...), Offset: -1}
}

// syntaxErr returns an error at byte offset off of data, with line and
// column worked out only now, since errors are rare and inputs large.
func syntaxErr(data []byte, off int, msg string) *Error {
	if off > len(data) {
		off = len(data)
	}
	line := 1 + countNewlines(data[:off])
	start := 0
	if i := lastNewline(data[:off]); i >= 0 {
		start = i + 1
	}
	return &Error{Msg: msg, Offset: off, Line: line, Column: 1 + utf8.RuneCount(data[start:off])}
}

func countNewlines(b []byte) int {
	n := 0
	for _, c := range b {
		if c == '\n' {
			n++
		}
	}
	return n
}

func lastNewline(b []byte) int {
	for i := len(b) - 1; i >= 0; i-- {
		if b[i] == '\n' {
			return i
		}
	}
	return -1
}

// atPath sets the path of err when it is an *Error without one, so a syntax
// error deep in a member still names the member.
func atPath(err error, path string) error {
	var e *Error
	if errors.As(err, &e) && e.Path == "" {
		e.Path = path
	}
	return err
}

// atKey is atPath for the member k of the object at path, building the
// path only when there is an error: these calls sit in per-category and
// per-cell loops.
func atKey(err error, path string, k []byte) error {
	if err == nil {
		return nil
	}
	return atPath(err, key(path, string(k)))
}

// atElem is atPath for element i of the array at path.
func atElem(err error, path string, i int) error {
	if err == nil {
		return nil
	}
	return atPath(err, elem(path, i))
}

// join appends a member name to a JSON path: a dotted step for plain names,
// a quoted bracket for anything else.
func join(path, name string) string {
	if plainName(name) {
		if path == "" {
			return name
		}
		return path + "." + name
	}
	return path + "[" + strconv.Quote(name) + "]"
}

// key appends an object key written as a quoted bracket, the form used for
// category codes and cell indices (`index["0301"]`, `value["9"]`).
func key(path, k string) string {
	return path + "[" + strconv.Quote(k) + "]"
}

// elem appends an array index to a JSON path.
func elem(path string, i int) string {
	return path + "[" + strconv.Itoa(i) + "]"
}

func plainName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c >= '0' && c <= '9' && i > 0) {
			return false
		}
	}
	return true
}

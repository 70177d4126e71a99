package jsonstat

import "fmt"

// Limits bound what one document may ask the decoder to hold. Every count a
// document declares (a size, a number of dimensions or categories, the
// cells they multiply to) is checked against them, and against what the
// body can actually hold, before anything is allocated for it, so a small
// hostile document fails fast in constant memory. A zero field takes the
// value of DefaultLimits.
type Limits struct {
	// MaxBodyBytes is the largest document accepted.
	MaxBodyBytes int
	// MaxCells is the most cells a dataset may declare: the product of its
	// sizes, for a metadata response too (the table it describes).
	MaxCells int
	// MaxDimensions is the most dimensions a dataset may have.
	MaxDimensions int
	// MaxCategories is the most categories one dimension may have.
	MaxCategories int
	// MaxLabelBytes is the longest string the decoder keeps: labels, codes,
	// ids, units, status symbols and text values (notes excepted).
	MaxLabelBytes int
	// MaxNoteBytes is the longest note.
	MaxNoteBytes int
}

// The default limits. They leave room for the largest tables SSB serves
// (tens of millions of cells, 100+ MB bodies) while keeping a hostile
// document well inside a small machine's memory: 50 M cells are 400 MB of
// values.
const (
	DefaultMaxBodyBytes  = 512 << 20
	DefaultMaxCells      = 50_000_000
	DefaultMaxDimensions = 64
	DefaultMaxCategories = 200_000
	DefaultMaxLabelBytes = 4 << 10
	DefaultMaxNoteBytes  = 64 << 10
)

// DefaultLimits returns the limits Decode and Parse apply.
func DefaultLimits() Limits {
	return Limits{
		MaxBodyBytes:  DefaultMaxBodyBytes,
		MaxCells:      DefaultMaxCells,
		MaxDimensions: DefaultMaxDimensions,
		MaxCategories: DefaultMaxCategories,
		MaxLabelBytes: DefaultMaxLabelBytes,
		MaxNoteBytes:  DefaultMaxNoteBytes,
	}
}

// WithDefaults returns l with every zero (or negative) field set to its
// default.
func (l Limits) WithDefaults() Limits {
	d := DefaultLimits()
	fill := func(v *int, def int) {
		if *v <= 0 {
			*v = def
		}
	}
	fill(&l.MaxBodyBytes, d.MaxBodyBytes)
	fill(&l.MaxCells, d.MaxCells)
	fill(&l.MaxDimensions, d.MaxDimensions)
	fill(&l.MaxCategories, d.MaxCategories)
	fill(&l.MaxLabelBytes, d.MaxLabelBytes)
	fill(&l.MaxNoteBytes, d.MaxNoteBytes)
	return l
}

// LimitError is the cause of an error for a document that exceeds one of
// its Limits. It sits inside the *Error that names the member, so callers
// can tell "too big" from "malformed" with errors.As.
type LimitError struct {
	Limit string // the Limits field, e.g. "MaxCells"
	What  string // what was counted, e.g. "cells"
	Max   int    // the limit
	Got   int    // what the document declared or held; -1 when it overflows an int
}

func (e *LimitError) Error() string {
	if e.Got < 0 {
		return fmt.Sprintf("more %s than an int holds, over the limit of %d (%s)", e.What, e.Max, e.Limit)
	}
	return fmt.Sprintf("%d %s, over the limit of %d (%s)", e.Got, e.What, e.Max, e.Limit)
}

// limitErr returns the error for a member at path that exceeds a limit.
func limitErr(path, limit, what string, max, got int) *Error {
	le := &LimitError{Limit: limit, What: what, Max: max, Got: got}
	return &Error{Path: path, Msg: le.Error(), Offset: -1, Err: le}
}

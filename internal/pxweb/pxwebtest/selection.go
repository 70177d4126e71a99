package pxwebtest

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// selectionError is a selection the server refuses with 400 and title.
type selectionError struct {
	title, detail string
}

func (e *selectionError) Error() string { return e.title + ": " + e.detail }

// splitList splits a valueCodes query value on the commas that are not
// inside [...] or (...).
func splitList(s string) []string {
	var out []string
	depth, start := 0, 0
	for i, r := range s {
		switch r {
		case '[', '(':
			depth++
		case ']', ')':
			depth--
		case ',':
			if depth == 0 {
				out = append(out, s[start:i])
				start = i + 1
			}
		}
	}
	return append(out, s[start:])
}

// resolve returns the positions (in table order, without repeats) that the
// expressions select in dimension d.
func resolve(d *Dimension, isTime bool, exprs []string) ([]int, error) {
	picked := make(map[int]bool)
	for _, e := range exprs {
		e = strings.TrimSpace(e)
		pos, err := evaluate(d, isTime, e)
		if err != nil {
			return nil, err
		}
		for _, p := range pos {
			picked[p] = true
		}
	}
	if len(picked) == 0 {
		return nil, &selectionError{"Non-existent value", fmt.Sprintf("no value of %s selected", d.ID)}
	}
	out := make([]int, 0, len(picked))
	for p := range picked {
		out = append(out, p)
	}
	sort.Ints(out)
	return out, nil
}

// evaluate applies one selection expression: a code, "[expression]",
// "[[code]]", "*" and
// other wildcards with * and ?, top(n[,offset]), bottom(n[,offset]),
// from(x), to(x) or range(x,y). Like the reference server, top counts from
// the latest period for a time variable and from the first value otherwise.
func evaluate(d *Dimension, isTime bool, e string) ([]int, error) {
	n := len(d.Categories)
	if bracketed(e) {
		// [expr] protects an expression or code with a comma; [[code]] is
		// a code that has brackets itself.
		e = e[1 : len(e)-1]
		if bracketed(e) {
			return literal(d, e)
		}
	}
	lower := strings.ToLower(e)
	args, fn := "", ""
	for _, f := range []string{"top", "bottom", "from", "to", "range"} {
		if strings.HasPrefix(lower, f+"(") && strings.HasSuffix(lower, ")") {
			fn, args = f, e[len(f)+1:len(e)-1]
			break
		}
	}
	switch fn {
	case "top", "bottom":
		count, offset, ok := countOffset(args)
		if !ok {
			return nil, illegal(e)
		}
		fromEnd := (fn == "top") == isTime
		var out []int
		for k := offset; k < offset+count && k < n; k++ {
			if fromEnd {
				out = append(out, n-1-k)
			} else {
				out = append(out, k)
			}
		}
		return out, nil
	case "from", "to":
		p := codeIndex(d, args)
		if p < 0 {
			return nil, nonExistent(d, args)
		}
		if fn == "from" {
			return span(p, n-1), nil
		}
		return span(0, p), nil
	case "range":
		parts := strings.Split(args, ",")
		if len(parts) != 2 {
			return nil, illegal(e)
		}
		a, b := codeIndex(d, parts[0]), codeIndex(d, parts[1])
		if a < 0 {
			return nil, nonExistent(d, parts[0])
		}
		if b < 0 {
			return nil, nonExistent(d, parts[1])
		}
		return span(min(a, b), max(a, b)), nil
	}
	if strings.ContainsAny(e, "*?") {
		re, err := regexp.Compile("(?i)^" + strings.NewReplacer(`\*`, ".*", `\?`, ".").Replace(regexp.QuoteMeta(e)) + "$")
		if err != nil {
			return nil, illegal(e)
		}
		var out []int
		for k, c := range d.Categories {
			if re.MatchString(c.Code) {
				out = append(out, k)
			}
		}
		return out, nil
	}
	return literal(d, e)
}

func bracketed(e string) bool {
	return len(e) >= 2 && e[0] == '[' && e[len(e)-1] == ']'
}

// literal selects the one value with code e.
func literal(d *Dimension, e string) ([]int, error) {
	p := codeIndex(d, e)
	if p < 0 {
		return nil, nonExistent(d, e)
	}
	return []int{p}, nil
}

// codeIndex finds a code, exactly or else ignoring case (as the reference
// server does), or returns -1.
func codeIndex(d *Dimension, code string) int {
	code = strings.TrimSpace(code)
	for k, c := range d.Categories {
		if c.Code == code {
			return k
		}
	}
	for k, c := range d.Categories {
		if strings.EqualFold(c.Code, code) {
			return k
		}
	}
	return -1
}

func countOffset(args string) (count, offset int, ok bool) {
	parts := strings.Split(args, ",")
	if len(parts) > 2 {
		return 0, 0, false
	}
	count, err := strconv.Atoi(strings.TrimSpace(parts[0]))
	if err != nil || count < 1 {
		return 0, 0, false
	}
	if len(parts) == 2 {
		offset, err = strconv.Atoi(strings.TrimSpace(parts[1]))
		if err != nil || offset < 0 {
			return 0, 0, false
		}
	}
	return count, offset, true
}

func span(a, b int) []int {
	out := make([]int, 0, b-a+1)
	for k := a; k <= b; k++ {
		out = append(out, k)
	}
	return out
}

func nonExistent(d *Dimension, code string) error {
	return &selectionError{"Non-existent value", fmt.Sprintf("%s has no value %q", d.ID, code)}
}

func illegal(e string) error {
	return &selectionError{"Illegal selection expression", fmt.Sprintf("cannot read %q", e)}
}

package pxweb

import (
	"encoding/json"
	"math"
	"net/url"
	"strconv"
	"strings"

	"github.com/grunnlag/grunnlag/internal/jsonstat"
)

// selection is what one data request asks for: some values of every
// variable of the table.
type selection []variableSelection

type variableSelection struct {
	code   string   // the variable (dimension id)
	values []string // the selected codes, in metadata order
	all    bool     // values is every value of the variable: sent as "*"
}

// fullSelection selects every value of every variable of meta.
func fullSelection(meta *jsonstat.Dataset) selection {
	s := make(selection, len(meta.Dimensions))
	for i, d := range meta.Dimensions {
		codes := make([]string, len(d.Categories))
		for j, c := range d.Categories {
			codes[j] = c.Code
		}
		s[i] = variableSelection{code: d.ID, values: codes, all: true}
	}
	return s
}

// cells returns the number of cells the selection asks for, or
// math.MaxInt when that overflows.
func (s selection) cells() int {
	n := 1
	for _, v := range s {
		n = mulSat(n, len(v.values))
	}
	return n
}

// mulSat returns a*b for a, b >= 0, or math.MaxInt when that overflows.
func mulSat(a, b int) int {
	if a != 0 && b > math.MaxInt/a {
		return math.MaxInt
	}
	return a * b
}

// cellCount writes a count that may have saturated.
func cellCount(n int) string {
	if n == math.MaxInt {
		return "more than " + strconv.Itoa(math.MaxInt)
	}
	return strconv.Itoa(n)
}

// parts returns how many parts split makes of s, or math.MaxInt when that
// overflows, without making them: a hostile table can ask for 10^13.
func (s selection) parts(limit int, time []string) int {
	limit = max(limit, 1)
	total := s.cells()
	if total <= limit {
		return 1
	}
	i := s.largest(time)
	if i < 0 {
		return 1
	}
	values := s[i].values
	n := len(values)
	rest := total / n
	if rest > limit {
		// split cuts every value of variable i alike.
		return mulSat(n, s.with(i, values[:1]).parts(limit, time))
	}
	per := limit / rest
	return (n + per - 1) / per
}

// with returns a copy of s whose variable i selects values.
func (s selection) with(i int, values []string) selection {
	t := make(selection, len(s))
	copy(t, s)
	t[i] = variableSelection{code: s[i].code, values: values}
	return t
}

// largest returns the index of the variable with the most selected values,
// preferring time variables on a tie (splitting by period is what a reader
// of the parts expects), or -1 when every variable has one value.
func (s selection) largest(time []string) int {
	best := -1
	for i, v := range s {
		if len(v.values) < 2 {
			continue
		}
		if best < 0 || len(v.values) > len(s[best].values) ||
			(len(v.values) == len(s[best].values) && contains(time, v.code) && !contains(time, s[best].code)) {
			best = i
		}
	}
	return best
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// split divides s into the fewest parts of at most limit cells each, cutting
// the largest variable into even runs; when one value of it is still too
// big, each value is split again on the next largest.
func (s selection) split(limit int, time []string) []selection {
	limit = max(limit, 1)
	total := s.cells()
	if total <= limit {
		return []selection{s}
	}
	i := s.largest(time)
	if i < 0 {
		return []selection{s} // one cell; cannot be smaller
	}
	values := s[i].values
	n := len(values)
	rest := total / n
	if rest > limit {
		var parts []selection
		for _, v := range values {
			parts = append(parts, s.with(i, []string{v}).split(limit, time)...)
		}
		return parts
	}
	per := limit / rest
	k := (n + per - 1) / per
	parts := make([]selection, 0, k)
	for j, start := 0, 0; j < k; j++ {
		size := n / k
		if j < n%k {
			size++
		}
		parts = append(parts, s.with(i, values[start:start+size]))
		start += size
	}
	return parts
}

// halve splits s in two along its largest variable; ok is false when s is
// one cell.
func (s selection) halve(time []string) (a, b selection, ok bool) {
	i := s.largest(time)
	if i < 0 {
		return nil, nil, false
	}
	values := s[i].values
	h := (len(values) + 1) / 2
	return s.with(i, values[:h]), s.with(i, values[h:]), true
}

// query returns the GET query string parameters of s.
func (s selection) query(lang string) url.Values {
	v := url.Values{"lang": {lang}, "outputFormat": {"json-stat2"}}
	for _, vs := range s {
		if vs.all {
			v.Set("valueCodes["+vs.code+"]", "*")
			continue
		}
		quoted := make([]string, len(vs.values))
		for i, c := range vs.values {
			quoted[i] = quoteCode(c)
		}
		v.Set("valueCodes["+vs.code+"]", strings.Join(quoted, ","))
	}
	return v
}

// quoteCode protects a code inside a comma-separated valueCodes list: a code
// with a comma, or one that starts with a bracket, goes inside [...].
func quoteCode(c string) string {
	if strings.ContainsRune(c, ',') || strings.HasPrefix(c, "[") {
		return "[" + c + "]"
	}
	return c
}

// postBody is the JSON body of a POST data request.
type postBody struct {
	Selection []postVariable `json:"selection"`
}

type postVariable struct {
	VariableCode string   `json:"variableCode"`
	ValueCodes   []string `json:"valueCodes"`
}

// body returns the POST body of s.
func (s selection) body() []byte {
	b := postBody{Selection: make([]postVariable, len(s))}
	for i, vs := range s {
		codes := vs.values
		if vs.all {
			codes = []string{"*"}
		}
		b.Selection[i] = postVariable{VariableCode: vs.code, ValueCodes: codes}
	}
	data, err := json.Marshal(b)
	if err != nil {
		panic("pxweb: marshal selection: " + err.Error()) // strings only; cannot fail
	}
	return data
}

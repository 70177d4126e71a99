package tablediff

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/grunnlag/grunnlag/internal/jsonstat"
)

// dataset decodes a constructed JSON-stat 2.0 dataset: region × year.
func dataset(t *testing.T, years string, values, status string) *jsonstat.Dataset {
	t.Helper()
	doc := fmt.Sprintf(`{"version":"2.0","class":"dataset","label":"Konstruerte testdata",
	  "id":["Region","Tid"],"size":[2,%d],
	  "dimension":{
	    "Region":{"label":"region","category":{"index":["A","B"],"label":{"A":"Agder","B":"Buskerud"}}},
	    "Tid":{"label":"år","category":{"index":[%s]}}},
	  "value":[%s]%s}`, len(splitComma(years)), years, values, status)
	d, err := jsonstat.Decode([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func splitComma(s string) []string {
	var out []string
	start := 0
	for i := range s {
		if s[i] == ',' {
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return append(out, s[start:])
}

// row summarises a cell for comparison.
func row(c Cell) string {
	f := func(v Value) string {
		if !v.OK {
			return "–" + v.Status
		}
		return fmt.Sprint(v.V) + v.Status
	}
	return fmt.Sprintf("%v %s→%s", c.Labels, f(c.Old), f(c.New))
}

func rows(cs []Cell) []string {
	out := []string{}
	for _, c := range cs {
		out = append(out, row(c))
	}
	return out
}

func TestCompare(t *testing.T) {
	// 2019 and 2020, then 2020 and 2021: 2019 goes, 2021 comes; in 2020
	// Agder changes by 5, Buskerud by −20, and a value becomes a symbol.
	old := dataset(t, `"2019","2020"`, `1,10,2,30`, ``)
	new := dataset(t, `"2020","2021"`, `15,16,10,null`, `,"status":{"3":".."}`)
	d := Compare(old, new)
	got := map[string][]string{"added": rows(d.Added), "removed": rows(d.Removed), "changed": rows(d.Changed)}
	want := map[string][]string{
		"added":   {"[Agder 2021] –→16", "[Buskerud 2021] –→–.."},
		"removed": {"[Agder 2019] 1→–", "[Buskerud 2019] 2→–"},
		"changed": {"[Buskerud 2020] 30→10", "[Agder 2020] 10→15"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Compare mismatch (-want +got):\n%s", diff)
	}
	if d.Same != 0 || d.DimsDiffer {
		t.Errorf("Same = %d, DimsDiffer = %v; want 0, false", d.Same, d.DimsDiffer)
	}
	if same := Compare(old, old); len(same.Added)+len(same.Removed)+len(same.Changed) != 0 || same.Same != 4 {
		t.Errorf("a version compared with itself: %+v", same)
	}
}

func TestCompare_statusOnlyLast(t *testing.T) {
	old := dataset(t, `"2020","2021"`, `1,2,3,4`, ``)
	new := dataset(t, `"2020","2021"`, `1,null,3,104`, `,"status":{"1":":"}`)
	got := rows(Compare(old, new).Changed)
	want := []string{"[Buskerud 2021] 4→104", "[Agder 2021] 2→–:"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Changed mismatch (-want +got):\n%s", diff)
	}
}

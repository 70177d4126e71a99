package web

import (
	"net/url"
	"testing"
)

// TestKeptQuery: a cached route's key (and its handler) gets the
// parameters the route reads, in one order, and nothing else.
func TestKeptQuery(t *testing.T) {
	explorer := append(viewQuery, markParam+"[]", "diagram")
	for _, tt := range []struct {
		params []string
		query  string
		want   string
	}{
		{[]string{"klasse", "kommune"}, "kommune=Bergen&x=1", "kommune=Bergen"},
		{[]string{"klasse", "kommune"}, "kommune=Bergen&kommune=Oslo", "kommune=Bergen"},
		{explorer, "v.Tid=2024&v.Tid=2020&v.Tid=2024&d.Tid=rad&d.Tid=kol&utm=1", "d.Tid=rad&v.Tid=2020&v.Tid=2024"},
		{explorer, "merk=7&merk=3&diagram=alle&diagram=x", "diagram=alle&merk=3&merk=7"},
		{viewQuery, "merk=7&dx=1", ""},
		{nil, "q=patch", ""},
		{[]string{"q"}, "q=patch&q=backup", "q=patch"},
	} {
		q, err := url.ParseQuery(tt.query)
		if err != nil {
			t.Fatal(err)
		}
		if got := keptQuery(tt.params, q); got != tt.want {
			t.Errorf("keptQuery(%v, %q) = %q, want %q", tt.params, tt.query, got, tt.want)
		}
	}
}

package web

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/grunnlag/grunnlag/internal/jsonstat"
	"github.com/grunnlag/grunnlag/internal/pivot"
	"github.com/grunnlag/grunnlag/internal/store"
)

// BenchmarkXLSX writes the XLSX download of views of 10 000 and 100 000
// cells (constructed test data: rows × 10 columns), to compare time and
// memory per download:
//
//	go test -run '^$' -bench XLSX -benchmem ./internal/web
func BenchmarkXLSX(b *testing.B) {
	for _, rows := range []int{1_000, 10_000} {
		b.Run(fmt.Sprintf("cells=%d", rows*10), func(b *testing.B) {
			d := &jsonstat.Dataset{Label: "Konstruerte testdata"}
			for i, n := range []int{rows, 10} {
				dim := jsonstat.Dimension{ID: string(rune('A' + i)), Label: "dimensjon"}
				for k := range n {
					dim.Categories = append(dim.Categories, jsonstat.Category{Code: fmt.Sprint(k), Label: fmt.Sprintf("kategori %d", k)})
				}
				d.Dimensions = append(d.Dimensions, dim)
			}
			d.Values = make([]float64, d.Len())
			for i := range d.Values {
				d.Values[i] = float64(i) / 7
			}
			snap := &store.Snapshot{TableID: "99980", Title: "Konstruerte testdata", SHA256: strings.Repeat("0", 64), Data: d}
			q, _ := url.ParseQuery("d.A=row&d.B=col")
			vc := parseView(d, q)
			t, err := pivot.Build(d, vc.Spec)
			if err != nil {
				b.Fatal(err)
			}
			bv := &builtView{Choice: vc, Snapshot: snap, View: &tableView{TableID: "99980", Title: snap.Title, Publisher: "Konstruerte testdata", Pivot: t}}
			b.ResetTimer()
			for b.Loop() {
				if _, err := viewXLSX(bv, "/tabeller/99980"); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

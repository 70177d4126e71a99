package pxweb

import (
	"context"
	"fmt"
	"testing"

	"github.com/grunnlag/grunnlag/internal/pxweb/pxwebtest"
)

// BenchmarkData fetches a constructed table of 96 000 cells over loopback,
// whole and in parts, to show what splitting and merging cost.
func BenchmarkData(b *testing.B) {
	tb := pxwebtest.ConstructedTable("99001", 10, 8, 400)
	for _, maxCells := range []int{0, 10_000} {
		b.Run(fmt.Sprintf("maxCells=%d", maxCells), func(b *testing.B) {
			s := pxwebtest.New(pxwebtest.WithMaxCells(maxCells))
			defer s.Close()
			s.AddTable(tb)
			c := newTestClient(s, newClock(), nil)
			ctx := context.Background()
			meta, _, err := c.Metadata(ctx, tb.ID)
			if err != nil {
				b.Fatal(err)
			}
			parts := 0
			for b.Loop() {
				d, err := c.Data(ctx, tb.ID, meta, nil)
				if err != nil {
					b.Fatal(err)
				}
				parts = len(d.Bodies)
			}
			b.ReportMetric(float64(parts), "parts")
			b.ReportMetric(float64(len(tb.Values))*float64(b.N)/b.Elapsed().Seconds(), "cells/s")
		})
	}
}

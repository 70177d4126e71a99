package storetest

import (
	"context"
	"strconv"
	"testing"

	"github.com/grunnlag/grunnlag/internal/store"
)

// Bench saves a constructed table of about cells cells (see large) once per
// iteration, each time with new raw bodies so that every save stores a new
// snapshot, and reports the rate as "cells/s". The time covers all that
// SaveSnapshot does: checking the SHA-256, compressing the raw body (about 7
// bytes a cell), and writing the snapshot and its cells.
func Bench(b *testing.B, open func(b *testing.B) store.Archive, cells int) {
	st := open(b)
	b.Cleanup(func() {
		if err := st.Close(); err != nil {
			b.Errorf("Close() = %v", err)
		}
	})
	ctx := context.Background()
	base := large("constructed", cells, "bench")
	n := base.Cells()

	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		s := clone(base)
		s.Raw = append(s.Raw, []byte(strconv.Itoa(i)))
		s.SHA256 = sum(s.Raw)
		b.StartTimer()

		added, err := st.SaveSnapshot(ctx, s)
		if err != nil || !added {
			b.Fatalf("SaveSnapshot(%d cells) = %v, %v, want true, nil", n, added, err)
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "cells/s")
}

package report

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"

	"github.com/grunnlag/grunnlag/data"
	"github.com/grunnlag/grunnlag/internal/analysis"
	"github.com/grunnlag/grunnlag/internal/analysis/analysistest"
	"github.com/grunnlag/grunnlag/internal/catalog"
	"github.com/grunnlag/grunnlag/internal/store"
	"github.com/grunnlag/grunnlag/internal/store/sqlstore"
)

// shippedPack loads the repository's knowledge pack.
func shippedPack(tb testing.TB) *catalog.Pack {
	tb.Helper()
	p, err := catalog.LoadDirs(catalog.Dir{FS: data.FS, Path: ".", Name: "data"})
	if err != nil {
		tb.Fatalf("loading the shipped pack: %v", err)
	}
	return p
}

// testPack loads the small pack constructed for the golden tests.
func testPack(tb testing.TB) *catalog.Pack {
	tb.Helper()
	p, err := catalog.LoadDirs(analysistest.Pack())
	if err != nil {
		tb.Fatalf("loading the constructed test pack: %v", err)
	}
	return p
}

// dataOf returns the snapshots as the analysis reads them, numbered as a
// store would.
func dataOf(snaps ...*store.Snapshot) analysis.Data {
	d := analysis.Data{Snapshots: map[string]*store.Snapshot{}}
	for i, s := range snaps {
		s.ID = int64(i + 1)
		d.Snapshots[s.TableID] = s
	}
	return d
}

// build analyses the snapshots and builds the report.
func build(tb testing.TB, p *catalog.Pack, opts Options, snaps ...*store.Snapshot) *Report {
	tb.Helper()
	return Build(p, analysis.Analyze(p, dataOf(snaps...)), opts)
}

// rendered is a report written in memory.
type rendered struct {
	html, md, json []byte
}

func render(tb testing.TB, r *Report) rendered {
	tb.Helper()
	var h, m, j bytes.Buffer
	if err := r.WriteHTML(&h); err != nil {
		tb.Fatal(err)
	}
	if err := r.WriteMarkdown(&m); err != nil {
		tb.Fatal(err)
	}
	if err := r.WriteJSON(&j); err != nil {
		tb.Fatal(err)
	}
	return rendered{h.Bytes(), m.Bytes(), j.Bytes()}
}

// storeWith opens a real SQLite store in a temporary folder and saves the
// snapshots into it.
func storeWith(tb testing.TB, snaps ...*store.Snapshot) store.Store {
	tb.Helper()
	ctx := context.Background()
	st, err := sqlstore.Open(ctx, filepath.Join(tb.TempDir(), "grunnlag.db"), sqlstore.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	for _, s := range snaps {
		if _, err := st.SaveSnapshot(ctx, s); err != nil {
			tb.Fatal(err)
		}
	}
	return st
}

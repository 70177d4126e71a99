package catalog

import (
	"fmt"
	"strings"
	"testing"
	"testing/fstest"
)

// BenchmarkLoadNested loads a pack file of n nested "[" (constructed
// test data), to show what the nesting limit saves:
//
//	go test -run '^$' -bench LoadNested -benchmem ./internal/catalog
func BenchmarkLoadNested(b *testing.B) {
	for _, n := range []int{1_000, 10_000, 100_000} {
		b.Run(fmt.Sprintf("depth=%d", n), func(b *testing.B) {
			if testing.Short() && n > 10_000 {
				b.Skip("unbounded parsers take minutes here")
			}
			src := []byte("references: " + strings.Repeat("[", n) + strings.Repeat("]", n) + "\n")
			fsys := fstest.MapFS{"base.yaml": {Data: []byte(baseYAML)}, "deep.yaml": {Data: src}}
			for b.Loop() {
				if _, err := LoadDirs(Dir{FS: fsys, Path: ".", Name: "p"}); err == nil {
					b.Fatal("the deep file loaded")
				}
			}
		})
	}
}

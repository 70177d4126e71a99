package pxweb

import (
	"errors"
	"io/fs"
	"strings"
	"testing"

	"github.com/grunnlag/grunnlag/internal/fixtures"
	"github.com/grunnlag/grunnlag/internal/jsonstat"
)

// FuzzDecodeMetadata feeds DecodeMetadata what a hostile server could send
// as metadata, seeded with every recorded metadata response, and plans the
// table's data requests as Data would. Neither may panic or run away: a
// metadata document that decodes stays within the limits, its cells fit
// MaxCells, and counting its parts is cheap whatever the server's cell
// limit. Any failing input is kept in testdata/fuzz/FuzzDecodeMetadata.
func FuzzDecodeMetadata(f *testing.F) {
	err := fs.WalkDir(fixtures.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, "metadata.json") {
			b, err := fixtures.FS.ReadFile(p)
			if err != nil {
				return err
			}
			f.Add(b, uint32(800_000))
			f.Add(b, uint32(1))
		}
		return err
	})
	if err != nil {
		f.Fatal(err)
	}
	f.Add(metadataBody(3, 4, 5), uint32(7))
	lim := jsonstat.Limits{MaxCells: 1 << 22, MaxCategories: 1 << 12, MaxDimensions: 8, MaxLabelBytes: 256}
	f.Fuzz(func(t *testing.T, body []byte, serverMaxCells uint32) {
		meta, err := DecodeMetadata(body, lim)
		if err != nil {
			return
		}
		full := fullSelection(meta)
		cells := full.cells()
		if cells > lim.MaxCells || len(meta.Dimensions) == 0 {
			t.Fatalf("decoded metadata of %d dimensions and %d cells, beyond the limits", len(meta.Dimensions), cells)
		}
		limit := max(int(serverMaxCells), 1)
		n := full.parts(limit, meta.Role.Time)
		if n < 1 || n > cells {
			t.Fatalf("parts(%d) = %d for %d cells", limit, n, cells)
		}
		// Building the parts is what Data does when the count is allowed.
		if n <= DefaultMaxParts {
			if got := len(full.split(limit, meta.Role.Time)); got != n {
				t.Fatalf("parts(%d) = %d, split makes %d", limit, n, got)
			}
		}
	})
}

// TestDecodeMetadataErrors checks the kinds of DecodeMetadata's errors.
func TestDecodeMetadataErrors(t *testing.T) {
	_, err := DecodeMetadata([]byte(`{"version":"2.0","class":"dataset","id":[],"size":[],"dimension":{},"value":[]}`), jsonstat.Limits{})
	var e *jsonstat.Error
	if !errors.As(err, &e) || e.Path != "id" {
		t.Errorf("DecodeMetadata(no dimensions) = %v, want a jsonstat error at id", err)
	}
}

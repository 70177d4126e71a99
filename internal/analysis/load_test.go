package analysis

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/grunnlag/grunnlag/internal/analysis/analysistest"
	"github.com/grunnlag/grunnlag/internal/store"
	"github.com/grunnlag/grunnlag/internal/store/sqlstore"
)

// olderVintage returns a constructed 12618 fetched 30 days before the
// others, whose 2021 patch share is 19.0 % instead of 17.4 %.
func olderVintage() *store.Snapshot {
	s := analysistest.Constructed12618(analysistest.FetchedAt(-30))
	s.Data.Values[s.Data.Index(0, 1, 0, 1)] = 19.0 // patches, har ikke, kommuner, 2021
	s.Raw = [][]byte{[]byte("konstruert eldre versjon")}
	s.SHA256 = ""
	return s
}

// TestLoad reads the snapshots from a real SQLite store: the newest, or
// the newest as of a date; a table never synced is absent.
func TestLoad(t *testing.T) {
	ctx := context.Background()
	st, err := sqlstore.Open(ctx, filepath.Join(t.TempDir(), "g.db"), sqlstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for _, s := range []*store.Snapshot{olderVintage(), analysistest.Constructed12618(analysistest.FetchedAt(0))} {
		if _, err := st.SaveSnapshot(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	p := shippedPack(t)
	tests := []struct {
		name  string
		asOf  time.Time
		share float64
	}{
		{"newest", time.Time{}, 17.4},
		{"as of a date between the vintages", analysistest.FetchedAt(-10), 19.0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := Load(ctx, st, p, tt.asOf)
			if err != nil {
				t.Fatal(err)
			}
			if got := len(d.Snapshots); got != 1 {
				t.Errorf("Load() has %d snapshots, want only 12618's", got)
			}
			ind := mustIndicator(t, Analyze(p, d), "sikkerhetspatcher-mangler")
			if ind.Reference == nil || ind.Reference.Share != tt.share {
				t.Errorf("2021 = %+v (%s), want %v %%", ind.Reference, ind.Problem, tt.share)
			}
		})
	}
	if d, err := Load(ctx, st, p, analysistest.FetchedAt(-60)); err != nil || len(d.Snapshots) != 0 {
		t.Errorf("Load() before any fetch = %d snapshots, %v; want none, no error", len(d.Snapshots), err)
	}
}

package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/grunnlag/grunnlag/internal/fault"
	"github.com/grunnlag/grunnlag/internal/store"
)

// testSnapshotAsOf saves three versions fetched a minute apart, then a file
// fetched between the first two but imported last, and asks which snapshot
// a report of a given time saw: the one with the latest fetch time at or
// before it.
func testSnapshotAsOf(t *testing.T, st store.Archive) {
	ctx := context.Background()
	v1, v2, v3 := version("12041", 1), version("12041", 2), version("12041", 3)
	imported := version("12041", 4)
	imported.FetchedAt = fetchedAt(1).Add(30 * time.Second)
	for _, s := range []*store.Snapshot{v1, v2, v3, imported} {
		save(t, st, s, true)
	}
	save(t, st, version("05810", 9), true)

	utc := func(t time.Time) time.Time { return t.UTC() }
	tests := []struct {
		name  string
		table string
		at    time.Time
		want  *store.Snapshot // nil: fault.NotFound
	}{
		{"before the first", "12041", fetchedAt(1).Add(-time.Microsecond), nil},
		{"at the first", "12041", fetchedAt(1), v1},
		{"at the first, in UTC", "12041", utc(fetchedAt(1)), v1},
		{"between the first and the import", "12041", fetchedAt(1).Add(29 * time.Second), v1},
		{"after the import", "12041", fetchedAt(1).Add(31 * time.Second), imported},
		{"just before the second", "12041", fetchedAt(2).Add(-time.Microsecond), imported},
		{"at the second", "12041", fetchedAt(2), v2},
		{"long after", "12041", fetchedAt(60 * 24 * 365), v3},
		{"other table", "05810", fetchedAt(8), nil},
		{"unknown table", "99999", fetchedAt(100), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			call := fmt.Sprintf("SnapshotAsOf(%q, %v)", tt.table, tt.at)
			got, err := st.SnapshotAsOf(ctx, tt.table, tt.at)
			if tt.want == nil {
				wantKind(t, call, err, fault.NotFound)
				return
			}
			if err != nil {
				t.Fatalf("%s = %v", call, err)
			}
			if diff := diffSnapshot(stored(tt.want), got); diff != "" {
				t.Errorf("%s mismatch (-want +got):\n%s", call, diff)
			}
		})
	}
}

package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/grunnlag/grunnlag/internal/fault"
	"github.com/grunnlag/grunnlag/internal/store"
)

func testSyncAttempts(t *testing.T, st store.Archive) {
	ctx := context.Background()
	s := version("12041", 1)
	save(t, st, s, true)

	at := func(minutes int) time.Time { return fetchedAt(minutes).UTC() }
	added := store.SyncAttempt{TableID: "12041", StartedAt: at(10), FinishedAt: at(11), Outcome: store.Added, SnapshotID: s.ID}
	failed := store.SyncAttempt{TableID: "12041", StartedAt: at(20), FinishedAt: at(20).Add(1500 * time.Microsecond),
		Outcome: store.Failed, Error: "pxweb: 429 too many requests – prøv igjen"}
	unchanged := store.SyncAttempt{TableID: "12041", StartedAt: at(30), FinishedAt: at(31), Outcome: store.Unchanged, SnapshotID: s.ID}
	other := store.SyncAttempt{TableID: "05810", StartedAt: at(25), FinishedAt: at(26), Outcome: store.Failed, Error: "timeout"}

	// Recorded out of order: the store sorts by start time.
	for _, a := range []store.SyncAttempt{failed, other, unchanged, added} {
		if err := st.RecordSync(ctx, a); err != nil {
			t.Fatalf("RecordSync(%+v) = %v", a, err)
		}
	}

	tests := []struct {
		table string
		limit int
		want  []store.SyncAttempt
	}{
		{"12041", 10, []store.SyncAttempt{unchanged, failed, added}},
		{"12041", 2, []store.SyncAttempt{unchanged, failed}},
		{"12041", 0, []store.SyncAttempt{unchanged, failed, added}}, // 0: no limit
		{"05810", 10, []store.SyncAttempt{other}},
		{"99999", 10, nil},
	}
	for _, tt := range tests {
		got, err := st.SyncAttempts(ctx, tt.table, tt.limit)
		if err != nil {
			t.Errorf("SyncAttempts(%q, %d) = %v", tt.table, tt.limit, err)
			continue
		}
		if len(got) == 0 && len(tt.want) == 0 {
			continue
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("SyncAttempts(%q, %d) mismatch (-want +got):\n%s", tt.table, tt.limit, diff)
		}
	}

	all, err := st.AllSyncAttempts(ctx)
	if err != nil {
		t.Fatalf("AllSyncAttempts() = %v", err)
	}
	if diff := cmp.Diff([]store.SyncAttempt{added, failed, other, unchanged}, all); diff != "" {
		t.Errorf("AllSyncAttempts() mismatch (-want +got):\n%s", diff)
	}

	// An attempt whose error text a store cannot keep is recorded with the
	// text made storable, not lost.
	garbled := store.SyncAttempt{TableID: "05810", StartedAt: at(40), FinishedAt: at(41), Outcome: store.Failed, Error: "svar \xff\x00slutt"}
	if err := st.RecordSync(ctx, garbled); err != nil {
		t.Fatalf("RecordSync(error text with NUL and invalid UTF-8) = %v", err)
	}
	got, err := st.SyncAttempts(ctx, "05810", 1)
	if err != nil || len(got) != 1 || got[0].Error != "svar \uFFFDslutt" {
		t.Errorf("SyncAttempts(05810, 1) = %+v, %v, want the error text %q", got, err, "svar \uFFFDslutt")
	}

	invalid := []struct {
		name string
		a    store.SyncAttempt
	}{
		{"no table id", store.SyncAttempt{StartedAt: at(1), FinishedAt: at(2), Outcome: store.Failed}},
		{"unknown outcome", store.SyncAttempt{TableID: "12041", StartedAt: at(1), FinishedAt: at(2), Outcome: "maybe"}},
		{"missing snapshot", store.SyncAttempt{TableID: "12041", StartedAt: at(1), FinishedAt: at(2), Outcome: store.Added, SnapshotID: s.ID + 1000}},
	}
	for _, tt := range invalid {
		wantKind(t, "RecordSync("+tt.name+")", st.RecordSync(ctx, tt.a), fault.Invalid)
	}
	got, err = st.SyncAttempts(ctx, "12041", 0)
	if err != nil || len(got) != 3 {
		t.Errorf("SyncAttempts(12041) after refused records = %d attempts, %v, want 3, nil", len(got), err)
	}
}

package storetest

import (
	"context"
	"sync"
	"testing"

	"github.com/grunnlag/grunnlag/internal/store"
)

// RunTwoHandles saves the same content through two stores open on one
// database, as two processes would, at once and round after round: each
// time one stores it and the other finds it, and both report the same id.
// The caller closes the stores.
func RunTwoHandles(t *testing.T, a, b store.Archive) {
	ctx := context.Background()
	const rounds = 5
	stores := [2]store.Archive{a, b}
	for r := range rounds {
		var (
			wg    sync.WaitGroup
			added [2]bool
			ids   [2]int64
			errs  [2]error
		)
		start := make(chan struct{})
		for i, st := range stores {
			wg.Add(1)
			go func() {
				defer wg.Done()
				s := version("12041", r+1)
				<-start
				added[i], errs[i] = st.SaveSnapshot(ctx, s)
				ids[i] = s.ID
			}()
		}
		close(start)
		wg.Wait()
		if errs[0] != nil || errs[1] != nil {
			t.Fatalf("round %d: SaveSnapshot() = %v, %v", r, errs[0], errs[1])
		}
		if added[0] == added[1] || ids[0] != ids[1] {
			t.Errorf("round %d: added %v, ids %v, want one added and the same id", r, added, ids)
		}
	}
	for i, st := range stores {
		list, err := st.Snapshots(ctx, "12041")
		if err != nil || len(list) != rounds {
			t.Errorf("store %d: Snapshots() = %d, %v, want %d, nil", i, len(list), err, rounds)
		}
	}
}

package backend

import (
	"context"
	"fmt"

	"github.com/grunnlag/grunnlag/internal/store"
)

// Newest returns the id and SHA-256 of the newest snapshot of a table, or
// 0 and "" when it has none.
type Newest func(ctx context.Context, tableID string) (id int64, sha string, err error)

// Write stores the rows of s and its cells in one transaction and returns
// the new snapshot's id, unless, looked at again inside that transaction,
// the table's newest snapshot has s.SHA256 by then: then it stores nothing
// and returns that snapshot's id with added false.
type Write func(ctx context.Context, s *store.Snapshot, rows *Rows) (id int64, added bool, err error)

// Save is Store.SaveSnapshot as the SQL stores do it. It refuses what
// s.Validate refuses, answers unchanged content, the common case of a sync,
// with one read, encodes s before write begins its transaction, so that
// other writers wait less, and sets s.ID only when it succeeds.
func Save(ctx context.Context, s *store.Snapshot, newest Newest, write Write) (added bool, err error) {
	if err := s.Validate(); err != nil {
		return false, err
	}
	// The answer holds: it is what a save at the moment of the read gives.
	id, sha, err := newest(ctx, s.TableID)
	if err != nil {
		return false, fmt.Errorf("save table %s: %w", s.TableID, err)
	}
	if id != 0 && sha == s.SHA256 {
		s.ID = id
		return false, nil
	}
	rows, err := Encode(s)
	if err != nil {
		return false, fmt.Errorf("table %s: %w", s.TableID, err)
	}
	if id, added, err = write(ctx, s, rows); err != nil {
		return false, fmt.Errorf("save table %s: %w", s.TableID, err)
	}
	s.ID = id
	return added, nil
}

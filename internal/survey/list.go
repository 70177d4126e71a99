package survey

import (
	"context"
	"time"

	"github.com/grunnlag/grunnlag/internal/store"
)

// Rounds lists every round, newest year first. A round holds no answers;
// who may see which (members see open and closed rounds, administrators
// drafts too) is the caller's to decide.
func (s *Service) Rounds(ctx context.Context) ([]store.Round, error) {
	return s.st.Rounds(ctx)
}

// Submissions returns the organisations that have submitted in a round,
// by id, with when. It holds no answers.
func (s *Service) Submissions(ctx context.Context, roundID string) (map[int64]time.Time, error) {
	return s.st.Submissions(ctx, roundID)
}

package web

import "github.com/grunnlag/grunnlag/internal/store"

// watchChanges forgets the cache whenever the store's change counter
// moves, so that several servers on one database show a snapshot, a sync
// attempt or a pack stored by any of them (or by grunnlag import) within
// about a second, instead of after tableListTTL. The first value is where
// the counter stands at the start; the server's own writes move it too,
// which costs one more reading of the store.
func (s *Server) watchChanges(co store.Coordination) {
	defer s.wg.Done()
	last, seen := int64(0), false
	for n := range co.Changes(s.ctx) {
		if seen && n != last {
			s.cache.invalidate()
			s.metrics.invalidations.Inc()
		}
		last, seen = n, true
	}
}

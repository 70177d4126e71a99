package web

import (
	"context"
	"net/http"
	"time"
)

// health is the answer of /healthz.
type health struct {
	Status  string `json:"status"` // "ok" or "feil"
	Schema  int    `json:"schema,omitempty"`
	Version string `json:"version,omitempty"`
}

// healthz says whether the database answers: 200 when it does, 503 when it
// does not (a load balancer takes the server out of rotation).
func (s *Server) healthz(w http.ResponseWriter, r *http.Request) error {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	v, err := s.cfg.Store.SchemaVersion(ctx)
	w.Header().Set("Cache-Control", "no-store")
	if err != nil {
		s.log.Error("health: store", "err", err)
		return writeJSON(w, http.StatusServiceUnavailable, health{Status: "feil", Version: s.cfg.Version})
	}
	return writeJSON(w, http.StatusOK, health{Status: "ok", Schema: v, Version: s.cfg.Version})
}

package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/grunnlag/grunnlag/internal/fault"
	"github.com/grunnlag/grunnlag/internal/ingest"
	"github.com/grunnlag/grunnlag/internal/store"
)

// syncState follows the server's background sync: at most one runs at a
// time, and its progress and last results are kept for the pages and the
// API.
type syncState struct {
	mu     sync.Mutex
	status SyncStatus
	steps  uint64 // counts changes of status, for keys of kept answers
}

// version returns a number that changes whenever the status does.
func (ss *syncState) version() uint64 {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	return ss.steps
}

// SyncStatus is the state of the server's sync as the sync page and
// GET /api/v1/sync show it.
type SyncStatus struct {
	Running    bool         `json:"running"`
	Reason     string       `json:"reason,omitempty"` // what started it: "oppstart" or "knapp"
	StartedAt  time.Time    `json:"started_at,omitzero"`
	FinishedAt time.Time    `json:"finished_at,omitzero"`
	Total      int          `json:"total"`             // tables in the run
	Done       int          `json:"done"`              // tables finished
	Current    string       `json:"current,omitempty"` // the table being worked on
	Stage      string       `json:"stage,omitempty"`   // what is being done to it, bokmål
	PartsDone  int          `json:"parts_done"`        // data requests done for the current table
	PartsTotal int          `json:"parts_total"`       // data requests the current table needs
	Results    []SyncResult `json:"results,omitempty"` // finished tables, in order
	Message    string       `json:"message,omitempty"` // a summary, bokmål, when finished
}

// SyncResult is the outcome for one table of a sync.
type SyncResult struct {
	TableID string        `json:"table_id"`
	Title   string        `json:"title,omitempty"`
	Outcome store.Outcome `json:"outcome"`
	Updated string        `json:"updated,omitempty"`
	Cells   int           `json:"cells"`
	Error   string        `json:"error,omitempty"` // bokmål, safe to show: the reason and what was kept
	// Skipped is true for a table not tried because the server could not
	// be reached for an earlier one.
	Skipped bool `json:"skipped,omitempty"`
}

// Percent is how far the run has come, 0–100, counting the parts of the
// current table.
func (st SyncStatus) Percent() int {
	if st.Total == 0 {
		if st.Running {
			return 0
		}
		return 100
	}
	done := float64(st.Done)
	if st.PartsTotal > 0 && st.Running {
		done += float64(st.PartsDone) / float64(st.PartsTotal)
	}
	return int(100 * done / float64(st.Total))
}

func newSyncState() *syncState { return &syncState{} }

func (ss *syncState) snapshot() SyncStatus {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	st := ss.status
	st.Results = append([]SyncResult(nil), st.Results...)
	return st
}

// errSyncRunning answers a request to start a sync while one runs.
var errSyncRunning = fault.WithUser(fault.Conflict, "En synkronisering pågår allerede.", errors.New("a sync is already running"))

// StartSync starts syncing the registered tables in the background; reason
// says why ("oppstart" at start-up, "knapp" from the web). It returns at
// once; the sync page and GET /api/v1/sync follow the progress. An error
// of kind Conflict means a sync is already running; Unavailable that the
// server has no SyncFunc.
func (s *Server) StartSync(reason string) error {
	if s.cfg.Sync == nil {
		return fault.WithUser(fault.Unavailable, "Denne tjeneren er startet uten synkronisering.", errors.New("no sync configured"))
	}
	ss := s.sync
	ss.mu.Lock()
	if ss.status.Running {
		ss.mu.Unlock()
		return errSyncRunning
	}
	ss.status = SyncStatus{Running: true, Reason: reason, StartedAt: s.now()}
	ss.steps++
	ss.mu.Unlock()

	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		obs := &syncObserver{s: s}
		s.log.Info("sync started", "reason", reason)
		rs := s.cfg.Sync(s.ctx, obs)
		obs.End()
		failed := len(ingest.Failed(rs))
		s.log.Info("sync finished", "tables", len(rs), "failed", failed)
	}()
	return nil
}

// WaitSync blocks until no background sync runs or ctx is done. Tests and
// the command line use it.
func (s *Server) WaitSync(ctx context.Context) error {
	t := time.NewTicker(20 * time.Millisecond)
	defer t.Stop()
	for {
		if !s.sync.snapshot().Running {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
}

// syncObserver records progress in the server's sync state. ingest calls it
// from one goroutine at a time.
type syncObserver struct{ s *Server }

func (o *syncObserver) update(f func(*SyncStatus)) {
	ss := o.s.sync
	ss.mu.Lock()
	f(&ss.status)
	ss.steps++
	ss.mu.Unlock()
}

func (o *syncObserver) Start(total int) {
	o.update(func(st *SyncStatus) { st.Total = total })
}

func (o *syncObserver) Stage(item string, stage ingest.Stage) {
	o.update(func(st *SyncStatus) {
		if st.Current != item {
			st.PartsDone, st.PartsTotal = 0, 0
		}
		st.Current, st.Stage = item, stage.Text()
	})
}

func (o *syncObserver) Parts(item string, done, total int) {
	o.update(func(st *SyncStatus) {
		st.Current, st.PartsDone, st.PartsTotal = item, done, total
	})
}

func (o *syncObserver) Finish(r ingest.Result) {
	o.s.metrics.syncResult(r.Outcome)
	if r.Outcome == store.Added {
		o.s.cache.invalidate()
	}
	res := SyncResult{TableID: r.TableID, Title: r.Title, Outcome: r.Outcome, Updated: r.Updated, Cells: r.Cells}
	if res.TableID == "" {
		res.TableID = r.Item
	}
	if r.Err != nil {
		res.Error = fault.UserMessage(r.Err) + " " + ingest.KeptText(r.Kept)
		res.Skipped = r.Skipped
		if !r.Skipped {
			o.s.log.Warn("sync failed", "table", res.TableID, "err", r.Err)
		}
	}
	// The table's attempts changed whatever the outcome: the table list
	// must show this one at once.
	o.s.cache.invalidate()
	o.update(func(st *SyncStatus) {
		st.Done++
		st.Results = append(st.Results, res)
		st.Current, st.Stage, st.PartsDone, st.PartsTotal = "", "", 0, 0
	})
}

func (o *syncObserver) End() {
	o.s.cache.invalidate() // attempts changed even where no snapshot did
	o.update(func(st *SyncStatus) {
		if !st.Running {
			return
		}
		st.Running = false
		st.FinishedAt = o.s.now()
		st.Current, st.Stage = "", ""
		st.Message = syncSummary(st.Results)
	})
}

func syncSummary(rs []SyncResult) string {
	var added, same, failed int
	for _, r := range rs {
		switch r.Outcome {
		case store.Added:
			added++
		case store.Unchanged:
			same++
		case store.Failed:
			failed++
		}
	}
	msg := plural(added, "ny versjon", "nye versjoner") + ", " + plural(same, "tabell uendret", "tabeller uendret")
	if failed > 0 {
		msg += ", " + plural(failed, "tabell feilet", "tabeller feilet")
	}
	skipped := 0
	for _, r := range rs {
		if r.Skipped {
			skipped++
		}
	}
	if skipped > 0 {
		msg += fmt.Sprintf(". Serveren kunne ikke nås, så %s ble ikke forsøkt; lagrede versjoner er beholdt", plural(skipped, "tabell", "tabeller"))
	}
	return msg + "."
}

// syncPage shows the sync's progress and last results.
func (s *Server) syncPage(w http.ResponseWriter, r *http.Request) error {
	st := s.sync.snapshot()
	p := &syncPage{Sync: st, CanSync: s.authorize(r, analysts) == nil, HasSync: s.cfg.Sync != nil}
	p.setBase("Synkronisering", "tabeller")
	if st.Running {
		p.Refresh = 2
	} else if labels, err := s.labelHealth(r.Context()); err != nil {
		// The page shows the sync whatever the check finds.
		s.log.Error("label health", "err", err)
	} else {
		p.Labels, p.LabelsChecked = labels, true
	}
	return s.render(w, http.StatusOK, p)
}

// syncStart starts a sync from the form on the table and sync pages, then
// sends the browser to the sync page (POST, redirect, GET). A sync that
// already runs is not an error here: the page shows it.
func (s *Server) syncStart(w http.ResponseWriter, r *http.Request) error {
	// The form carries no fields, but reading it enforces the body limit.
	if err := r.ParseForm(); err != nil {
		return fault.E(fault.Invalid, fmt.Errorf("sync form: %w", err))
	}
	if err := s.StartSync("knapp"); err != nil && !errors.Is(err, errSyncRunning) {
		return err
	}
	http.Redirect(w, r, "/synk", http.StatusSeeOther)
	return nil
}

func (s *Server) apiSyncStatus(w http.ResponseWriter, r *http.Request) error {
	return writeJSON(w, http.StatusOK, s.sync.snapshot())
}

func (s *Server) apiSyncStart(w http.ResponseWriter, r *http.Request) error {
	if err := s.StartSync("api"); err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/sync")
	return writeJSON(w, http.StatusAccepted, s.sync.snapshot())
}

package ingest

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strings"
	"time"

	"github.com/grunnlag/grunnlag/internal/fault"
	"github.com/grunnlag/grunnlag/internal/jsonstat"
	"github.com/grunnlag/grunnlag/internal/pxweb"
	"github.com/grunnlag/grunnlag/internal/store"
)

// Client is what syncing needs from a PxWeb client.
type Client interface {
	Table(ctx context.Context, id string) (pxweb.Table, error)
	Metadata(ctx context.Context, id string) (*jsonstat.Dataset, []byte, error)
	Data(ctx context.Context, id string, meta *jsonstat.Dataset, progress func(done, total int)) (*pxweb.Data, error)
}

// Syncer fetches tables from a PxWeb server into the store.
type Syncer struct {
	client   Client
	store    Store
	observer Observer
	log      *slog.Logger
	now      func() time.Time
	lang     string
}

// SyncerConfig holds a Syncer's dependencies. Observer, Logger and Now may
// be nil.
type SyncerConfig struct {
	Client   Client
	Store    Store
	Observer Observer
	Logger   *slog.Logger
	Now      func() time.Time
	Lang     string // the language the client asks for; recorded with each snapshot
}

// NewSyncer returns a Syncer.
func NewSyncer(c SyncerConfig) *Syncer {
	s := &Syncer{client: c.Client, store: c.Store, observer: c.Observer, log: c.Logger, now: c.Now, lang: c.Lang}
	if s.observer == nil {
		s.observer = nopObserver{}
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.now == nil {
		s.now = time.Now
	}
	return s
}

// Sync brings each table up to date, one after the other. A table whose
// server-side "updated" equals that of its newest stored snapshot is not
// fetched again. The results follow the order of ids.
func (s *Syncer) Sync(ctx context.Context, ids []string) []Result {
	s.observer.Start(len(ids))
	defer s.observer.End()
	results := make([]Result, 0, len(ids))
	var unreachable error // set once the server cannot be reached at all
	for _, id := range ids {
		started := stamp(s.now())
		var r Result
		if unreachable != nil {
			r = Result{Item: id, TableID: id, Outcome: store.Failed, Skipped: true, Err: fmt.Errorf("table %s: skipped: %w", id, unreachable)}
		} else {
			r = s.syncTable(ctx, id)
			if isUnreachable(r.Err) {
				unreachable = r.Err
			}
		}
		if r.Err != nil {
			r.Kept = kept(ctx, s.store, r.TableID)
		}
		recordAttempt(ctx, s.store, s.log, started, stamp(s.now()), r)
		s.observer.Finish(r)
		results = append(results, r)
	}
	return results
}

// kept returns the newest stored version of a table, which a failed
// attempt leaves current; nil when none is stored (or the store cannot
// say).
func kept(ctx context.Context, st Store, tableID string) *store.SnapshotInfo {
	if tableID == "" || !store.ValidTableID(tableID) {
		return nil
	}
	vs, err := st.Snapshots(context.WithoutCancel(ctx), tableID)
	if err != nil || len(vs) == 0 {
		return nil
	}
	return &vs[0]
}

func (s *Syncer) syncTable(ctx context.Context, id string) Result {
	r := Result{Item: id, TableID: id, Outcome: store.Failed}
	fail := func(err error) Result {
		r.Err = fmt.Errorf("table %s: %w", id, err)
		return r
	}
	if !store.ValidTableID(id) {
		return fail(fault.Errorf(fault.Invalid, "%q is not a table id", id))
	}
	if err := ctx.Err(); err != nil {
		return fail(err)
	}
	// Every request for this table shares one retry budget, so a server
	// that keeps answering "later" cannot hold the sync on one table.
	ctx = pxweb.WithRetryBudget(ctx)

	s.observer.Stage(id, StageCheck)
	info, err := s.client.Table(ctx, id)
	if fault.Is(err, fault.NotFound) {
		return fail(fault.WithUser(fault.NotFound, fmt.Sprintf(
			"Statistikkserveren har ingen tabell %s. Sjekk tabellnummeret (SSBs tabeller har fem sifre, som 12041).", id), err))
	}
	if isUnreachable(err) {
		return fail(fault.WithUser(fault.Unavailable, "Får ikke kontakt med statistikkserveren (nettverk eller brannmur). Last ned tabellen som JSON-stat 2.0 og bruk «grunnlag import FIL».", err))
	}
	if err != nil {
		return fail(err)
	}
	r.Title, r.Updated = title(info.Label), info.Updated
	prev, err := s.store.Snapshots(ctx, id)
	if err != nil {
		return fail(err)
	}
	if len(prev) > 0 && info.Updated != "" && prev[0].Updated == info.Updated {
		s.log.Info("table unchanged", "table", id, "updated", info.Updated)
		r.Outcome, r.SnapshotID, r.Cells, r.Title = store.Unchanged, prev[0].ID, prev[0].Cells, prev[0].Title
		return r
	}

	s.observer.Stage(id, StageMetadata)
	meta, _, err := s.client.Metadata(ctx, id)
	if err != nil {
		return fail(err)
	}
	s.observer.Stage(id, StageData)
	data, err := s.client.Data(ctx, id, meta, func(done, total int) { s.observer.Parts(id, done, total) })
	if err != nil {
		return fail(err)
	}
	updated := info.Updated
	if updated == "" {
		updated = data.Dataset.Updated
	}
	snap := &store.Snapshot{
		TableID:   id,
		Title:     title(data.Dataset.Label),
		Lang:      s.lang,
		Updated:   updated,
		FetchedAt: stamp(s.now()),
		Source:    sourceOf(data.URLs),
		SHA256:    digest(data.Bodies),
		Raw:       data.Bodies,
		Data:      data.Dataset,
	}
	if snap.Title == "" {
		snap.Title = r.Title
	}
	r.Parts = len(data.Bodies)
	return saveSnapshot(ctx, s.store, s.observer, r, snap)
}

// saveSnapshot stores snap and completes r.
func saveSnapshot(ctx context.Context, st Store, obs Observer, r Result, snap *store.Snapshot) Result {
	obs.Stage(r.Item, StageSave)
	added, err := st.SaveSnapshot(ctx, snap)
	if err != nil {
		r.Outcome = store.Failed
		r.Err = fmt.Errorf("table %s: save: %w", snap.TableID, err)
		return r
	}
	r.TableID, r.Title, r.Updated = snap.TableID, snap.Title, snap.Updated
	r.SnapshotID, r.Cells = snap.ID, snap.Cells()
	r.Outcome = store.Added
	if !added {
		r.Outcome = store.Unchanged
	}
	return r
}

// recordAttempt stores the attempt. It still runs when ctx was cancelled
// (Ctrl-C), so the failure is on record.
func recordAttempt(ctx context.Context, st Store, log *slog.Logger, started, finished time.Time, r Result) {
	if r.TableID == "" || !store.ValidTableID(r.TableID) {
		return
	}
	a := store.SyncAttempt{
		TableID:    r.TableID,
		StartedAt:  started,
		FinishedAt: finished,
		Outcome:    r.Outcome,
		SnapshotID: r.SnapshotID,
	}
	if r.Err != nil {
		a.Error = AttemptError(r.Err)
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if err := st.RecordSync(ctx, a); err != nil && !errors.Is(err, context.Canceled) {
		log.Warn("could not record sync attempt", "table", r.TableID, "err", err)
	}
}

// isUnreachable reports whether err means the server could not be reached
// at all (no route, refused, unknown host), as behind a firewall. Then the
// remaining tables are not tried: each would wait out its retries in vain.
func isUnreachable(err error) bool {
	var op *net.OpError
	return pxweb.Unreachable(err) || (errors.As(err, &op) && op.Op == "dial")
}

// sourceOf describes where a snapshot came from: its data URLs, each once,
// separated by spaces (parts fetched by POST share one URL).
func sourceOf(urls []string) string {
	var out []string
	seen := make(map[string]bool)
	for _, u := range urls {
		if !seen[u] {
			seen[u] = true
			out = append(out, u)
		}
	}
	return strings.Join(out, " ")
}

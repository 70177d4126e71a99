// Package store defines what grunnlag keeps: versioned snapshots of
// statistics tables with their provenance, the record of sync attempts, and
// the knowledge pack with its full-text search. It also holds what every
// implementation must agree on: the validation of what is stored, the
// search semantics, and Copy between stores. The SQL lives in the
// implementation, store/sqlstore (SQLite and PostgreSQL), which passes the
// suite in store/storetest.
package store

import (
	"context"
	"time"

	"github.com/grunnlag/grunnlag/internal/jsonstat"
)

// Snapshot is one version of a statistics table, as fetched from a PxWeb
// server or imported from a file.
type Snapshot struct {
	ID        int64 // assigned by the store
	TableID   string
	Title     string
	Lang      string    // language of labels: "no", "en"; empty if unknown
	Updated   string    // the source's own "updated", verbatim
	FetchedAt time.Time // when grunnlag fetched or imported it (UTC)
	Source    string    // URL of the data request(s), or the imported file's path
	SHA256    string    // hex SHA-256 of the raw bodies concatenated in order

	// Raw holds the response bodies (or the file) exactly as received, in
	// request order; a table fetched in parts has several. Kept compressed,
	// so the snapshot can be decoded again later. Loaded only by SnapshotRaw.
	Raw [][]byte

	// Data holds dimensions, categories and cells.
	Data *jsonstat.Dataset
}

// Cells returns the number of cells of the snapshot's data.
func (s *Snapshot) Cells() int {
	if s.Data == nil {
		return 0
	}
	return s.Data.Len()
}

// Info describes s without its data, as Snapshots lists it.
func (s *Snapshot) Info() SnapshotInfo {
	return SnapshotInfo{
		ID: s.ID, TableID: s.TableID, Title: s.Title, Lang: s.Lang, Updated: s.Updated,
		FetchedAt: s.FetchedAt.UTC(), Source: s.Source, SHA256: s.SHA256, Cells: s.Cells(),
	}
}

// SnapshotInfo describes a stored snapshot without its data.
type SnapshotInfo struct {
	ID        int64
	TableID   string
	Title     string
	Lang      string
	Updated   string
	FetchedAt time.Time
	Source    string
	SHA256    string
	Cells     int
}

// TableSummary describes a table by its newest snapshot.
type TableSummary struct {
	Latest    SnapshotInfo
	Snapshots int // how many versions are stored
}

// SyncAttempt records one attempt to sync or import a table, successful or not.
type SyncAttempt struct {
	TableID    string
	StartedAt  time.Time
	FinishedAt time.Time
	Outcome    Outcome
	SnapshotID int64  // the snapshot stored or found current; 0 when none
	Error      string // English detail when Outcome is Failed
}

// Outcome is the result of a sync attempt.
type Outcome string

// The outcomes of a sync attempt.
const (
	Added     Outcome = "added"     // a new snapshot was stored
	Unchanged Outcome = "unchanged" // the source had nothing new
	Failed    Outcome = "failed"    // nothing was stored
)

// CatalogEntry is one entry of the knowledge pack as the store keeps it for
// listing and full-text search.
type CatalogEntry struct {
	Kind    string // "document", "finding", "activity", "need", ...
	ID      string // unique per kind
	Summary string // one line, bokmål
	Text    string // every human text of the entry, for search
	Pack    string // the pack the entry came from
	File    string
	Line    int
	Data    []byte // the whole entry as JSON
}

// CatalogLoad is a whole knowledge pack, stored as one unit.
type CatalogLoad struct {
	Digest   string // hex SHA-256 over the pack's files; equal digest, same pack
	Packs    []string
	LoadedAt time.Time
	Entries  []CatalogEntry
}

// CatalogInfo describes the stored knowledge pack.
type CatalogInfo struct {
	Digest   string
	Packs    []string
	LoadedAt time.Time
	Entries  int
}

// SearchHit is one entry found by a search.
type SearchHit struct {
	Entry   CatalogEntry // Data not loaded
	Snippet string       // a short part of Text around the match
	// Score orders hits, higher first. Whole-word and prefix matches always
	// score above matches inside a longer word.
	Score float64
}

// Store is the persistence grunnlag needs. Every method is safe for
// concurrent use. Methods that find nothing return an error of kind
// fault.NotFound.
type Store interface {
	// SaveSnapshot stores s and its cells in one transaction and sets s.ID.
	// When the table's newest snapshot already has s.SHA256, nothing is
	// stored, s.ID is set to that snapshot's id and added is false. Either
	// the whole snapshot is stored or nothing is.
	SaveSnapshot(ctx context.Context, s *Snapshot) (added bool, err error)

	// LatestSnapshot returns the newest snapshot of a table with its data
	// (Raw not loaded).
	LatestSnapshot(ctx context.Context, tableID string) (*Snapshot, error)

	// Snapshot returns one snapshot with its data (Raw not loaded).
	Snapshot(ctx context.Context, id int64) (*Snapshot, error)

	// Snapshots lists the versions of a table, newest first; none is an
	// empty list.
	Snapshots(ctx context.Context, tableID string) ([]SnapshotInfo, error)

	// Tables lists every table that has a snapshot, by table id.
	Tables(ctx context.Context) ([]TableSummary, error)

	// RecordSync stores a sync attempt.
	RecordSync(ctx context.Context, a SyncAttempt) error

	// SyncAttempts returns the newest attempts for a table, newest first.
	SyncAttempts(ctx context.Context, tableID string, limit int) ([]SyncAttempt, error)

	// LatestDimensions returns the newest snapshot of a table with its
	// dimensions and categories but without its cells (Data.Values nil):
	// what the table's labels need, at the cost of a few rows.
	LatestDimensions(ctx context.Context, tableID string) (*Snapshot, error)

	// SnapshotAsOf returns the newest snapshot of a table fetched at or
	// before t, with its data (Raw not loaded): the data vintage a report of
	// that date saw.
	SnapshotAsOf(ctx context.Context, tableID string, t time.Time) (*Snapshot, error)

	// ReplaceCatalog stores load as the knowledge pack, replacing the
	// previous one in one transaction. When the stored pack has the same
	// digest nothing changes and replaced is false.
	ReplaceCatalog(ctx context.Context, load CatalogLoad) (replaced bool, err error)

	// CatalogInfo describes the stored pack; fault.NotFound when none is.
	CatalogInfo(ctx context.Context) (CatalogInfo, error)

	// CatalogEntries lists the stored entries of one kind (all kinds when
	// kind is empty) in the order they were loaded, with Data.
	CatalogEntries(ctx context.Context, kind string) ([]CatalogEntry, error)

	// SearchCatalog finds the entries whose text holds every word of query,
	// case-insensitively, with æ, ø and å kept distinct from a, o: a word
	// matches a whole word or a word's beginning, and a word of three or
	// more letters also matches inside a longer word ("patch" finds
	// "sikkerhetspatcher"). At most limit hits, best first.
	SearchCatalog(ctx context.Context, query string, limit int) ([]SearchHit, error)

	// SchemaVersion returns the number of the newest migration applied.
	SchemaVersion(ctx context.Context) (int, error)

	Close() error
}

// Archive is a Store that also gives what only Copy (and a check of a whole
// database) needs: the raw bodies of a snapshot and every sync attempt.
type Archive interface {
	Store

	// SnapshotRaw returns the raw bodies of a snapshot, decompressed.
	SnapshotRaw(ctx context.Context, id int64) ([][]byte, error)

	// AllSyncAttempts returns every recorded attempt of every table, oldest
	// (by start) first, then in the order recorded: what Copy moves.
	AllSyncAttempts(ctx context.Context) ([]SyncAttempt, error)
}

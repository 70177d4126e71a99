// Package ingest brings statistics into the store: it syncs tables from a
// PxWeb server and imports downloaded JSON-stat files. Each table is stored
// all or nothing; one table failing does not stop the others.
package ingest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"regexp"
	"strings"
	"time"

	"github.com/grunnlag/grunnlag/internal/jsonstat"
	"github.com/grunnlag/grunnlag/internal/store"
)

// Store is what ingest needs from the store.
type Store interface {
	SaveSnapshot(ctx context.Context, s *store.Snapshot) (added bool, err error)
	Snapshots(ctx context.Context, tableID string) ([]store.SnapshotInfo, error)
	RecordSync(ctx context.Context, a store.SyncAttempt) error
}

// Stage is a step in bringing one table in.
type Stage int

// The stages, in the order they happen.
const (
	StageCheck    Stage = iota // asking the server whether the table changed
	StageMetadata              // fetching the table's metadata
	StageData                  // fetching the data, possibly in parts
	StageRead                  // reading and decoding a file
	StageSave                  // writing the snapshot
)

// Text describes the stage in bokmål, for progress displays.
func (s Stage) Text() string {
	switch s {
	case StageCheck:
		return "sjekker om tabellen er endret"
	case StageMetadata:
		return "henter metadata"
	case StageData:
		return "henter data"
	case StageRead:
		return "leser filen"
	case StageSave:
		return "lagrer"
	}
	return ""
}

// Observer is told what ingest is doing, to show progress. Calls come from
// one goroutine at a time.
type Observer interface {
	Start(total int)
	Stage(item string, s Stage)
	Parts(item string, done, total int)
	Finish(r Result)
	End()
}

// Result is the outcome for one table (or one dataset of an imported file).
type Result struct {
	Item       string // the table id asked for, or the file path
	TableID    string
	Title      string
	Outcome    store.Outcome
	SnapshotID int64
	Updated    string
	Cells      int
	Parts      int   // data requests the table needed
	Err        error // set when Outcome is store.Failed
	// Skipped is true for a table not tried because the server could not
	// be reached for an earlier one; Err is then that table's error.
	Skipped bool
	// Kept is the version a failed attempt left current; nil when the
	// table has none stored.
	Kept *store.SnapshotInfo
}

// Failed returns the results that failed.
func Failed(rs []Result) []Result {
	var out []Result
	for _, r := range rs {
		if r.Err != nil {
			out = append(out, r)
		}
	}
	return out
}

// stamp returns t in UTC to the microsecond: the precision every store
// keeps, so a snapshot reads back the same from SQLite and PostgreSQL.
func stamp(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// digest returns the hex SHA-256 of the bodies concatenated in order.
func digest(bodies [][]byte) string {
	h := sha256.New()
	for _, b := range bodies {
		h.Write(b)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// labelID matches the "12041: " prefix SSB puts before a table's title.
var labelID = regexp.MustCompile(`^([A-Za-z0-9_]{1,32}):\s*`)

// splitLabel splits a dataset label into the table id SSB puts before the
// title ("12041: Tiltak ...") and the title. A prefix without a digit is
// a word of the title ("Befolkning: alder og kjønn"), not a table id, so
// it stays in the title and id is empty.
func splitLabel(label string) (id, title string) {
	m := labelID.FindStringSubmatchIndex(label)
	if m == nil || !strings.ContainsAny(label[m[2]:m[3]], "0123456789") {
		return "", strings.TrimSpace(label)
	}
	return label[m[2]:m[3]], strings.TrimSpace(label[m[1]:])
}

// title returns a dataset label without the table id prefix SSB adds.
func title(label string) string {
	_, t := splitLabel(label)
	return t
}

// pxExtension is the part of PxWeb's dataset extension that names the table
// and the language of its labels.
type pxExtension struct {
	PX struct {
		TableID  string `json:"tableid"`
		Language string `json:"language"`
	} `json:"px"`
}

// identify returns the table id and label language a dataset names itself:
// extension.px.tableid, else the "12041: " prefix of its label.
func identify(d *jsonstat.Dataset) (id, lang string) {
	var ext pxExtension
	if len(d.Extension) > 0 && json.Unmarshal(d.Extension, &ext) == nil {
		id, lang = ext.PX.TableID, ext.PX.Language
	}
	if id == "" {
		id, _ = splitLabel(d.Label)
	}
	return id, lang
}

type nopObserver struct{}

func (nopObserver) Start(int)              {}
func (nopObserver) Stage(string, Stage)    {}
func (nopObserver) Parts(string, int, int) {}
func (nopObserver) Finish(Result)          {}
func (nopObserver) End()                   {}

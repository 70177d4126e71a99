package ingest

import (
	"fmt"
	"strings"
	"time"
	_ "time/tzdata" // Norwegian time on machines without zone data

	"github.com/grunnlag/grunnlag/internal/fault"
	"github.com/grunnlag/grunnlag/internal/store"
)

// A failed attempt is recorded with both texts a reader may need: the
// bokmål reason a person is shown (on the status page, in `grunnlag
// tables`), then, after detailSep, the English detail for operators. The
// store keeps them as one text; Reason splits it again, so every process
// that reads the attempt shows the same reason.
const detailSep = "\n\ndetaljer: "

// AttemptError is the text a failed attempt records for err.
func AttemptError(err error) string {
	return fault.UserMessage(err) + detailSep + err.Error()
}

// Reason splits a recorded attempt's error into the bokmål reason and the
// English detail. An attempt recorded by an older grunnlag has only the
// detail; its reason is "".
func Reason(recorded string) (reason, detail string) {
	if r, d, ok := strings.Cut(recorded, detailSep); ok {
		return r, d
	}
	return "", recorded
}

// KeptText says in bokmål what a failed attempt left in place: the version
// still current, with when it was fetched (Norwegian time), or that the
// table has none.
func KeptText(k *store.SnapshotInfo) string {
	if k == nil {
		return "Ingen versjon av tabellen er lagret ennå."
	}
	return "Forrige versjon (hentet " + When(k.FetchedAt) + ") er beholdt."
}

// AttemptText says in bokmål how a recorded attempt went, the same way on
// the status page and in `grunnlag tables`: when, the outcome, and for a
// failure the reason and what was kept. latest is the table's newest
// stored version, nil when none is.
func AttemptText(a store.SyncAttempt, latest *store.SnapshotInfo) string {
	at := When(a.FinishedAt)
	switch a.Outcome {
	case store.Added:
		return "ny versjon lagret " + at + "."
	case store.Unchanged:
		return "uendret " + at + " (ingen nye tall hos kilden)."
	}
	reason, _ := Reason(a.Error)
	if reason == "" {
		reason = "Årsaken ble ikke registrert."
	}
	var kept *store.SnapshotInfo
	if latest != nil && !latest.FetchedAt.After(a.FinishedAt) {
		kept = latest
	}
	return "mislyktes " + at + ": " + reason + " " + KeptText(kept)
}

// When formats t as "3. mars 2026 kl. 14.05", Norwegian time.
func When(t time.Time) string {
	loc, err := time.LoadLocation("Europe/Oslo")
	if err != nil {
		loc = time.UTC
	}
	t = t.In(loc)
	months := [12]string{"januar", "februar", "mars", "april", "mai", "juni", "juli",
		"august", "september", "oktober", "november", "desember"}
	return fmt.Sprintf("%d. %s %d kl. %02d.%02d", t.Day(), months[t.Month()-1], t.Year(), t.Hour(), t.Minute())
}

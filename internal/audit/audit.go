// Package audit records what grunnlag must be able to account for: sign-ins
// and failed sign-ins, changes of roles and grants, exports, every read of
// a municipality's raw answers and every administrator's action. The log is
// append-only and hash-chained in the store (store.AppendAudit); Verify
// checks the whole chain.
package audit

import (
	"context"
	"fmt"
	"time"

	"github.com/grunnlag/grunnlag/internal/store"
)

// Log writes and checks the audit log.
type Log struct {
	st  store.Accounts
	now func() time.Time
}

// New returns a Log on a store, with the clock now.
func New(st store.Accounts, now func() time.Time) *Log { return &Log{st: st, now: now} }

// Actor is who did something: a user (ID and e-mail), or the command line
// or the system itself (ID 0, Name "cli" or "system").
type Actor struct {
	ID   int64
	Name string
	IP   string
}

// The actors that are not users.
var (
	CLI    = Actor{Name: "cli"}
	System = Actor{Name: "system"}
)

// Record appends an entry: actor did action on object (in an
// organisation, with detail). A failure is returned: what must be audited
// must not happen unaudited, so callers fail their action with it.
func (l *Log) Record(ctx context.Context, a Actor, action, object, orgCode, detail string) error {
	_, err := l.st.AppendAudit(ctx, store.AuditEntry{
		At: l.now(), ActorID: a.ID, Actor: a.Name, IP: a.IP,
		Action: action, Object: object, OrgCode: orgCode, Detail: detail,
	})
	return err
}

// Entries returns the entries the filter selects, oldest first.
func (l *Log) Entries(ctx context.Context, f store.AuditFilter) ([]store.AuditEntry, error) {
	return l.st.AuditLog(ctx, f)
}

// Verify checks the whole chain and returns how many entries it holds.
func (l *Log) Verify(ctx context.Context) (int, error) {
	all, err := l.st.AuditLog(ctx, store.AuditFilter{})
	if err != nil {
		return 0, err
	}
	if err := store.VerifyAudit(all); err != nil {
		return len(all), fmt.Errorf("the audit log is broken: %w", err)
	}
	return len(all), nil
}

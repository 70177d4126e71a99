package store

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/grunnlag/grunnlag/internal/fault"
)

// AuditTime is a time as the audit log keeps it: UTC, to the microsecond,
// the finest precision every store keeps, so that a hash computed before
// an entry is stored is the hash of what is read back.
func AuditTime(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// ChainHash returns the hash of e chained to the entry before it
// (e.PrevHash): SHA-256 over every field but Hash, each length-prefixed so
// that no two different entries give the same input.
func (e *AuditEntry) ChainHash() string {
	h := sha256.New()
	for _, f := range []string{
		strconv.FormatInt(e.Seq, 10),
		AuditTime(e.At).Format(time.RFC3339Nano),
		strconv.FormatInt(e.ActorID, 10),
		e.Actor, e.IP, e.Action, e.Object, e.OrgCode, e.Detail, e.PrevHash,
	} {
		fmt.Fprintf(h, "%d:%s\n", len(f), f)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// GenesisHash is the PrevHash of the first entry.
const GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000"

// VerifyAudit checks a whole audit log, oldest first: sequence numbers run
// 1, 2, 3, ... without a gap, each entry's PrevHash is the hash of the one
// before, and each hash is the hash of its entry. The first break is
// returned as an error of kind fault.Invalid that names the entry.
func VerifyAudit(entries []AuditEntry) error {
	prev := GenesisHash
	for i, e := range entries {
		switch want := int64(i + 1); {
		case e.Seq != want:
			return fault.Errorf(fault.Invalid, "audit entry %d: expected number %d: an entry is missing or was added out of order", e.Seq, want)
		case e.PrevHash != prev:
			return fault.Errorf(fault.Invalid, "audit entry %d: its link to entry %d does not match: an entry before it was changed or removed", e.Seq, e.Seq-1)
		case e.ChainHash() != e.Hash:
			return fault.Errorf(fault.Invalid, "audit entry %d (%s): its content does not match its hash: it was changed", e.Seq, e.Action)
		}
		prev = e.Hash
	}
	return nil
}

// Validate refuses an entry the log cannot keep: no action or actor, or
// text that is not valid UTF-8 or holds a NUL.
func (e *AuditEntry) Validate() error {
	if e.Action == "" || e.Actor == "" {
		return fault.Errorf(fault.Invalid, "audit entry needs an action and an actor")
	}
	c := textCheck{}
	for _, f := range []struct{ what, s string }{
		{"actor", e.Actor}, {"ip", e.IP}, {"action", e.Action}, {"object", e.Object},
		{"org", e.OrgCode}, {"detail", e.Detail},
	} {
		c.str(f.what, f.s)
	}
	if c.err != nil {
		return fault.E(fault.Invalid, fmt.Errorf("audit entry: %w", c.err))
	}
	return nil
}

// NormalizeEmail returns an e-mail address as accounts are kept: trimmed
// and lowercased.
func NormalizeEmail(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

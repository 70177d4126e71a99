package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/grunnlag/grunnlag/internal/fault"
	"github.com/grunnlag/grunnlag/internal/store"
)

const sessionColumns = `id_hash, user_id, org_id, csrf, level, method, created_at, seen_at, expires_at, ip, user_agent`

func sessionFields(s *store.Session) []any {
	return []any{&s.IDHash, &s.UserID, (*nullInt64)(&s.OrgID), &s.CSRF, &s.Level, &s.Method,
		scanTime(&s.CreatedAt), scanTime(&s.SeenAt), scanTime(&s.ExpiresAt), &s.IP, &s.UserAgent}
}

func (db *DB) sessionValues(s store.Session) []any {
	return []any{s.IDHash, s.UserID, nullID(s.OrgID), s.CSRF, s.Level, s.Method,
		db.timeArg(s.CreatedAt), db.timeArg(s.SeenAt), db.timeArg(s.ExpiresAt), s.IP, s.UserAgent}
}

const insertSession = `INSERT INTO sessions (` + sessionColumns + `) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`

// CreateSession stores a new session.
func (db *DB) CreateSession(ctx context.Context, s store.Session) error {
	err := db.writeTx(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, insertSession, db.sessionValues(s)...)
		return err
	})
	if err != nil {
		return fmt.Errorf("create session: %w", err)
	}
	return nil
}

// SessionUser returns a session that has not expired at now, its user and
// the user's roles, in one statement: every signed-in request asks for
// all three. A row per role (one with no role when the user has none).
func (db *DB) SessionUser(ctx context.Context, idHash string, now time.Time) (store.SessionUser, error) {
	var su store.SessionUser
	found := false
	err := db.readOne(ctx, func(tx *Tx) error {
		return scanRows(ctx, tx, func(r *sessionUserRow) []any {
			return append(append(sessionFields(&r.s), userFields(&r.u)...),
				(*nullString)(&r.g.Role), (*nullInt64)(&r.g.OrgID), (*nullString)(&r.g.OrgCode), (*nullString)(&r.g.OrgName),
				(*nullInt64)(&r.g.GrantedBy), scanTime(&r.g.GrantedAt))
		}, func(r *sessionUserRow) error {
			if !found {
				su = store.SessionUser{Session: r.s, User: r.u, Roles: []store.RoleGrant{}}
				found = true
			}
			if r.g.Role != "" {
				su.Roles = append(su.Roles, r.g)
			}
			return nil
		}, `SELECT `+prefixed("s.", sessionColumns)+`, `+prefixed("u.", userColumns)+`,
			r.role, r.org_id, o.code, o.name, r.granted_by, r.granted_at
			FROM sessions s JOIN users u ON u.id = s.user_id
			LEFT JOIN roles r ON r.user_id = u.id LEFT JOIN organisations o ON o.id = r.org_id
			WHERE s.id_hash = ? AND s.expires_at > ?
			ORDER BY r.org_id IS NOT NULL, o.code, r.role`, idHash, db.timeArg(now))
	})
	if err != nil {
		return su, fmt.Errorf("session: %w", err)
	}
	if !found {
		return su, fault.Errorf(fault.NotFound, "no such session")
	}
	return su, nil
}

// sessionUserRow is a row of SessionUser's statement.
type sessionUserRow struct {
	s store.Session
	u store.User
	g store.RoleGrant
}

// prefixed qualifies each of a list of columns ("a, b") with a table
// alias ("s.a, s.b").
func prefixed(alias, columns string) string {
	parts := strings.Split(columns, ", ")
	for i, c := range parts {
		parts[i] = alias + c
	}
	return strings.Join(parts, ", ")
}

// TouchSession records that a session was used.
func (db *DB) TouchSession(ctx context.Context, idHash string, seen time.Time) error {
	err := db.writeTx(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `UPDATE sessions SET seen_at = ? WHERE id_hash = ?`, db.timeArg(seen), idHash)
		return err
	})
	if err != nil {
		return fmt.Errorf("touch session: %w", err)
	}
	return nil
}

// ReplaceSession stores next in place of the session idHash.
func (db *DB) ReplaceSession(ctx context.Context, idHash string, next store.Session) error {
	err := db.writeTx(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `DELETE FROM sessions WHERE id_hash = ?`, idHash)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fault.Errorf(fault.NotFound, "no such session")
		}
		_, err = tx.exec(ctx, insertSession, db.sessionValues(next)...)
		return err
	})
	if err != nil {
		return fmt.Errorf("replace session: %w", err)
	}
	return nil
}

// DeleteSession ends a session; an unknown one is not an error.
func (db *DB) DeleteSession(ctx context.Context, idHash string) error {
	err := db.writeTx(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `DELETE FROM sessions WHERE id_hash = ?`, idHash)
		return err
	})
	if err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}

// DeleteSessions ends every session of a user.
func (db *DB) DeleteSessions(ctx context.Context, userID int64) (int, error) {
	var n int64
	err := db.writeTx(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `DELETE FROM sessions WHERE user_id = ?`, userID)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("delete sessions of user %d: %w", userID, err)
	}
	return int(n), nil
}

// DeleteExpired removes what ended before now.
func (db *DB) DeleteExpired(ctx context.Context, now time.Time) error {
	err := db.writeTx(ctx, func(tx *Tx) error {
		for _, q := range []string{
			`DELETE FROM sessions WHERE expires_at <= ?`,
			`DELETE FROM links WHERE expires_at <= ?`,
			`DELETE FROM oidc_states WHERE expires_at <= ?`,
		} {
			if _, err := tx.exec(ctx, q, db.timeArg(now)); err != nil {
				return err
			}
		}
		// A rate window is over a day old at most.
		_, err := tx.exec(ctx, `DELETE FROM rate_limits WHERE window_start <= ?`, db.timeArg(now.Add(-24*time.Hour)))
		return err
	})
	if err != nil {
		return fmt.Errorf("delete expired: %w", err)
	}
	return nil
}

const tokenColumns = `id, user_id, name, hash, prefix, created_at, expires_at, revoked_at, last_used_at`

func tokenFields(t *store.Token) []any {
	return []any{&t.ID, &t.UserID, &t.Name, &t.Hash, &t.Prefix, scanTime(&t.CreatedAt), scanTime(&t.ExpiresAt),
		scanTime(&t.RevokedAt), scanTime(&t.LastUsedAt)}
}

// CreateToken stores a new API token.
func (db *DB) CreateToken(ctx context.Context, t store.Token) (store.Token, error) {
	err := db.writeTx(ctx, func(tx *Tx) error {
		return tx.queryRow(ctx, `INSERT INTO api_tokens (user_id, name, hash, prefix, created_at, expires_at)
			VALUES (?, ?, ?, ?, ?, ?) RETURNING id`, t.UserID, t.Name, t.Hash, t.Prefix,
			db.timeArg(t.CreatedAt), db.timeArg(t.ExpiresAt)).Scan(&t.ID)
	})
	if err != nil {
		return t, fmt.Errorf("create token: %w", err)
	}
	return t, nil
}

// TokenByHash returns a token in force at now and records its use, to
// the minute (tokenUseEvery): a program calling the API many times a
// second then reads the store instead of writing it on every call.
func (db *DB) TokenByHash(ctx context.Context, hash string, now time.Time) (store.Token, error) {
	var t store.Token
	err := db.readTx(ctx, func(tx *Tx) error {
		err := tx.queryRow(ctx, `SELECT `+tokenColumns+` FROM api_tokens
			WHERE hash = ? AND revoked_at IS NULL AND expires_at > ?`, hash, db.timeArg(now)).Scan(tokenFields(&t)...)
		return notFound(err, "no such token")
	})
	if err == nil && now.Sub(t.LastUsedAt) >= tokenUseEvery {
		err = db.writeTx(ctx, func(tx *Tx) error {
			_, err := tx.exec(ctx, `UPDATE api_tokens SET last_used_at = ? WHERE id = ?`, db.timeArg(now), t.ID)
			return err
		})
		t.LastUsedAt = now
	}
	if err != nil {
		return t, fmt.Errorf("token: %w", err)
	}
	return t, nil
}

// tokenUseEvery is how stale a token's recorded last use may be before a
// use writes it again.
const tokenUseEvery = time.Minute

// Tokens lists a user's tokens, newest first.
func (db *DB) Tokens(ctx context.Context, userID int64) ([]store.Token, error) {
	list := []store.Token{}
	err := db.readTx(ctx, func(tx *Tx) error {
		return scanRows(ctx, tx, tokenFields, func(t *store.Token) error {
			list = append(list, *t)
			return nil
		}, `SELECT `+tokenColumns+` FROM api_tokens WHERE user_id = ? ORDER BY id DESC`, userID)
	})
	if err != nil {
		return nil, fmt.Errorf("tokens of user %d: %w", userID, err)
	}
	return list, nil
}

// RevokeToken revokes one of a user's tokens.
func (db *DB) RevokeToken(ctx context.Context, userID, tokenID int64, now time.Time) error {
	err := db.writeTx(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND user_id = ? AND revoked_at IS NULL`,
			db.timeArg(now), tokenID, userID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fault.Errorf(fault.NotFound, "user %d has no token %d in force", userID, tokenID)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("revoke token %d: %w", tokenID, err)
	}
	return nil
}

// CreateLink stores a one-time link.
func (db *DB) CreateLink(ctx context.Context, l store.Link) error {
	err := db.writeTx(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `INSERT INTO links (hash, user_id, purpose, created_by, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)`,
			l.Hash, l.UserID, l.Purpose, nullID(l.CreatedBy), db.timeArg(l.CreatedAt), db.timeArg(l.ExpiresAt))
		return err
	})
	if err != nil {
		return fmt.Errorf("create link: %w", err)
	}
	return nil
}

// Link returns a link in force at now without using it.
func (db *DB) Link(ctx context.Context, hash string, now time.Time) (store.Link, error) {
	var l store.Link
	err := db.readTx(ctx, func(tx *Tx) error {
		return tx.queryRow(ctx, `SELECT hash, user_id, purpose, created_by, created_at, expires_at, used_at FROM links
			WHERE hash = ? AND used_at IS NULL AND expires_at > ?`, hash, db.timeArg(now)).
			Scan(&l.Hash, &l.UserID, &l.Purpose, (*nullInt64)(&l.CreatedBy), scanTime(&l.CreatedAt), scanTime(&l.ExpiresAt), scanTime(&l.UsedAt))
	})
	if err != nil {
		return l, fmt.Errorf("link: %w", notFound(err, "the link is unknown, used or expired"))
	}
	return l, nil
}

// UseLink marks a link used and returns it, once.
func (db *DB) UseLink(ctx context.Context, hash string, now time.Time) (store.Link, error) {
	var l store.Link
	err := db.writeTx(ctx, func(tx *Tx) error {
		// The update is the check: of two requests with the same link,
		// one changes the row and the other finds it used.
		res, err := tx.exec(ctx, `UPDATE links SET used_at = ? WHERE hash = ? AND used_at IS NULL AND expires_at > ?`,
			db.timeArg(now), hash, db.timeArg(now))
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fault.Errorf(fault.NotFound, "the link is unknown, used or expired")
		}
		return tx.queryRow(ctx, `SELECT hash, user_id, purpose, created_by, created_at, expires_at, used_at FROM links WHERE hash = ?`, hash).
			Scan(&l.Hash, &l.UserID, &l.Purpose, (*nullInt64)(&l.CreatedBy), scanTime(&l.CreatedAt), scanTime(&l.ExpiresAt), scanTime(&l.UsedAt))
	})
	if err != nil {
		return l, fmt.Errorf("use link: %w", err)
	}
	return l, nil
}

// SaveOIDCState stores a sign-in's state until its callback.
func (db *DB) SaveOIDCState(ctx context.Context, s store.OIDCState) error {
	err := db.writeTx(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `INSERT INTO oidc_states (state_hash, provider, nonce, verifier, return_to, expires_at) VALUES (?, ?, ?, ?, ?, ?)`,
			s.StateHash, s.Provider, s.Nonce, s.Verifier, s.ReturnTo, db.timeArg(s.ExpiresAt))
		return err
	})
	if err != nil {
		return fmt.Errorf("save sign-in state: %w", err)
	}
	return nil
}

// TakeOIDCState returns a sign-in's state and deletes it, once.
func (db *DB) TakeOIDCState(ctx context.Context, stateHash string, now time.Time) (store.OIDCState, error) {
	var s store.OIDCState
	err := db.writeTx(ctx, func(tx *Tx) error {
		err := tx.queryRow(ctx, `SELECT state_hash, provider, nonce, verifier, return_to, expires_at FROM oidc_states WHERE state_hash = ?`, stateHash).
			Scan(&s.StateHash, &s.Provider, &s.Nonce, &s.Verifier, &s.ReturnTo, scanTime(&s.ExpiresAt))
		if err != nil {
			return notFound(err, "unknown or used sign-in state")
		}
		if _, err := tx.exec(ctx, `DELETE FROM oidc_states WHERE state_hash = ?`, stateHash); err != nil {
			return err
		}
		if !s.ExpiresAt.After(now) {
			return fault.Errorf(fault.NotFound, "the sign-in state expired at %s", s.ExpiresAt.Format(time.RFC3339))
		}
		return nil
	})
	if err != nil {
		return s, fmt.Errorf("take sign-in state: %w", err)
	}
	return s, nil
}

// Hit counts an attempt under key in the current fixed window.
func (db *DB) Hit(ctx context.Context, key string, window time.Duration, now time.Time) (int, error) {
	start := now.UTC().Truncate(window)
	var count int
	err := db.writeTx(ctx, func(tx *Tx) error {
		if err := db.d.lock(ctx, tx, lockKey{lockRate, key}); err != nil {
			return err
		}
		var have time.Time
		err := tx.queryRow(ctx, `SELECT window_start, count FROM rate_limits WHERE key = ?`, key).Scan(scanTime(&have), &count)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			count = 1
			_, err = tx.exec(ctx, `INSERT INTO rate_limits (key, window_start, count) VALUES (?, ?, 1)`, key, db.timeArg(start))
			return err
		case err != nil:
			return err
		case have.Before(start):
			count = 1
		default:
			count++
		}
		_, err = tx.exec(ctx, `UPDATE rate_limits SET window_start = ?, count = ? WHERE key = ?`, db.timeArg(start), count, key)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("rate limit: %w", err)
	}
	return count, nil
}

// ResetHits forgets the attempts under key.
func (db *DB) ResetHits(ctx context.Context, key string) error {
	err := db.writeTx(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `DELETE FROM rate_limits WHERE key = ?`, key)
		return err
	})
	if err != nil {
		return fmt.Errorf("reset rate limit: %w", err)
	}
	return nil
}

const grantColumns = `g.id, g.user_id, u.email, g.org_id, o.code, g.reason, g.granted_by, g.granted_at, g.expires_at, g.revoked_at`

func grantFields(g *store.Grant) []any {
	return []any{&g.ID, &g.UserID, &g.UserEmail, &g.OrgID, &g.OrgCode, &g.Reason, &g.GrantedBy,
		scanTime(&g.GrantedAt), scanTime(&g.ExpiresAt), scanTime(&g.RevokedAt)}
}

const grantFrom = ` FROM grants g JOIN users u ON u.id = g.user_id JOIN organisations o ON o.id = g.org_id `

// CreateGrant stores a grant.
func (db *DB) CreateGrant(ctx context.Context, g store.Grant) (store.Grant, error) {
	if g.Reason == "" {
		return g, fault.WithUser(fault.Invalid, "Oppgi hvorfor tilgangen trengs.", errors.New("a grant needs a reason"))
	}
	if !g.ExpiresAt.After(g.GrantedAt) {
		return g, fault.WithUser(fault.Invalid, "Tilgangen må ha en sluttdato etter i dag.", errors.New("a grant must end after it starts"))
	}
	err := db.writeTx(ctx, func(tx *Tx) error {
		return tx.queryRow(ctx, `INSERT INTO grants (user_id, org_id, reason, granted_by, granted_at, expires_at)
			VALUES (?, ?, ?, ?, ?, ?) RETURNING id`, g.UserID, g.OrgID, g.Reason, g.GrantedBy,
			db.timeArg(g.GrantedAt), db.timeArg(g.ExpiresAt)).Scan(&g.ID)
	})
	if err != nil {
		return g, fmt.Errorf("create grant: %w", err)
	}
	return g, nil
}

// Grants lists every grant, newest first.
func (db *DB) Grants(ctx context.Context) ([]store.Grant, error) {
	list := []store.Grant{}
	err := db.readTx(ctx, func(tx *Tx) error {
		return scanRows(ctx, tx, grantFields, func(g *store.Grant) error {
			list = append(list, *g)
			return nil
		}, `SELECT `+grantColumns+grantFrom+`ORDER BY g.id DESC`)
	})
	if err != nil {
		return nil, fmt.Errorf("grants: %w", err)
	}
	return list, nil
}

// RevokeGrant ends a grant.
func (db *DB) RevokeGrant(ctx context.Context, id int64, now time.Time) error {
	err := db.writeTx(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `UPDATE grants SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL`, db.timeArg(now), id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fault.Errorf(fault.NotFound, "no grant %d in force", id)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("revoke grant %d: %w", id, err)
	}
	return nil
}

// ActiveGrant returns a grant in force at now for a user and organisation.
func (db *DB) ActiveGrant(ctx context.Context, userID, orgID int64, now time.Time) (store.Grant, error) {
	var g store.Grant
	err := db.readTx(ctx, func(tx *Tx) error {
		return tx.queryRow(ctx, `SELECT `+grantColumns+grantFrom+`WHERE g.user_id = ? AND g.org_id = ?
			AND g.revoked_at IS NULL AND g.granted_at <= ? AND g.expires_at > ? ORDER BY g.expires_at DESC LIMIT 1`,
			userID, orgID, db.timeArg(now), db.timeArg(now)).Scan(grantFields(&g)...)
	})
	if errors.Is(err, sql.ErrNoRows) {
		return g, fault.Errorf(fault.Forbidden, "user %d has no grant for organisation %d", userID, orgID)
	}
	if err != nil {
		return g, fmt.Errorf("active grant: %w", err)
	}
	return g, nil
}

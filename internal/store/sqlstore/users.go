package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/grunnlag/grunnlag/internal/fault"
	"github.com/grunnlag/grunnlag/internal/store"
)

const userColumns = `id, email, name, password_hash, totp_secret, created_at, disabled_at`

func userFields(u *store.User) []any {
	return []any{&u.ID, &u.Email, &u.Name, &u.PasswordHash, &u.TOTPSecret, scanTime(&u.CreatedAt), scanTime(&u.DisabledAt)}
}

// CreateUser stores a new user; an e-mail address in use is
// fault.Conflict.
func (db *DB) CreateUser(ctx context.Context, u store.User) (store.User, error) {
	u.Email = store.NormalizeEmail(u.Email)
	if u.Email == "" {
		return u, fault.Errorf(fault.Invalid, "a user needs an e-mail address")
	}
	err := db.writeTx(ctx, func(tx *Tx) error {
		var n int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM users WHERE email = ?`, u.Email).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return fault.WithUser(fault.Conflict, "Det finnes allerede en bruker med denne e-postadressen.",
				fmt.Errorf("user %s exists", u.Email))
		}
		return tx.queryRow(ctx, `INSERT INTO users (email, name, password_hash, totp_secret, created_at)
			VALUES (?, ?, ?, ?, ?) RETURNING id`, u.Email, u.Name, u.PasswordHash, u.TOTPSecret, db.timeArg(u.CreatedAt)).Scan(&u.ID)
	})
	if err != nil {
		return u, fmt.Errorf("create user %s: %w", u.Email, err)
	}
	u.CreatedAt = u.CreatedAt.UTC()
	return u, nil
}

func (db *DB) user(ctx context.Context, what, where string, arg any) (store.User, error) {
	var u store.User
	err := db.readTx(ctx, func(tx *Tx) error {
		var err error
		u, err = userIn(ctx, tx, what, where, arg)
		return err
	})
	return u, err
}

// userIn reads a user within a transaction.
func userIn(ctx context.Context, tx *Tx, what, where string, arg any) (store.User, error) {
	var u store.User
	err := tx.queryRow(ctx, `SELECT `+userColumns+` FROM users WHERE `+where, arg).Scan(userFields(&u)...)
	if errors.Is(err, sql.ErrNoRows) {
		return u, fault.Errorf(fault.NotFound, "user %s does not exist", what)
	}
	if err != nil {
		return u, fmt.Errorf("user %s: %w", what, err)
	}
	return u, nil
}

// UserRoles returns a user and the user's roles, read at once.
func (db *DB) UserRoles(ctx context.Context, id int64) (store.User, []store.RoleGrant, error) {
	var u store.User
	var roles []store.RoleGrant
	err := db.readTx(ctx, func(tx *Tx) error {
		var err error
		if u, err = userIn(ctx, tx, fmt.Sprint(id), `id = ?`, id); err != nil {
			return err
		}
		roles, err = rolesIn(ctx, tx, id)
		return err
	})
	return u, roles, err
}

// User returns a user by id.
func (db *DB) User(ctx context.Context, id int64) (store.User, error) {
	return db.user(ctx, fmt.Sprint(id), `id = ?`, id)
}

// UserByEmail returns a user by e-mail address, in any case.
func (db *DB) UserByEmail(ctx context.Context, email string) (store.User, error) {
	email = store.NormalizeEmail(email)
	return db.user(ctx, email, `email = ?`, email)
}

// Users lists every user by e-mail address.
func (db *DB) Users(ctx context.Context) ([]store.User, error) {
	list := []store.User{}
	err := db.readTx(ctx, func(tx *Tx) error {
		return scanRows(ctx, tx, userFields, func(u *store.User) error {
			list = append(list, *u)
			return nil
		}, `SELECT `+userColumns+` FROM users ORDER BY email`)
	})
	if err != nil {
		return nil, fmt.Errorf("users: %w", err)
	}
	return list, nil
}

// setUser changes one column of a user.
func (db *DB) setUser(ctx context.Context, userID int64, column string, value any) error {
	err := db.writeTx(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `UPDATE users SET `+column+` = ? WHERE id = ?`, value, userID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fault.Errorf(fault.NotFound, "user %d does not exist", userID)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("user %d: set %s: %w", userID, column, err)
	}
	return nil
}

// SetPassword stores a user's password hash.
func (db *DB) SetPassword(ctx context.Context, userID int64, hash string) error {
	return db.setUser(ctx, userID, "password_hash", hash)
}

// SetTOTP stores a user's TOTP secret.
func (db *DB) SetTOTP(ctx context.Context, userID int64, secret string) error {
	return db.setUser(ctx, userID, "totp_secret", secret)
}

// SetDisabled disables a user at a time, or enables them with the zero
// time.
func (db *DB) SetDisabled(ctx context.Context, userID int64, at time.Time) error {
	return db.setUser(ctx, userID, "disabled_at", db.nullTime(at))
}

// LinkIdentity ties an OIDC provider's subject to a user.
func (db *DB) LinkIdentity(ctx context.Context, provider, subject string, userID int64, now time.Time) error {
	err := db.writeTx(ctx, func(tx *Tx) error {
		var have int64
		err := tx.queryRow(ctx, `SELECT user_id FROM user_identities WHERE provider = ? AND subject = ?`, provider, subject).Scan(&have)
		switch {
		case err == nil && have == userID:
			return nil
		case err == nil:
			return fault.Errorf(fault.Conflict, "identity %s/%s belongs to another user", provider, subject)
		case !errors.Is(err, sql.ErrNoRows):
			return err
		}
		_, err = tx.exec(ctx, `INSERT INTO user_identities (provider, subject, user_id, created_at) VALUES (?, ?, ?, ?)`,
			provider, subject, userID, db.timeArg(now))
		return err
	})
	if err != nil {
		return fmt.Errorf("link identity %s: %w", provider, err)
	}
	return nil
}

// UserByIdentity returns the user an OIDC provider's subject is tied to.
func (db *DB) UserByIdentity(ctx context.Context, provider, subject string) (store.User, error) {
	var u store.User
	err := db.readTx(ctx, func(tx *Tx) error {
		return tx.queryRow(ctx, `SELECT u.id, u.email, u.name, u.password_hash, u.totp_secret, u.created_at, u.disabled_at
			FROM user_identities i JOIN users u ON u.id = i.user_id WHERE i.provider = ? AND i.subject = ?`,
			provider, subject).Scan(userFields(&u)...)
	})
	if errors.Is(err, sql.ErrNoRows) {
		return u, fault.Errorf(fault.NotFound, "no user for identity %s", provider)
	}
	if err != nil {
		return u, fmt.Errorf("user by identity %s: %w", provider, err)
	}
	return u, nil
}

// nullID binds an id, or NULL for 0.
func nullID(id int64) sql.NullInt64 { return sql.NullInt64{Int64: id, Valid: id != 0} }

// GrantRole gives a user a role.
func (db *DB) GrantRole(ctx context.Context, userID int64, role store.Role, orgID, by int64, now time.Time) error {
	if !role.Valid() {
		return fault.Errorf(fault.Invalid, "unknown role %q", role)
	}
	if role.Global() != (orgID == 0) {
		if role.Global() {
			return fault.Errorf(fault.Invalid, "role %s holds for every organisation; give no organisation", role)
		}
		return fault.Errorf(fault.Invalid, "role %s needs an organisation", role)
	}
	err := db.writeTx(ctx, func(tx *Tx) error {
		q := `SELECT COUNT(*) FROM roles WHERE user_id = ? AND role = ? AND org_id IS NULL`
		args := []any{userID, role}
		if orgID != 0 {
			q = `SELECT COUNT(*) FROM roles WHERE user_id = ? AND role = ? AND org_id = ?`
			args = append(args, orgID)
		}
		var n int
		if err := tx.queryRow(ctx, q, args...).Scan(&n); err != nil || n > 0 {
			return err
		}
		_, err := tx.exec(ctx, `INSERT INTO roles (user_id, role, org_id, granted_by, granted_at) VALUES (?, ?, ?, ?, ?)`,
			userID, role, nullID(orgID), nullID(by), db.timeArg(now))
		return err
	})
	if err != nil {
		return fmt.Errorf("grant %s to user %d: %w", role, userID, err)
	}
	return nil
}

// RevokeRole takes a role away.
func (db *DB) RevokeRole(ctx context.Context, userID int64, role store.Role, orgID int64) error {
	err := db.writeTx(ctx, func(tx *Tx) error {
		q := `DELETE FROM roles WHERE user_id = ? AND role = ? AND org_id IS NULL`
		args := []any{userID, role}
		if orgID != 0 {
			q = `DELETE FROM roles WHERE user_id = ? AND role = ? AND org_id = ?`
			args = append(args, orgID)
		}
		res, err := tx.exec(ctx, q, args...)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fault.Errorf(fault.NotFound, "user %d has no role %s there", userID, role)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("revoke %s of user %d: %w", role, userID, err)
	}
	return nil
}

// RolesOf lists a user's roles: global ones first, then by organisation.
func (db *DB) RolesOf(ctx context.Context, userID int64) ([]store.RoleGrant, error) {
	var list []store.RoleGrant
	err := db.readTx(ctx, func(tx *Tx) error {
		var err error
		list, err = rolesIn(ctx, tx, userID)
		return err
	})
	return list, err
}

// rolesIn reads a user's roles within a transaction.
func rolesIn(ctx context.Context, tx *Tx, userID int64) ([]store.RoleGrant, error) {
	list := []store.RoleGrant{}
	err := scanRows(ctx, tx, func(g *store.RoleGrant) []any {
		return []any{&g.Role, (*nullInt64)(&g.OrgID), (*nullString)(&g.OrgCode), (*nullString)(&g.OrgName),
			(*nullInt64)(&g.GrantedBy), scanTime(&g.GrantedAt)}
	}, func(g *store.RoleGrant) error {
		list = append(list, *g)
		return nil
	}, `SELECT r.role, r.org_id, o.code, o.name, r.granted_by, r.granted_at
		FROM roles r LEFT JOIN organisations o ON o.id = r.org_id
		WHERE r.user_id = ? ORDER BY r.org_id IS NOT NULL, o.code, r.role`, userID)
	if err != nil {
		return nil, fmt.Errorf("roles of user %d: %w", userID, err)
	}
	return list, nil
}

// OrgMembers lists the users with a role in an organisation, as the actor
// may see them: the condition on the actor's own roles is part of the
// query, so no caller can forget it.
func (db *DB) OrgMembers(ctx context.Context, actorID, orgID int64) ([]store.OrgMember, error) {
	list := []store.OrgMember{}
	err := db.readTx(ctx, func(tx *Tx) error {
		return scanRows(ctx, tx, func(m *store.OrgMember) []any {
			return append(userFields(&m.User), &m.Role)
		}, func(m *store.OrgMember) error {
			list = append(list, *m)
			return nil
		}, `SELECT u.id, u.email, u.name, u.password_hash, u.totp_secret, u.created_at, u.disabled_at, r.role
			FROM roles r JOIN users u ON u.id = r.user_id
			WHERE r.org_id = ?
			AND EXISTS (SELECT 1 FROM roles a WHERE a.user_id = ?
				AND (a.role = 'admin' OR (a.role = 'lead' AND a.org_id = ?)))
			ORDER BY u.email, r.role`, orgID, actorID, orgID)
	})
	if err != nil {
		return nil, fmt.Errorf("members of organisation %d: %w", orgID, err)
	}
	return list, nil
}

// nullInt64 is a scan destination that reads NULL as 0.
type nullInt64 int64

func (n *nullInt64) Scan(src any) error {
	var v sql.NullInt64
	if err := v.Scan(src); err != nil {
		return err
	}
	*n = nullInt64(v.Int64)
	return nil
}

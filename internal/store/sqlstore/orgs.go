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

const orgColumns = `id, code, kind, name, org_number, county, population, source, created_at, retired_at`

// orgRow scans a row of orgColumns.
type orgRow struct {
	store.Organisation
	population sql.NullInt64
}

func (r *orgRow) fields() []any {
	o := &r.Organisation
	return []any{&o.ID, &o.Code, &o.Kind, &o.Name, &o.OrgNumber, &o.County, &r.population, &o.Source,
		scanTime(&o.CreatedAt), scanTime(&o.RetiredAt)}
}

func (r *orgRow) org() store.Organisation {
	r.Population = int(r.population.Int64)
	return r.Organisation
}

func nullInt(n int) sql.NullInt64 { return sql.NullInt64{Int64: int64(n), Valid: n != 0} }

// SyncOrganisations makes the registers' municipalities and county
// municipalities the stored ones (see store.Accounts).
func (db *DB) SyncOrganisations(ctx context.Context, orgs []store.Organisation, now time.Time) (added, changed int, err error) {
	err = db.writeTx(ctx, func(tx *Tx) error {
		added, changed = 0, 0
		have := map[string]store.Organisation{}
		err := scanRows(ctx, tx, (*orgRow).fields, func(r *orgRow) error {
			have[r.Code] = r.org()
			return nil
		}, `SELECT `+orgColumns+` FROM organisations WHERE kind IN (?, ?)`, store.Municipality, store.County)
		if err != nil {
			return err
		}
		keep := map[string]bool{}
		for _, o := range orgs {
			if o.Kind != store.Municipality && o.Kind != store.County {
				return fault.Errorf(fault.Invalid, "organisation %s: kind %q does not come from a register", o.Code, o.Kind)
			}
			keep[o.Code] = true
			old, ok := have[o.Code]
			switch {
			case !ok:
				if _, err := tx.exec(ctx, `INSERT INTO organisations (code, kind, name, org_number, county, population, source, created_at)
					VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, o.Code, o.Kind, o.Name, o.OrgNumber, o.County, nullInt(o.Population), o.Source, db.timeArg(now)); err != nil {
					return fmt.Errorf("add organisation %s: %w", o.Code, err)
				}
				added++
			case old.Kind != o.Kind || old.Name != o.Name || old.County != o.County || old.Population != o.Population ||
				old.Source != o.Source || !old.RetiredAt.IsZero() || (o.OrgNumber != "" && old.OrgNumber != o.OrgNumber):
				orgNumber := old.OrgNumber // an administrator's number stays unless a source gives one
				if o.OrgNumber != "" {
					orgNumber = o.OrgNumber
				}
				if _, err := tx.exec(ctx, `UPDATE organisations SET kind = ?, name = ?, org_number = ?, county = ?, population = ?, source = ?, retired_at = NULL
					WHERE code = ?`, o.Kind, o.Name, orgNumber, o.County, nullInt(o.Population), o.Source, o.Code); err != nil {
					return fmt.Errorf("update organisation %s: %w", o.Code, err)
				}
				changed++
			}
		}
		for code, old := range have {
			if !keep[code] && old.RetiredAt.IsZero() {
				if _, err := tx.exec(ctx, `UPDATE organisations SET retired_at = ? WHERE code = ?`, db.timeArg(now), code); err != nil {
					return err
				}
				changed++
			}
		}
		return nil
	})
	if err != nil {
		return 0, 0, fmt.Errorf("sync organisations: %w", err)
	}
	return added, changed, nil
}

// AddOrganisation stores a provider or network.
func (db *DB) AddOrganisation(ctx context.Context, o store.Organisation) (store.Organisation, error) {
	if o.Kind != store.Provider && o.Kind != store.Network {
		return o, fault.Errorf(fault.Invalid, "organisation %s: only providers and networks are added by hand; municipalities and counties come from the registers", o.Code)
	}
	if o.Code == "" || o.Name == "" {
		return o, fault.Errorf(fault.Invalid, "organisation needs a code and a name")
	}
	err := db.writeTx(ctx, func(tx *Tx) error {
		var n int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM organisations WHERE code = ?`, o.Code).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return fault.WithUser(fault.Conflict, fmt.Sprintf("Koden «%s» er allerede i bruk.", o.Code),
				fmt.Errorf("organisation code %s is taken", o.Code))
		}
		return tx.queryRow(ctx, `INSERT INTO organisations (code, kind, name, org_number, county, population, source, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, o.Code, o.Kind, o.Name, o.OrgNumber, o.County,
			nullInt(o.Population), o.Source, db.timeArg(o.CreatedAt)).Scan(&o.ID)
	})
	if err != nil {
		return o, fmt.Errorf("add organisation %s: %w", o.Code, err)
	}
	o.CreatedAt = o.CreatedAt.UTC()
	return o, nil
}

// Organisation returns the organisation with a code.
func (db *DB) Organisation(ctx context.Context, code string) (store.Organisation, error) {
	var r orgRow
	err := db.readOne(ctx, func(tx *Tx) error {
		return tx.queryRow(ctx, `SELECT `+orgColumns+` FROM organisations WHERE code = ?`, code).Scan(r.fields()...)
	})
	if errors.Is(err, sql.ErrNoRows) {
		return store.Organisation{}, fault.Errorf(fault.NotFound, "organisation %s does not exist", code)
	}
	if err != nil {
		return store.Organisation{}, fmt.Errorf("organisation %s: %w", code, err)
	}
	return r.org(), nil
}

// Organisations lists the organisations of a kind, or all, by code.
func (db *DB) Organisations(ctx context.Context, kind store.OrgKind) ([]store.Organisation, error) {
	list := []store.Organisation{}
	err := db.readTx(ctx, func(tx *Tx) error {
		return scanRows(ctx, tx, (*orgRow).fields, func(r *orgRow) error {
			list = append(list, r.org())
			return nil
		}, `SELECT `+orgColumns+` FROM organisations WHERE ? = '' OR kind = ? ORDER BY code`, kind, kind)
	})
	if err != nil {
		return nil, fmt.Errorf("organisations: %w", err)
	}
	return list, nil
}

// AddMembership records that a municipality belongs to a provider or
// network from a date.
func (db *DB) AddMembership(ctx context.Context, m store.Membership) error {
	err := db.writeTx(ctx, func(tx *Tx) error {
		var parentKind, memberKind string
		var parentID, memberID int64
		if err := tx.queryRow(ctx, `SELECT id, kind FROM organisations WHERE code = ?`, m.Parent).Scan(&parentID, &parentKind); err != nil {
			return notFound(err, "organisation %s does not exist", m.Parent)
		}
		if err := tx.queryRow(ctx, `SELECT id, kind FROM organisations WHERE code = ?`, m.Member).Scan(&memberID, &memberKind); err != nil {
			return notFound(err, "organisation %s does not exist", m.Member)
		}
		if store.OrgKind(parentKind) != store.Provider && store.OrgKind(parentKind) != store.Network {
			return fault.Errorf(fault.Invalid, "%s is a %s; only providers and networks have members", m.Parent, parentKind)
		}
		if store.OrgKind(memberKind) != store.Municipality && store.OrgKind(memberKind) != store.County {
			return fault.Errorf(fault.Invalid, "%s is a %s; members are municipalities and county municipalities", m.Member, memberKind)
		}
		var validTo any
		if m.ValidTo != "" {
			validTo = m.ValidTo
		}
		_, err := tx.exec(ctx, `INSERT INTO org_members (parent_id, member_id, valid_from, valid_to) VALUES (?, ?, ?, ?)`,
			parentID, memberID, m.ValidFrom, validTo)
		return err
	})
	if err != nil {
		return fmt.Errorf("add %s to %s: %w", m.Member, m.Parent, err)
	}
	return nil
}

// Memberships lists the members of a provider or network by start date.
func (db *DB) Memberships(ctx context.Context, parent string) ([]store.Membership, error) {
	list := []store.Membership{}
	err := db.readTx(ctx, func(tx *Tx) error {
		return scanRows(ctx, tx, func(m *store.Membership) []any {
			return []any{&m.Parent, &m.Member, &m.ValidFrom, (*nullString)(&m.ValidTo)}
		}, func(m *store.Membership) error {
			list = append(list, *m)
			return nil
		}, `SELECT p.code, c.code, m.valid_from, m.valid_to FROM org_members m
			JOIN organisations p ON p.id = m.parent_id JOIN organisations c ON c.id = m.member_id
			WHERE p.code = ? ORDER BY m.valid_from, c.code`, parent)
	})
	if err != nil {
		return nil, fmt.Errorf("members of %s: %w", parent, err)
	}
	return list, nil
}

// nullString is a scan destination that reads NULL as "".
type nullString string

func (s *nullString) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*s = ""
	case string:
		*s = nullString(v)
	case []byte:
		*s = nullString(v)
	default:
		return fmt.Errorf("text column: %T", src)
	}
	return nil
}

// notFound turns sql.ErrNoRows into fault.NotFound with a message.
func notFound(err error, format string, args ...any) error {
	if errors.Is(err, sql.ErrNoRows) {
		return fault.Errorf(fault.NotFound, format, args...)
	}
	return err
}

package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/grunnlag/grunnlag/internal/fault"
)

// migrate applies the migrations the database lacks, each in its own write
// transaction together with its row in schema_migrations. Each transaction
// holds the migration lock (see dialect.lockMigrations) and looks at the
// version again, so two processes opening a new database at once apply
// each migration once: the second sees the first's row.
func (db *DB) migrate(ctx context.Context) error {
	ms, err := readMigrations(db.d.migrations())
	if err != nil {
		return err
	}
	known := len(ms)
	var current int
	err = db.runTx(ctx, db.write, nil, nil, func(tx *Tx) error {
		if err := db.d.lockMigrations(ctx, tx); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, db.d.schemaTable()); err != nil {
			return fmt.Errorf("create schema_migrations: %w", err)
		}
		current, err = schemaVersion(ctx, tx.tx)
		return err
	})
	if err != nil {
		return err
	}
	if err := checkVersion(current, known); err != nil {
		return err
	}
	for _, m := range ms[current:] {
		if err := db.runTx(ctx, db.write, nil, nil, func(tx *Tx) error { return db.apply(ctx, tx, m, known) }); err != nil {
			return fmt.Errorf("migration %s: %w", m.Name, err)
		}
	}
	return nil
}

func (db *DB) apply(ctx context.Context, tx *Tx, m migration, known int) error {
	if err := db.d.lockMigrations(ctx, tx); err != nil {
		return err
	}
	// Another process may have migrated since we looked.
	v, err := schemaVersion(ctx, tx.tx)
	if err != nil {
		return err
	}
	if err := checkVersion(v, known); err != nil {
		return err
	}
	if v >= m.Version {
		return nil
	}
	// Migrations are the dialect's own SQL, run as written.
	if _, err := tx.tx.ExecContext(ctx, m.SQL); err != nil {
		return err
	}
	_, err = tx.exec(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`,
		m.Version, m.Name, db.d.timeArg(time.Now()))
	return err
}

// knownVersion returns the number of migrations this program knows.
func (db *DB) knownVersion() (int, error) {
	ms, err := readMigrations(db.d.migrations())
	return len(ms), err
}

// rowQuerier is what *sql.DB and *sql.Tx share that schemaVersion needs.
type rowQuerier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func schemaVersion(ctx context.Context, q rowQuerier) (int, error) {
	var v int
	err := q.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&v)
	if err != nil {
		return 0, fmt.Errorf("read schema version: %w", err)
	}
	return v, nil
}

// checkReadable refuses, for a store opened read-only, a schema that is
// not the one this program knows: an older one needs `grunnlag migrate`
// (which writes), a newer one a newer grunnlag.
func checkReadable(have, known int) error {
	if err := checkVersion(have, known); err != nil {
		return err
	}
	if have < known {
		return fault.WithUser(fault.Invalid,
			"Databasen har et eldre skjema enn denne versjonen av grunnlag. Kjør «grunnlag migrate» (den skriver til databasen), og prøv igjen.",
			fmt.Errorf("database schema version %d is older than this grunnlag's %d; run grunnlag migrate", have, known))
	}
	return nil
}

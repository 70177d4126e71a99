package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"time"

	"github.com/grunnlag/grunnlag/internal/store/internal/backend"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// migrate applies the migrations the database lacks, each in its own
// transaction together with its row in schema_migrations. Write
// transactions begin IMMEDIATE, so two processes opening a new file at once
// apply each migration once: the second sees the first's row.
func migrate(ctx context.Context, db *sql.DB) error {
	ms, err := backend.Migrations(migrationFS)
	if err != nil {
		return err
	}
	if _, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    INTEGER PRIMARY KEY,
		name       TEXT NOT NULL,
		applied_at TEXT NOT NULL
	) STRICT`); err != nil {
		return fmt.Errorf("create schema_migrations: %w", err)
	}
	current, err := schemaVersion(ctx, db)
	if err != nil {
		return err
	}
	if err := backend.CheckVersion(current, len(ms)); err != nil {
		return err
	}
	for _, m := range ms[current:] {
		if err := apply(ctx, db, m, len(ms)); err != nil {
			return fmt.Errorf("migration %s: %w", m.Name, err)
		}
	}
	return nil
}

func apply(ctx context.Context, db *sql.DB, m backend.Migration, known int) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()

	// Another process may have migrated since we looked.
	v, err := schemaVersion(ctx, tx)
	if err != nil {
		return err
	}
	if err := backend.CheckVersion(v, known); err != nil {
		return err
	}
	if v >= m.Version {
		return nil
	}
	if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx,
		`INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`,
		m.Version, m.Name, textTime(time.Now())); err != nil {
		return err
	}
	return tx.Commit()
}

// querier is what *sql.DB and *sql.Tx share that this package needs.
type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func schemaVersion(ctx context.Context, q querier) (int, error) {
	var v int
	err := q.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&v)
	if err != nil {
		return 0, fmt.Errorf("read schema version: %w", err)
	}
	return v, nil
}

package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/grunnlag/grunnlag/internal/fault"
)

// Backup writes a consistent copy of a SQLite database to path, while
// others keep reading and writing (SQLite's VACUUM INTO: one read
// transaction, so the copy is the database at one moment). path must not
// exist. PostgreSQL is backed up with its own tools (pg_dump).
func (db *DB) Backup(ctx context.Context, path string) error {
	if db.d.engine() != SQLite {
		return fault.WithUser(fault.Invalid, "Sikkerhetskopi av PostgreSQL lages med pg_dump (se README).", errors.New("backup of PostgreSQL is pg_dump's"))
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return fault.E(fault.Invalid, err)
	}
	if _, err := os.Stat(abs); err == nil {
		return fault.WithUser(fault.Conflict, fmt.Sprintf("%s finnes allerede; velg et nytt filnavn, så ingen sikkerhetskopi overskrives.", path),
			fmt.Errorf("%s exists", abs))
	}
	// VACUUM INTO reads the database in one transaction and writes only the
	// new file, but SQLite refuses it on a query_only connection.
	if db.write == nil {
		return db.errReadOnly("backup")
	}
	if _, err := db.write.ExecContext(ctx, `VACUUM INTO ?`, abs); err != nil {
		os.Remove(abs)
		return fmt.Errorf("backup to %s: %w", abs, db.d.classify(contextErr(ctx, err)))
	}
	return nil
}

// RestoreSQLite puts a backup in place as the database at dbPath, which must
// not exist: the backup is checked first (a grunnlag database of a schema
// this program knows, whole by integrity_check), then copied beside dbPath
// and renamed into place, so a failure leaves no half file.
func RestoreSQLite(ctx context.Context, backup, dbPath string) error {
	if _, err := os.Stat(dbPath); err == nil {
		return fault.WithUser(fault.Conflict, fmt.Sprintf("%s finnes allerede; gjenoppretting skjer bare til en ny database.", dbPath),
			fmt.Errorf("%s exists", dbPath))
	}
	src, err := Open(ctx, backup, Options{ReadOnly: true})
	if err != nil {
		return fmt.Errorf("backup %s: %w", backup, err)
	}
	problems, err := src.d.integrity(ctx, src.read)
	src.Close()
	if err != nil {
		return fmt.Errorf("backup %s: %w", backup, err)
	}
	if len(problems) > 0 {
		return fault.WithUser(fault.Invalid, "Sikkerhetskopien er skadet; den er ikke brukt.", fmt.Errorf("backup %s: %v", backup, problems))
	}
	tmp, err := os.CreateTemp(filepath.Dir(dbPath), ".restore-*")
	if err != nil {
		return fault.E(fault.Invalid, err)
	}
	defer os.Remove(tmp.Name())
	in, err := os.Open(backup)
	if err != nil {
		tmp.Close()
		return err
	}
	_, err = io.Copy(tmp, in)
	in.Close()
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("restore %s: %w", dbPath, err)
	}
	return os.Rename(tmp.Name(), dbPath)
}

package sqlstore

import (
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/grunnlag/grunnlag/internal/fault"
)

// migration is one numbered schema change.
type migration struct {
	Version int
	Name    string // file name, e.g. "0001_snapshots.sql"
	SQL     string
}

// readMigrations returns the files NNNN_name.sql of fsys in order.
// Their numbers must run 1, 2, 3, ... without gaps, so that the highest
// number applied is the schema version.
func readMigrations(fsys fs.FS) ([]migration, error) {
	names, err := fs.Glob(fsys, "*.sql")
	if err != nil {
		return nil, err
	}
	var ms []migration
	for _, p := range names {
		name := path.Base(p)
		num, _, ok := strings.Cut(name, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v <= 0 {
			return nil, fmt.Errorf("migration %s: name must start with a number and '_'", name)
		}
		body, err := fs.ReadFile(fsys, p)
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{Version: v, Name: name, SQL: string(body)})
	}
	slices.SortFunc(ms, func(a, b migration) int { return a.Version - b.Version })
	for i, m := range ms {
		if m.Version != i+1 {
			return nil, fmt.Errorf("migration %s: expected number %d", m.Name, i+1)
		}
	}
	return ms, nil
}

// checkVersion refuses, with fault.Invalid, a database whose schema
// version is above the number of migrations this program knows: a newer
// grunnlag migrated it.
func checkVersion(have, known int) error {
	if have > known {
		return fault.WithUser(fault.Invalid,
			"Databasen er skrevet av en nyere versjon av grunnlag. Oppgrader grunnlag; databasen er ikke endret.",
			fmt.Errorf("database schema version %d is newer than this grunnlag (knows %d); upgrade grunnlag", have, known))
	}
	return nil
}

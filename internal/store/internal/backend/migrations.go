package backend

import (
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/grunnlag/grunnlag/internal/fault"
)

// Migration is one numbered schema change.
type Migration struct {
	Version int
	Name    string // file name, e.g. "0001_snapshots.sql"
	SQL     string
}

// Migrations returns the files migrations/NNNN_name.sql of fsys in order.
// Their numbers must run 1, 2, 3, ... without gaps, so that the highest
// number applied is the schema version.
func Migrations(fsys fs.FS) ([]Migration, error) {
	names, err := fs.Glob(fsys, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	var ms []Migration
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
		ms = append(ms, Migration{Version: v, Name: name, SQL: string(body)})
	}
	slices.SortFunc(ms, func(a, b Migration) int { return a.Version - b.Version })
	for i, m := range ms {
		if m.Version != i+1 {
			return nil, fmt.Errorf("migration %s: expected number %d", m.Name, i+1)
		}
	}
	return ms, nil
}

// CheckVersion refuses, with fault.Invalid, a database whose schema
// version is above the number of migrations this program knows: a newer
// grunnlag migrated it.
func CheckVersion(have, known int) error {
	if have > known {
		return fault.Errorf(fault.Invalid,
			"database schema version %d is newer than this grunnlag (knows %d); upgrade grunnlag", have, known)
	}
	return nil
}

package ingest

import (
	"bytes"
	"fmt"
	"io/fs"
	"regexp"

	"github.com/goccy/go-yaml"

	"github.com/grunnlag/grunnlag/internal/fault"
)

// RegisteredTable is one table listed in the knowledge pack's tables.yaml.
type RegisteredTable struct {
	ID        string `yaml:"id"`
	Title     string `yaml:"title"`
	TitleLang string `yaml:"title_lang"`
	Source    string `yaml:"source"`
	Why       string `yaml:"why"`
}

var tableIDPattern = regexp.MustCompile(`^[A-Za-z0-9_]{1,32}$`)

// ValidTableID reports whether id looks like a PxWeb table id ("12041",
// "03024", "TAB5974"). Ids become URL path segments, so anything else is
// refused before a request is made.
func ValidTableID(id string) bool { return tableIDPattern.MatchString(id) }

// RegisteredTables reads the table registry (tables.yaml) from fsys.
func RegisteredTables(fsys fs.FS) ([]RegisteredTable, error) {
	const name = "tables.yaml"
	b, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, fmt.Errorf("read table registry: %w", err)
	}
	var doc struct {
		Tables []RegisteredTable `yaml:"tables"`
	}
	if err := yaml.NewDecoder(bytes.NewReader(b), yaml.DisallowUnknownField()).Decode(&doc); err != nil {
		return nil, fault.Errorf(fault.Invalid, "%s: %s", name, yaml.FormatError(err, false, false))
	}
	seen := make(map[string]bool)
	for i, t := range doc.Tables {
		switch {
		case !ValidTableID(t.ID):
			return nil, fault.Errorf(fault.Invalid, "%s: tables[%d].id: %q is not a table id", name, i, t.ID)
		case seen[t.ID]:
			return nil, fault.Errorf(fault.Invalid, "%s: tables[%d].id: %q listed twice", name, i, t.ID)
		}
		seen[t.ID] = true
	}
	return doc.Tables, nil
}

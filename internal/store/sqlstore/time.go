package sqlstore

import (
	"fmt"
	"time"
)

// timeDest is a scan destination for a time column of either dialect:
// SQLite keeps times as text in sqliteTimeLayout, PostgreSQL as
// timestamptz. The time read is in UTC. (*timeDest)(&t) reads into t.
type timeDest time.Time

// scanTime returns the scan destination that reads a time column into t.
func scanTime(t *time.Time) *timeDest { return (*timeDest)(t) }

// Scan reads a time column; NULL is the zero time.
func (t *timeDest) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*t = timeDest{}
		return nil
	case time.Time:
		*t = timeDest(v.UTC())
		return nil
	case string:
		return t.parse(v)
	case []byte:
		return t.parse(string(v))
	}
	return fmt.Errorf("stored time: %T, want text or a timestamp", src)
}

func (t *timeDest) parse(s string) error {
	p, err := time.Parse(sqliteTimeLayout, s)
	if err != nil {
		return fmt.Errorf("stored time %q: %w", s, err)
	}
	*t = timeDest(p)
	return nil
}

// timeArg returns t as the store binds it.
func (db *DB) timeArg(t time.Time) any { return db.d.timeArg(t) }

// nullTime returns t as the store binds it, or NULL for the zero time.
func (db *DB) nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return db.d.timeArg(t)
}

package sqlite

import (
	"database/sql/driver"
	"fmt"
	"time"
)

// timeLayout stores times in UTC with nanoseconds and a fixed width, so
// that text order is time order.
const timeLayout = "2006-01-02T15:04:05.000000000Z"

// textTime is a time as this store keeps it: text in timeLayout. As an
// argument it is written so; as a scan destination, (*textTime)(&t) reads
// the column into t.
type textTime time.Time

// Value formats the time for a TEXT column.
func (t textTime) Value() (driver.Value, error) { return time.Time(t).UTC().Format(timeLayout), nil }

// Scan parses a TEXT column written by Value.
func (t *textTime) Scan(src any) error {
	var s string
	switch v := src.(type) {
	case string:
		s = v
	case []byte:
		s = string(v)
	default:
		return fmt.Errorf("stored time: %T, want text", src)
	}
	p, err := time.Parse(timeLayout, s)
	if err != nil {
		return fmt.Errorf("stored time %q: %w", s, err)
	}
	*t = textTime(p)
	return nil
}

// scanTime returns the scan destination that reads a time column into t.
func scanTime(t *time.Time) *textTime { return (*textTime)(t) }

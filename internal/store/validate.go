package store

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/grunnlag/grunnlag/internal/fault"
)

// Validate refuses a snapshot that a store cannot keep faithfully, with an
// error of kind fault.Invalid: no table id or data, values that do not fit
// the dimensions, texts or statuses outside the cells, a SHA-256 that is not
// that of the raw bodies, or text that is not valid UTF-8 or holds a NUL
// character (PostgreSQL cannot store it, so no store accepts it). When
// SHA256 is empty and raw bodies are at hand it fills SHA256 in; it changes
// nothing else, so a refused snapshot leaves a store as it was. Every store
// calls it first in SaveSnapshot.
func (s *Snapshot) Validate() error {
	if s.TableID == "" {
		return fault.Errorf(fault.Invalid, "snapshot has no table id")
	}
	if s.Data == nil {
		return fault.Errorf(fault.Invalid, "table %s: snapshot has no data", s.TableID)
	}
	d := s.Data
	n := d.Len()
	if d.Values != nil && len(d.Values) != n {
		return fault.Errorf(fault.Invalid, "table %s: %d values for %d cells (dimension sizes %v)",
			s.TableID, len(d.Values), n, d.Size())
	}
	for idx := range d.Text {
		if idx < 0 || idx >= n {
			return fault.Errorf(fault.Invalid, "table %s: text for cell %d outside 0..%d", s.TableID, idx, n-1)
		}
	}
	for idx := range d.Status {
		if idx < 0 || idx >= n {
			return fault.Errorf(fault.Invalid, "table %s: status for cell %d outside 0..%d", s.TableID, idx, n-1)
		}
	}
	for i := range d.Dimensions {
		if d.Dimensions[i].ID == "" {
			return fault.Errorf(fault.Invalid, "table %s: dimension %d has no id", s.TableID, i)
		}
	}
	if err := s.checkText(); err != nil {
		return fault.E(fault.Invalid, fmt.Errorf("table %s: %w", s.TableID, err))
	}

	if len(s.Raw) == 0 {
		if s.SHA256 == "" {
			return fault.Errorf(fault.Invalid, "table %s: snapshot has neither raw bodies nor sha256", s.TableID)
		}
		return nil
	}
	sum := rawSHA256(s.Raw)
	switch s.SHA256 {
	case "":
		s.SHA256 = sum
	case sum:
	default:
		return fault.Errorf(fault.Invalid, "table %s: sha256 %s does not match the raw bodies (%s)", s.TableID, s.SHA256, sum)
	}
	return nil
}

// checkText returns an error for the first text of the snapshot that a
// store cannot keep.
func (s *Snapshot) checkText() error {
	d := s.Data
	c := textCheck{}
	c.str("table id", s.TableID)
	c.str("title", s.Title)
	c.str("lang", s.Lang)
	c.str("updated", s.Updated)
	c.str("source", s.Source)
	c.str("sha256", s.SHA256)
	c.str("dataset label", d.Label)
	c.str("dataset source", d.Source)
	c.str("dataset updated", d.Updated)
	c.str("dataset href", d.Href)
	c.strs("dataset note", d.Note)
	c.raw("dataset extension", d.Extension)
	c.raw("dataset link", d.Link)
	c.strs("role time", d.Role.Time)
	c.strs("role geo", d.Role.Geo)
	c.strs("role metric", d.Role.Metric)
	for i := range d.Dimensions {
		dim := &d.Dimensions[i]
		c.str("dimension id", dim.ID)
		c.str("dimension "+dim.ID+" label", dim.Label)
		c.strs("dimension "+dim.ID+" note", dim.Note)
		c.raw("dimension "+dim.ID+" extension", dim.Extension)
		c.raw("dimension "+dim.ID+" link", dim.Link)
		c.str("dimension "+dim.ID+" href", dim.Href)
		for parent, children := range dim.Child {
			c.str("dimension "+dim.ID+" child", parent)
			c.strs("dimension "+dim.ID+" child", children)
		}
		for j := range dim.Categories {
			cat := &dim.Categories[j]
			c.str("dimension "+dim.ID+" category code", cat.Code)
			c.str("dimension "+dim.ID+" category label", cat.Label)
			c.strs("dimension "+dim.ID+" category note", cat.Note)
			if u := cat.Unit; u != nil {
				c.str("dimension "+dim.ID+" category unit", u.Label)
				c.str("dimension "+dim.ID+" category unit", u.Symbol)
				c.str("dimension "+dim.ID+" category unit", u.Position)
			}
			if c.err != nil {
				return c.err
			}
		}
	}
	for idx, t := range d.Text {
		c.str(fmt.Sprintf("text of cell %d", idx), t)
	}
	for idx, st := range d.Status {
		c.str(fmt.Sprintf("status of cell %d", idx), st)
	}
	c.str("status of every cell", d.StatusAll)
	return c.err
}

// textCheck remembers the first text that a store cannot keep.
type textCheck struct{ err error }

func (c *textCheck) str(what, s string) {
	if c.err != nil {
		return
	}
	if !utf8.ValidString(s) {
		c.err = fmt.Errorf("%s is not valid UTF-8", what)
	} else if strings.IndexByte(s, 0) >= 0 {
		c.err = fmt.Errorf("%s holds a NUL character", what)
	}
}

func (c *textCheck) strs(what string, list []string) {
	for _, s := range list {
		c.str(what, s)
	}
}

func (c *textCheck) raw(what string, b []byte) {
	if c.err != nil || b == nil {
		return
	}
	if !utf8.Valid(b) {
		c.err = fmt.Errorf("%s is not valid UTF-8", what)
	} else if bytes.IndexByte(b, 0) >= 0 {
		c.err = fmt.Errorf("%s holds a NUL character", what)
	}
}

// rawSHA256 returns the hex SHA-256 of the bodies concatenated in order.
func rawSHA256(raw [][]byte) string {
	h := sha256.New()
	for _, b := range raw {
		h.Write(b)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Validate refuses a sync attempt that a store cannot record, with an
// error of kind fault.Invalid: no table id, an unknown outcome, or a table
// id that is not valid UTF-8 or holds a NUL character. It makes Error
// storable instead of refusing it (invalid UTF-8 becomes U+FFFD, NUL is
// dropped), so that a failure is never lost over the text of its message.
// Every store calls it first in RecordSync.
func (a *SyncAttempt) Validate() error {
	if a.TableID == "" {
		return fault.Errorf(fault.Invalid, "sync attempt has no table id")
	}
	c := textCheck{}
	c.str("table id", a.TableID)
	if c.err != nil {
		return fault.E(fault.Invalid, fmt.Errorf("sync attempt: %w", c.err))
	}
	switch a.Outcome {
	case Added, Unchanged, Failed:
	default:
		return fault.Errorf(fault.Invalid, "sync attempt for table %s: unknown outcome %q", a.TableID, a.Outcome)
	}
	a.Error = strings.ToValidUTF8(strings.ReplaceAll(a.Error, "\x00", ""), "\uFFFD")
	return nil
}

// validTableID is the form of a PxWeb table id ("12041", "03024",
// "TAB5974").
var validTableID = regexp.MustCompile(`^[A-Za-z0-9_]{1,32}$`)

// ValidTableID reports whether id looks like a PxWeb table id. Ids become
// URL path segments and file names, so anything else is refused before a
// request is made or a snapshot stored.
func ValidTableID(id string) bool { return validTableID.MatchString(id) }
